/* baremetal: memory. The heap is the largest stretch of RAM above the
 * image that boot.S mapped (below 4 GiB); device rings are carved from its
 * start before the core gets the rest. Device registers above 4 GiB get
 * their own uncached 2 MiB mappings. */
#include <unilab/string.h>

#include "bm.h"
#include "x86_64/cpu.h"
#include "x86_64/io.h"

#define MAPPED_END (4ull << 30) /* what boot.S identity-maps */
#define LARGE_PAGE_MASK (X86_LARGE_PAGE_SIZE - 1)

static uint64_t heap_start, heap_end;
static struct ul_bm_range ram[BM_MAX_RAM]; /* as mapped: above page 0, below
                                           MAPPED_END */
static unsigned ram_count;

static uint64_t page_up(uint64_t a)
{
	return (a + X86_PAGE_SIZE - 1) & ~(X86_PAGE_SIZE - 1);
}

/* The 4 KiB entry for page 0, which boot.S made. */
static uint64_t *page_zero_entry(void)
{
	uint64_t *t = (uint64_t *)(uintptr_t)(x86_read_cr3() & X86_PTE_ADDR);

	for (int level = 0; level < 3; level++)
		t = (uint64_t *)(uintptr_t)(t[0] & X86_PTE_ADDR);
	return t;
}

static void record_ram(uint64_t lo, uint64_t hi)
{
	if (lo < X86_PAGE_SIZE)
		lo = X86_PAGE_SIZE;
	if (hi > MAPPED_END)
		hi = MAPPED_END;
	if (hi > lo)
		ram[ram_count++] = (struct ul_bm_range){lo, hi - lo};
}

bool ul_bm_memory_is_ram(uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < ram_count; i++)
		if (addr >= ram[i].base && len <= ram[i].size &&
		    addr - ram[i].base <= ram[i].size - len)
			return true;
	return false;
}

void ul_bm_memory_init(const struct ul_bm_boot *b)
{
	uint64_t image_end = page_up((uintptr_t)__bss_end);

	*page_zero_entry() = 0;
	__asm__ volatile("invlpg (%0)" : : "r"(0ul) : "memory");

	for (unsigned i = 0; i < b->ram_count; i++) {
		uint64_t lo = page_up(b->ram[i].base);
		uint64_t hi = (b->ram[i].base + b->ram[i].size) & ~(X86_PAGE_SIZE - 1);
		record_ram(lo, hi);
		if (lo < image_end)
			lo = image_end;
		if (hi > MAPPED_END)
			hi = MAPPED_END;
		if (hi > lo && hi - lo > heap_end - heap_start) {
			heap_start = lo;
			heap_end = hi;
		}
	}
	if (heap_end == heap_start)
		ul_bm_fail("the memory map has no RAM above the image (which ends at "
		           "0x%llx)", (unsigned long long)image_end);
}

void *ul_bm_alloc_pages(size_t count)
{
	uint64_t bytes = count * X86_PAGE_SIZE;
	void *p = (void *)(uintptr_t)heap_start;

	if (bytes > heap_end - heap_start)
		ul_bm_fail("out of memory for device rings (%zu pages)", count);
	heap_start += bytes;
	ul_memset(p, 0, bytes);
	return p;
}

void ul_bm_memory_heap(void **base, size_t *size)
{
	*base = (void *)(uintptr_t)heap_start;
	*size = heap_end - heap_start;
}

/* The table that entry e of table t points to, made if missing. */
static uint64_t *next_table(uint64_t *t, unsigned e)
{
	if (!(t[e] & X86_PTE_P))
		t[e] = (uintptr_t)ul_bm_alloc_pages(1) | X86_PTE_P | X86_PTE_W;
	return (uint64_t *)(uintptr_t)(t[e] & X86_PTE_ADDR);
}

void ul_bm_map_device(uint64_t phys, uint64_t size)
{
	uint64_t *pml4 = (uint64_t *)(uintptr_t)(x86_read_cr3() & X86_PTE_ADDR);
	uint64_t a = phys & ~LARGE_PAGE_MASK;

	if (phys + size <= MAPPED_END)
		return;
	for (; a < phys + size; a += X86_LARGE_PAGE_SIZE) {
		uint64_t *pdpt = next_table(pml4, (a >> 39) & 511);
		uint64_t *pd = next_table(pdpt, (a >> 30) & 511);
		pd[(a >> 21) & 511] = a | X86_PTE_P | X86_PTE_W | X86_PTE_PS |
		                      X86_PTE_PCD | X86_PTE_PWT;
	}
	x86_write_cr3(x86_read_cr3());
}
