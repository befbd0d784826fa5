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

_Noreturn void bm_fail(const char *fmt, ...)
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

static void probe(const struct bm_virtio_place *at, uint32_t type)
{
	if (type == VIRTIO_NET)
		bm_virtio_net_probe(at);
	else if (type == VIRTIO_BLK)
		bm_virtio_blk_probe(at);
}

/* Drivers for the devices we know: virtio 1.x network and block devices,
 * on PCI by their modern (0x1040 + type) or transitional (0x1000 + type -
 * 1, the type in the subsystem ID) device IDs, and at virtio-mmio windows
 * by the device ID register. */
static void probe_devices(void)
{
	for (unsigned i = 0; i < bm_pci_count(); i++) {
		struct bm_pci_dev *d = bm_pci_get(i);
		struct bm_virtio_place at = {.pci = d};
		if (d->vendor != 0x1af4)
			continue;
		if (d->device >= 0x1040)
			probe(&at, d->device - 0x1040u);
		else if (d->device >= 0x1000)
			probe(&at, d->subsystem);
	}
	for (unsigned i = 0; i < bm_mmio_count(); i++) {
		struct bm_virtio_place at = {.mmio = bm_mmio_get(i)};
		probe(&at, bm_mmio_device_id(at.mmio));
	}
}

_Noreturn void ul_bm_start(void)
{
	static struct bm_boot boot;
	static struct ul_boot_info info;

	bm_serial_init();
	bm_descriptors_init();
	bm_bootinfo_read(&boot);
	bm_acpi_init(boot.rsdp);
	bm_memory_init(&boot);
	bm_interrupts_init();
	bm_clock_init();
	bm_serial_enable_input();
	bm_pci_init();
	probe_devices();
	x86_sti();
	ul_x86_entropy_check("baremetal");

	info.backend = "baremetal";
	info.app = boot.app;
	info.cmdline = boot.cmdline;
	bm_memory_heap(&info.heap_base, &info.heap_size);
	info.net_count = bm_net_count();
	info.block_count = bm_block_count();
	info.before_main = bm_before_main;
	ul_boot(&info);
}
