/* x86_64 instructions that C cannot express, for guest code at CPL 0: port
 * I/O, device registers in memory, MSRs, CPUID, the TSC and interrupts. */
#ifndef UL_X86_64_IO_H
#define UL_X86_64_IO_H

#include <stdint.h>

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %w1" : : "a"(v), "Nd"(port));
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %w1" : : "a"(v), "Nd"(port));
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

/* Device registers: one access of exactly the given width, never merged,
 * split or reordered with other device accesses ("memory" clobber). */
static inline uint8_t x86_mmio_read8(uintptr_t a)
{
	uint8_t v;
	__asm__ volatile("movb (%1), %0" : "=q"(v) : "r"(a) : "memory");
	return v;
}

static inline uint16_t x86_mmio_read16(uintptr_t a)
{
	uint16_t v;
	__asm__ volatile("movw (%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline uint32_t x86_mmio_read32(uintptr_t a)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static inline void x86_mmio_write8(uintptr_t a, uint8_t v)
{
	__asm__ volatile("movb %0, (%1)" : : "q"(v), "r"(a) : "memory");
}

static inline void x86_mmio_write16(uintptr_t a, uint16_t v)
{
	__asm__ volatile("movw %0, (%1)" : : "r"(v), "r"(a) : "memory");
}

static inline void x86_mmio_write32(uintptr_t a, uint32_t v)
{
	__asm__ volatile("movl %0, (%1)" : : "r"(v), "r"(a) : "memory");
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
	                 :
	                 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

struct x86_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct x86_cpuid x86_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct x86_cpuid r;
	__asm__ volatile("cpuid"
	                 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
	                 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t x86_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t x86_read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Flush the TLB of every non-global mapping (after a page-table change). */
static inline void x86_write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void x86_cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void x86_sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* Enable interrupts and halt as one step: STI delays delivery until after
 * the next instruction, so an interrupt that is already pending wakes the
 * HLT instead of slipping in between and being missed. */
static inline void x86_sti_hlt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

#endif
