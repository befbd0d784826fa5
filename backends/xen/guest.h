/* xen guest: what the backend's files share. */
#ifndef UL_XEN_GUEST_H
#define UL_XEN_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "pvio.h"

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

/* The same, but wake at the deadline (monotonic ns; UINT64_MAX: none)
 * at the latest. */
void ul_xen_events_block_until(uint64_t deadline);

/* The machine frame of the page at va, in the image or the heap. */
uint64_t ul_xen_mfn_of(const void *va);

/* XenStore (xenstore.c), not for dom0. Read path's value into buf as a
 * string: its length, -UL_ENOENT when the key is absent, -UL_ERANGE
 * when it does not fit, -UL_ETIMEDOUT when xenstored does not answer,
 * -UL_EIO for another error. Write: 0 or the same errors. */
void ul_xen_store_init(void);
int ul_xen_store_read(const char *path, char *buf, size_t cap);
int ul_xen_store_write(const char *path, const char *value);
/* The number in path, or a negative error as above (-UL_EINVAL: not a
 * number). */
long ul_xen_store_read_number(const char *path);

/* Grant tables (grant.c): let domain domid copy or map the page at va;
 * returns the grant reference. The grants last for the image's life. */
void ul_xen_grant_init(void);
uint32_t ul_xen_grant(uint16_t domid, const void *va, int readonly);

/* A new event channel that domain remote may bind to, unmasked. */
uint32_t ul_xen_event_channel_alloc(uint16_t remote);
/* Notify the other end of port. */
void ul_xen_event_channel_notify(uint32_t port);

/* The xenbus handshake (xenbus.c). Each says what went wrong. Read the
 * back end's path and domain of the device at front ("device/vif/0"). */
int ul_xen_bus_backend(const char *front, char *back, size_t cap,
                       uint16_t *domid);
/* Write the number value to dir/key. */
int ul_xen_bus_write(const char *dir, const char *key, unsigned long value);
/* Wait for the back end at back to reach state want (XEN_BUS_*): 0, or
 * -UL_ETIMEDOUT when it stalls in another, or the read's error. */
int ul_xen_bus_wait(const char *back, long want);

/* blkfront (blkfront.c): find and connect our disks; how many there are. */
unsigned ul_xen_blkfront_init(void);

/* netfront (netfront.c): find and connect our vifs; how many there are. */
unsigned ul_xen_netfront_init(void);
/* The ready set of the vifs: UL_READY_NET(i) for each with a frame. */
uint32_t ul_xen_netfront_ready(void);

/* Print the status line and shut the domain down: poweroff for status 0,
 * crash otherwise. Buffered console bytes are not flushed. */
_Noreturn void ul_xen_shutdown(int status);

/* Set-up failed: say why and end with UL_EXIT_PANIC. */
_Noreturn void ul_xen_fatal(const char *msg);

#endif
