/* ext2 inodes: finding one in its group's table, its size, and the map
 * from file blocks to disk blocks through the direct, single, double and
 * triple indirect pointers, grown on write and cut on truncate. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include <unilab/time.h>
#include "ext2.h"

uint32_t ext2_now(void)
{
	return (uint32_t)(ul_wall() / 1000000000u);
}

int ext2_iget(struct ext2 *fs, uint32_t ino, struct ext2_inode **ip,
              struct buf **bp)
{
	/* LAB fs.iget BEGIN: inodes are numbered from 1; inode ino is entry
	 * (ino - 1) % inodes_per_group of the inode table of group
	 * (ino - 1) / inodes_per_group (ext2_group gives the group's
	 * descriptor, whose inode_table is the table's first block). Read the
	 * block that holds it (bcache_read: the caller puts it back) and
	 * point *ip at the entry (inode_size bytes each). Refuse a number
	 * outside 1..inodes_count with -UL_EIO. */
	if (ino < 1 || ino > fs->inodes_count)
		return -UL_EIO;
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	uint32_t idx = (ino - 1) % fs->inodes_per_group;
	struct ext2_group *gd;
	struct buf *gb;
	int rc = ext2_group(fs, g, &gd, &gb);
	if (rc < 0)
		return rc;
	uint32_t block = gd->inode_table + idx / fs->inodes_per_block;
	bcache_put(&fs->cache, gb);
	if ((rc = bcache_read(&fs->cache, block, bp)) < 0)
		return rc;
	*ip = (struct ext2_inode *)((*bp)->data +
	                            (idx % fs->inodes_per_block) * fs->inode_size);
	return 0;
	/* LAB fs.iget END: (void)fs; (void)ino; (void)ip; (void)bp;
	 * return -UL_ENOSYS; */
}

uint64_t ext2_isize(const struct ext2 *fs, const struct ext2_inode *in)
{
	uint64_t size = in->size;
	if (fs->large_file && (in->mode & UL_S_IFMT) == UL_S_IFREG)
		size |= (uint64_t)in->size_high << 32;
	return size;
}

void ext2_set_isize(struct ext2_inode *in, uint64_t size)
{
	in->size = (uint32_t)size;
	if ((in->mode & UL_S_IFMT) == UL_S_IFREG)
		in->size_high = (uint32_t)(size >> 32);
}

uint64_t ext2_max_size(const struct ext2 *fs)
{
	uint64_t a = fs->apb;
	uint64_t blocks = EXT2_NDIR + a + a * a + a * a * a;
	uint64_t max = blocks * fs->bsize;
	/* i_blocks counts 512-byte units in 32 bits. */
	if (max > ((uint64_t)1 << 41) - fs->bsize * 4)
		max = ((uint64_t)1 << 41) - fs->bsize * 4;
	if (!fs->large_file && max > 0x7fffffffu)
		max = 0x7fffffffu;
	return max;
}

int ext2_is_fast_link(const struct ext2 *fs, const struct ext2_inode *in)
{
	uint32_t acl = in->file_acl ? fs->bsize / 512 : 0;
	return (in->mode & UL_S_IFMT) == UL_S_IFLNK && in->blocks == acl &&
	       in->size < EXT2_FAST_LINK_MAX;
}

static int valid_block(const struct ext2 *fs, uint32_t b)
{
	return b >= fs->first_data_block && b < fs->blocks_count;
}

/* Fill *slot with a new block if it is empty; indirect blocks are
 * zeroed in the cache. */
static int fill(struct ext2 *fs, struct ext2_inode *in, uint32_t *slot,
                int indirect, int *fresh)
{
	*fresh = 0;
	if (*slot)
		return valid_block(fs, *slot) ? 0 : -UL_EIO;
	uint32_t b;
	int rc = ext2_alloc_block(fs, fs->goal, &b);
	if (rc < 0)
		return rc;
	if (indirect) {
		struct buf *nb;
		if ((rc = bcache_get(&fs->cache, b, &nb)) < 0) {
			ext2_free_block(fs, b);
			return rc;
		}
		ul_memset(nb->data, 0, fs->bsize);
		bcache_dirty(nb);
		bcache_put(&fs->cache, nb);
	}
	in->blocks += fs->bsize / 512;
	*slot = b;
	*fresh = 1;
	return 0;
}

