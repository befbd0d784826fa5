/* DNS messages (RFC 1035 section 4): a query for one A record, and
 * reading the answer, compressed names and CNAME chains included. */
#ifndef NET_DNS_MSG_H
#define NET_DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#define DNS_PORT 53
#define DNS_NAME_MAX 253 /* dotted, without the trailing dot */
#define DNS_MSG_MAX 512  /* UDP answers without EDNS (RFC 1035 4.2.1) */

/* Write a recursive query for name's A record into buf: its length, or
 * -UL_EINVAL (empty label, label over 63 bytes, name over 253), or
 * -UL_ENOSPC. A trailing dot is allowed. */
int dns_build_query(uint16_t id, const char *name, uint8_t *buf, size_t cap);
/* Read the answer to query (id, name). 0 with *addr set; 1 when the
 * answer only says name is an alias (its CNAME chain ends in a name with
 * no A record here): that name is in cname (DNS_NAME_MAX + 1 bytes) to be
 * asked next; -UL_ENOENT for NXDOMAIN or no A record; -UL_EIO for a server
 * error or a truncated answer; -UL_EINVAL for anything that is not a
 * well-formed answer to this query (ignore it and keep waiting). */
int dns_parse_response(const uint8_t *msg, size_t len, uint16_t id,
                       const char *name, uint32_t *addr, char *cname);

#endif
