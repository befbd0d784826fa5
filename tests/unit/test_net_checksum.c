/* Unit tests of the Internet checksum (net/checksum.c): RFC 1071's worked
 * example, odd lengths, chaining, the pseudo-header, and agreement with a
 * plain 16-bit reference on random data. */
#include "run_suite.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "checksum.h"

/* The obvious implementation: 16-bit words, folded as it goes. */
static uint16_t reference(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (n & 1) {
		sum += (uint32_t)p[n - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

START_TEST(rfc1071_example)
{
	/* RFC 1071 section 3: these bytes sum to ddf2 (one's complement). */
	static const uint8_t b[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5,
	                            0xf6, 0xf7};
	ck_assert_uint_eq(csum_add(0, b, sizeof b) % 0xffff, 0xddf2 % 0xffff);
	ck_assert_uint_eq(csum(b, sizeof b), (uint16_t)~0xddf2);
}
END_TEST

START_TEST(ipv4_header_with_its_checksum_sums_to_zero)
{
	/* A real header (from a capture), checksum b861. */
	static const uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
	                            0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
	                            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	ck_assert_uint_eq(csum(h, sizeof h), 0);
	uint8_t z[sizeof h];
	for (size_t i = 0; i < sizeof h; i++)
		z[i] = h[i];
	z[10] = z[11] = 0;
	ck_assert_uint_eq(csum(z, sizeof z), 0xb861);
}
END_TEST

START_TEST(odd_lengths_pad_with_zero)
{
	static const uint8_t one[] = {0xab};
	ck_assert_uint_eq(csum(one, 1), (uint16_t)~0xab00);
	static const uint8_t three[] = {0x12, 0x34, 0x56};
	ck_assert_uint_eq(csum(three, 3), (uint16_t)~(0x1234 + 0x5600));
	ck_assert_uint_eq(csum(three, 0), 0xffff);
}
END_TEST

START_TEST(matches_reference_on_random_data)
{
	static uint8_t buf[3000];
	srand(42);
	for (int round = 0; round < 500; round++) {
		size_t n = (size_t)rand() % sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)rand();
		ck_assert_uint_eq(csum(buf, n), reference(buf, n));
	}
}
END_TEST

START_TEST(chained_even_pieces_equal_one_pass)
{
	static uint8_t buf[1000];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	for (size_t cut = 0; cut <= 998; cut += 2) {
		uint32_t s = csum_add(0, buf, cut);
		s = csum_add(s, buf + cut, 999 - cut);
		ck_assert_uint_eq(csum_finish(s), csum(buf, 999));
	}
}
END_TEST

START_TEST(all_ones_sums_fold_correctly)
{
	static uint8_t ff[65536];
	for (size_t i = 0; i < sizeof ff; i++)
		ff[i] = 0xff;
	ck_assert_uint_eq(csum(ff, sizeof ff), reference(ff, sizeof ff));
	ck_assert_uint_eq(csum(ff, sizeof ff), 0);
}
END_TEST

START_TEST(pseudo_header_is_the_sum_of_its_words)
{
	/* 10.0.0.1 -> 10.0.0.2, UDP, length 12 */
	static const uint8_t ph[] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, 12};
	uint32_t a = csum_pseudo(0x0a000001, 0x0a000002, 17, 12);
	ck_assert_uint_eq(csum_finish(a), csum(ph, sizeof ph));
	/* Large addresses must not overflow the sum. */
	static const uint8_t big[] = {255, 255, 255, 255, 255, 255, 255, 254,
	                              0, 6, 255, 255};
	uint32_t b = csum_pseudo(0xffffffff, 0xfffffffe, 6, 0xffff);
	ck_assert_uint_eq(csum_finish(b), csum(big, sizeof big));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("net_checksum");
	TCase *tc = tcase_create("checksum");
	tcase_add_test(tc, rfc1071_example);
	tcase_add_test(tc, ipv4_header_with_its_checksum_sums_to_zero);
	tcase_add_test(tc, odd_lengths_pad_with_zero);
	tcase_add_test(tc, matches_reference_on_random_data);
	tcase_add_test(tc, chained_even_pieces_equal_one_pass);
	tcase_add_test(tc, all_ones_sums_fold_correctly);
	tcase_add_test(tc, pseudo_header_is_the_sum_of_its_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
