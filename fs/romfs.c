/* romfs, the read-only file system of Linux (Documentation/filesystems/
 * romfs.rst), read straight from an image in memory: the files an app
 * ships inside its binary. Numbers are big-endian. The image starts with
 * "-rom1fs-", its size and a checksum, a volume name; then 16-byte-aligned
 * file headers: next header (low 4 bits: type and executable bit), a type
 * specific word, the size, a checksum, the name, then the data. An inode
 * number is a header's offset. Every offset is checked against the image:
 * a broken image gets -UL_EIO, never a read outside it. */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "fstypes.h"

enum { T_HARDLINK, T_DIR, T_FILE, T_SYMLINK };
#define EXEC_BIT 8
#define MAX_LINK_HOPS 4

struct romfs {
	const unsigned char *img;
	uint32_t size;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       p[3];
}

static struct romfs *fs_of(struct mount *m)
{
	return m->priv;
}

/* Sum of the big-endian words of n bytes (n a multiple of 4). */
static uint32_t sum(const unsigned char *p, uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i + 4 <= n; i += 4)
		s += be32(p + i);
	return s;
}

/* Length of the NUL-terminated name at off, or -UL_EIO. */
static long name_len(const struct romfs *r, uint32_t off)
{
	size_t n = ul_strnlen((const char *)r->img + off, r->size - off);
	return off + n < r->size ? (long)n : -UL_EIO;
}

/* A checked file header. */
struct hdr {
	uint32_t off, next, type, spec, size, data;
	const char *name;
	size_t namelen;
	int exec;
};

static int header(const struct romfs *r, uint64_t ino, struct hdr *h)
{
	if (ino & 15 || ino < 16 || ino > r->size - 32)
		return -UL_EIO;
	uint32_t off = (uint32_t)ino;
	const unsigned char *p = r->img + off;
	long n = name_len(r, off + 16);
	if (n < 0)
		return (int)n;
	*h = (struct hdr){.off = off,
	                  .next = be32(p) & ~15u,
	                  .type = be32(p) & 7,
	                  .exec = (be32(p) & EXEC_BIT) != 0,
	                  .spec = be32(p + 4),
	                  .size = be32(p + 8),
	                  .name = (const char *)p + 16,
	                  .namelen = (size_t)n};
	uint64_t data = (uint64_t)off + 16 + (((uint64_t)n + 16) & ~15ull);
	if (data > r->size || h->size > r->size - data)
		return -UL_EIO;
	h->data = (uint32_t)data;
	return 0;
}

/* The header an inode number stands for, hard links followed. */
static int inode(const struct romfs *r, uint64_t ino, struct hdr *h)
{
	for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
		int rc = header(r, ino, h);
		if (rc < 0 || h->type != T_HARDLINK)
			return rc;
		ino = h->spec;
	}
	return -UL_EIO; /* links to links to links... */
}

/* The longest chain a directory can have: every header is 32+ bytes. */
static uint32_t max_entries(const struct romfs *r)
{
	return r->size / 32;
}

/* The offset of directory dir's first entry. */
static int dir_first(const struct romfs *r, uint64_t dir, uint32_t *off)
{
	struct hdr d;
	int rc = inode(r, dir, &d);
	if (rc == 0 && d.type != T_DIR)
		rc = -UL_ENOTDIR;
	if (rc == 0)
		*off = d.spec & ~15u;
	return rc;
}

/* Entry number i of a directory chain, at off: checked, and a chain
 * longer than the image can hold is a loop. */
static int dir_entry(const struct romfs *r, uint64_t i, uint32_t off,
                     struct hdr *h)
{
	return i >= max_entries(r) ? -UL_EIO : header(r, off, h);
}

static int romfs_readdir(struct mount *m, uint64_t dir, uint64_t *pos,
                         struct ul_dirent *e)
{
	const struct romfs *r = fs_of(m);
	struct hdr d, h;
	uint32_t off = 0;
	int rc = dir_first(r, dir, &off);
	/* *pos counts entries: walk there again, the chain is in memory. */
	for (uint64_t i = 0; rc == 0 && i < *pos && off; i++)
		if ((rc = dir_entry(r, i, off, &h)) == 0)
			off = h.next;
	if (rc < 0 || off == 0)
		return rc;
	if ((rc = header(r, off, &h)) < 0 || (rc = inode(r, off, &d)) < 0)
		return rc;
	if (h.namelen > UL_NAME_MAX)
		return -UL_EIO;
	ul_memcpy(e->name, h.name, h.namelen + 1);
	e->ino = d.off;
	e->type = d.type == T_DIR       ? UL_DT_DIR
	          : d.type == T_FILE    ? UL_DT_REG
	          : d.type == T_SYMLINK ? UL_DT_LNK
	                                : UL_DT_UNKNOWN;
	(*pos)++;
	return 1;
}

