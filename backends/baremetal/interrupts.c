/* baremetal: interrupt controllers. The legacy 8259 PICs are moved off the
 * exception vectors and masked; the local APIC takes interrupts (its timer,
 * MSI-X messages from devices) and the IOAPICs carry the ISA lines (the
 * UART). Register layouts: Intel SDM vol. 3 ch. 11 (local APIC, xAPIC by
 * MMIO or x2APIC by MSR), the 82093AA IOAPIC datasheet, and the ACPI MADT
 * (ACPI 5.2.12) for where the IOAPICs are and how ISA lines map to them. */
#include <unilab/string.h>

#include "bm.h"
#include "x86_64/cpu.h"
#include "x86_64/io.h"

#define PIC1 0x20
#define PIC2 0xa0
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01

#define APIC_BASE_X2APIC (1ull << 10)
#define X2APIC_MSR(reg) (0x800 + ((reg) >> 4))
#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define DIVIDE_BY_1 0xb

#define IOAPIC_DEFAULT_BASE 0xfec00000
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIR(n) (0x10 + 2 * (n))
#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)

#define MAX_IOAPICS 8
#define ISA_IRQS 16
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_FIRST_ENTRY 44 /* after the header, LAPIC address and flags */

struct ioapic {
	uintptr_t base;
	uint32_t gsi_base, pins;
};

/* What ISA line irq is on the IOAPICs (ACPI's "interrupt source
 * override"; ISA lines are edge-triggered and active high unless a
 * firmware override says otherwise). */
struct isa_line {
	uint32_t gsi;
	uint32_t flags; /* REDIR_ACTIVE_LOW, REDIR_LEVEL */
};

static uintptr_t lapic;
static bool x2apic;
static struct ioapic ioapics[MAX_IOAPICS];
static unsigned ioapic_count;
static struct isa_line isa[ISA_IRQS];

static uint32_t lapic_read(unsigned reg)
{
	if (x2apic)
		return (uint32_t)x86_rdmsr(X2APIC_MSR(reg));
	return x86_mmio_read32(lapic + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
	if (x2apic)
		x86_wrmsr(X2APIC_MSR(reg), v);
	else
		x86_mmio_write32(lapic + reg, v);
}

void ul_bm_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t ul_bm_lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);
	return x2apic ? id : id >> 24;
}

void ul_bm_lapic_timer_start(uint32_t count)
{
	lapic_write(LAPIC_TIMER_INITIAL, count);
}

uint32_t ul_bm_lapic_timer_count(void)
{
	return lapic_read(LAPIC_TIMER_CURRENT);
}

/* Remap both PICs to BM_VEC_PIC.. (ICW2) and mask every line: even a
 * masked PIC can raise a spurious IRQ 7 or 15, which must not land on an
 * exception vector. */
static void pic_disable(void)
{
	x86_outb(PIC1, ICW1_INIT_ICW4);
	x86_outb(PIC2, ICW1_INIT_ICW4);
	x86_outb(PIC1 + 1, BM_VEC_PIC);
	x86_outb(PIC2 + 1, BM_VEC_PIC + 8);
	x86_outb(PIC1 + 1, 1 << 2); /* the slave is on line 2 */
	x86_outb(PIC2 + 1, 2);
	x86_outb(PIC1 + 1, ICW4_8086);
	x86_outb(PIC2 + 1, ICW4_8086);
	x86_outb(PIC1 + 1, 0xff);
	x86_outb(PIC2 + 1, 0xff);
}

static void lapic_init(void)
{
	uint64_t base = x86_rdmsr(X86_MSR_APIC_BASE);

	if (!(base & X86_APIC_BASE_ENABLE)) {
		base |= X86_APIC_BASE_ENABLE;
		x86_wrmsr(X86_MSR_APIC_BASE, base);
	}
	x2apic = base & APIC_BASE_X2APIC;
	lapic = (uintptr_t)(base & X86_PTE_ADDR);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED); /* the PIC's ExtINT */
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	lapic_write(LAPIC_LVT_TIMER, BM_VEC_TIMER); /* one-shot */
	lapic_write(LAPIC_SVR, SVR_ENABLE | BM_VEC_SPURIOUS);
}

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	x86_mmio_write32(io->base + IOAPIC_REGSEL, reg);
	return x86_mmio_read32(io->base + IOAPIC_WIN);
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	x86_mmio_write32(io->base + IOAPIC_REGSEL, reg);
	x86_mmio_write32(io->base + IOAPIC_WIN, v);
}

static void add_ioapic(uint64_t base, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[ioapic_count];

	if (ioapic_count == MAX_IOAPICS || base >= (4ull << 30))
		return;
	io->base = (uintptr_t)base;
	io->gsi_base = gsi_base;
	io->pins = ((ioapic_read(io, IOAPIC_VERSION) >> 16) & 0xff) + 1;
	for (uint32_t pin = 0; pin < io->pins; pin++)
		ioapic_write(io, IOAPIC_REDIR(pin), REDIR_MASKED);
	ioapic_count++;
}

/* MADT polarity and trigger fields (2 bits each): 3 means low / level. */
static uint32_t override_flags(uint16_t mps_flags)
{
	return ((mps_flags & 3) == 3 ? REDIR_ACTIVE_LOW : 0) |
	       (((mps_flags >> 2) & 3) == 3 ? REDIR_LEVEL : 0);
}

static void read_madt(void)
{
	const uint8_t *madt = ul_bm_acpi_table("APIC");
	uint32_t len;

	for (unsigned irq = 0; irq < ISA_IRQS; irq++)
		isa[irq] = (struct isa_line){irq, 0};
	if (!madt) {
		add_ioapic(IOAPIC_DEFAULT_BASE, 0);
		return;
	}
	ul_memcpy(&len, madt + 4, 4);
	for (uint32_t off = MADT_FIRST_ENTRY; off + 2 <= len && madt[off + 1] >= 2;
	     off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		uint32_t a, gsi;
		uint16_t flags;
		if (e[0] == MADT_IOAPIC) {
			ul_memcpy(&a, e + 4, 4);
			ul_memcpy(&gsi, e + 8, 4);
			add_ioapic(a, gsi);
		} else if (e[0] == MADT_OVERRIDE && e[3] < ISA_IRQS) {
			ul_memcpy(&gsi, e + 4, 4);
			ul_memcpy(&flags, e + 8, 2);
			isa[e[3]] = (struct isa_line){gsi, override_flags(flags)};
		}
	}
}

bool ul_bm_ioapic_route(unsigned irq, unsigned vector)
{
	struct isa_line gsi = {irq, 0};
	const struct isa_line *l = irq < ISA_IRQS ? &isa[irq] : &gsi;

	for (unsigned i = 0; i < ioapic_count; i++) {
		const struct ioapic *io = &ioapics[i];
		if (l->gsi < io->gsi_base || l->gsi - io->gsi_base >= io->pins)
			continue;
		uint32_t pin = l->gsi - io->gsi_base;
		ioapic_write(io, IOAPIC_REDIR(pin) + 1, ul_bm_lapic_id() << 24);
		ioapic_write(io, IOAPIC_REDIR(pin), vector | l->flags);
		return true;
	}
	return false;
}

void ul_bm_interrupts_init(void)
{
	pic_disable();
	lapic_init();
	read_madt();
}
