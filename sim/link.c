/* The link model's arithmetic: queue occupancy from the send times of the
 * frames ahead, serialisation at the link's rate, then the random faults,
 * drawn only for the faults a link has. */
#include <stdio.h>
#include <stdlib.h>

#include "link.h"

const char *drop_name(enum drop_reason why)
{
	static const char *const names[DROP_REASONS] = {
		[DROP_TOO_BIG] = "too-big",
		[DROP_QUEUE] = "queue",
		[DROP_LOSS] = "loss",
		[DROP_DOWN] = "link-down",
		[DROP_PARTITION] = "partition",
		[DROP_NODE_DOWN] = "node-down",
		[DROP_RX_FULL] = "rx-full",
	};
	return names[why];
}

void link_dir_init(struct link_dir *d, uint64_t seed, const char *link,
                   unsigned dir)
{
	char name[128];
	snprintf(name, sizeof(name), "link %s direction %u", link, dir);
	*d = (struct link_dir){0};
	rng_seed(&d->rng, seed, name);
}

void link_dir_free(struct link_dir *d)
{
	free(d->tx_end);
	d->tx_end = NULL;
}

static void queue_push(struct link_dir *d, uint64_t end)
{
	if (d->count == d->cap) {
		unsigned cap = d->cap ? 2 * d->cap : 64;
		uint64_t *ring = malloc(cap * sizeof(*ring));
		if (!ring) {
			fprintf(stderr, "unilab-sim: out of memory for a link queue\n");
			exit(2);
		}
		for (unsigned i = 0; i < d->count; i++)
			ring[i] = d->tx_end[(d->head + i) % d->cap];
		free(d->tx_end);
		d->tx_end = ring;
		d->head = 0;
		d->cap = cap;
	}
	d->tx_end[(d->head + d->count++) % d->cap] = end;
}

/* Frames whose last bit has left by now are no longer in the queue. */
static void queue_advance(struct link_dir *d, uint64_t now)
{
	while (d->count && d->tx_end[d->head] <= now) {
		d->head = (d->head + 1) % d->cap;
		d->count--;
	}
}

static uint64_t serialisation(const struct link_params *p, size_t len)
{
	if (p->bandwidth == SC_NO_LIMIT)
		return 0;
	unsigned __int128 bits_ns = (unsigned __int128)len * 8 * 1000000000u;
	return (uint64_t)((bits_ns + p->bandwidth - 1) / p->bandwidth);
}

static uint64_t add_jitter(struct link_dir *d, const struct link_params *p,
                           uint64_t delay)
{
	if (p->jitter == 0)
		return delay;
	uint64_t j = rng_below(&d->rng, 2 * p->jitter + 1);
	return j >= p->jitter ? delay + (j - p->jitter)
	       : delay > p->jitter - j ? delay - (p->jitter - j) : 0;
}

/* Record a drop; false, so the caller can `if (...) return drop(...)`. */
static bool drop(struct link_dir *d, struct link_fate *fate,
                 enum drop_reason why)
{
	fate->why = why;
	d->st.dropped[why]++;
	return false;
}

bool link_transmit(struct link_dir *d, const struct link_params *p,
                   size_t len, uint64_t now, struct link_fate *fate)
{
	*fate = (struct link_fate){.copies = 1, .corrupt_bit = -1};
	d->st.sent++;
	if (len > (size_t)p->mtu + UL_ETH_HLEN)
		return drop(d, fate, DROP_TOO_BIG);
	queue_advance(d, now);
	if (d->count >= p->queue)
		return drop(d, fate, DROP_QUEUE);
	uint64_t start = d->busy_until > now ? d->busy_until : now;
	uint64_t sent = start + serialisation(p, len);
	d->busy_until = sent;
	queue_push(d, sent);

	if (p->loss && rng_chance(&d->rng, p->loss))
		return drop(d, fate, DROP_LOSS);
	uint64_t delay = add_jitter(d, p, p->latency);
	if (p->reorder && rng_chance(&d->rng, p->reorder)) {
		delay += 1 + (p->reorder_delay ? rng_below(&d->rng, p->reorder_delay)
		                               : 0);
		fate->reordered = true;
		d->st.reordered++;
	}
	fate->arrive = sent + delay;
	if (p->corrupt && rng_chance(&d->rng, p->corrupt)) {
		fate->corrupt_bit = (int64_t)rng_below(&d->rng, (uint64_t)len * 8);
		d->st.corrupted++;
	}
	if (p->duplicate && rng_chance(&d->rng, p->duplicate)) {
		fate->copies = 2;
		d->st.duplicated++;
	}
	return true;
}
