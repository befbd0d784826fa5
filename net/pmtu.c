/* The path-MTU cache: a few destinations, the oldest forgotten first. */
#include "pmtu.h"
#include "stack.h"

static struct {
	uint32_t dst;
	uint16_t mtu; /* 0: free */
	uint64_t learnt;
} cache[PMTU_ENTRIES];

static int slot_of(uint32_t dst)
{
	uint64_t now = net_now();
	for (int i = 0; i < PMTU_ENTRIES; i++) {
		if (cache[i].mtu && now - cache[i].learnt >= PMTU_AGE_NS)
			cache[i].mtu = 0;
		if (cache[i].mtu && cache[i].dst == dst)
			return i;
	}
	return -1;
}

uint16_t pmtu_get(uint32_t dst)
{
	int i = slot_of(dst);
	return i < 0 ? 0 : cache[i].mtu;
}

void pmtu_learn(uint32_t dst, uint32_t mtu)
{
	if (mtu < PMTU_MIN)
		mtu = PMTU_MIN;
	int i = slot_of(dst);
	if (i >= 0 && cache[i].mtu <= mtu)
		return;
	if (i < 0) {
		i = 0;
		for (int j = 0; j < PMTU_ENTRIES; j++) {
			if (!cache[j].mtu) {
				i = j;
				break;
			}
			if (cache[j].learnt < cache[i].learnt)
				i = j;
		}
	}
	cache[i].dst = dst;
	cache[i].mtu = (uint16_t)(mtu > 65535 ? 65535 : mtu);
	cache[i].learnt = net_now();
}
