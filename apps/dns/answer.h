/* Answering one query from the zones served (RFC 1034 4.3.2, for an
 * authoritative server that does not recurse). */
#ifndef DNS_ANSWER_H
#define DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "zone.h"

#define EDNS_SIZE 1232 /* the UDP payload we offer (the 2020 flag day's) */
#define UDP_PLAIN 512  /* UDP answers to queries without EDNS0 */

/* Answer query q (qlen bytes) from zones (a list through ->next) into out
 * (cap bytes: 65535 suits TCP). Over UDP (tcp false) the answer also fits
 * 512 bytes or the EDNS0 size the query offered, else it comes back with
 * TC set and no records. Returns the answer's length, or 0 when the query
 * gets no answer at all (too short for a header, or itself a response). */
size_t dns_answer(const struct zone *zones, const uint8_t *q, size_t qlen,
                  uint8_t *out, size_t cap, bool tcp);

#endif
