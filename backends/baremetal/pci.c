/* baremetal: PCI. Configuration space through ECAM when the ACPI MCFG
 * table has it (PCI Express; -M microvm,pcie=on, q35, most real PCs), else
 * through the legacy ports 0xcf8/0xcfc (-M pc). Enumeration walks bus 0
 * and the buses behind bridges, as the firmware numbered them; BARs are
 * used where the firmware put them. Layouts: PCI Local Bus spec 3.0,
 * PCI Express Base spec (ECAM), PCI spec 3.0 6.8.2 (MSI-X). */
#include <unilab/string.h>

#include "bm.h"
#include "x86_64/io.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define CONFIG_ENABLE 0x80000000u

#define PCI_VENDOR 0x00
#define PCI_DEVICE 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS 0x0b
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SUBSYSTEM 0x2e
#define PCI_CAP_PTR 0x34
#define PCI_SECONDARY_BUS 0x19
#define COMMAND_MEMORY 0x0002
#define COMMAND_MASTER 0x0004
#define COMMAND_INTX_OFF 0x0400
#define STATUS_CAPS 0x0010
#define HEADER_MULTIFUNCTION 0x80
#define HEADER_BRIDGE 0x01
#define BAR_IO 0x1
#define BAR_TYPE_64 0x4

#define CAP_MSIX 0x11
#define MSIX_CONTROL 2
#define MSIX_TABLE 4
#define MSIX_ENABLE 0x8000
#define MSIX_FUNCTION_MASK 0x4000
#define MSI_ADDRESS 0xfee00000u /* + destination APIC ID << 12 */

#define MCFG_FIRST_ENTRY 44 /* after the header and 8 reserved bytes */
#define MCFG_ENTRY_SIZE 16

static uintptr_t ecam;         /* 0: use the ports */
static uint8_t ecam_first_bus, ecam_last_bus;
static bool have_ports;
static struct ul_bm_pci_dev devs[BM_MAX_PCI];
static unsigned dev_count;
static char access[48]; /* empty: no configuration space found */

static uintptr_t ecam_address(const struct ul_bm_pci_dev *d, unsigned off)
{
	return ecam + ((uintptr_t)d->bus << 20 |
	               (uintptr_t)d->dev << 15 | (uintptr_t)d->fn << 12 | off);
}

static uint32_t port_address(const struct ul_bm_pci_dev *d, unsigned off)
{
	return CONFIG_ENABLE | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 |
	       (uint32_t)d->fn << 8 | (off & 0xfc);
}

static bool reachable(const struct ul_bm_pci_dev *d)
{
	if (ecam)
		return d->bus >= ecam_first_bus && d->bus <= ecam_last_bus;
	return have_ports;
}

uint32_t ul_bm_pci_read32(const struct ul_bm_pci_dev *d, unsigned off)
{
	if (!reachable(d))
		return UINT32_MAX;
	if (ecam)
		return x86_mmio_read32(ecam_address(d, off));
	x86_outl(CONFIG_ADDRESS, port_address(d, off));
	return x86_inl(CONFIG_DATA);
}

static void write32(const struct ul_bm_pci_dev *d, unsigned off, uint32_t v)
{
	if (!reachable(d))
		return;
	if (ecam) {
		x86_mmio_write32(ecam_address(d, off), v);
		return;
	}
	x86_outl(CONFIG_ADDRESS, port_address(d, off));
	x86_outl(CONFIG_DATA, v);
}

static uint16_t read16(const struct ul_bm_pci_dev *d, unsigned off)
{
	return (uint16_t)(ul_bm_pci_read32(d, off & ~3u) >> (8 * (off & 2)));
}

uint8_t ul_bm_pci_read8(const struct ul_bm_pci_dev *d, unsigned off)
{
	return (uint8_t)(ul_bm_pci_read32(d, off & ~3u) >> (8 * (off & 3)));
}

/* A 16-bit register shares its dword with another: read, merge, write.
 * Used for the command and MSI-X control registers, whose neighbours
 * (status: write-1-to-clear bits; MSI-X next pointer: read-only) are not
 * disturbed by writing back what was read, with status bits masked. */
static void write16(const struct ul_bm_pci_dev *d, unsigned off, uint16_t v)
{
	unsigned shift = 8 * (off & 2);
	uint32_t dword = ul_bm_pci_read32(d, off & ~3u);

	if ((off & ~3u) == PCI_COMMAND)
		dword &= 0x0000ffff; /* never write 1s back to the status */
	dword = (dword & ~(0xffffu << shift)) | (uint32_t)v << shift;
	write32(d, off & ~3u, dword);
}

unsigned ul_bm_pci_find_cap(const struct ul_bm_pci_dev *d, uint8_t id,
                            unsigned from)
{
	unsigned off;
	int guard = 48; /* a looping list must not hang us */

	if (from)
		off = ul_bm_pci_read8(d, from + 1);
	else if (read16(d, PCI_STATUS) & STATUS_CAPS)
		off = ul_bm_pci_read8(d, PCI_CAP_PTR);
	else
		return 0;
	for (; off >= 0x40 && guard-- > 0; off = ul_bm_pci_read8(d, off + 1))
		if (ul_bm_pci_read8(d, off) == id)
			return off;
	return 0;
}

uint64_t ul_bm_pci_bar(const struct ul_bm_pci_dev *d, unsigned bar)
{
	uint32_t lo = ul_bm_pci_read32(d, PCI_BAR0 + 4 * bar);
	uint64_t addr = lo & ~0xfu;

	if (lo & BAR_IO)
		return 0;
	if (lo & BAR_TYPE_64)
		addr |= (uint64_t)ul_bm_pci_read32(d, PCI_BAR0 + 4 * bar + 4) << 32;
	return addr;
}

