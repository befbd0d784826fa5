/* xen guest: grant tables, version 1. Xen keeps the table in frames it
 * gives us with GNTTABOP_setup_table; we map them and fill entries to let
 * a back-end domain copy from or into our pages. The drivers grant their
 * rings and buffers once, at start, and never take a grant back: the
 * pages are theirs for the image's life, so a reference is never reused. */
#include "guest.h"
#include "hypercall.h"

#define GRANT_FRAMES 2
#define GRANT_ENTRIES (GRANT_FRAMES * XEN_PAGE_SIZE / sizeof(struct xen_grant_entry))

static char table[GRANT_FRAMES][XEN_PAGE_SIZE]
	__attribute__((aligned(XEN_PAGE_SIZE)));
static volatile struct xen_grant_entry *entries;
static uint32_t next_ref = XEN_GNTTAB_RESERVED;

void ul_xen_grant_init(void)
{
	uint64_t frames[GRANT_FRAMES];
	struct xen_gnttab_setup_table setup = {
		.dom = XEN_DOMID_SELF,
		.nr_frames = GRANT_FRAMES,
		.frame_list = (uintptr_t)frames,
	};

	if (xen_grant_table_op(XEN_GNTTABOP_SETUP_TABLE, &setup, 1) < 0 ||
	    setup.status != 0)
		ul_xen_fatal("cannot set up the grant table");
	for (unsigned i = 0; i < GRANT_FRAMES; i++)
		ul_xen_map_machine_page(table[i], frames[i]);
	entries = (volatile struct xen_grant_entry *)table;
}

uint32_t ul_xen_grant(uint16_t domid, const void *va, int readonly)
{
	if (next_ref == GRANT_ENTRIES)
		ul_xen_fatal("the grant table is full");
	uint32_t ref = next_ref++;
	entries[ref].frame = (uint32_t)ul_xen_mfn_of(va);
	entries[ref].domid = domid;
	/* The frame and domain must be in place before the flags make the
	 * entry live. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	entries[ref].flags = XEN_GTF_PERMIT_ACCESS | (readonly ? XEN_GTF_READONLY : 0);
	return ref;
}
