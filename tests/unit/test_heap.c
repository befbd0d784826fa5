/* Unit tests of the heap: a long randomized run against a shadow model,
 * the placement rules (in-place realloc, alignment, spans given back), out
 * of memory, and the panics on double free, bad pointers and overruns. */
#include <check.h>
#include "run_suite.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unilab/mem.h>
#include <unilab/panic.h>

#define PAGE ((size_t)UL_PAGE_SIZE)
#define REGION_SIZE ((size_t)4 << 20)

static unsigned char region[REGION_SIZE] __attribute__((aligned(UL_PAGE_SIZE)));

static void setup(void)
{
	ul_page_init(region, sizeof(region));
}

static struct ul_heap_stats heap_stats(void)
{
	struct ul_heap_stats st;

	ul_heap_stats(&st);
	return st;
}

static size_t free_pages(void)
{
	struct ul_page_stats st;

	ul_page_stats(&st);
	return st.free;
}

static void assert_all_pages_back(void)
{
	struct ul_page_stats st;

	ul_page_stats(&st);
	ck_assert_uint_eq(st.free, st.total);
	ck_assert_uint_eq(ul_heap_check(), 0);
}

/* A small deterministic generator, so every run sees the same pattern. */
static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static unsigned char pattern(uint32_t seed, size_t i)
{
	return (unsigned char)(seed + i * 131 + (i >> 8));
}

static void fill(unsigned char *p, size_t from, size_t to, uint32_t seed)
{
	size_t i;

	for (i = from; i < to; i++)
		p[i] = pattern(seed, i);
}

static int intact(const unsigned char *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != pattern(seed, i))
			return 0;
	return 1;
}

/* Every passing ck_assert is reported to the runner with a write; the
 * random run checks far too often for that, so it reports failures only. */
#define require(cond, ...)                                                \
	do {                                                              \
		if (!(cond))                                              \
			ck_abort_msg(__VA_ARGS__);                        \
	} while (0)

/* The shadow model: what the heap should hold and what it should count. */
#define SLOTS 300

static struct slot {
	unsigned char *p;
	size_t size;
	uint32_t seed;
} slots[SLOTS];

static struct ul_heap_stats model;
static size_t live;
static size_t ooms; /* requests refused in the random run */

static void model_alloc(struct slot *s, unsigned char *p, size_t size)
{
	s->p = p;
	s->size = size;
	s->seed = rng();
	fill(p, 0, size, s->seed);
	model.allocs++;
	model.in_use += size;
	if (model.in_use > model.peak)
		model.peak = model.in_use;
	live++;
}

static void model_free(struct slot *s)
{
	model.frees++;
	model.in_use -= s->size;
	s->p = NULL;
	live--;
}

/* Mostly small requests, some of a few pages, a few that may not fit. */
static size_t random_size(void)
{
	uint32_t r = rng() % 1000;

	if (r < 700)
		return rng() % 129;
	if (r < 900)
		return 129 + rng() % 4000;
	if (r < 985)
		return 4096 + rng() % 61440;
	return 65536 + rng() % (2u << 20);
}

static void check_allocated(unsigned char *p, size_t align)
{
	require((uintptr_t)p % align == 0, "%p is not %zu-aligned", (void *)p,
	        align);
}

static void random_alloc(struct slot *s)
{
	size_t size = random_size();
	size_t align = 16;
	unsigned char *p;
	size_t n, i;

	switch (rng() % 5) {
	case 0:
		n = 1 + rng() % 8;
		size /= n;
		p = ul_calloc(n, size);
		size *= n;
		for (i = 0; p && i < size; i++)
			require(p[i] == 0, "calloc left byte %zu set", i);
		break;
	case 1:
		align = (size_t)1 << (rng() % 14);
		p = ul_aligned_alloc(align, size);
		if (align < 16)
			align = 16;
		break;
	case 2:
		p = ul_realloc(NULL, size);
		break;
	default:
		p = ul_malloc(size);
		break;
	}
	if (!p) {
		model.failures++;
		ooms++;
		return;
	}
	check_allocated(p, align);
	model_alloc(s, p, size);
}

