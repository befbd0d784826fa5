/* Unit tests of the buffer cache over a disk in memory: hits and misses,
 * the bound on memory, write-back only on sync or eviction, sync in block
 * order with adjacent blocks in one call, read-ahead, and device errors. */
#include "run_suite.h"
#include "fs_harness.h"
#include "bcache.h"

#define DISK (1u << 20)
#define BS 1024u

static unsigned char *mem;
static struct blkdev dev;
static struct bcache c;
static unsigned dev_writes, dev_reads;
static int (*real_write)(struct blkdev *, uint64_t, const void *, uint32_t);
static int (*real_read)(struct blkdev *, uint64_t, void *, uint32_t);

static int counting_write(struct blkdev *d, uint64_t s, const void *b,
                          uint32_t n)
{
	dev_writes++;
	return real_write(d, s, b, n);
}

static int counting_read(struct blkdev *d, uint64_t s, void *b, uint32_t n)
{
	dev_reads++;
	return real_read(d, s, b, n);
}

static void setup(void)
{
	fs_setup();
	mem = calloc(1, DISK);
	for (unsigned i = 0; i < DISK / BS; i++)
		memset(mem + i * BS, (int)(i & 0xff), BS);
	blkdev_mem(&dev, mem, DISK, 0);
	real_write = dev.write;
	real_read = dev.read;
	dev.write = counting_write;
	dev.read = counting_read;
	dev_writes = dev_reads = 0;
	ck_assert_int_eq(bcache_init(&c, &dev, BS, 32 * BS), 0);
}

static void teardown(void)
{
	bcache_destroy(&c);
	free(mem);
	fs_teardown();
}

START_TEST(hits_and_misses)
{
	struct buf *b;
	ck_assert_int_eq(bcache_read(&c, 5, &b), 0);
	ck_assert_int_eq(b->data[0], 5);
	bcache_put(&c, b);
	ck_assert_int_eq(bcache_read(&c, 5, &b), 0);
	bcache_put(&c, b);
	ck_assert_uint_eq(c.stats.hits, 1);
	ck_assert_uint_eq(c.stats.misses, 1);
	ck_assert_uint_eq(c.stats.reads, 1);
	ck_assert_uint_eq(c.stats.bytes_read, BS);
	ck_assert_uint_eq(dev_reads, 1);
	ck_assert_int_eq(bcache_read(&c, DISK / BS, &b), -UL_EIO);
}
END_TEST

START_TEST(write_back_on_sync_only)
{
	struct buf *b;
	ck_assert_int_eq(bcache_read(&c, 7, &b), 0);
	memset(b->data, 0xee, BS);
	bcache_dirty(b);
	bcache_put(&c, b);
	ck_assert_int_eq(mem[7 * BS], 7); /* not yet on the disk */
	ck_assert_uint_eq(dev_writes, 0);
	ck_assert_int_eq(bcache_sync(&c), 0);
	ck_assert_int_eq(mem[7 * BS], 0xee);
	ck_assert_uint_eq(dev_writes, 1);
	ck_assert_int_eq(bcache_sync(&c), 0); /* nothing dirty: no call */
	ck_assert_uint_eq(dev_writes, 1);
}
END_TEST

START_TEST(sync_merges_adjacent_blocks)
{
	/* Dirty 20..29 and 40 in a shuffled order: two device calls. */
	unsigned order[] = {25, 40, 21, 29, 20, 23, 22, 28, 27, 24, 26};
	for (unsigned i = 0; i < 11; i++) {
		struct buf *b;
		ck_assert_int_eq(bcache_get(&c, order[i], &b), 0);
		memset(b->data, 0xa0 + (int)order[i] % 16, BS);
		bcache_dirty(b);
		bcache_put(&c, b);
	}
	ck_assert_uint_eq(dev_reads, 0); /* get never reads */
	ck_assert_int_eq(bcache_sync(&c), 0);
	ck_assert_uint_eq(dev_writes, 2);
	for (unsigned i = 20; i < 30; i++)
		ck_assert_int_eq(mem[i * BS + 3], 0xa0 + (int)i % 16);
	ck_assert_int_eq(mem[40 * BS], 0xa0 + 40 % 16);
}
END_TEST

START_TEST(bounded_and_evicts_dirty)
{
	struct buf *b;
	ck_assert_int_eq(bcache_read(&c, 1, &b), 0);
	b->data[0] = 0x77;
	bcache_dirty(b);
	bcache_put(&c, b);
	for (unsigned i = 100; i < 200; i++) {
		ck_assert_int_eq(bcache_read(&c, i, &b), 0);
		ck_assert_int_eq(b->data[0], (int)(i & 0xff));
		bcache_put(&c, b);
	}
	ck_assert_uint_le(c.stats.buffers, 32);
	ck_assert_int_eq(mem[BS], 0x77); /* written when it was evicted */
	ck_assert_int_eq(bcache_read(&c, 1, &b), 0);
	ck_assert_int_eq(b->data[0], 0x77);
	bcache_put(&c, b);
}
END_TEST

