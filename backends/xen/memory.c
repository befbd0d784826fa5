/* xen guest: memory for the heap. Xen maps only the bootstrap region
 * (pseudo-physical frames 0..k at ul_xen_virt_base, see abi.h); the
 * domain's other frames, up to start_info.nr_pages, are ours but unmapped.
 * We map each of them at ul_xen_virt_base + pfn * 4096 too, so all our
 * memory is one linear run, and give the core the part above the
 * bootstrap region.
 *
 * Xen owns the page tables' contents: we walk them by reading (they are
 * mapped read-only, and the M2P table turns the machine frame in an entry
 * into the pseudo-physical frame whose address we know), and change them
 * with mmu_update. A missing table is made from a free page that we zero,
 * remap read-only (Xen refuses a page table that is writable anywhere) and
 * link into its parent. Those pages come from the bootstrap region's free
 * padding, already mapped, which Xen guarantees is at least 512 KiB. */
#include <unilab/string.h>

#include "guest.h"
#include "hypercall.h"
#include "x86_64/cpu.h"

#define PTE_FRAME 0x000ffffffffff000ull /* bits 12..51: a machine address */
#define PADDING_PAGES 128               /* the guaranteed 512 KiB */
#define BATCH 256                       /* mmu_update requests per call */
/* Address bits below each level's index: an L1 table spans 2 MiB, an L2
 * 1 GiB, an L3 512 GiB; the L4 is the root. */
static const unsigned level_shift[] = {0, 12, 21, 30, 39};

extern char ul_xen_virt_base[];

static const uint64_t *p2m;                                /* PFN -> MFN */
static const uint64_t *const m2p = (const uint64_t *)XEN_M2P; /* MFN -> PFN */
static uint64_t pool_next, pool_end; /* free pages for new tables */
static struct xen_mmu_update batch[BATCH];
static unsigned queued;

static uintptr_t pfn_va(uint64_t pfn)
{
	return (uintptr_t)ul_xen_virt_base + (pfn << XEN_PAGE_SHIFT);
}

static uint64_t va_pfn(uintptr_t va)
{
	return (va - (uintptr_t)ul_xen_virt_base) >> XEN_PAGE_SHIFT;
}

/* The page table in machine frame mfn, where we can read it. */
static const uint64_t *table_at(uint64_t mfn)
{
	return (const uint64_t *)pfn_va(m2p[mfn]);
}

static void update(const struct xen_mmu_update *req, unsigned count)
{
	if (xen_mmu_update(req, count) < 0)
		ul_xen_fatal("mmu_update refused to map the domain's memory");
}

static void flush_batch(void)
{
	if (queued > 0)
		update(batch, queued);
	queued = 0;
}

static void queue_update(uint64_t entry_maddr, uint64_t val)
{
	batch[queued++] = (struct xen_mmu_update){entry_maddr, val};
	if (queued == BATCH)
		flush_batch();
}

/* A new, empty page table from the pool; returns its machine frame. */
static uint64_t new_table(void)
{
	uint64_t pfn = pool_next++;
	uint64_t mfn = p2m[pfn];

	ul_memset((void *)pfn_va(pfn), 0, XEN_PAGE_SIZE);
	if (xen_update_va_mapping(pfn_va(pfn),
	                          (mfn << XEN_PAGE_SHIFT) | X86_PTE_P) < 0)
		ul_xen_fatal("cannot make a new page table read-only");
	return mfn;
}

/* Map frame pfn at its linear address unless it is mapped already. */
static void map_page(uint64_t l4_mfn, uint64_t pfn)
{
	uintptr_t va = pfn_va(pfn);
	uint64_t mfn = l4_mfn;

	for (unsigned level = 4;; level--) {
		unsigned idx = (va >> level_shift[level]) & (X86_PT_ENTRIES - 1);
		uint64_t maddr = (mfn << XEN_PAGE_SHIFT) + 8 * idx;
		uint64_t entry = table_at(mfn)[idx];

		if (level == 1) {
			if (!(entry & X86_PTE_P))
				queue_update(maddr, (p2m[pfn] << XEN_PAGE_SHIFT) |
				                            X86_PTE_P | X86_PTE_W);
			return;
		}
		if (!(entry & X86_PTE_P)) {
			/* Linked at once: the next page's walk reads it. */
			struct xen_mmu_update link = {
				maddr, (new_table() << XEN_PAGE_SHIFT) | X86_PTE_P |
				               X86_PTE_W | X86_PTE_U,
			};
			update(&link, 1);
			entry = link.val;
		}
		mfn = (entry & PTE_FRAME) >> XEN_PAGE_SHIFT;
	}
}

/* At most how many tables mapping [first, end) can need: one L1 per
 * 2 MiB span it touches, one L2 per 1 GiB, one L3 per 512 GiB. */
static uint64_t tables_needed(uint64_t first, uint64_t end)
{
	uint64_t n = 0;

	for (unsigned level = 2; level <= 4; level++)
		n += ((pfn_va(end) - 1) >> level_shift[level]) -
		     (pfn_va(first) >> level_shift[level]) + 1;
	return n;
}

uint64_t ul_xen_mfn_of(const void *va)
{
	return p2m[va_pfn((uintptr_t)va)];
}

void ul_xen_memory_init(uintptr_t boot_stack_top, void **heap_base,
                        size_t *heap_size)
{
	const struct xen_start_info *si = ul_xen_start_info;
	uint64_t first = va_pfn(boot_stack_top + XEN_PAGE_SIZE - 1);
	uint64_t end = si->nr_pages;
	uint64_t l4_mfn;

	p2m = (const uint64_t *)si->mfn_list;
	l4_mfn = p2m[va_pfn(si->pt_base)];
	/* The pool must fit in the padding: past about 240 MiB more tables
	 * would be needed than it holds, and the rest goes unused. */
	if (end > first && tables_needed(first, end) > PADDING_PAGES)
		end = first + (uint64_t)(PADDING_PAGES - 6) * X86_PT_ENTRIES;
	pool_next = first;
	pool_end = first + (end > first ? tables_needed(first, end) : 0);
	if (pool_end >= end)
		ul_xen_fatal("the domain has too little memory for a heap");

	for (uint64_t pfn = pool_end; pfn < end; pfn++)
		map_page(l4_mfn, pfn);
	flush_batch();
	*heap_base = (void *)pfn_va(pool_end);
	*heap_size = (end - pool_end) << XEN_PAGE_SHIFT;
}
