/* The heap: ul_malloc and friends, carved from spans of pages taken from the
 * page allocator. Blocks carry a header and a footer so that a freed block
 * merges with both neighbours, and canary bytes after the caller's bytes so
 * that an overrun is caught when the block is freed or checked. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/string.h>

#define ALIGN 16u
#define SPAN_MIN_PAGES (65536u / UL_PAGE_SIZE)
#define MIN_TAIL 8u           /* canary bytes at least after the caller's */
#define CANARY 0xcbu
#define MAX_REQUEST (SIZE_MAX / 2) /* beyond it sizes could overflow */

#define SPAN_MAGIC 0x5350414e5350414eull
#define BLOCK_MAGIC 0x68656170u
#define FOOTER_MAGIC 0x7f007f007f007f00ull
#define BLOCK_FREE 0x46524545u
#define BLOCK_USED 0x55534544u

/* Built with AddressSanitizer, the heap poisons free payloads and canaries
 * so that ASan reports a use after free or an overrun where it happens.
 * Headers and footers stay readable: the heap reads them all the time. */
#ifdef __SANITIZE_ADDRESS__
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define poison(p, n) __asan_poison_memory_region((p), (n))
#define unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define poison(p, n) ((void)(p), (void)(n))
#define unpoison(p, n) ((void)(p), (void)(n))
#define NO_ASAN
#endif

/* A run of pages the heap took from the page allocator; blocks tile the
 * rest of it. The first 16 bytes are overwritten by the page allocator's
 * own bookkeeping once the span is given back, hence magic comes last. */
struct span {
	struct span *next;
	struct span *prev;
	size_t npages;
	uint64_t magic;
};

struct block {
	uint32_t magic;
	uint32_t state;     /* BLOCK_FREE or BLOCK_USED */
	size_t size;        /* whole block, header to footer, a multiple of 16 */
	size_t requested;   /* what the caller asked for; 0 when free */
	struct span *span;
};

/* Lets a block find the one before it. */
struct footer {
	size_t size;
	uint64_t magic;
};

/* Where a free block keeps its place in the free list: its payload. */
struct links {
	struct block *next;
	struct block *prev;
};

#define MIN_BLOCK (sizeof(struct block) + sizeof(struct links) + \
                   sizeof(struct footer))

_Static_assert(sizeof(struct span) % ALIGN == 0, "span breaks alignment");
_Static_assert(sizeof(struct block) % ALIGN == 0, "header breaks alignment");
_Static_assert(sizeof(struct footer) % ALIGN == 0, "footer breaks alignment");
_Static_assert(sizeof(struct links) >= MIN_TAIL, "no room for the canary");

static struct span *spans;
static struct block *free_head;
static struct ul_heap_stats stats;

static unsigned char *payload(struct block *b)
{
	return (unsigned char *)(b + 1);
}

static struct footer *footer(struct block *b)
{
	return (struct footer *)((unsigned char *)b + b->size) - 1;
}

static unsigned char *span_begin(struct span *s)
{
	return (unsigned char *)(s + 1);
}

static unsigned char *span_end(struct span *s)
{
	return (unsigned char *)s + s->npages * UL_PAGE_SIZE;
}

static struct block *next_block(struct block *b)
{
	unsigned char *next = (unsigned char *)b + b->size;

	return next < span_end(b->span) ? (struct block *)next : NULL;
}

/* LAB heap.coalesce BEGIN: prev_block(b): the block just before b in its
 * span, or NULL when b is the span's first. The footer that ends the
 * previous block sits right below b's header and holds its size. */
static struct block *prev_block(struct block *b)
{
	if ((unsigned char *)b == span_begin(b->span))
		return NULL;
	return (struct block *)((unsigned char *)b -
	                        ((struct footer *)b - 1)->size);
}
/* LAB heap.coalesce END */

