/* baremetal: what the machine looks like, printed before the app starts
 * (and its network counters at exit, exit.c): at info level with
 * verbose=1 (as the core's own boot lines), else at debug level. The core
 * calls ul_bm_before_main (ul_boot_info.before_main) just before the app,
 * after the command line has been read. */
#include <unilab/cmdline.h>
#include <unilab/log.h>
#include <unilab/string.h>

#include "bm.h"
#include "platform.h"

static void describe_driver(enum ul_log_level l, const char *driver,
                            unsigned unit)
{
	struct ul_net_info net;
	struct ul_block_info blk;

	if (ul_strcmp(driver, "virtio-net") == 0 &&
	    ul_plat_net_info(unit, &net) == 0)
		ul_log(l, "  net%u: mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u",
		       unit, net.mac[0], net.mac[1], net.mac[2], net.mac[3],
		       net.mac[4], net.mac[5], net.mtu);
	else if (ul_strcmp(driver, "virtio-blk") == 0 &&
	         ul_plat_block_info(unit, &blk) == 0)
		ul_log(l, "  block%u: %llu sectors of %u bytes%s", unit,
		       (unsigned long long)blk.sectors, blk.sector_size,
		       blk.read_only ? ", read-only" : "");
}

enum ul_log_level ul_bm_verbose_level(void)
{
	const char *verbose = ul_option("verbose");
	return verbose && verbose[0] == '1' ? UL_LOG_INFO : UL_LOG_DEBUG;
}

void ul_bm_before_main(void)
{
	enum ul_log_level l = ul_bm_verbose_level();

	ul_log(l, "baremetal: booted by %s; %s", ul_bm_boot_protocol_name(),
	       ul_bm_clock_describe());
	ul_log(l, "acpi: %s", ul_bm_acpi_describe());
	if (ul_bm_pci_access()[0])
		ul_log(l, "pci: %u function(s), configuration space through %s",
		       ul_bm_pci_count(), ul_bm_pci_access());
	else
		ul_log(l, "pci: none");
	for (unsigned i = 0; i < ul_bm_pci_count(); i++) {
		const struct ul_bm_pci_dev *d = ul_bm_pci_get(i);
		ul_log(l, "pci %02x:%02x.%u %04x:%04x %s%s%s", d->bus, d->dev,
		       d->fn, d->vendor, d->device, ul_bm_pci_class_name(d),
		       d->driver ? ", driver " : "", d->driver ? d->driver : "");
		if (d->driver)
			describe_driver(l, d->driver, d->unit);
	}
	for (unsigned i = 0; i < ul_bm_mmio_count(); i++) {
		const struct ul_bm_mmio_dev *m = ul_bm_mmio_get(i);
		ul_log(l, "virtio-mmio at 0x%llx, irq %u%s%s",
		       (unsigned long long)m->base, m->irq,
		       m->driver ? ", driver " : "", m->driver ? m->driver : "");
		if (m->driver)
			describe_driver(l, m->driver, m->unit);
	}
	ul_bm_gdb_start();
}
