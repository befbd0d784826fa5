/* baremetal: what the boot loader hands over, read from either protocol
 * into one struct ul_bm_boot: the memory map, the command line, the ACPI
 * root. Everything is copied out, because the loader's structures lie in
 * memory that becomes the heap.
 *
 * The command line's first word names the image, like a program's argv[0]
 * ("/boot/hello.bm verbose=1"): QEMU's multiboot loader writes it so, and
 * run-qemu.sh (PVH) and make-iso.sh (GRUB's multiboot) write it too. The
 * app's name is that word's last path component without ".bm"; the rest
 * is the core's command line. */
#include <unilab/string.h>

#include "bm.h"

/* Multiboot v1 information (multiboot spec 3.3); flags say which fields
 * the loader filled in. */
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP (1u << 6)
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper, boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));
/* Memory map entries are of varying size: size does not count itself. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

/* PVH's struct hvm_start_info (Xen's public arch-x86/hvm/start_info.h),
 * version 1, which has the memory map. */
#define PVH_MAGIC 0x336ec578
struct pvh_start_info {
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries, reserved;
};
struct pvh_memmap_entry {
	uint64_t addr, size;
	uint32_t type, reserved;
};

#define E820_RAM 1 /* both protocols use the BIOS's e820 types */

static void add_ram(struct ul_bm_boot *b, uint64_t base, uint64_t size,
                    uint32_t type)
{
	if (type != E820_RAM || size == 0)
		return;
	if (b->ram_count == BM_MAX_RAM)
		return; /* a map this fragmented: the first ranges will do */
	b->ram[b->ram_count++] = (struct ul_bm_range){base, size};
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_device_word(const char *w)
{
	return ul_strncmp(w, BM_MMIO_WORD, sizeof(BM_MMIO_WORD) - 1) == 0;
}

/* QEMU appends the virtio-mmio devices' words to the end of the command
 * line, in the order of its -device options: take them off, and hand them
 * to virtio_mmio.c in that order, so that net0 is the first -device. */
static void take_device_words(char *line)
{
	size_t end = ul_strlen(line), start = end, w = end;

	/* Walk back over the trailing words while they are device words. */
	for (;;) {
		while (w > 0 && is_blank(line[w - 1]))
			w--;
		size_t word = w;
		while (word > 0 && !is_blank(line[word - 1]))
			word--;
		if (word == w || !is_device_word(line + word))
			break;
		start = w = word;
	}
	for (char *p = line + start; *p;) {
		char *e = p;
		while (*e && !is_blank(*e))
			e++;
		char saved = *e;
		*e = '\0';
		ul_bm_mmio_take_word(p);
		*e = saved;
		for (p = e; is_blank(*p); p++)
			;
	}
	while (start > 0 && is_blank(line[start - 1]))
		start--;
	line[start] = '\0';
}

/* Split the loader's command line into the image's name and the rest. */
static void split_cmdline(struct ul_bm_boot *b, const char *line)
{
	const char *base, *end;

	while (is_blank(*line))
		line++;
	base = line;
	while (*line && !is_blank(*line))
		if (*line++ == '/')
			base = line;
	end = line;
	if (end - base > 3 && ul_memcmp(end - 3, ".bm", 3) == 0)
		end -= 3;
	if (end == base)
		ul_strlcpy(b->app, "app", sizeof(b->app));
	else
		ul_strlcpy(b->app, base, (size_t)(end - base) + 1 < sizeof(b->app)
		                                 ? (size_t)(end - base) + 1
		                                 : sizeof(b->app));
	while (is_blank(*line))
		line++;
	if (ul_strlcpy(b->cmdline, line, sizeof(b->cmdline)) >= sizeof(b->cmdline))
		ul_bm_fail("the command line is longer than %d bytes",
		           BM_CMDLINE_MAX - 1);
	take_device_words(b->cmdline);
}

static void read_multiboot(struct ul_bm_boot *b, const struct mb_info *mb)
{
	if (!(mb->flags & MB_INFO_MMAP))
		ul_bm_fail("the multiboot loader gave no memory map");
	for (uint32_t off = 0; off < mb->mmap_length;) {
		const struct mb_mmap_entry *e =
			(const void *)(uintptr_t)(mb->mmap_addr + off);
		add_ram(b, e->addr, e->len, e->type);
		off += e->size + sizeof(e->size);
	}
	split_cmdline(b, mb->flags & MB_INFO_CMDLINE
	                         ? (const char *)(uintptr_t)mb->cmdline
	                         : "");
}

static void read_pvh(struct ul_bm_boot *b, const struct pvh_start_info *si)
{
	if (si->magic != PVH_MAGIC)
		ul_bm_fail("the PVH start info has a bad magic number 0x%x", si->magic);
	if (si->version < 1 || si->memmap_entries == 0)
		ul_bm_fail("the PVH loader gave no memory map");
	const struct pvh_memmap_entry *e =
		(const void *)(uintptr_t)si->memmap_paddr;
	for (uint32_t i = 0; i < si->memmap_entries; i++)
		add_ram(b, e[i].addr, e[i].size, e[i].type);
	split_cmdline(b, si->cmdline_paddr
	                         ? (const char *)(uintptr_t)si->cmdline_paddr
	                         : "");
	b->rsdp = si->rsdp_paddr;
}

void ul_bm_bootinfo_read(struct ul_bm_boot *b)
{
	const void *p = (const void *)(uintptr_t)ul_bm_boot_info;

	if (ul_bm_boot_protocol == BM_BOOT_MULTIBOOT)
		read_multiboot(b, p);
	else
		read_pvh(b, p);
}

const char *ul_bm_boot_protocol_name(void)
{
	return ul_bm_boot_protocol == BM_BOOT_MULTIBOOT ? "multiboot" : "PVH";
}
