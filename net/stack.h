/* What every layer of the stack shares: its clock, its random numbers and
 * its counters. */
#ifndef NET_STACK_H
#define NET_STACK_H

#include <stdint.h>
#include <unilab/net.h>

/* The stack reads time only through net_now(), so a unit test can drive
 * the protocol timers with a clock of its own (and ul_timers_run). */
extern uint64_t (*net_clock)(void);

static inline uint64_t net_now(void)
{
	return net_clock();
}

/* now + delta on the stack's clock, saturating. */
uint64_t net_deadline(uint64_t delta);

/* Pseudo-random numbers for identifiers that should not be guessable by a
 * casual attacker (initial sequence numbers, ports, DHCP and DNS ids).
 * Not cryptographic. */
uint32_t net_random(void);
/* A keyed hash of a few words, for RFC 6528 initial sequence numbers. */
uint32_t net_hash(uint32_t a, uint32_t b, uint32_t c);

/* Start the stack (ul_net_start) if it is not up and the backend offers
 * an interface, for a socket made without it; an image without interfaces
 * keeps loopback. 0 (also while DHCP is still asking), or the error. */
int net_autostart(void);

/* idle-exit=SECONDS (idle.c): start watching, if asked (0, or a bad
 * value's error); every frame in or out counts as traffic. */
int net_idle_start(void);
void net_idle_traffic(void);

extern struct ul_net_stats net_stats;
#define NET_COUNT(field) (net_stats.field++)

#endif
