/* Unit tests of ext2 over a disk in memory, with e2fsprogs as the judge:
 * disks made by mke2fs -d (1, 2 and 4 KiB blocks) are read byte for byte,
 * changed through the VFS, written back and checked with e2fsck -fn, and
 * their files read back with debugfs. Also the features we refuse, full
 * disks, names too long, and broken images. */
#include "run_suite.h"
#include "fs_harness.h"

static unsigned char *disk;
static size_t disk_len;
static struct blkdev dev;

static void setup(void)
{
	fs_setup();
	ck_assert_int_eq(sh("mkdir -p %s/tree/sub/deeper && "
	                    "echo hello > %s/tree/hello.txt && "
	                    "seq 1 20000 > %s/tree/sub/numbers && "
	                    "ln -s sub/numbers %s/tree/link && "
	                    "ln -s %0200d %s/tree/longlink",
	                    fs_tmp, fs_tmp, fs_tmp, fs_tmp, 7, fs_tmp), 0);
}

static void teardown(void)
{
	free(disk);
	disk = NULL;
	fs_teardown();
}

/* Make disk.img with mke2fs (options opts, size in KiB, files from
 * tree/) and load it; then mount it on / unless told not to. */
static int make_disk(unsigned bs, unsigned kib, const char *opts, int mount)
{
	ck_assert_int_eq(sh("mke2fs -q -F -t ext2 -b %u %s -d %s/tree "
	                    "%s/disk.img %u >/dev/null 2>&1",
	                    bs, opts, fs_tmp, fs_tmp, kib), 0);
	free(disk);
	disk = load("disk.img", &disk_len);
	blkdev_mem(&dev, disk, disk_len, 0);
	if (!mount)
		return 0;
	struct mount m = {0};
	int rc = ext2_mount(&dev, 0, &m);
	if (rc == 0)
		rc = vfs_mount("/", &m);
	return rc;
}

/* Unmount, write the disk back and ask e2fsck whether it is clean. */
static void check_clean(void)
{
	ck_assert_int_eq(ul_umount("/"), 0);
	save("disk.img", disk, disk_len);
	if (sh("e2fsck -fn %s/disk.img > %s/fsck.log 2>&1", fs_tmp, fs_tmp)) {
		size_t n;
		char *log = (char *)load("fsck.log", &n);
		ck_abort_msg("e2fsck found problems:\n%.*s", (int)n, log);
	}
}

/* Whether debugfs reads path from the disk as exactly data. */
static void host_has(const char *path, const void *data, size_t len)
{
	ck_assert_int_eq(sh("debugfs -R 'dump %s %s/out' %s/disk.img "
	                    ">/dev/null 2>&1", path, fs_tmp, fs_tmp), 0);
	size_t n;
	unsigned char *got = load("out", &n);
	ck_assert_msg(n == len, "%s: %zu bytes on the disk, want %zu", path, n,
	              len);
	ck_assert_mem_eq(got, data, len);
	free(got);
}

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 131 + seed) ^ (i >> 9));
}

