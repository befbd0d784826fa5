/* Unit tests of the number parsers and of ul_strerror: the strto* family
 * must agree with the host's strtol, strtoll, strtoul and strtoull on value,
 * end pointer and overflow for every base. */
#include "run_suite.h"
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/errno.h>
#include <unilab/strtol.h>

/* One input against all four host functions in one base. */
static void same_as_host(const char *s, int base)
{
	char *uend, *hend;
	int err;

#define SAME_PARSE(ul_fn, host_fn, fmt)                                    \
	do {                                                               \
		errno = 0;                                                 \
		err = 12345;                                               \
		ck_assert_msg(ul_fn(s, &uend, base, &err) ==               \
		                      host_fn(s, &hend, base),             \
		              #ul_fn "(\"%s\", %d) = " fmt ", host " fmt,  \
		              s, base, ul_fn(s, NULL, base, NULL),         \
		              host_fn(s, NULL, base));                     \
		ck_assert_msg(uend == hend,                                \
		              #ul_fn "(\"%s\", %d): end +%td, host +%td", s, \
		              base, uend - s, hend - s);                   \
		ck_assert_msg(err == (errno == ERANGE ? -UL_ERANGE : 0),   \
		              #ul_fn "(\"%s\", %d): err %d, host errno %d", \
		              s, base, err, errno);                        \
	} while (0)

	SAME_PARSE(ul_strtol, strtol, "%ld");
	SAME_PARSE(ul_strtoll, strtoll, "%lld");
	SAME_PARSE(ul_strtoul, strtoul, "%lu");
	SAME_PARSE(ul_strtoull, strtoull, "%llu");
#undef SAME_PARSE
}

static void same_in_every_base(const char *s)
{
	same_as_host(s, 0);
	for (int base = 2; base <= 36; base++)
		same_as_host(s, base);
}

START_TEST(table)
{
	static const char *const inputs[] = {
		"", " ", "0", "-0", "+0", "1", "-1", "+1", "+-1", "--1", "-+1",
		" \t\n\v\f\r42", "42abc", "  -17 ", "0x", "0X", "-0x", " 0x",
		"0x1f", "0XaB", "-0x10", "+0x10", "0xg", "0x 1", "0x0x1", "0x-1",
		"010", "-010", "08", "09", "0b101", "0o17", "z", "Z9", "zz",
		"1_000", "  -", "+", "-", "12.5", "1e5", "\x80" "1", "7\xff",
		"9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616",
		"-18446744073709551615", "-18446744073709551616",
		"99999999999999999999999999999999", "-99999999999999999999999",
		"0xffffffffffffffff", "0x10000000000000000", "-0x8000000000000000",
		"-0x8000000000000001", "0x7fffffffffffffff", "0x8000000000000000",
		"777777777777777777777", "1777777777777777777777",
		"2000000000000000000000", "01777777777777777777777",
		"02000000000000000000000", "zzzzzzzzzzzzz", "3w5e11264sgsf",
		"3w5e11264sgsg", "1y2p0ij32e8e7", "1y2p0ij32e8e8",
		"-1y2p0ij32e8e8", "-1y2p0ij32e8e9", "000000000000000000000000001",
	};

	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		same_in_every_base(inputs[i]);
}
END_TEST

/* value written in base (2..36), lower case. */
static void to_base(unsigned long long value, int base, char *out)
{
	char tmp[72];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[value % base];
		value /= base;
	} while (value != 0);
	while (n > 0)
		*out++ = tmp[--n];
	*out = '\0';
}

/* Each type's limits, one either side, and one digit too many, written in
 * every base and with every sign: where saturation starts. */
START_TEST(boundaries)
{
	static const unsigned long long edges[] = {
		(unsigned long long)LLONG_MAX - 1, LLONG_MAX,
		(unsigned long long)LLONG_MAX + 1,
		(unsigned long long)LLONG_MAX + 2, ULLONG_MAX - 1, ULLONG_MAX,
		UINT_MAX, (unsigned long long)UINT_MAX + 1,
	};
	static const char *const signs[] = {"", "-", "+", " -", "\t+"};

	for (int base = 2; base <= 36; base++)
		for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
			for (size_t g = 0; g < 5; g++)
				for (int extra = 0; extra < 2; extra++) {
					char s[96];
					int n = sprintf(s, "%s", signs[g]);
					to_base(edges[e], base, s + n);
					if (extra)
						strcat(s, "1");
					same_as_host(s, base);
					if (base == 8 || base == 10 || base == 16)
						same_as_host(s, 0);
				}
}
END_TEST

