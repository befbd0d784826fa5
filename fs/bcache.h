/* The buffer cache: fixed-size blocks of one device, kept in a bounded
 * pool (least recently used first out), written back on sync or when
 * evicted. A file system holds a buffer between get and put. */
#ifndef UL_FS_BCACHE_H
#define UL_FS_BCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <unilab/fs.h>
#include "blkdev.h"

struct buf {
	uint64_t block;
	unsigned char *data;
	int refs;
	int dirty;
	struct buf *hnext;       /* hash chain */
	struct buf *prev, *next; /* LRU list, most recent first */
};

struct bcache {
	struct blkdev *dev;
	uint32_t bsize;   /* bytes per block */
	uint32_t spb;     /* sectors per block */
	uint64_t nblocks; /* blocks on the device */
	unsigned nbufs, maxbufs;
	struct buf **hash;
	unsigned nhash;
	struct buf lru;          /* sentinel of the LRU ring */
	unsigned char *staging;  /* for multi-block transfers */
	unsigned run_blocks;     /* staging's size in blocks */
	struct ul_cache_stats stats;
};

/* Default budget when the core option cache= is not given. */
#define BCACHE_DEFAULT_BUDGET (4u << 20)
/* Bytes moved in one device call at most (read-ahead, sync): a 1 MB
 * request is one call, which matters where a call is a VM exit. A small
 * cache moves less: half its blocks. */
#define BCACHE_RUN_BYTES (1024u << 10)

/* bsize: a multiple of the sector size; budget: bytes of block data. */
int bcache_init(struct bcache *c, struct blkdev *dev, uint32_t bsize,
                size_t budget);
void bcache_destroy(struct bcache *c); /* drops dirty data: sync first */
/* Hold block with its contents read from the device. */
int bcache_read(struct bcache *c, uint64_t block, struct buf **out);
/* Hold block without reading it: for a block about to be overwritten
 * whole (its data is zeroed if it was not cached). */
int bcache_get(struct bcache *c, uint64_t block, struct buf **out);
/* Read up to n uncached blocks from block on in one device call. */
int bcache_readahead(struct bcache *c, uint64_t block, unsigned n);
/* Read up to n blocks from block on in one device call straight into dst,
 * keeping none of them: it stops before the first block the cache holds
 * (whose buffer may be newer than the disk). The blocks read (0 when the
 * first is cached) or a negative error. */
int bcache_read_direct(struct bcache *c, uint64_t block, unsigned n,
                       void *dst);
int bcache_cached(struct bcache *c, uint64_t block);
void bcache_dirty(struct buf *b);
void bcache_put(struct bcache *c, struct buf *b);
/* Write every dirty block, in block order, adjacent ones in one call. */
int bcache_sync(struct bcache *c);
/* The budget in bytes the core option cache= asks for, or the default. */
size_t bcache_budget(void);

#endif
