/* baremetal: what the backend's files share. The image owns the whole
 * machine: one CPU in 64-bit mode at CPL 0, the first 4 GiB identity-mapped
 * (boot.S), its own GDT and IDT, and its own drivers for everything it
 * touches. Interrupt handlers do no more than wake the CPU and quiet their
 * device (or end the image, for a Ctrl-C on the console); all real work
 * happens in the core's calls into the platform functions, so the core
 * still sees one thread of control, as core/platform.h promises. */
#ifndef UL_BM_H
#define UL_BM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unilab/console.h>
#include <unilab/log.h>

/* Set by boot.S before the switch to long mode. */
#define BM_BOOT_MULTIBOOT 1
#define BM_BOOT_PVH 2
extern uint32_t ul_bm_boot_protocol; /* BM_BOOT_* */
extern uint32_t ul_bm_boot_info;     /* physical address of the loader's
                                        multiboot info or hvm_start_info */
/* From image.ld: the image's first byte and the end of its .bss. */
extern char __image_start[], __bss_end[];

/* Print "baremetal: message" and end the image with UL_EXIT_PANIC: for
 * machines the backend cannot run on, before or after the core starts. */
_Noreturn void ul_bm_fail(const char *fmt, ...) UL_PRINTF(1, 2);

/* bootinfo.c: what the loader told us, in one form for both protocols. */
#define BM_MAX_RAM 32
#define BM_CMDLINE_MAX 4096
struct ul_bm_range {
	uint64_t base, size;
};
struct ul_bm_boot {
	char app[64];                /* the image's name, from the first word */
	char cmdline[BM_CMDLINE_MAX]; /* the rest: core options, app args */
	struct ul_bm_range ram[BM_MAX_RAM]; /* usable RAM, as the loader says */
	unsigned ram_count;
	uint64_t rsdp; /* ACPI RSDP's address, 0 when the loader gave none */
};
void ul_bm_bootinfo_read(struct ul_bm_boot *b);
const char *ul_bm_boot_protocol_name(void); /* "multiboot" or "PVH" */

/* memory.c: RAM for the core's heap and for device rings. Unmaps page 0,
 * so call it once nothing more is read there (the loader's structures, the
 * BIOS data area). */
void ul_bm_memory_init(const struct ul_bm_boot *b);
/* count zeroed, page-aligned pages, taken from the heap region before the
 * core gets it; ends the image if there are not enough. */
void *ul_bm_alloc_pages(size_t count);
/* What is left for the core. */
void ul_bm_memory_heap(void **base, size_t *size);
/* Whether [addr, addr + len) is RAM that the image maps (so touching it
 * cannot fault or poke a device); false before ul_bm_memory_init. */
bool ul_bm_memory_is_ram(uint64_t addr, uint64_t len);
/* Make [phys, phys + size) reachable at the same address, uncached: device
 * registers above the 4 GiB that boot.S maps. */
void ul_bm_map_device(uint64_t phys, uint64_t size);

/* descriptors.c: GDT, TSS and IDT. */
void ul_bm_descriptors_init(void);
/* Send interrupt vector v (BM_VEC_FIRST_IRQ..255) to handler. */
void ul_bm_set_irq_handler(unsigned v, void (*handler)(void));
/* In a handler: the rflags the interrupted code resumes with (gdb.c sets
 * TF there to stop that code right after the interrupt). */
uint64_t *ul_bm_irq_rflags(void);

/* Interrupt vectors. 0..31 are the CPU's exceptions; the legacy PIC, which
 * we do not use, is parked at 32..47 so that a stray interrupt of its can
 * be told from everything else. */
#define BM_VEC_PIC 0x20
#define BM_VEC_FIRST_IRQ 0x30
#define BM_VEC_TIMER 0x30  /* local APIC timer */
#define BM_VEC_SERIAL 0x31 /* COM1, through the IOAPIC */
#define BM_VEC_GDB 0x32    /* COM2, when gdb is attached */
#define BM_VEC_DEVICE 0x40 /* MSI-X of every device: it only wakes the CPU */
#define BM_VEC_VIRTIO_MMIO 0x41 /* every virtio-mmio device's IRQ line */
#define BM_VEC_SPURIOUS 0xff