static void read_write(unsigned bs)
{
	ck_assert_int_eq(make_disk(bs, 8192, "", 1), 0);
	char buf[200000];
	ck_assert_int_eq(vfs_slurp("/hello.txt", buf, sizeof buf), 6);
	ck_assert_mem_eq(buf, "hello\n", 6);
	long n = vfs_slurp("/link", buf, sizeof buf);
	ck_assert_int_eq(n, 108894); /* seq 1 20000 */
	ck_assert_mem_eq(buf + n - 6, "20000\n", 6);
	char target[300];
	ck_assert_int_eq(ul_readlink("/longlink", target, sizeof target), 200);

	static unsigned char data[300000];
	pattern(data, sizeof data, bs);
	ck_assert_int_eq(ul_mkdir("/new", 0755), 0);
	ck_assert_int_eq(ul_mkdir("/new/dir", 0700), 0);
	vfs_put("/new/dir/data", data, sizeof data);
	vfs_put("/new/small", "tiny", 4);
	/* Overwrite the middle, extend with a hole, shrink. */
	int fd = ul_open("/new/dir/data", UL_O_RDWR, 0);
	ck_assert_int_eq(ul_pwrite(fd, "XYZ", 3, 5000), 3);
	memcpy(data + 5000, "XYZ", 3);
	ck_assert_int_eq(ul_ftruncate(fd, 250001), 0);
	ck_assert_int_eq(ul_fsync(fd), 0);
	ck_assert_int_eq(ul_close(fd), 0);
	fd = ul_open("/new/small", UL_O_WRONLY | UL_O_APPEND, 0);
	ck_assert_int_eq(ul_write(fd, "+more", 5), 5);
	ul_close(fd);
	fd = ul_open("/new/sparse", UL_O_RDWR | UL_O_CREAT | UL_O_EXCL, 0600);
	ck_assert_int_eq(ul_pwrite(fd, "end", 3, 3 * 1024 * 1024), 3);
	ck_assert_int_eq(ul_pread(fd, buf, 10, 1024 * 1024), 10);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(buf[i], 0);
	ul_close(fd);
	ck_assert_int_eq(ul_open("/new/sparse", UL_O_CREAT | UL_O_EXCL, 0),
	                 -UL_EEXIST);
	/* Renames in a folder and across folders, and over a file. */
	ck_assert_int_eq(ul_rename("/new/small", "/sub/small"), 0);
	ck_assert_int_eq(ul_rename("/new/dir", "/sub/deeper/dir"), 0);
	ck_assert_int_eq(ul_rename("/hello.txt", "/sub/small"), 0);
	ck_assert_int_eq(ul_rename("/sub", "/sub/deeper/x"), -UL_EINVAL);
	ck_assert_int_eq(ul_rmdir("/sub"), -UL_ENOTEMPTY);
	ck_assert_int_eq(ul_unlink("/sub"), -UL_EISDIR);
	ck_assert_int_eq(ul_rmdir("/link"), -UL_ENOTDIR);
	ck_assert_int_eq(ul_unlink("/longlink"), 0);
	ck_assert_int_eq(ul_rmdir("/new"), -UL_ENOTEMPTY);
	ck_assert_int_eq(ul_unlink("/new/sparse"), 0);
	ck_assert_int_eq(ul_rmdir("/new"), 0);
	struct ul_stat st;
	ck_assert_int_eq(ul_stat("/new", &st), -UL_ENOENT);
	ck_assert_int_eq(ul_stat("/sub/deeper/dir/data", &st), 0);
	ck_assert_uint_eq(st.size, 250001);
	check_clean();
	host_has("/sub/deeper/dir/data", data, 250001);
	host_has("/sub/small", "hello\n", 6);
}

START_TEST(read_write_1k) { read_write(1024); }
END_TEST
START_TEST(read_write_2k) { read_write(2048); }
END_TEST
START_TEST(read_write_4k) { read_write(4096); }
END_TEST

/* Host writes, image reads: mke2fs -d files, byte for byte. */
START_TEST(reads_what_the_host_wrote)
{
	static unsigned char data[700000];
	pattern(data, sizeof data, 99);
	put_file("tree/bin/blob", data, sizeof data);
	ck_assert_int_eq(make_disk(1024, 4096, "", 1), 0);
	static char got[800000];
	ck_assert_int_eq(vfs_slurp("/bin/blob", got, sizeof got),
	                 (long)sizeof data);
	ck_assert_mem_eq(got, data, sizeof data);
	struct ul_cache_stats cs;
	ck_assert_int_eq(ul_cache_stats("/", &cs), 0);
	uint64_t reads = cs.reads;
	ck_assert_uint_lt(reads, 700000 / 1024 / 4); /* runs, not blocks */
	/* A second read of a cached file costs no device call. */
	ck_assert_int_eq(vfs_slurp("/bin/blob", got, sizeof got),
	                 (long)sizeof data);
	ck_assert_int_eq(ul_cache_stats("/", &cs), 0);
	ck_assert_uint_eq(cs.reads, reads);
}
END_TEST

