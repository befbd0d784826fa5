/* File descriptors and the calls on files and names: open, read, write,
 * seek, stat, truncate, fsync, mkdir, symlink, rmdir, unlink, rename,
 * readlink and the directory stream. Descriptors are per image (one table). */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "vfs.h"

int ul_file_close(int fd);

struct file {
	int used;
	int m;
	uint64_t ino;
	int flags;
	int is_dir;
	uint64_t pos; /* byte offset, or the directory's readdir position */
};

static struct file files[UL_OPEN_MAX];

static struct mount *mnt(struct loc l)
{
	return &vfs_mounts[l.m];
}

static int getattr(struct loc l, struct ul_stat *st)
{
	int rc = mnt(l)->ops->getattr(mnt(l), l.ino, st);
	st->dev = (unsigned)l.m;
	return rc;
}

static struct file *fd_file(int fd)
{
	fd -= UL_FILE_FD_BASE;
	if (fd < 0 || fd >= UL_OPEN_MAX || !files[fd].used)
		return NULL;
	return &files[fd];
}

int vfs_in_use(const struct mount *m, uint64_t ino)
{
	for (int i = 0; i < UL_OPEN_MAX; i++)
		if (files[i].used && &vfs_mounts[files[i].m] == m &&
		    files[i].ino == ino)
			return 1;
	return 0;
}

int vfs_mount_busy(int m)
{
	for (int i = 0; i < UL_OPEN_MAX; i++)
		if (files[i].used && files[i].m == m)
			return 1;
	return 0;
}

/* The write-side call op of the mount, or -UL_EROFS in rc. */
static int writable(struct loc l, const void *op)
{
	return mnt(l)->read_only || !op ? -UL_EROFS : 0;
}

/* Find or create the file open() names; *created says it is new. */
static int open_loc(const char *path, int flags, unsigned mode,
                    struct loc *l, int *created)
{
	*created = 0;
	if (!(flags & UL_O_CREAT))
		return vfs_resolve(path, 1, l);
	char name[UL_NAME_MAX + 1];
	struct loc dir;
	int rc = vfs_resolve_parent(path, &dir, name);
	if (rc < 0)
		return rc;
	if (name[0] == '\0')
		return -UL_EISDIR;
	size_t len = ul_strlen(name);
	rc = mnt(dir)->ops->lookup(mnt(dir), dir.ino, name, len, &l->ino);
	if (rc == 0) {
		if (flags & UL_O_EXCL)
			return -UL_EEXIST;
		return vfs_resolve(path, 1, l);
	}
	if (rc != -UL_ENOENT)
		return rc;
	if ((rc = writable(dir, mnt(dir)->ops->create)) < 0)
		return rc;
	l->m = dir.m;
	rc = mnt(dir)->ops->create(mnt(dir), dir.ino, name, len,
	                           UL_S_IFREG | (mode & 07777), &l->ino);
	*created = rc == 0;
	return rc;
}

static int new_fd(struct loc l, int flags, int is_dir)
{
	for (int i = 0; i < UL_OPEN_MAX; i++)
		if (!files[i].used) {
			files[i] = (struct file){1, l.m, l.ino, flags, is_dir, 0};
			return UL_FILE_FD_BASE + i;
		}
	return -UL_EMFILE;
}

int ul_open(const char *path, int flags, unsigned mode)
{
	int acc = flags & UL_O_ACCMODE;
	if (acc == 3)
		return -UL_EINVAL;
	struct loc l;
	int created;
	int rc = open_loc(path, flags, mode, &l, &created);
	if (rc < 0)
		return rc;
	struct ul_stat st;
	if ((rc = getattr(l, &st)) < 0)
		return rc;
	int is_dir = UL_S_ISDIR(st.mode);
	if (is_dir && (acc != UL_O_RDONLY || (flags & UL_O_TRUNC)))
		return -UL_EISDIR;
	if (!is_dir && (flags & UL_O_DIRECTORY))
		return -UL_ENOTDIR;
	if (!is_dir && !UL_S_ISREG(st.mode))
		return -UL_EINVAL; /* devices and such have nothing to read */
	if (acc != UL_O_RDONLY || (flags & UL_O_TRUNC))
		if ((rc = writable(l, mnt(l)->ops->write)) < 0)
			return rc;
	int fd = new_fd(l, flags, is_dir);
	if (fd < 0)
		return fd;
	if ((flags & UL_O_TRUNC) && !created && st.size > 0 &&
	    (rc = mnt(l)->ops->truncate(mnt(l), l.ino, 0)) < 0) {
		ul_close(fd);
		return rc;
	}
	return fd;
}

/* ul_close (core/close.c) comes here for a file's descriptor. */
int ul_file_close(int fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -UL_EBADF;
	f->used = 0;
	struct mount *m = &vfs_mounts[f->m];
	if (m->ops->release && !vfs_in_use(m, f->ino))
		return m->ops->release(m, f->ino);
	return 0;
}

