/* The file systems the VFS knows: each fills in a struct mount (ops,
 * priv, root, cache) for vfs_mount. */
#ifndef UL_FS_FSTYPES_H
#define UL_FS_FSTYPES_H

#include <stddef.h>
#include "blkdev.h"
#include "vfs.h"

/* romfs from a memory image of len bytes. */
int romfs_mount(const void *image, size_t len, struct mount *m);
/* ext2 on a block device (ext2 keeps a copy of *dev). read_only asks
 * for a read-only mount; an ext2 with unknown read-only-compatible features is mounted read-only anyway. */
int ext2_mount(const struct blkdev *dev, int read_only, struct mount *m);

#endif
