/* Unit tests of the dns app's master-file parser and of its answers: the
 * syntax a zone file may use, the error each mistake gets (with its
 * line), and the wire form of answers (compression, truncation). */
#include "run_suite.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/mem.h>
#include "answer.h"
#include "name.h"
#include "zone.h"

static char err[256];

static void setup(void)
{
	static void *region;
	if (!region) {
		region = aligned_alloc(UL_PAGE_SIZE, 8 << 20);
		ul_page_init(region, 8 << 20);
	}
}

static struct zone *parse(const char *text)
{
	err[0] = '\0';
	return zone_parse("t.zone", text, strlen(text), err, sizeof err);
}

static void wire(const char *text, uint8_t *out)
{
	ck_assert_int_gt(name_parse(text, strlen(text), NULL, out), 0);
}

static const struct rr *find(const struct zone *z, const char *name,
                             uint16_t type)
{
	uint8_t n[NAME_WIRE_MAX];
	wire(name, n);
	const struct node *nd = zone_find(z, n);
	for (unsigned i = 0; nd && i < nd->nrrs; i++)
		if (nd->rrs[i].type == type)
			return &nd->rrs[i];
	return NULL;
}

#define HEAD "$ORIGIN z.test.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n"

START_TEST(syntax)
{
	struct zone *z = parse(
		"; a comment line\n"
		"$ORIGIN z.test.\n"
		"@ IN 1h30m SOA ns.z.test. hm ( 7 ; serial\n"
		"     2h 15m 2w\n"
		"     5m )\n"
		"  NS ns\n"
		"ns 60 IN A 10.0.0.1\n"
		"  AAAA 2001:db8::1:2\n"
		"v6 AAAA ::ffff:10.1.2.3\n"
		"a\\.b TXT \"q\\\"uote\" \\065bc\n"
		"Up CNAME other.test.\n"
		"x.y.deep MX 10 @\n");
	ck_assert_msg(z, "%s", err);
	const struct rr *soa = find(z, "z.test.", T_SOA);
	ck_assert_ptr_nonnull(soa);
	ck_assert_uint_eq(soa->ttl, 5400);
	/* mname, rname, then serial 7, refresh 7200 ... minimum 300 */
	ck_assert_uint_eq(soa->rdlen, 11 + 11 + 20);
	ck_assert_mem_eq(soa->rdata + 22, "\0\0\0\7\0\0\x1c\x20", 8);
	const struct rr *ns = find(z, "ns.z.test.", T_A);
	ck_assert_uint_eq(ns->ttl, 60);
	ck_assert_mem_eq(ns->rdata, "\12\0\0\1", 4);
	/* the owner left blank is ns; the TTL the last one given */
	const struct rr *aaaa = find(z, "ns.z.test.", T_AAAA);
	ck_assert_ptr_nonnull(aaaa);
	ck_assert_mem_eq(aaaa->rdata,
	                 "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\1\0\2", 16);
	ck_assert_mem_eq(find(z, "v6.z.test.", T_AAAA)->rdata,
	                 "\0\0\0\0\0\0\0\0\0\0\xff\xff\12\1\2\3", 16);
	const struct rr *txt = find(z, "a\\.b.z.test.", T_TXT);
	ck_assert_ptr_nonnull(txt);
	ck_assert_uint_eq(txt->rdlen, 7 + 4);
	ck_assert_mem_eq(txt->rdata, "\6q\"uote\3Abc", 11);
	ck_assert_ptr_nonnull(find(z, "up.z.test.", T_CNAME));
	ck_assert_ptr_nonnull(find(z, "x.y.deep.z.test.", T_MX));
	/* the names between have nodes, without records */
	uint8_t n[NAME_WIRE_MAX];
	wire("y.deep.z.test.", n);
	ck_assert_ptr_nonnull(zone_find(z, n));
	ck_assert_uint_eq(zone_find(z, n)->nrrs, 0);
	zone_free(z);
}
END_TEST

