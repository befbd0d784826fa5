/* Mounting ext2: the superblock is checked field by field (a lying image
 * gets a message naming what is wrong, never a wild read later), its
 * features sorted into the ones we know, the ones that only forbid
 * writing, and the ones that forbid mounting. A read-write mount marks
 * the file system not clean until it is unmounted, as Linux does. */
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "ext2.h"
#include "fstypes.h"

#define COMPAT_HAS_JOURNAL 0x4

struct feature {
	uint32_t bit;
	const char *name;
};

/* Names as e2fsprogs prints them. */
static const struct feature incompat_names[] = {
	{0x1, "compression"}, {0x4, "needs_recovery"}, {0x8, "journal_dev"},
	{0x10, "meta_bg"},    {0x40, "extent"},        {0x80, "64bit"},
	{0x100, "mmp"},       {0x200, "flex_bg"},      {0x400, "ea_inode"},
	{0x1000, "dirdata"},  {0x2000, "metadata_csum_seed"},
	{0x4000, "large_dir"}, {0x8000, "inline_data"}, {0x10000, "encrypt"},
	{0x20000, "casefold"}, {0, NULL},
};
static const struct feature ro_compat_names[] = {
	{0x4, "btree_dir"},   {0x8, "huge_file"},     {0x10, "uninit_bg"},
	{0x20, "dir_nlink"},  {0x40, "extra_isize"},  {0x80, "snapshot"},
	{0x100, "quota"},     {0x200, "bigalloc"},    {0x400, "metadata_csum"},
	{0x800, "replica"},   {0x1000, "read-only"},  {0x2000, "project"},
	{0x8000, "verity"},   {0x10000, "orphan_present"}, {0, NULL},
};

/* The name of the lowest bit of bits, from table. */
static const char *feature_name(const struct feature *table, uint32_t bits)
{
	uint32_t low = bits & (0u - bits);
	for (; table->name; table++)
		if (table->bit == low)
			return table->name;
	return "unknown";
}

/* Check the superblock's geometry; a message names the first problem. */
static int check_geometry(struct ext2 *fs, const struct ext2_super *sb,
                          uint64_t dev_blocks)
{
	const char *why = NULL;
	if (sb->magic != EXT2_MAGIC)
		why = "no ext2 magic number (not an ext2 file system?)";
	else if (sb->rev_level > 1)
		why = "unknown revision";
	else if (sb->log_block_size > 2)
		why = "block size above 4 KiB";
	else if (sb->blocks_per_group == 0 || sb->blocks_per_group > fs->bsize * 8)
		why = "blocks per group out of range";
	else if (sb->inodes_per_group == 0 ||
	         sb->inodes_per_group > fs->bsize * 8)
		why = "inodes per group out of range";
	else if (sb->first_data_block != (fs->bsize == 1024 ? 1u : 0u))
		why = "first data block is wrong for the block size";
	else if (sb->blocks_count <= sb->first_data_block)
		why = "no blocks";
	else if (sb->blocks_count > dev_blocks)
		why = "the file system is larger than the device";
	else if (fs->inode_size < 128 || fs->inode_size > fs->bsize ||
	         (fs->inode_size & (fs->inode_size - 1)))
		why = "bad inode size";
	if (!why) {
		fs->ngroups = (sb->blocks_count - sb->first_data_block +
		               sb->blocks_per_group - 1) / sb->blocks_per_group;
		if ((uint64_t)fs->ngroups * sb->inodes_per_group !=
		    sb->inodes_count)
			why = "inode count does not match the groups";
		else if (fs->first_ino <= EXT2_ROOT_INO ||
		         fs->first_ino > sb->inodes_count)
			why = "first inode out of range";
		else if ((uint64_t)fs->ngroups * sizeof(struct ext2_group) >
		         (uint64_t)(sb->blocks_per_group - 1) * fs->bsize)
			why = "group descriptors do not fit";
	}
	if (why) {
		ul_error("ext2: cannot mount: %s", why);
		return -UL_EINVAL;
	}
	return 0;
}

