/* baremetal: time. The monotonic clock is the TSC, scaled to ns; the local
 * APIC timer, in one-shot mode, ends poll's sleeps. Neither rate is known
 * at boot. The TSC's is stated by CPUID on some machines, else measured
 * over a short window of the HPET (its period is in its capabilities
 * register) or else the PIT (1.193182 MHz); the APIC timer's is then
 * measured against the TSC. The wall clock is the CMOS RTC at boot plus
 * the monotonic clock. */
#include <unilab/string.h>

#include "bm.h"
#include "platform.h"
#include "x86_64/io.h"

#define NS_PER_S 1000000000ull
#define TSC_WINDOW_US 2000 /* of calibration; the boot pays for them */
#define APIC_WINDOW_US 1000
#define SAMPLES 4

#define PIT_HZ 1193182ull
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_CH2_MODE0 0xb0 /* channel 2, low then high byte, mode 0 */
#define PIT_CH2_LATCH 0x80 /* channel 2, latch the count */
#define PORT_B 0x61        /* channel 2's gate (bit 0), speaker (bit 1) */
#define PORT_B_GATE 0x01
#define PORT_B_SPEAKER 0x02

#define HPET_TABLE_ADDRESS 44 /* the base address in the ACPI HPET table */
#define HPET_CAPS 0x00        /* bits 63..32: the tick in femtoseconds */
#define HPET_CONFIG 0x10
#define HPET_ENABLE 0x01
#define HPET_COUNTER 0xf0
#define HPET_MAX_PERIOD_FS 100000000u
#define FS_PER_S 1000000000000000ull

#define CPUID_HYPERVISOR (1u << 31) /* leaf 1, ecx */
#define CPUID_TIMING_LEAF 0x40000010 /* VMware's, also KVM's: kHz */

static uint64_t tsc_at_boot;
static uint64_t ns_per_tick_32;    /* 10^9 / TSC Hz, times 2^32 */
static uint64_t apic_ticks_per_ns_32; /* APIC timer Hz / 10^9, times 2^32 */
static uint64_t last;
static uint64_t wall_at_boot;
static char description[128];

/* A reference clock: a counter that goes up (modulo mask + 1) at hz. */
struct reference {
	uint64_t (*read)(void);
	uint64_t hz, mask;
	const char *name;
};

/* One reading of a counter, and the TSC halfway through the read. */
struct sample {
	uint64_t value, tsc, spread;
};

static uintptr_t hpet;

static uint64_t scale(uint64_t v, uint64_t factor_32)
{
	return (uint64_t)(((unsigned __int128)v * factor_32) >> 32);
}

static uint64_t read_tsc(void)
{
	return x86_rdtsc();
}

static uint64_t read_hpet(void)
{
	return x86_mmio_read32(hpet + HPET_COUNTER);
}

/* Channel 2 counts down from 0xffff in mode 0 (and wraps on); latching
 * freezes the count for the two reads. */
static uint64_t read_pit(void)
{
	x86_outb(PIT_CMD, PIT_CH2_LATCH);
	uint8_t lo = x86_inb(PIT_CH2);
	uint8_t hi = x86_inb(PIT_CH2);
	return 0xffff - (uint64_t)(hi << 8 | lo);
}

/* The APIC timer counts down from UINT32_MAX while it is measured. */
static uint64_t read_apic(void)
{
	return UINT32_MAX - ul_bm_lapic_timer_count();
}

static void start_pit(void)
{
	x86_outb(PORT_B, (x86_inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE);
	x86_outb(PIT_CMD, PIT_CH2_MODE0);
	x86_outb(PIT_CH2, 0xff);
	x86_outb(PIT_CH2, 0xff);
}

/* The TSC's rate when CPUID states it: leaf 0x15 (TSC = crystal * ebx /
 * eax), or the hypervisor timing leaf. 0 when neither does. */
static uint64_t cpuid_tsc_hz(void)
{
	if (x86_cpuid(0, 0).eax >= 0x15) {
		struct x86_cpuid r = x86_cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx)
			return (uint64_t)r.ecx * r.ebx / r.eax;
	}
	if ((x86_cpuid(1, 0).ecx & CPUID_HYPERVISOR) &&
	    x86_cpuid(0x40000000, 0).eax >= CPUID_TIMING_LEAF)
		return (uint64_t)x86_cpuid(CPUID_TIMING_LEAF, 0).eax * 1000;
	return 0;
}

static struct reference choose_reference(void)
{
	const uint8_t *table = ul_bm_acpi_table("HPET");
	uint64_t tsc_hz = cpuid_tsc_hz(), base = 0;

	if (tsc_hz)
		return (struct reference){read_tsc, tsc_hz, UINT64_MAX, "CPUID"};
	if (table)
		ul_memcpy(&base, table + HPET_TABLE_ADDRESS, 8);
	uint32_t period_fs = base && base < (4ull << 30)
	                             ? x86_mmio_read32((uintptr_t)base + HPET_CAPS + 4)
	                             : 0;
	/* The HPET spec allows periods up to 100 ns; 0 is no HPET at all. */
	if (period_fs > 0 && period_fs <= HPET_MAX_PERIOD_FS) {
		hpet = (uintptr_t)base;
		x86_mmio_write32(hpet + HPET_CONFIG,
		                 x86_mmio_read32(hpet + HPET_CONFIG) | HPET_ENABLE);
		return (struct reference){read_hpet, FS_PER_S / period_fs,
		                          UINT32_MAX, "the HPET"};
	}
	start_pit();
	return (struct reference){read_pit, PIT_HZ, 0xffff, "the PIT"};
}

