/* Unit tests of the router app's parts: the incremental checksum update
 * against a full recomputation, the rule file (syntax, first match, the
 * error each mistake gets), the flow table, and NAT rewriting that
 * leaves every checksum valid. */
#include "run_suite.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/forward.h>
#include "conntrack.h"
#include "packet.h"
#include "rules.h"

static char err[256];

/* The ones' complement sum of len bytes plus sum, folded. */
static uint16_t fold(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint16_t ip_csum(const uint8_t *h)
{
	return (uint16_t)~fold(0, h, 20);
}

/* TCP/UDP checksum over the pseudo-header: 0 when the segment is right. */
static uint16_t l4_check(const uint8_t *h, size_t len)
{
	uint32_t s = get16(h + 12) + get16(h + 14) + get16(h + 16) +
	             get16(h + 18) + h[9] + (uint32_t)(len - 20);
	return (uint16_t)~fold(s, h + 20, len - 20);
}

START_TEST(checksum_update)
{
	uint8_t h[20];
	srand(7);
	for (int round = 0; round < 20000; round++) {
		for (int i = 0; i < 20; i++)
			h[i] = (uint8_t)rand();
		/* the extremes RFC 1624 is about: words of all ones or zeros */
		if (round % 4 == 0)
			memset(h + 12, round % 8 ? 0xff : 0, 8);
		put16(h + 10, 0);
		put16(h + 10, ip_csum(h));
		uint32_t old = get32(h + 12);
		uint32_t new_ = round % 3 ? (uint32_t)rand() * 2654435761u
		                          : (round % 2 ? 0 : 0xffffffffu);
		put32(h + 12, new_);
		ul_csum_update32(h + 10, old, new_);
		ck_assert_uint_eq(fold(0, h, 20), 0xffff);
		uint16_t ttl = get16(h + 8);
		h[8]--;
		ul_csum_update16(h + 10, ttl, get16(h + 8));
		ck_assert_uint_eq(fold(0, h, 20), 0xffff);
	}
}
END_TEST

static struct ruleset rs;

static bool parse(const char *text)
{
	err[0] = 0;
	return rules_parse(&rs, "t.rules", text, strlen(text), err, sizeof err);
}

START_TEST(rules_first_match)
{
	ck_assert(parse("interface lan 0\ninterface wan 1\n"
	                "policy allow   # comment\n"
	                "masquerade wan\n"
	                "forward wan udp 53 10.0.0.5:5353\n"
	                "\n"
	                "deny in wan proto tcp port 20-25\n"
	                "allow in wan proto tcp from 198.51.100.0/24\n"
	                "deny in wan\n"
	                "deny out self proto icmp to 10.0.0.1\n"));
	ck_assert_uint_eq(rs.nrules, 4);
	ck_assert(rs.policy_allow);
	ck_assert_int_eq(rs.masquerade_if, 1);
	const struct port_forward *f = rules_forward(&rs, 1, 17, 53);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->to, 0x0a000005);
	ck_assert_uint_eq(f->to_port, 5353);
	ck_assert_ptr_null(rules_forward(&rs, 0, 17, 53));
	ck_assert_ptr_null(rules_forward(&rs, 1, 6, 53));

	struct flow_key k = {1, 0, 6, 0xc6336401, 0x0a000002, 22};
	ck_assert_uint_eq(rules_match(&rs, &k)->line, 7); /* in range */
	k.dport = 26;
	ck_assert_uint_eq(rules_match(&rs, &k)->line, 8); /* from the /24 */
	k.src = 0xc6336501;
	ck_assert_uint_eq(rules_match(&rs, &k)->line, 9);
	k = (struct flow_key){0, RULE_OUT_SELF, 1, 0x0a000002, 0x0a000001, 0};
	ck_assert_uint_eq(rules_match(&rs, &k)->line, 10);
	k.dst = 0x0a000009;
	ck_assert_ptr_null(rules_match(&rs, &k)); /* the policy decides */
	ck_assert(parse("allow in if3 out if2\n"));
	ck_assert_int_eq(rs.rules[0].in_if, 3);
	ck_assert_int_eq(rs.masquerade_if, -1);
}
END_TEST

