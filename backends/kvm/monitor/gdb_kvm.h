/* unilab-kvm: what the gdb stub's files share: the session (gdb.c) and
 * the hardware breakpoints and watchpoints (gdb_points.c). */
#ifndef UL_KVM_GDB_KVM_H
#define UL_KVM_GDB_KVM_H

#include "monitor.h"
#include "stub.h"

/* gdb.c: the guest's memory at a virtual address, as gdb sees it. */
long gdb_read_virt(struct vm *vm, uint64_t addr, void *buf, size_t len);

/* gdb_points.c: Z1..Z4. */
void points_init(void);
int points_set(struct vm *vm, struct ul_gdb *g, bool insert,
               enum ul_gdb_point kind, uint64_t addr, uint64_t len);
/* Watchpoints are emulated by single-stepping: the guest must run with
 * TF set. */
bool points_stepping(void);
/* After a #DB with status dr6: whether a point hit; if so, which, in why. */
bool points_hit(struct vm *vm, uint64_t dr6, struct ul_gdb_stop *why);
/* Give the debug registers to the vCPU before it runs again. */
void points_load(struct vm *vm);
void points_clear(struct vm *vm);

#endif
