/* The simulator's event queue: a binary min-heap on (time, order pushed),
 * so events at the same virtual time come out in the order they were
 * made, which keeps every run the same. */
#ifndef UL_SIM_EVQ_H
#define UL_SIM_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame;

enum ev_kind {
	EV_ARRIVE, /* a frame reaches the far end of a link direction */
	EV_WAKE,   /* a node's poll deadline */
	EV_ACTION, /* a scenario `at` line */
};

enum {
	ARRIVE_DUPLICATE = 1, /* the second copy of a duplicated frame */
	ARRIVE_REORDERED = 2, /* held back, so later frames overtook it */
	ARRIVE_CORRUPTED = 4, /* one bit flipped */
};

struct event {
	uint64_t time;
	uint64_t order;      /* set by evq_push */
	enum ev_kind kind;
	unsigned index;      /* ARRIVE: link; WAKE: node; ACTION: action */
	unsigned dir;        /* ARRIVE: 0 from end 0 to end 1, 1 back */
	uint64_t gen;        /* ARRIVE: the link's epoch when sent; WAKE:
	                        the node's poll count when it asked */
	unsigned flags;      /* ARRIVE: what the link did, ARRIVE_* */
	struct frame *frame; /* ARRIVE */
};

struct evq {
	struct event *heap;
	size_t count, cap;
	uint64_t pushed;
};

void evq_push(struct evq *q, struct event e);
/* The earliest event, left in place / taken out; false when empty. */
bool evq_peek(const struct evq *q, struct event *e);
bool evq_pop(struct evq *q, struct event *e);
void evq_free(struct evq *q);

#endif
