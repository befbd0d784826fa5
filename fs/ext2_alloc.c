/* ext2 allocation: blocks and inodes are bits in their group's bitmaps;
 * every change updates the group descriptor's and the superblock's free
 * counts in the same breath, so that e2fsck finds them consistent. All
 * of it goes through the buffer cache. */
#include <unilab/errno.h>
#include <unilab/log.h>
#include "ext2.h"

int ext2_super(struct ext2 *fs, struct ext2_super **sp, struct buf **bp)
{
	*sp = NULL; /* set on every path, for the compiler's flow analysis */
	int rc = bcache_read(&fs->cache, fs->sb_block, bp);
	if (rc == 0)
		*sp = (struct ext2_super *)((*bp)->data + fs->sb_off);
	return rc;
}

int ext2_group(struct ext2 *fs, uint32_t g, struct ext2_group **gp,
               struct buf **bp)
{
	*gp = NULL;
	if (g >= fs->ngroups)
		return -UL_EIO;
	uint32_t per = fs->bsize / sizeof(struct ext2_group);
	int rc = bcache_read(&fs->cache, fs->first_data_block + 1 + g / per, bp);
	if (rc == 0)
		*gp = (struct ext2_group *)(*bp)->data + g % per;
	return rc;
}

/* Add delta to the free counts of group g and of the superblock. */
static int count(struct ext2 *fs, uint32_t g, int dblocks, int dinodes,
                 int ddirs)
{
	struct ext2_group *gd;
	struct ext2_super *sb;
	struct buf *gb, *sbb;
	int rc = ext2_group(fs, g, &gd, &gb);
	if (rc < 0)
		return rc;
	gd->free_blocks_count = (uint16_t)(gd->free_blocks_count + dblocks);
	gd->free_inodes_count = (uint16_t)(gd->free_inodes_count + dinodes);
	gd->used_dirs_count = (uint16_t)(gd->used_dirs_count + ddirs);
	bcache_dirty(gb);
	bcache_put(&fs->cache, gb);
	if ((rc = ext2_super(fs, &sb, &sbb)) < 0)
		return rc;
	sb->free_blocks_count += (uint32_t)dblocks;
	sb->free_inodes_count += (uint32_t)dinodes;
	bcache_dirty(sbb);
	bcache_put(&fs->cache, sbb);
	return 0;
}

/* Find a clear bit in [from, n) of the bitmap block, set it, return its
 * index, or -1. */
static long take_bit(struct buf *b, uint32_t from, uint32_t n)
{
	uint8_t *map = b->data;
	for (uint32_t i = from; i < n; i++) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff && i + 8 <= n) {
			i += 7;
			continue;
		}
		if (!(map[i >> 3] & (1u << (i & 7)))) {
			map[i >> 3] |= (uint8_t)(1u << (i & 7));
			bcache_dirty(b);
			return (long)i;
		}
	}
	return -1;
}

/* Blocks in group g (the last group may be short). */
static uint32_t group_blocks(const struct ext2 *fs, uint32_t g)
{
	uint32_t start = fs->first_data_block + g * fs->blocks_per_group;
	uint32_t left = fs->blocks_count - start;
	return left < fs->blocks_per_group ? left : fs->blocks_per_group;
}

/* Try to take a block of group g at or after bit from. */
static int alloc_in(struct ext2 *fs, uint32_t g, uint32_t from, uint32_t *out)
{
	struct ext2_group *gd;
	struct buf *gb, *bb;
	int rc = ext2_group(fs, g, &gd, &gb);
	if (rc < 0)
		return rc;
	uint32_t free = gd->free_blocks_count, bitmap = gd->block_bitmap;
	bcache_put(&fs->cache, gb);
	if (free == 0)
		return -UL_ENOSPC;
	if ((rc = bcache_read(&fs->cache, bitmap, &bb)) < 0)
		return rc;
	long bit = take_bit(bb, from, group_blocks(fs, g));
	bcache_put(&fs->cache, bb);
	if (bit < 0)
		return -UL_ENOSPC;
	*out = fs->first_data_block + g * fs->blocks_per_group + (uint32_t)bit;
	fs->goal = *out + 1;
	return count(fs, g, -1, 0, 0);
}

