/* kvm guest: what the guest-side files share. */
#ifndef UL_KVM_GUEST_H
#define UL_KVM_GUEST_H

#include <stdbool.h>
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
/* Carve every net device's rings out of the heap's start (moving
 * *heap_start, page-aligned) and register them; 0 or a negative UL_E*. */
int ul_kvm_net_init(uint64_t *heap_start, uint64_t heap_end);
/* Net devices with received frames waiting in their rx rings. */
uint32_t ul_kvm_net_ready(void);
/* Does any tx ring hold frames the monitor has not sent? */
bool ul_kvm_net_tx_pending(void);
/* Notify: the monitor sends what the tx rings hold and fills the rx rings
 * (one exit). Returns the devices that got frames. */
uint32_t ul_kvm_net_flush(void);
void ul_kvm_idt_init(void);
/* Hand the console buffer to the monitor now. */
void ul_kvm_console_flush(void);
/* The "app main" boot phase (trace.c), the core's last step before the
 * app. */
void ul_kvm_trace_main(void);

#endif
