/* xen guest: the first C code. Maps the shared-info page, brings up the
 * console, the trap table, the clock, events and memory in the order each
 * needs the others, and hands the machine to the core.
 *
 * The command line is start_info's: Xen gives the initial domain the text
 * of its multiboot module after the file name. Its first word is the app's
 * name (argv[0], which an image cannot know otherwise); the rest is the
 * core's command line. */
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/panic.h>
#include <unilab/string.h>

#include "guest.h"
#include "hypercall.h"
#include "platform.h"

const struct xen_start_info *ul_xen_start_info;
struct xen_shared_info *ul_xen_shared;

_Noreturn void ul_xen_start(const struct xen_start_info *si,
                            uintptr_t boot_stack_top);

static char shared_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));

/* The page-table entry bits for a guest data page: present, writable.
 * Xen adds the user bit itself (a PV kernel runs in ring 3). */
#define PTE_DATA 0x3ull

void ul_xen_map_machine_page(void *page, uint64_t mfn)
{
	long rc = xen_update_va_mapping((uintptr_t)page,
	                                (mfn << XEN_PAGE_SHIFT) | PTE_DATA);
	/* Nothing can be printed yet if this fails for the shared-info
	 * page; crash the domain and leave the reason to Xen's log. */
	if (rc < 0) {
		struct xen_sched_shutdown s = {.reason = XEN_SHUTDOWN_CRASH};
		xen_sched_op(XEN_SCHEDOP_SHUTDOWN, &s);
	}
}

_Noreturn void ul_xen_fatal(const char *msg)
{
	ul_printf("xen: %s\n", msg);
	ul_plat_exit(UL_EXIT_PANIC);
}

/* Split "APP rest" into the app's name (copied into name) and the rest. */
static const char *split_app_name(const char *line, char *name, size_t cap)
{
	size_t n = 0;

	while (ul_isspace((unsigned char)*line))
		line++;
	while (*line && !ul_isspace((unsigned char)*line)) {
		if (n < cap - 1)
			name[n++] = *line;
		line++;
	}
	name[n] = '\0';
	return line;
}

_Noreturn void ul_xen_start(const struct xen_start_info *si,
                            uintptr_t boot_stack_top)
{
	static char app[64];
	static char cmdline[XEN_CMDLINE_MAX];
	static struct ul_boot_info info;
	const char *rest;

	ul_xen_start_info = si;
	ul_xen_map_machine_page(shared_page, si->shared_info >> XEN_PAGE_SHIFT);
	ul_xen_shared = (struct xen_shared_info *)shared_page;
	ul_xen_console_init();
	ul_xen_traps_init();
	ul_xen_events_init();
	ul_xen_clock_init();
	ul_xen_memory_init(boot_stack_top, &info.heap_base, &info.heap_size);

	/* Copied out of start_info, whose page the core never sees; Xen
	 * need not NUL-terminate a line that fills the field. */
	ul_memcpy(cmdline, si->cmd_line,
	          ul_strnlen(si->cmd_line, sizeof(cmdline) - 1));
	rest = split_app_name(cmdline, app, sizeof(app));
	info.backend = "xen";
	info.app = app[0] ? app : "app";
	info.cmdline = rest;
	/* Devices come from the toolstack, through XenStore: an initial
	 * domain has neither. */
	info.net_count = 0;
	info.block_count = 0;
	if (!(si->flags & XEN_SIF_INITDOMAIN)) {
		ul_xen_store_init();
		ul_xen_grant_init();
		info.net_count = ul_xen_netfront_init();
		info.block_count = ul_xen_blkfront_init();
	}
	ul_boot(&info);
}
