/* The DNS stub resolver: A records over UDP from the configured server
 * (dns= option or DHCP). */
#ifndef UL_DNS_H
#define UL_DNS_H

#include <stdint.h>

/* Resolve name to an IPv4 address. A dotted quad is returned as it is,
 * without a query. Follows CNAMEs inside the answer; retries a few times
 * within timeout ns. Returns 0, -UL_ENOENT (no such name or no A record),
 * -UL_ETIMEDOUT, -UL_ENETUNREACH (no DNS server known), -UL_EINVAL (a
 * name that cannot be put in a query), -UL_EIO (the server failed). */
int ul_dns_resolve(const char *name, uint32_t *addr, uint64_t timeout);

/* Use server (host order) from now on; 0 forgets it. */
void ul_dns_set_server(uint32_t server);

#endif