START_TEST(rules_errors)
{
	static const char *const bad[][2] = {
		{"alow in if0\n", "t.rules:1: unknown statement"},
		{"# x\nallow in eth0\n", "t.rules:2: unknown interface 'eth0'"},
		{"allow proto tcp port 0\n", "t.rules:1: bad port or range"},
		{"allow proto tcp port 9-8\n", "t.rules:1: bad port or range"},
		{"allow proto udp port 1-70000\n", "t.rules:1: bad port or range"},
		{"allow port 80\n", "t.rules:1: a port needs proto tcp or udp"},
		{"allow proto gre\n", "t.rules:1: unknown protocol"},
		{"allow from 10.0.0.0/33\n", "t.rules:1: bad address"},
		{"allow to 10.0.0\n", "t.rules:1: bad address"},
		{"allow in\n", "t.rules:1: no value after 'in'"},
		{"allow sideways if0\n", "t.rules:1: unknown match"},
		{"policy maybe\n", "t.rules:1: want: policy allow|deny"},
		{"interface x 4\n", "t.rules:1: want: interface NAME INDEX"},
		{"interface averyveryverylongname 1\n", "t.rules:1: interface name too long"},
		{"masquerade\n", "t.rules:1: want: masquerade IF"},
		{"forward if1 tcp 80\n", "t.rules:1: want: forward"},
		{"forward if1 icmp 80 10.0.0.2\n", "t.rules:1: a forward is for tcp or udp"},
		{"forward if1 tcp 80-81 10.0.0.2\n", "t.rules:1: a forward takes one port"},
		{"forward if1 tcp 80 10.0.0.300\n", "t.rules:1: bad host address"},
		{"forward if1 tcp 80 10.0.0.2:0\n", "t.rules:1: bad port or range"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!parse(bad[i][0]), "accepted: %s", bad[i][0]);
		ck_assert_msg(strstr(err, bad[i][1]) == err, "%s: got '%s'",
		              bad[i][0], err);
	}
	char many[80 * 12];
	many[0] = 0;
	for (int i = 0; i < 65; i++)
		strcat(many, "deny\n");
	ck_assert(!parse(many));
	ck_assert_str_eq(err, "t.rules:65: too many rules (at most 64)");
	char longline[400];
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = 0;
	ck_assert(!parse(longline));
	ck_assert_str_eq(err, "t.rules:1: line too long");
}
END_TEST

START_TEST(flows)
{
	struct tuple o = {0x0a000002, 0x08080808, 4000, 53, 17};
	struct tuple r = {0x08080808, 0xc0000201, 53, 32768, 17};
	ck_assert(!ct_taken(&r));
	struct conn *c = ct_add(&o, &r);
	ck_assert_ptr_nonnull(c);
	int dir = -1;
	ck_assert_ptr_eq(ct_find(&o, &dir), c);
	ck_assert_int_eq(dir, CT_ORIG);
	ck_assert_ptr_eq(ct_find(&r, &dir), c);
	ck_assert_int_eq(dir, CT_REPLY);
	ck_assert(ct_taken(&r));
	struct tuple other = o;
	other.sport++;
	ck_assert_ptr_null(ct_find(&other, &dir));
	/* a full table: the next flow is refused, counted */
	for (unsigned i = 1; i < CT_MAX; i++) {
		struct tuple a = {i, 1, 1, 1, 6}, b = {1, i, 1, 1, 6};
		ck_assert_ptr_nonnull(ct_add(&a, &b));
	}
	ck_assert_uint_eq(ct_count(), CT_MAX);
	struct tuple a = {0, 9, 9, 9, 6};
	ck_assert_ptr_null(ct_add(&a, &a));
	ck_assert_uint_eq(ct_refused(), 1);
	ck_assert_ptr_eq(ct_find(&r, &dir), c);
}
END_TEST

