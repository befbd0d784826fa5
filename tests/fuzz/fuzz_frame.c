/* The fuzz target: arbitrary frames into the whole stack, through the same
 * seam the unit tests use (a netif whose output is captured). One input
 * is a script of records, [ctl][len hi][len lo][frame], so the fuzzer can
 * hold a conversation; bytes that do not parse as a record are one last
 * frame. ctl bits:
 *   0x01  fix the IPv4 header and transport checksums before injecting
 *         (or nearly every mutation dies at the first checksum)
 *   0x02  set a TCP segment's ACK to cover the last segment we sent
 *   0x04  afterwards move the clock by (ctl >> 4) * 250 ms, firing timers
 *   0x08  afterwards let the "app" act: accept, read, write, close
 *   0x80  keep the input's Ethernet addresses (else: to us, from the
 *         peer, since frames for other MACs teach the fuzzer little)
 * State lives on from input to input, as in a running image; every bound
 * in the stack keeps it from growing. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/timer.h>
#include "checksum.h"
#include "netif.h"
#include "sched.h"
#include "stack.h"
#include "wire.h"

#define OUR_IP UL_IP(10, 0, 0, 2)
#define PEER_IP UL_IP(10, 0, 0, 1)
#define ARENA (64u << 20)
#define MAX_FRAME 9000
#define MAX_ACCEPTED 16
#define CLIENT_PORT 50000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t peer_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static struct netif nif;
static uint64_t now = 1000000000ull;
static uint32_t last_seq_end; /* right edge of our last TCP segment */
static int udp_fd, listen_fd, ping_fd, client_fd;
static int accepted[MAX_ACCEPTED];
static unsigned naccepted;

static uint64_t fake_clock(void)
{
	return now;
}

/* Remember where our last TCP segment ends, for ctl 0x02. */
static int output(struct netif *n, const void *frame, size_t len)
{
	const uint8_t *f = frame;
	(void)n;
	if (len < 14 + 20 + 20 || rd16(f + 12) != 0x0800 || f[14 + 9] != 6)
		return 0;
	size_t ihl = (size_t)(f[14] & 0xf) * 4;
	const uint8_t *t = f + 14 + ihl;
	size_t tlen = rd16(f + 16) - ihl;
	size_t payload = tlen - (size_t)(t[12] >> 4) * 4;
	last_seq_end = rd32(t + 4) + (uint32_t)payload +
	               !!(t[13] & 0x02) + !!(t[13] & 0x01);
	return 0;
}

static void setup(void)
{
	void *arena = aligned_alloc(UL_PAGE_SIZE, ARENA);
	if (!arena)
		abort();
	ul_page_init(arena, ARENA);
	ul_sched_init();
	net_clock = fake_clock;
	memcpy(nif.mac, our_mac, 6);
	nif.mtu = 1500;
	nif.output = output;
	netif_add(&nif);
	netif_set_addr(&nif, OUR_IP, 24);
	net_gateway = PEER_IP;
	net_dns = PEER_IP;

	struct ul_sockaddr a = {0, 7};
	udp_fd = ul_socket(UL_SOCK_DGRAM);
	ul_bind(udp_fd, &a);
	ul_setsockopt(udp_fd, UL_SO_NONBLOCK, 1);
	a.port = 80;
	listen_fd = ul_socket(UL_SOCK_STREAM);
	ul_bind(listen_fd, &a);
	ul_listen(listen_fd, 8);
	ul_setsockopt(listen_fd, UL_SO_NONBLOCK, 1);
	ping_fd = ul_socket(UL_SOCK_PING);
	ul_setsockopt(ping_fd, UL_SO_NONBLOCK, 1);
	client_fd = ul_socket(UL_SOCK_STREAM);
	ul_setsockopt(client_fd, UL_SO_NONBLOCK, 1);
	a.port = CLIENT_PORT; /* fixed, so a seed can answer its SYN */
	ul_bind(client_fd, &a);
	struct ul_sockaddr to = {PEER_IP, 8080};
	ul_connect(client_fd, &to);
}

