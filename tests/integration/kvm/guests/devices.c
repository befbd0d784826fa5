/* A test guest for the kvm backend's devices, through the platform seam
 * that the core uses: the first word of the command line picks the test.
 *   block           write, read back and verify sectors of disk 0
 *   clock SECONDS   check both clocks and a timed poll against the host
 *   net-echo IP     answer ARP for IP and echo test frames on interface 0 */
#include <unilab/errno.h>

#include "guest_util.h"

#define SECTOR 512
#define TEST_SECTORS 8
#define HOST_SECTOR 9 /* the host wrote "host sector 9" here */

static uint8_t buf[TEST_SECTORS * SECTOR];

static uint8_t pattern(uint64_t sector, unsigned i)
{
	return (uint8_t)(sector * 31 + i * 7 + 1);
}

static void test_block(void)
{
	struct ul_block_info info;
	static const char host_text[] = "host sector 9";

	CHECK(ul_plat_block_info(0, &info) == 0);
	CHECK(info.sector_size == SECTOR);
	CHECK(info.sectors >= 16);
	CHECK(!info.read_only);
	CHECK(ul_plat_block_info(1, &info) == -UL_ENODEV);

	/* What the host put there reaches us. */
	CHECK(ul_plat_block_read(0, HOST_SECTOR, buf, 1) == 0);
	for (unsigned i = 0; i < sizeof(host_text) - 1; i++)
		CHECK(buf[i] == (uint8_t)host_text[i]);

	/* Sectors 1..8 in one write, then back one at a time. */
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = pattern(1 + i / SECTOR, i % SECTOR);
	CHECK(ul_plat_block_write(0, 1, buf, TEST_SECTORS) == 0);
	for (uint64_t s = 1; s <= TEST_SECTORS; s++) {
		for (unsigned i = 0; i < SECTOR; i++)
			buf[i] = 0;
		CHECK(ul_plat_block_read(0, s, buf, 1) == 0);
		for (unsigned i = 0; i < SECTOR; i++)
			CHECK(buf[i] == pattern(s, i));
	}

	/* The last sector works; one past it, or a range that runs past
	 * the end, is refused without touching anything. */
	CHECK(ul_plat_block_write(0, info.sectors - 1, buf, 1) == 0);
	CHECK(ul_plat_block_read(0, info.sectors, buf, 1) == -UL_EINVAL);
	CHECK(ul_plat_block_write(0, info.sectors - 1, buf, 2) == -UL_EINVAL);
	CHECK(ul_plat_block_read(0, UINT64_MAX, buf, 1) == -UL_EINVAL);
	CHECK(ul_plat_block_read(3, 0, buf, 1) == -UL_ENODEV);
	say("block ok\n");
}

static void test_clock(uint64_t host_wall_s)
{
	uint64_t t0 = ul_plat_clock_monotonic();
	uint64_t t1 = ul_plat_clock_monotonic();
	uint64_t wall_s = ul_plat_clock_wall() / 1000000000u;

	CHECK(t1 >= t0);
	/* The host read its clock just before starting us. */
	CHECK(wall_s + 5 >= host_wall_s && wall_s <= host_wall_s + 5);

	/* A poll with no devices sleeps until the deadline (or wakes early,
	 * which the caller must tolerate: then poll again). */
	uint64_t deadline = t1 + 50000000u;
	while (ul_plat_clock_monotonic() < deadline)
		CHECK(ul_plat_poll(deadline, 0) == 0);
	uint64_t slept = ul_plat_clock_monotonic() - t1;
	CHECK(slept >= 50000000u && slept < 2000000000u);
	CHECK(ul_plat_poll(0, 0) == 0); /* a deadline in the past: no sleep */
	say("clock ok: slept ");
	say_num(slept / 1000000u);
	say(" ms\n");
}

/* --- net-echo --- */

#define ETH_ARP 0x0806
#define ETH_TEST 0x88b5 /* IEEE "local experimental" EtherType */
#define FRAME_MAX 1514

static uint8_t frame[FRAME_MAX];
static uint8_t my_ip[4];

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void copy(uint8_t *dst, const uint8_t *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

static int parse_ip(const char *s, uint8_t ip[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			v = v * 10 + (unsigned)(*s++ - '0');
		if (v > 255 || (i < 3 && *s++ != '.'))
			return -1;
		ip[i] = (uint8_t)v;
	}
	return *s ? -1 : 0;
}

/* An ARP request for my_ip becomes the reply, in place (RFC 826). */
static int answer_arp(uint8_t *f, long len, const uint8_t mac[6])
{
	uint8_t *arp = f + 14;

	if (len < 42 || get16(arp + 6) != 1 || arp[24] != my_ip[0] ||
	    arp[25] != my_ip[1] || arp[26] != my_ip[2] || arp[27] != my_ip[3])
		return 0;
	copy(f, f + 6, 6);  /* to the asker */
	copy(f + 6, mac, 6);
	arp[7] = 2;         /* reply */
	copy(arp + 18, arp + 8, 10); /* target = the asker's MAC and IP */
	copy(arp + 8, mac, 6);
	copy(arp + 14, my_ip, 4);
	return 1;
}

/* A test frame comes back with the addresses swapped; one that says
 * "quit" ends the test. */
static int echo_test_frame(uint8_t *f, long len, const uint8_t mac[6])
{
	copy(f, f + 6, 6);
	copy(f + 6, mac, 6);
	return len >= 18 && f[14] == 'q' && f[15] == 'u' && f[16] == 'i' &&
	       f[17] == 't';
}

static void test_net(const char *ip)
{
	struct ul_net_info info, none;
	int quit = 0;

	CHECK(parse_ip(ip, my_ip) == 0);
	CHECK(ul_plat_net_info(0, &info) == 0);
	CHECK(info.mtu >= 576);
	CHECK(ul_plat_net_info(UL_MAX_NET, &none) == -UL_ENODEV);
	CHECK(ul_plat_net_send(0, frame, 10) == -UL_EINVAL);
	CHECK(ul_plat_net_recv(5, frame, sizeof(frame)) == -UL_ENODEV);
	say("net ready\n");

	uint64_t give_up = ul_plat_clock_monotonic() + 20000000000ull;
	while (!quit) {
		CHECK(ul_plat_clock_monotonic() < give_up);
		long n = ul_plat_net_recv(0, frame, sizeof(frame));
		if (n == -UL_EAGAIN) {
			ul_plat_poll(give_up, UL_READY_NET(0));
			continue;
		}
		CHECK(n > 0);
		int reply = 0;
		if (get16(frame + 12) == ETH_ARP) {
			reply = answer_arp(frame, n, info.mac);
		} else if (get16(frame + 12) == ETH_TEST) {
			quit = echo_test_frame(frame, n, info.mac);
			reply = 1;
		}
		if (reply)
			CHECK(ul_plat_net_send(0, frame, (size_t)n) == n);
	}
	say("net done\n");
}

_Noreturn void ul_boot(const struct ul_boot_info *info)
{
	char store[256];
	const char *w[MAX_WORDS];
	int n = split_words(info->cmdline, store, w);

	if (n >= 1 && t_streq(w[0], "block"))
		test_block();
	else if (n >= 2 && t_streq(w[0], "clock"))
		test_clock(parse_u64(w[1]));
	else if (n >= 2 && t_streq(w[0], "net-echo"))
		test_net(w[1]);
	else {
		say("devices guest: usage: block | clock SECONDS | net-echo IP\n");
		ul_plat_exit(2);
	}
	ul_plat_exit(0);
}