/* A file larger than the whole cache (6 MB against the default 4 MiB) is
 * read straight from the disk into the caller's buffer in runs, without
 * filling the cache; a block of it that the cache holds changed and not
 * yet written is read from the cache, not from the stale disk. */
START_TEST(big_file_bypasses_the_cache)
{
	enum { SIZE = 6 << 20, PIECE = 1 << 20, CHANGED = 3 * PIECE + 4096 };
	static unsigned char data[SIZE], got[SIZE];
	pattern(data, sizeof data, 5);
	put_file("tree/big", data, sizeof data);
	ck_assert_int_eq(make_disk(4096, 16384, "", 1), 0);
	int fd = ul_open("/big", UL_O_RDWR, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ul_pwrite(fd, "changed", 7, CHANGED), 7);
	memcpy(data + CHANGED, "changed", 7);
	struct ul_cache_stats before, after;
	ck_assert_int_eq(ul_cache_stats("/", &before), 0);
	for (size_t off = 0; off < SIZE; off += PIECE)
		ck_assert_int_eq(ul_pread(fd, got + off, PIECE, off), PIECE);
	ul_close(fd);
	ck_assert_mem_eq(got, data, sizeof data);
	ck_assert_int_eq(ul_cache_stats("/", &after), 0);
	ck_assert_uint_lt(after.buffers, after.capacity / 4);
	ck_assert_uint_lt(after.reads - before.reads, SIZE / 4096 / 8);
	check_clean();
}
END_TEST

/* Past the double-indirect range of 1 KiB blocks (12 + 256 + 65536
 * blocks): the triple-indirect pointer is used, and cut again. */
START_TEST(triple_indirect)
{
	ck_assert_int_eq(make_disk(1024, 16384, "", 1), 0);
	uint64_t far = (12 + 256 + 65536 + 300) * 1024ull;
	int fd = ul_open("/huge", UL_O_RDWR | UL_O_CREAT, 0644);
	static unsigned char data[20000];
	pattern(data, sizeof data, 3);
	ck_assert_int_eq(ul_pwrite(fd, data, sizeof data, far), sizeof data);
	ck_assert_int_eq(ul_pwrite(fd, "a", 1, 0), 1);
	static unsigned char got[20000];
	ck_assert_int_eq(ul_pread(fd, got, sizeof got, far), sizeof got);
	ck_assert_mem_eq(got, data, sizeof data);
	ul_close(fd);
	check_clean();
	ck_assert_int_eq(sh("debugfs -R 'stat /huge' %s/disk.img 2>/dev/null"
	                    " | grep -q TIND", fs_tmp), 0);
	/* Mount again, cut below the triple range: e2fsck still agrees. */
	struct mount m = {0};
	ck_assert_int_eq(ext2_mount(&dev, 0, &m), 0);
	ck_assert_int_eq(vfs_mount("/", &m), 0);
	fd = ul_open("/huge", UL_O_RDWR, 0);
	ck_assert_int_eq(ul_ftruncate(fd, 100 * 1024), 0);
	ul_close(fd);
	struct ul_statfs sf;
	ck_assert_int_eq(ul_statfs("/", &sf), 0);
	check_clean();
}
END_TEST

START_TEST(big_directory)
{
	ck_assert_int_eq(make_disk(1024, 8192, "-N 4096", 1), 0);
	ck_assert_int_eq(ul_mkdir("/many", 0755), 0);
	char name[64];
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof name, "/many/entry-with-a-long-name-%05d", i);
		int fd = ul_open(name, UL_O_WRONLY | UL_O_CREAT, 0644);
		ck_assert_int_ge(fd, 0);
		ul_close(fd);
	}
	for (int i = 0; i < 3000; i += 3) {
		snprintf(name, sizeof name, "/many/entry-with-a-long-name-%05d", i);
		ck_assert_int_eq(ul_unlink(name), 0);
	}
	int dd = ul_opendir("/many"), count = 0;
	struct ul_dirent e;
	while (ul_readdir(dd, &e) == 1)
		count++;
	ul_closedir(dd);
	ck_assert_int_eq(count, 2000);
	check_clean();
}
END_TEST

