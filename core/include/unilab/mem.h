/* Memory: a page allocator over the region the backend hands the core, and
 * a heap on top of it. Out of memory is reported with NULL, never a panic;
 * a double free or a corrupted block header is a panic with a clear
 * message, because continuing would corrupt memory silently. */
#ifndef UL_MEM_H
#define UL_MEM_H

#include <stddef.h>
#include <stdint.h>

#define UL_PAGE_SIZE 4096u

/* Page allocator: runs of contiguous, page-aligned pages. */
void ul_page_init(void *base, size_t size); /* base page-aligned */
void *ul_page_alloc(size_t npages);          /* NULL when no run fits */
void ul_page_free(void *p, size_t npages);   /* exactly what was allocated */

struct ul_page_stats {
	size_t total;  /* pages managed */
	size_t free;   /* pages free now */
	size_t failed; /* requests that could not be met */
};
void ul_page_stats(struct ul_page_stats *st);

/* Heap: blocks aligned to 16 bytes, grown from the page allocator. */
void *ul_malloc(size_t size);
void *ul_calloc(size_t n, size_t size); /* NULL if n*size overflows */
void *ul_realloc(void *p, size_t size); /* p NULL: malloc; size 0: free */
void ul_free(void *p);                  /* NULL is a no-op */
/* align: a power of two; size need not be a multiple of it. */
void *ul_aligned_alloc(size_t align, size_t size);

/* A successful ul_realloc of a live block counts as one free and one
 * allocation, so allocs - frees is always the number of blocks in use. */
struct ul_heap_stats {
	size_t in_use;   /* bytes the callers asked for and hold now */
	size_t peak;     /* largest in_use ever */
	size_t allocs;   /* successful allocations */
	size_t frees;    /* frees */
	size_t failures; /* allocations that returned NULL */
};
void ul_heap_stats(struct ul_heap_stats *st);

/* Walk every block and check its header and trailer; panics on corruption.
 * Returns the number of blocks in use. For tests and debugging. */
size_t ul_heap_check(void);

#endif
