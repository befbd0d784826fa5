/* unilab-kvm: guest memory, and the one check every guest address goes
 * through before the monitor touches it. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <unilab/errno.h>

#include "monitor.h"

/* Anonymous and unreserved: the host gives a page only when the guest or
 * the monitor first touches it, so a large --mem costs nothing up front
 * and the monitor's footprint follows what the guest uses. */
void guest_mem_alloc(struct guest_mem *mem, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		fatal(UL_KVM_EXIT_HOST, "cannot map %llu bytes of guest memory: %s",
		      (unsigned long long)size, strerror(errno));
	mem->base = p;
	mem->size = size;
}

/* Written so that no sum can overflow: gpa and len are compared with the
 * room left, never added. The NULL page is refused because a guest that
 * passes address 0 has a bug, never a buffer there. */
void *guest_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len,
                uint64_t align)
{
	if (gpa < UL_KVM_PAGE || gpa > mem->size)
		return NULL;
	if (len > mem->size - gpa)
		return NULL;
	if (align > 1 && gpa % align != 0)
		return NULL;
	return mem->base + gpa;
}

#define PTE_PRESENT (1ull << 0)
#define PTE_LARGE (1ull << 7)                /* in a PDPT or PD entry */
#define PTE_ADDR_MASK 0x000ffffffffff000ull  /* bits 12..51 */
#define PAGING_LEVELS 4

/* 4-level paging (SDM 4.5): nine bits of va index each level, from the
 * PML4 at cr3 down; a large-page bit in a PDPT or PD entry ends the walk
 * at 1 GiB or 2 MiB. The guest owns these tables, so each entry is read
 * through guest_ptr like any other guest pointer. */
bool guest_translate(const struct guest_mem *mem, uint64_t cr3, uint64_t va,
                     uint64_t *gpa, uint64_t *room)
{
	uint64_t table = cr3 & PTE_ADDR_MASK;
	unsigned shift = 39;

	if ((uint64_t)((int64_t)(va << 16) >> 16) != va)
		return false; /* not canonical */
	for (unsigned level = PAGING_LEVELS; level > 0; level--, shift -= 9) {
		const uint64_t *e = guest_ptr(mem, table + 8 * ((va >> shift) & 511),
		                              8, 8);
		if (!e || !(*e & PTE_PRESENT))
			return false;
		uint64_t page = 1ull << shift;
		if (level == 1 || ((*e & PTE_LARGE) && level <= 3)) {
			uint64_t offset = va & (page - 1);
			*gpa = (*e & PTE_ADDR_MASK & ~(page - 1)) + offset;
			*room = page - offset;
			return true;
		}
		table = *e & PTE_ADDR_MASK;
	}
	return false;
}

long guest_read_virt(const struct guest_mem *mem, uint64_t cr3, uint64_t va,
                     void *buf, size_t len)
{
	size_t done = 0;
	uint64_t gpa, room;
	const void *p;

	while (done < len &&
	       guest_translate(mem, cr3, va + done, &gpa, &room)) {
		size_t n = room < len - done ? (size_t)room : len - done;
		if (!(p = guest_ptr(mem, gpa, n, 1)))
			break;
		memcpy((char *)buf + done, p, n);
		done += n;
	}
	return done > 0 ? (long)done : -UL_EFAULT;
}