/* The block size that holds req bytes, or 0 when none could. */
static size_t block_size(size_t req)
{
	if (req > MAX_REQUEST)
		return 0;
	return (sizeof(struct block) + req + MIN_TAIL + sizeof(struct footer) +
	        ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* Write b's header (all but requested) and footer. The bytes may have been
 * a free payload a moment ago, hence the unpoisoning. */
static void place(struct block *b, size_t size, uint32_t state,
                  struct span *s)
{
	unpoison(b, sizeof(*b));
	b->magic = BLOCK_MAGIC;
	b->state = state;
	b->size = size;
	b->span = s;
	unpoison(footer(b), sizeof(struct footer));
	footer(b)->size = size;
	footer(b)->magic = FOOTER_MAGIC;
}

static void make_free(struct block *b, size_t size, struct span *s)
{
	place(b, size, BLOCK_FREE, s);
	b->requested = 0;
	poison(payload(b), size - sizeof(*b) - sizeof(struct footer));
}

/* Give the caller req bytes of b and guard everything after them. */
static void set_requested(struct block *b, size_t req)
{
	unsigned char *tail = payload(b) + req;
	size_t tail_len = (size_t)((unsigned char *)footer(b) - tail);

	b->requested = req;
	unpoison(payload(b), req + tail_len);
	ul_memset(tail, CANARY, tail_len);
	poison(tail, tail_len);
}

static void check_tail(struct block *b)
{
	unsigned char *tail = payload(b) + b->requested;
	size_t tail_len = (size_t)((unsigned char *)footer(b) - tail);
	bool intact = footer(b)->size == b->size &&
	              footer(b)->magic == FOOTER_MAGIC;
	size_t i;

	unpoison(tail, tail_len);
	for (i = 0; intact && i < tail_len; i++)
		intact = tail[i] == CANARY;
	poison(tail, tail_len);
	if (!intact)
		ul_panic("heap: overrun past end of %p (block of %zu bytes)",
		         (void *)payload(b), b->requested);
}

static struct links get_links(struct block *b)
{
	struct links l;

	unpoison(payload(b), sizeof(l));
	l = *(struct links *)payload(b);
	poison(payload(b), sizeof(l));
	return l;
}

static void set_links(struct block *b, struct links l)
{
	unpoison(payload(b), sizeof(l));
	*(struct links *)payload(b) = l;
	poison(payload(b), sizeof(l));
}

static void push_free(struct block *b)
{
	set_links(b, (struct links){ .next = free_head, .prev = NULL });
	if (free_head) {
		struct links head = get_links(free_head);

		head.prev = b;
		set_links(free_head, head);
	}
	free_head = b;
}

static void unlink_free(struct block *b)
{
	struct links l = get_links(b);

	if (l.prev) {
		struct links prev = get_links(l.prev);

		prev.next = l.next;
		set_links(l.prev, prev);
	} else {
		free_head = l.next;
	}
	if (l.next) {
		struct links next = get_links(l.next);

		next.prev = l.prev;
		set_links(l.next, next);
	}
}

static void release_span(struct span *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		spans = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->magic = 0;
	unpoison(s, s->npages * UL_PAGE_SIZE);
	ul_page_free(s, s->npages);
}

/* b has just become free: merge it with free neighbours, then list it, or
 * give its span back when nothing else lives there. Every header swallowed
 * by a merge is left saying "free", so a second free of it is caught. */
static void add_free(struct block *b)
{
	struct span *s = b->span;
	size_t size = b->size;

	b->state = BLOCK_FREE;
	/* LAB heap.coalesce BEGIN: merge b with the block after it and the
	 * block before it when they are free (next_block, prev_block): take
	 * each off the free list (unlink_free) and grow size to cover it; a
	 * merge with the block before makes that block the one to list. */
	struct block *next = next_block(b);
	struct block *prev = prev_block(b);

	if (next && next->state == BLOCK_FREE) {
		unlink_free(next);
		size += next->size;
	}
	if (prev && prev->state == BLOCK_FREE) {
		unlink_free(prev);
		size += prev->size;
		b = prev;
	}
	/* LAB heap.coalesce END */
	if ((unsigned char *)b == span_begin(s) &&
	    (unsigned char *)b + size == span_end(s)) {
		release_span(s);
		return;
	}
	make_free(b, size, s);
	push_free(b);
}

/* Cut the block b (not on the free list) down to size bytes, freeing the
 * rest when it is big enough to be a block. The caller sets requested
 * afterwards, which moves the canary to the new end. */
static void trim(struct block *b, size_t size)
{
	/* LAB heap.split BEGIN: split b: when the bytes past size could hold a
	 * block (MIN_BLOCK), make b size bytes long (place) and turn the rest
	 * into a free block of its own (place, add_free). */
	size_t rest = b->size - size;
	struct block *r;

	if (rest < MIN_BLOCK)
		return;
	place(b, size, b->state, b->span);
	r = (struct block *)((unsigned char *)b + size);
	place(r, rest, BLOCK_FREE, b->span);
	add_free(r);
	/* LAB heap.split END: (void)b; (void)size; */
}

/* A new span with room for a block of size bytes, as one free block.
 * Spans are at least 64 KiB so small blocks share them, but never more
 * than the page allocator has left, so a small region still works. */
static struct block *grow(size_t size)
{
	size_t need = (sizeof(struct span) + size + UL_PAGE_SIZE - 1) /
	              UL_PAGE_SIZE;
	size_t npages = need > SPAN_MIN_PAGES ? need : SPAN_MIN_PAGES;
	struct ul_page_stats ps;
	struct span *s;
	struct block *b;

	ul_page_stats(&ps);
	if (need > ps.free)
		return NULL;
	if (npages > ps.free)
		npages = ps.free;
	s = ul_page_alloc(npages);
	if (!s && npages > need) {
		npages = need;
		s = ul_page_alloc(npages);
	}
	if (!s)
		return NULL;
	s->npages = npages;
	s->magic = SPAN_MAGIC;
	s->prev = NULL;
	s->next = spans;
	if (spans)
		spans->prev = s;
	spans = s;
	b = (struct block *)span_begin(s);
	make_free(b, (size_t)(span_end(s) - span_begin(s)), s);
	push_free(b);
	return b;
}

/* Take the first free block of at least size bytes, growing the heap when
 * none is, and mark it used; setting requested is left to the caller. */
static struct block *alloc_block(size_t size)
{
	struct block *b;

	/* LAB heap.fit BEGIN: first fit: walk the free list from free_head
	 * (get_links(b).next) to the first block of at least size bytes, or
	 * NULL when there is none. */
	for (b = free_head; b && b->size < size; b = get_links(b).next)
		;
	/* LAB heap.fit END: ul_panic("lab heap: alloc_block's first fit is not written yet"); */
	if (!b)
		b = grow(size);
	if (!b)
		return NULL;
	unlink_free(b);
	b->state = BLOCK_USED;
	trim(b, size);
	return b;
}

static void *count_alloc(struct block *b)
{
	stats.allocs++;
	stats.in_use += b->requested;
	if (stats.in_use > stats.peak)
		stats.peak = stats.in_use;
	return payload(b);
}

static void *count_failure(void)
{
	stats.failures++;
	return NULL;
}

/* Reads a header that may not be one: p can be any pointer a caller passes,
 * and a bad one must get the heap's panic, not a sanitizer report. */
static NO_ASAN bool header_says(const struct block *b, uint32_t state)
{
	return b->magic == BLOCK_MAGIC && b->state == state;
}

/* b's span is live, b lies inside it and its sizes are possible. */
static bool header_sound(struct block *b)
{
	struct span *s = b->span;

	return s->magic == SPAN_MAGIC && (unsigned char *)b >= span_begin(s) &&
	       (unsigned char *)b < span_end(s) && b->size >= MIN_BLOCK &&
	       b->size % ALIGN == 0 &&
	       b->size <= (size_t)(span_end(s) - (unsigned char *)b) &&
	       b->requested <= b->size - sizeof(struct block) -
	                       sizeof(struct footer) - MIN_TAIL;
}

/* The in-use block behind p, or a panic saying why p is not one. */
static struct block *owned_block(void *p, bool freeing)
{
	const char *op = freeing ? "free" : "realloc";
	uintptr_t addr = (uintptr_t)p;
	struct block *b = (struct block *)(addr - sizeof(struct block));

	if (addr % ALIGN != 0 || addr < sizeof(struct block))
		ul_panic("heap: %s of invalid pointer %p", op, p);
	if (header_says(b, BLOCK_FREE)) {
		if (freeing)
			ul_panic("heap: double free of %p", p);
		ul_panic("heap: realloc of freed %p", p);
	}
	if (!header_says(b, BLOCK_USED) || !header_sound(b))
		ul_panic("heap: %s of invalid pointer %p", op, p);
	check_tail(b);
	return b;
}

void *ul_malloc(size_t size)
{
	size_t bsize = block_size(size);
	struct block *b = bsize ? alloc_block(bsize) : NULL;

	if (!b)
		return count_failure();
	set_requested(b, size);
	return count_alloc(b);
}

void *ul_calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return count_failure();
	p = ul_malloc(n * size);
	if (p)
		ul_memset(p, 0, n * size);
	return p;
}

void ul_free(void *p)
{
	struct block *b;

	if (!p)
		return;
	b = owned_block(p, true);
	stats.frees++;
	stats.in_use -= b->requested;
	add_free(b);
}

/* Make b size bytes long without moving it: shrink, or swallow a free
 * block after it. */
static bool resize_in_place(struct block *b, size_t size)
{
	/* LAB heap.realloc BEGIN: grow b by swallowing the free block after it
	 * when that is enough (unlink_free, place), or shrink it (trim);
	 * return false when it must move instead. */
	struct block *next = next_block(b);

	if (size > b->size) {
		if (!next || next->state != BLOCK_FREE ||
		    next->size < size - b->size)
			return false;
		unlink_free(next);
		place(b, b->size + next->size, BLOCK_USED, b->span);
	}
	trim(b, size);
	return true;
	/* LAB heap.realloc END: (void)b; (void)size; return false; */
}

/* Counted as one free and one allocation (see mem.h), moved or not. */
void *ul_realloc(void *p, size_t size)
{
	size_t bsize = block_size(size);
	struct block *b;
	size_t old;

	if (!p)
		return ul_malloc(size);
	if (size == 0) {
		ul_free(p);
		return NULL;
	}
	b = owned_block(p, false);
	old = b->requested;
	if (!bsize)
		return count_failure();
	if (resize_in_place(b, bsize)) {
		set_requested(b, size);
	} else {
		struct block *moved = alloc_block(bsize);

		if (!moved)
			return count_failure();
		set_requested(moved, size);
		ul_memcpy(payload(moved), p, old < size ? old : size);
		add_free(b);
		b = moved;
	}
	stats.frees++;
	stats.in_use -= old;
	return count_alloc(b);
}

/* Move the start of the used block b forward so its payload is aligned,
 * freeing the bytes skipped as a block of their own (hence at least
 * MIN_BLOCK of them). b must have align + MIN_BLOCK spare payload bytes. */
static struct block *align_block(struct block *b, size_t align)
{
	uintptr_t p = (uintptr_t)payload(b);
	uintptr_t q = (p + align - 1) & ~(uintptr_t)(align - 1);
	struct block *aligned;

	while (q != p && q - p < MIN_BLOCK)
		q += align;
	if (q == p)
		return b;
	aligned = (struct block *)(q - sizeof(struct block));
	place(aligned, b->size - (q - p), BLOCK_USED, b->span);
	place(b, q - p, BLOCK_USED, b->span);
	add_free(b);
	return aligned;
}

void *ul_aligned_alloc(size_t align, size_t size)
{
	struct block *b;

	if (align == 0 || (align & (align - 1)) != 0)
		return count_failure();
	if (align <= ALIGN)
		return ul_malloc(size);
	if (align > MAX_REQUEST || size > MAX_REQUEST - align - MIN_BLOCK)
		return count_failure();
	b = alloc_block(block_size(size + align + MIN_BLOCK));
	if (!b)
		return count_failure();
	b = align_block(b, align);
	trim(b, block_size(size));
	set_requested(b, size);
	return count_alloc(b);
}

void ul_heap_stats(struct ul_heap_stats *st)
{
	*st = stats;
}

/* Panics unless b is a sound block of span s that does not break the
 * invariant that no two free blocks touch. */
static void check_block(struct block *b, struct span *s, bool prev_free)
{
	if ((b->magic != BLOCK_MAGIC) || b->span != s ||
	    (b->state != BLOCK_FREE && b->state != BLOCK_USED) ||
	    !header_sound(b))
		ul_panic("heap: corrupted block header at %p", (void *)b);
	if (b->state == BLOCK_USED) {
		check_tail(b);
		return;
	}
	if (footer(b)->size != b->size || footer(b)->magic != FOOTER_MAGIC)
		ul_panic("heap: corrupted footer of free block %p", (void *)b);
	if (prev_free)
		ul_panic("heap: free block %p was not merged", (void *)b);
}

size_t ul_heap_check(void)
{
	size_t used = 0, nfree = 0;
	struct span *s;
	struct block *b;

	for (s = spans; s; s = s->next) {
		bool prev_free = false;

		if (s->magic != SPAN_MAGIC)
			ul_panic("heap: corrupted span header at %p", (void *)s);
		for (b = (struct block *)span_begin(s); b; b = next_block(b)) {
			check_block(b, s, prev_free);
			prev_free = b->state == BLOCK_FREE;
			if (prev_free)
				nfree++;
			else
				used++;
		}
	}
	for (b = free_head; b; b = get_links(b).next) {
		if (!header_says(b, BLOCK_FREE) || nfree == 0)
			ul_panic("heap: free list corrupted at %p", (void *)b);
		nfree--;
	}
	if (nfree != 0)
		ul_panic("heap: %zu free blocks missing from the free list", nfree);
	return used;
}