/* The best of a few readings: the one that the TSC brackets most tightly.
 * Reading a device costs time (a VM exit, under a hypervisor), and the
 * host may preempt a virtual CPU at any moment; a loose bracket makes an
 * imprecise reading. */
static struct sample best_sample(uint64_t (*read)(void))
{
	struct sample best = {.spread = UINT64_MAX};

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t before = x86_rdtsc();
		uint64_t v = read();
		uint64_t after = x86_rdtsc();
		if (after - before < best.spread)
			best = (struct sample){v, before + (after - before) / 2,
			                       after - before};
	}
	return best;
}

/* The TSC's rate, from the reference over TSC_WINDOW_US. A reference that
 * does not count (no PIT on this machine) is given ten seconds of a 1 GHz
 * TSC. */
static uint64_t measure_tsc(const struct reference *ref)
{
	uint64_t want = ref->hz * TSC_WINDOW_US / 1000000;
	struct sample a, b;

	if (ref->read == read_tsc)
		return ref->hz; /* CPUID said */
	a = best_sample(ref->read);
	while (((ref->read() - a.value) & ref->mask) < want)
		if (x86_rdtsc() - a.tsc > 10 * NS_PER_S)
			ul_bm_fail("no timer to calibrate the TSC with: no HPET in the "
			           "ACPI tables, and the PIT does not count (QEMU: "
			           "-M microvm,pit=on)");
	b = best_sample(ref->read);
	return (b.tsc - a.tsc) * ref->hz / ((b.value - a.value) & ref->mask);
}

/* The APIC timer's rate, from the TSC over APIC_WINDOW_US. */
static uint64_t measure_apic(uint64_t tsc_hz)
{
	uint64_t window = tsc_hz / 1000000 * APIC_WINDOW_US;
	struct sample a, b;

	ul_bm_lapic_timer_start(UINT32_MAX);
	a = best_sample(read_apic);
	while (x86_rdtsc() - a.tsc < window)
		;
	b = best_sample(read_apic);
	ul_bm_lapic_timer_start(0);
	return (b.value - a.value) * tsc_hz / (b.tsc - a.tsc);
}

void ul_bm_clock_init(void)
{
	struct reference ref = choose_reference();
	uint64_t tsc_hz = measure_tsc(&ref);
	uint64_t apic_hz = tsc_hz < 1000000 ? 0 : measure_apic(tsc_hz);

	if (apic_hz < 1000)
		ul_bm_fail("clock calibration failed: TSC %llu Hz, APIC timer %llu Hz",
		           (unsigned long long)tsc_hz, (unsigned long long)apic_hz);
	tsc_at_boot = x86_rdtsc();
	ns_per_tick_32 = (NS_PER_S << 32) / tsc_hz;
	apic_ticks_per_ns_32 = (apic_hz << 32) / NS_PER_S;
	wall_at_boot = ul_bm_rtc_read() - ul_plat_clock_monotonic();
	ul_snprintf(description, sizeof(description),
	            "TSC %llu kHz (from %s), APIC timer %llu kHz",
	            (unsigned long long)(tsc_hz / 1000), ref.name,
	            (unsigned long long)(apic_hz / 1000));
}

void ul_bm_delay(uint64_t ns)
{
	uint64_t start = x86_rdtsc();
	uint64_t ticks = ns_per_tick_32 ? (ns << 32) / ns_per_tick_32 : ns * 10;

	while (x86_rdtsc() - start < ticks)
		__asm__ volatile("pause");
}

const char *ul_bm_clock_describe(void)
{
	return description;
}

uint64_t ul_plat_clock_monotonic(void)
{
	uint64_t ns = scale(x86_rdtsc() - tsc_at_boot, ns_per_tick_32);

	/* A TSC that steps back must not make our clock do so. */
	if (ns < last)
		return last;
	last = ns;
	return ns;
}

uint64_t ul_plat_clock_wall(void)
{
	return wall_at_boot + ul_plat_clock_monotonic();
}

void ul_bm_timer_arm(uint64_t deadline)
{
	uint64_t now = ul_plat_clock_monotonic();
	uint64_t ticks;

	if (deadline == UINT64_MAX) {
		ul_bm_lapic_timer_start(0);
		return;
	}
	/* Ten seconds at most: a far deadline is reached by re-arming. */
	if (deadline > now && deadline - now > 10 * NS_PER_S)
		deadline = now + 10 * NS_PER_S;
	ticks = deadline > now ? scale(deadline - now, apic_ticks_per_ns_32) : 1;
	ul_bm_lapic_timer_start(ticks == 0 ? 1
	                        : ticks > UINT32_MAX ? UINT32_MAX
	                                          : (uint32_t)ticks);
}
