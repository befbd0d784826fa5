/* Files: the VFS calls apps use. Paths are absolute (there is no current
 * directory; a relative path is taken from "/"). Every call returns a
 * negative UL_E* error with its POSIX meaning on failure. */
#ifndef UL_FS_H
#define UL_FS_H

#include <stddef.h>
#include <stdint.h>

/* open() flags, with Linux's values. */
#define UL_O_RDONLY 0
#define UL_O_WRONLY 1
#define UL_O_RDWR 2
#define UL_O_ACCMODE 3
#define UL_O_CREAT 0100
#define UL_O_EXCL 0200
#define UL_O_TRUNC 01000
#define UL_O_APPEND 02000
#define UL_O_DIRECTORY 0200000

#define UL_SEEK_SET 0
#define UL_SEEK_CUR 1
#define UL_SEEK_END 2

/* File types in st_mode, with the values of Linux and of ext2. */
#define UL_S_IFMT 0170000
#define UL_S_IFSOCK 0140000
#define UL_S_IFLNK 0120000
#define UL_S_IFREG 0100000
#define UL_S_IFBLK 0060000
#define UL_S_IFDIR 0040000
#define UL_S_IFCHR 0020000
#define UL_S_IFIFO 0010000
#define UL_S_ISDIR(m) (((m) & UL_S_IFMT) == UL_S_IFDIR)
#define UL_S_ISREG(m) (((m) & UL_S_IFMT) == UL_S_IFREG)
#define UL_S_ISLNK(m) (((m) & UL_S_IFMT) == UL_S_IFLNK)

#define UL_NAME_MAX 255  /* bytes in one path component */
#define UL_PATH_MAX 1024 /* bytes in a whole path, with its NUL */
#define UL_OPEN_MAX 64   /* open files and directories at once */
/* File descriptors are numbered from here up, apart from sockets'; one
 * ul_close (in <unilab/socket.h> too) closes either kind. */
#define UL_FILE_FD_BASE 65536

struct ul_stat {
	uint64_t ino;
	uint32_t mode;  /* type and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;   /* bytes */
	uint64_t blocks; /* 512-byte units allocated */
	int64_t atime, mtime, ctime; /* seconds since the epoch */
	unsigned dev;    /* index of the mount in the mount table */
};

struct ul_statfs {
	char type[8];     /* "romfs", "ext2" */
	uint32_t bsize;   /* block size, bytes */
	uint64_t blocks, bfree;
	uint64_t files, ffree;
	uint32_t namemax;
	int read_only;
};

/* Directory entry types (the d_type values of Linux). */
#define UL_DT_UNKNOWN 0
#define UL_DT_DIR 4
#define UL_DT_REG 8
#define UL_DT_LNK 10

struct ul_dirent {
	uint64_t ino;
	uint8_t type;
	char name[UL_NAME_MAX + 1];
};

int ul_open(const char *path, int flags, unsigned mode);
int ul_close(int fd);
long ul_read(int fd, void *buf, size_t n);
long ul_write(int fd, const void *buf, size_t n);
long ul_pread(int fd, void *buf, size_t n, uint64_t off);
long ul_pwrite(int fd, const void *buf, size_t n, uint64_t off);
int64_t ul_lseek(int fd, int64_t off, int whence);
int ul_fstat(int fd, struct ul_stat *st);
int ul_stat(const char *path, struct ul_stat *st);   /* follows symlinks */
int ul_lstat(const char *path, struct ul_stat *st);  /* does not */
int ul_ftruncate(int fd, uint64_t size);
int ul_fsync(int fd); /* the file's data and metadata are on the disk */
int ul_mkdir(const char *path, unsigned mode);
int ul_rmdir(const char *path);
int ul_unlink(const char *path);
int ul_rename(const char *from, const char *to);
long ul_readlink(const char *path, char *buf, size_t cap); /* no NUL */
/* A symlink at path whose content is target (any text: it is resolved
 * when followed, relative to the link's folder unless it starts with /). */
int ul_symlink(const char *target, const char *path);
int ul_statfs(const char *path, struct ul_statfs *st);

/* Directories are read through a descriptor: ul_opendir returns one,
 * ul_readdir fills e and returns 1, or 0 at the end; ul_closedir is
 * ul_close. "." and ".." are not listed. */
int ul_opendir(const char *path);
int ul_readdir(int dd, struct ul_dirent *e);
int ul_closedir(int dd);

/* Mounts. ul_mount puts a file system over the directory target ("/" for
 * the root; the first mount must be "/"): type "ext2" on block device
 * number dev, read-only with UL_MOUNT_RDONLY. ul_mount_romfs mounts a romfs
 * image held in memory (it must stay valid while mounted). */
#define UL_MOUNT_RDONLY 1
int ul_mount(const char *target, const char *type, unsigned dev,
             unsigned flags);
int ul_mount_romfs(const char *target, const void *image, size_t len);
int ul_umount(const char *target); /* syncs first; -UL_EBUSY if in use */
int ul_sync(void);                 /* every mount's dirty data to disk */

/* The buffer cache under the mount holding path: hits and misses count
 * block look-ups, reads and writes count calls to the device. */
struct ul_cache_stats {
	uint64_t hits, misses;
	uint64_t reads, writes;
	uint64_t bytes_read, bytes_written;
	uint32_t buffers, capacity; /* in use, and the budget, in blocks */
};
int ul_cache_stats(const char *path, struct ul_cache_stats *st);

#endif
