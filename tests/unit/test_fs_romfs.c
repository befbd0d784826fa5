/* Unit tests of romfs and of path resolution over it: images made by
 * genromfs, every path form ("." "..", repeated slashes, symlinks, too
 * long names), read-only errors, directory listings, and broken images
 * that must fail cleanly. */
#include "run_suite.h"
#include "fs_harness.h"

static unsigned char *img;
static size_t img_len;
static unsigned char *changed; /* mount_changed's copy, while mounted */

/* Pack tree/ into romfs.img with genromfs and mount it on /. */
static void make_romfs(void)
{
	put_file("tree/index.html", "<h1>hi</h1>\n", 12);
	put_file("tree/etc/config", "key=value\n", 10);
	put_file("tree/etc/deep/er/file", "deep", 4);
	char big[5000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	put_file("tree/big.txt", big, sizeof big);
	ck_assert_int_eq(sh("cd %s/tree && ln -s etc/config cfg && "
	                    "ln -s ../index.html etc/up && ln -s loop1 loop2 && "
	                    "ln -s loop2 loop1 && ln -s /etc etc/abs",
	                    fs_tmp), 0);
	ck_assert_int_eq(sh("genromfs -f %s/romfs.img -d %s/tree -V test",
	                    fs_tmp, fs_tmp), 0);
	img = load("romfs.img", &img_len);
}

static void setup(void)
{
	fs_setup();
	make_romfs();
	ck_assert_int_eq(ul_mount_romfs("/", img, img_len), 0);
}

static void teardown(void)
{
	free(changed);
	changed = NULL;
	free(img);
	fs_teardown();
}

static void expect(const char *path, const char *want)
{
	char buf[8192];
	long n = vfs_slurp(path, buf, sizeof buf);
	ck_assert_msg(n == (long)strlen(want), "%s: got %ld", path, n);
	ck_assert_mem_eq(buf, want, strlen(want));
}

START_TEST(reads_files)
{
	expect("/index.html", "<h1>hi</h1>\n");
	expect("/etc/config", "key=value\n");
	expect("/etc/deep/er/file", "deep");
	char buf[6000];
	ck_assert_int_eq(vfs_slurp("/big.txt", buf, sizeof buf), 5000);
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(buf[i], 'a' + i % 26);
	int fd = ul_open("/big.txt", UL_O_RDONLY, 0);
	ck_assert_int_eq(ul_pread(fd, buf, 10, 4995), 5);
	ck_assert_int_eq(ul_pread(fd, buf, 10, 6000), 0);
	ck_assert_int_eq(ul_lseek(fd, -26, UL_SEEK_END), 4974);
	ck_assert_int_eq(ul_read(fd, buf, 1), 1);
	ck_assert_int_eq(buf[0], 'a' + 4974 % 26);
	ck_assert_int_eq(ul_lseek(fd, -1, UL_SEEK_SET), -UL_EINVAL);
	struct ul_stat st;
	ck_assert_int_eq(ul_fstat(fd, &st), 0);
	ck_assert_uint_eq(st.size, 5000);
	ck_assert(UL_S_ISREG(st.mode));
	ck_assert_int_eq(ul_close(fd), 0);
	ck_assert_int_eq(ul_close(fd), -UL_EBADF);
}
END_TEST

START_TEST(path_forms)
{
	expect("//etc///config", "key=value\n");
	expect("/etc/./deep/../config", "key=value\n");
	expect("/../../etc/config", "key=value\n");
	expect("etc/config", "key=value\n"); /* relative: from / */
	expect("/etc/deep/er/../../../index.html", "<h1>hi</h1>\n");
	struct ul_stat st;
	ck_assert_int_eq(ul_stat("/", &st), 0);
	ck_assert(UL_S_ISDIR(st.mode));
	ck_assert_int_eq(ul_stat("/etc/", &st), 0);
	ck_assert(UL_S_ISDIR(st.mode));
	ck_assert_int_eq(ul_stat("/nope", &st), -UL_ENOENT);
	ck_assert_int_eq(ul_stat("/index.html/x", &st), -UL_ENOTDIR);
	ck_assert_int_eq(ul_open("/etc", UL_O_RDONLY, 0) >= 0, 1);
	char name[300];
	memset(name, 'n', 256);
	name[0] = '/';
	name[257] = '\0';
	memset(name + 1, 'n', 256);
	ck_assert_int_eq(ul_stat(name, &st), -UL_ENAMETOOLONG);
	name[256] = '\0'; /* 255 bytes: long but legal */
	ck_assert_int_eq(ul_stat(name, &st), -UL_ENOENT);
	char path[UL_PATH_MAX + 8];
	for (int i = 0; i < UL_PATH_MAX + 4; i += 2)
		memcpy(path + i, "/.", 2);
	path[UL_PATH_MAX + 4] = '\0';
	ck_assert_int_eq(ul_stat(path, &st), -UL_ENAMETOOLONG);
}
END_TEST

START_TEST(symlinks)
{
	expect("/cfg", "key=value\n");
	expect("/etc/up", "<h1>hi</h1>\n");
	expect("/etc/abs/config", "key=value\n");
	struct ul_stat st;
	ck_assert_int_eq(ul_lstat("/cfg", &st), 0);
	ck_assert(UL_S_ISLNK(st.mode));
	ck_assert_int_eq(ul_stat("/cfg", &st), 0);
	ck_assert(UL_S_ISREG(st.mode));
	char buf[64];
	ck_assert_int_eq(ul_readlink("/cfg", buf, sizeof buf), 10);
	ck_assert_mem_eq(buf, "etc/config", 10);
	ck_assert_int_eq(ul_readlink("/index.html", buf, sizeof buf),
	                 -UL_EINVAL);
	ck_assert_int_eq(ul_stat("/loop1", &st), -UL_ELOOP);
	ck_assert_int_eq(ul_lstat("/loop1", &st), 0);
}
END_TEST

START_TEST(read_only)
{
	ck_assert_int_eq(ul_open("/new", UL_O_WRONLY | UL_O_CREAT, 0644),
	                 -UL_EROFS);
	ck_assert_int_eq(ul_open("/index.html", UL_O_RDWR, 0), -UL_EROFS);
	ck_assert_int_eq(ul_open("/index.html", UL_O_RDONLY | UL_O_TRUNC, 0),
	                 -UL_EROFS);
	ck_assert_int_eq(ul_mkdir("/d", 0755), -UL_EROFS);
	ck_assert_int_eq(ul_unlink("/index.html"), -UL_EROFS);
	ck_assert_int_eq(ul_rmdir("/etc/deep/er"), -UL_EROFS);
	ck_assert_int_eq(ul_rename("/index.html", "/x"), -UL_EROFS);
	ck_assert_int_eq(ul_mkdir("/etc", 0755), -UL_EEXIST);
	ck_assert_int_eq(ul_symlink("index.html", "/l"), -UL_EROFS);
	ck_assert_int_eq(ul_symlink("index.html", "/cfg"), -UL_EEXIST);
	int fd = ul_open("/index.html", UL_O_RDONLY, 0);
	ck_assert_int_eq(ul_write(fd, "x", 1), -UL_EBADF);
	ck_assert_int_eq(ul_ftruncate(fd, 0), -UL_EBADF);
	struct ul_statfs sf;
	ck_assert_int_eq(ul_statfs("/etc", &sf), 0);
	ck_assert_str_eq(sf.type, "romfs");
	ck_assert_int_eq(sf.read_only, 1);
	struct ul_cache_stats cs;
	ck_assert_int_eq(ul_cache_stats("/", &cs), -UL_ENOTSUP);
}
END_TEST

START_TEST(lists_directories)
{
	int dd = ul_opendir("/etc");
	ck_assert_int_ge(dd, 0);
	struct ul_dirent e;
	int seen = 0;
	while (ul_readdir(dd, &e) == 1) {
		if (strcmp(e.name, "config") == 0) {
			seen |= 1;
			ck_assert_int_eq(e.type, UL_DT_REG);
		} else if (strcmp(e.name, "deep") == 0) {
			seen |= 2;
			ck_assert_int_eq(e.type, UL_DT_DIR);
		} else if (strcmp(e.name, "up") == 0 || strcmp(e.name, "abs") == 0)
			seen |= strcmp(e.name, "up") ? 8 : 4;
		else
			ck_abort_msg("unexpected entry %s", e.name);
	}
	ck_assert_int_eq(seen, 15);
	ck_assert_int_eq(ul_readdir(dd, &e), 0);
	ck_assert_int_eq(ul_closedir(dd), 0);
	ck_assert_int_eq(ul_opendir("/index.html"), -UL_ENOTDIR);
	int fd = ul_open("/index.html", UL_O_RDONLY, 0);
	ck_assert_int_eq(ul_readdir(fd, &e), -UL_ENOTDIR);
	dd = ul_opendir("/");
	char buf[4];
	ck_assert_int_eq(ul_read(dd, buf, sizeof buf), -UL_EISDIR);
}
END_TEST

START_TEST(too_many_open_files)
{
	int fds[UL_OPEN_MAX];
	for (int i = 0; i < UL_OPEN_MAX; i++)
		ck_assert_int_ge(fds[i] = ul_open("/cfg", UL_O_RDONLY, 0), 0);
	ck_assert_int_eq(ul_open("/cfg", UL_O_RDONLY, 0), -UL_EMFILE);
	ck_assert_int_eq(ul_close(fds[7]), 0);
	ck_assert_int_eq(ul_open("/cfg", UL_O_RDONLY, 0), fds[7]);
	ck_assert_int_eq(ul_open("/cfg", 3, 0), -UL_EINVAL);
}
END_TEST

/* A copy of the image with bytes changed, mounted on a fresh table. */
static int mount_changed(size_t off, const void *bytes, size_t n,
                         size_t len)
{
	struct ul_stat st;
	if (ul_stat("/", &st) == 0) /* the last one may have failed */
		ck_assert_int_eq(ul_umount("/"), 0);
	free(changed);
	changed = malloc(img_len);
	memcpy(changed, img, img_len);
	memcpy(changed + off, bytes, n);
	return ul_mount_romfs("/", changed, len);
}

START_TEST(broken_images)
{
	ck_assert_int_eq(mount_changed(0, "-rom2fs-", 8, img_len), -UL_EINVAL);
	ck_assert_int_eq(mount_changed(12, "\0\0\0\1", 4, img_len), -UL_EIO);
	/* Size larger than the bytes there are. */
	size_t size = (size_t)img[8] << 24 | img[9] << 16 | img[10] << 8 | img[11];
	ck_assert_int_eq(mount_changed(0, "", 0, size - 16), -UL_EIO);
	ck_assert_int_eq(mount_changed(0, "", 0, 20), -UL_EINVAL);
}
END_TEST

/* Every byte of the image changed in turn: mounts or refuses, and then
 * walks, reads and lists without crashing or hanging. */
START_TEST(every_byte_corrupted)
{
	unsigned char *copy = malloc(img_len);
	ck_assert_int_eq(ul_umount("/"), 0);
	for (size_t off = 0; off < img_len && off < 2048; off++) {
		memcpy(copy, img, img_len);
		copy[off] ^= 0x5a;
		if (ul_mount_romfs("/", copy, img_len) < 0)
			continue;
		char buf[256];
		vfs_slurp("/etc/config", buf, sizeof buf);
		vfs_slurp("/cfg", buf, sizeof buf);
		int dd = ul_opendir("/etc");
		struct ul_dirent e;
		for (int i = 0; dd >= 0 && i < 100 && ul_readdir(dd, &e) == 1; i++)
			;
		if (dd >= 0)
			ul_closedir(dd);
		ck_assert_int_eq(ul_umount("/"), 0);
	}
	free(copy);
}
END_TEST

START_TEST(mount_errors)
{
	ck_assert_int_eq(ul_mount_romfs("/", img, img_len), -UL_EBUSY);
	ck_assert_int_eq(ul_mount_romfs("/index.html", img, img_len),
	                 -UL_ENOTDIR);
	ck_assert_int_eq(ul_mount_romfs("/none", img, img_len), -UL_ENOENT);
	/* A second romfs over /etc hides what was there. */
	ck_assert_int_eq(ul_mount_romfs("/etc", img, img_len), 0);
	expect("/etc/index.html", "<h1>hi</h1>\n");
	expect("/etc/etc/config", "key=value\n");
	expect("/etc/../index.html", "<h1>hi</h1>\n");
	expect("/etc/etc/../../etc/index.html", "<h1>hi</h1>\n");
	struct ul_stat st;
	ck_assert_int_eq(ul_stat("/etc/deep", &st), -UL_ENOENT);
	int fd = ul_open("/etc/index.html", UL_O_RDONLY, 0);
	ck_assert_int_eq(ul_umount("/etc"), -UL_EBUSY);
	ck_assert_int_eq(ul_umount("/"), -UL_EBUSY);
	ul_close(fd);
	ck_assert_int_eq(ul_umount("/etc/etc"), -UL_EINVAL);
	ck_assert_int_eq(ul_umount("/etc"), 0);
	ck_assert_int_eq(ul_stat("/etc/deep", &st), 0);
	ck_assert_int_eq(ul_mount("/etc", "xfs", 0, 0), -UL_ENODEV);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fs_romfs");
	TCase *tc = tcase_create("romfs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reads_files);
	tcase_add_test(tc, path_forms);
	tcase_add_test(tc, symlinks);
	tcase_add_test(tc, read_only);
	tcase_add_test(tc, lists_directories);
	tcase_add_test(tc, too_many_open_files);
	tcase_add_test(tc, broken_images);
	tcase_add_test(tc, every_byte_corrupted);
	tcase_add_test(tc, mount_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