long ul_pread(int fd, void *buf, size_t n, uint64_t off)
{
	struct file *f = fd_file(fd);
	if (!f || (f->flags & UL_O_ACCMODE) == UL_O_WRONLY)
		return -UL_EBADF;
	if (f->is_dir)
		return -UL_EISDIR;
	struct mount *m = &vfs_mounts[f->m];
	return m->ops->read(m, f->ino, buf, n, off);
}

long ul_pwrite(int fd, const void *buf, size_t n, uint64_t off)
{
	struct file *f = fd_file(fd);
	if (!f || (f->flags & UL_O_ACCMODE) == UL_O_RDONLY)
		return -UL_EBADF;
	struct mount *m = &vfs_mounts[f->m];
	return m->ops->write(m, f->ino, buf, n, off);
}

long ul_read(int fd, void *buf, size_t n)
{
	struct file *f = fd_file(fd);
	long rc = ul_pread(fd, buf, n, f ? f->pos : 0);
	if (rc > 0)
		f->pos += (uint64_t)rc;
	return rc;
}

long ul_write(int fd, const void *buf, size_t n)
{
	struct file *f = fd_file(fd);
	if (f && (f->flags & UL_O_APPEND)) {
		struct ul_stat st;
		int rc = ul_fstat(fd, &st);
		if (rc < 0)
			return rc;
		f->pos = st.size;
	}
	long rc = ul_pwrite(fd, buf, n, f ? f->pos : 0);
	if (rc > 0)
		f->pos += (uint64_t)rc;
	return rc;
}

int64_t ul_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -UL_EBADF;
	int64_t base;
	if (whence == UL_SEEK_SET) {
		base = 0;
	} else if (whence == UL_SEEK_CUR) {
		base = (int64_t)f->pos;
	} else if (whence == UL_SEEK_END) {
		struct ul_stat st;
		int rc = ul_fstat(fd, &st);
		if (rc < 0)
			return rc;
		base = (int64_t)st.size;
	} else {
		return -UL_EINVAL;
	}
	if (f->is_dir || (off < 0 && -off > base) ||
	    (off > 0 && off > INT64_MAX - base))
		return -UL_EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

int ul_fstat(int fd, struct ul_stat *st)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -UL_EBADF;
	return getattr((struct loc){f->m, f->ino}, st);
}

static int stat_path(const char *path, int follow, struct ul_stat *st)
{
	struct loc l;
	int rc = vfs_resolve(path, follow, &l);
	return rc < 0 ? rc : getattr(l, st);
}

int ul_stat(const char *path, struct ul_stat *st)
{
	return stat_path(path, 1, st);
}

int ul_lstat(const char *path, struct ul_stat *st)
{
	return stat_path(path, 0, st);
}

int ul_ftruncate(int fd, uint64_t size)
{
	struct file *f = fd_file(fd);
	if (!f || (f->flags & UL_O_ACCMODE) == UL_O_RDONLY)
		return -UL_EBADF;
	struct mount *m = &vfs_mounts[f->m];
	return m->ops->truncate(m, f->ino, size);
}

int ul_fsync(int fd)
{
	struct file *f = fd_file(fd);
	if (!f)
		return -UL_EBADF;
	struct mount *m = &vfs_mounts[f->m];
	return m->ops->fsync ? m->ops->fsync(m, f->ino) : 0;
}

long ul_readlink(const char *path, char *buf, size_t cap)
{
	struct loc l;
	struct ul_stat st;
	int rc = vfs_resolve(path, 0, &l);
	if (rc == 0)
		rc = getattr(l, &st);
	if (rc < 0)
		return rc;
	if (!UL_S_ISLNK(st.mode))
		return -UL_EINVAL;
	return mnt(l)->ops->readlink(mnt(l), l.ino, buf, cap);
}

/* The directory and last name of a path whose entry is to be changed
 * (removed or renamed): not the root, ".", or "..". */
static int entry_of(const char *path, struct loc *dir, char *name)
{
	int rc = vfs_resolve_parent(path, dir, name);
	if (rc < 0)
		return rc;
	if (name[0] == '\0')
		return -UL_EBUSY; /* the root */
	if (ul_strcmp(name, ".") == 0 || ul_strcmp(name, "..") == 0)
		return -UL_EINVAL;
	return 0;
}

/* Whether l has a file system mounted on it. */
static int mounted_on(struct loc l)
{
	for (int k = 1; k < VFS_MAX_MOUNTS; k++)
		if (vfs_mounts[k].used && vfs_mounts[k].parent == l.m &&
		    vfs_mounts[k].covered == l.ino)
			return 1;
	return 0;
}

/* The directory and last name of a path that is to be made (mkdir,
 * symlink): one that does not exist yet. */