static void random_realloc(struct slot *s)
{
	size_t size = random_size();
	unsigned char *p = ul_realloc(s->p, size);
	size_t keep = size < s->size ? size : s->size;

	if (size == 0) {
		require(p == NULL, "realloc to 0 returned %p", (void *)p);
		model_free(s);
		return;
	}
	if (!p) {
		model.failures++;
		ooms++;
		require(intact(s->p, s->size, s->seed), "failed realloc hurt %p",
		        (void *)s->p);
		return;
	}
	check_allocated(p, 16);
	require(intact(p, keep, s->seed), "realloc lost contents");
	fill(p, keep, size, s->seed);
	model.frees++;
	model.allocs++;
	model.in_use = model.in_use - s->size + size;
	if (model.in_use > model.peak)
		model.peak = model.in_use;
	s->p = p;
	s->size = size;
}

static void random_op(void)
{
	struct slot *s = &slots[rng() % SLOTS];

	if (!s->p) {
		random_alloc(s);
		return;
	}
	require(intact(s->p, s->size, s->seed), "block %p corrupted",
	        (void *)s->p);
	if (rng() % 2) {
		ul_free(s->p);
		model_free(s);
	} else {
		random_realloc(s);
	}
}

static void assert_stats_match_model(void)
{
	struct ul_heap_stats st = heap_stats();

	require(st.in_use == model.in_use && st.peak == model.peak &&
	        st.allocs == model.allocs && st.frees == model.frees &&
	        st.failures == model.failures,
	        "heap counts in_use %zu peak %zu allocs %zu frees %zu "
	        "failures %zu, the model %zu %zu %zu %zu %zu", st.in_use,
	        st.peak, st.allocs, st.frees, st.failures, model.in_use,
	        model.peak, model.allocs, model.frees, model.failures);
}

static int by_address(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return (x->p > y->p) - (x->p < y->p);
}

/* Every live block holds its pattern and no two of them overlap. */
static void assert_blocks_sound(void)
{
	static struct slot sorted[SLOTS];
	size_t n = 0, i;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			require(intact(slots[i].p, slots[i].size, slots[i].seed),
			        "block %p corrupted", (void *)slots[i].p);
			sorted[n++] = slots[i];
		}
	qsort(sorted, n, sizeof(sorted[0]), by_address);
	for (i = 1; i < n; i++)
		require(sorted[i - 1].p + sorted[i - 1].size <= sorted[i].p,
		        "blocks %p and %p overlap", (void *)sorted[i - 1].p,
		        (void *)sorted[i].p);
	ck_assert_uint_eq(ul_heap_check(), live);
}

/* Requests no heap of this region can meet: they must fail, not panic. */
static void impossible_requests(void)
{
	ck_assert_ptr_null(ul_malloc(REGION_SIZE));
	ck_assert_ptr_null(ul_malloc(SIZE_MAX));
	ck_assert_ptr_null(ul_calloc(SIZE_MAX / 2, 3));
	ck_assert_ptr_null(ul_aligned_alloc(48, 16));
	model.failures += 4;
}

static const uint64_t seeds[] = {
	0x9e3779b97f4a7c15ull, 0xdeadbeefcafef00dull, 0x0123456789abcdefull,
};

