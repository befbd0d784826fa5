/* The path-MTU cache (RFC 1191): what ICMP "fragmentation needed" taught
 * us about destinations beyond a link of smaller MTU. Entries age out, so
 * a path that grows is found again. */
#ifndef NET_PMTU_H
#define NET_PMTU_H

#include <stdint.h>

#define PMTU_ENTRIES 32
#define PMTU_AGE_NS (600ull * 1000 * 1000 * 1000) /* RFC 1191 5: 10 min */
#define PMTU_MIN 576 /* smaller claims are not believed (RFC 1191, 5927) */

/* The path MTU learnt for dst, or 0 when there is none (or it aged). */
uint16_t pmtu_get(uint32_t dst);
/* Remember mtu (at least PMTU_MIN) for dst, if it lowers what is known. */
void pmtu_learn(uint32_t dst, uint32_t mtu);

#endif
