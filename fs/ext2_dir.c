/* ext2 directories: linear lists of records (inode, record length, name
 * length, type, name) that never cross a block. A record's length may
 * exceed its name: the slack is where new names go. Every record is
 * checked before use; a broken one is -UL_EIO, not a wild read. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "ext2.h"

enum { FT_UNKNOWN, FT_REG, FT_DIR, FT_CHR, FT_BLK, FT_FIFO, FT_SOCK, FT_LNK };

static uint8_t file_type(uint32_t mode)
{
	switch (mode & UL_S_IFMT) {
	case UL_S_IFREG: return FT_REG;
	case UL_S_IFDIR: return FT_DIR;
	case UL_S_IFCHR: return FT_CHR;
	case UL_S_IFBLK: return FT_BLK;
	case UL_S_IFIFO: return FT_FIFO;
	case UL_S_IFSOCK: return FT_SOCK;
	case UL_S_IFLNK: return FT_LNK;
	}
	return FT_UNKNOWN;
}

/* A walk over a directory's records: block by block, record by record. */
struct dirwalk {
	struct ext2 *fs;
	struct ext2_inode *in; /* the directory, held by the walker */
	struct buf *ib;
	uint64_t nblocks, fb; /* blocks in the directory, the current one */
	struct buf *b;        /* the current block, held */
	uint32_t off;         /* the current record in it */
	struct ext2_dirent *prev, *e;
};

static int walk_start(struct dirwalk *w, struct ext2 *fs, uint32_t dir)
{
	ul_memset(w, 0, sizeof *w);
	w->fs = fs;
	int rc = ext2_iget(fs, dir, &w->in, &w->ib);
	if (rc < 0)
		return rc;
	if ((w->in->mode & UL_S_IFMT) != UL_S_IFDIR) {
		bcache_put(&fs->cache, w->ib);
		return -UL_ENOTDIR;
	}
	w->nblocks = ext2_isize(fs, w->in) / fs->bsize;
	return 0;
}

static void walk_end(struct dirwalk *w)
{
	if (w->b)
		bcache_put(&w->fs->cache, w->b);
	bcache_put(&w->fs->cache, w->ib);
}

static int load(struct dirwalk *w)
{
	uint32_t pb;
	int fresh;
	int rc = ext2_bmap(w->fs, w->in, w->fb, 0, &pb, &fresh);
	if (rc < 0)
		return rc;
	if (pb == 0)
		return -UL_EIO; /* a hole in a directory */
	return bcache_read(&w->fs->cache, pb, &w->b);
}

/* The next record (w->e), 1; 0 past the last; or -UL_EIO. */
static int walk_next(struct dirwalk *w)
{
	struct ext2 *fs = w->fs;
	if (w->e) {
		w->off += w->e->rec_len;
		w->prev = w->e;
	}
	while (!w->b || w->off >= fs->bsize) {
		if (w->b) {
			bcache_put(&fs->cache, w->b);
			w->b = NULL;
			w->fb++;
		}
		if (w->fb >= w->nblocks)
			return 0;
		int rc = load(w);
		if (rc < 0)
			return rc;
		w->off = 0;
		w->prev = NULL;
	}
	/* LAB fs.dir BEGIN: the record at w->off of the current block: a
	 * struct ext2_dirent whose rec_len leads to the next. Check it before
	 * trusting it (it must fit in the block, rec_len a multiple of 4 and
	 * at least 8, the name inside the record; no file_type byte unless
	 * the file system has the filetype feature): -UL_EIO otherwise. */
	struct ext2_dirent *e = (struct ext2_dirent *)(w->b->data + w->off);
	if (w->off + 8 > fs->bsize || e->rec_len < 8 || e->rec_len & 3 ||
	    e->rec_len > fs->bsize - w->off ||
	    (uint32_t)e->name_len + 8 > e->rec_len ||
	    (!fs->filetype && e->file_type))
		return -UL_EIO;
	w->e = e;
	return 1;
	/* LAB fs.dir END: return -UL_ENOSYS; */
}

static int is(const struct ext2_dirent *e, const char *name, size_t len)
{
	return e->inode && e->name_len == len &&
	       ul_memcmp(e->name, name, len) == 0;
}

int ext2_dir_find(struct ext2 *fs, uint32_t dir, const char *name,
                  size_t len, uint32_t *ino, uint8_t *type)
{
	struct dirwalk w;
	int rc = walk_start(&w, fs, dir);
	if (rc < 0)
		return rc;
	while ((rc = walk_next(&w)) > 0)
		if (is(w.e, name, len)) {
			*ino = w.e->inode;
			*type = w.e->file_type;
			break;
		}
	walk_end(&w);
	return rc > 0 ? 0 : rc == 0 ? -UL_ENOENT : rc;
}

/* Put a record for ino in e, which spans len bytes. */
static void put_record(struct ext2 *fs, struct ext2_dirent *e, uint32_t len,
                       const char *name, size_t nlen, uint32_t ino,
                       uint32_t mode)
{
	e->inode = ino;
	e->rec_len = (uint16_t)len;
	e->name_len = (uint8_t)nlen;
	e->file_type = fs->filetype ? file_type(mode) : 0;
	ul_memcpy(e->name, name, nlen);
}

/* A directory we change is linear from now on: drop the hash-index flag
 * so that readers that use the index do not trust a stale one. */
static void touch(struct dirwalk *w)
{
	w->in->flags &= ~EXT2_INDEX_FL;
	w->in->mtime = w->in->ctime = ext2_now();
	bcache_dirty(w->ib);
}

