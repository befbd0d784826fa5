/* unilab-kvm: the ELF loader. An image is untrusted input: every header
 * field is checked before it is used, and each way of being wrong gets a
 * message that says what is wrong. Only PT_LOAD segments are loaded, by
 * physical address, which must equal the virtual address (the guest runs
 * identity-mapped). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor.h"

#define MAX_PHDRS 64 /* a unikernel image has three or four */

static _Noreturn __attribute__((format(printf, 2, 3))) void
refuse(const struct image *img, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fatal(UL_KVM_EXIT_BAD_IMAGE, "%s: %s", img->path, why);
}

bool image_read(const struct image *img, void *buf, uint64_t len,
                uint64_t off)
{
	uint8_t *p = buf;

	if (off > img->file_size || len > img->file_size - off)
		return false;
	while (len > 0) {
		ssize_t n = pread(img->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return true;
}

/* Read exactly len bytes at off, or refuse the image as truncated. */
static void read_at(const struct image *img, void *buf, uint64_t len,
                    uint64_t off, const char *what)
{
	if (!image_read(img, buf, len, off))
		fatal(UL_KVM_EXIT_BAD_IMAGE,
		      "%s: truncated: the %s at offset %llu (%llu bytes) runs "
		      "past the end of the file (%llu bytes)",
		      img->path, what, (unsigned long long)off,
		      (unsigned long long)len,
		      (unsigned long long)img->file_size);
}

/* Before anything else, so that a text file or an empty file is called
 * what it is rather than "truncated". head holds the file's first bytes. */
static void check_magic(const struct image *img, const void *head)
{
	if (img->file_size < SELFMAG)
		refuse(img, "not an ELF file (shorter than the ELF magic)");
	if (memcmp(head, ELFMAG, SELFMAG) != 0)
		refuse(img, "not an ELF file (no \\177ELF magic)");
}

static void check_ident(const struct image *img, const Elf64_Ehdr *eh)
{
	if (eh->e_ident[EI_CLASS] == ELFCLASS32)
		refuse(img, "a 32-bit ELF file; " MONITOR_NAME " runs 64-bit "
		            "x86_64 images");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		refuse(img, "unknown ELF class (neither 32- nor 64-bit)");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		refuse(img, "a big-endian ELF file; x86_64 is little-endian");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		refuse(img, "unknown ELF version");
	if (eh->e_machine != EM_X86_64)
		refuse(img, "not an x86_64 ELF file (e_machine is not EM_X86_64)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		refuse(img, "program headers of the wrong size");
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS)
		refuse(img, "no program headers, or more than 64");
}

/* Unilab's other images are x86_64 ELF files too; loaded here, they would
 * crash on their first instruction. Each is known by what it carries: the
 * Xen-owned ELF notes of a baremetal image (only the PVH entry) or a xen
 * image (the PV kernel notes), and the dynamic loader a posix image asks
 * for. */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define NOTES_MAX 4096 /* ours hold a few hundred bytes */

enum kind { KIND_OTHER, KIND_BAREMETAL, KIND_XEN };

static enum kind note_kind(const struct image *img, const Elf64_Phdr *ph)
{
	uint8_t notes[NOTES_MAX];
	uint64_t len = ph->p_filesz < NOTES_MAX ? ph->p_filesz : NOTES_MAX;
	enum kind kind = KIND_OTHER;

	if (!image_read(img, notes, len, ph->p_offset))
		return KIND_OTHER; /* the segment checks say what is wrong */
	for (uint64_t off = 0; off + 12 <= len;) {
		uint32_t w[3]; /* name size, descriptor size, type */
		memcpy(w, notes + off, sizeof(w));
		uint64_t name = off + 12;
		uint64_t desc = name + (((uint64_t)w[0] + 3) & ~3ull);
		uint64_t next = desc + (((uint64_t)w[1] + 3) & ~3ull);
		if (next > len)
			break;
		if (w[0] == 4 && memcmp(notes + name, "Xen", 4) == 0) {
			if (w[2] == XEN_ELFNOTE_PHYS32_ENTRY)
				return KIND_BAREMETAL;
			kind = KIND_XEN;
		}
		off = next;
	}
	return kind;
}

static void check_kind(const struct image *img, const Elf64_Phdr *ph,
                       unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (ph[i].p_type == PT_INTERP)
			refuse(img, "a posix image (a Linux program), not a kvm "
			            "one: run it as it is, or with ./unilab run APP");
		if (ph[i].p_type != PT_NOTE)
			continue;
		switch (note_kind(img, &ph[i])) {
		case KIND_BAREMETAL:
			refuse(img, "a baremetal image (APP.bm), not a kvm one: "
			            "QEMU boots it, ./unilab run APP "
			            "--backend=baremetal");
		case KIND_XEN:
			refuse(img, "a xen image (APP.xen), not a kvm one: Xen "
			            "starts it, ./unilab run APP --backend=xen");
		case KIND_OTHER:
			break;
		}
	}
}

static void check_type(const struct image *img, const Elf64_Ehdr *eh)
{
	if (eh->e_type == ET_DYN)
		refuse(img, "a position-independent (ET_DYN) file; guests are "
		            "linked -static -no-pie at fixed addresses");
	if (eh->e_type != ET_EXEC)
		refuse(img, "not an executable (e_type is not ET_EXEC)");
}

static void check_segment(const struct image *img, unsigned i,
                          const Elf64_Phdr *ph)
{
	unsigned long long addr = ph->p_paddr, memsz = ph->p_memsz;

	if (ph->p_filesz > ph->p_memsz)
		refuse(img, "segment %u has more file bytes than memory bytes", i);
	if (ph->p_vaddr != ph->p_paddr)
		refuse(img, "segment %u: virtual address 0x%llx differs from "
		            "physical address 0x%llx (guests run identity-mapped)",
		       i, (unsigned long long)ph->p_vaddr, addr);
	if (addr < UL_KVM_IMAGE_BASE)
		refuse(img, "segment %u at 0x%llx overlaps the monitor's reserved "
		            "pages [0, 0x%llx); link the image at 0x%llx or above",
		       i, addr, UL_KVM_IMAGE_BASE, UL_KVM_IMAGE_BASE);
	if (memsz > UL_KVM_MEM_MAX || addr > UL_KVM_MEM_MAX - memsz)
		refuse(img, "segment %u [0x%llx, +0x%llx) lies outside the largest "
		            "guest memory (4 GiB)", i, addr, memsz);
	if (ph->p_offset > img->file_size ||
	    ph->p_filesz > img->file_size - ph->p_offset)
		refuse(img, "truncated: segment %u's bytes [%llu, +%llu) run past "
		            "the end of the file (%llu bytes)",
		       i, (unsigned long long)ph->p_offset,
		       (unsigned long long)ph->p_filesz,
		       (unsigned long long)img->file_size);
}

static void add_segment(struct image *img, unsigned i, const Elf64_Phdr *ph)
{
	struct segment s = {
		.addr = ph->p_paddr,
		.filesz = ph->p_filesz,
		.memsz = ph->p_memsz,
		.offset = ph->p_offset,
		.flags = ph->p_flags,
	};

	if (s.memsz == 0)
		return;
	if (img->nsegments == IMAGE_MAX_SEGMENTS)
		refuse(img, "more than 16 loadable segments");
	for (unsigned j = 0; j < img->nsegments; j++) {
		const struct segment *o = &img->seg[j];
		if (s.addr < o->addr + o->memsz && o->addr < s.addr + s.memsz)
			refuse(img, "segment %u [0x%llx, 0x%llx) overlaps an "
			            "earlier segment [0x%llx, 0x%llx)",
			       i, (unsigned long long)s.addr,
			       (unsigned long long)(s.addr + s.memsz),
			       (unsigned long long)o->addr,
			       (unsigned long long)(o->addr + o->memsz));
	}
	img->seg[img->nsegments++] = s;
	if (s.addr + s.memsz > img->end)
		img->end = s.addr + s.memsz;
}

static void check_entry(const struct image *img)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct segment *s = &img->seg[i];
		if (img->entry >= s->addr && img->entry - s->addr < s->memsz) {
			if (s->flags & PF_X)
				return;
			refuse(img, "entry point 0x%llx is in a segment that is "
			            "not executable", (unsigned long long)img->entry);
		}
	}
	refuse(img, "entry point 0x%llx is outside every loadable segment",
	       (unsigned long long)img->entry);
}

