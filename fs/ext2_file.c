/* ext2 file data: reads (holes read as zeros; a run of disk-contiguous
 * blocks is fetched in one device call), writes (blocks allocated on
 * demand, whole-block writes skip the read) and symbolic links (short
 * ones live in the inode's block pointers). */
#include <unilab/errno.h>
#include <unilab/string.h>
#include "ext2.h"

/* How many of the file blocks from fb on (at most max) lie one after the
 * other on the disk from pb on. */
static unsigned contiguous(struct ext2 *fs, struct ext2_inode *in,
                           uint64_t fb, uint32_t pb, unsigned max)
{
	unsigned n = 1;
	while (n < max) {
		uint32_t next;
		int fresh;
		if (ext2_bmap(fs, in, fb + n, 0, &next, &fresh) < 0 ||
		    next != pb + n)
			break;
		n++;
	}
	return n;
}

/* The part of a transfer at byte pos (left bytes to go) that lies in one
 * block: its length, the file block and the offset in it. */
static size_t piece(const struct ext2 *fs, uint64_t pos, size_t left,
                    uint64_t *fb, uint32_t *in_block)
{
	*fb = pos / fs->bsize;
	*in_block = (uint32_t)(pos % fs->bsize);
	size_t chunk = fs->bsize - *in_block;
	return chunk < left ? chunk : left;
}

long ext2_read(struct mount *m, uint64_t ino, void *buf, size_t n,
               uint64_t off)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *ib;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &ib);
	if (rc < 0)
		return rc;
	uint64_t size = ext2_isize(fs, in);
	if ((in->mode & UL_S_IFMT) == UL_S_IFDIR)
		rc = -UL_EISDIR;
	if (rc < 0 || off >= size) {
		bcache_put(&fs->cache, ib);
		return rc;
	}
	if (n > size - off)
		n = (size_t)(size - off);
	size_t done = 0;
	while (done < n) {
		uint64_t fb;
		uint32_t in_block;
		size_t chunk = piece(fs, off + done, n - done, &fb, &in_block);
		/* LAB fs.read BEGIN: map file block fb to its disk block
		 * (ext2_bmap without allocating); a hole (0) reads as zeros;
		 * else read the block through the cache (bcache_read, then
		 * bcache_put) and copy chunk bytes from in_block on. Fetch a
		 * run of blocks that lie one after the other on the disk in one
		 * device call first (contiguous, bcache_readahead). A file
		 * larger than the whole cache would only push everything else
		 * out of it: its whole blocks go from the disk straight into
		 * buf (bcache_read_direct), one copy instead of three. */
		uint32_t pb;
		int fresh;
		if ((rc = ext2_bmap(fs, in, fb, 0, &pb, &fresh)) < 0)
			break;
		if (pb == 0) {
			ul_memset((char *)buf + done, 0, chunk);
		} else {
			uint64_t left = (n - done + in_block + fs->bsize - 1) /
			                fs->bsize;
			unsigned run = fs->cache.run_blocks;
			unsigned ahead = left < run ? (unsigned)left : run;
			unsigned whole = (unsigned)((n - done) / fs->bsize < run ?
			                            (n - done) / fs->bsize : run);
			if (in_block == 0 && whole > 1 &&
			    size > (uint64_t)fs->cache.maxbufs * fs->bsize) {
				rc = bcache_read_direct(
					&fs->cache, pb,
					contiguous(fs, in, fb, pb, whole),
					(char *)buf + done);
				if (rc < 0)
					break;
				if (rc > 0) {
					done += (size_t)rc * fs->bsize;
					continue;
				}
			}
			if (ahead > 1 && !bcache_cached(&fs->cache, pb) &&
			    (rc = bcache_readahead(&fs->cache, pb,
			                           contiguous(fs, in, fb, pb,
			                                      ahead))) < 0)
				break;
			struct buf *b;
			if ((rc = bcache_read(&fs->cache, pb, &b)) < 0)
				break;
			ul_memcpy((char *)buf + done, b->data + in_block, chunk);
			bcache_put(&fs->cache, b);
		}
		/* LAB fs.read END: (void)contiguous; (void)buf; (void)in_block; rc = -UL_ENOSYS; break; */
		done += chunk;
	}
	bcache_put(&fs->cache, ib);
	return done > 0 ? (long)done : rc;
}

long ext2_write(struct mount *m, uint64_t ino, const void *buf, size_t n,
                uint64_t off)
{
	struct ext2 *fs = ext2_of(m);
	if (off > ext2_max_size(fs) || n > ext2_max_size(fs) - off)
		return -UL_EFBIG;
	struct ext2_inode *in;
	struct buf *ib;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &ib);
	if (rc < 0)
		return rc;
	size_t done = 0;
	while (done < n) {
		uint64_t fb;
		uint32_t in_block;
		size_t chunk = piece(fs, off + done, n - done, &fb, &in_block);
		uint32_t pb;
		int fresh;
		struct buf *b;
		rc = ext2_bmap(fs, in, fb, 1, &pb, &fresh);
		bcache_dirty(ib);
		if (rc < 0)
			break;
		if (fresh || chunk == fs->bsize)
			rc = bcache_get(&fs->cache, pb, &b);
		else
			rc = bcache_read(&fs->cache, pb, &b);
		if (rc < 0)
			break;
		if (fresh)
			ul_memset(b->data, 0, fs->bsize);
		ul_memcpy(b->data + in_block, (const char *)buf + done, chunk);
		bcache_dirty(b);
		bcache_put(&fs->cache, b);
		done += chunk;
	}
	if (done > 0) {
		if (off + done > ext2_isize(fs, in))
			ext2_set_isize(in, off + done);
		in->mtime = in->ctime = ext2_now();
		bcache_dirty(ib);
	}
	bcache_put(&fs->cache, ib);
	return done > 0 ? (long)done : rc;
}

long ext2_readlink(struct mount *m, uint64_t ino, char *buf, size_t cap)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_inode *in;
	struct buf *ib;
	int rc = ext2_iget(fs, (uint32_t)ino, &in, &ib);
	if (rc < 0)
		return rc;
	uint64_t size = ext2_isize(fs, in);
	size_t n = size < cap ? (size_t)size : cap;
	long out = (long)n;
	if ((in->mode & UL_S_IFMT) != UL_S_IFLNK || size > fs->bsize)
		out = -UL_EINVAL;
	else if (ext2_is_fast_link(fs, in))
		ul_memcpy(buf, in->block, n);
	else
		out = ext2_read(m, ino, buf, n, 0);
	bcache_put(&fs->cache, ib);
	return out;
}
