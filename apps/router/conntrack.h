/* Connection tracking: each flow the rules let through is remembered
 * with the tuple its first datagram had and the tuple its replies will
 * have (after any NAT), so both directions pass and are translated
 * without asking the rules again. */
#ifndef ROUTER_CONNTRACK_H
#define ROUTER_CONNTRACK_H

#include <stdbool.h>
#include <stdint.h>

#define CT_MAX 1024

/* A flow as seen on the wire in one direction. For ICMP echo both ports
 * are the identifier. */
struct tuple {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint8_t proto;
};

enum { CT_ORIG, CT_REPLY };

struct conn;
struct ct_hnode {
	struct ct_hnode *next;
	struct conn *c;
};

struct conn {
	struct tuple t[2]; /* [CT_ORIG]: as it arrived; [CT_REPLY]: replies */
	struct ct_hnode h[2];
	uint64_t expires;
	bool replied;
	uint8_t fin;      /* bit 1 << direction: a FIN seen that way */
	bool rst;
	struct conn *free_next;
};

/* The flow t belongs to, and which direction t is (*dir), or NULL. */
struct conn *ct_find(const struct tuple *t, int *dir);
/* A new flow with these two tuples; NULL when the table is full of live
 * flows. */
struct conn *ct_add(const struct tuple *orig, const struct tuple *reply);
/* Note a datagram of c going in direction dir (TCP flags: tcp_flags). */
void ct_seen(struct conn *c, int dir, uint8_t tcp_flags);
/* Whether a reply tuple is taken already (for picking a NAT port). */
bool ct_taken(const struct tuple *reply);
unsigned ct_count(void);
uint64_t ct_refused(void); /* flows not tracked: the table was full */

#endif
