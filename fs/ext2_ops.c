/* ext2 names and inodes: look-up, attributes, create, symlink, unlink,
 * rename, truncate, and freeing an inode when its last name and last open
 * descriptor are gone. The order of writes favours what e2fsck repairs
 * after a crash: a new name is added before an old one is removed. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "ext2.h"

int ext2_lookup(struct mount *m, uint64_t dir, const char *name, size_t len,
                uint64_t *ino)
{
	uint32_t found;
	uint8_t type;
	int rc = ext2_dir_find(ext2_of(m), (uint32_t)dir, name, len, &found,
	                       &type);
	if (rc == 0 && (found < 1 || found > ext2_of(m)->inodes_count))
		rc = -UL_EIO; /* a record naming an inode that cannot be */
	if (rc == 0)
		*ino = found;
	return rc;
}

int ext2_getattr(struct mount *m, uint64_t ino, struct ul_stat *st)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &b);
	if (rc < 0)
		return rc;
	*st = (struct ul_stat){.ino = ino,
	                       .mode = in->mode,
	                       .nlink = in->links_count,
	                       .uid = in->uid | (uint32_t)in->uid_high << 16,
	                       .gid = in->gid | (uint32_t)in->gid_high << 16,
	                       .size = ext2_isize(fs, in),
	                       .blocks = in->blocks,
	                       .atime = in->atime,
	                       .mtime = in->mtime,
	                       .ctime = in->ctime};
	if (in->links_count == 0 && in->mode == 0)
		rc = -UL_EIO; /* a free inode that a directory still names */
	bcache_put(&fs->cache, b);
	return rc;
}

int ext2_settrunc(struct mount *m, uint64_t ino, uint64_t size)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &b);
	if (rc < 0)
		return rc;
	if ((in->mode & UL_S_IFMT) != UL_S_IFREG)
		rc = -UL_EINVAL;
	else
		rc = ext2_truncate(fs, in, size);
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	return rc;
}

/* Give an inode's blocks and the inode itself back. */
static int free_inode(struct ext2 *fs, uint32_t ino)
{
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, ino, &in, &b);
	if (rc < 0)
		return rc;
	int dir = (in->mode & UL_S_IFMT) == UL_S_IFDIR;
	rc = ext2_truncate(fs, in, 0);
	in->links_count = 0; /* e2fsck takes a linked inode for a used one */
	in->dtime = ext2_now();
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	return rc < 0 ? rc : ext2_free_inode(fs, ino, dir);
}

/* Add delta to the link count of ino. */
static int relink(struct ext2 *fs, uint32_t ino, int delta)
{
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, ino, &in, &b);
	if (rc < 0)
		return rc;
	in->links_count = (uint16_t)(in->links_count + delta);
	in->ctime = ext2_now();
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	return 0;
}

/* A new inode of mode named name in dir. Its content comes first (a
 * directory's "." and "..", a symlink's target), the name last, so a
 * crash never leaves a name for a half-made inode. */
static int make(struct mount *m, uint64_t dir, const char *name, size_t len,
                uint32_t mode, const char *target, size_t tlen,
                uint64_t *ino)
{
	struct ext2 *fs = ext2_of(m);
	int is_dir = UL_S_ISDIR(mode);
	uint32_t new;
	int rc = ext2_alloc_inode(fs, (uint32_t)dir, is_dir, &new);
	if (rc < 0)
		return rc;
	struct ext2_inode *in;
	struct buf *b;
	if ((rc = ext2_iget(fs, new, &in, &b)) < 0)
		return rc;
	ul_memset(in, 0, fs->inode_size);
	uint32_t now = ext2_now();
	in->mode = (uint16_t)mode;
	in->links_count = is_dir ? 2 : 1;
	in->atime = in->ctime = in->mtime = now;
	if (fs->inode_size >= 160)
		in->extra_isize = 32; /* what mke2fs asks of new inodes */
	if (is_dir)
		rc = ext2_dir_init(fs, new, in, (uint32_t)dir);
	int fast = target && tlen < EXT2_FAST_LINK_MAX;
	if (fast) {
		/* A short target lives in the block pointers, as Linux keeps
		 * it: no data block. */
		ul_memcpy(in->block, target, tlen);
		ext2_set_isize(in, tlen);
	}
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	if (rc == 0 && target && !fast) {
		long n = ext2_write(m, new, target, tlen, 0);
		rc = n == (long)tlen ? 0 : n < 0 ? (int)n : -UL_EIO;
	}
	if (rc == 0)
		rc = ext2_dir_add(fs, (uint32_t)dir, name, len, new, mode);
	if (rc == 0 && is_dir)
		rc = relink(fs, (uint32_t)dir, 1);
	if (rc < 0) {
		free_inode(fs, new);
		return rc;
	}
	*ino = new;
	return 0;
}