/* A datagram of proto with a valid IP header and transport checksum. */
static size_t build(uint8_t *h, uint8_t proto, size_t payload)
{
	size_t l4 = proto == 6 ? 20 : 8;
	size_t len = 20 + l4 + payload;
	memset(h, 0, len);
	h[0] = 0x45;
	put16(h + 2, (uint16_t)len);
	h[8] = 64;
	h[9] = proto;
	put32(h + 12, 0xc0a80702);
	put32(h + 16, 0x0a4d0002);
	for (size_t i = 0; i < payload; i++)
		h[20 + l4 + i] = (uint8_t)(i * 7 + 1);
	if (proto == 1) {
		h[20] = 8;
		put16(h + 24, 0x1234);
		put16(h + 22, (uint16_t)~fold(0, h + 20, len - 20));
	} else {
		put16(h + 20, 40000);
		put16(h + 22, 80);
		if (proto == 6)
			h[32] = 0x50;
		else
			put16(h + 24, (uint16_t)(len - 20));
		put16(h + (proto == 6 ? 36 : 26), l4_check(h, len));
	}
	put16(h + 10, ip_csum(h));
	return len;
}

START_TEST(nat_rewrite)
{
	static const uint8_t protos[] = {6, 17, 1};
	struct tuple to = {0x0a4d0001, 0x0a4d0002, 33333, 80, 0};
	for (int i = 0; i < 3; i++) {
		uint8_t h[200];
		struct ul_fwd_pkt pk = {0, h, 20, build(h, protos[i], 33)};
		struct packet pt;
		ck_assert(packet_parse(&pk, &pt));
		ck_assert_uint_eq(pt.t.src, 0xc0a80702);
		ck_assert_uint_eq(pt.t.sport, protos[i] == 1 ? 0x1234 : 40000);
		to.proto = protos[i];
		if (protos[i] == 1)
			to.dport = to.sport;
		packet_rewrite(&pt, &to);
		ck_assert_uint_eq(fold(0, h, 20), 0xffff);
		ck_assert_uint_eq(get32(h + 12), to.src);
		if (protos[i] == 1)
			ck_assert_uint_eq(fold(0, h + 20, pk.len - 20), 0xffff);
		else
			ck_assert_uint_eq(l4_check(h, pk.len), 0);
		ck_assert_uint_eq(get16(h + 20), protos[i] == 1 ? 8 << 8 : 33333);
	}
	/* UDP without a checksum keeps none */
	uint8_t h[200];
	struct ul_fwd_pkt pk = {0, h, 20, build(h, 17, 10)};
	put16(h + 26, 0);
	struct packet pt;
	ck_assert(packet_parse(&pk, &pt));
	to.proto = 17;
	packet_rewrite(&pt, &to);
	ck_assert_uint_eq(get16(h + 26), 0);
	/* a later fragment, a cut TCP header: nothing to read a flow from */
	build(h, 6, 0);
	put16(h + 6, 0x0010);
	ck_assert(!packet_parse(&pk, &pt));
	pk.len = 30;
	put16(h + 6, 0);
	ck_assert(!packet_parse(&pk, &pt));
}
END_TEST

