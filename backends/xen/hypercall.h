/* xen guest: the hypercalls the backend makes, one small wrapper each, all
 * through the hypercall page Xen filled in at ul_xen_hypercall_page. Each
 * returns Xen's result: 0 (or a count) on success, a negative Xen errno
 * on failure. */
#ifndef UL_XEN_HYPERCALL_H
#define UL_XEN_HYPERCALL_H

#include <stdint.h>

#include "abi.h"
#include "pvio.h"

extern char ul_xen_hypercall_page[XEN_PAGE_SIZE];

/* The one way in: call the stub for nr with up to five arguments. Every
 * argument register is an in/out operand because Xen may clobber them;
 * "memory" because Xen reads and writes the structs they point to. */
static inline long xen_hypercall(unsigned nr, uint64_t a1, uint64_t a2,
                                 uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("call *%%rax"
	                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
	                   "+r"(r8)
	                 : "0"(ul_xen_hypercall_page +
	                       nr * XEN_HYPERCALL_STUB_SIZE)
	                 : "rcx", "r11", "memory");
	return ret;
}

/* Install the exception handlers: a table ended by an entry with address
 * 0. Xen copies it; the table need not outlive the call. */
static inline long xen_set_trap_table(const struct xen_trap_info *table)
{
	return xen_hypercall(XEN_HC_SET_TRAP_TABLE, (uintptr_t)table, 0, 0, 0, 0);
}

/* Apply count page-table updates in order, to our own page tables. */
static inline long xen_mmu_update(const struct xen_mmu_update *req,
                                  unsigned count)
{
	return xen_hypercall(XEN_HC_MMU_UPDATE, (uintptr_t)req, count, 0,
	                     XEN_DOMID_SELF, 0);
}

/* Where Xen enters the guest for events, for a failed return to the guest
 * (bad segment state), and for SYSCALL from guest user mode (unused: 0). */
static inline long xen_set_callbacks(void (*event)(void),
                                     void (*failsafe)(void))
{
	return xen_hypercall(XEN_HC_SET_CALLBACKS, (uintptr_t)event,
	                     (uintptr_t)failsafe, 0, 0, 0);
}

/* Replace the page-table entry that maps va (which must already have an L1
 * table) with pte, and flush that one TLB entry. */
static inline long xen_update_va_mapping(uintptr_t va, uint64_t pte)
{
	return xen_hypercall(XEN_HC_UPDATE_VA_MAPPING, va, pte, XEN_UVMF_INVLPG,
	                     0, 0);
}

/* dom0 only: write len bytes to Xen's console (its serial line). */
static inline long xen_console_io_write(const char *buf, unsigned len)
{
	return xen_hypercall(XEN_HC_CONSOLE_IO, XEN_CONSOLEIO_WRITE, len,
	                     (uintptr_t)buf, 0, 0);
}

/* vcpu_op for vCPU 0, the only one we run. */
static inline long xen_vcpu_op(unsigned cmd, void *arg)
{
	return xen_hypercall(XEN_HC_VCPU_OP, cmd, 0, (uintptr_t)arg, 0, 0);
}

/* sched_op: block (see XEN_SCHEDOP_BLOCK) or shut down. */
static inline long xen_sched_op(unsigned cmd, void *arg)
{
	return xen_hypercall(XEN_HC_SCHED_OP, cmd, (uintptr_t)arg, 0, 0, 0);
}

/* event_channel_op: bind a VIRQ to a new port, or notify a port's peer. */
static inline long xen_event_channel_op(unsigned cmd, void *arg)
{
	return xen_hypercall(XEN_HC_EVENT_CHANNEL_OP, cmd, (uintptr_t)arg, 0, 0,
	                     0);
}

/* grant_table_op: set up our grant table (see pvio.h). */
static inline long xen_grant_table_op(unsigned cmd, void *arg, unsigned count)
{
	return xen_hypercall(XEN_HC_GRANT_TABLE_OP, cmd, (uintptr_t)arg, count,
	                     0, 0);
}

#endif