/* xorshift64: a fixed seed makes a failure reproducible. */
static uint64_t rnd(void)
{
	static uint64_t state = 0x2545f4914f6cdd1dull;

	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Random strings of signs, spaces, digits, prefix letters and junk. */
START_TEST(random_inputs)
{
	static const char alphabet[] = " \t+-0000123456789abcdefxXzZ_.";

	for (int i = 0; i < 60000; i++) {
		char s[32];
		size_t len = rnd() % 28;
		for (size_t k = 0; k < len; k++)
			s[k] = alphabet[rnd() % (sizeof alphabet - 1)];
		s[len] = '\0';
		int base = (int)(rnd() % 37);
		same_as_host(s, base == 1 ? 0 : base);
	}
}
END_TEST

START_TEST(optional_outputs)
{
	ck_assert_int_eq(ul_strtol("-123x", NULL, 10, NULL), -123);
	ck_assert_uint_eq(ul_strtoull("99999999999999999999", NULL, 10, NULL),
	                  ULLONG_MAX);
	int err = 1;
	ck_assert_int_eq(ul_strtoll("77", NULL, 8, &err), 077);
	ck_assert_int_eq(err, 0);
	char *end;
	ck_assert_int_eq(ul_strtoul("0x", &end, 0, NULL), 0);
	ck_assert_str_eq(end, "x");
}
END_TEST

START_TEST(bad_bases)
{
	static const int bases[] = {1, -1, 37, 100, INT_MIN};
	const char *s = " 123";

	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
		char *end = NULL;
		int err = 0;
		ck_assert_int_eq(ul_strtol(s, &end, bases[i], &err), 0);
		ck_assert_ptr_eq(end, s);
		ck_assert_int_eq(err, -UL_EINVAL);
		ck_assert_uint_eq(ul_strtoull(s, &end, bases[i], &err), 0);
		ck_assert_ptr_eq(end, s);
		ck_assert_int_eq(err, -UL_EINVAL);
	}
}
END_TEST

static void size_ok(const char *s, unsigned long long want)
{
	unsigned long long got = 0;
	int r = ul_parse_size(s, &got);
	ck_assert_msg(r == 0 && got == want, "\"%s\": %d, %llu (want %llu)", s,
	              r, got, want);
}

static void size_bad(const char *s, int want)
{
	unsigned long long got = 42;
	int r = ul_parse_size(s, &got);
	ck_assert_msg(r == want, "\"%s\": %d, want %d", s, r, want);
	ck_assert_msg(got == 42, "\"%s\" changed *out on error", s);
}

START_TEST(sizes)
{
	size_ok("0", 0);
	size_ok("4096", 4096);
	size_ok("007", 7);
	size_ok("7B", 7);
	size_ok("512K", 512ull << 10);
	size_ok("512k", 512ull << 10);
	size_ok("64M", 64ull << 20);
	size_ok("64m", 64ull << 20);
	size_ok("1G", 1ull << 30);
	size_ok("1g", 1ull << 30);
	size_ok("2T", 2ull << 40);
	size_ok("1KB", 1024);
	size_ok("1kb", 1024);
	size_ok("1KiB", 1024);
	size_ok("1kib", 1024);
	size_ok("3Mi", 3ull << 20);
	size_ok("0G", 0);
	size_ok("18446744073709551615", ULLONG_MAX);
	size_ok("17179869183G", ULLONG_MAX - (1ull << 30) + 1);
	size_ok("16777215T", ULLONG_MAX - (1ull << 40) + 1);
}
END_TEST

