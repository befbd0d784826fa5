/* The buffer cache. Buffers are allocated on demand up to the budget;
 * after that the least recently used unheld buffer is reused; if it is
 * dirty, every dirty buffer is written back first. Sync sorts the dirty buffers so that adjacent
 * blocks reach the device in one call: on a hypervisor each call is an
 * exit, the expensive part. */
#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "bcache.h"

#define MIN_BUFS 16 /* a file system may hold a few buffers at once */

size_t bcache_budget(void)
{
	const char *v = ul_option("cache");
	if (!v)
		return BCACHE_DEFAULT_BUDGET;
	size_t n = 0;
	while (*v >= '0' && *v <= '9')
		n = n * 10 + (size_t)(*v++ - '0');
	if (*v == 'K' || *v == 'k')
		n <<= 10;
	else if (*v == 'M' || *v == 'm')
		n <<= 20;
	return n;
}

int bcache_init(struct bcache *c, struct blkdev *dev, uint32_t bsize,
                size_t budget)
{
	if (bsize < dev->sector_size || bsize % dev->sector_size ||
	    bsize > BCACHE_RUN_BYTES)
		return -UL_EINVAL;
	ul_memset(c, 0, sizeof *c);
	c->dev = dev;
	c->bsize = bsize;
	c->spb = bsize / dev->sector_size;
	c->nblocks = dev->sectors / c->spb;
	c->maxbufs = (unsigned)(budget / bsize);
	if (c->maxbufs < MIN_BUFS)
		c->maxbufs = MIN_BUFS;
	c->nhash = 1;
	while (c->nhash < c->maxbufs)
		c->nhash <<= 1;
	c->hash = ul_calloc(c->nhash, sizeof *c->hash);
	c->run_blocks = c->maxbufs / 2;
	if (c->run_blocks > BCACHE_RUN_BYTES / bsize)
		c->run_blocks = BCACHE_RUN_BYTES / bsize;
	if (c->run_blocks == 0)
		c->run_blocks = 1;
	c->staging = ul_malloc((size_t)c->run_blocks * bsize);
	if (!c->hash || !c->staging) {
		ul_free(c->hash);
		ul_free(c->staging);
		return -UL_ENOMEM;
	}
	c->lru.next = c->lru.prev = &c->lru;
	c->stats.capacity = c->maxbufs;
	return 0;
}

void bcache_destroy(struct bcache *c)
{
	struct buf *b = c->lru.next;
	while (b != &c->lru) {
		struct buf *next = b->next;
		ul_free(b->data);
		ul_free(b);
		b = next;
	}
	ul_free(c->hash);
	ul_free(c->staging);
	c->hash = NULL;
	c->staging = NULL;
}

static struct buf **slot(struct bcache *c, uint64_t block)
{
	return &c->hash[(block * 0x9e3779b97f4a7c15ull >> 40) & (c->nhash - 1)];
}

static struct buf *lookup(struct bcache *c, uint64_t block)
{
	for (struct buf *b = *slot(c, block); b; b = b->hnext)
		if (b->block == block)
			return b;
	return NULL;
}

static void unhash(struct bcache *c, struct buf *b)
{
	struct buf **p = slot(c, b->block);
	while (*p != b)
		p = &(*p)->hnext;
	*p = b->hnext;
}

static void lru_unlink(struct buf *b)
{
	b->prev->next = b->next;
	b->next->prev = b->prev;
}

static void lru_front(struct bcache *c, struct buf *b)
{
	b->next = c->lru.next;
	b->prev = &c->lru;
	c->lru.next->prev = b;
	c->lru.next = b;
}

static int dev_read(struct bcache *c, uint64_t block, void *buf, unsigned n)
{
	int rc = c->dev->read(c->dev, block * c->spb, buf, n * c->spb);
	c->stats.reads++;
	if (rc == 0)
		c->stats.bytes_read += (uint64_t)n * c->bsize;
	return rc;
}

static int dev_write(struct bcache *c, uint64_t block, const void *buf,
                     unsigned n)
{
	int rc = c->dev->write(c->dev, block * c->spb, buf, n * c->spb);
	c->stats.writes++;
	if (rc == 0)
		c->stats.bytes_written += (uint64_t)n * c->bsize;
	return rc;
}

/* A buffer for a block not in the cache: a new one while under budget,
 * else the least recently used one nobody holds. It is hashed under block
 * with unspecified contents. */
static int take(struct bcache *c, uint64_t block, struct buf **out)
{
	struct buf *b = NULL;
	if (c->nbufs < c->maxbufs) {
		b = ul_calloc(1, sizeof *b);
		if (b && !(b->data = ul_malloc(c->bsize))) {
			ul_free(b);
			b = NULL;
		}
		if (b) {
			c->nbufs++;
			c->stats.buffers = c->nbufs;
			lru_front(c, b);
		}
	}
	if (!b) {
		for (b = c->lru.prev; b != &c->lru && b->refs; b = b->prev)
			;
		if (b == &c->lru)
			return -UL_ENOMEM;
		/* A dirty victim means writing: write every dirty buffer
		 * then, in long runs, rather than this one block alone. */
		if (b->dirty) {
			int rc = bcache_sync(c);
			if (rc < 0)
				return rc;
		}
		unhash(c, b);
		/* Now the most recent: the next take must not pick it. */
		lru_unlink(b);
		lru_front(c, b);
	}
	b->block = block;
	b->dirty = 0;
	struct buf **s = slot(c, block);
	b->hnext = *s;
	*s = b;
	*out = b;
	return 0;
}