void image_open(struct image *img, const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	struct stat st;

	memset(img, 0, sizeof(*img));
	img->path = path;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0)
		fatal(UL_KVM_EXIT_BAD_IMAGE, "cannot open image %s: %s", path,
		      strerror(errno));
	if (fstat(img->fd, &st) < 0 || !S_ISREG(st.st_mode))
		refuse(img, "not a regular file");
	img->file_size = (uint64_t)st.st_size;
	uint64_t head = img->file_size < sizeof(eh) ? img->file_size : sizeof(eh);
	read_at(img, &eh, head, 0, "ELF header");
	check_magic(img, &eh);
	if (head < sizeof(eh))
		refuse(img, "truncated: shorter than an ELF header (%zu bytes)",
		       sizeof(eh));
	check_ident(img, &eh);
	read_at(img, ph, (uint64_t)eh.e_phnum * sizeof(ph[0]), eh.e_phoff,
	        "program headers");
	check_kind(img, ph, eh.e_phnum);
	check_type(img, &eh);

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP || ph[i].p_type == PT_DYNAMIC)
			refuse(img, "dynamically linked; guests are linked -static");
		if (ph[i].p_type != PT_LOAD)
			continue;
		check_segment(img, i, &ph[i]);
		add_segment(img, i, &ph[i]);
	}
	if (img->nsegments == 0)
		refuse(img, "no loadable (PT_LOAD) segment");
	img->entry = eh.e_entry;
	check_entry(img);
}

void image_check_fits(const struct image *img, uint64_t mem_size)
{
	/* At least a page of heap after the image. */
	if (img->end + UL_KVM_PAGE > mem_size)
		fatal(UL_KVM_EXIT_BAD_IMAGE,
		      "%s: segments end at 0x%llx, which does not fit in %llu KiB "
		      "of guest memory with room for a heap; use a larger --mem",
		      img->path, (unsigned long long)img->end,
		      (unsigned long long)(mem_size >> 10));
}

/* The tail of each segment past its file bytes is left alone: fresh guest
 * memory is already zero, which is what .bss needs. */
void image_load(const struct image *img, const struct guest_mem *mem)
{
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct segment *s = &img->seg[i];
		void *dst = guest_ptr(mem, s->addr, s->memsz, 1);
		if (dst == NULL)
			fatal(UL_KVM_EXIT_BAD_IMAGE,
			      "%s: segment at 0x%llx does not fit in guest memory",
			      img->path, (unsigned long long)s->addr);
		read_at(img, dst, s->filesz, s->offset, "segment");
	}
}