START_TEST(test_random_against_model)
{
	size_t i;

	rng_state = seeds[_i];
	for (i = 0; i < 25000; i++) {
		random_op();
		assert_stats_match_model();
		if (i % 1000 == 0) {
			assert_blocks_sound();
			impossible_requests();
		}
	}
	ck_assert_msg(ooms > 0, "the run never ran out of memory");
	assert_blocks_sound();
	for (i = 0; i < SLOTS; i++)
		if (slots[i].p) {
			ck_assert(intact(slots[i].p, slots[i].size, slots[i].seed));
			ul_free(slots[i].p);
			model_free(&slots[i]);
		}
	assert_stats_match_model();
	ck_assert_uint_eq(heap_stats().in_use, 0);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_every_small_size_is_aligned)
{
	unsigned char *p[600];
	size_t i;

	for (i = 0; i < 600; i++) {
		p[i] = ul_malloc(i);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq((uintptr_t)p[i] % 16, 0);
		memset(p[i], 0x77, i);
	}
	ck_assert_uint_eq(ul_heap_check(), 600);
	for (i = 0; i < 600; i++)
		ul_free(p[i]);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_large_block_gives_pages_back)
{
	size_t before = free_pages();
	unsigned char *small = ul_malloc(10);
	unsigned char *big = ul_malloc(1 << 20);

	ck_assert_ptr_nonnull(big);
	ck_assert_uint_le(free_pages(), before - 256);
	ul_free(big);
	/* Only the small block's span is still held. */
	ck_assert_uint_le(before - free_pages(), 16);
	ul_free(small);
	assert_all_pages_back();
}
END_TEST

/* Freed neighbours must merge: after a churn of small blocks is freed in a
 * scattered order, one request as large as all of them together fits in
 * the space they left, without taking a page more. */
START_TEST(test_freed_neighbours_serve_a_large_request)
{
	enum { COUNT = 48, SIZE = 1000 };
	unsigned char *keep = ul_malloc(16);
	unsigned char *blocks[COUNT];
	size_t held;
	unsigned char *big;
	int i;

	for (i = 0; i < COUNT; i++)
		blocks[i] = ul_malloc(SIZE);
	held = free_pages();
	for (i = 0; i < COUNT; i += 2)
		ul_free(blocks[i]);
	for (i = COUNT - 1; i > 0; i -= 2)
		ul_free(blocks[i]);
	big = ul_malloc(COUNT * SIZE);
	ck_assert_ptr_nonnull(big);
	ck_assert_uint_eq(free_pages(), held);
	ul_free(big);
	ul_free(keep);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_realloc_grows_and_shrinks_in_place)
{
	unsigned char *a = ul_malloc(100);
	unsigned char *b = ul_malloc(100);
	unsigned char *c = ul_malloc(100);

	fill(a, 0, 100, 7);
	ul_free(b);
	ck_assert_ptr_eq(ul_realloc(a, 200), a);
	ck_assert(intact(a, 100, 7));
	fill(a, 100, 200, 7);
	ck_assert_ptr_eq(ul_realloc(a, 20), a);
	ck_assert(intact(a, 20, 7));
	/* Shrinking freed the space behind it: a new block lands there. */
	b = ul_malloc(100);
	ck_assert(b > a);
	ck_assert(b < c);
	ck_assert_uint_eq(ul_heap_check(), 3);
	ul_free(a);
	ul_free(b);
	ul_free(c);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_realloc_moves_when_boxed_in)
{
	unsigned char *a = ul_malloc(100);
	unsigned char *b = ul_malloc(16);
	unsigned char *moved;

	fill(a, 0, 100, 3);
	moved = ul_realloc(a, 5000);
	ck_assert_ptr_nonnull(moved);
	ck_assert_ptr_ne(moved, a);
	ck_assert(intact(moved, 100, 3));
	ck_assert_uint_eq(heap_stats().in_use, 5016);
	ck_assert_uint_eq(ul_heap_check(), 2);
	ul_free(b);
	ul_free(moved);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_realloc_failure_keeps_block)
{
	unsigned char *a = ul_malloc(64);

	fill(a, 0, 64, 9);
	ck_assert_ptr_null(ul_realloc(a, REGION_SIZE));
	ck_assert_ptr_null(ul_realloc(a, SIZE_MAX));
	ck_assert(intact(a, 64, 9));
	ck_assert_uint_eq(heap_stats().failures, 2);
	ck_assert_uint_eq(heap_stats().in_use, 64);
	ck_assert_ptr_null(ul_realloc(a, 0));
	ck_assert_uint_eq(heap_stats().frees, 1);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_aligned_alloc_powers_of_two)
{
	unsigned char *p[4][17];
	size_t sizes[4] = { 0, 1, 100, 3 * PAGE + 5 };
	size_t s, k;

	for (s = 0; s < 4; s++)
		for (k = 0; k < 17; k++) {
			size_t align = (size_t)1 << k;

			p[s][k] = ul_aligned_alloc(align, sizes[s]);
			ck_assert_ptr_nonnull(p[s][k]);
			ck_assert_uint_eq((uintptr_t)p[s][k] % align, 0);
			memset(p[s][k], (int)k, sizes[s]);
		}
	ck_assert_uint_eq(ul_heap_check(), 4 * 17);
	for (s = 0; s < 4; s++)
		for (k = 0; k < 17; k++)
			ul_free(p[s][k]);
	ck_assert_ptr_null(ul_aligned_alloc(0, 8));
	ck_assert_ptr_null(ul_aligned_alloc(24, 8));
	ck_assert_uint_eq(heap_stats().failures, 2);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_calloc_zeroes_and_checks_overflow)
{
	unsigned char *p = ul_malloc(1000);
	size_t i;

	memset(p, 0xff, 1000);
	ul_free(p);
	p = ul_calloc(10, 100);
	for (i = 0; i < 1000; i++)
		ck_assert_uint_eq(p[i], 0);
	ck_assert_ptr_null(ul_calloc(SIZE_MAX / 8 + 1, 8));
	ck_assert_ptr_null(ul_calloc(8, SIZE_MAX / 8 + 1));
	ck_assert_uint_eq(heap_stats().failures, 2);
	ul_free(p);
	p = ul_calloc(0, 5);
	ck_assert_ptr_nonnull(p);
	ul_free(p);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_exhaustion_returns_null)
{
	static void *blocks[REGION_SIZE / 1024];
	size_t n = 0;

	while ((blocks[n] = ul_malloc(1000)) != NULL)
		n++;
	ck_assert_uint_gt(n, REGION_SIZE / 1024 * 8 / 10);
	ck_assert_uint_eq(heap_stats().failures, 1);
	ck_assert_uint_eq(heap_stats().in_use, n * 1000);
	ck_assert_uint_eq(ul_heap_check(), n);
	while (n > 0)
		ul_free(blocks[--n]);
	assert_all_pages_back();
}
END_TEST