START_TEST(held_buffers_stay)
{
	struct buf *held[32], *b;
	for (unsigned i = 0; i < 32; i++)
		ck_assert_int_eq(bcache_read(&c, i, &held[i]), 0);
	ck_assert_int_eq(bcache_read(&c, 500, &b), -UL_ENOMEM);
	for (unsigned i = 0; i < 32; i++) {
		ck_assert_int_eq(held[i]->data[0], (int)i);
		bcache_put(&c, held[i]);
	}
	ck_assert_int_eq(bcache_read(&c, 500, &b), 0);
	ck_assert_int_eq(b->data[0], 500 & 0xff);
	bcache_put(&c, b);
}
END_TEST

START_TEST(readahead_one_call)
{
	ck_assert_int_eq(bcache_readahead(&c, 300, 8), 0);
	ck_assert_uint_eq(dev_reads, 1);
	for (unsigned i = 300; i < 308; i++) {
		struct buf *b;
		ck_assert_int_eq(bcache_read(&c, i, &b), 0);
		ck_assert_int_eq(b->data[BS - 1], (int)(i & 0xff));
		bcache_put(&c, b);
	}
	ck_assert_uint_eq(dev_reads, 1);
	ck_assert_uint_eq(c.stats.hits, 8);
	/* A cached block stops the run. */
	ck_assert_int_eq(bcache_readahead(&c, 296, 8), 0);
	ck_assert_uint_eq(dev_reads, 2);
	ck_assert_uint_eq(c.stats.bytes_read, 12 * BS);
}
END_TEST

/* Read-ahead into a full pool keeps every block it read (a reused buffer
 * becomes the most recent, so the next one does not take it again). */
START_TEST(readahead_into_full_pool)
{
	struct buf *b;
	for (unsigned i = 100; i < 132; i++) {
		ck_assert_int_eq(bcache_read(&c, i, &b), 0);
		bcache_put(&c, b);
	}
	ck_assert_uint_eq(c.stats.buffers, 32);
	ck_assert_int_eq(bcache_readahead(&c, 400, 16), 0);
	unsigned reads = dev_reads;
	for (unsigned i = 400; i < 416; i++) {
		ck_assert_int_eq(bcache_read(&c, i, &b), 0);
		ck_assert_int_eq(b->data[0], (int)(i & 0xff));
		bcache_put(&c, b);
	}
	ck_assert_uint_eq(dev_reads, reads);
}
END_TEST

/* With the default budget, a megabyte moves in one device call: where a
 * call is a VM exit, a 1 MB read must not cost eight. */
START_TEST(readahead_a_megabyte)
{
	bcache_destroy(&c);
	ck_assert_int_eq(bcache_init(&c, &dev, BS, BCACHE_DEFAULT_BUDGET), 0);
	ck_assert_int_eq(bcache_readahead(&c, 0, DISK / BS), 0);
	ck_assert_uint_eq(dev_reads, 1);
	struct buf *b;
	for (unsigned i = 0; i < DISK / BS; i++) {
		ck_assert_int_eq(bcache_read(&c, i, &b), 0);
		ck_assert_int_eq(b->data[0], (int)(i & 0xff));
		bcache_put(&c, b);
	}
	ck_assert_uint_eq(dev_reads, 1);
}
END_TEST

START_TEST(device_errors)
{
	struct blkdev ro;
	blkdev_mem(&ro, mem, DISK, 1);
	struct bcache rc;
	ck_assert_int_eq(bcache_init(&rc, &ro, BS, 16 * BS), 0);
	struct buf *b;
	ck_assert_int_eq(bcache_read(&rc, 3, &b), 0);
	bcache_dirty(b);
	bcache_put(&rc, b);
	ck_assert_int_eq(bcache_sync(&rc), -UL_EROFS);
	bcache_destroy(&rc);
	ck_assert_int_eq(bcache_init(&rc, &ro, 100, 16 * BS), -UL_EINVAL);
	/* A read that fails leaves nothing behind that looks valid. */
	struct blkdev small;
	blkdev_mem(&small, mem, 4 * BS + 512, 0);
	ck_assert_int_eq(bcache_init(&rc, &small, BS, 16 * BS), 0);
	ck_assert_int_eq(bcache_read(&rc, 4, &b), -UL_EIO);
	ck_assert_int_eq(bcache_read(&rc, 3, &b), 0);
	bcache_put(&rc, b);
	bcache_destroy(&rc);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fs_bcache");
	TCase *tc = tcase_create("bcache");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hits_and_misses);
	tcase_add_test(tc, write_back_on_sync_only);
	tcase_add_test(tc, sync_merges_adjacent_blocks);
	tcase_add_test(tc, bounded_and_evicts_dirty);
	tcase_add_test(tc, held_buffers_stay);
	tcase_add_test(tc, readahead_one_call);
	tcase_add_test(tc, readahead_into_full_pool);
	tcase_add_test(tc, readahead_a_megabyte);
	tcase_add_test(tc, device_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(suite());
}