START_TEST(icmp_error_rewrite)
{
	/* A port unreachable from 10.77.0.2 about a datagram the NAT sent
	 * as 10.77.0.1:33333 -> 10.77.0.2:80; it goes back to 192.168.7.2
	 * quoting the datagram as that host sent it. */
	uint8_t h[200], q[200];
	size_t qlen = build(q, 17, 0);
	struct tuple sent = {0x0a4d0001, 0x0a4d0002, 33333, 80, 17};
	struct ul_fwd_pkt qp = {0, q, 20, qlen};
	struct packet pq;
	ck_assert(packet_parse(&qp, &pq));
	packet_rewrite(&pq, &sent);
	size_t len = 20 + 8 + qlen;
	memset(h, 0, 28);
	h[0] = 0x45;
	put16(h + 2, (uint16_t)len);
	h[8] = 64;
	h[9] = 1;
	put32(h + 12, 0x0a4d0002);
	put32(h + 16, 0x0a4d0001);
	put16(h + 10, ip_csum(h));
	h[20] = 3;
	h[21] = 3;
	memcpy(h + 28, q, qlen);
	put16(h + 22, (uint16_t)~fold(0, h + 20, len - 20));
	struct ul_fwd_pkt pk = {1, h, 20, len};
	struct packet pt;
	ck_assert(packet_parse(&pk, &pt));
	ck_assert(pt.icmp_error);
	ck_assert_uint_eq(pt.t.src, 0x0a4d0002);
	ck_assert_uint_eq(pt.t.dst, 0x0a4d0001);
	ck_assert_uint_eq(pt.t.sport, 80);
	ck_assert_uint_eq(pt.t.dport, 33333);
	ck_assert_uint_eq(pt.t.proto, 17);
	struct tuple orig = {0xc0a80702, 0x0a4d0002, 40000, 80, 17};
	packet_rewrite_error(&pt, &orig, 0x0a4d0002);
	ck_assert_uint_eq(get32(h + 16), 0xc0a80702);
	ck_assert_uint_eq(get32(h + 12), 0x0a4d0002);
	ck_assert_uint_eq(fold(0, h, 20), 0xffff);
	ck_assert_uint_eq(fold(0, h + 20, len - 20), 0xffff);
	ck_assert_uint_eq(get32(h + 28 + 12), 0xc0a80702);
	ck_assert_uint_eq(get16(h + 48), 40000);
	ck_assert_uint_eq(fold(0, h + 28, 20), 0xffff);
}
END_TEST

/* Datagrams of every length up to 80 bytes past the IP header, random
 * bytes with a plausible header: reading and rewriting them stays inside
 * them (each in a buffer of exactly its size, for ASan to watch). */
START_TEST(random_datagrams)
{
	static const uint8_t protos[] = {1, 6, 17, 47};
	srand(11);
	for (int round = 0; round < 20000; round++) {
		size_t len = 20 + (size_t)rand() % 81;
		uint8_t *h = malloc(len);
		for (size_t i = 0; i < len; i++)
			h[i] = (uint8_t)rand();
		h[0] = 0x45;
		h[9] = protos[rand() % 4];
		if (round % 3 == 0)
			put16(h + 6, 0); /* not a fragment */
		if (h[9] == 1 && len > 28 && round % 2) {
			h[20] = 3; /* an error quoting a random datagram */
			h[28] = (uint8_t)(0x45 + rand() % 11);
		}
		put16(h + 10, 0);
		put16(h + 10, ip_csum(h));
		struct ul_fwd_pkt pk = {0, h, 20, len};
		struct packet pt;
		if (packet_parse(&pk, &pt)) {
			struct tuple t = {(uint32_t)rand(), (uint32_t)rand(),
			                  (uint16_t)rand(), (uint16_t)rand(),
			                  pt.t.proto};
			if (pt.icmp_error)
				packet_rewrite_error(&pt, &t, (uint32_t)rand());
			else
				packet_rewrite(&pt, &t);
			ck_assert_uint_eq(fold(0, h, 20), 0xffff);
		}
		free(h);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("router");
	TCase *tc = tcase_create("router");
	tcase_add_test(tc, checksum_update);
	tcase_add_test(tc, rules_first_match);
	tcase_add_test(tc, rules_errors);
	tcase_add_test(tc, flows);
	tcase_add_test(tc, nat_rewrite);
	tcase_add_test(tc, icmp_error_rewrite);
	tcase_add_test(tc, random_datagrams);
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}