/* Symlinks the image makes, on blocks of bs bytes: fast ones (a target
 * under 60 bytes, kept in the inode), slow ones (a data block), and the
 * errors; e2fsck and debugfs then read them as Linux would. */
static void symlinks(unsigned bs)
{
	ck_assert_int_eq(make_disk(bs, 4096, "", 1), 0);
	/* The longest target: /////.../sub/numbers, 1023 bytes. */
	char slow[UL_PATH_MAX], buf[UL_PATH_MAX + 100];
	size_t slow_len = UL_PATH_MAX - 1;
	memset(slow, '/', slow_len);
	memcpy(slow + slow_len - 12, "/sub/numbers", 13);
	ck_assert_int_eq(ul_symlink("numbers", "/sub/fast"), 0);
	ck_assert_int_eq(ul_symlink(slow, "/slow"), 0);
	ck_assert_int_eq(ul_symlink("/hello.txt", "/sub/deeper/abs"), 0);
	ck_assert_int_eq(ul_symlink("nowhere", "/dangling"), 0);
	ck_assert_int_eq(ul_symlink("x", "/hello.txt"), -UL_EEXIST);
	ck_assert_int_eq(ul_symlink("x", "/link"), -UL_EEXIST);
	ck_assert_int_eq(ul_symlink("x", "/"), -UL_EEXIST);
	ck_assert_int_eq(ul_symlink("", "/empty"), -UL_ENOENT);
	ck_assert_int_eq(ul_symlink("x", "/none/l"), -UL_ENOENT);
	ck_assert_int_eq(ul_symlink("x", "/hello.txt/l"), -UL_ENOTDIR);
	memset(buf, 'y', UL_PATH_MAX);
	buf[UL_PATH_MAX] = '\0';
	ck_assert_int_eq(ul_symlink(buf, "/huge"), -UL_ENAMETOOLONG);
	/* Read back through the VFS: lstat, readlink, following. */
	struct ul_stat st;
	ck_assert_int_eq(ul_lstat("/slow", &st), 0);
	ck_assert(UL_S_ISLNK(st.mode));
	ck_assert_uint_eq(st.size, slow_len);
	ck_assert_uint_eq(st.blocks, bs / 512);
	ck_assert_int_eq(ul_lstat("/sub/fast", &st), 0);
	ck_assert_uint_eq(st.blocks, 0);
	ck_assert_int_eq(ul_readlink("/slow", buf, sizeof buf), (long)slow_len);
	ck_assert_mem_eq(buf, slow, slow_len);
	ck_assert_int_eq(ul_readlink("/sub/fast", buf, sizeof buf), 7);
	ck_assert_mem_eq(buf, "numbers", 7);
	ck_assert_int_eq(vfs_slurp("/sub/fast", buf, sizeof buf), sizeof buf);
	ck_assert_mem_eq(buf, "1\n2\n3\n", 6);
	ck_assert_int_eq(vfs_slurp("/slow", buf, sizeof buf), sizeof buf);
	ck_assert_int_eq(vfs_slurp("/sub/deeper/abs", buf, sizeof buf), 6);
	ck_assert_mem_eq(buf, "hello\n", 6);
	ck_assert_int_eq(ul_stat("/dangling", &st), -UL_ENOENT);
	/* A symlink is renamed and removed like a file; its target stays. */
	ck_assert_int_eq(ul_rename("/dangling", "/sub/moved"), 0);
	ck_assert_int_eq(ul_symlink("gone", "/gone"), 0);
	ck_assert_int_eq(ul_unlink("/gone"), 0);
	ck_assert_int_eq(ul_symlink(slow, "/gone2"), 0);
	ck_assert_int_eq(ul_unlink("/gone2"), 0);
	check_clean();
	ck_assert_int_eq(sh("debugfs -R 'stat /sub/fast' %s/disk.img 2>/dev/null "
	                    "| grep -q 'Fast link dest: \"numbers\"'", fs_tmp),
	                 0);
	/* debugfs's dump follows nothing: what it reads of a slow link is
	 * its block, the target. */
	host_has("/slow", slow, slow_len);
	ck_assert_int_eq(sh("debugfs -R 'stat /sub/moved' %s/disk.img "
	                    "2>/dev/null | grep -q 'Fast link dest: \"nowhere\"'",
	                    fs_tmp), 0);
	ck_assert_int_eq(sh("debugfs -R 'ls -l /' %s/disk.img 2>/dev/null "
	                    "| grep -q gone", fs_tmp), 1);
}