static int new_entry(const char *path, struct loc *dir, char *name)
{
	int rc = vfs_resolve_parent(path, dir, name);
	if (rc < 0)
		return rc;
	if (name[0] == '\0' || ul_strcmp(name, ".") == 0 ||
	    ul_strcmp(name, "..") == 0)
		return -UL_EEXIST;
	uint64_t ino;
	if (mnt(*dir)->ops->lookup(mnt(*dir), dir->ino, name, ul_strlen(name),
	                           &ino) == 0)
		return -UL_EEXIST;
	return 0;
}

int ul_mkdir(const char *path, unsigned mode)
{
	struct loc dir;
	char name[UL_NAME_MAX + 1];
	int rc = new_entry(path, &dir, name);
	if (rc == 0)
		rc = writable(dir, mnt(dir)->ops->create);
	if (rc < 0)
		return rc;
	uint64_t ino;
	return mnt(dir)->ops->create(mnt(dir), dir.ino, name, ul_strlen(name),
	                             UL_S_IFDIR | (mode & 07777), &ino);
}

int ul_symlink(const char *target, const char *path)
{
	size_t tlen = ul_strlen(target);
	if (tlen == 0)
		return -UL_ENOENT; /* as Linux: an empty target names nothing */
	if (tlen >= UL_PATH_MAX)
		return -UL_ENAMETOOLONG; /* it could never be followed */
	struct loc dir;
	char name[UL_NAME_MAX + 1];
	int rc = new_entry(path, &dir, name);
	if (rc == 0)
		rc = writable(dir, mnt(dir)->ops->symlink);
	if (rc < 0)
		return rc;
	uint64_t ino;
	return mnt(dir)->ops->symlink(mnt(dir), dir.ino, name, ul_strlen(name),
	                              target, tlen, &ino);
}

static int remove(const char *path, int rmdir)
{
	struct loc dir;
	char name[UL_NAME_MAX + 1];
	int rc = entry_of(path, &dir, name);
	if (rc < 0)
		return rc;
	struct mount *m = mnt(dir);
	size_t len = ul_strlen(name);
	struct loc l = dir;
	if ((rc = m->ops->lookup(m, dir.ino, name, len, &l.ino)) < 0)
		return rc;
	if (mounted_on(l))
		return -UL_EBUSY;
	if ((rc = writable(dir, m->ops->unlink)) < 0)
		return rc;
	return m->ops->unlink(m, dir.ino, name, len, rmdir);
}

int ul_unlink(const char *path)
{
	return remove(path, 0);
}

int ul_rmdir(const char *path)
{
	return remove(path, 1);
}

/* Whether directory anc is d or one of d's ancestors (same mount). */
static int is_ancestor(struct mount *m, uint64_t anc, uint64_t d)
{
	for (int depth = 0; depth < 4096; depth++) {
		if (d == anc)
			return 1;
		if (d == m->root)
			return 0;
		if (m->ops->lookup(m, d, "..", 2, &d) < 0)
			return 0;
	}
	return 1; /* a loop in the tree: refuse the rename */
}

int ul_rename(const char *from, const char *to)
{
	struct loc od, nd;
	char oname[UL_NAME_MAX + 1], nname[UL_NAME_MAX + 1];
	int rc = entry_of(from, &od, oname);
	if (rc == 0)
		rc = entry_of(to, &nd, nname);
	if (rc < 0)
		return rc;
	if (od.m != nd.m)
		return -UL_EXDEV;
	struct mount *m = mnt(od);
	struct loc src = od;
	size_t olen = ul_strlen(oname);
	if ((rc = m->ops->lookup(m, od.ino, oname, olen, &src.ino)) < 0)
		return rc;
	if ((rc = writable(od, m->ops->rename)) < 0)
		return rc;
	struct ul_stat st;
	if ((rc = getattr(src, &st)) < 0)
		return rc;
	if (mounted_on(src))
		return -UL_EBUSY;
	if (UL_S_ISDIR(st.mode) && is_ancestor(m, src.ino, nd.ino))
		return -UL_EINVAL; /* into itself */
	return m->ops->rename(m, od.ino, oname, olen, nd.ino, nname,
	                      ul_strlen(nname));
}

int ul_opendir(const char *path)
{
	return ul_open(path, UL_O_RDONLY | UL_O_DIRECTORY, 0);
}

int ul_readdir(int dd, struct ul_dirent *e)
{
	struct file *f = fd_file(dd);
	if (!f)
		return -UL_EBADF;
	if (!f->is_dir)
		return -UL_ENOTDIR;
	struct mount *m = &vfs_mounts[f->m];
	for (;;) {
		int rc = m->ops->readdir(m, f->ino, &f->pos, e);
		if (rc <= 0)
			return rc;
		if (ul_strcmp(e->name, ".") != 0 && ul_strcmp(e->name, "..") != 0)
			return 1;
	}
}

int ul_closedir(int dd)
{
	struct file *f = fd_file(dd);
	if (f && !f->is_dir)
		return -UL_ENOTDIR;
	return ul_close(dd);
}