/* A region smaller than one 64 KiB span still makes a working heap, and
 * one that shares its pages with page allocations. */
START_TEST(test_small_region)
{
	void *blocks[64];
	void *pages;
	size_t n = 0;

	ul_page_init(region, 10 * PAGE);
	pages = ul_page_alloc(3);
	ck_assert_ptr_nonnull(pages);
	while (n < 64 && (blocks[n] = ul_malloc(500)) != NULL)
		n++;
	ck_assert_uint_gt(n, 20);
	ck_assert_uint_lt(n, 64);
	while (n > 0)
		ul_free(blocks[--n]);
	ck_assert_uint_eq(free_pages(), 7);
	ul_page_free(pages, 3);
	assert_all_pages_back();
}
END_TEST

START_TEST(test_peak_tracks_maximum)
{
	void *a = ul_malloc(300);
	void *b = ul_malloc(200);

	ul_free(a);
	a = ul_malloc(100);
	ck_assert_uint_eq(heap_stats().peak, 500);
	ck_assert_uint_eq(heap_stats().in_use, 300);
	ck_assert_uint_eq(heap_stats().allocs, 3);
	ck_assert_uint_eq(heap_stats().frees, 1);
	ul_free(a);
	ul_free(b);
	ul_free(NULL);
	ck_assert_uint_eq(heap_stats().frees, 3);
}
END_TEST

