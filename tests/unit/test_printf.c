/* Unit tests of the printf family: ul_snprintf must write exactly what the
 * host's (glibc's) snprintf writes, bytes and return value alike. */
#include "run_suite.h"
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unilab/console.h>

/* Many formats here are odd on purpose ('+' with %p, '0' with %s, '#' with
 * %d), NULL for %s, widths past INT_MAX: C leaves them to the library,
 * and ours must do as glibc does. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define BUF 512

#define FIRST(...) FIRST_(__VA_ARGS__, 0)
#define FIRST_(a, ...) a

/* Check one formatted result against the host's: the whole buffers are
 * compared, so a byte written past the end of the result shows too. */
static void same(int line, const char *fmt, size_t size, const char *u,
                 int ur, const char *h, int hr)
{
	ck_assert_msg(ur == hr && memcmp(u, h, BUF) == 0,
	              "line %d, format \"%s\", size %zu: ul gave \"%.*s\" "
	              "(%d), host \"%.*s\" (%d)",
	              line, fmt, size, BUF, u, ur, BUF, h, hr);
}

/* Format the arguments (format first) with both into buffers of size
 * bytes that start out full of the same junk. */
#define SAME_SIZED(size, ...)                                              \
	do {                                                               \
		char u_[BUF], h_[BUF];                                     \
		memset(u_, 0x5a, sizeof u_);                               \
		memset(h_, 0x5a, sizeof h_);                               \
		int ur_ = ul_snprintf(u_, (size), __VA_ARGS__);            \
		int hr_ = snprintf(h_, (size), __VA_ARGS__);               \
		same(__LINE__, FIRST(__VA_ARGS__), (size), u_, ur_, h_,    \
		     hr_);                                                 \
	} while (0)

#define SAME(...) SAME_SIZED(BUF, __VA_ARGS__)

START_TEST(plain_text)
{
	SAME("");
	SAME("hello, world");
	SAME("100%% sure");
	SAME("%%%%%%");
	SAME("%5%|%-5%|%05%"); /* glibc ignores a width on %% */
}
END_TEST

START_TEST(signed_table)
{
	SAME("%d %i", 0, -0);
	SAME("%d|%5d|%-5d|%05d", 42, 42, 42, 42);
	SAME("%+d|% d|%+ d|% +d", 7, 7, 7, 7);
	SAME("%+d|% d|%+05d|% 05d", -7, -7, -7, -7);
	SAME("%.0d|%.0d|%+.0d|% .0d|%5.0d|%-5.0d|", 0, 1, 0, 0, 0, 0);
	SAME("%.5d|%8.5d|%-8.5d|%08.5d|%+.5d", -42, -42, -42, -42, 42);
	SAME("%0-5d|%-05d|", 3, 3);
	SAME("%#d|%#5i", 5, -5);
	SAME("%d %d", INT_MIN, INT_MAX);
	SAME("%ld %ld", LONG_MIN, LONG_MAX);
	SAME("%lld %lld", LLONG_MIN, LLONG_MAX);
	SAME("%030lld|%-30lld|%.25lld", LLONG_MIN, LLONG_MIN, LLONG_MIN);
	SAME("%hhd %hhd %hhd %hhd", 127, 128, 255, -129);
	SAME("%hd %hd %hd", 32767, 32768, 70000);
	SAME("%zd %zd", (ptrdiff_t)-1, (ptrdiff_t)PTRDIFF_MAX);
	SAME("%jd %jd", INTMAX_MIN, INTMAX_MAX);
	SAME("%td %td", PTRDIFF_MIN, (ptrdiff_t)12345);
}
END_TEST