int ext2_alloc_block(struct ext2 *fs, uint32_t goal, uint32_t *out)
{
	if (goal < fs->first_data_block || goal >= fs->blocks_count)
		goal = fs->first_data_block;
	uint32_t g0 = (goal - fs->first_data_block) / fs->blocks_per_group;
	uint32_t from = (goal - fs->first_data_block) % fs->blocks_per_group;
	for (uint32_t k = 0; k <= fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		int rc = alloc_in(fs, g, k == 0 ? from : 0, out);
		if (rc != -UL_ENOSPC)
			return rc;
	}
	return -UL_ENOSPC;
}

/* Clear bit i of the bitmap at block; -UL_EIO if it was clear already. */
static int clear_bit(struct ext2 *fs, uint32_t block, uint32_t i)
{
	struct buf *b;
	int rc = bcache_read(&fs->cache, block, &b);
	if (rc < 0)
		return rc;
	uint8_t bit = (uint8_t)(1u << (i & 7));
	if (b->data[i >> 3] & bit) {
		b->data[i >> 3] &= (uint8_t)~bit;
		bcache_dirty(b);
	} else {
		rc = -UL_EIO;
	}
	bcache_put(&fs->cache, b);
	return rc;
}

int ext2_free_block(struct ext2 *fs, uint32_t block)
{
	if (block < fs->first_data_block || block >= fs->blocks_count)
		return -UL_EIO;
	uint32_t g = (block - fs->first_data_block) / fs->blocks_per_group;
	struct ext2_group *gd;
	struct buf *gb;
	int rc = ext2_group(fs, g, &gd, &gb);
	if (rc < 0)
		return rc;
	uint32_t bitmap = gd->block_bitmap;
	bcache_put(&fs->cache, gb);
	rc = clear_bit(fs, bitmap,
	               (block - fs->first_data_block) % fs->blocks_per_group);
	if (rc < 0) {
		ul_warn("ext2: block %u freed twice; e2fsck needed", block);
		return rc;
	}
	return count(fs, g, 1, 0, 0);
}

/* The group to put a new inode in: a file goes near its directory; a
 * directory goes to the group with the most free inodes, spreading the
 * tree over the disk as Linux does. */
static uint32_t inode_group(struct ext2 *fs, uint32_t parent, int dir)
{
	uint32_t best = (parent - 1) / fs->inodes_per_group;
	if (!dir)
		return best;
	uint32_t most = 0;
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group *gd;
		struct buf *gb;
		if (ext2_group(fs, g, &gd, &gb) < 0)
			continue;
		if (gd->free_inodes_count > most && gd->free_blocks_count > 0) {
			most = gd->free_inodes_count;
			best = g;
		}
		bcache_put(&fs->cache, gb);
	}
	return best;
}

int ext2_alloc_inode(struct ext2 *fs, uint32_t parent, int dir,
                     uint32_t *out)
{
	uint32_t g0 = inode_group(fs, parent, dir);
	for (uint32_t k = 0; k < fs->ngroups; k++) {
		uint32_t g = (g0 + k) % fs->ngroups;
		struct ext2_group *gd;
		struct buf *gb, *ib;
		int rc = ext2_group(fs, g, &gd, &gb);
		if (rc < 0)
			return rc;
		uint32_t free = gd->free_inodes_count, bitmap = gd->inode_bitmap;
		bcache_put(&fs->cache, gb);
		if (free == 0)
			continue;
		if ((rc = bcache_read(&fs->cache, bitmap, &ib)) < 0)
			return rc;
		/* Inodes below first_ino are reserved (root, journal, ...). */
		uint32_t from = g == 0 ? fs->first_ino - 1 : 0;
		long bit = take_bit(ib, from, fs->inodes_per_group);
		bcache_put(&fs->cache, ib);
		if (bit < 0)
			continue;
		*out = g * fs->inodes_per_group + (uint32_t)bit + 1;
		return count(fs, g, 0, -1, dir ? 1 : 0);
	}
	return -UL_ENOSPC;
}

int ext2_free_inode(struct ext2 *fs, uint32_t ino, int dir)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	struct ext2_group *gd;
	struct buf *gb;
	int rc = ext2_group(fs, g, &gd, &gb);
	if (rc < 0)
		return rc;
	uint32_t bitmap = gd->inode_bitmap;
	bcache_put(&fs->cache, gb);
	if ((rc = clear_bit(fs, bitmap, (ino - 1) % fs->inodes_per_group)) < 0) {
		ul_warn("ext2: inode %u freed twice; e2fsck needed", ino);
		return rc;
	}
	return count(fs, g, 0, 1, dir ? -1 : 0);
}
