/* The mount table: which file system answers for which directory, and
 * the calls that work on whole file systems (mount, umount, sync,
 * statfs, cache statistics). Slot 0 is the root. */
#include <unilab/cmdline.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/panic.h>
#include <unilab/string.h>
#include "bcache.h"
#include "fstypes.h"
#include "vfs.h"

struct mount vfs_mounts[VFS_MAX_MOUNTS];

static void drop(struct mount *m)
{
	if (m->ops->unmount)
		m->ops->unmount(m);
	ul_memset(m, 0, sizeof *m);
}

int vfs_mount(const char *target, const struct mount *proto)
{
	int slot = -1;
	struct loc at = {-1, 0};
	int rc = 0;
	if (!vfs_mounts[0].used) {
		if (ul_strcmp(target, "/") != 0)
			rc = -UL_ENOENT; /* nothing to mount on yet */
		slot = 0;
	} else if ((rc = vfs_resolve(target, 1, &at)) == 0) {
		struct ul_stat st;
		struct mount *pm = &vfs_mounts[at.m];
		rc = pm->ops->getattr(pm, at.ino, &st);
		if (rc == 0 && !UL_S_ISDIR(st.mode))
			rc = -UL_ENOTDIR;
		if (rc == 0 && at.ino == pm->root)
			rc = -UL_EBUSY; /* something is mounted there already */
		for (int k = 1; k < VFS_MAX_MOUNTS && rc == 0 && slot < 0; k++)
			if (!vfs_mounts[k].used)
				slot = k;
		if (rc == 0 && slot < 0)
			rc = -UL_EBUSY;
	}
	if (rc < 0) {
		struct mount tmp = *proto;
		drop(&tmp);
		return rc;
	}
	struct mount *m = &vfs_mounts[slot];
	*m = *proto;
	m->used = 1;
	m->parent = at.m;
	m->covered = at.ino;
	ul_strlcpy(m->path, target, sizeof m->path);
	return 0;
}

int ul_mount_romfs(const char *target, const void *image, size_t len)
{
	struct mount m = {0};
	int rc = romfs_mount(image, len, &m);
	return rc < 0 ? rc : vfs_mount(target, &m);
}

int ul_mount(const char *target, const char *type, unsigned dev,
             unsigned flags)
{
	if (ul_strcmp(type, "ext2") != 0)
		return -UL_ENODEV;
	struct blkdev d;
	int rc = blkdev_plat(&d, dev);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < VFS_MAX_MOUNTS; i++) {
		struct bcache *c = vfs_mounts[i].cache;
		if (vfs_mounts[i].used && c && !c->dev->mem &&
		    c->dev->index == dev)
			return -UL_EBUSY; /* one mount per device */
	}
	struct mount m = {0};
	if ((rc = ext2_mount(&d, (flags & UL_MOUNT_RDONLY) != 0, &m)) < 0)
		return rc;
	return vfs_mount(target, &m);
}

int ul_umount(const char *target)
{
	struct loc l;
	int rc = vfs_resolve(target, 1, &l);
	if (rc < 0)
		return rc;
	if (l.ino != vfs_mounts[l.m].root)
		return -UL_EINVAL; /* not a mount point */
	for (int k = 0; k < VFS_MAX_MOUNTS; k++)
		if (vfs_mounts[k].used && vfs_mounts[k].parent == l.m && k != l.m)
			return -UL_EBUSY;
	if (vfs_mount_busy(l.m))
		return -UL_EBUSY;
	struct mount *m = &vfs_mounts[l.m];
	if (m->ops->sync && (rc = m->ops->sync(m)) < 0)
		return rc;
	drop(m);
	return 0;
}

int ul_sync(void)
{
	int first = 0;
	for (int k = 0; k < VFS_MAX_MOUNTS; k++) {
		struct mount *m = &vfs_mounts[k];
		if (m->used && m->ops->sync) {
			int rc = m->ops->sync(m);
			if (rc < 0 && first == 0)
				first = rc;
		}
	}
	return first;
}

