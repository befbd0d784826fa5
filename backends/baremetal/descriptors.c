/* baremetal: the GDT, the TSS and the IDT. The GDT keeps boot.S's two
 * selectors and adds the TSS, whose IST1 stack takes every CPU exception,
 * so that even a fault on a broken stack is reported. Vectors 32..255 go to
 * ul_bm_irq(), which calls the handler a driver registered. */
#include "bm.h"
#include "x86_64/cpu.h"
#include "x86_64/exception.h"

#define SEL_CODE64 0x08 /* as in boot.S */
#define SEL_DATA 0x10
#define SEL_TSS 0x18
#define IST_EXCEPTIONS 1
#define IRQ_STUB_SIZE 16
#define EXCEPTION_STACK_SIZE 8192

extern const char ul_bm_irq_stubs[];
void ul_bm_irq(uint64_t vector, uint64_t *cpu_frame);

static uint64_t gdt[5];
static struct x86_tss64 tss;
static struct x86_idt_gate idt[256];
static uint8_t exception_stack[EXCEPTION_STACK_SIZE] __attribute__((aligned(16)));
static void (*handlers[256])(void);
static uint64_t *interrupted; /* the CPU's frame of the interrupt taken */

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct x86_idt_gate gate(uintptr_t addr, uint8_t ist)
{
	return x86_gate(addr, SEL_CODE64, ist, X86_GATE_INTR);
}

static void load_gdt(void)
{
	struct table_ptr p = {sizeof(gdt) - 1, (uintptr_t)gdt};

	gdt[1] = x86_seg_desc(X86_SEG_KERNEL_CODE, X86_SEG_FLAGS_CODE64, 0, 0xfffff);
	gdt[2] = x86_seg_desc(X86_SEG_KERNEL_DATA, X86_SEG_FLAGS_DATA, 0, 0xfffff);
	tss.ist[IST_EXCEPTIONS - 1] =
		(uintptr_t)exception_stack + EXCEPTION_STACK_SIZE;
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: CPL 0 needs none */
	x86_tss_desc(&gdt[3], (uintptr_t)&tss, sizeof(tss) - 1);
	/* A far return reloads CS from the new table. */
	__asm__ volatile("lgdt %0\n\t"
	                 "pushq %1\n\t"
	                 "leaq 1f(%%rip), %%rax\n\t"
	                 "pushq %%rax\n\t"
	                 "lretq\n"
	                 "1:\n\t"
	                 "movw %2, %%ax\n\t"
	                 "movw %%ax, %%ds\n\t"
	                 "movw %%ax, %%es\n\t"
	                 "movw %%ax, %%ss\n\t"
	                 "ltr %w3"
	                 :
	                 : "m"(p), "i"(SEL_CODE64), "i"(SEL_DATA), "r"(SEL_TSS)
	                 : "rax", "memory");
}

static void load_idt(void)
{
	struct table_ptr p = {sizeof(idt) - 1, (uintptr_t)idt};

	for (unsigned v = 0; v < X86_EXC_COUNT; v++)
		idt[v] = gate((uintptr_t)ul_x86_exception_stubs +
		                      X86_EXCEPTION_STUB_SIZE * v,
		              IST_EXCEPTIONS);
	for (unsigned v = X86_EXC_COUNT; v < 256; v++)
		idt[v] = gate((uintptr_t)ul_bm_irq_stubs +
		                      IRQ_STUB_SIZE * (v - X86_EXC_COUNT),
		              0);
	__asm__ volatile("lidt %0" : : "m"(p));
}

void ul_bm_descriptors_init(void)
{
	load_gdt();
	load_idt();
}

void ul_bm_set_irq_handler(unsigned v, void (*handler)(void))
{
	handlers[v] = handler;
}

uint64_t *ul_bm_irq_rflags(void)
{
	return &interrupted[2]; /* after rip and cs */
}

/* Every interrupt, with interrupts off. The legacy PIC is masked, so its
 * vectors see only its spurious interrupts, which want no EOI; neither
 * does the local APIC's own spurious vector. */
void ul_bm_irq(uint64_t vector, uint64_t *cpu_frame)
{
	interrupted = cpu_frame;
	if (vector == BM_VEC_SPURIOUS ||
	    (vector >= BM_VEC_PIC && vector < BM_VEC_FIRST_IRQ))
		return;
	if (handlers[vector])
		handlers[vector]();
	ul_bm_lapic_eoi();
}
