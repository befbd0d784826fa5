/* Unit tests of the string, memory and ctype functions, checked against the
 * host C library wherever it has the same function. */
#include "run_suite.h"
#include <check.h>
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/ctype.h>
#include <unilab/mem.h>
#include <unilab/string.h>

#define AREA 160

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Bytes that differ from one offset to the next and include high bytes. */
static void fill_pattern(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 37 + 11);
}

/* Every alignment of source and destination and every short length, so
 * both the byte path and the word path of the copy run. The whole area
 * is compared: no byte outside the copy may change. */
START_TEST(memcpy_alignments)
{
	unsigned char src[AREA], got[AREA], want[AREA];

	fill_pattern(src, sizeof src);
	for (size_t so = 0; so < 16; so++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n <= 100; n++) {
				memset(got, 0xee, sizeof got);
				memset(want, 0xee, sizeof want);
				memcpy(want + d, src + so, n);
				ck_assert_ptr_eq(ul_memcpy(got + d, src + so, n),
				                 got + d);
				ck_assert_msg(memcmp(got, want, AREA) == 0,
				              "src+%zu dst+%zu n=%zu", so, d, n);
			}
}
END_TEST

/* Source and destination inside one buffer, overlapping both ways. */
START_TEST(memmove_overlaps)
{
	unsigned char got[AREA], want[AREA];

	for (size_t so = 0; so < 40; so++)
		for (size_t d = 0; d < 40; d++)
			for (size_t n = 0; n <= 100; n++) {
				fill_pattern(got, sizeof got);
				fill_pattern(want, sizeof want);
				memmove(want + d, want + so, n);
				ck_assert_ptr_eq(ul_memmove(got + d, got + so, n),
				                 got + d);
				ck_assert_msg(memcmp(got, want, AREA) == 0,
				              "src+%zu dst+%zu n=%zu", so, d, n);
			}
}
END_TEST

START_TEST(memset_fills)
{
	static const int values[] = {0, 0x5a, 0xff, -1, 0x1234, INT_MIN};
	unsigned char got[AREA], want[AREA];

	for (size_t v = 0; v < sizeof values / sizeof values[0]; v++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n <= 100; n++) {
				fill_pattern(got, sizeof got);
				fill_pattern(want, sizeof want);
				memset(want + d, values[v], n);
				ck_assert_ptr_eq(ul_memset(got + d, values[v], n),
				                 got + d);
				ck_assert_msg(memcmp(got, want, AREA) == 0,
				              "value %d dst+%zu n=%zu", values[v], d,
				              n);
			}
}
END_TEST

/* memcmp compares unsigned bytes: 0x80 is greater than 0x7f. */
START_TEST(memcmp_order)
{
	unsigned char a[40], b[40];

	fill_pattern(a, sizeof a);
	ck_assert_int_eq(ul_memcmp(a, a, 0), 0);
	for (size_t i = 0; i < sizeof a; i++) {
		static const unsigned char swaps[][2] = {
			{0x00, 0x01}, {0x7f, 0x80}, {0x01, 0xff}, {0xfe, 0xff}};
		for (size_t s = 0; s < 4; s++)
			for (int flip = 0; flip < 2; flip++) {
				memcpy(b, a, sizeof b);
				a[i] = swaps[s][flip];
				b[i] = swaps[s][!flip];
				ck_assert_int_eq(sign(ul_memcmp(a, b, sizeof a)),
				                 sign(memcmp(a, b, sizeof a)));
				ck_assert_int_eq(ul_memcmp(a, b, i), 0);
			}
	}
}
END_TEST