START_TEST(errors)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{"", "t.zone:1: no records"},
		{"$TTL 1\nns A 10.0.0.1\n", "t.zone:2: \"ns\": a relative name but no $ORIGIN"},
		{"$ORIGIN z.test.\n$TTL 1\nns A 10.0.0.1\n", "t.zone:3: the first record must be the zone's SOA"},
		{"$ORIGIN z.test.\n@ SOA ns hm 1 2 3 4 5\n", "t.zone:2: no TTL"},
		{HEAD "a A 10.0.0.256\n", "t.zone:4: \"10.0.0.256\" is not an IPv4 address"},
		{HEAD "a AAAA 1::2::3\n", "t.zone:4: \"1::2::3\" is not an IPv6 address"},
		{HEAD "a WKS 1\n", "t.zone:4: unknown record type \"WKS\""},
		{HEAD "a CH A 10.0.0.1\n", "t.zone:4: class CH: only class IN"},
		{HEAD "a MX 70000 b\n", "t.zone:4: 70000 is out of range"},
		{HEAD "a MX 10\n", "t.zone:4: 1 fields where 2 belong"},
		{HEAD "a 1x A 10.0.0.1\n", "t.zone:4: \"1x\" is not a TTL"},
		{HEAD "a 4000000000 A 10.0.0.1\n", "t.zone:4: TTL 4000000000 is over"},
		{HEAD "a TXT \"open\n", "t.zone:4: a string without its closing quote"},
		{HEAD "a A ( 10.0.0.1\n", "t.zone:4: \"(\" never closed"},
		{HEAD "a A 10.0.0.1 )\n", "t.zone:4: \")\" without \"(\""},
		{HEAD "a CNAME b\na A 10.0.0.1\n", "t.zone:5: a.z.test.: a CNAME cannot share"},
		{HEAD "other.test. A 10.0.0.1\n", "t.zone:4: other.test. is outside the zone"},
		{HEAD "@ SOA ns hm 1 2 3 4 5\n", "t.zone:4: a second SOA"},
		{HEAD "$INCLUDE other.zone\n", "t.zone:4: $INCLUDE is not supported"},
		{HEAD "a..b A 10.0.0.1\n", "t.zone:4: \"a..b\" is not a domain name"},
		{HEAD "a\\300 A 10.0.0.1\n", "is not a domain name"},
		{HEAD "$TTL\n", "t.zone:4: bad directive \"$TTL\""},
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct zone *z = parse(bad[i].text);
		ck_assert_msg(!z, "accepted: %s", bad[i].text);
		ck_assert_msg(strstr(err, bad[i].msg), "%s: got \"%s\", want \"%s\"",
		              bad[i].text, err, bad[i].msg);
	}
}
END_TEST

/* A query for name/type, answered from z over UDP with no EDNS. */
static size_t ask(const struct zone *z, const char *name, uint16_t type,
                  uint8_t *out)
{
	uint8_t q[512] = {0xab, 0xcd, 0, 0, 0, 1};
	int n = name_parse(name, strlen(name), NULL, q + 12);
	ck_assert_int_gt(n, 0);
	q[12 + n + 1] = (uint8_t)type;
	q[12 + n + 3] = CLASS_IN;
	return dns_answer(z, q, 16 + (size_t)n, out, 65535, false);
}

START_TEST(compression_and_truncation)
{
	char text[8192] = HEAD "  NS ns\nns A 10.0.0.1\n";
	for (int i = 0; i < 60; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		         "big A 10.0.1.%d\n", i);
	struct zone *z = parse(text);
	ck_assert_msg(z, "%s", err);
	static uint8_t out[65535];
	/* One NS: question 12+8+4, then the answer's owner is a pointer to
	 * the question (c0 0c) and its rdata "ns" plus a pointer too; the
	 * additional section has ns's address, its owner a pointer to the
	 * rdata's "ns". */
	size_t len = ask(z, "z.test.", T_NS, out);
	ck_assert_uint_eq(len, 12 + 12 + 2 + 10 + 5 + 2 + 10 + 4);
	ck_assert_uint_eq(out[11], 1);
	ck_assert_mem_eq(out + 41, "\xc0\x24", 2);
	ck_assert_mem_eq(out + 24, "\xc0\x0c", 2);
	ck_assert_mem_eq(out + 36, "\2ns\xc0\x0c", 5);
	ck_assert_uint_eq(out[2] & 0x04, 0x04); /* AA */
	/* 60 A records need 60 * 16 bytes: no room in 512, so TC and none */
	len = ask(z, "big.z.test.", T_A, out);
	ck_assert_uint_le(len, 512);
	ck_assert_uint_eq(out[2] & 0x02, 0x02);
	ck_assert_uint_eq(out[6] << 8 | out[7], 0);
	zone_free(z);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dns_zone");
	TCase *tc = tcase_create("zone");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, compression_and_truncation);
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}