static void hold(struct bcache *c, struct buf *b)
{
	b->refs++;
	lru_unlink(b);
	lru_front(c, b);
}

/* Hold block; *fresh says its buffer is new and has no contents yet. */
static int find(struct bcache *c, uint64_t block, struct buf **out,
                int *fresh)
{
	if (block >= c->nblocks)
		return -UL_EIO;
	struct buf *b = lookup(c, block);
	*fresh = !b;
	if (b) {
		c->stats.hits++;
	} else {
		c->stats.misses++;
		int rc = take(c, block, &b);
		if (rc < 0)
			return rc;
	}
	hold(c, b);
	*out = b;
	return 0;
}

/* Forget a buffer whose read failed: it goes to the LRU tail under a
 * block number no look-up asks for, to be reused first. */
static void discard(struct bcache *c, struct buf *b)
{
	b->refs = 0;
	unhash(c, b);
	b->block = UINT64_MAX;
	struct buf **s = slot(c, b->block);
	b->hnext = *s;
	*s = b;
	lru_unlink(b);
	b->next = &c->lru;
	b->prev = c->lru.prev;
	c->lru.prev->next = b;
	c->lru.prev = b;
}

int bcache_read(struct bcache *c, uint64_t block, struct buf **out)
{
	int fresh;
	int rc = find(c, block, out, &fresh);
	if (rc == 0 && fresh && (rc = dev_read(c, block, (*out)->data, 1)) < 0)
		discard(c, *out);
	return rc;
}

int bcache_get(struct bcache *c, uint64_t block, struct buf **out)
{
	int fresh;
	int rc = find(c, block, out, &fresh);
	if (rc == 0 && fresh)
		ul_memset((*out)->data, 0, c->bsize);
	return rc;
}

/* How many of the n blocks from block on (at most a run) the cache does
 * not hold, up to the first it holds. */
static unsigned uncached_run(struct bcache *c, uint64_t block, unsigned n)
{
	if (n > c->run_blocks)
		n = c->run_blocks;
	unsigned run = 0;
	while (run < n && block + run < c->nblocks && !lookup(c, block + run))
		run++;
	return run;
}

int bcache_read_direct(struct bcache *c, uint64_t block, unsigned n,
                       void *dst)
{
	unsigned run = uncached_run(c, block, n);
	if (run == 0)
		return 0;
	int rc = dev_read(c, block, dst, run);
	return rc < 0 ? rc : (int)run;
}

int bcache_readahead(struct bcache *c, uint64_t block, unsigned n)
{
	unsigned run = uncached_run(c, block, n);
	if (run == 0)
		return 0;
	int rc = dev_read(c, block, c->staging, run);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < run; i++) {
		struct buf *b;
		if ((rc = take(c, block + i, &b)) < 0)
			return rc;
		ul_memcpy(b->data, c->staging + (size_t)i * c->bsize, c->bsize);
	}
	return 0;
}

int bcache_cached(struct bcache *c, uint64_t block)
{
	return lookup(c, block) != NULL;
}

void bcache_dirty(struct buf *b)
{
	b->dirty = 1;
}

void bcache_put(struct bcache *c, struct buf *b)
{
	(void)c;
	b->refs--;
}

/* Shell sort by block number: sync sees up to the whole pool. */
static void sort_blocks(struct buf **v, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2)
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap &&
			     v[j - gap]->block > v[j]->block; j -= gap) {
				struct buf *t = v[j];
				v[j] = v[j - gap];
				v[j - gap] = t;
			}
}

int bcache_sync(struct bcache *c)
{
	unsigned n = 0;
	for (struct buf *b = c->lru.next; b != &c->lru; b = b->next)
		n += b->dirty;
	if (n == 0)
		return 0;
	struct buf **v = ul_malloc(n * sizeof *v);
	if (!v)
		return -UL_ENOMEM;
	n = 0;
	for (struct buf *b = c->lru.next; b != &c->lru; b = b->next)
		if (b->dirty)
			v[n++] = b;
	sort_blocks(v, n);
	int rc = 0;
	for (unsigned i = 0; i < n && rc == 0;) {
		unsigned run = 1;
		while (i + run < n && run < c->run_blocks &&
		       v[i + run]->block == v[i]->block + run)
			run++;
		for (unsigned k = 0; k < run; k++)
			ul_memcpy(c->staging + (size_t)k * c->bsize,
			          v[i + k]->data, c->bsize);
		rc = dev_write(c, v[i]->block, c->staging, run);
		for (unsigned k = 0; k < run && rc == 0; k++)
			v[i + k]->dirty = 0;
		i += run;
	}
	ul_free(v);
	return rc;
}
