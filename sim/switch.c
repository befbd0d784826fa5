/* The switch's address table: open addressing with linear probing. Entries
 * are never removed, only refreshed or left to age, so a probe stops at the
 * first unused slot; learning stops at three quarters full (then unknown
 * destinations are flooded, as a real switch does when its table is full). */
#include <string.h>

#include "switch.h"

void sw_init(struct sw *s, uint64_t aging)
{
	memset(s, 0, sizeof(*s));
	s->aging = aging;
}

static unsigned slot_of(const uint8_t *mac)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h & (SW_TABLE - 1);
}

/* The entry for mac, or the unused slot where it would go. */
static struct sw_entry *lookup(struct sw *s, const uint8_t *mac)
{
	unsigned i = slot_of(mac);
	while (s->table[i].used && memcmp(s->table[i].mac, mac, 6) != 0)
		i = (i + 1) & (SW_TABLE - 1);
	return &s->table[i];
}

static void learn(struct sw *s, const uint8_t *mac, unsigned port,
                  uint64_t now)
{
	if (mac[0] & 1)
		return; /* a group address is never a source */
	struct sw_entry *e = lookup(s, mac);
	if (!e->used) {
		if (s->learnt >= SW_TABLE / 4 * 3)
			return;
		memcpy(e->mac, mac, 6);
		e->used = true;
		s->learnt++;
	}
	e->port = port;
	e->seen = now;
}

int sw_forward(struct sw *s, const uint8_t *frame, unsigned in_port,
               uint64_t now)
{
	const uint8_t *dst = frame, *src = frame + 6;
	learn(s, src, in_port, now);
	if (dst[0] & 1)
		return SW_FLOOD;
	struct sw_entry *e = lookup(s, dst);
	if (!e->used || now - e->seen >= s->aging)
		return SW_FLOOD;
	return e->port == in_port ? SW_FILTER : (int)e->port;
}