/* How a child running a misuse of the heap ended. */
struct death {
	int status;
	char out[4096];    /* all it wrote to stdout and stderr */
	uintptr_t block;   /* the pointer it misused */
};

/* Run bad in a child whose output goes to a pipe. The child reports the
 * pointer it misused through a shared page, since it dies before it could
 * say so any other way. */
static void run_in_child(void (*bad)(void **), struct death *d)
{
	void **shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
	                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	size_t len = 0;
	ssize_t n;
	int fds[2];
	pid_t pid;

	ck_assert_ptr_ne(shared, MAP_FAILED);
	ck_assert_int_eq(pipe(fds), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		bad(shared);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], d->out + len, sizeof(d->out) - 1 - len)) > 0)
		len += (size_t)n;
	d->out[len] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &d->status, 0), pid);
	d->block = (uintptr_t)*shared;
	munmap(shared, PAGE);
}

/* bad must end in a panic that says want and names the pointer. */
static void expect_panic(void (*bad)(void **), const char *want)
{
	struct death d;
	char addr[32];

	run_in_child(bad, &d);
	ck_assert_msg(WIFEXITED(d.status) &&
	              WEXITSTATUS(d.status) == UL_EXIT_PANIC,
	              "expected a panic saying \"%s\", got status %#x, "
	              "output: %s", want, d.status, d.out);
	ck_assert_msg(strstr(d.out, want), "expected \"%s\" in: %s", want,
	              d.out);
	snprintf(addr, sizeof(addr), "%lx", (unsigned long)d.block);
	ck_assert_msg(strstr(d.out, addr), "expected %s in: %s", addr, d.out);
}

static void double_free(void **block)
{
	void *keep = ul_malloc(10);

	*block = ul_malloc(10);
	ul_free(*block);
	ul_free(*block);
	(void)keep;
}

static void double_free_after_merge(void **block)
{
	void *a = ul_malloc(10);

	*block = ul_malloc(10);
	ul_malloc(10);
	ul_free(a);
	ul_free(*block); /* merges into a's free block */
	ul_free(*block);
}

static void free_of_host_pointer(void **block)
{
	static unsigned char junk[64] __attribute__((aligned(16)));

	*block = junk + 32;
	ul_free(*block);
}

static void free_of_interior_pointer(void **block)
{
	unsigned char *p = ul_malloc(100);

	*block = p + 48;
	ul_free(*block);
}

static void free_of_misaligned_pointer(void **block)
{
	unsigned char *p = ul_malloc(100);

	*block = p + 1;
	ul_free(*block);
}

static void realloc_of_freed(void **block)
{
	void *keep = ul_malloc(10);

	*block = ul_malloc(10);
	ul_free(*block);
	ul_realloc(*block, 20);
	(void)keep;
}

/* Writes the way a buggy caller would, past what it was given; built with
 * ASan, this must not be stopped by ASan so the heap's own check shows. */
