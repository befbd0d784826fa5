/* kvm guest: what the guest-side files share. */
#ifndef UL_KVM_GUEST_H
#define UL_KVM_GUEST_H

#include <stdint.h>

#include "abi.h"

/* The boot info the monitor wrote; valid for the life of the guest. */
extern const struct ul_kvm_boot_info *ul_kvm_boot_info;

/* Make a hypercall: one 32-bit port write of the argument struct's
 * address. The monitor has done the call when the instruction completes;
 * "memory" because it reads and writes *arg. */
static inline void ul_kvm_hypercall(enum ul_kvm_hypercall nr, void *arg)
{
	__asm__ volatile("outl %0, %w1"
	                 :
	                 : "a"((uint32_t)(uintptr_t)arg),
	                   "Nd"((uint16_t)UL_KVM_HC_PORT(nr))
	                 : "memory");
}

void ul_kvm_clock_init(void);
void ul_kvm_idt_init(void);
/* Hand the console buffer to the monitor now. */
void ul_kvm_console_flush(void);

#endif