/* acpi.c: the firmware's tables. Each returns NULL when absent. */
void ul_bm_acpi_init(uint64_t rsdp);
const char *ul_bm_acpi_describe(void); /* "XSDT at 0x...", "no ACPI tables" */
const void *ul_bm_acpi_table(const char *signature);
/* The sleep type of \_S5 (soft off) from the DSDT, or -1. */
int ul_bm_acpi_s5_sleep_type(void);

/* ACPI's Generic Address Structure: where a register is. */
struct ul_bm_acpi_gas {
	uint8_t space; /* 0 memory, 1 system I/O */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
} __attribute__((packed));
void ul_bm_acpi_gas_write(const struct ul_bm_acpi_gas *g, uint32_t value);

/* interrupts.c: legacy PIC off, local APIC on, IOAPICs routed. */
void ul_bm_interrupts_init(void);
void ul_bm_lapic_eoi(void);
uint32_t ul_bm_lapic_id(void);
/* Local APIC timer: count down from count in one-shot mode, then raise
 * BM_VEC_TIMER; 0 stops it. */
void ul_bm_lapic_timer_start(uint32_t count);
uint32_t ul_bm_lapic_timer_count(void);
/* Deliver interrupt line irq (an ISA IRQ, after the firmware's overrides,
 * or a GSI above 15) as vector; false if no IOAPIC has it. */
bool ul_bm_ioapic_route(unsigned irq, unsigned vector);

/* clock.c */
void ul_bm_clock_init(void);
/* "TSC ... kHz (from the PIT), APIC timer ... kHz" */
const char *ul_bm_clock_describe(void);
/* Arm the local APIC timer to fire at deadline (monotonic ns), or stop it
 * for UINT64_MAX. Far deadlines fire early; callers re-check. */
void ul_bm_timer_arm(uint64_t deadline);
/* Spin for at least ns (before calibration: as if the TSC ran at 10 GHz). */
void ul_bm_delay(uint64_t ns);
/* rtc.c: the CMOS real-time clock, read once, as ns since the epoch. */
uint64_t ul_bm_rtc_read(void);

/* serial.c: 16550 UARTs: the console on COM1, gdb's line on COM2. */
#define BM_COM1 0x3f8
#define BM_COM2 0x2f8
void ul_bm_uart_init(uint16_t port);
/* Send all of buf, waiting for room. */
void ul_bm_uart_write(uint16_t port, const char *buf, size_t len);
/* The next byte received, or -1 when none has come. */
int ul_bm_uart_read(uint16_t port);
/* Raise interrupt line irq when a byte comes (the handler reads it). */
void ul_bm_uart_interrupt_on_input(uint16_t port, unsigned irq, unsigned vector,
                                   void (*handler)(void));
void ul_bm_serial_init(void); /* the console */
void ul_bm_serial_enable_input(void);
/* Wait until every byte written has left the UART. */
void ul_bm_serial_drain(void);

/* verbose.c: the core's last call before the app: describe the machine,
 * then wait for gdb if break=1. */
void ul_bm_before_main(void);

/* gdb.c: the gdb stub on COM2. ul_bm_gdb_start waits for gdb there when the
 * command line has break=1 (call it once the core has parsed options);
 * ul_bm_gdb_exception takes an exception while gdb is attached: true when
 * the machine is to resume from the (possibly changed) frame; ul_bm_gdb_exit
 * tells gdb the image's end. */
struct x86_exception_frame;
void ul_bm_gdb_start(void);
bool ul_bm_gdb_exception(struct x86_exception_frame *f);
void ul_bm_gdb_exit(int status);

/* poll.c: sleep until the next interrupt or the deadline. Call with
 * interrupts disabled, right after checking that there is nothing to do:
 * they are enabled in the same step as the CPU halts, so no wake-up is
 * lost in between. Returns with interrupts enabled. */
