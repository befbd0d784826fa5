/* Unit tests of the host library's disk files (disk.c), which both the
 * posix backend and the kvm monitor use: what opens, and how; what is
 * refused, and with which words; sector ranges and read-only disks.
 * With the argument "immutable", only the case that needs root and a file
 * system with chattr +i runs (it exits 77 when it cannot). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "run_suite.h"
#include "disk.h"

static char dir[] = "/tmp/unilab-disk-XXXXXX";

/* dir/name, made size bytes long (filled with byte). Not with ck_assert:
 * main uses it outside a test too. */
static const char *make_file(const char *name, size_t size, int byte)
{
	static char path[sizeof(dir) + 64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	for (size_t i = 0; f && i < size; i++)
		fputc(byte, f);
	if (!f || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	return path;
}

/* path is refused, and the message contains want. */
static void open_bad(const char *path, const char *want)
{
	struct ul_host_disk d;
	struct ul_host_error err = { "" };
	ck_assert_int_lt(ul_host_disk_open(path, &d, &err), 0);
	ck_assert_msg(strstr(err.msg, want), "%s: '%s' lacks '%s'", path,
	              err.msg, want);
}

START_TEST(whole_sectors_read_and_written)
{
	/* Three sectors and a partial fourth, which is not used. */
	const char *path = make_file("three", 3 * 512 + 100, 'a');
	struct ul_host_disk d;
	struct ul_host_error err = { "" };
	ck_assert_msg(ul_host_disk_open(path, &d, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(d.sectors, 3);
	ck_assert(!d.read_only);

	char buf[1024], back[1024];
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(ul_host_disk_io(&d, 1, buf, 2, true), 0);
	ck_assert_int_eq(ul_host_disk_io(&d, 0, back, 2, false), 0);
	ck_assert_int_eq(back[0], 'a');
	ck_assert_int_eq(back[511], 'a');
	ck_assert_int_eq(back[512], 'x');
	ck_assert_int_eq(ul_host_disk_io(&d, 2, back, 1, false), 0);
	ck_assert_int_eq(back[511], 'x');
	/* What the file holds, seen by the host: sector 1 at byte 512. */
	int fd = open(path, O_RDONLY);
	ck_assert_int_eq(pread(fd, back, 1, 512), 1);
	ck_assert_int_eq(back[0], 'x');
	ck_assert_int_eq(pread(fd, back, 1, 3 * 512), 1);
	ck_assert_int_eq(back[0], 'a'); /* the partial sector is untouched */
	close(fd);
	close(d.fd);
}
END_TEST

START_TEST(ranges_outside_the_disk)
{
	struct ul_host_disk d;
	struct ul_host_error err = { "" };
	ck_assert_int_eq(ul_host_disk_open(make_file("two", 1024, 0), &d, &err),
			 0);
	char buf[512];
	ck_assert_int_eq(ul_host_disk_check(&d, 0, 2, true), 0);
	ck_assert_int_eq(ul_host_disk_check(&d, 2, 0, false), 0);
	ck_assert_int_eq(ul_host_disk_io(&d, 2, buf, 1, false), -UL_EINVAL);
	ck_assert_int_eq(ul_host_disk_io(&d, 1, buf, 2, false), -UL_EINVAL);
	ck_assert_int_eq(ul_host_disk_check(&d, 3, 0, false), -UL_EINVAL);
	/* sector + count wraps around: still refused. */
	ck_assert_int_eq(ul_host_disk_check(&d, 1, UINT64_MAX, false),
			 -UL_EINVAL);
	ck_assert_int_eq(ul_host_disk_check(&d, UINT64_MAX, 2, true),
			 -UL_EINVAL);
	close(d.fd);
}
END_TEST

/* Only regular files and block devices are disks: a FIFO would block the
 * image's first read, a character device has no sectors. The kvm
 * monitor's own copy let these through to a misleading message. */
START_TEST(refuses_what_is_not_a_disk)
{
	char fifo[sizeof(dir) + 8];
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	open_bad(fifo, "not a regular file or block device");
	open_bad("/dev/null", "not a regular file or block device");
	open_bad(dir, "cannot open disk");
	open_bad("/nonexistent/disk.img",
	         "cannot open disk /nonexistent/disk.img: No such file");
}
END_TEST

/* A file with no whole sector is refused with the way to make one (the
 * posix backend's own copy gave the image a disk of 0 sectors). */
START_TEST(refuses_less_than_a_sector)
{
	open_bad(make_file("empty", 0, 0), "smaller than one sector");
	open_bad(make_file("short", 511, 0), "make one with e.g. truncate -s 1M");
}
END_TEST

/* A file the host will not let us write is attached read-only. */
static void check_read_only(const char *path)
{
	struct ul_host_disk d;
	struct ul_host_error err = { "" };
	ck_assert_msg(ul_host_disk_open(path, &d, &err) == 0, "%s", err.msg);
	ck_assert(d.read_only);
	char buf[512];
	ck_assert_int_eq(ul_host_disk_io(&d, 0, buf, 1, false), 0);
	ck_assert_int_eq(buf[0], 'r');
	ck_assert_int_eq(ul_host_disk_io(&d, 0, buf, 1, true), -UL_EROFS);
	close(d.fd);
}

/* An immutable file refuses opening for writing with EPERM, even to root;
 * the posix backend's own copy refused the disk instead of attaching it
 * read-only. main makes the file. */
static const char *immutable_path;

START_TEST(immutable_is_read_only)
{
	errno = 0;
	ck_assert_int_lt(open(immutable_path, O_RDWR), 0);
	ck_assert_int_eq(errno, EPERM);
	check_read_only(immutable_path);
}
END_TEST

/* Set or clear the immutable flag of path (chattr +i / -i). 0, or -1
 * with errno. */
static int set_immutable(const char *path, bool on)
{
	int fd = open(path, O_RDONLY), flags;
	if (fd < 0)
		return -1;
	int r = ioctl(fd, FS_IOC_GETFLAGS, &flags);
	if (r == 0) {
		flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
		r = ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

static void remove_dir(void)
{
	char cmd[sizeof(dir) + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static int run(TCase *tc)
{
	Suite *s = suite_create("ul_host_disk");
	suite_add_tcase(s, tc);
	return ul_run_suite(s);
}

int main(int argc, char **argv)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	/* The directory goes at the end, not atexit: Check's forked cases
	 * exit too. */
	TCase *tc = tcase_create("disk");
	int status;
	if (argc > 1 && strcmp(argv[1], "immutable") == 0) {
		char path[sizeof(dir) + 16];
		snprintf(path, sizeof(path), "%s", make_file("immutable", 512, 'r'));
		immutable_path = path;
		if (set_immutable(path, true) < 0) {
			printf("SKIP: cannot make %s immutable (needs root and a "
			       "file system with chattr +i): %s\n", path,
			       strerror(errno));
			remove_dir();
			return 77;
		}
		tcase_add_test(tc, immutable_is_read_only);
		status = run(tc);
		set_immutable(path, false); /* else it cannot be removed */
	} else {
		tcase_add_test(tc, whole_sectors_read_and_written);
		tcase_add_test(tc, ranges_outside_the_disk);
		tcase_add_test(tc, refuses_what_is_not_a_disk);
		tcase_add_test(tc, refuses_less_than_a_sector);
		status = run(tc);
	}
	remove_dir();
	return status;
}
