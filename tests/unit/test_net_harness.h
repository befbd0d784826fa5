/* What the network unit tests share: a fake interface that records every
 * frame the stack sends, builders for the frames a peer would send, a
 * parser for what comes back, and a clock the tests move by hand (the
 * stack reads time through net_clock; ul_timers_run fires its timers). */
#ifndef TEST_NET_HARNESS_H
#define TEST_NET_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/timer.h>
#include "checksum.h"
#include "netif.h"
#include "sched.h"
#include "stack.h"
#include "wire.h"

#define OUR_IP UL_IP(10, 0, 0, 2)
#define PEER_IP UL_IP(10, 0, 0, 1)
#define FAR_IP UL_IP(192, 0, 2, 7) /* reached through the gateway */
#define MAX_CAPTURE 1024
#define FRAME_MAX 2048

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};

struct captured {
	uint8_t data[FRAME_MAX];
	size_t len;
};

static struct captured *cap;
static unsigned cap_head, cap_count;
static uint64_t fake_now;
static struct netif test_if;

static inline int capture_output(struct netif *nif, const void *frame,
                                 size_t len)
{
	(void)nif;
	ck_assert_uint_lt(cap_count, MAX_CAPTURE);
	ck_assert_uint_le(len, FRAME_MAX);
	struct captured *c = &cap[(cap_head + cap_count++) % MAX_CAPTURE];
	memcpy(c->data, frame, len);
	c->len = len;
	return 0;
}

static inline uint64_t fake_clock(void)
{
	return fake_now;
}

/* A heap, the scheduler, the fake interface as 10.0.0.2/24 with gateway
 * 10.0.0.1, and (if fake_time) the hand-moved clock. */
static inline void harness_init(bool fake_time)
{
	size_t arena_size = 64u << 20;
	void *arena = aligned_alloc(UL_PAGE_SIZE, arena_size);
	ck_assert_ptr_nonnull(arena);
	ul_page_init(arena, arena_size);
	ul_sched_init();
	cap = calloc(MAX_CAPTURE, sizeof *cap);
	ck_assert_ptr_nonnull(cap);
	if (fake_time) {
		fake_now = 1000000000ull;
		net_clock = fake_clock;
	}
	memcpy(test_if.mac, our_mac, 6);
	test_if.mtu = 1500;
	test_if.output = capture_output;
	ck_assert_int_eq(netif_add(&test_if), 0);
	netif_set_addr(&test_if, OUR_IP, 24);
	net_gateway = PEER_IP;
}

/* Move the fake clock on by ns, firing every timer that comes due, each
 * at its own deadline. */
static inline void advance(uint64_t ns)
{
	uint64_t end = fake_now + ns;
	for (;;) {
		uint64_t next = ul_timers_run(fake_now);
		if (next > end)
			break;
		if (next > fake_now)
			fake_now = next;
	}
	fake_now = end;
}

static inline unsigned frames_sent(void)
{
	return cap_count;
}

static inline void clear_frames(void)
{
	cap_count = 0;
}

/* The oldest frame the stack sent (removed), or NULL. */
static inline const struct captured *next_frame(void)
{
	if (!cap_count)
		return NULL;
	const struct captured *c = &cap[cap_head];
	cap_head = (cap_head + 1) % MAX_CAPTURE;
	cap_count--;
	return c;
}

static inline void inject(const uint8_t *frame, size_t len)
{
	netif_receive(&test_if, frame, len);
}

/* Frames a peer sends. Each returns the frame's length. */
static inline size_t put_eth(uint8_t *f, const uint8_t *dst,
                             const uint8_t *src, uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	wr16(f + 12, type);
	return 14;
}

/* An IPv4 datagram from the peer's MAC: header (with id and the
 * fragment field), then payload. */
static inline size_t make_ip_frag(uint8_t *f, uint32_t src, uint32_t dst,
                                  uint8_t proto, const void *payload,
                                  size_t len, uint16_t id, uint16_t frag)
{
	put_eth(f, our_mac, peer_mac, 0x0800);
	uint8_t *h = f + 14;
	memset(h, 0, 20);
	h[0] = 0x45;
	wr16(h + 2, (uint16_t)(20 + len));
	wr16(h + 4, id);
	wr16(h + 6, frag);
	h[8] = 64;
	h[9] = proto;
	wr32(h + 12, src);
	wr32(h + 16, dst);
	wr16(h + 10, csum(h, 20));
	memcpy(h + 20, payload, len);
	return 14 + 20 + len;
}

static inline size_t make_ip(uint8_t *f, uint32_t src, uint32_t dst,
                             uint8_t proto, const void *payload, size_t len)
{
	return make_ip_frag(f, src, dst, proto, payload, len, 0x1234, 0);
}

static inline size_t make_udp(uint8_t *f, uint32_t src, uint16_t sport,
                              uint32_t dst, uint16_t dport,
                              const void *data, size_t len)
{
	uint8_t u[FRAME_MAX];
	wr16(u, sport);
	wr16(u + 2, dport);
	wr16(u + 4, (uint16_t)(8 + len));
	wr16(u + 6, 0);
	memcpy(u + 8, data, len);
	uint16_t sum = csum_finish(csum_add(
		csum_pseudo(src, dst, 17, (uint16_t)(8 + len)), u, 8 + len));
	wr16(u + 6, sum ? sum : 0xffff);
	return make_ip(f, src, dst, 17, u, 8 + len);
}

