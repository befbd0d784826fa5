/* The file systems' fuzz target: the input is the start of a disk (the
 * rest is zeros) mounted as ext2, and the whole input mounted as romfs;
 * then every file is listed, stat'ed and read, and the ext2 one is
 * written to. Whatever the bytes, the answer is an error code, never a
 * crash, a hang or a read outside the image. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/fs.h>
#include <unilab/mem.h>
#include "blkdev.h"
#include "fstypes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void fuzz_report(void);

static unsigned long inputs, ext2_mounted, romfs_mounted;

#define DISK (64 * 1024)
#define HEAP (8u << 20)
#define MAX_DEPTH 6
#define MAX_ENTRIES 64

/* The file systems read core options, which links the core's boot path
 * and its call of the app; the fuzz target never boots. */
int ul_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void walk(char *path, size_t len, int depth)
{
	int dd = ul_opendir(path);
	if (dd < 0)
		return;
	struct ul_dirent e;
	for (int i = 0; i < MAX_ENTRIES && ul_readdir(dd, &e) == 1; i++) {
		size_t n = strlen(e.name);
		if (len + 1 + n >= UL_PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e.name, n + 1);
		struct ul_stat st;
		char buf[512];
		if (ul_lstat(path, &st) == 0 && UL_S_ISDIR(st.mode) &&
		    depth < MAX_DEPTH)
			walk(path, len + 1 + n, depth + 1);
		ul_readlink(path, buf, sizeof buf);
		int fd = ul_open(path, UL_O_RDONLY, 0);
		if (fd >= 0) {
			ul_pread(fd, buf, sizeof buf, 0);
			ul_pread(fd, buf, sizeof buf, 70000);
			ul_close(fd);
		}
		path[len] = '\0';
	}
	ul_closedir(dd);
}

static void exercise(int writable)
{
	static char path[UL_PATH_MAX];
	path[0] = '\0';
	walk(path, 0, 0);
	if (!writable)
		return;
	int fd = ul_open("/fuzz", UL_O_RDWR | UL_O_CREAT, 0644);
	if (fd >= 0) {
		static char block[5000];
		ul_pwrite(fd, block, sizeof block, 12 * 1024);
		ul_ftruncate(fd, 100);
		ul_close(fd);
	}
	ul_mkdir("/fuzzdir", 0755);
	ul_rename("/fuzz", "/fuzzdir/moved");
	ul_unlink("/fuzzdir/moved");
	/* A fast and a slow symlink, followed, then removed. */
	static const char slow[] = "/fuzzdir/./././././././././././././././"
	                           "./././././././././././././././.";
	_Static_assert(sizeof slow > 61, "a target past the inode's 60 bytes");
	ul_symlink("fuzzdir", "/fuzzfast");
	ul_symlink(slow, "/fuzzslow");
	struct ul_stat st;
	ul_stat("/fuzzfast", &st);
	ul_stat("/fuzzslow", &st);
	ul_unlink("/fuzzfast");
	ul_unlink("/fuzzslow");
	ul_rmdir("/fuzzdir");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void *heap;
	static unsigned char disk[DISK];
	if (!heap) {
		heap = aligned_alloc(UL_PAGE_SIZE, HEAP);
		ul_page_init(heap, HEAP);
	}
	if (size > DISK)
		size = DISK;
	inputs++;
	memset(disk, 0, DISK);
	memcpy(disk, data, size);
	struct blkdev dev;
	blkdev_mem(&dev, disk, DISK, 0);
	struct mount m = {0};
	if (ext2_mount(&dev, 0, &m) == 0 && vfs_mount("/", &m) == 0) {
		ext2_mounted++;
		exercise(1);
		ul_umount("/");
	}
	if (ul_mount_romfs("/", data, size) == 0) {
		romfs_mounted++;
		exercise(0);
		ul_umount("/");
	}
	return 0;
}

/* What the replay saw: how many inputs got as far as a mounted tree. */
void fuzz_report(void)
{
	printf("fuzz_fs: %lu disks, %lu mounted as ext2, %lu as romfs\n",
	       inputs, ext2_mounted, romfs_mounted);
}