START_TEST(memchr_finds)
{
	const char s[] = "abc\0abc\xe9";

	ck_assert_ptr_eq(ul_memchr(s, 'c', 8), s + 2);
	ck_assert_ptr_eq(ul_memchr(s, '\0', 8), s + 3);
	ck_assert_ptr_eq(ul_memchr(s, 0xe9, 8), s + 7);
	ck_assert_ptr_eq(ul_memchr(s, (char)0xe9, 8), s + 7);
	ck_assert_ptr_eq(ul_memchr(s, 0x100 + 'b', 8), s + 1);
	ck_assert_ptr_null(ul_memchr(s, 'c', 2));
	ck_assert_ptr_null(ul_memchr(s, 'z', 8));
	ck_assert_ptr_null(ul_memchr(s, 'a', 0));
}
END_TEST

START_TEST(lengths)
{
	static const char *const strs[] = {"", "a", "hello", "h\xe9llo",
	                                   "a longer string of 33 characters"};

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		ck_assert_uint_eq(ul_strlen(strs[i]), strlen(strs[i]));
		for (size_t max = 0; max < 40; max++)
			ck_assert_uint_eq(ul_strnlen(strs[i], max),
			                  strnlen(strs[i], max));
	}
	/* strnlen must not read past max when there is no terminator. */
	char raw[4] = {'a', 'b', 'c', 'd'};
	ck_assert_uint_eq(ul_strnlen(raw, sizeof raw), 4);
}
END_TEST

START_TEST(comparisons)
{
	static const char *const strs[] = {"", "a", "b", "ab", "abc", "abd",
	                                   "abcd", "\x7f", "\x80", "\xff",
	                                   "a\xff", "A"};
	size_t n = sizeof strs / sizeof strs[0];

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			const char *a = strs[i], *b = strs[j];
			ck_assert_msg(sign(ul_strcmp(a, b)) ==
			                      sign(strcmp(a, b)),
			              "strcmp(\"%s\", \"%s\")", a, b);
			for (size_t k = 0; k < 6; k++)
				ck_assert_msg(sign(ul_strncmp(a, b, k)) ==
				                      sign(strncmp(a, b, k)),
				              "strncmp(\"%s\", \"%s\", %zu)", a,
				              b, k);
		}
	/* strncmp stops at n even when the strings go on differing. */
	ck_assert_int_eq(ul_strncmp("abcX", "abcY", 3), 0);
}
END_TEST

START_TEST(searches)
{
	const char *s = "hello, w\xe9rld";

	ck_assert_ptr_eq(ul_strchr(s, 'l'), strchr(s, 'l'));
	ck_assert_ptr_eq(ul_strrchr(s, 'l'), strrchr(s, 'l'));
	ck_assert_ptr_eq(ul_strchr(s, '\0'), s + strlen(s));
	ck_assert_ptr_eq(ul_strrchr(s, '\0'), s + strlen(s));
	ck_assert_ptr_eq(ul_strchr(s, 0xe9), strchr(s, 0xe9));
	ck_assert_ptr_eq(ul_strrchr(s, (char)0xe9), strrchr(s, (char)0xe9));
	ck_assert_ptr_eq(ul_strchr(s, 'h'), s);
	ck_assert_ptr_eq(ul_strrchr(s, 'h'), s);
	ck_assert_ptr_null(ul_strchr(s, 'z'));
	ck_assert_ptr_null(ul_strrchr(s, 'z'));
	ck_assert_ptr_null(ul_strchr("", 'a'));
}
END_TEST

START_TEST(substrings)
{
	static const char *const hay[] = {"", "a", "aaab", "abababc",
	                                  "needle in a haystack", "xyz"};
	static const char *const needles[] = {"", "a", "ab", "aab", "abc",
	                                      "ababc", "hay", "stack", "xyzw",
	                                      "z", "haystack!"};

	for (size_t i = 0; i < sizeof hay / sizeof hay[0]; i++)
		for (size_t j = 0; j < sizeof needles / sizeof needles[0]; j++)
			ck_assert_msg(ul_strstr(hay[i], needles[j]) ==
			                      strstr(hay[i], needles[j]),
			              "strstr(\"%s\", \"%s\")", hay[i],
			              needles[j]);
}
END_TEST

