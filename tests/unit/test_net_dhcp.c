/* Unit tests of the DHCP client (net/dhcp_msg.c, dhcp.c): the messages it
 * builds, the replies it accepts or refuses, and whole exchanges with a
 * scripted server: lease, NAK, renewal and expiry. */
#include "run_suite.h"
#include "test_net_harness.h"

#include <unilab/errno.h>
#include <unilab/thread.h>
#include "dhcp.h"

#define SERVER PEER_IP
#define LEASED UL_IP(10, 0, 0, 50)
#define COOKIE 0x63825363u

static void setup(void)
{
	harness_init(true);
}

/* A server reply to xid: its fixed part, then options as given. */
static size_t server_reply(uint8_t *m, uint32_t xid, uint32_t yiaddr,
                           const uint8_t *opts, size_t optlen)
{
	memset(m, 0, 240);
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	wr32(m + 4, xid);
	wr32(m + 16, yiaddr);
	memcpy(m + 28, our_mac, 6);
	wr32(m + 236, COOKIE);
	memcpy(m + 240, opts, optlen);
	return 240 + optlen;
}

static const uint8_t offer_opts[] = {
	53, 1, DHCP_OFFER, 54, 4, 10, 0, 0, 1, 51, 4, 0, 0, 0x0e, 0x10,
	1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 0, 1, 6, 8, 10, 0, 0, 53, 8, 8,
	8, 8, 0, 0, 255};

START_TEST(discover_has_what_rfc2131_asks)
{
	struct dhcp_msg m = {.xid = 0xabcdef01, .flags = 0x8000,
	                     .type = DHCP_DISCOVER};
	memcpy(m.chaddr, our_mac, 6);
	uint8_t buf[DHCP_MAX_LEN];
	size_t n = dhcp_build(&m, buf, sizeof buf);
	ck_assert_uint_eq(n, DHCP_MIN_LEN);
	ck_assert_uint_eq(buf[0], 1);
	ck_assert_uint_eq(buf[1], 1);
	ck_assert_uint_eq(buf[2], 6);
	ck_assert_uint_eq(rd32(buf + 4), 0xabcdef01);
	ck_assert_uint_eq(rd16(buf + 10), 0x8000);
	ck_assert_mem_eq(buf + 28, our_mac, 6);
	ck_assert_uint_eq(rd32(buf + 236), COOKIE);
	ck_assert_uint_eq(buf[240], 53);
	ck_assert_uint_eq(buf[242], DHCP_DISCOVER);
	/* A request is a reply as far as the parser goes: it is not. */
	struct dhcp_msg back;
	ck_assert_int_eq(dhcp_parse(buf, n, &back), -UL_EINVAL);
	ck_assert_uint_eq(dhcp_build(&m, buf, 100), 0);
}
END_TEST

START_TEST(request_names_the_offer_and_the_server)
{
	struct dhcp_msg m = {.xid = 7, .type = DHCP_REQUEST,
	                     .requested_ip = LEASED, .server_id = SERVER};
	uint8_t buf[DHCP_MAX_LEN];
	size_t n = dhcp_build(&m, buf, sizeof buf);
	bool req = false, sid = false;
	for (size_t i = 240; i < n && buf[i] != 255;) {
		if (buf[i] == 0) {
			i++;
			continue;
		}
		if (buf[i] == 50)
			req = rd32(buf + i + 2) == LEASED;
		if (buf[i] == 54)
			sid = rd32(buf + i + 2) == SERVER;
		i += 2u + buf[i + 1];
	}
	ck_assert(req && sid);
}
END_TEST

START_TEST(offer_is_parsed)
{
	uint8_t buf[DHCP_MAX_LEN];
	size_t n = server_reply(buf, 99, LEASED, offer_opts, sizeof offer_opts);
	struct dhcp_msg m;
	ck_assert_int_eq(dhcp_parse(buf, n, &m), 0);
	ck_assert_uint_eq(m.type, DHCP_OFFER);
	ck_assert_uint_eq(m.xid, 99);
	ck_assert_uint_eq(m.yiaddr, LEASED);
	ck_assert_uint_eq(m.server_id, SERVER);
	ck_assert_uint_eq(m.lease, 3600);
	ck_assert_uint_eq(m.subnet_mask, 0xffffff00);
	ck_assert_uint_eq(m.router, SERVER);
	ck_assert_uint_eq(m.dns, UL_IP(10, 0, 0, 53)); /* the first one */
	ck_assert_mem_eq(m.chaddr, our_mac, 6);
}
END_TEST

START_TEST(malformed_replies_are_refused)
{
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_msg m;
	size_t n = server_reply(buf, 1, LEASED, offer_opts, sizeof offer_opts);
	ck_assert_int_eq(dhcp_parse(buf, 239, &m), -UL_EINVAL);
	ck_assert_int_eq(dhcp_parse(buf, n - 1, &m), -UL_EINVAL); /* no END */
	buf[236] = 0;
	ck_assert_int_eq(dhcp_parse(buf, n, &m), -UL_EINVAL); /* cookie */
	static const uint8_t overrun[] = {53, 1, 2, 51, 40, 0, 0};
	n = server_reply(buf, 1, LEASED, overrun, sizeof overrun);
	ck_assert_int_eq(dhcp_parse(buf, n, &m), -UL_EINVAL);
	static const uint8_t no_type[] = {54, 4, 10, 0, 0, 1, 255};
	n = server_reply(buf, 1, LEASED, no_type, sizeof no_type);
	ck_assert_int_eq(dhcp_parse(buf, n, &m), -UL_EINVAL);
	/* Wrong-sized options are skipped, not trusted. */
	static const uint8_t odd[] = {53, 1, 5, 54, 2, 1, 2, 51, 0, 255};
	n = server_reply(buf, 1, LEASED, odd, sizeof odd);
	ck_assert_int_eq(dhcp_parse(buf, n, &m), 0);
	ck_assert_uint_eq(m.server_id, 0);
	ck_assert_uint_eq(m.lease, 0);
}
END_TEST