void ul_bm_pci_enable(const struct ul_bm_pci_dev *d)
{
	write16(d, PCI_COMMAND,
	               read16(d, PCI_COMMAND) | COMMAND_MEMORY |
	                       COMMAND_MASTER | COMMAND_INTX_OFF);
}

bool ul_bm_pci_msix_enable(const struct ul_bm_pci_dev *d, unsigned vector)
{
	unsigned cap = ul_bm_pci_find_cap(d, CAP_MSIX, 0);

	if (!cap)
		return false;
	uint32_t table = ul_bm_pci_read32(d, cap + MSIX_TABLE);
	uint64_t bar = ul_bm_pci_bar(d, table & 7);
	if (!bar)
		return false;
	uintptr_t entry = (uintptr_t)(bar + (table & ~7u));
	ul_bm_map_device(entry, 16);
	x86_mmio_write32(entry + 0, MSI_ADDRESS | ul_bm_lapic_id() << 12);
	x86_mmio_write32(entry + 4, 0);
	x86_mmio_write32(entry + 8, vector); /* fixed delivery, edge */
	x86_mmio_write32(entry + 12, 0);     /* unmasked */
	uint16_t control = read16(d, cap + MSIX_CONTROL);
	write16(d, cap + MSIX_CONTROL,
	               (control | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK);
	return true;
}

const char *ul_bm_pci_class_name(const struct ul_bm_pci_dev *d)
{
	static const char *const names[] = {
		"unclassified device", "storage controller", "network controller",
		"display controller", "multimedia controller", "memory controller",
		"bridge", "communication controller", "system peripheral",
		"input device", "docking station", "processor",
		"serial bus controller",
	};
	return d->class < sizeof(names) / sizeof(names[0]) ? names[d->class]
	                                                   : "device";
}

static void add_function(uint8_t bus, uint8_t dev, uint8_t fn)
{
	struct ul_bm_pci_dev *d = &devs[dev_count];

	if (dev_count == BM_MAX_PCI)
		return;
	*d = (struct ul_bm_pci_dev){.bus = bus, .dev = dev, .fn = fn};
	d->vendor = read16(d, PCI_VENDOR);
	d->device = read16(d, PCI_DEVICE);
	d->class = ul_bm_pci_read8(d, PCI_CLASS);
	d->subsystem = read16(d, PCI_SUBSYSTEM);
	dev_count++;
}

static void scan_bus(uint8_t bus, unsigned depth)
{
	for (uint8_t dev = 0; dev < 32; dev++) {
		struct ul_bm_pci_dev probe = {.bus = bus, .dev = dev};
		if (read16(&probe, PCI_VENDOR) == 0xffff)
			continue;
		unsigned fns = ul_bm_pci_read8(&probe, PCI_HEADER_TYPE) &
		                               HEADER_MULTIFUNCTION
		                       ? 8
		                       : 1;
		for (uint8_t fn = 0; fn < fns; fn++) {
			probe.fn = fn;
			if (read16(&probe, PCI_VENDOR) == 0xffff)
				continue;
			add_function(bus, dev, fn);
			uint8_t secondary = ul_bm_pci_read8(&probe, PCI_SECONDARY_BUS);
			if ((ul_bm_pci_read8(&probe, PCI_HEADER_TYPE) & 0x7f) ==
			            HEADER_BRIDGE &&
			    secondary > bus && depth < 8)
				scan_bus(secondary, depth + 1);
		}
	}
}

/* ECAM from MCFG's entry for segment 0; the ports if the host bridge
 * answers at 0xcf8 (it keeps the enable bit that we write there). */
static void find_config_space(void)
{
	const uint8_t *mcfg = ul_bm_acpi_table("MCFG");
	uint32_t len = 0;

	if (mcfg)
		ul_memcpy(&len, mcfg + 4, 4);
	for (uint32_t off = MCFG_FIRST_ENTRY; off + MCFG_ENTRY_SIZE <= len;
	     off += MCFG_ENTRY_SIZE) {
		uint64_t base;
		uint16_t segment;
		ul_memcpy(&base, mcfg + off, 8);
		ul_memcpy(&segment, mcfg + off + 8, 2);
		if (segment != 0)
			continue;
		ecam_first_bus = mcfg[off + 10];
		ecam_last_bus = mcfg[off + 11];
		/* The base is bus 0's, even when the range starts later. */
		ul_bm_map_device(base + ((uint64_t)ecam_first_bus << 20),
		                 (uint64_t)(ecam_last_bus - ecam_first_bus + 1) << 20);
		ecam = (uintptr_t)base;
		ul_snprintf(access, sizeof(access), "ECAM at 0x%llx",
		            (unsigned long long)base);
		return;
	}
	x86_outl(CONFIG_ADDRESS, CONFIG_ENABLE);
	have_ports = x86_inl(CONFIG_ADDRESS) == CONFIG_ENABLE;
	if (have_ports)
		ul_strlcpy(access, "ports 0xcf8/0xcfc", sizeof(access));
}

const char *ul_bm_pci_access(void)
{
	return access;
}

void ul_bm_pci_init(void)
{
	find_config_space();
	if (ecam || have_ports)
		scan_bus(ecam ? ecam_first_bus : 0, 0);
}

unsigned ul_bm_pci_count(void)
{
	return dev_count;
}

struct ul_bm_pci_dev *ul_bm_pci_get(unsigned i)
{
	return &devs[i];
}
