/* Inside the VFS: what a file system implements (struct fs_ops, over
 * inode numbers), the mount table and path resolution. */
#ifndef UL_FS_VFS_H
#define UL_FS_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <unilab/fs.h>

struct mount;
struct bcache;

/* A file system's operations. Names come with their length and are not
 * NUL-terminated; "." and ".." are never passed to create, unlink or
 * rename. The write-side calls are NULL on a read-only file system. */
struct fs_ops {
	const char *name;
	int (*lookup)(struct mount *m, uint64_t dir, const char *name,
	              size_t len, uint64_t *ino);
	int (*getattr)(struct mount *m, uint64_t ino, struct ul_stat *st);
	long (*read)(struct mount *m, uint64_t ino, void *buf, size_t n,
	             uint64_t off);
	long (*readlink)(struct mount *m, uint64_t ino, char *buf, size_t cap);
	/* The entry at *pos (0 first), then *pos moves on: 1, 0 at the end,
	 * or a negative error. May return "." and ".."; the VFS skips them. */
	int (*readdir)(struct mount *m, uint64_t dir, uint64_t *pos,
	               struct ul_dirent *e);
	int (*statfs)(struct mount *m, struct ul_statfs *st);
	long (*write)(struct mount *m, uint64_t ino, const void *buf, size_t n,
	              uint64_t off);
	int (*truncate)(struct mount *m, uint64_t ino, uint64_t size);
	/* Create name in dir with mode (type bits say file or directory). */
	int (*create)(struct mount *m, uint64_t dir, const char *name,
	              size_t len, uint32_t mode, uint64_t *ino);
	/* Create name in dir, a symlink to target (tlen bytes, no NUL). */
	int (*symlink)(struct mount *m, uint64_t dir, const char *name,
	               size_t len, const char *target, size_t tlen,
	               uint64_t *ino);
	/* Remove name from dir: a directory only if rmdir (and it must be
	 * empty), anything else only if not. */
	int (*unlink)(struct mount *m, uint64_t dir, const char *name,
	              size_t len, int rmdir);
	int (*rename)(struct mount *m, uint64_t odir, const char *oname,
	              size_t olen, uint64_t ndir, const char *nname,
	              size_t nlen);
	int (*release)(struct mount *m, uint64_t ino); /* last close */
	int (*fsync)(struct mount *m, uint64_t ino);
	int (*sync)(struct mount *m);
	void (*unmount)(struct mount *m);
};

#define VFS_MAX_MOUNTS 8

struct mount {
	int used;
	char path[UL_PATH_MAX]; /* where it is mounted, for messages */
	const struct fs_ops *ops;
	void *priv;             /* the file system's own state */
	struct bcache *cache;   /* NULL when it has none */
	uint64_t root;          /* inode of its root directory */
	int read_only;
	int parent;             /* the mount it covers a directory of, -1 */
	uint64_t covered;       /* that directory's inode */
};

/* A place in the tree: a mount and an inode in it. */
struct loc {
	int m;
	uint64_t ino;
};

extern struct mount vfs_mounts[VFS_MAX_MOUNTS];

/* Resolve path to what it names; follow says whether a final symlink is
 * followed. */
int vfs_resolve(const char *path, int follow, struct loc *out);
/* Resolve all of path but its last component: the directory into *dir,
 * the last name into name. An empty name means path is the root. */
int vfs_resolve_parent(const char *path, struct loc *dir,
                       char name[UL_NAME_MAX + 1]);
/* Whether an open descriptor refers to ino of mount m. */
int vfs_in_use(const struct mount *m, uint64_t ino);
/* Mount a file system whose ops and priv are set up in *proto. */
int vfs_mount(const char *target, const struct mount *proto);
/* Whether any open descriptor refers to mount index m. */
int vfs_mount_busy(int m);

#endif