#ifdef __SANITIZE_ADDRESS__
__attribute__((no_sanitize_address))
#endif
static void scribble(unsigned char *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

static void overrun_then_free(void **block)
{
	unsigned char *p = ul_malloc(100);

	*block = p;
	scribble(p, 101);
	ul_free(p);
}

static void overrun_then_check(void **block)
{
	unsigned char *p = ul_malloc(100);

	*block = p;
	ul_malloc(50);
	scribble(p + 100, 1);
	ul_heap_check();
}

static void overrun_then_realloc(void **block)
{
	unsigned char *p = ul_malloc(33);

	*block = p;
	scribble(p + 40, 1);
	ul_realloc(p, 10);
}

/* 32 bytes take a block of 96: 32 of header, 48 of payload, then the
 * footer, which this hits while leaving the canary bytes alone. */
static void footer_smashed_then_free(void **block)
{
	unsigned char *p = ul_malloc(32);

	*block = p;
	scribble(p + 48, 8);
	ul_free(p);
}

START_TEST(test_double_free_panics)
{
	expect_panic(double_free, "heap: double free of ");
	expect_panic(double_free_after_merge, "heap: double free of ");
	expect_panic(realloc_of_freed, "heap: realloc of freed ");
}
END_TEST

START_TEST(test_invalid_free_panics)
{
	expect_panic(free_of_host_pointer, "heap: free of invalid pointer ");
	expect_panic(free_of_interior_pointer, "heap: free of invalid pointer ");
	expect_panic(free_of_misaligned_pointer,
	             "heap: free of invalid pointer ");
}
END_TEST

START_TEST(test_overrun_panics)
{
	expect_panic(overrun_then_free, "heap: overrun past end of ");
	expect_panic(overrun_then_free, "(block of 100 bytes)");
	expect_panic(overrun_then_check, "(block of 100 bytes)");
	expect_panic(overrun_then_realloc, "(block of 33 bytes)");
	expect_panic(footer_smashed_then_free, "(block of 32 bytes)");
}
END_TEST

#ifdef __SANITIZE_ADDRESS__
/* Built with ASan, the heap's poisoning makes ASan stop a bad access where
 * it happens, long before the block is freed. */
static void use_after_free(void **block)
{
	volatile unsigned char *p = ul_malloc(100);

	*block = (void *)p;
	ul_malloc(10);
	ul_free((void *)p);
	p[10] = 1;
}

static void write_past_end(void **block)
{
	volatile unsigned char *p = ul_malloc(100);

	*block = (void *)p;
	p[100] = 1;
}

static void expect_asan_report(void (*bad)(void **))
{
	struct death d;

	run_in_child(bad, &d);
	ck_assert_msg(!WIFEXITED(d.status) || WEXITSTATUS(d.status) != 0,
	              "the bad access went unnoticed");
	ck_assert_msg(strstr(d.out, "AddressSanitizer: use-after-poison"),
	              "no ASan report in: %s", d.out);
}

START_TEST(test_asan_sees_bad_accesses)
{
	expect_asan_report(use_after_free);
	expect_asan_report(write_past_end);
}
END_TEST
#endif

static Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *random = tcase_create("random");
	TCase *rules = tcase_create("rules");
	TCase *bad = tcase_create("bad use");

	tcase_add_checked_fixture(random, setup, NULL);
	tcase_set_timeout(random, 60);
	tcase_add_loop_test(random, test_random_against_model, 0,
	                    sizeof(seeds) / sizeof(seeds[0]));
	suite_add_tcase(s, random);

	tcase_add_checked_fixture(rules, setup, NULL);
	tcase_add_test(rules, test_every_small_size_is_aligned);
	tcase_add_test(rules, test_large_block_gives_pages_back);
	tcase_add_test(rules, test_freed_neighbours_serve_a_large_request);
	tcase_add_test(rules, test_realloc_grows_and_shrinks_in_place);
	tcase_add_test(rules, test_realloc_moves_when_boxed_in);
	tcase_add_test(rules, test_realloc_failure_keeps_block);
	tcase_add_test(rules, test_aligned_alloc_powers_of_two);
	tcase_add_test(rules, test_calloc_zeroes_and_checks_overflow);
	tcase_add_test(rules, test_exhaustion_returns_null);
	tcase_add_test(rules, test_small_region);
	tcase_add_test(rules, test_peak_tracks_maximum);
	suite_add_tcase(s, rules);

	tcase_add_checked_fixture(bad, setup, NULL);
	tcase_add_test(bad, test_double_free_panics);
	tcase_add_test(bad, test_invalid_free_panics);
	tcase_add_test(bad, test_overrun_panics);
#ifdef __SANITIZE_ADDRESS__
	tcase_add_test(bad, test_asan_sees_bad_accesses);
#endif
	suite_add_tcase(s, bad);
	return s;
}

int main(void)
{
	return ul_run_suite(heap_suite());
}
