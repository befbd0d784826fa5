/* The link model: what one direction of a link does to a frame. A frame
 * waits in the transmit queue (tail drop when it is full), takes
 * len * 8 / bandwidth to serialise, is lost, corrupted, duplicated or held
 * back (reordered) with the link's probabilities, and arrives latency
 * +- jitter after its last bit left. Randomness comes from the direction's
 * own stream, so one link's settings never disturb another's draws. */
#ifndef UL_SIM_LINK_H
#define UL_SIM_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unilab/ether.h>

#include "rng.h"
#include "scenario.h"


/* Why a frame did not arrive (the trace's "why"). */
enum drop_reason {
	DROP_TOO_BIG,   /* longer than the link's MTU allows */
	DROP_QUEUE,     /* the transmit queue was full */
	DROP_LOSS,      /* lost on the wire */
	DROP_DOWN,      /* the link was down when sent or on arrival */
	DROP_PARTITION, /* sender and receiver in different groups */
	DROP_NODE_DOWN, /* the receiving node was not running */
	DROP_RX_FULL,   /* the receiving interface held too many frames */
	DROP_REASONS
};
const char *drop_name(enum drop_reason why);

struct link_stats {
	uint64_t sent;      /* frames offered to the direction */
	uint64_t delivered; /* frames that arrived, copies included */
	uint64_t bytes;     /* their bytes */
	uint64_t dropped[DROP_REASONS];
	uint64_t duplicated, corrupted, reordered;
};

struct link_dir {
	struct rng rng;
	uint64_t busy_until; /* when the transmitter is free */
	uint64_t *tx_end;    /* ring: when each queued frame is sent */
	unsigned head, count, cap;
	struct link_stats st;
};

/* What the direction does with one frame. */
struct link_fate {
	enum drop_reason why;  /* when dropped */
	unsigned copies;       /* 1, or 2 when duplicated */
	uint64_t arrive;       /* both copies arrive then, in order */
	int64_t corrupt_bit;   /* bit to flip in the frame, or -1 */
	bool reordered;
};

/* The stream is named after the link and direction. */
void link_dir_init(struct link_dir *d, uint64_t seed, const char *link,
                   unsigned dir);
void link_dir_free(struct link_dir *d);

/* A frame of len bytes enters the direction at time now: true when it will
 * arrive (fate says when and how), false when it is dropped (fate says
 * why). */
bool link_transmit(struct link_dir *d, const struct link_params *p,
                   size_t len, uint64_t now, struct link_fate *fate);

#endif