int ext2_dir_add(struct ext2 *fs, uint32_t dir, const char *name,
                 size_t len, uint32_t ino, uint32_t mode)
{
	uint32_t need = DIRENT_LEN(len);
	struct dirwalk w;
	int rc = walk_start(&w, fs, dir);
	if (rc < 0)
		return rc;
	while ((rc = walk_next(&w)) > 0) {
		struct ext2_dirent *e = w.e;
		uint32_t used = e->inode ? DIRENT_LEN(e->name_len) : 0;
		if (e->rec_len - used < need)
			continue;
		if (used) {
			struct ext2_dirent *n =
			        (struct ext2_dirent *)((uint8_t *)e + used);
			put_record(fs, n, e->rec_len - used, name, len, ino, mode);
			e->rec_len = (uint16_t)used;
		} else {
			put_record(fs, e, e->rec_len, name, len, ino, mode);
		}
		bcache_dirty(w.b);
		touch(&w);
		walk_end(&w);
		return 0;
	}
	if (rc == 0) {
		/* No room: one more block, all of it for this record. */
		uint32_t pb;
		int fresh;
		struct buf *b;
		rc = ext2_bmap(fs, w.in, w.nblocks, 1, &pb, &fresh);
		if (rc == 0)
			rc = bcache_get(&fs->cache, pb, &b);
		if (rc == 0) {
			put_record(fs, (struct ext2_dirent *)b->data, fs->bsize,
			           name, len, ino, mode);
			bcache_dirty(b);
			bcache_put(&fs->cache, b);
			ext2_set_isize(w.in, (w.nblocks + 1) * fs->bsize);
		}
		touch(&w);
	}
	walk_end(&w);
	return rc;
}

int ext2_dir_remove(struct ext2 *fs, uint32_t dir, const char *name,
                    size_t len)
{
	struct dirwalk w;
	int rc = walk_start(&w, fs, dir);
	if (rc < 0)
		return rc;
	while ((rc = walk_next(&w)) > 0 && !is(w.e, name, len))
		;
	if (rc > 0) {
		if (w.prev)
			w.prev->rec_len = (uint16_t)(w.prev->rec_len + w.e->rec_len);
		else
			w.e->inode = 0;
		bcache_dirty(w.b);
		touch(&w);
		rc = 0;
	} else if (rc == 0) {
		rc = -UL_ENOENT;
	}
	walk_end(&w);
	return rc;
}

int ext2_dir_set_parent(struct ext2 *fs, uint32_t dir, uint32_t parent)
{
	struct dirwalk w;
	int rc = walk_start(&w, fs, dir);
	if (rc < 0)
		return rc;
	while ((rc = walk_next(&w)) > 0 && !is(w.e, "..", 2))
		;
	if (rc > 0) {
		w.e->inode = parent;
		bcache_dirty(w.b);
		touch(&w);
		rc = 0;
	} else if (rc == 0) {
		rc = -UL_EIO; /* a directory without ".." */
	}
	walk_end(&w);
	return rc;
}

int ext2_dir_empty(struct ext2 *fs, uint32_t dir)
{
	struct dirwalk w;
	int rc = walk_start(&w, fs, dir);
	if (rc < 0)
		return rc;
	while ((rc = walk_next(&w)) > 0)
		if (w.e->inode && !is(w.e, ".", 1) && !is(w.e, "..", 2))
			break;
	walk_end(&w);
	return rc < 0 ? rc : rc == 0;
}

int ext2_dir_init(struct ext2 *fs, uint32_t dir, struct ext2_inode *in,
                  uint32_t parent)
{
	uint32_t pb;
	int fresh;
	struct buf *b;
	int rc = ext2_bmap(fs, in, 0, 1, &pb, &fresh);
	if (rc == 0)
		rc = bcache_get(&fs->cache, pb, &b);
	if (rc < 0)
		return rc;
	struct ext2_dirent *dot = (struct ext2_dirent *)b->data;
	put_record(fs, dot, 12, ".", 1, dir, UL_S_IFDIR);
	put_record(fs, (struct ext2_dirent *)(b->data + 12), fs->bsize - 12,
	           "..", 2, parent, UL_S_IFDIR);
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	ext2_set_isize(in, fs->bsize);
	return 0;
}

int ext2_readdir(struct mount *m, uint64_t dir, uint64_t *pos,
                 struct ul_dirent *out)
{
	struct ext2 *fs = ext2_of(m);
	struct dirwalk w;
	int rc = walk_start(&w, fs, (uint32_t)dir);
	if (rc < 0)
		return rc;
	/* *pos is a byte offset into the directory; records before it in
	 * its block are walked over again. */
	w.fb = *pos / fs->bsize;
	while ((rc = walk_next(&w)) > 0) {
		uint64_t at = w.fb * fs->bsize + w.off;
		if (at < *pos || !w.e->inode)
			continue;
		out->ino = w.e->inode;
		ul_memcpy(out->name, w.e->name, w.e->name_len);
		out->name[w.e->name_len] = '\0';
		uint8_t t = w.e->file_type;
		out->type = t == FT_DIR ? UL_DT_DIR
		            : t == FT_REG ? UL_DT_REG
		            : t == FT_LNK ? UL_DT_LNK
		                          : UL_DT_UNKNOWN;
		*pos = at + w.e->rec_len;
		break;
	}
	walk_end(&w);
	return rc;
}
