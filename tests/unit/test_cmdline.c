/* Unit tests of the command-line parser: words, quoting, core options, app
 * arguments and every error message. */
#include "run_suite.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/mem.h>

static void *region;

static void setup(void)
{
	region = aligned_alloc(UL_PAGE_SIZE, 1 << 20);
	ul_page_init(region, 1 << 20);
}

static void teardown(void)
{
	free(region);
}

/* Parse line and check it gives exactly the app arguments in want. */
static void check_args(const char *line, const char *const *want, int n)
{
	struct ul_cmdline cl;
	char err[160] = "";
	ck_assert_msg(ul_cmdline_parse(line, "app", &cl, err, sizeof err) == 0,
	              "parse of [%s] failed: %s", line, err);
	ck_assert_int_eq(cl.argc, n + 1);
	ck_assert_str_eq(cl.argv[0], "app");
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(cl.argv[i + 1], want[i]);
	ck_assert_ptr_null(cl.argv[cl.argc]);
	ul_cmdline_free(&cl);
}

/* Parse line, expect failure, and check the message contains part. */
static void check_error(const char *line, int code, const char *part)
{
	struct ul_cmdline cl;
	char err[160] = "";
	ck_assert_int_eq(ul_cmdline_parse(line, "app", &cl, err, sizeof err),
	                 code);
	ck_assert_msg(strstr(err, part) != NULL, "error [%s] lacks [%s]", err,
	              part);
}

START_TEST(empty_lines)
{
	check_args("", NULL, 0);
	check_args("   \t  ", NULL, 0);
	struct ul_cmdline cl;
	char err[16];
	ck_assert_int_eq(ul_cmdline_parse(NULL, "app", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.argc, 1);
	ul_cmdline_free(&cl);
}
END_TEST

START_TEST(plain_words)
{
	const char *want[] = {"one", "two", "three"};
	check_args("one two three", want, 3);
	check_args("  one\ttwo   three  ", want, 3);
}
END_TEST

START_TEST(quoting)
{
	const char *w1[] = {"two words", "x"};
	check_args("'two words' x", w1, 2);
	check_args("\"two words\" x", w1, 2);
	check_args("two\\ words x", w1, 2);
	const char *w2[] = {"", "a"};
	check_args("'' a", w2, 2);
	check_args("\"\" a", w2, 2);
	const char *w3[] = {"it's"};
	check_args("'it'\\''s'", w3, 1);
	check_args("\"it's\"", w3, 1);
	const char *w4[] = {"a\"b", "c\\d", "$x"};
	check_args("'a\"b' \"c\\\\d\" '$x'", w4, 3);
	const char *w5[] = {"joined"};
	check_args("jo'in'\"ed\"", w5, 1);
	const char *w6[] = {"back\\slash"};
	check_args("'back\\slash'", w6, 1); /* no escapes in single quotes */
}
END_TEST

START_TEST(core_options)
{
	struct ul_cmdline cl;
	char err[160];
	ck_assert_int_eq(ul_cmdline_parse("loglevel=debug verbose=1 a b=c",
	                                  "app", &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.nopts, 2);
	ck_assert_str_eq(cl.opts[0].key, "loglevel");
	ck_assert_str_eq(cl.opts[0].value, "debug");
	ck_assert_str_eq(cl.opts[1].key, "verbose");
	ck_assert_str_eq(cl.opts[1].value, "1");
	/* After the first app argument, key=value words belong to the app. */
	ck_assert_int_eq(cl.argc, 3);
	ck_assert_str_eq(cl.argv[1], "a");
	ck_assert_str_eq(cl.argv[2], "b=c");
	ul_cmdline_free(&cl);

	ck_assert_int_eq(ul_cmdline_parse("loglevel='a b' -- x=1 --", "app",
	                                  &cl, err, sizeof err), 0);
	ck_assert_int_eq(cl.nopts, 1);
	ck_assert_str_eq(cl.opts[0].value, "a b");
	ck_assert_int_eq(cl.argc, 3);
	ck_assert_str_eq(cl.argv[1], "x=1");
	ck_assert_str_eq(cl.argv[2], "--"); /* only the first -- is special */
	ul_cmdline_free(&cl);

	ck_assert_int_eq(ul_cmdline_parse("verbose=", "app", &cl, err,
	                                  sizeof err), 0);
	ck_assert_str_eq(cl.opts[0].value, "");
	ul_cmdline_free(&cl);

	/* Not of the key=value form: the app's arguments begin. */
	const char *w[] = {"=x", "1a=b"};
	check_args("=x 1a=b", w, 2);
	const char *url[] = {"http://h/?a=b"};
	check_args("http://h/?a=b", url, 1);
}
END_TEST

START_TEST(errors)
{
	check_error("nosuch=1", -UL_EINVAL, "unknown core option 'nosuch'");
	check_error("loglevel=info loglevel=debug", -UL_EINVAL,
	            "core option 'loglevel' given twice");
	check_error("a 'open", -UL_EINVAL,
	            "unterminated ' quote starting at column 3");
	check_error("\"open", -UL_EINVAL,
	            "unterminated \" quote starting at column 1");
	check_error("a\\", -UL_EINVAL, "backslash at the end");

	char line[4096] = "";
	for (int i = 0; i < UL_CMDLINE_MAX_ARGS; i++)
		strcat(line, "x ");
	check_error(line, -UL_E2BIG, "more than 63 app arguments");
}
END_TEST

START_TEST(no_leak)
{
	struct ul_heap_stats before, after;
	ul_heap_stats(&before);
	for (int i = 0; i < 100; i++) {
		struct ul_cmdline cl;
		char err[160];
		ul_cmdline_parse("loglevel=info a 'b c'", "app", &cl, err,
		                 sizeof err);
		ul_cmdline_free(&cl);
		ul_cmdline_parse("a 'b", "app", &cl, err, sizeof err);
	}
	ul_heap_stats(&after);
	ck_assert_uint_eq(after.in_use, before.in_use);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("parse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_lines);
	tcase_add_test(tc, plain_words);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, core_options);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, no_leak);
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}
