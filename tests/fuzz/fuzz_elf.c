/* The kvm monitor's ELF loader as a fuzz target: an input is an image
 * file. The loader (backends/kvm/monitor/elf.c) must refuse a bad one with
 * a message, never crash; an image it accepts must keep its promises
 * (segments inside the file and guest memory, the entry in an executable
 * segment), load into guest memory, and its symbol table (symbols.c) must
 * give a name or none, never a crash. fatal() is the monitor's refusal: here
 * it jumps back instead of ending the process. */
#include <elf.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor.h"

#define GUEST_MEM (64ull << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jmp_buf refused;
static bool armed;

_Noreturn void fatal(int status, const char *fmt, ...)
{
	(void)status;
	(void)fmt;
	if (!armed)
		abort();
	longjmp(refused, 1);
}

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_elf: an accepted image breaks a promise: %s\n",
		        what);
		abort();
	}
}

/* What image_open promises of an image it accepts. */
static void check_accepted(const struct image *img)
{
	bool entry_inside = false;
	require(img->nsegments > 0 && img->nsegments <= IMAGE_MAX_SEGMENTS,
	        "segment count");
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct segment *s = &img->seg[i];
		require(s->filesz <= s->memsz, "file bytes within memory bytes");
		require(s->offset <= img->file_size &&
		        s->filesz <= img->file_size - s->offset,
		        "segment bytes inside the file");
		require(s->addr >= UL_KVM_IMAGE_BASE &&
		        s->memsz <= UL_KVM_MEM_MAX - s->addr,
		        "segment inside guest memory");
		require(s->addr + s->memsz <= img->end, "end covers the segment");
		if (img->entry >= s->addr && img->entry - s->addr < s->memsz)
			entry_inside = (s->flags & PF_X) != 0;
	}
	require(entry_inside, "entry in an executable segment");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static struct guest_mem mem;
	static struct image img;
	static char path[64];
	char name[128];
	uint64_t addr;

	if (fd < 0) {
		fd = memfd_create("image", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		armed = true;
		guest_mem_alloc(&mem, GUEST_MEM);
	}
	if (ftruncate(fd, 0) < 0 ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	img.fd = -1;
	if (setjmp(refused) == 0) {
		image_open(&img, path);
		check_accepted(&img);
		image_symbolize(&img, img.entry, name, sizeof(name));
		require(memchr(name, '\0', sizeof(name)) != NULL,
		        "a symbol name ends inside its buffer");
		(void)image_lookup(&img, "ul_main", &addr);
		image_check_fits(&img, mem.size);
		image_load(&img, &mem);
	}
	if (img.fd > 2)
		close(img.fd);
	return 0;
}
