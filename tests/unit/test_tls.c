/* Unit tests of what TLS reads before any connection (net/tls_pem.c,
 * tls_file.c): files that are missing, not PEM, cut off, or hold no
 * usable certificate or key are refused with -UL_ENOENT or -UL_EINVAL,
 * never a crash; a file of the file system wins over an embedded one of
 * the same path; and of the core's CSPRNG (core/random.c): output that
 * differs call to call and across a reseed. */
#include <stdlib.h>
#include <string.h>

#include "fs_harness.h"
#include "run_suite.h"

#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/random.h>
#include <unilab/tls.h>

#define FILE_(path, text) {path, (const unsigned char *)text, sizeof text - 1}
/* "hello" in base64 is valid PEM, but not a certificate or a key. */
#define NOT_DER "aGVsbG8gd29ybGQ=\n"

const struct ul_tls_file ul_tls_files[] = {
	FILE_("/empty", ""),
	FILE_("/text", "this is not PEM at all\n"),
	FILE_("/cut", "-----BEGIN CERTIFICATE-----\n" NOT_DER),
	FILE_("/bad-base64", "-----BEGIN CERTIFICATE-----\n!!!!\n"
	                     "-----END CERTIFICATE-----\n"),
	FILE_("/not-der", "-----BEGIN CERTIFICATE-----\n" NOT_DER
	                  "-----END CERTIFICATE-----\n"),
	FILE_("/bad-key", "-----BEGIN PRIVATE KEY-----\n" NOT_DER
	                  "-----END PRIVATE KEY-----\n"),
	{0},
};

static void setup(void)
{
	void *region = aligned_alloc(UL_PAGE_SIZE, 4 << 20);
	ul_page_init(region, 4 << 20);
}

START_TEST(file_lookup)
{
	void *data;
	size_t len;
	ck_assert_int_eq(ul_tls_read_file("/text", &data, &len), 0);
	ck_assert_uint_eq(len, strlen("this is not PEM at all\n"));
	ck_assert_mem_eq(data, "this is not PEM at all\n", len);
	ul_free(data);
	ck_assert_int_eq(ul_tls_read_file("/nope", &data, &len), -UL_ENOENT);
}
END_TEST

/* With a romfs on /, its files are read first; a path it lacks still
 * finds the embedded file, and a folder is no certificate. */
START_TEST(file_system_first)
{
	put_file("tree/text", "from the romfs\n", 15);
	ck_assert_int_eq(sh("genromfs -f %s/romfs.img -d %s/tree -V tls",
	                    fs_tmp, fs_tmp), 0);
	size_t img_len;
	unsigned char *img = load("romfs.img", &img_len);
	ck_assert_int_eq(ul_mount_romfs("/", img, img_len), 0);
	void *data;
	size_t len;
	ck_assert_int_eq(ul_tls_read_file("/text", &data, &len), 0);
	ck_assert_uint_eq(len, 15);
	ck_assert_mem_eq(data, "from the romfs\n", 15);
	ul_free(data);
	ck_assert_int_eq(ul_tls_read_file("/cut", &data, &len), 0);
	ck_assert_uint_eq(len, strlen("-----BEGIN CERTIFICATE-----\n" NOT_DER));
	ul_free(data);
	ck_assert_int_eq(ul_tls_read_file("/", &data, &len), -UL_EISDIR);
	ck_assert_int_eq(ul_tls_read_file("/nope", &data, &len), -UL_ENOENT);
	free(img);
}
END_TEST

static int server_error(const char *chain, const char *key)
{
	int err = 0;
	ck_assert_ptr_null(ul_tls_server_new(chain, key, &err));
	return err;
}

START_TEST(bad_server_files)
{
	ck_assert_int_eq(server_error("/nope", "/nope"), -UL_ENOENT);
	ck_assert_int_eq(server_error("/empty", "/bad-key"), -UL_EINVAL);
	ck_assert_int_eq(server_error("/text", "/bad-key"), -UL_EINVAL);
	ck_assert_int_eq(server_error("/cut", "/bad-key"), -UL_EINVAL);
	ck_assert_int_eq(server_error("/bad-base64", "/bad-key"), -UL_EINVAL);
	/* A "certificate" that is not DER: refused once decoded, after the
	 * key, which here is not a key either. */
	ck_assert_int_eq(server_error("/not-der", "/bad-key"), -UL_EINVAL);
	ck_assert_int_eq(server_error("/not-der", "/nope"), -UL_ENOENT);
}
END_TEST

START_TEST(bad_ca_files)
{
	int err = 0;
	ck_assert_ptr_null(ul_tls_client_new("/nope", &err));
	ck_assert_int_eq(err, -UL_ENOENT);
	ck_assert_ptr_null(ul_tls_client_new("/not-der", &err));
	ck_assert_int_eq(err, -UL_EINVAL);
	ck_assert_ptr_null(ul_tls_client_new("/bad-key", &err));
	ck_assert_int_eq(err, -UL_EINVAL); /* no certificate in it */
}
END_TEST

START_TEST(random_differs)
{
	unsigned char a[32], b[32];
	ck_assert_int_eq(ul_random_bytes(a, sizeof a), 0);
	ck_assert_int_eq(ul_random_bytes(b, sizeof b), 0);
	ck_assert_mem_ne(a, b, sizeof a);
	/* Past the reseed point (1 MiB), still bytes, still different. */
	unsigned char *big = malloc(3 << 20);
	ck_assert_int_eq(ul_random_bytes(big, 3 << 20), 0);
	ck_assert_int_eq(ul_random_bytes(a, sizeof a), 0);
	ck_assert_mem_ne(a, b, sizeof a);
	ck_assert_mem_ne(big, big + (2 << 20), 64);
	free(big);
	ck_assert_int_eq(ul_random_entropy(a, sizeof a), 0);
	ck_assert_mem_ne(a, b, sizeof a);
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *files = tcase_create("files");
	TCase *random = tcase_create("random");

	tcase_add_checked_fixture(files, setup, NULL);
	tcase_add_test(files, file_lookup);
	tcase_add_test(files, bad_server_files);
	tcase_add_test(files, bad_ca_files);
	suite_add_tcase(s, files);
	TCase *fs = tcase_create("file system");
	tcase_add_checked_fixture(fs, fs_setup, fs_teardown);
	tcase_add_test(fs, file_system_first);
	suite_add_tcase(s, fs);
	tcase_add_test(random, random_differs);
	suite_add_tcase(s, random);
	return s;
}

int main(void)
{
	return ul_run_suite(tls_suite());
}