static int in_range(const struct ext2 *fs, uint32_t b, uint32_t n)
{
	return b >= fs->first_data_block && b < fs->blocks_count &&
	       n <= fs->blocks_count - b;
}

/* Every group's bitmaps and inode table must be on the disk. */
static int check_groups(struct ext2 *fs)
{
	uint32_t table = (fs->inodes_per_group + fs->inodes_per_block - 1) /
	                 fs->inodes_per_block;
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		struct ext2_group *gd;
		struct buf *b;
		int rc = ext2_group(fs, g, &gd, &b);
		if (rc < 0)
			return rc;
		int ok = in_range(fs, gd->block_bitmap, 1) &&
		         in_range(fs, gd->inode_bitmap, 1) &&
		         in_range(fs, gd->inode_table, table);
		bcache_put(&fs->cache, b);
		if (!ok) {
			ul_error("ext2: cannot mount: group %u points past the "
			         "end of the disk", g);
			return -UL_EINVAL;
		}
	}
	return 0;
}

/* Read the superblock and decide how to mount: 0 (read-write), 1
 * (read-only) or a negative error. */
static int check_super(struct ext2 *fs, int read_only)
{
	struct ext2_super *sb;
	struct buf *b;
	int rc = ext2_super(fs, &sb, &b);
	if (rc < 0)
		return rc;
	fs->bsize = 1024u << (sb->log_block_size & 7);
	fs->inode_size = sb->rev_level ? sb->inode_size : 128;
	fs->first_ino = sb->rev_level ? sb->first_ino : 11;
	rc = check_geometry(fs, sb, fs->dev.sectors * fs->dev.sector_size /
	                                    fs->bsize);
	uint32_t incompat = sb->feature_incompat & ~EXT2_FEATURE_INCOMPAT_FILETYPE;
	uint32_t ro = sb->feature_ro_compat &
	              ~(uint32_t)(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER |
	                          EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
	if (rc == 0 && sb->rev_level == 0)
		incompat = ro = 0; /* revision 0 has no feature fields */
	if (rc == 0 && incompat) {
		ul_error("ext2: cannot mount: unsupported feature %s",
		         feature_name(incompat_names, incompat));
		rc = -UL_ENOTSUP;
	} else if (rc == 0 && sb->rev_level &&
	           (sb->feature_compat & COMPAT_HAS_JOURNAL)) {
		ul_error("ext2: cannot mount: unsupported feature has_journal "
		         "(an ext3/ext4 journal)");
		rc = -UL_ENOTSUP;
	} else if (rc == 0 && ro && !read_only) {
		ul_warn("ext2: feature %s is not supported: mounting read-only",
		        feature_name(ro_compat_names, ro));
		read_only = 1;
	}
	if (rc == 0) {
		fs->filetype = sb->rev_level &&
		        (sb->feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
		fs->large_file = sb->rev_level &&
		        (sb->feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE);
		fs->blocks_count = sb->blocks_count;
		fs->inodes_count = sb->inodes_count;
		fs->blocks_per_group = sb->blocks_per_group;
		fs->inodes_per_group = sb->inodes_per_group;
		fs->first_data_block = sb->first_data_block;
		if (!(sb->state & EXT2_VALID_FS))
			ul_warn("ext2: the file system was not cleanly "
			        "unmounted; run e2fsck on it");
		if (!read_only) {
			sb->state &= (uint16_t)~EXT2_VALID_FS;
			sb->mnt_count++;
			sb->mtime = ext2_now();
			bcache_dirty(b);
		}
	}
	bcache_put(&fs->cache, b);
	return rc < 0 ? rc : read_only;
}

static int ext2_sync(struct mount *m)
{
	return bcache_sync(&ext2_of(m)->cache);
}

static int ext2_fsync(struct mount *m, uint64_t ino)
{
	(void)ino; /* the metadata it needs may be anywhere: sync it all */
	return ext2_sync(m);
}

static int ext2_statfs(struct mount *m, struct ul_statfs *st)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_super *sb;
	struct buf *b;
	int rc = ext2_super(fs, &sb, &b);
	if (rc < 0)
		return rc;
	ul_strlcpy(st->type, "ext2", sizeof st->type);
	st->bsize = fs->bsize;
	st->blocks = sb->blocks_count;
	st->bfree = sb->free_blocks_count;
	st->files = sb->inodes_count;
	st->ffree = sb->free_inodes_count;
	st->namemax = UL_NAME_MAX;
	bcache_put(&fs->cache, b);
	return 0;
}

/* Mark the file system clean again, write everything, let go. */
static void ext2_unmount(struct mount *m)
{
	struct ext2 *fs = ext2_of(m);
	struct ext2_super *sb;
	struct buf *b;
	if (!m->read_only && ext2_super(fs, &sb, &b) == 0) {
		sb->state |= EXT2_VALID_FS;
		sb->wtime = ext2_now();
		bcache_dirty(b);
		bcache_put(&fs->cache, b);
	}
	if (bcache_sync(&fs->cache) < 0)
		ul_error("ext2: unmount: writing back failed; data is lost");
	bcache_destroy(&fs->cache);
	ul_free(fs);
}

/* One table for both kinds of mount: the VFS refuses changes to a
 * read-only mount before they reach the file system. */
static const struct fs_ops ext2_ops = {
	.name = "ext2",
	.lookup = ext2_lookup,
	.getattr = ext2_getattr,
	.read = ext2_read,
	.readlink = ext2_readlink,
	.readdir = ext2_readdir,
	.statfs = ext2_statfs,
	.write = ext2_write,
	.truncate = ext2_settrunc,
	.create = ext2_create,
	.symlink = ext2_symlink,
	.unlink = ext2_unlink,
	.rename = ext2_rename,
	.release = ext2_release,
	.fsync = ext2_fsync,
	.sync = ext2_sync,
	.unmount = ext2_unmount,
};

int ext2_mount(const struct blkdev *dev, int read_only, struct mount *m)
{
	struct ext2 *fs = ul_calloc(1, sizeof *fs);
	if (!fs)
		return -UL_ENOMEM;
	fs->dev = *dev;
	read_only |= dev->read_only;
	/* First through a 1 KiB cache to read the superblock, which sits at
	 * byte 1024 whatever the block size. */
	fs->bsize = 1024;
	fs->sb_block = 1;
	int rc = bcache_init(&fs->cache, &fs->dev, 1024, 16 * 1024);
	if (rc == 0 && fs->dev.sectors * fs->dev.sector_size < 2048)
		rc = -UL_EINVAL;
	if (rc == 0) {
		struct ext2_super *sb;
		struct buf *b;
		if ((rc = ext2_super(fs, &sb, &b)) == 0) {
			fs->bsize = sb->log_block_size <= 2
			                    ? 1024u << sb->log_block_size
			                    : 1024;
			bcache_put(&fs->cache, b);
		}
		bcache_destroy(&fs->cache);
	}
	if (rc == 0) {
		fs->sb_block = fs->bsize == 1024 ? 1 : 0;
		fs->sb_off = fs->bsize == 1024 ? 0 : 1024;
		fs->apb = fs->bsize / 4;
		rc = bcache_init(&fs->cache, &fs->dev, fs->bsize, bcache_budget());
		if (rc == 0 && (rc = check_super(fs, read_only)) >= 0) {
			read_only = rc;
			fs->inodes_per_block = fs->bsize / fs->inode_size;
			fs->goal = fs->first_data_block;
			rc = check_groups(fs);
		}
		if (rc == 0 && !read_only)
			rc = bcache_sync(&fs->cache);
		if (rc < 0)
			bcache_destroy(&fs->cache);
	}
	if (rc < 0) {
		ul_free(fs);
		return rc;
	}
	*m = (struct mount){.ops = &ext2_ops,
	                    .priv = fs, .cache = &fs->cache,
	                    .root = EXT2_ROOT_INO, .read_only = read_only,
	                    .parent = -1};
	return 0;
}