/* The checksums a well-formed frame would carry. */
static void fix_checksums(uint8_t *f, size_t len)
{
	if (len < 14 + 20 || rd16(f + 12) != 0x0800)
		return;
	uint8_t *h = f + 14;
	size_t ihl = (size_t)(h[0] & 0xf) * 4;
	if (ihl < 20 || 14 + ihl > len)
		return;
	size_t total = rd16(h + 2);
	if (total < ihl || 14 + total > len)
		total = len - 14;
	wr16(h + 10, 0);
	wr16(h + 10, csum(h, ihl));
	if (rd16(h + 6) & 0x3fff)
		return; /* a fragment: the sum covers the whole datagram */
	uint8_t *t = h + ihl;
	size_t tlen = total - ihl;
	size_t at = h[9] == 6 ? 16 : h[9] == 17 ? 6 : h[9] == 1 ? 2 : 0;
	if (!at || tlen < at + 2)
		return;
	wr16(t + at, 0);
	uint32_t sum = h[9] == 1 ? 0 : csum_pseudo(rd32(h + 12), rd32(h + 16),
	                                           h[9], (uint16_t)tlen);
	wr16(t + at, csum_finish(csum_add(sum, t, tlen)));
}

static void set_ack(uint8_t *f, size_t len)
{
	if (len < 14 + 20 + 20 || rd16(f + 12) != 0x0800 || f[14 + 9] != 6)
		return;
	size_t ihl = (size_t)(f[14] & 0xf) * 4;
	if (14 + ihl + 20 <= len)
		wr32(f + 14 + ihl + 8, last_seq_end);
}

static void app_step(void)
{
	static uint8_t buf[4096];
	int fd;
	while ((fd = ul_accept(listen_fd, NULL)) >= 0) {
		ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
		if (naccepted == MAX_ACCEPTED) {
			ul_close(accepted[0]);
			memmove(accepted, accepted + 1,
			        (MAX_ACCEPTED - 1) * sizeof accepted[0]);
			naccepted--;
		}
		accepted[naccepted++] = fd;
	}
	for (unsigned i = 0; i < naccepted; i++) {
		long n = ul_recv(accepted[i], buf, sizeof buf, 0);
		if (n > 0)
			ul_send(accepted[i], buf, (size_t)n, 0);
		else if (n == 0)
			ul_shutdown(accepted[i], UL_SHUT_WR);
	}
	struct ul_sockaddr from;
	long n = ul_recvfrom(udp_fd, buf, sizeof buf, 0, &from);
	if (n >= 0)
		ul_sendto(udp_fd, buf, (size_t)n, 0, &from);
	ul_recv(ping_fd, buf, sizeof buf, 0);
	ul_send(client_fd, "ping", 4, 0);
	ul_recv(client_fd, buf, sizeof buf, 0);
}

static void advance(uint64_t ns)
{
	uint64_t end = now + ns;
	for (int guard = 0; guard < 100000; guard++) {
		uint64_t next = ul_timers_run(now);
		if (next > end)
			break;
		if (next > now)
			now = next;
	}
	now = end;
}

static void feed(uint8_t ctl, const uint8_t *frame, size_t len)
{
	static uint8_t f[MAX_FRAME];
	if (len > sizeof f)
		len = sizeof f;
	memcpy(f, frame, len);
	if (len >= 12 && !(ctl & 0x80)) {
		memcpy(f, our_mac, 6);
		memcpy(f + 6, peer_mac, 6);
	}
	if (ctl & 0x02)
		set_ack(f, len);
	if (ctl & 0x01)
		fix_checksums(f, len);
	netif_receive(&nif, f, len);
	if (ctl & 0x04)
		advance((uint64_t)(ctl >> 4 & 0x7) * 250000000ull + 1);
	if (ctl & 0x08)
		app_step();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static unsigned inputs;
	if (!ready) {
		setup();
		ready = true;
	}
	while (size >= 3) {
		size_t len = (size_t)data[1] << 8 | data[2];
		if (len > size - 3)
			break;
		feed(data[0], data + 3, len);
		data += 3 + len;
		size -= 3 + len;
	}
	if (size)
		feed(0x01, data, size);
	if (++inputs % 256 == 0)
		ul_heap_check();
	return 0;
}

void fuzz_report(void);

/* For fuzz_replay: what the stack did with the inputs. */
void fuzz_report(void)
{
	struct ul_net_stats st;
	ul_net_stats(&st);
	printf("fuzz_frame: %llu frames in, %llu out, dropped: eth %llu ip %llu "
	       "(checksum %llu) tcp %llu udp %llu icmp %llu\n",
	       (unsigned long long)st.eth_in, (unsigned long long)st.eth_out,
	       (unsigned long long)st.eth_drop, (unsigned long long)st.ip_drop,
	       (unsigned long long)st.ip_csum_err,
	       (unsigned long long)st.tcp_drop, (unsigned long long)st.udp_drop,
	       (unsigned long long)st.icmp_drop);
}
