/* unilab-kvm: names for code addresses in crash reports, and the
 * addresses of the few symbols the gdb stub needs, from the image's own
 * symbol table. Runs only when a guest has crashed or gdb attaches, so it
 * reads the file directly instead of keeping anything in memory; a
 * damaged or stripped table just gives no name. */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "monitor.h"

#define MAX_SECTIONS 256
#define SYMS_PER_READ 64

/* The section headers; false when the file has none we can read. */
static bool read_sections(const struct image *img, Elf64_Ehdr *eh,
                          Elf64_Shdr sh[MAX_SECTIONS])
{
	return image_read(img, eh, sizeof(*eh), 0) &&
	       eh->e_shentsize == sizeof(Elf64_Shdr) &&
	       eh->e_shnum <= MAX_SECTIONS &&
	       image_read(img, sh, (uint64_t)eh->e_shnum * sizeof(sh[0]),
	                  eh->e_shoff);
}

/* Call visit on each symbol of the table symtab until it returns true;
 * whether one did. A table that cannot be read ends the walk early. */
static bool each_symbol(const struct image *img, const Elf64_Shdr *symtab,
                        bool (*visit)(const Elf64_Sym *s, void *arg),
                        void *arg)
{
	Elf64_Sym syms[SYMS_PER_READ];
	uint64_t count = symtab->sh_size / sizeof(Elf64_Sym);

	for (uint64_t i = 0; i < count; i += SYMS_PER_READ) {
		uint64_t n = count - i < SYMS_PER_READ ? count - i : SYMS_PER_READ;
		if (!image_read(img, syms, n * sizeof(Elf64_Sym),
		                symtab->sh_offset + i * sizeof(Elf64_Sym)))
			return false;
		for (uint64_t j = 0; j < n; j++)
			if (visit(&syms[j], arg))
				return true;
	}
	return false;
}

static bool is_code_symbol(const Elf64_Sym *s, uint64_t addr)
{
	unsigned type = ELF64_ST_TYPE(s->st_info);

	if (s->st_shndx == SHN_UNDEF || s->st_name == 0 || s->st_value > addr)
		return false;
	if (type == STT_FUNC)
		return s->st_size == 0 || addr - s->st_value < s->st_size;
	return type == STT_NOTYPE; /* labels in assembly */
}

struct closest {
	uint64_t addr;
	bool found;
	Elf64_Sym best;
};

static bool note_if_closer(const Elf64_Sym *s, void *arg)
{
	struct closest *c = arg;
	if (is_code_symbol(s, c->addr) &&
	    (!c->found || s->st_value > c->best.st_value)) {
		c->best = *s;
		c->found = true;
	}
	return false; /* look at them all */
}

void image_symbolize(const struct image *img, uint64_t addr, char *buf,
                     size_t len)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh[MAX_SECTIONS];
	struct closest c = {.addr = addr};
	char name[64];

	buf[0] = '\0';
	if (!read_sections(img, &eh, sh))
		return;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum)
			continue;
		const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
		each_symbol(img, &sh[i], note_if_closer, &c);
		if (!c.found || c.best.st_name >= strtab->sh_size)
			return;
		uint64_t room = strtab->sh_size - c.best.st_name;
		uint64_t n = room < sizeof(name) ? room : sizeof(name);
		if (!image_read(img, name, n, strtab->sh_offset + c.best.st_name))
			return;
		name[n - 1] = '\0';
		snprintf(buf, len, "%s+0x%llx", name,
		         (unsigned long long)(addr - c.best.st_value));
		return;
	}
}

struct wanted {
	const struct image *img;
	const Elf64_Shdr *strtab;
	const char *name;
	uint64_t addr;
};

static bool is_wanted(const Elf64_Sym *s, void *arg)
{
	struct wanted *w = arg;
	size_t n = strlen(w->name) + 1;
	char buf[64];

	if (s->st_name == 0 || s->st_shndx == SHN_UNDEF || n > sizeof(buf) ||
	    s->st_name >= w->strtab->sh_size ||
	    w->strtab->sh_size - s->st_name < n ||
	    !image_read(w->img, buf, n, w->strtab->sh_offset + s->st_name) ||
	    memcmp(buf, w->name, n) != 0)
		return false;
	w->addr = s->st_value;
	return true;
}

bool image_lookup(const struct image *img, const char *name, uint64_t *addr)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh[MAX_SECTIONS];

	if (!read_sections(img, &eh, sh))
		return false;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh.e_shnum)
			continue;
		struct wanted w = {img, &sh[sh[i].sh_link], name, 0};
		if (each_symbol(img, &sh[i], is_wanted, &w)) {
			*addr = w.addr;
			return true;
		}
	}
	return false;
}
