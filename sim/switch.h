/* A learning Ethernet switch (IEEE 802.1D without spanning tree): it
 * learns which port each source address lives behind, forwards a unicast
 * frame to its destination's port and floods broadcasts, multicasts and
 * unknown destinations to every other port. Learnt addresses age out. */
#ifndef UL_SIM_SWITCH_H
#define UL_SIM_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#define SW_TABLE 4096 /* learnt addresses a switch holds (a power of two) */

struct sw_entry {
	uint8_t mac[6];
	bool used;
	unsigned port;
	uint64_t seen; /* virtual time the address last sent */
};

struct sw {
	uint64_t aging;
	unsigned learnt;
	struct sw_entry table[SW_TABLE];
};

enum { SW_FLOOD = -1, SW_FILTER = -2 };

void sw_init(struct sw *s, uint64_t aging);
/* A frame arrived on in_port at time now: learn its source, then return
 * the port to send it out of, SW_FLOOD (every port but in_port), or
 * SW_FILTER (its destination is behind in_port: nothing to send). */
int sw_forward(struct sw *s, const uint8_t *frame, unsigned in_port,
               uint64_t now);

#endif
