/* unilab-kvm: names for code addresses in crash reports, from the image's
 * own symbol table. Runs only when a guest has crashed, so it reads the
 * file directly instead of keeping anything in memory; a damaged or
 * stripped table just gives no name. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"

#define MAX_SECTIONS 256
#define SYMS_PER_READ 64

static bool is_code_symbol(const Elf64_Sym *s, uint64_t addr)
{
	unsigned type = ELF64_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_name == 0 || s->st_value > addr)
		return false;
	if (type == STT_FUNC)
		return s->st_size == 0 || addr - s->st_value < s->st_size;
	return type == STT_NOTYPE; /* labels in assembly */
}

/* The closest code symbol at or below addr in the table described by
 * symtab; false when there is none. */
static bool closest_symbol(const struct image *img, const Elf64_Shdr *symtab,
                           uint64_t addr, Elf64_Sym *best)
{
	Elf64_Sym syms[SYMS_PER_READ];
	uint64_t count = symtab->sh_size / sizeof(Elf64_Sym);
	bool found = false;

	for (uint64_t i = 0; i < count; i += SYMS_PER_READ) {
		uint64_t n = count - i < SYMS_PER_READ ? count - i : SYMS_PER_READ;
		if (!image_read(img, syms, n * sizeof(Elf64_Sym),
		                symtab->sh_offset + i * sizeof(Elf64_Sym)))
			return found;
		for (uint64_t j = 0; j < n; j++)
			if (is_code_symbol(&syms[j], addr) &&
			    (!found || syms[j].st_value > best->st_value)) {
				*best = syms[j];
				found = true;
			}
	}
	return found;
}

void image_symbolize(const struct image *img, uint64_t addr, char *buf,
                     size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh[MAX_SECTIONS];
	Elf64_Sym sym;
	char name[64];

	buf[0] = '\0';
	if (!image_read(img, &eh, sizeof(eh), 0) ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum > MAX_SECTIONS ||
	    !image_read(img, sh, (uint64_t)eh.e_shnum * sizeof(sh[0]),
	                eh.e_shoff))
		return;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum)
			continue;
		const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
		if (!closest_symbol(img, &sh[i], addr, &sym) ||
		    sym.st_name >= strtab->sh_size)
			return;
		uint64_t room = strtab->sh_size - sym.st_name;
		uint64_t n = room < sizeof(name) ? room : sizeof(name);
		if (!image_read(img, name, n, strtab->sh_offset + sym.st_name))
			return;
		name[n - 1] = '\0';
		snprintf(buf, len, "%s+0x%llx", name,
		         (unsigned long long)(addr - sym.st_value));
		return;
	}
}