int ul_statfs(const char *path, struct ul_statfs *st)
{
	struct loc l;
	int rc = vfs_resolve(path, 1, &l);
	if (rc < 0)
		return rc;
	struct mount *m = &vfs_mounts[l.m];
	ul_memset(st, 0, sizeof *st);
	rc = m->ops->statfs(m, st);
	st->read_only |= m->read_only;
	return rc;
}

int ul_cache_stats(const char *path, struct ul_cache_stats *st)
{
	struct loc l;
	int rc = vfs_resolve(path, 1, &l);
	if (rc < 0)
		return rc;
	struct mount *m = &vfs_mounts[l.m];
	if (!m->cache)
		return -UL_ENOTSUP; /* romfs reads memory, no cache */
	*st = m->cache->stats;
	return 0;
}

/* The romfs image the build packed into this image, if any (a weak
 * reference: apps without one link none). */
extern const unsigned char ul_romfs_image[] __attribute__((weak));
extern const size_t ul_romfs_image_size __attribute__((weak));

static _Noreturn void boot_fail(const char *what, const char *arg, int err)
{
	ul_printf("unilab: %s %s: %s\n", what, arg, ul_strerror(err));
	ul_exit(UL_EXIT_CMDLINE);
}

/* Parse "blkN" into N. */
static int device_number(const char *s, size_t len, unsigned *dev)
{
	if (len != 4 || ul_strncmp(s, "blk", 3) != 0 || s[3] < '0' ||
	    s[3] > '9')
		return -UL_EINVAL;
	*dev = (unsigned)(s[3] - '0');
	return 0;
}

/* One entry of mount=: PATH:blkN or PATH:blkN:ro. */
static void boot_mount(const char *spec, size_t len)
{
	char buf[UL_PATH_MAX];
	if (len >= sizeof buf)
		boot_fail("mount=", "(too long)", UL_ENAMETOOLONG);
	ul_memcpy(buf, spec, len);
	buf[len] = '\0';
	char *dev = ul_strchr(buf, ':');
	unsigned n, flags = 0;
	if (!dev || buf[0] != '/')
		boot_fail("mount= wants PATH:blkN[:ro], not", buf, UL_EINVAL);
	*dev++ = '\0';
	char *opt = ul_strchr(dev, ':');
	if (opt) {
		*opt++ = '\0';
		if (ul_strcmp(opt, "ro") != 0)
			boot_fail("mount= option must be ro, not", opt, UL_EINVAL);
		flags = UL_MOUNT_RDONLY;
	}
	if (device_number(dev, ul_strlen(dev), &n) < 0)
		boot_fail("mount= device must be blk0..blk9, not", dev, UL_EINVAL);
	int rc = ul_mount(buf, "ext2", n, flags);
	if (rc < 0)
		boot_fail("cannot mount", buf, rc);
	ul_info("fs: blk%u mounted on %s", n, buf);
}

/* Before ul_main: the root (the image's romfs, or the disk root= names),
 * then every mount= entry in order. */
void ul_fs_boot(void)
{
	const char *root = ul_option("root");
	if (root) {
		unsigned n;
		if (device_number(root, ul_strlen(root), &n) < 0)
			boot_fail("root= must be blk0..blk9, not", root, UL_EINVAL);
		int rc = ul_mount("/", "ext2", n, 0);
		if (rc < 0)
			boot_fail("cannot mount root", root, rc);
	} else if (ul_romfs_image) {
		int rc = ul_mount_romfs("/", ul_romfs_image, ul_romfs_image_size);
		if (rc < 0)
			boot_fail("cannot mount the image's romfs on", "/", rc);
	}
	const char *list = ul_option("mount");
	while (list && *list) {
		const char *end = ul_strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : ul_strlen(list);
		boot_mount(list, len);
		list += len + (end != NULL);
	}
}

/* At exit: unmount everything, so that every disk is written back and
 * marked clean. */
void ul_fs_shutdown(void)
{
	for (int k = VFS_MAX_MOUNTS - 1; k >= 0; k--)
		if (vfs_mounts[k].used)
			drop(&vfs_mounts[k]);
}