START_TEST(unsigned_table)
{
	SAME("%u %u %u", 0u, 1u, UINT_MAX);
	SAME("%+u|% u|%+5u", 5u, 5u, 5u); /* '+' and ' ' mean nothing here */
	SAME("%x %X %o", 0xdeadbeefu, 0xdeadbeefu, 0777u);
	SAME("%#x|%#X|%#o|%#x|%#o", 255u, 255u, 8u, 0u, 0u);
	SAME("%#.0x|%#.0o|%.0x|%.0o|%#5.0o|", 0u, 0u, 0u, 0u, 0u);
	SAME("%#.3o|%#5o|%#.1o|%#-6o|", 8u, 8u, 8u, 8u);
	SAME("%#010x|%#10.5x|%-#10x|%0#10X", 255u, 255u, 255u, 255u);
	SAME("%08.3x|%-8.3x|%8x", 0xabu, 0xabu, 0xabu);
	SAME("%lu %lx %lo", ULONG_MAX, ULONG_MAX, ULONG_MAX);
	SAME("%llu %llX %#llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	SAME("%hhu %hhx %hhu", 255u, 256u, UINT_MAX);
	SAME("%hu %hx %ho", 65535u, 65536u, UINT_MAX);
	SAME("%zu %zx", SIZE_MAX, (size_t)4096);
	SAME("%ju %jx", UINTMAX_MAX, (uintmax_t)1 << 63);
	SAME("%tu %tx", (ptrdiff_t)-1, (ptrdiff_t)255);
}
END_TEST

START_TEST(strings_and_chars)
{
	SAME("%s|%10s|%-10s|%.2s|%10.2s|%-10.2s|", "abc", "abc", "abc", "abc",
	     "abc", "abc");
	SAME("%.0s|%.10s|%05s|%+s|% s|%#s|", "abc", "abc", "ab", "x", "x", "x");
	SAME("%s|%10s|%-10s|", (char *)NULL, (char *)NULL, (char *)NULL);
	/* glibc prints all of "(null)" or nothing of it. */
	SAME("%.3s|%.5s|%.6s|%.7s|%8.3s|", (char *)NULL, (char *)NULL,
	     (char *)NULL, (char *)NULL, (char *)NULL);
	SAME("%c%c%c|%5c|%-5c|%05c|%.0c|", 'a', 'b', 'c', 'x', 'x', 'x', 'y');
	SAME("%c|%3c|%c", 0, 0, 0xe9); /* a NUL byte is output like any other */
	SAME("%s", "");
	SAME("%5s|%-5s|", "", "");
}
END_TEST

START_TEST(pointers)
{
	void *p = (void *)(uintptr_t)0x1234;
	void *big = (void *)UINTPTR_MAX;

	SAME("%p|%p|%p", p, big, (void *)1);
	SAME("%p|%10p|%-10p|%.2p|%010p|", NULL, NULL, NULL, NULL, NULL);
	SAME("%20p|%-20p|%020p|%.10p|%#p", p, p, p, p, p);
	SAME("%+p|% p|%-+10p|%+020p|%.0p", p, p, p, p, p);
}
END_TEST

START_TEST(star_arguments)
{
	SAME("%*d|%-*d|%*d|", 6, 42, 6, 42, -6, 42);
	SAME("%.*d|%.*d|%.*d|", 4, 42, 0, 0, -3, 42);
	SAME("%0*d|%0.*d|%05.*d|", 6, -42, -5, 3, -1, 3);
	SAME("%*.*s|%-*.*s|", 8, 2, "abcdef", 8, 2, "abcdef");
	SAME("%*s|%*c|%*p|", -4, "a", 3, 'b', 14, (void *)0xfff);
	SAME("%*%|%d", 7, 5);
}
END_TEST

/* Conversions ours does not know come out as written (glibc rewrites the
 * flags in its own order, so only simple ones are compared). */
START_TEST(unknown_conversions)
{
	SAME("%y|%5y|%-y|%.2y|%k", 0);
	char buf[32];
	ck_assert_int_eq(ul_snprintf(buf, sizeof buf, "%-#08.3y|%lly"), 13);
	ck_assert_str_eq(buf, "%-#08.3y|%lly");
	/* A lone '%' at the end: glibc fails, ours keeps the text. */
	ck_assert_int_eq(ul_snprintf(buf, sizeof buf, "abc%"), 4);
	ck_assert_str_eq(buf, "abc%");
	ck_assert_int_eq(ul_snprintf(buf, sizeof buf, "x%5l"), 4);
	ck_assert_str_eq(buf, "x%5l");
}
END_TEST

START_TEST(width_overflow)
{
	char buf[8];
	ck_assert_int_eq(ul_snprintf(buf, sizeof buf, "%99999999999d", 1), -1);
	ck_assert_int_eq(ul_snprintf(buf, sizeof buf, "%.99999999999d", 1), -1);
	ck_assert_int_eq(snprintf(buf, sizeof buf, "%99999999999d", 1), -1);
}
END_TEST

START_TEST(truncation)
{
	/* Every buffer size, from none to more than enough. */
	for (size_t size = 0; size <= 40; size++) {
		SAME_SIZED(size, "%s=%d, %#x%c", "answer", -42, 255u, '!');
		SAME_SIZED(size, "%-12s|%012lld", "left", LLONG_MIN);
	}
	ck_assert_int_eq(ul_snprintf(NULL, 0, "%d %s", 12345, "abc"), 9);
	char one[1] = {'x'};
	ck_assert_int_eq(ul_snprintf(one, 1, "hello"), 5);
	ck_assert_int_eq(one[0], '\0');
}
END_TEST

static int via_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = ul_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(vsnprintf_front)
{
	char buf[64];
	ck_assert_int_eq(via_vsnprintf(buf, sizeof buf, "%s-%d-%x", "a", -1,
	                               0xbeefu),
	                 9);
	ck_assert_str_eq(buf, "a--1-beef");
	ck_assert_int_eq(via_vsnprintf(buf, 4, "%d", 123456), 6);
	ck_assert_str_eq(buf, "123");
}
END_TEST

/* A sink that records what ul_vformat emits, NUL bytes included. */
struct record {
	char bytes[BUF];
	size_t len;
};

static void record_emit(char c, void *ctx)
{
	struct record *r = ctx;
	ck_assert_uint_lt(r->len, sizeof r->bytes);
	r->bytes[r->len++] = c;
}

static int record_format(struct record *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	r->len = 0;
	int n = ul_vformat(record_emit, r, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(vformat_counts)
{
	struct record r;
	char h[BUF];

	ck_assert_int_eq(record_format(&r, ""), 0);
	ck_assert_uint_eq(r.len, 0);
	int n = record_format(&r, "%c%c%s%c", 'a', 0, "bc", 0);
	ck_assert_int_eq(n, 5);
	ck_assert_uint_eq(r.len, 5);
	ck_assert_mem_eq(r.bytes, "a\0bc\0", 5);
	n = record_format(&r, "%-300d|%.200x", -1, 1u);
	ck_assert_int_eq(n, snprintf(h, sizeof h, "%-300d|%.200x", -1, 1u));
	ck_assert_uint_eq(r.len, (size_t)n);
	ck_assert_mem_eq(r.bytes, h, r.len);
}
END_TEST

/* ul_printf and ul_puts write to the console, which on the posix backend
 * is standard output: catch it in a file. The text is longer than the
 * console buffer, so chunked flushing must keep every byte in order. */
START_TEST(console_output)
{
	char path[] = "/tmp/test_printf_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_ge(dup2(fd, STDOUT_FILENO), 0);

	int n1 = ul_printf("[%-300s]%d\n", "wide", 7);
	int n2 = ul_puts("line");
	int n3 = ul_printf("%s", "");

	ck_assert_int_ge(dup2(saved, STDOUT_FILENO), 0);
	close(saved);
	char want[BUF];
	int wn = snprintf(want, sizeof want, "[%-300s]%d\nline\n", "wide", 7);
	ck_assert_int_eq(n1, wn - 5);
	ck_assert_int_eq(n2, 5);
	ck_assert_int_eq(n3, 0);
	char got[BUF] = "";
	ck_assert_int_eq(pread(fd, got, sizeof got, 0), wn);
	ck_assert_mem_eq(got, want, (size_t)wn);
	close(fd);
}
END_TEST

/* xorshift64: a fixed seed makes a failure reproducible. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* A value with interesting bits: an edge of some type or random bits of a
 * random width, so small and huge magnitudes both come up. */
static uint64_t random_value(void)
{
	static const uint64_t edges[] = {
		0, 1, 7, 8, 9, 10, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0x7fff,
		0x8000, 0xffff, 0x10000, INT_MAX, (uint64_t)INT_MIN,
		UINT_MAX, (uint64_t)UINT_MAX + 1, LLONG_MAX,
		(uint64_t)LLONG_MIN, ULLONG_MAX, ULLONG_MAX - 1,
		(uint64_t)-1000000, 1000000,
	};
	if (pick(3) == 0)
		return edges[pick(sizeof edges / sizeof edges[0])];
	unsigned bits = 1 + pick(64);
	return rnd() >> (64 - bits);
}

/* Append a random flags, width and precision to fmt; return how many '*'
 * arguments they take. */
static int random_spec(char *fmt)
{
	static const char flag_chars[] = "-0+ #";
	int stars = 0;

	for (unsigned n = pick(4); n > 0; n--)
		*fmt++ = flag_chars[pick(5)];
	switch (pick(4)) {
	case 0:
		break;
	case 1:
		*fmt++ = '*';
		stars++;
		break;
	default:
		fmt += sprintf(fmt, "%u", pick(30));
	}
	switch (pick(5)) {
	case 0:
	case 1:
		break;
	case 2:
		*fmt++ = '.';
		break;
	case 3:
		*fmt++ = '.';
		*fmt++ = '*';
		stars++;
		break;
	default:
		fmt += sprintf(fmt, ".%u", pick(30));
	}
	*fmt = '\0';
	return stars;
}

/* Compare one format whose final argument is v of type T, after the '*'
 * arguments a and b it asks for. */
#define SAME_STARRED(size, fmt, stars, a, b, v)                            \
	do {                                                               \
		if ((stars) == 0)                                          \
			SAME_SIZED(size, fmt, v);                          \
		else if ((stars) == 1)                                     \
			SAME_SIZED(size, fmt, a, v);                       \
		else                                                       \
			SAME_SIZED(size, fmt, a, b, v);                    \
	} while (0)

/* The value in the type its length modifier calls for. */
static void sweep_integer(size_t size, const char *fmt, int stars, int a,
                          int b, const char *length, bool is_signed,
                          uint64_t v)
{
	if (strcmp(length, "l") == 0) {
		if (is_signed)
			SAME_STARRED(size, fmt, stars, a, b, (long)v);
		else
			SAME_STARRED(size, fmt, stars, a, b, (unsigned long)v);
	} else if (strcmp(length, "ll") == 0) {
		if (is_signed)
			SAME_STARRED(size, fmt, stars, a, b, (long long)v);
		else
			SAME_STARRED(size, fmt, stars, a, b,
			             (unsigned long long)v);
	} else if (strcmp(length, "z") == 0) {
		/* %zd takes the signed type of size_t's width. */
		if (is_signed)
			SAME_STARRED(size, fmt, stars, a, b, (ssize_t)v);
		else
			SAME_STARRED(size, fmt, stars, a, b, (size_t)v);
	} else if (strcmp(length, "j") == 0) {
		if (is_signed)
			SAME_STARRED(size, fmt, stars, a, b, (intmax_t)v);
		else
			SAME_STARRED(size, fmt, stars, a, b, (uintmax_t)v);
	} else if (strcmp(length, "t") == 0) {
		SAME_STARRED(size, fmt, stars, a, b, (ptrdiff_t)v);
	} else if (is_signed) { /* none, h, hh: passed as int */
		SAME_STARRED(size, fmt, stars, a, b, (int)v);
	} else {
		SAME_STARRED(size, fmt, stars, a, b, (unsigned)v);
	}
}

static size_t random_size(void)
{
	return pick(8) == 0 ? pick(BUF) : BUF;
}

/* Random flags, widths, precisions, '*' arguments, lengths and values for
 * every integer conversion, each compared with the host. */
START_TEST(sweep_integers)
{
	static const char *const lengths[] = {"", "hh", "h", "l", "ll", "z",
	                                      "j", "t"};
	static const char convs[] = "diouxX";

	rng_state = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
	for (int i = 0; i < 100000; i++) {
		char fmt[64] = "<%";
		int stars = random_spec(fmt + 2);
		const char *length = lengths[pick(8)];
		char conv = convs[pick(6)];
		sprintf(fmt + strlen(fmt), "%s%c>", length, conv);
		int a = (int)pick(81) - 40, b = (int)pick(81) - 40;
		sweep_integer(random_size(), fmt, stars, a, b, length,
		              conv == 'd' || conv == 'i', random_value());
	}
}
END_TEST

START_TEST(sweep_others)
{
	static const char *const strings[] = {"", "a", "hello", "(null)",
	                                      "a longer string, 33 bytes long",
	                                      NULL};
	static const char convs[] = "scp";

	rng_state = 0xda942042e4dd58b5ull + (uint64_t)_i;
	for (int i = 0; i < 50000; i++) {
		char fmt[64] = "<%";
		int stars = random_spec(fmt + 2);
		char conv = convs[pick(3)];
		sprintf(fmt + strlen(fmt), "%c>", conv);
		int a = (int)pick(81) - 40, b = (int)pick(81) - 40;
		size_t size = random_size();
		/* Drawn once: the comparison evaluates its arguments twice. */
		const char *str = strings[pick(6)];
		int c = (int)pick(256);
		void *p = (void *)(uintptr_t)(pick(4) ? random_value() : 0);
		if (conv == 's')
			SAME_STARRED(size, fmt, stars, a, b, str);
		else if (conv == 'c')
			SAME_STARRED(size, fmt, stars, a, b, c);
		else
			SAME_STARRED(size, fmt, stars, a, b, p);
	}
}
END_TEST

static Suite *printf_suite(void)
{
	Suite *s = suite_create("printf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, plain_text);
	tcase_add_test(tc, signed_table);
	tcase_add_test(tc, unsigned_table);
	tcase_add_test(tc, strings_and_chars);
	tcase_add_test(tc, pointers);
	tcase_add_test(tc, star_arguments);
	tcase_add_test(tc, unknown_conversions);
	tcase_add_test(tc, width_overflow);
	tcase_add_test(tc, truncation);
	tcase_add_test(tc, vsnprintf_front);
	tcase_add_test(tc, vformat_counts);
	tcase_add_test(tc, console_output);
	suite_add_tcase(s, tc);

	TCase *sweep = tcase_create("sweep");
	tcase_set_timeout(sweep, 60);
	tcase_add_loop_test(sweep, sweep_integers, 0, 4);
	tcase_add_loop_test(sweep, sweep_others, 0, 2);
	suite_add_tcase(s, sweep);
	return s;
}

int main(void)
{
	return ul_run_suite(printf_suite());
}
