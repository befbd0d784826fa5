/* Unit tests of the host library's option parser (options.c), which both
 * the posix backend's images and the kvm monitor use: how options end,
 * both forms of a value, exact names only, and the words for bad ones. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "run_suite.h"
#include "options.h"

enum { HELP = 1, MEM, STATS, DISK, WAIT };

static const struct ul_host_option table[] = {
	{ "help", UL_HOST_NO_VALUE, HELP },
	{ "mem", UL_HOST_VALUE, MEM },
	{ "stats", UL_HOST_NO_VALUE, STATS },
	{ "disk", UL_HOST_VALUE, DISK },
	{ "wait", UL_HOST_OPTIONAL_VALUE, WAIT },
	{ NULL, UL_HOST_NO_VALUE, 0 },
};

/* Parse words (NULL-ended) and describe what came out, one "id=value" or
 * "id" per option, then "| next" with the first word after the options,
 * or "! message" when the parser refused one. */
static const char *parse(char **words)
{
	static char out[1024];
	int argc = 0;
	while (words[argc])
		argc++;
	struct ul_host_args args = { argc, words, 1 };
	struct ul_host_error err;
	const char *v;
	int id;
	out[0] = '\0';
	while ((id = ul_host_option_next(&args, table, &v, &err)) > 0) {
		size_t n = strlen(out);
		if (v)
			snprintf(out + n, sizeof(out) - n, "%d=%s ", id, v);
		else
			snprintf(out + n, sizeof(out) - n, "%d ", id);
	}
	size_t n = strlen(out);
	if (id < 0)
		snprintf(out + n, sizeof(out) - n, "! %s", err.msg);
	else
		snprintf(out + n, sizeof(out) - n, "| %s",
		         args.next < argc ? words[args.next] : "(end)");
	return out;
}

#define PARSE(...) parse((char *[]){"prog", __VA_ARGS__, NULL})

START_TEST(options_and_their_end)
{
	ck_assert_str_eq(PARSE("--mem=8M", "--stats", "image", "--mem=1G"),
	                 "2=8M 3 | image");
	/* The value as the next word, as getopt_long takes it. */
	ck_assert_str_eq(PARSE("--mem", "16M", "--disk", "--x", "app"),
	                 "2=16M 4=--x | app");
	ck_assert_str_eq(PARSE("--mem="), "2= | (end)");
	/* "--" ends the options and is not the image's. */
	ck_assert_str_eq(PARSE("--stats", "--", "--mem=1G"), "3 | --mem=1G");
	ck_assert_str_eq(PARSE("--", "--"), "| --");
	/* A word with one dash is the image's, except -h. */
	ck_assert_str_eq(PARSE("-v", "--stats"), "| -v");
	ck_assert_str_eq(PARSE("-h", "x"), "1 | x");
	ck_assert_str_eq(PARSE("loglevel=debug"), "| loglevel=debug");
	/* An optional value comes only after "=": the next word is the
	 * image's. */
	ck_assert_str_eq(PARSE("--wait", "image"), "5 | image");
	ck_assert_str_eq(PARSE("--wait=long", "image"), "5=long | image");
	ck_assert_str_eq(PARSE("--wait", "--stats"), "5 3 | (end)");
}
END_TEST

START_TEST(bad_options)
{
	ck_assert_str_eq(PARSE("--frobnicate", "x"),
	                 "! unknown option '--frobnicate'");
	ck_assert_str_eq(PARSE("--frob=nicate"), "! unknown option '--frob'");
	/* Exact names: an abbreviation is no option (getopt_long took it). */
	ck_assert_str_eq(PARSE("--me=8M"), "! unknown option '--me'");
	ck_assert_str_eq(PARSE("--memory=8M"), "! unknown option '--memory'");
	ck_assert_str_eq(PARSE("--stats", "--mem"),
	                 "3 ! --mem needs a value: --mem=VALUE");
	ck_assert_str_eq(PARSE("--stats=yes"), "! --stats takes no value");
	ck_assert_str_eq(PARSE("-"), "| -");
}
END_TEST

static const char *size(const char *text, uint64_t min, uint64_t max)
{
	static char out[600];
	struct ul_host_error err;
	uint64_t n;
	if (ul_host_option_size("--mem", text, min, max, &n, &err) < 0)
		snprintf(out, sizeof(out), "! %s", err.msg);
	else
		snprintf(out, sizeof(out), "%llu", (unsigned long long)n);
	return out;
}

START_TEST(sizes)
{
	const uint64_t K = 1024, G = K * K * K;
	ck_assert_str_eq(size("8M", 256 * K, 4 * G), "8388608");
	ck_assert_str_eq(size("1GiB", 256 * K, 4 * G), "1073741824");
	ck_assert_str_eq(size("262144", 256 * K, 4 * G), "262144");
	ck_assert_str_eq(size("4G", 256 * K, 4 * G), "4294967296");
	ck_assert_str_eq(size("lots", 256 * K, 4 * G),
	                 "! --mem=lots: not a size (try --mem=8M)");
	ck_assert_str_eq(size("-1M", 256 * K, 4 * G),
	                 "! --mem=-1M: not a size (try --mem=8M)");
	ck_assert_str_eq(size("", 256 * K, 4 * G),
	                 "! --mem=: not a size (try --mem=8M)");
	ck_assert_str_eq(size("4K", 256 * K, 4 * G),
	                 "! --mem=4K: must be 256K..4G");
	ck_assert_str_eq(size("5G", 256 * K, 4 * G),
	                 "! --mem=5G: must be 256K..4G");
	ck_assert_str_eq(size("2T", 256 * K, K * G),
	                 "! --mem=2T: must be 256K..1T");
	/* Too large for 64 bits is out of range, not "not a size". */
	ck_assert_str_eq(size("99999999999T", 256 * K, 4 * G),
	                 "! --mem=99999999999T: must be 256K..4G");
	ck_assert_str_eq(size("1000", 1000, 1001), "1000");
	ck_assert_str_eq(size("7", 1000, 1001), "! --mem=7: must be 1000..1001");
}
END_TEST

START_TEST(ports)
{
	struct ul_host_error err;
	unsigned port = 1;
	ck_assert_int_eq(ul_host_option_port("--gdb", "0", &port, &err), 0);
	ck_assert_uint_eq(port, 0);
	ck_assert_int_eq(ul_host_option_port("--gdb", "65535", &port, &err), 0);
	ck_assert_uint_eq(port, 65535);
	const char *bad[] = {"65536", "-1", "", "12ab", " 1", "0x10"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(
			ul_host_option_port("--gdb", bad[i], &port, &err), -1);
		ck_assert_msg(strstr(err.msg, "want a port, 0..65535"), "%s: %s",
		              bad[i], err.msg);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("host_options");
	TCase *tc = tcase_create("options");
	tcase_add_test(tc, options_and_their_end);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, sizes);
	tcase_add_test(tc, ports);
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}