START_TEST(size_errors)
{
	static const char *const junk[] = {
		"", " 1", "1 ", "-1", "+1", "0x10", "M", "K1", "1X", "1MM",
		"1iB", "1BB", "1.5M", "1K B", "1KiBx", "1 K", "1Bi", "\t64M",
		"99999999999999999999999X",
	};
	static const char *const huge[] = {
		"18446744073709551616", "16777216T", "17179869184G",
		"18014398509481984K", "99999999999999999999K",
		"99999999999999999999999999",
	};

	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		size_bad(junk[i], -UL_EINVAL);
	for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++)
		size_bad(huge[i], -UL_ERANGE);
}
END_TEST

START_TEST(numbers)
{
	static const char *const junk[] = {"", " 1", "1 ", "-1", "+1", "0x10",
	                                   "1K", "1.5", "x"};
	static const char *const big[] = {"65536", "99999999999999999999999"};
	unsigned long got = 42;

	ck_assert_int_eq(ul_parse_number("0", 65535, &got), 0);
	ck_assert_uint_eq(got, 0);
	ck_assert_int_eq(ul_parse_number("65535", 65535, &got), 0);
	ck_assert_uint_eq(got, 65535);
	ck_assert_int_eq(ul_parse_number("007", 10, &got), 0);
	ck_assert_uint_eq(got, 7);
	got = 42;
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ck_assert_msg(ul_parse_number(junk[i], 65535, &got) == -UL_EINVAL,
		              "\"%s\"", junk[i]);
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++)
		ck_assert_msg(ul_parse_number(big[i], 65535, &got) == -UL_ERANGE,
		              "\"%s\"", big[i]);
	ck_assert_uint_eq(got, 42);
}
END_TEST

/* The codes are Linux's, so the names are the host's strerror texts. */
START_TEST(error_names)
{
	static const int codes[] = {
		UL_EPERM, UL_ENOENT, UL_EINTR, UL_EIO, UL_E2BIG, UL_EBADF,
		UL_EAGAIN, UL_ENOMEM, UL_EFAULT, UL_EBUSY, UL_EEXIST,
		UL_ENODEV, UL_EINVAL, UL_ENOSPC, UL_EROFS, UL_ERANGE,
		UL_EDEADLK, UL_ENOSYS, UL_EMSGSIZE, UL_ENOTSUP,
		UL_EADDRINUSE, UL_ENETUNREACH, UL_ECONNRESET, UL_ENOTCONN,
		UL_ETIMEDOUT, UL_ECONNREFUSED, UL_EHOSTUNREACH, UL_EALREADY,
		UL_EINPROGRESS, UL_EACCES, UL_EXDEV, UL_ENOTDIR, UL_EISDIR,
		UL_EMFILE, UL_EFBIG, UL_ENAMETOOLONG, UL_ENOTEMPTY, UL_ELOOP,
	};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		ck_assert_str_eq(ul_strerror(codes[i]), strerror(codes[i]));
		ck_assert_str_eq(ul_strerror(-codes[i]), strerror(codes[i]));
	}
	ck_assert_str_eq(ul_strerror(0), "Success");
}
END_TEST

START_TEST(unknown_errors)
{
	static const int codes[] = {3, 6, 37, 89, 116, 200, -200, INT_MAX,
	                            INT_MIN, -INT_MAX};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_str_eq(ul_strerror(codes[i]), "unknown error");
}
END_TEST

static Suite *strtol_suite(void)
{
	Suite *s = suite_create("strtol");
	TCase *parse = tcase_create("strtol");
	TCase *size = tcase_create("parse_size");
	TCase *err = tcase_create("strerror");

	tcase_set_timeout(parse, 60);
	tcase_add_test(parse, table);
	tcase_add_test(parse, boundaries);
	tcase_add_test(parse, random_inputs);
	tcase_add_test(parse, optional_outputs);
	tcase_add_test(parse, bad_bases);
	suite_add_tcase(s, parse);
	tcase_add_test(size, sizes);
	tcase_add_test(size, size_errors);
	tcase_add_test(size, numbers);
	suite_add_tcase(s, size);
	tcase_add_test(err, error_names);
	tcase_add_test(err, unknown_errors);
	suite_add_tcase(s, err);
	return s;
}

int main(void)
{
	return ul_run_suite(strtol_suite());
}
