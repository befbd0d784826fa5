/* The page allocator: runs of contiguous pages from the one region the
 * backend hands the core, first fit over free runs kept in address order. */
#include <stddef.h>
#include <stdint.h>
#include <unilab/mem.h>
#include <unilab/panic.h>

/* A free run describes itself in its own first page, so the allocator needs
 * no memory of its own however large the region is. */
struct run {
	struct run *next; /* the next free run, always at a higher address */
	size_t npages;
};

static uintptr_t region_start;
static uintptr_t region_end;
static struct run *free_runs;
static struct ul_page_stats stats;

static uintptr_t run_end(const struct run *r)
{
	return (uintptr_t)r + r->npages * UL_PAGE_SIZE;
}

/* Merge r with the run after it when they touch. */
static void absorb_next(struct run *r)
{
	struct run *next = r->next;

	if (next && run_end(r) == (uintptr_t)next) {
		r->npages += next->npages;
		r->next = next->next;
	}
}

void ul_page_init(void *base, size_t size)
{
	if ((uintptr_t)base % UL_PAGE_SIZE != 0)
		ul_panic("page: region base %p is not page-aligned", base);
	region_start = (uintptr_t)base;
	region_end = region_start + size / UL_PAGE_SIZE * UL_PAGE_SIZE;
	free_runs = NULL;
	stats.total = size / UL_PAGE_SIZE;
	stats.free = 0;
	stats.failed = 0;
	if (stats.total > 0)
		ul_page_free(base, stats.total);
}

void *ul_page_alloc(size_t npages)
{
	struct run **link;

	if (npages == 0 || npages > stats.free) {
		stats.failed++;
		return NULL;
	}
	for (link = &free_runs; *link; link = &(*link)->next) {
		struct run *r = *link;

		if (r->npages < npages)
			continue;
		if (r->npages == npages) {
			*link = r->next;
		} else {
			struct run *rest = (struct run *)((uintptr_t)r +
			                                  npages * UL_PAGE_SIZE);

			rest->next = r->next;
			rest->npages = r->npages - npages;
			*link = rest;
		}
		stats.free -= npages;
		return r;
	}
	stats.failed++;
	return NULL;
}

/* Everything short of overlap with free pages that makes a free bogus. */
static void check_in_region(uintptr_t start, size_t npages)
{
	if (start % UL_PAGE_SIZE != 0 || start < region_start ||
	    start >= region_end || npages == 0 ||
	    npages > (region_end - start) / UL_PAGE_SIZE)
		ul_panic("page: free of %p (%zu pages), which was never allocated",
		         (void *)start, npages);
}

void ul_page_free(void *p, size_t npages)
{
	uintptr_t start = (uintptr_t)p;
	struct run **link = &free_runs;
	struct run *prev = NULL;
	struct run *r = p;

	check_in_region(start, npages);
	while (*link && (uintptr_t)*link < start) {
		prev = *link;
		link = &prev->next;
	}
	if ((prev && run_end(prev) > start) ||
	    (*link && start + npages * UL_PAGE_SIZE > (uintptr_t)*link))
		ul_panic("page: free of %p (%zu pages) overlaps free pages "
		         "(double free?)", p, npages);
	r->next = *link;
	r->npages = npages;
	*link = r;
	absorb_next(r);
	if (prev)
		absorb_next(prev);
	stats.free += npages;
}

void ul_page_stats(struct ul_page_stats *st)
{
	*st = stats;
}