/* Exchanges with a scripted server, with the client's thread. */
static void setup_live(void)
{
	harness_init(false);
	netif_set_addr(&test_if, 0, 0);
	test_if.dhcp = 1;
	net_gateway = 0;
	learn_peer();
}

/* The next DHCP message the client sends (waiting for it), parsed as a
 * client message: type and xid. */
static void expect_client_msg(uint8_t type, uint32_t *xid, uint32_t *ciaddr)
{
	uint64_t deadline = ul_now() + 5 * UL_S;
	const struct captured *c;
	for (;;) {
		while (frames_sent() == 0) {
			ck_assert_uint_lt(ul_now(), deadline);
			ul_sleep(UL_MS);
		}
		c = next_frame();
		if (rd16(c->data + 12) == 0x0800)
			break;
	}
	struct parsed p;
	parse_frame(c, &p);
	ck_assert_uint_eq(p.proto, 17);
	ck_assert_uint_eq(rd16(p.l4), 68);
	ck_assert_uint_eq(rd16(p.l4 + 2), 67);
	const uint8_t *m = p.l4 + 8;
	ck_assert_uint_eq(m[0], 1);
	ck_assert_uint_eq(m[242], type);
	*xid = rd32(m + 4);
	if (ciaddr)
		*ciaddr = rd32(m + 12);
}

static void answer(uint32_t xid, uint8_t type, uint32_t lease, uint32_t t1)
{
	uint8_t opts[sizeof offer_opts + 6];
	memcpy(opts, offer_opts, sizeof offer_opts);
	opts[2] = type;
	wr32(opts + 11, lease);
	size_t n = sizeof offer_opts - 1;
	if (t1) {
		opts[n++] = 58;
		opts[n++] = 4;
		wr32(opts + n, t1);
		n += 4;
	}
	opts[n++] = 255;
	uint8_t msg[DHCP_MAX_LEN], f[FRAME_MAX];
	size_t len = server_reply(msg, xid, type == DHCP_NAK ? 0 : LEASED,
	                          opts, n);
	inject(f, make_udp(f, SERVER, 67, UL_IP_BROADCAST, 68, msg, len));
}

static void lease(uint32_t seconds, uint32_t t1)
{
	uint32_t xid;
	ck_assert_int_eq(dhcp_start(&test_if), 0);
	expect_client_msg(DHCP_DISCOVER, &xid, NULL);
	answer(xid + 1, DHCP_OFFER, seconds, t1); /* someone else's */
	answer(xid, DHCP_OFFER, seconds, t1);
	expect_client_msg(DHCP_REQUEST, &xid, NULL);
	answer(xid, DHCP_ACK, seconds, t1);
	ck_assert_int_eq(dhcp_wait_bound(ul_deadline_after(UL_S)), 0);
}

START_TEST(client_leases_an_address)
{
	lease(3600, 0);
	ck_assert_uint_eq(test_if.addr, LEASED);
	ck_assert_uint_eq(test_if.prefix, 24);
	ck_assert_uint_eq(net_gateway, SERVER);
	ck_assert_uint_eq(net_dns, UL_IP(10, 0, 0, 53));
}
END_TEST

START_TEST(nak_sends_the_client_back_to_discover)
{
	uint32_t xid;
	ck_assert_int_eq(dhcp_start(&test_if), 0);
	expect_client_msg(DHCP_DISCOVER, &xid, NULL);
	answer(xid, DHCP_OFFER, 60, 0);
	expect_client_msg(DHCP_REQUEST, &xid, NULL);
	answer(xid, DHCP_NAK, 60, 0);
	expect_client_msg(DHCP_DISCOVER, &xid, NULL);
	ck_assert_uint_eq(test_if.addr, 0);
}
END_TEST

START_TEST(lease_is_renewed_at_t1)
{
	lease(4, 1);
	uint32_t xid, ciaddr;
	uint64_t t0 = ul_now();
	expect_client_msg(DHCP_REQUEST, &xid, &ciaddr);
	ck_assert_uint_ge(ul_now() - t0, 900 * UL_MS);
	ck_assert_uint_eq(ciaddr, LEASED);
	answer(xid, DHCP_ACK, 4, 1);
	ul_sleep(200 * UL_MS);
	ck_assert_uint_eq(test_if.addr, LEASED);
}
END_TEST

START_TEST(unrenewed_lease_expires)
{
	lease(2, 1);
	ul_sleep(2500 * UL_MS);
	ck_assert_uint_eq(test_if.addr, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_dhcp");
	TCase *tc = tcase_create("messages");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, discover_has_what_rfc2131_asks);
	tcase_add_test(tc, request_names_the_offer_and_the_server);
	tcase_add_test(tc, offer_is_parsed);
	tcase_add_test(tc, malformed_replies_are_refused);
	suite_add_tcase(s, tc);
	TCase *live = tcase_create("client");
	tcase_add_checked_fixture(live, setup_live, NULL);
	tcase_set_timeout(live, 20);
	tcase_add_test(live, client_leases_an_address);
	tcase_add_test(live, nak_sends_the_client_back_to_discover);
	tcase_add_test(live, lease_is_renewed_at_t1);
	tcase_add_test(live, unrenewed_lease_expires);
	suite_add_tcase(s, live);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
