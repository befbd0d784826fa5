/* baremetal: the firmware's ACPI tables (ACPI spec 6.5, chapter 5): found
 * through the RSDP, which PVH loaders hand over and BIOS firmware leaves in
 * the BIOS area. The backend reads a few fixed tables (MADT for the
 * IOAPICs, MCFG for PCI's ECAM, HPET, FADT for power-off and reset) and
 * one value from the DSDT's AML: the sleep type of \_S5. Tables above
 * 4 GiB are left alone: boot.S maps only the first 4 GiB. */
#include <unilab/string.h>

#include "bm.h"
#include "x86_64/io.h"

#define BIOS_AREA 0xe0000
#define BIOS_AREA_END 0x100000
#define BDA_EBDA_SEGMENT 0x40e /* in the BIOS data area, real-mode segment */
#define MAPPED_END (4ull << 30)

struct rsdp {
	char signature[8]; /* "RSD PTR " */
	uint8_t checksum;
	char oem[6];
	uint8_t revision; /* 0: ACPI 1.0, RSDT only; 2: XSDT too */
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum, reserved[3];
} __attribute__((packed));

struct sdt_header {
	char signature[4];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));

/* FADT fields (ACPI 5.2.9) at their byte offsets. */
#define FADT_DSDT 40
#define FADT_X_DSDT 140
#define FADT_MIN_LENGTH_X_DSDT 148

static const struct sdt_header *root;
static unsigned entry_size; /* 8 for an XSDT, 4 for an RSDT */
static char description[64] = "no ACPI tables";

static bool sums_to_zero(const void *p, size_t n)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static const struct rsdp *scan_rsdp(uintptr_t from, uintptr_t to)
{
	for (uintptr_t a = from; a + sizeof(struct rsdp) <= to; a += 16) {
		const struct rsdp *r = (const void *)a;
		if (ul_memcmp(r->signature, "RSD PTR ", 8) == 0 &&
		    sums_to_zero(r, 20))
			return r;
	}
	return NULL;
}

static const struct rsdp *find_rsdp(uint64_t hint)
{
	uintptr_t ebda = (uintptr_t)x86_mmio_read16(BDA_EBDA_SEGMENT) << 4;
	const struct rsdp *r = NULL;

	if (hint && hint < MAPPED_END)
		return (const void *)(uintptr_t)hint;
	if (ebda >= 0x80000 && ebda < BIOS_AREA)
		r = scan_rsdp(ebda, ebda + 1024);
	return r ? r : scan_rsdp(BIOS_AREA, BIOS_AREA_END);
}

static const struct sdt_header *checked(uint64_t addr)
{
	const struct sdt_header *t = (const void *)(uintptr_t)addr;

	if (addr == 0 || addr >= MAPPED_END - sizeof(*t) ||
	    t->length < sizeof(*t) || t->length > MAPPED_END - addr ||
	    !sums_to_zero(t, t->length))
		return NULL;
	return t;
}

void ul_bm_acpi_init(uint64_t rsdp_hint)
{
	const struct rsdp *r = find_rsdp(rsdp_hint);

	if (!r)
		return; /* no ACPI: the backend uses the PC's fixed defaults */
	if (r->revision >= 2 && r->xsdt && (root = checked(r->xsdt)))
		entry_size = 8;
	else if ((root = checked(r->rsdt)))
		entry_size = 4;
	if (root)
		ul_snprintf(description, sizeof(description), "%.4s at %p",
		            root->signature, (const void *)root);
}

const char *ul_bm_acpi_describe(void)
{
	return description;
}

const void *ul_bm_acpi_table(const char *signature)
{
	if (!root)
		return NULL;
	const uint8_t *entries = (const uint8_t *)root + sizeof(*root);
	unsigned n = (root->length - sizeof(*root)) / entry_size;
	for (unsigned i = 0; i < n; i++) {
		uint64_t addr = 0;
		ul_memcpy(&addr, entries + i * entry_size, entry_size);
		const struct sdt_header *t = checked(addr);
		if (t && ul_memcmp(t->signature, signature, 4) == 0)
			return t;
	}
	return NULL;
}

/* One AML data object that \_S5's package may hold (ACPI 20.2.3): a
 * ZeroOp, OneOp or BytePrefix constant. */
static int aml_small_integer(const uint8_t *p)
{
	if (p[0] == 0x00 || p[0] == 0x01)
		return p[0];
	if (p[0] == 0x0a) /* BytePrefix */
		return p[1];
	return -1;
}

/* Find "Name(_S5_, Package(){SLP_TYPa, ...})" in the DSDT's AML by its
 * bytes: NameOp, "_S5_" (or "\_S5_"), PackageOp, PkgLength (1-4 bytes;
 * the top two bits of its first byte count the extra ones), NumElements,
 * the elements. A full AML interpreter is not worth it for one number. */
int ul_bm_acpi_s5_sleep_type(void)
{
	const uint8_t *fadt = ul_bm_acpi_table("FACP");
	uint64_t dsdt_addr = 0;

	if (!fadt)
		return -1;
	if (((const struct sdt_header *)fadt)->length >= FADT_MIN_LENGTH_X_DSDT)
		ul_memcpy(&dsdt_addr, fadt + FADT_X_DSDT, 8);
	if (!dsdt_addr)
		ul_memcpy(&dsdt_addr, fadt + FADT_DSDT, 4);
	const struct sdt_header *dsdt = checked(dsdt_addr);
	if (!dsdt)
		return -1;
	const uint8_t *aml = (const uint8_t *)dsdt;
	for (uint32_t i = sizeof(*dsdt); i + 13 < dsdt->length; i++) {
		const uint8_t *p = aml + i + 1;
		if (aml[i] != 0x08) /* NameOp */
			continue;
		if (*p == '\\') /* the name may be written from the root */
			p++;
		if (ul_memcmp(p, "_S5_", 4) != 0 || p[4] != 0x12)
			continue;
		p += 5;
		p += 1 + (p[0] >> 6); /* PkgLength */
		return aml_small_integer(p + 1); /* after NumElements */
	}
	return -1;
}

void ul_bm_acpi_gas_write(const struct ul_bm_acpi_gas *g, uint32_t value)
{
	unsigned width = g->access_size ? 8u << (g->access_size - 1) : g->bit_width;

	if (g->space == 1) { /* system I/O */
		uint16_t port = (uint16_t)g->address;
		if (width == 8)
			x86_outb(port, (uint8_t)value);
		else if (width == 16)
			x86_outw(port, (uint16_t)value);
		else
			x86_outl(port, value);
	} else if (g->space == 0 && g->address < MAPPED_END) {
		if (width == 8)
			x86_mmio_write8((uintptr_t)g->address, (uint8_t)value);
		else if (width == 16)
			x86_mmio_write16((uintptr_t)g->address, (uint16_t)value);
		else
			x86_mmio_write32((uintptr_t)g->address, value);
	}
}
