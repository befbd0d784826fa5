/* unilab-kvm: what the guest learns at boot: struct ul_kvm_boot_info in
 * the boot page, and the app's name and command line in the strings page. */
#include <string.h>
#include <time.h>

#include "monitor.h"

struct strings {
	char *buf;
	size_t used, cap;
};

static void put(struct strings *s, const char *p, size_t n)
{
	if (n >= s->cap - s->used) /* keep room for the final NUL */
		fatal(UL_KVM_EXIT_USAGE,
		      "the guest's command line does not fit in the %zu bytes "
		      "of the strings page", s->cap);
	memcpy(s->buf + s->used, p, n);
	s->used += n;
}

/* One argument as a word of the core's command-line syntax (see
 * <unilab/cmdline.h>): as it is when it has no blank, quote or backslash,
 * else in single quotes, each ' written as '\'' (close, escaped quote,
 * reopen). */
static void put_word(struct strings *s, const char *w)
{
	if (*w != '\0' && strpbrk(w, " \t'\"\\") == NULL) {
		put(s, w, strlen(w));
		return;
	}
	put(s, "'", 1);
	for (const char *q; (q = strchr(w, '\'')) != NULL; w = q + 1) {
		put(s, w, (size_t)(q - w));
		put(s, "'\\''", 4);
	}
	put(s, w, strlen(w));
	put(s, "'", 1);
}

/* End the string being put; return the guest address of the next one. */
static uint64_t end_string(struct strings *s)
{
	s->buf[s->used++] = '\0';
	return UL_KVM_STRINGS_PAGE + s->used;
}

/* "dir/hello.kvm" -> "hello" */
static void put_app_name(struct strings *s, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".kvm") == 0)
		n -= 4;
	put(s, base, n);
}

static uint64_t wall_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void boot_info_write(struct vm *vm, const struct options *opt,
                     uint64_t tsc_khz)
{
	struct ul_kvm_boot_info *bi =
		guest_ptr(&vm->mem, BOOT_INFO_GPA, sizeof(*bi), 8);
	struct strings s = {
		.buf = guest_ptr(&vm->mem, UL_KVM_STRINGS_PAGE, UL_KVM_PAGE, 1),
		.cap = UL_KVM_PAGE,
	};

	bi->abi_version = UL_KVM_ABI_VERSION;
	bi->flags = trace_enabled() ? UL_KVM_BOOT_TRACE : 0;
	bi->mem_size = vm->mem.size;
	bi->heap_start = (vm->image.end + UL_KVM_PAGE - 1) & ~(UL_KVM_PAGE - 1);
	bi->heap_end = vm->mem.size;

	bi->app = UL_KVM_STRINGS_PAGE;
	put_app_name(&s, opt->image);
	bi->cmdline = end_string(&s);
	for (int i = 0; i < opt->app_argc; i++) {
		if (i > 0)
			put(&s, " ", 1);
		put_word(&s, opt->app_argv[i]);
	}
	end_string(&s);

	bi->net_count = ul_host_net_count();
	for (unsigned i = 0; i < bi->net_count; i++)
		ul_host_net_info(i, bi->net[i].mac, &bi->net[i].mtu);
	bi->block_count = vm->block_count;
	for (unsigned i = 0; i < vm->block_count; i++) {
		bi->block[i].sectors = vm->block[i].sectors;
		bi->block[i].sector_size = HOST_DISK_SECTOR;
		bi->block[i].read_only = vm->block[i].read_only;
	}
	bi->tsc_khz = tsc_khz;
	bi->wall_ns = wall_clock_ns();
}