void ul_bm_halt(uint64_t deadline);
/* A device that cannot interrupt asks the idle loop to look every tick. */
void ul_bm_idle_needs_polling(void);

/* pci.c: configuration space and the devices found at boot. */
#define BM_MAX_PCI 32
struct ul_bm_pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class;
	uint16_t subsystem; /* subsystem device ID */
	const char *driver; /* set by the driver that took it */
	unsigned unit;      /* the driver's index for it */
};
void ul_bm_pci_init(void);
/* "ECAM at 0x...", "ports 0xcf8/0xcfc", or "" without PCI */
const char *ul_bm_pci_access(void);
unsigned ul_bm_pci_count(void);
struct ul_bm_pci_dev *ul_bm_pci_get(unsigned i);
uint32_t ul_bm_pci_read32(const struct ul_bm_pci_dev *d, unsigned off);
uint8_t ul_bm_pci_read8(const struct ul_bm_pci_dev *d, unsigned off);
/* Offset of the first capability with this ID at or after offset from
 * (0: the start of the list), or 0. */
unsigned ul_bm_pci_find_cap(const struct ul_bm_pci_dev *d, uint8_t id,
                            unsigned from);
/* The address of memory BAR bar (not mapped: see ul_bm_map_device); 0 if it
 * is an I/O BAR or the firmware left it unassigned. */
uint64_t ul_bm_pci_bar(const struct ul_bm_pci_dev *d, unsigned bar);
/* Turn on memory decoding and bus mastering (DMA). */
void ul_bm_pci_enable(const struct ul_bm_pci_dev *d);
/* Send the device's MSI-X table entry 0 to vector; false without MSI-X. */
bool ul_bm_pci_msix_enable(const struct ul_bm_pci_dev *d, unsigned vector);
/* "network controller", ... */
const char *ul_bm_pci_class_name(const struct ul_bm_pci_dev *d);

/* virtio_mmio.c: virtio-mmio devices, as the command line announces
 * them. */
#define BM_MAX_MMIO 8
struct ul_bm_mmio_dev {
	uint64_t base, size;
	unsigned irq;
	const char *driver; /* set by the driver that took it */
	unsigned unit;      /* the driver's index for it */
};
/* Record a "virtio_mmio.device=SIZE@BASE:IRQ" word. */
#define BM_MMIO_WORD "virtio_mmio.device="
void ul_bm_mmio_take_word(const char *word);
unsigned ul_bm_mmio_count(void);
struct ul_bm_mmio_dev *ul_bm_mmio_get(unsigned i);
/* The device ID (1 network, 2 block, ...) of the modern virtio device
 * there, 0 if there is none. */
uint32_t ul_bm_mmio_device_id(struct ul_bm_mmio_dev *m);

/* virtio_net.c, virtio_blk.c: drivers for what PCI or the command line
 * found. */
struct ul_bm_virtio_place;
void ul_bm_virtio_net_probe(const struct ul_bm_virtio_place *at);
void ul_bm_virtio_blk_probe(const struct ul_bm_virtio_place *at);
unsigned ul_bm_net_count(void);
unsigned ul_bm_block_count(void);
/* The set of interfaces with a received frame waiting (UL_READY_NET),
 * after asking those in wait, and only those, to interrupt when a frame
 * arrives: wait is 0 once the CPU is awake again. */
uint32_t ul_bm_net_wake_on(uint32_t wait);
/* Tell the devices of the frames queued for sending: the end of a turn of
 * the event loop. */
void ul_bm_net_kick(void);
/* Log each interface's frames and notifications at level l. */
void ul_bm_net_log_counters(enum ul_log_level l);
/* Wait until the devices have sent every frame handed to them, or until
 * the monotonic clock reaches deadline: the device sends asynchronously,
 * and an image that exits right after its last send must not lose it. */
void ul_bm_net_flush(uint64_t deadline);

/* verbose.c: the level of the machine's own report, info with the core
 * option verbose=1, else debug. */
enum ul_log_level ul_bm_verbose_level(void);

#endif