static int romfs_lookup(struct mount *m, uint64_t dir, const char *name,
                        size_t len, uint64_t *ino)
{
	const struct romfs *r = fs_of(m);
	struct hdr d, h;
	uint32_t off = 0;
	int rc = dir_first(r, dir, &off);
	for (uint64_t i = 0; rc == 0 && off; i++) {
		if ((rc = dir_entry(r, i, off, &h)) < 0)
			break;
		if (h.namelen == len && ul_memcmp(h.name, name, len) == 0) {
			if ((rc = inode(r, off, &d)) == 0)
				*ino = d.off;
			return rc;
		}
		off = h.next;
	}
	return rc < 0 ? rc : -UL_ENOENT;
}

static int romfs_getattr(struct mount *m, uint64_t ino, struct ul_stat *st)
{
	struct hdr h;
	int rc = inode(fs_of(m), ino, &h);
	if (rc < 0)
		return rc;
	ul_memset(st, 0, sizeof *st);
	st->ino = h.off;
	st->nlink = 1;
	if (h.type == T_DIR) {
		st->mode = UL_S_IFDIR | 0755;
	} else if (h.type == T_SYMLINK) {
		st->mode = UL_S_IFLNK | 0777;
		st->size = h.size;
	} else {
		/* Devices, sockets and fifos have no meaning in an image;
		 * they show as empty files. */
		st->mode = UL_S_IFREG | (h.exec ? 0755 : 0644);
		st->size = h.type == T_FILE ? h.size : 0;
	}
	st->blocks = (st->size + 511) / 512;
	return 0;
}

static long romfs_read(struct mount *m, uint64_t ino, void *buf, size_t n,
                       uint64_t off)
{
	const struct romfs *r = fs_of(m);
	struct hdr h;
	int rc = inode(r, ino, &h);
	if (rc < 0)
		return rc;
	if (h.type == T_DIR)
		return -UL_EISDIR;
	if (h.type != T_FILE || off >= h.size)
		return 0;
	if (n > h.size - off)
		n = (size_t)(h.size - off);
	ul_memcpy(buf, r->img + h.data + off, n);
	return (long)n;
}

static long romfs_readlink(struct mount *m, uint64_t ino, char *buf,
                           size_t cap)
{
	const struct romfs *r = fs_of(m);
	struct hdr h;
	int rc = inode(r, ino, &h);
	if (rc < 0)
		return rc;
	if (h.type != T_SYMLINK)
		return -UL_EINVAL;
	size_t n = h.size < cap ? h.size : cap;
	ul_memcpy(buf, r->img + h.data, n);
	return (long)n;
}

static int romfs_statfs(struct mount *m, struct ul_statfs *st)
{
	ul_strlcpy(st->type, "romfs", sizeof st->type);
	st->bsize = 1024;
	st->blocks = (fs_of(m)->size + 1023) / 1024;
	st->namemax = UL_NAME_MAX;
	st->read_only = 1;
	return 0;
}

static void romfs_unmount(struct mount *m)
{
	ul_free(m->priv);
}

static const struct fs_ops romfs_ops = {
	.name = "romfs",
	.lookup = romfs_lookup,
	.getattr = romfs_getattr,
	.read = romfs_read,
	.readlink = romfs_readlink,
	.readdir = romfs_readdir,
	.statfs = romfs_statfs,
	.unmount = romfs_unmount,
};

int romfs_mount(const void *image, size_t len, struct mount *m)
{
	const unsigned char *img = image;
	if (len < 48 || ul_memcmp(img, "-rom1fs-", 8) != 0)
		return -UL_EINVAL; /* not a romfs image */
	uint32_t size = be32(img + 8);
	if (size > len || size < 48 || size & 15)
		return -UL_EIO;
	if (sum(img, size < 512 ? size : 512) != 0)
		return -UL_EIO; /* checksum of the first 512 bytes */
	struct romfs *r = ul_malloc(sizeof *r);
	if (!r)
		return -UL_ENOMEM;
	*r = (struct romfs){img, size};
	long vol = name_len(r, 16);
	struct hdr root;
	int rc = vol < 0 ? (int)vol : 0;
	uint32_t first = 16 + (((uint32_t)vol + 16) & ~15u);
	if (rc == 0 && (rc = inode(r, first, &root)) == 0 && root.type != T_DIR)
		rc = -UL_EIO;
	if (rc < 0) {
		ul_free(r);
		return rc;
	}
	*m = (struct mount){.ops = &romfs_ops, .priv = r, .root = root.off,
	                    .read_only = 1, .parent = -1};
	return 0;
}
