/* baremetal: the first C code. Brings the machine up in dependency order
 * (console first, so that anything after it can say what went wrong) and
 * hands it to the core. */
#include <unilab/panic.h>

#include "bm.h"
#include "platform.h"
#include "virtio.h"
#include "x86_64/entropy.h"
#include "x86_64/io.h"

uint32_t ul_bm_boot_protocol;
uint32_t ul_bm_boot_info;

_Noreturn void ul_bm_start(void); /* from boot.S, in long mode */

_Noreturn void ul_bm_fail(const char *fmt, ...)
{
	va_list ap;

	ul_printf("baremetal: ");
	va_start(ap, fmt);
	ul_vprintf(fmt, ap);
	va_end(ap);
	ul_printf("\n");
	ul_plat_exit(UL_EXIT_PANIC);
}

#define VIRTIO_NET 1 /* virtio device IDs */
#define VIRTIO_BLK 2

static void probe(const struct ul_bm_virtio_place *at, uint32_t type)
{
	if (type == VIRTIO_NET)
		ul_bm_virtio_net_probe(at);
	else if (type == VIRTIO_BLK)
		ul_bm_virtio_blk_probe(at);
}

/* Drivers for the devices we know: virtio 1.x network and block devices,
 * on PCI by their modern (0x1040 + type) or transitional (0x1000 + type -
 * 1, the type in the subsystem ID) device IDs, and at virtio-mmio windows
 * by the device ID register. */
static void probe_devices(void)
{
	for (unsigned i = 0; i < ul_bm_pci_count(); i++) {
		struct ul_bm_pci_dev *d = ul_bm_pci_get(i);
		struct ul_bm_virtio_place at = {.pci = d};
		if (d->vendor != 0x1af4)
			continue;
		if (d->device >= 0x1040)
			probe(&at, d->device - 0x1040u);
		else if (d->device >= 0x1000)
			probe(&at, d->subsystem);
	}
	for (unsigned i = 0; i < ul_bm_mmio_count(); i++) {
		struct ul_bm_virtio_place at = {.mmio = ul_bm_mmio_get(i)};
		probe(&at, ul_bm_mmio_device_id(at.mmio));
	}
}

_Noreturn void ul_bm_start(void)
{
	static struct ul_bm_boot boot;
	static struct ul_boot_info info;

	ul_bm_serial_init();
	ul_bm_descriptors_init();
	ul_bm_bootinfo_read(&boot);
	ul_bm_acpi_init(boot.rsdp);
	ul_bm_memory_init(&boot);
	ul_bm_interrupts_init();
	ul_bm_clock_init();
	ul_bm_serial_enable_input();
	ul_bm_pci_init();
	probe_devices();
	x86_sti();
	ul_x86_entropy_check("baremetal");

	info.backend = "baremetal";
	info.app = boot.app;
	info.cmdline = boot.cmdline;
	ul_bm_memory_heap(&info.heap_base, &info.heap_size);
	info.net_count = ul_bm_net_count();
	info.block_count = ul_bm_block_count();
	info.before_main = ul_bm_before_main;
	ul_boot(&info);
}