int ext2_create(struct mount *m, uint64_t dir, const char *name, size_t len,
                uint32_t mode, uint64_t *ino)
{
	return make(m, dir, name, len, mode, NULL, 0, ino);
}

int ext2_symlink(struct mount *m, uint64_t dir, const char *name, size_t len,
                 const char *target, size_t tlen, uint64_t *ino)
{
	if (tlen >= ext2_of(m)->bsize)
		return -UL_ENAMETOOLONG; /* a slow symlink has one block */
	return make(m, dir, name, len, UL_S_IFLNK | 0777, target, tlen, ino);
}

/* Drop one link of ino (two for a directory: its name and its "."),
 * freeing it when none is left and nobody has it open. */
static int drop_link(struct mount *m, uint32_t dir, uint32_t ino)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, ino, &in, &b);
	if (rc < 0)
		return rc;
	int is_dir = (in->mode & UL_S_IFMT) == UL_S_IFDIR;
	if (is_dir || in->links_count == 0)
		in->links_count = 0;
	else
		in->links_count--;
	in->ctime = ext2_now();
	int gone = in->links_count == 0;
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	if (is_dir)
		rc = relink(fs, dir, -1); /* its ".." */
	if (rc == 0 && gone && !vfs_in_use(m, ino))
		rc = free_inode(fs, ino);
	return rc;
}

/* Whether ino may go as rmdir (directory) or unlink (anything else). */
static int removable(struct ext2 *fs, uint32_t ino, int rmdir)
{
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, ino, &in, &b);
	if (rc < 0)
		return rc;
	int is_dir = (in->mode & UL_S_IFMT) == UL_S_IFDIR;
	bcache_put(&fs->cache, b);
	if (rmdir && !is_dir)
		return -UL_ENOTDIR;
	if (!rmdir && is_dir)
		return -UL_EISDIR;
	if (is_dir && (rc = ext2_dir_empty(fs, ino)) <= 0)
		return rc < 0 ? rc : -UL_ENOTEMPTY;
	return 0;
}

int ext2_unlink(struct mount *m, uint64_t dir, const char *name, size_t len,
                int rmdir)
{
	struct ext2 *fs = ext2_of(m);
	uint64_t ino = 0;
	int rc = ext2_lookup(m, dir, name, len, &ino);
	if (rc == 0)
		rc = removable(fs, (uint32_t)ino, rmdir);
	if (rc == 0)
		rc = ext2_dir_remove(fs, (uint32_t)dir, name, len);
	if (rc == 0)
		rc = drop_link(m, (uint32_t)dir, (uint32_t)ino);
	return rc;
}

int ext2_rename(struct mount *m, uint64_t odir, const char *oname,
                size_t olen, uint64_t ndir, const char *nname, size_t nlen)
{
	struct ext2 *fs = ext2_of(m);
	uint64_t ino = 0, old = 0;
	struct ul_stat st;
	int rc = ext2_lookup(m, odir, oname, olen, &ino);
	if (rc == 0)
		rc = ext2_getattr(m, ino, &st);
	if (rc < 0)
		return rc;
	int is_dir = UL_S_ISDIR(st.mode);
	rc = ext2_lookup(m, ndir, nname, nlen, &old);
	if (rc == 0 && old == ino)
		return 0; /* two names of one file: nothing to do */
	if (rc == 0)
		rc = removable(fs, (uint32_t)old, is_dir);
	if (rc == 0)
		rc = ext2_unlink(m, ndir, nname, nlen, is_dir);
	else if (rc == -UL_ENOENT)
		rc = 0;
	if (rc == 0)
		rc = ext2_dir_add(fs, (uint32_t)ndir, nname, nlen, (uint32_t)ino,
		                  st.mode);
	if (rc == 0)
		rc = ext2_dir_remove(fs, (uint32_t)odir, oname, olen);
	if (rc == 0 && is_dir && odir != ndir) {
		rc = ext2_dir_set_parent(fs, (uint32_t)ino, (uint32_t)ndir);
		if (rc == 0)
			rc = relink(fs, (uint32_t)odir, -1);
		if (rc == 0)
			rc = relink(fs, (uint32_t)ndir, 1);
	}
	return rc;
}

int ext2_release(struct mount *m, uint64_t ino)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *b;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &b);
	if (rc < 0)
		return rc;
	int orphan = in->links_count == 0 && in->mode != 0 && in->dtime == 0;
	bcache_put(&fs->cache, b);
	return orphan ? free_inode(fs, (uint32_t)ino) : 0;
}
