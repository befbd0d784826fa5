/* Unit tests of the page allocator: first fit, coalescing, exhaustion,
 * regions from a sliver to 4 GiB, and the panics on bad frees. */
#include "run_suite.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unilab/mem.h>
#include <unilab/panic.h>

#define PAGE ((size_t)UL_PAGE_SIZE)
#define REGION_PAGES 256 /* 1 MiB: what the kvm guest boots hello in */

static unsigned char region[REGION_PAGES * UL_PAGE_SIZE]
	__attribute__((aligned(UL_PAGE_SIZE)));

static unsigned char *page(size_t i)
{
	return region + i * PAGE;
}

static struct ul_page_stats stats(void)
{
	struct ul_page_stats st;

	ul_page_stats(&st);
	return st;
}

static void setup(void)
{
	ul_page_init(region, sizeof(region));
}

/* A small deterministic generator, so every run sees the same pattern. */
static uint32_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

START_TEST(test_init_counts)
{
	struct ul_page_stats st = stats();

	ck_assert_uint_eq(st.total, REGION_PAGES);
	ck_assert_uint_eq(st.free, REGION_PAGES);
	ck_assert_uint_eq(st.failed, 0);
}
END_TEST

START_TEST(test_allocs_are_contiguous_from_base)
{
	ck_assert_ptr_eq(ul_page_alloc(1), page(0));
	ck_assert_ptr_eq(ul_page_alloc(3), page(1));
	ck_assert_ptr_eq(ul_page_alloc(1), page(4));
	ck_assert_uint_eq(stats().free, REGION_PAGES - 5);
	/* The pages are really the caller's: writing them all is fine. */
	memset(page(0), 0xee, 5 * PAGE);
	ck_assert_uint_eq(stats().free, REGION_PAGES - 5);
}
END_TEST

START_TEST(test_first_fit)
{
	void *runs[10];
	int i;

	for (i = 0; i < 10; i++)
		runs[i] = ul_page_alloc(2);
	ul_page_free(runs[1], 2);
	ul_page_free(runs[3], 2);
	/* Three pages fit in neither hole: they come from after the runs. */
	ck_assert_ptr_eq(ul_page_alloc(3), page(20));
	ck_assert_ptr_eq(ul_page_alloc(1), page(2));
	ck_assert_ptr_eq(ul_page_alloc(2), page(6));
	ck_assert_ptr_eq(ul_page_alloc(1), page(3));
	ck_assert_uint_eq(stats().free, REGION_PAGES - 23);
}
END_TEST

START_TEST(test_free_merges_both_neighbours)
{
	void *a = ul_page_alloc(3);
	void *b = ul_page_alloc(4);
	void *c = ul_page_alloc(REGION_PAGES - 7);

	ck_assert_ptr_nonnull(c);
	ul_page_free(a, 3);
	ul_page_free(c, REGION_PAGES - 7);
	ck_assert_ptr_null(ul_page_alloc(REGION_PAGES - 4));
	ul_page_free(b, 4);
	ck_assert_ptr_eq(ul_page_alloc(REGION_PAGES), page(0));
}
END_TEST

static struct run {
	unsigned char *p;
	size_t n;
} runs[REGION_PAGES];
static size_t nruns;

/* Allocate runs of random length until even one page is refused, tagging
 * each page with its run so that overlapping runs would show. */
static void fill_region(void)
{
	for (;;) {
		size_t n = 1 + rng() % 9, i;
		unsigned char *p = ul_page_alloc(n);

		if (!p) {
			n = 1;
			p = ul_page_alloc(1);
		}
		if (!p)
			break;
		for (i = 0; i < n; i++)
			memcpy(p + i * PAGE, &p, sizeof(p));
		runs[nruns].p = p;
		runs[nruns].n = n;
		nruns++;
	}
	ck_assert_uint_eq(stats().free, 0);
}

/* Free count runs chosen at random, checking their tags first. */
static void free_random_runs(size_t count)
{
	while (count-- > 0) {
		size_t k = rng() % nruns, i;
		struct run r = runs[k];

		for (i = 0; i < r.n; i++)
			ck_assert_int_eq(memcmp(r.p + i * PAGE, &r.p, sizeof(r.p)),
			                 0);
		runs[k] = runs[--nruns];
		ul_page_free(r.p, r.n);
	}
}

START_TEST(test_random_runs_coalesce)
{
	int round;

	rng_state = 0x2545f491u;
	for (round = 0; round < 50; round++) {
		fill_region();
		free_random_runs(nruns / 2);
		fill_region();
		free_random_runs(nruns);
		/* All of it is one run again. */
		ck_assert_uint_eq(stats().free, REGION_PAGES);
		ck_assert_ptr_eq(ul_page_alloc(REGION_PAGES), region);
		ul_page_free(region, REGION_PAGES);
	}
}
END_TEST

START_TEST(test_exhaustion_fails_and_counts)
{
	void *all = ul_page_alloc(REGION_PAGES);

	ck_assert_ptr_eq(all, region);
	ck_assert_ptr_null(ul_page_alloc(1));
	ck_assert_uint_eq(stats().failed, 1);
	ck_assert_ptr_null(ul_page_alloc(0));
	ck_assert_uint_eq(stats().failed, 2);
	ul_page_free(all, REGION_PAGES);
	ck_assert_ptr_null(ul_page_alloc(REGION_PAGES + 1));
	ck_assert_ptr_null(ul_page_alloc(SIZE_MAX));
	ck_assert_uint_eq(stats().failed, 4);
	ck_assert_uint_eq(stats().free, REGION_PAGES);
}
END_TEST

