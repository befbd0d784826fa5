/* Unit tests of the file systems: disks made by the real tools (mke2fs,
 * genromfs) in a temporary folder, held in memory while the VFS works on
 * them, and written back for e2fsck and debugfs to judge. */
#ifndef UL_TEST_FS_HARNESS_H
#define UL_TEST_FS_HARNESS_H

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unilab/errno.h>
#include <unilab/fs.h>
#include <unilab/mem.h>
#include "blkdev.h"
#include "fstypes.h"

#define FS_HEAP (48u << 20)

/* The file systems read core options, which links the core's boot path
 * and its call of the app; these tests never boot. */
int ul_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static char fs_tmp[64];   /* the test's temporary folder */
static void *fs_heap;

static inline void fs_setup(void)
{
	fs_heap = aligned_alloc(UL_PAGE_SIZE, FS_HEAP);
	ck_assert_ptr_nonnull(fs_heap);
	ul_page_init(fs_heap, FS_HEAP);
	snprintf(fs_tmp, sizeof fs_tmp, "/tmp/ulfs-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fs_tmp));
}

static inline void fs_teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", fs_tmp);
	ck_assert_int_eq(system(cmd), 0);
	free(fs_heap);
}

/* Run a shell command (printf-style), quietly; its exit status. */
static inline int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* Write a file under the temporary folder (creating its folder). */
static inline void put_file(const char *rel, const void *data, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", fs_tmp, rel);
	ck_assert_int_eq(sh("mkdir -p \"$(dirname '%s')\"", path), 0);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A whole file of the temporary folder in malloc'd memory. */
static inline unsigned char *load(const char *rel, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", fs_tmp, rel);
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = malloc(*len ? *len : 1);
	ck_assert_uint_eq(fread(p, 1, *len, f), *len);
	fclose(f);
	return p;
}

static inline void save(const char *rel, const void *data, size_t len)
{
	put_file(rel, data, len);
}

/* Read a whole file through the VFS into buf; its length. */
static inline long vfs_slurp(const char *path, char *buf, size_t cap)
{
	int fd = ul_open(path, UL_O_RDONLY, 0);
	if (fd < 0)
		return fd;
	long total = 0, n;
	while ((n = ul_read(fd, buf + total, cap - (size_t)total)) > 0)
		total += n;
	ul_close(fd);
	return n < 0 ? n : total;
}

/* Write len bytes as a new file through the VFS. */
static inline void vfs_put(const char *path, const void *data, size_t len)
{
	int fd = ul_open(path, UL_O_WRONLY | UL_O_CREAT | UL_O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "open %s: %s", path, ul_strerror(fd));
	ck_assert_int_eq(ul_write(fd, data, len), (long)len);
	ck_assert_int_eq(ul_close(fd), 0);
}

#endif