/* strlcpy is not in glibc 2.36: check it against its definition. */
START_TEST(bounded_copy)
{
	char buf[8];

	memset(buf, 'x', sizeof buf);
	ck_assert_uint_eq(ul_strlcpy(buf, "abc", 0), 3);
	ck_assert_int_eq(buf[0], 'x');
	ck_assert_uint_eq(ul_strlcpy(buf, "abc", 1), 3);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(buf[1], 'x');
	ck_assert_uint_eq(ul_strlcpy(buf, "abc", 4), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(ul_strlcpy(buf, "abcdefghij", sizeof buf), 10);
	ck_assert_str_eq(buf, "abcdefg");
	ck_assert_uint_eq(ul_strlcpy(buf, "", sizeof buf), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(duplicate)
{
	void *region = aligned_alloc(UL_PAGE_SIZE, 1 << 20);
	ul_page_init(region, 1 << 20);

	const char *s = "copy me";
	char *d = ul_strdup(s);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_ne(d, s);
	ck_assert_str_eq(d, s);
	char *e = ul_strdup("");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e, "");
	ul_free(d);
	ul_free(e);
	free(region);
}
END_TEST

/* Every class of every value a C ctype function accepts: EOF and all of
 * unsigned char, in the "C" locale the host starts in. */
START_TEST(classes_match_host)
{
	for (int c = -1; c <= UCHAR_MAX; c++) {
		ck_assert_int_eq(!ul_isdigit(c), !isdigit(c));
		ck_assert_int_eq(!ul_isxdigit(c), !isxdigit(c));
		ck_assert_int_eq(!ul_isalpha(c), !isalpha(c));
		ck_assert_int_eq(!ul_isalnum(c), !isalnum(c));
		ck_assert_int_eq(!ul_isspace(c), !isspace(c));
		ck_assert_int_eq(!ul_isupper(c), !isupper(c));
		ck_assert_int_eq(!ul_islower(c), !islower(c));
		ck_assert_int_eq(!ul_isprint(c), !isprint(c));
		ck_assert_int_eq(ul_toupper(c), toupper(c));
		ck_assert_int_eq(ul_tolower(c), tolower(c));
	}
}
END_TEST

/* Values C leaves undefined belong to no class and map to themselves. */
START_TEST(classes_out_of_range)
{
	static const int odd[] = {-2, 256, 'a' + 256, 1000, INT_MIN, INT_MAX};

	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		int c = odd[i];
		ck_assert(!ul_isdigit(c) && !ul_isxdigit(c) && !ul_isalpha(c) &&
		          !ul_isalnum(c) && !ul_isspace(c) && !ul_isupper(c) &&
		          !ul_islower(c) && !ul_isprint(c));
		ck_assert_int_eq(ul_toupper(c), c);
		ck_assert_int_eq(ul_tolower(c), c);
	}
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *mem = tcase_create("memory");
	TCase *str = tcase_create("strings");
	TCase *ctype = tcase_create("ctype");

	tcase_add_test(mem, memcpy_alignments);
	tcase_add_test(mem, memmove_overlaps);
	tcase_add_test(mem, memset_fills);
	tcase_add_test(mem, memcmp_order);
	tcase_add_test(mem, memchr_finds);
	suite_add_tcase(s, mem);
	tcase_add_test(str, lengths);
	tcase_add_test(str, comparisons);
	tcase_add_test(str, searches);
	tcase_add_test(str, substrings);
	tcase_add_test(str, bounded_copy);
	tcase_add_test(str, duplicate);
	suite_add_tcase(s, str);
	tcase_add_test(ctype, classes_match_host);
	tcase_add_test(ctype, classes_out_of_range);
	suite_add_tcase(s, ctype);
	return s;
}

int main(void)
{
	return ul_run_suite(string_suite());
}