START_TEST(symlinks_1k) { symlinks(1024); }
END_TEST
START_TEST(symlinks_4k) { symlinks(4096); }
END_TEST

START_TEST(names)
{
	ck_assert_int_eq(make_disk(1024, 2048, "", 1), 0);
	char name[300] = "/";
	memset(name + 1, 'x', 255);
	ck_assert_int_eq(ul_mkdir(name, 0755), 0);
	name[256] = 'x';
	name[257] = '\0';
	ck_assert_int_eq(ul_mkdir(name, 0755), -UL_ENAMETOOLONG);
	ck_assert_int_eq(ul_open(name, UL_O_CREAT | UL_O_WRONLY, 0644),
	                 -UL_ENAMETOOLONG);
	ck_assert_int_eq(ul_mkdir("/", 0755), -UL_EEXIST);
	ck_assert_int_eq(ul_rmdir("/"), -UL_EBUSY);
	ck_assert_int_eq(ul_rmdir("/sub/."), -UL_EINVAL);
	ck_assert_int_eq(ul_open("/sub", UL_O_WRONLY, 0), -UL_EISDIR);
	ck_assert_int_eq(ul_open("/hello.txt", UL_O_RDONLY | UL_O_DIRECTORY, 0),
	                 -UL_ENOTDIR);
	check_clean();
}
END_TEST

START_TEST(full_disk)
{
	ck_assert_int_eq(make_disk(1024, 1024, "", 1), 0);
	static unsigned char chunk[64 * 1024];
	pattern(chunk, sizeof chunk, 1);
	int fd = ul_open("/fill", UL_O_WRONLY | UL_O_CREAT, 0644);
	long rc;
	uint64_t total = 0;
	while ((rc = ul_write(fd, chunk, sizeof chunk)) > 0)
		total += (uint64_t)rc;
	ck_assert_int_eq(rc, -UL_ENOSPC);
	ck_assert_uint_gt(total, 500 * 1024);
	ul_close(fd);
	ck_assert_int_eq(ul_mkdir("/more", 0755), -UL_ENOSPC);
	check_clean();
	/* Space comes back when the file goes. */
	struct mount m = {0};
	ck_assert_int_eq(ext2_mount(&dev, 0, &m), 0);
	ck_assert_int_eq(vfs_mount("/", &m), 0);
	ck_assert_int_eq(ul_unlink("/fill"), 0);
	ck_assert_int_eq(ul_mkdir("/more", 0755), 0);
	check_clean();
}
END_TEST

START_TEST(unlinked_while_open)
{
	ck_assert_int_eq(make_disk(2048, 4096, "", 1), 0);
	int fd = ul_open("/sub/numbers", UL_O_RDONLY, 0);
	ck_assert_int_eq(ul_unlink("/sub/numbers"), 0);
	char buf[8];
	ck_assert_int_eq(ul_pread(fd, buf, 6, 0), 6);
	ck_assert_mem_eq(buf, "1\n2\n3\n", 6);
	ck_assert_int_eq(ul_close(fd), 0);
	check_clean();
}
END_TEST

/* Make a disk, then turn a feature flag on with debugfs, and mount. */
static int mount_with(const char *feature)
{
	make_disk(1024, 4096, "", 0);
	ck_assert_int_eq(sh("debugfs -w -R 'feature %s' %s/disk.img "
	                    ">/dev/null 2>&1", feature, fs_tmp), 0);
	free(disk);
	disk = load("disk.img", &disk_len);
	blkdev_mem(&dev, disk, disk_len, 0);
	struct mount m = {0};
	int rc = ext2_mount(&dev, 0, &m);
	return rc < 0 ? rc : vfs_mount("/", &m);
}