struct tcp_spec {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	const uint8_t *opts; /* a multiple of 4 bytes */
	size_t optlen;
	const void *data;
	size_t len;
};

static inline size_t make_tcp(uint8_t *f, const struct tcp_spec *s)
{
	uint8_t t[FRAME_MAX];
	size_t hlen = 20 + s->optlen;
	memset(t, 0, 20);
	wr16(t, s->sport);
	wr16(t + 2, s->dport);
	wr32(t + 4, s->seq);
	wr32(t + 8, s->ack);
	t[12] = (uint8_t)(hlen / 4 << 4);
	t[13] = s->flags;
	wr16(t + 14, s->wnd);
	if (s->optlen)
		memcpy(t + 20, s->opts, s->optlen);
	if (s->len)
		memcpy(t + hlen, s->data, s->len);
	wr16(t + 16, csum_finish(csum_add(
		csum_pseudo(PEER_IP, OUR_IP, 6, (uint16_t)(hlen + s->len)), t,
		hlen + s->len)));
	return make_ip(f, PEER_IP, OUR_IP, 6, t, hlen + s->len);
}

static inline void inject_tcp(const struct tcp_spec *s)
{
	uint8_t f[FRAME_MAX];
	inject(f, make_tcp(f, s));
}

/* What a sent frame says. */
struct parsed {
	uint16_t eth_type;
	uint32_t src, dst;
	uint8_t proto;
	uint16_t ip_id, frag;
	const uint8_t *l4; /* transport header */
	size_t l4_len;
	/* TCP */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;
	int mss, wscale; /* -1 when absent */
	bool sack_permitted;
	unsigned nsack;
	uint32_t sack[4][2]; /* SACK blocks, in the order sent */
	const uint8_t *data;
	size_t len;
};

static inline void parse_frame(const struct captured *c, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	p->mss = p->wscale = -1;
	ck_assert_uint_ge(c->len, 14);
	p->eth_type = rd16(c->data + 12);
	if (p->eth_type != 0x0800)
		return;
	const uint8_t *h = c->data + 14;
	size_t hlen = (size_t)(h[0] & 0xf) * 4;
	ck_assert_uint_eq(csum(h, hlen), 0);
	ck_assert_uint_eq(rd16(h + 2) + 14u, c->len);
	p->src = rd32(h + 12);
	p->dst = rd32(h + 16);
	p->proto = h[9];
	p->ip_id = rd16(h + 4);
	p->frag = rd16(h + 6);
	p->l4 = h + hlen;
	p->l4_len = rd16(h + 2) - hlen;
	if (p->proto != 6)
		return;
	const uint8_t *t = p->l4;
	ck_assert_uint_eq(csum_finish(csum_add(csum_pseudo(p->src, p->dst, 6,
	                                       (uint16_t)p->l4_len),
	                              t, p->l4_len)), 0);
	size_t thlen = (size_t)(t[12] >> 4) * 4;
	p->sport = rd16(t);
	p->dport = rd16(t + 2);
	p->seq = rd32(t + 4);
	p->ack = rd32(t + 8);
	p->flags = t[13];
	p->wnd = rd16(t + 14);
	for (size_t i = 20; i < thlen;) {
		if (t[i] == 0)
			break;
		if (t[i] == 1) {
			i++;
			continue;
		}
		if (t[i] == 2)
			p->mss = rd16(t + i + 2);
		if (t[i] == 3)
			p->wscale = t[i + 2];
		if (t[i] == 4)
			p->sack_permitted = true;
		for (unsigned b = 0; t[i] == 5 && b < (t[i + 1] - 2u) / 8; b++) {
			p->sack[b][0] = rd32(t + i + 2 + 8 * b);
			p->sack[b][1] = rd32(t + i + 6 + 8 * b);
			p->nsack = b + 1;
		}
		i += t[i + 1];
	}
	p->data = t + thlen;
	p->len = p->l4_len - thlen;
}

/* The next frame, which must be TCP. */
static inline void expect_tcp(struct parsed *p)
{
	const struct captured *c = next_frame();
	ck_assert_msg(c != NULL, "expected a TCP segment, none was sent");
	parse_frame(c, p);
	ck_assert_uint_eq(p->proto, 6);
}

/* Throw away every frame sent so far; return how many were TCP. */
static inline unsigned drain_tcp(void)
{
	unsigned n = 0;
	const struct captured *c;
	while ((c = next_frame())) {
		struct parsed p;
		parse_frame(c, &p);
		n += p.eth_type == 0x0800 && p.proto == 6;
	}
	return n;
}

/* Teach the ARP cache the peer's MAC: it asks for us, we answer. */
static inline void learn_peer(void)
{
	uint8_t f[64];
	size_t n = put_eth(f, (const uint8_t *)"\xff\xff\xff\xff\xff\xff",
	                   peer_mac, 0x0806);
	uint8_t *a = f + n;
	wr16(a, 1);
	wr16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	wr16(a + 6, 1);
	memcpy(a + 8, peer_mac, 6);
	wr32(a + 14, PEER_IP);
	memset(a + 18, 0, 6);
	wr32(a + 24, OUR_IP);
	inject(f, n + 28);
	clear_frames();
}

#endif
