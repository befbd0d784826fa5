/* SYN cookies (RFC 4987 3.6). When a listener's half-open queue is full,
 * its SYN-ACK's sequence number carries what the connection needs and a
 * keyed hash of it, so nothing is kept until the peer's ACK brings the
 * number back: a SYN flood cannot crowd legitimate clients out. Such
 * connections remember only the peer's MSS (coarsely); window scaling and
 * SACK stay off, as there is no room in 32 bits to remember them. */
#include "stack.h"
#include "tcp.h"

/* Layout: 5 bits of a clock ticking every 64 s, 3 bits of MSS index, 24
 * bits of hash. A cookie is good in the tick it was made and the next. */
#define COOKIE_TICK_NS (64ull * 1000 * 1000 * 1000)
#define TICK_SHIFT 27
#define MSS_SHIFT 24
#define HASH_MASK 0xffffffu

/* Common MSS values, low to high: the peer's is rounded down to one. */
static const uint16_t mss_table[8] = {536, 1220, 1360, 1400, 1440, 1452,
                                      1460, 8960};

static uint32_t tick_now(void)
{
	return (uint32_t)(net_now() / COOKIE_TICK_NS);
}

static uint32_t cookie_hash(uint32_t laddr, uint16_t lport, uint32_t raddr,
                            uint16_t rport, uint32_t isn, uint32_t tick)
{
	uint32_t conn = net_hash(laddr, raddr, (uint32_t)lport << 16 | rport);
	return net_hash(conn, isn, tick) & HASH_MASK;
}

uint32_t tcp_cookie_make(uint32_t laddr, uint16_t lport, uint32_t raddr,
                         uint16_t rport, uint32_t isn, uint16_t mss)
{
	uint32_t i = 7, tick = tick_now();
	while (i > 0 && mss_table[i] > mss)
		i--;
	return (tick & 31) << TICK_SHIFT | i << MSS_SHIFT |
	       cookie_hash(laddr, lport, raddr, rport, isn, tick);
}

uint16_t tcp_cookie_check(uint32_t laddr, uint16_t lport, uint32_t raddr,
                          uint16_t rport, uint32_t isn, uint32_t cookie)
{
	uint32_t now = tick_now();
	for (uint32_t back = 0; back < 2 && back <= now; back++) {
		uint32_t tick = now - back;
		if ((cookie >> TICK_SHIFT) == (tick & 31) &&
		    (cookie & HASH_MASK) ==
		            cookie_hash(laddr, lport, raddr, rport, isn, tick))
			return mss_table[(cookie >> MSS_SHIFT) & 7];
	}
	return 0;
}