START_TEST(features)
{
	ck_assert_int_eq(mount_with("extent"), -UL_ENOTSUP);
	ck_assert_int_eq(mount_with("64bit"), -UL_ENOTSUP);
	ck_assert_int_eq(mount_with("has_journal"), -UL_ENOTSUP);
	ck_assert_int_eq(mount_with("huge_file"), 0);
	ck_assert_int_eq(ul_mkdir("/x", 0755), -UL_EROFS);
	char buf[16];
	ck_assert_int_eq(vfs_slurp("/hello.txt", buf, sizeof buf), 6);
	struct ul_statfs sf;
	ck_assert_int_eq(ul_statfs("/", &sf), 0);
	ck_assert_int_eq(sf.read_only, 1);
}
END_TEST

static int mount_broken(void)
{
	blkdev_mem(&dev, disk, disk_len, 0);
	struct mount m = {0};
	int rc = ext2_mount(&dev, 0, &m);
	return rc < 0 ? rc : vfs_mount("/", &m);
}

START_TEST(broken_images)
{
	ck_assert_int_eq(make_disk(1024, 2048, "", 0), 0);
	unsigned char *good = malloc(disk_len);
	memcpy(good, disk, disk_len);
	memset(disk + 1024, 0, 1024); /* zeroed superblock */
	ck_assert_int_eq(mount_broken(), -UL_EINVAL);
	memcpy(disk, good, disk_len);
	disk[1024] ^= 1; /* inodes_count that lies */
	ck_assert_int_eq(mount_broken(), -UL_EINVAL);
	memcpy(disk, good, disk_len);
	disk[1024 + 4] = 0xff; /* more blocks than the device */
	disk[1024 + 5] = 0xff;
	ck_assert_int_eq(mount_broken(), -UL_EINVAL);
	memcpy(disk, good, disk_len);
	ck_assert_int_eq(mount_broken(), 0);
	ck_assert_int_eq(ul_umount("/"), 0);
	free(good);
	/* A block pointer past the end: -UL_EIO from read, no crash. */
	ck_assert_int_eq(sh("debugfs -w -R 'sif /sub/numbers block[2] 999999' "
	                    "%s/disk.img >/dev/null 2>&1", fs_tmp), 0);
	/* A directory that contains itself under another name. */
	ck_assert_int_eq(sh("debugfs -w -R 'sif /sub/deeper block[0] 0' "
	                    "%s/disk.img >/dev/null 2>&1 && "
	                    "debugfs -w -R 'set_inode_field /hello.txt size "
	                    "99999999' %s/disk.img >/dev/null 2>&1",
	                    fs_tmp, fs_tmp), 0);
	free(disk);
	disk = load("disk.img", &disk_len);
	ck_assert_int_eq(mount_broken(), 0);
	char buf[200000];
	ck_assert_int_eq(vfs_slurp("/sub/numbers", buf, sizeof buf), -UL_EIO);
	struct ul_stat st;
	ck_assert_int_eq(ul_stat("/sub/deeper/x", &st), -UL_EIO);
	/* Larger than its blocks: the missing part reads as a hole. */
	ck_assert_int_eq(vfs_slurp("/hello.txt", buf, sizeof buf),
	                 (long)sizeof buf);
	ck_assert_mem_eq(buf, "hello\n", 6);
	ck_assert_int_eq(buf[100], 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fs_ext2");
	TCase *tc = tcase_create("ext2");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, read_write_1k);
	tcase_add_test(tc, read_write_2k);
	tcase_add_test(tc, read_write_4k);
	tcase_add_test(tc, reads_what_the_host_wrote);
	tcase_add_test(tc, big_file_bypasses_the_cache);
	tcase_add_test(tc, triple_indirect);
	tcase_add_test(tc, big_directory);
	tcase_add_test(tc, symlinks_1k);
	tcase_add_test(tc, symlinks_4k);
	tcase_add_test(tc, names);
	tcase_add_test(tc, full_disk);
	tcase_add_test(tc, unlinked_while_open);
	tcase_add_test(tc, features);
	tcase_add_test(tc, broken_images);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
