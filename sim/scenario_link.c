/* Scenario files: a link's settings, key=value words on `link`,
 * `defaults` and `at ... link NAME set` lines, each checked for its unit
 * and range. */
#include <stddef.h>
#include <string.h>

#include "scenario_parse.h"
#include "units.h"

static const char link_keys[] = "latency, jitter, bandwidth, queue, loss, "
                                "duplicate, reorder, reorder-delay, corrupt, "
                                "mtu";

/* Defaults a link has before its own keys (and `defaults` lines). */
const struct link_params sc_default_params = {
	.bandwidth = SC_NO_LIMIT,
	.reorder_delay = 10000000, /* 10 ms */
	.queue = 1000,
	.mtu = 1500,
};

static int bad_percent(struct parser *p, const char *key, const char *v)
{
	return sc_fail(p, "bad probability '%s' for %s: give a percentage from "
	               "0%% to 100%% (e.g. 1%%, 0.5%%)", v, key);
}

/* One key=value of a link into *lp, and its bit into *mask. */
static int link_key(struct parser *p, const char *key, const char *v,
                    struct link_params *lp, unsigned *mask)
{
	uint64_t n;
	if (strcmp(key, "latency") == 0) {
		if (parse_time(v, &lp->latency) < 0)
			return sc_bad_time(p, key, v);
		*mask |= LP_LATENCY;
	} else if (strcmp(key, "jitter") == 0) {
		if (parse_time(v, &lp->jitter) < 0)
			return sc_bad_time(p, key, v);
		*mask |= LP_JITTER;
	} else if (strcmp(key, "reorder-delay") == 0) {
		if (parse_time(v, &lp->reorder_delay) < 0)
			return sc_bad_time(p, key, v);
		*mask |= LP_REORDER_DELAY;
	} else if (strcmp(key, "bandwidth") == 0) {
		if (strcmp(v, "unlimited") == 0)
			lp->bandwidth = SC_NO_LIMIT;
		else if (parse_rate(v, &lp->bandwidth) < 0)
			return sc_fail(p, "bad bandwidth '%s': give a rate in bit, "
			               "kbit, Mbit or Gbit per second (e.g. 10Mbit), "
			               "or unlimited", v);
		*mask |= LP_BANDWIDTH;
	} else if (strcmp(key, "queue") == 0) {
		if (parse_count(v, 1000000, &n) < 0 || n == 0)
			return sc_fail(p, "bad queue '%s': give a number of frames "
			               "from 1 to 1000000", v);
		lp->queue = (uint32_t)n;
		*mask |= LP_QUEUE;
	} else if (strcmp(key, "mtu") == 0) {
		if (parse_count(v, 9000, &n) < 0 || n < 68)
			return sc_fail(p, "bad mtu '%s': give the largest IP packet "
			               "in bytes, from 68 to 9000", v);
		lp->mtu = (uint16_t)n;
		*mask |= LP_MTU;
	} else {
		static const struct {
			const char *key;
			size_t offset;
			unsigned bit;
		} probs[] = {
			{"loss", offsetof(struct link_params, loss), LP_LOSS},
			{"duplicate", offsetof(struct link_params, duplicate),
			 LP_DUPLICATE},
			{"reorder", offsetof(struct link_params, reorder), LP_REORDER},
			{"corrupt", offsetof(struct link_params, corrupt), LP_CORRUPT},
		};
		for (size_t i = 0; i < sizeof(probs) / sizeof(probs[0]); i++) {
			if (strcmp(key, probs[i].key) != 0)
				continue;
			uint32_t *field = (uint32_t *)((char *)lp + probs[i].offset);
			if (parse_percent(v, field) < 0)
				return bad_percent(p, key, v);
			*mask |= probs[i].bit;
			return 0;
		}
		return sc_fail(p, "unknown link key '%s' (the keys are: %s)", key,
		               link_keys);
	}
	return 0;
}

/* Words first.. as link keys. */
int sc_link_keys(struct parser *p, unsigned first,
                             struct link_params *lp, unsigned *mask)
{
	for (unsigned i = first; i < p->nwords; i++) {
		char *v;
		if (!sc_key_value(p->word[i], &v))
			return sc_fail(p, "'%s' is not a key=value (the keys are: %s)",
			               p->word[i], link_keys);
		if (strcmp(p->word[i], "name") == 0)
			return sc_fail(p, "a link's name is given where it is "
			               "declared, not here");
		if (link_key(p, p->word[i], v, lp, mask) < 0)
			return -1;
	}
	return 0;
}

void link_params_apply(struct link_params *p, const struct link_params *from,
                       unsigned mask)
{
	if (mask & LP_LATENCY)
		p->latency = from->latency;
	if (mask & LP_JITTER)
		p->jitter = from->jitter;
	if (mask & LP_BANDWIDTH)
		p->bandwidth = from->bandwidth;
	if (mask & LP_REORDER_DELAY)
		p->reorder_delay = from->reorder_delay;
	if (mask & LP_QUEUE)
		p->queue = from->queue;
	if (mask & LP_LOSS)
		p->loss = from->loss;
	if (mask & LP_DUPLICATE)
		p->duplicate = from->duplicate;
	if (mask & LP_REORDER)
		p->reorder = from->reorder;
	if (mask & LP_CORRUPT)
		p->corrupt = from->corrupt;
	if (mask & LP_MTU)
		p->mtu = from->mtu;
}