int ext2_bmap(struct ext2 *fs, struct ext2_inode *in, uint64_t fb,
              int alloc, uint32_t *pb, int *fresh)
{
	uint64_t a = fs->apb;
	int depth;
	uint32_t *slot;
	*fresh = 0;
	/* LAB fs.bmap BEGIN: which pointer of the inode leads to file block
	 * fb: the EXT2_NDIR direct ones, then the single (EXT2_IND), double
	 * (EXT2_DIND) and triple (EXT2_TIND) indirect trees, each a = apb
	 * times larger than the last. Set depth (levels of indirect blocks
	 * below the pointer), slot (the pointer) and fb (the block's index
	 * within that tree); -UL_EFBIG past the triple tree. */
	if (fb < EXT2_NDIR) {
		depth = 0;
		slot = &in->block[fb];
	} else if ((fb -= EXT2_NDIR) < a) {
		depth = 1;
		slot = &in->block[EXT2_IND];
	} else if ((fb -= a) < a * a) {
		depth = 2;
		slot = &in->block[EXT2_DIND];
	} else if ((fb -= a * a) < a * a * a) {
		depth = 3;
		slot = &in->block[EXT2_TIND];
	} else {
		return -UL_EFBIG;
	}
	/* LAB fs.bmap END: (void)in; (void)a; (void)fb; return -UL_ENOSYS; */
	struct buf *held = NULL;
	int rc = 0;
	for (;;) {
		if (!*slot && !alloc) {
			*pb = 0; /* a hole */
			break;
		}
		if ((rc = fill(fs, in, slot, depth > 0, fresh)) < 0)
			break;
		if (*fresh && held)
			bcache_dirty(held);
		if (depth == 0) {
			*pb = *slot;
			break;
		}
		struct buf *next;
		if ((rc = bcache_read(&fs->cache, *slot, &next)) < 0)
			break;
		if (held)
			bcache_put(&fs->cache, held);
		held = next;
		depth--;
		/* LAB fs.bmap BEGIN: one level down: held is the indirect
		 * block just read; each of its pointers covers a^depth file
		 * blocks. Point slot at the one that covers fb, and make fb
		 * the index within that pointer's subtree. */
		uint64_t span = 1;
		for (int i = 0; i < depth; i++)
			span *= a;
		slot = (uint32_t *)held->data + fb / span;
		fb %= span;
		/* LAB fs.bmap END: rc = -UL_ENOSYS; break; */
	}
	if (held)
		bcache_put(&fs->cache, held);
	return rc;
}

/* Free the blocks under *slot (depth levels of indirection above the
 * data) that map file blocks from "from" on, counted from the start of
 * this subtree; *slot itself goes when nothing under it is kept. */
static int free_tree(struct ext2 *fs, struct ext2_inode *in, uint32_t *slot,
                     int depth, uint64_t from)
{
	if (*slot == 0)
		return 0;
	if (!valid_block(fs, *slot))
		return -UL_EIO;
	int rc = 0;
	if (depth > 0) {
		uint64_t span = 1;
		for (int i = 1; i < depth; i++)
			span *= fs->apb;
		struct buf *b;
		if ((rc = bcache_read(&fs->cache, *slot, &b)) < 0)
			return rc;
		uint32_t *e = (uint32_t *)b->data;
		for (uint64_t i = from / span; i < fs->apb && rc == 0; i++) {
			uint64_t start = i * span;
			uint32_t was = e[i];
			rc = free_tree(fs, in, &e[i], depth - 1,
			               from > start ? from - start : 0);
			if (e[i] != was)
				bcache_dirty(b);
		}
		bcache_put(&fs->cache, b);
	}
	if (rc == 0 && from == 0) {
		rc = ext2_free_block(fs, *slot);
		in->blocks -= fs->bsize / 512;
		*slot = 0;
	}
	return rc;
}

/* Zero the part of the last kept block past the new end, so that a later
 * extension reads zeros there. */
static int zero_tail(struct ext2 *fs, struct ext2_inode *in, uint64_t size)
{
	uint32_t off = (uint32_t)(size % fs->bsize);
	uint32_t pb;
	int fresh;
	if (off == 0)
		return 0;
	int rc = ext2_bmap(fs, in, size / fs->bsize, 0, &pb, &fresh);
	if (rc < 0 || pb == 0)
		return rc;
	struct buf *b;
	if ((rc = bcache_read(&fs->cache, pb, &b)) < 0)
		return rc;
	ul_memset(b->data + off, 0, fs->bsize - off);
	bcache_dirty(b);
	bcache_put(&fs->cache, b);
	return 0;
}

int ext2_truncate(struct ext2 *fs, struct ext2_inode *in, uint64_t size)
{
	if (size > ext2_max_size(fs))
		return -UL_EFBIG;
	uint64_t old = ext2_isize(fs, in);
	int rc = 0;
	if (size < old && !ext2_is_fast_link(fs, in)) {
		uint64_t keep = (size + fs->bsize - 1) / fs->bsize;
		uint64_t a = fs->apb, start = EXT2_NDIR;
		for (uint64_t i = keep; i < EXT2_NDIR && rc == 0; i++)
			rc = free_tree(fs, in, &in->block[i], 0, 0);
		uint64_t span = a;
		for (int d = 1; d <= 3 && rc == 0; d++) {
			if (keep < start + span)
				rc = free_tree(fs, in, &in->block[EXT2_NDIR + d - 1],
				               d, keep > start ? keep - start : 0);
			start += span;
			span *= a;
		}
		if (rc == 0)
			rc = zero_tail(fs, in, size);
	}
	if (rc == 0) {
		ext2_set_isize(in, size);
		in->mtime = in->ctime = ext2_now();
	}
	return rc;
}