START_TEST(test_odd_sized_region)
{
	region[5 * PAGE] = 0x5a;
	ul_page_init(region, 5 * PAGE + 123);
	ck_assert_uint_eq(stats().total, 5);
	ck_assert_ptr_null(ul_page_alloc(6));
	void *a = ul_page_alloc(2);
	void *b = ul_page_alloc(3);
	ck_assert_ptr_eq(b, page(2));
	ck_assert_ptr_null(ul_page_alloc(1));
	ul_page_free(a, 2);
	ul_page_free(b, 3);
	ck_assert_ptr_eq(ul_page_alloc(5), region);
	/* The partial page after the last whole one is never touched. */
	ck_assert_uint_eq(region[5 * PAGE], 0x5a);
}
END_TEST

START_TEST(test_region_smaller_than_a_page)
{
	ul_page_init(region, PAGE - 1);
	ck_assert_uint_eq(stats().total, 0);
	ck_assert_ptr_null(ul_page_alloc(1));
	ul_page_init(region, 0);
	ck_assert_uint_eq(stats().total, 0);
	ck_assert_ptr_null(ul_page_alloc(1));
	ck_assert_uint_eq(stats().failed, 1);
}
END_TEST

/* 4 GiB of address space, of which only the pages the allocator writes its
 * run headers into ever become real memory. */
START_TEST(test_four_gib_region)
{
	const size_t total = (size_t)1 << 20;
	size_t len = total * PAGE + PAGE;
	unsigned char *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
	                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                          -1, 0);
	unsigned char *base, *runs[1024];
	size_t i;

	ck_assert_ptr_ne(map, MAP_FAILED);
	base = (unsigned char *)(((uintptr_t)map + PAGE - 1) & ~(PAGE - 1));
	ul_page_init(base, total * PAGE + 100);
	ck_assert_uint_eq(stats().total, total);
	ck_assert_ptr_eq(ul_page_alloc(total), base);
	ck_assert_ptr_null(ul_page_alloc(1));
	ul_page_free(base, total);
	for (i = 0; i < 1024; i++) {
		runs[i] = ul_page_alloc(1024);
		ck_assert_ptr_eq(runs[i], base + i * 1024 * PAGE);
	}
	ck_assert_uint_eq(stats().free, 0);
	for (i = 0; i < 1024; i += 2)
		ul_page_free(runs[i], 1024);
	ck_assert_ptr_null(ul_page_alloc(1025));
	for (i = 1; i < 1024; i += 2)
		ul_page_free(runs[i], 1024);
	ck_assert_ptr_eq(ul_page_alloc(total), base);
	munmap(map, len);
}
END_TEST

START_TEST(test_double_free_panics)
{
	void *a = ul_page_alloc(2);

	ul_page_free(a, 2);
	ul_page_free(a, 2);
}
END_TEST

START_TEST(test_free_overlapping_free_run_panics)
{
	void *a = ul_page_alloc(2);
	void *b = ul_page_alloc(2);

	ul_page_alloc(1);
	ul_page_free(b, 2);
	ul_page_free(a, 3);
}
END_TEST

START_TEST(test_free_of_never_allocated_panics)
{
	ul_page_alloc(4);
	ul_page_free(page(10), 1);
}
END_TEST

START_TEST(test_free_unaligned_panics)
{
	unsigned char *a = ul_page_alloc(1);

	ul_page_free(a + 8, 1);
}
END_TEST

START_TEST(test_free_outside_region_panics)
{
	ul_page_alloc(REGION_PAGES);
	ul_page_free(region + sizeof(region), 1);
}
END_TEST

START_TEST(test_free_past_region_end_panics)
{
	ul_page_alloc(REGION_PAGES);
	ul_page_free(page(REGION_PAGES - 1), 2);
}
END_TEST

START_TEST(test_free_zero_pages_panics)
{
	ul_page_free(ul_page_alloc(1), 0);
}
END_TEST

START_TEST(test_unaligned_region_panics)
{
	ul_page_init(region + 16, PAGE * 4);
}
END_TEST

static Suite *page_suite(void)
{
	Suite *s = suite_create("page");
	TCase *tc = tcase_create("alloc");
	TCase *bad = tcase_create("bad free");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_init_counts);
	tcase_add_test(tc, test_allocs_are_contiguous_from_base);
	tcase_add_test(tc, test_first_fit);
	tcase_add_test(tc, test_free_merges_both_neighbours);
	tcase_add_test(tc, test_random_runs_coalesce);
	tcase_add_test(tc, test_exhaustion_fails_and_counts);
	tcase_add_test(tc, test_odd_sized_region);
	tcase_add_test(tc, test_region_smaller_than_a_page);
	tcase_add_test(tc, test_four_gib_region);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bad, setup, NULL);
	tcase_add_exit_test(bad, test_double_free_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_overlapping_free_run_panics,
	                    UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_of_never_allocated_panics,
	                    UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_unaligned_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_outside_region_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_past_region_end_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_free_zero_pages_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(bad, test_unaligned_region_panics, UL_EXIT_PANIC);
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return ul_run_suite(page_suite());
}
