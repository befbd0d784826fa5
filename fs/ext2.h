/* ext2 inside: the on-disk records (revision 1, little-endian, the byte
 * order of the x86_64 targets) and the functions the ext2 files
 * share. A block group holds a block bitmap, an inode bitmap, an inode
 * table and data; the superblock (at byte 1024) and the group descriptor
 * table follow block first_data_block. */
#ifndef UL_FS_EXT2_H
#define UL_FS_EXT2_H

#include <stdint.h>
#include "bcache.h"
#include "vfs.h"

#define EXT2_MAGIC 0xef53
#define EXT2_ROOT_INO 2
#define EXT2_NDIR 12 /* direct pointers; then single, double, triple */
#define EXT2_IND 12
#define EXT2_DIND 13
#define EXT2_TIND 14
#define EXT2_VALID_FS 1
#define EXT2_INDEX_FL 0x1000 /* hashed directory: we keep it linear */
#define EXT2_FAST_LINK_MAX 60

#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x2
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x1
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x2

struct ext2_super {
	uint32_t inodes_count, blocks_count, r_blocks_count;
	uint32_t free_blocks_count, free_inodes_count;
	uint32_t first_data_block, log_block_size, log_frag_size;
	uint32_t blocks_per_group, frags_per_group, inodes_per_group;
	uint32_t mtime, wtime;
	uint16_t mnt_count;
	int16_t max_mnt_count;
	uint16_t magic, state, errors, minor_rev_level;
	uint32_t lastcheck, checkinterval, creator_os, rev_level;
	uint16_t def_resuid, def_resgid;
	uint32_t first_ino;
	uint16_t inode_size, block_group_nr;
	uint32_t feature_compat, feature_incompat, feature_ro_compat;
	uint8_t uuid[16];
	char volume_name[16];
	char last_mounted[64];
};

struct ext2_group {
	uint32_t block_bitmap, inode_bitmap, inode_table;
	uint16_t free_blocks_count, free_inodes_count, used_dirs_count;
	uint16_t pad;
	uint32_t reserved[3];
};

struct ext2_inode {
	uint16_t mode, uid;
	uint32_t size, atime, ctime, mtime, dtime;
	uint16_t gid, links_count;
	uint32_t blocks; /* 512-byte units */
	uint32_t flags, osd1;
	uint32_t block[15];
	uint32_t generation, file_acl, size_high, faddr;
	uint16_t blocks_high, file_acl_high, uid_high, gid_high;
	uint32_t osd2_reserved;
	uint16_t extra_isize; /* only when the inode size is above 128 */
};

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len, file_type;
	char name[];
};

/* Every field sits at its natural alignment, so the C layout is the disk
 * layout; these catch a mistake. */
_Static_assert(sizeof(struct ext2_super) == 200, "superblock layout");
_Static_assert(sizeof(struct ext2_group) == 32, "group descriptor layout");
_Static_assert(sizeof(struct ext2_inode) == 132, "inode layout");
_Static_assert(sizeof(struct ext2_dirent) == 8, "directory record layout");

#define DIRENT_LEN(namelen) ((8u + (namelen) + 3) & ~3u)

struct ext2 {
	struct blkdev dev;
	struct bcache cache;
	uint32_t bsize, apb; /* block size, block pointers per block */
	uint32_t ngroups, inode_size, inodes_per_block;
	uint32_t blocks_per_group, inodes_per_group, first_data_block;
	uint32_t blocks_count, inodes_count, first_ino;
	uint32_t sb_block, sb_off; /* where the superblock is in the cache */
	int filetype, large_file;
	uint32_t goal; /* the block after the last one allocated */
};

static inline struct ext2 *ext2_of(struct mount *m)
{
	return m->priv;
}

/* ext2_inode.c */
int ext2_iget(struct ext2 *fs, uint32_t ino, struct ext2_inode **ip,
              struct buf **bp);
uint64_t ext2_isize(const struct ext2 *fs, const struct ext2_inode *in);
void ext2_set_isize(struct ext2_inode *in, uint64_t size);
/* The disk block of file block fb, 0 for a hole; with alloc, holes are
 * filled (*fresh says the block is new and reads as zeros). */
int ext2_bmap(struct ext2 *fs, struct ext2_inode *in, uint64_t fb,
              int alloc, uint32_t *pb, int *fresh);
/* Set the size, freeing the blocks past it (in's buffer is the caller's
 * to mark dirty). */
int ext2_truncate(struct ext2 *fs, struct ext2_inode *in, uint64_t size);
int ext2_is_fast_link(const struct ext2 *fs, const struct ext2_inode *in);
uint64_t ext2_max_size(const struct ext2 *fs);
uint32_t ext2_now(void);

/* ext2_alloc.c */
int ext2_alloc_block(struct ext2 *fs, uint32_t goal, uint32_t *out);
int ext2_free_block(struct ext2 *fs, uint32_t block);
int ext2_alloc_inode(struct ext2 *fs, uint32_t parent, int dir,
                     uint32_t *out);
int ext2_free_inode(struct ext2 *fs, uint32_t ino, int dir);
int ext2_group(struct ext2 *fs, uint32_t g, struct ext2_group **gp,
               struct buf **bp);
int ext2_super(struct ext2 *fs, struct ext2_super **sp, struct buf **bp);

/* ext2_dir.c */
int ext2_dir_find(struct ext2 *fs, uint32_t dir, const char *name,
                  size_t len, uint32_t *ino, uint8_t *type);
int ext2_dir_add(struct ext2 *fs, uint32_t dir, const char *name,
                 size_t len, uint32_t ino, uint32_t mode);
int ext2_dir_remove(struct ext2 *fs, uint32_t dir, const char *name,
                    size_t len);
int ext2_dir_set_parent(struct ext2 *fs, uint32_t dir, uint32_t parent);
int ext2_dir_empty(struct ext2 *fs, uint32_t dir);
int ext2_dir_init(struct ext2 *fs, uint32_t dir, struct ext2_inode *in,
                  uint32_t parent);
int ext2_readdir(struct mount *m, uint64_t dir, uint64_t *pos,
                 struct ul_dirent *e);

/* ext2_file.c */
long ext2_read(struct mount *m, uint64_t ino, void *buf, size_t n,
               uint64_t off);
long ext2_write(struct mount *m, uint64_t ino, const void *buf, size_t n,
                uint64_t off);
long ext2_readlink(struct mount *m, uint64_t ino, char *buf, size_t cap);

/* ext2_ops.c: the names and inodes side of the VFS operations. */
int ext2_lookup(struct mount *m, uint64_t dir, const char *name, size_t len,
                uint64_t *ino);
int ext2_getattr(struct mount *m, uint64_t ino, struct ul_stat *st);
int ext2_settrunc(struct mount *m, uint64_t ino, uint64_t size);
int ext2_create(struct mount *m, uint64_t dir, const char *name, size_t len,
                uint32_t mode, uint64_t *ino);
int ext2_symlink(struct mount *m, uint64_t dir, const char *name, size_t len,
                 const char *target, size_t tlen, uint64_t *ino);
int ext2_unlink(struct mount *m, uint64_t dir, const char *name, size_t len,
                int rmdir);
int ext2_rename(struct mount *m, uint64_t odir, const char *oname,
                size_t olen, uint64_t ndir, const char *nname, size_t nlen);
int ext2_release(struct mount *m, uint64_t ino);

#endif
