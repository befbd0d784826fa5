/* unilab-kvm: guest memory, and the one check every guest address goes
 * through before the monitor touches it. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

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
