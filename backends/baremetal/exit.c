/* baremetal: the end. Under QEMU the isa-debug-exit device (the launcher
 * adds it at port 0xf4) ends QEMU with exit code (value << 1) | 1, so the
 * image writes status + 1 for statuses 0..126 and run-qemu.sh turns exit
 * code 2 * status + 3 back into the status; exit code 1 stays QEMU's own
 * "something failed". QEMU stops the machine a moment after the write, so
 * the image waits for that. Where there is no such device (a real PC, a
 * plain QEMU command line), or for statuses 127..255, which the device
 * cannot carry, the last line on the console says how the image ended,
 * and the machine powers off through ACPI (S5), or else resets, or else
 * halts. */
#include "bm.h"
#include "platform.h"
#include "x86_64/io.h"

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_MAX_STATUS 126
#define DEBUG_EXIT_WAIT_NS 1000000000ull
#define SETTLE_NS 100000000ull /* for a power-off or reset to take effect */
#define NET_FLUSH_NS 100000000ull /* for the last frames to leave */

/* FADT fields (ACPI 5.2.9) at their byte offsets. */
#define FADT_LENGTH 4
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_SLEEP_CONTROL 244
#define FADT_FLAG_RESET_REG (1u << 10)
#define FADT_FLAG_HW_REDUCED (1u << 20)
#define PM1_SCI_EN 0x0001
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN 0x2000
#define SLEEP_CONTROL_TYP_SHIFT 2
#define SLEEP_CONTROL_SLP_EN 0x20

#define KBC_STATUS 0x64
#define KBC_INPUT_FULL 0x02
#define KBC_RESET 0xfe
#define RESET_CONTROL 0xcf9
#define RESET_CONTROL_HARD 0x06

static uint32_t fadt32(const uint8_t *fadt, unsigned off)
{
	return (uint32_t)fadt[off] | (uint32_t)fadt[off + 1] << 8 |
	       (uint32_t)fadt[off + 2] << 16 | (uint32_t)fadt[off + 3] << 24;
}

/* isa-debug-exit reads as 0; an unused port, as on a real PC, as all
 * ones. */
static bool debug_exit_present(void)
{
	return x86_inb(DEBUG_EXIT_PORT) == 0;
}

/* Firmware that boots in legacy mode must be asked to hand the power
 * management registers to ACPI (SCI_EN) before they obey. */
static void acpi_enable(const uint8_t *fadt, uint16_t pm1a)
{
	uint32_t smi_cmd = fadt32(fadt, FADT_SMI_CMD);

	if ((x86_inw(pm1a) & PM1_SCI_EN) || !smi_cmd || !fadt[FADT_ACPI_ENABLE])
		return;
	x86_outb((uint16_t)smi_cmd, fadt[FADT_ACPI_ENABLE]);
	for (int i = 0; i < 100000 && !(x86_inw(pm1a) & PM1_SCI_EN); i++)
		;
}

static void acpi_power_off(const uint8_t *fadt)
{
	int type = ul_bm_acpi_s5_sleep_type();

	if (!fadt || type < 0)
		return;
	if (fadt32(fadt, FADT_FLAGS) & FADT_FLAG_HW_REDUCED) {
		if (fadt32(fadt, FADT_LENGTH) >= FADT_SLEEP_CONTROL + 12)
			ul_bm_acpi_gas_write(
				(const void *)(fadt + FADT_SLEEP_CONTROL),
				(uint32_t)type << SLEEP_CONTROL_TYP_SHIFT |
					SLEEP_CONTROL_SLP_EN);
	} else {
		uint16_t pm1a = (uint16_t)fadt32(fadt, FADT_PM1A_CNT);
		uint16_t pm1b = (uint16_t)fadt32(fadt, FADT_PM1B_CNT);
		uint16_t v = (uint16_t)(type << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
		acpi_enable(fadt, pm1a);
		x86_outw(pm1a, v);
		if (pm1b)
			x86_outw(pm1b, v);
	}
	ul_bm_delay(SETTLE_NS);
}

/* The ways a PC can be reset, most specific first; the last, a triple
 * fault (an exception with no IDT), works on every x86. */
static void reset(const uint8_t *fadt)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) no_idt;

	if (fadt && fadt32(fadt, FADT_LENGTH) > FADT_RESET_VALUE &&
	    (fadt32(fadt, FADT_FLAGS) & FADT_FLAG_RESET_REG)) {
		ul_bm_acpi_gas_write((const void *)(fadt + FADT_RESET_REG),
		                     fadt[FADT_RESET_VALUE]);
		ul_bm_delay(SETTLE_NS);
	}
	for (int i = 0; i < 100000 && (x86_inb(KBC_STATUS) & KBC_INPUT_FULL); i++)
		;
	x86_outb(KBC_STATUS, KBC_RESET);
	ul_bm_delay(SETTLE_NS);
	x86_outb(RESET_CONTROL, RESET_CONTROL_HARD);
	ul_bm_delay(SETTLE_NS);
	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
}

_Noreturn void ul_plat_exit(int status)
{
	const uint8_t *fadt = ul_bm_acpi_table("FACP");

	status &= 0xff;
	ul_bm_net_flush(ul_plat_clock_monotonic() + NET_FLUSH_NS);
	ul_bm_net_log_counters(ul_bm_verbose_level());
	x86_cli();
	ul_bm_gdb_exit(status);
	if (status <= DEBUG_EXIT_MAX_STATUS && debug_exit_present()) {
		x86_outb(DEBUG_EXIT_PORT, (uint8_t)(status + 1));
		ul_bm_delay(DEBUG_EXIT_WAIT_NS);
	}
	ul_printf("baremetal: exit status %d; powering off\n", status);
	ul_bm_serial_drain();
	acpi_power_off(fadt);
	ul_printf("baremetal: ACPI power-off failed; resetting\n");
	ul_bm_serial_drain();
	reset(fadt);
	for (;;)
		__asm__ volatile("hlt");
}
