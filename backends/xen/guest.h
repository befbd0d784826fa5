/* xen guest: what the backend's files share. */
#ifndef UL_XEN_GUEST_H
#define UL_XEN_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"

/* Set by start.c before anything else runs; valid for the image's life. */
extern const struct xen_start_info *ul_xen_start_info;
extern struct xen_shared_info *ul_xen_shared;

/* Map the machine frame mfn, writable, at page, a page-aligned
 * placeholder in the image's .bss whose own frame is given up. */
void ul_xen_map_machine_page(void *page, uint64_t mfn);

/* Give the core the frames above the bootstrap region: map them after the
 * image's own, starting at the first page above boot_stack_top (the
 * bootstrap stack is the last thing Xen put in that region). */
void ul_xen_memory_init(uintptr_t boot_stack_top, void **heap_base,
                        size_t *heap_size);

void ul_xen_console_init(void);
/* Hand buffered console bytes to Xen now. */
void ul_xen_console_flush(void);
/* The fixed, parseable line that tells the host the exit status:
 * "exit status N". On dom0 it is a record of its own (see console.c).
 * Buffered bytes are not flushed first. */
void ul_xen_console_status(int status);

void ul_xen_clock_init(void);
/* Xen system time (ns since Xen booted) of monotonic time ns. */
uint64_t ul_xen_clock_to_system(uint64_t ns);

void ul_xen_traps_init(void);

void ul_xen_events_init(void);
/* Let port raise events (clear its mask bit). */
void ul_xen_events_unmask(uint32_t port);
/* Forget every pending event: after this, SCHEDOP_block sleeps until a
 * new one arrives. */
void ul_xen_events_clear(void);
/* Sleep until an event arrives after the last ul_xen_events_clear(). */
void ul_xen_events_block(void);

/* Print the status line and shut the domain down: poweroff for status 0,
 * crash otherwise. Buffered console bytes are not flushed. */
_Noreturn void ul_xen_shutdown(int status);

/* Set-up failed: say why and end with UL_EXIT_PANIC. */
_Noreturn void ul_xen_fatal(const char *msg);

#endif
