/* unilab-kvm: gdb's hardware breakpoints and watchpoints (Z1..Z4).
 *
 * On a KVM that runs the guest's debug registers (kvm_intel, kvm_amd)
 * they are the guest's DR0-DR3 and DR7, set with KVM_SET_DEBUGREGS: a hit
 * raises #DB in the guest, whose handler passes it to the stub like any
 * debug exception (abi.h, UL_KVM_HC_DEBUG).
 *
 * kvm_pvm never arms them for the guest: measured on this project's
 * machines, neither the guest's registers (KVM_SET_DEBUGREGS) nor the
 * host's (KVM_SET_GUEST_DEBUG with KVM_GUESTDBG_USE_HW_BP) ever fire. There
 * an instruction breakpoint is an int3 lent by the stub, and a write
 * watchpoint is emulated: the guest runs single-stepped and the watched
 * bytes are compared after each instruction (slow, some thousands of
 * instructions a second, but exact for what gdb's "watch" shows: a
 * change of value). Read and access watchpoints cannot be emulated so and
 * are refused, as they are on x86 for reads anyway. */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "gdb_kvm.h"
#include "x86_64/cpu.h"

#define MAX_WATCHES 4
#define MAX_WATCH_BYTES 64

/* A debug register: the piece of gdb's point [point_addr, +point_len) it
 * covers (an unaligned or long watchpoint takes several). */
struct slot {
	bool used;
	enum ul_gdb_point kind;
	uint64_t addr, len;            /* this register's piece */
	uint64_t point_addr, point_len; /* gdb's point */
};

struct watch {
	bool used;
	uint64_t addr, len;
	uint8_t value[MAX_WATCH_BYTES]; /* as last seen */
};

static bool native;
static bool dirty; /* the debug registers changed since the last load */
static struct slot slots[X86_DEBUG_REGS];
static struct watch watches[MAX_WATCHES];

void points_init(void)
{
	native = access("/sys/module/kvm_pvm", F_OK) != 0;
}

/* The largest piece (8, 4, 2 or 1 bytes) that starts at addr, is aligned
 * and fits in len: what one debug register can watch. */
static uint64_t piece(uint64_t addr, uint64_t len)
{
	uint64_t size = 8;
	while (size > len || addr % size)
		size /= 2;
	return size;
}

static unsigned pieces(uint64_t addr, uint64_t len)
{
	unsigned n = 0;
	for (uint64_t p; len > 0; addr += p, len -= p, n++)
		p = piece(addr, len);
	return n;
}

static unsigned free_slots(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++)
		n += !slots[i].used;
	return n;
}

static int native_insert(enum ul_gdb_point kind, uint64_t addr, uint64_t len)
{
	if (kind == UL_GDB_HW_BREAK)
		len = 1;
	if (len == 0 || len > X86_DEBUG_REGS * 8 ||
	    pieces(addr, len) > free_slots())
		return -UL_ENOSPC;
	for (uint64_t a = addr, left = len; left > 0;) {
		uint64_t p = piece(a, left);
		unsigned i = 0;
		while (slots[i].used)
			i++;
		slots[i] = (struct slot){true, kind, a, p, addr, len};
		a += p;
		left -= p;
	}
	dirty = true;
	return 0;
}

static int native_remove(enum ul_gdb_point kind, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++)
		if (slots[i].used && slots[i].kind == kind &&
		    slots[i].point_addr == addr &&
		    (kind == UL_GDB_HW_BREAK || slots[i].point_len == len)) {
			slots[i].used = false;
			dirty = true;
		}
	return 0;
}

static int emulated_insert(struct vm *vm, uint64_t addr, uint64_t len)
{
	struct watch *w = NULL;

	if (len == 0 || len > MAX_WATCH_BYTES)
		return -UL_ENOSPC;
	for (unsigned i = 0; i < MAX_WATCHES && !w; i++)
		if (!watches[i].used)
			w = &watches[i];
	if (!w)
		return -UL_ENOSPC;
	if (gdb_read_virt(vm, addr, w->value, len) != (long)len)
		return -UL_EFAULT;
	w->used = true;
	w->addr = addr;
	w->len = len;
	return 0;
}

static int emulated_remove(uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < MAX_WATCHES; i++)
		if (watches[i].used && watches[i].addr == addr &&
		    watches[i].len == len)
			watches[i].used = false;
	return 0;
}

int points_set(struct vm *vm, struct ul_gdb *g, bool insert,
               enum ul_gdb_point kind, uint64_t addr, uint64_t len)
{
	if (kind == UL_GDB_WATCH_READ)
		return -UL_ENOSYS; /* x86 watches reads only with writes */
	if (native)
		return insert ? native_insert(kind, addr, len)
		              : native_remove(kind, addr, len);
	if (kind == UL_GDB_HW_BREAK)
		return ul_gdb_sw_break(g, insert, addr);
	if (kind != UL_GDB_WATCH_WRITE)
		return -UL_ENOSYS;
	return insert ? emulated_insert(vm, addr, len)
	              : emulated_remove(addr, len);
}

bool points_stepping(void)
{
	for (unsigned i = 0; i < MAX_WATCHES; i++)
		if (watches[i].used)
			return true;
	return false;
}

static bool native_hit(uint64_t dr6, struct ul_gdb_stop *why)
{
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++) {
		if (!slots[i].used || !(dr6 & (1ull << i)))
			continue;
		why->kind = slots[i].kind;
		why->breakpoint = slots[i].kind == UL_GDB_HW_BREAK;
		why->watchpoint = !why->breakpoint;
		why->watch_addr = slots[i].point_addr;
		return true;
	}
	return false;
}

static bool emulated_hit(struct vm *vm, struct ul_gdb_stop *why)
{
	uint8_t now[MAX_WATCH_BYTES];

	for (unsigned i = 0; i < MAX_WATCHES; i++) {
		struct watch *w = &watches[i];
		if (!w->used ||
		    gdb_read_virt(vm, w->addr, now, w->len) != (long)w->len ||
		    memcmp(now, w->value, w->len) == 0)
			continue;
		memcpy(w->value, now, w->len);
		why->watchpoint = true;
		why->kind = UL_GDB_WATCH_WRITE;
		why->watch_addr = w->addr;
		return true;
	}
	return false;
}

bool points_hit(struct vm *vm, uint64_t dr6, struct ul_gdb_stop *why)
{
	return native ? native_hit(dr6, why) : emulated_hit(vm, why);
}

void points_load(struct vm *vm)
{
	struct kvm_debugregs d;
	static const unsigned rw[] = {
		[UL_GDB_HW_BREAK] = X86_DR7_EXEC,
		[UL_GDB_WATCH_WRITE] = X86_DR7_WRITE,
		[UL_GDB_WATCH_ACCESS] = X86_DR7_ACCESS,
	};

	if (!native || !dirty)
		return;
	memset(&d, 0, sizeof(d));
	d.dr6 = X86_DR6_CLEAR;
	d.dr7 = X86_DR7_FIXED;
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++) {
		if (!slots[i].used)
			continue;
		d.db[i] = slots[i].addr;
		d.dr7 |= X86_DR7_LOCAL(i) | X86_DR7_EXACT |
		         X86_DR7_RW(i, rw[slots[i].kind]) |
		         X86_DR7_LEN(i, slots[i].kind == UL_GDB_HW_BREAK
		                            ? 0
		                            : x86_dr7_len(slots[i].len));
	}
	if (ioctl(vm->vcpu_fd, KVM_SET_DEBUGREGS, &d) < 0)
		fatal(UL_KVM_EXIT_HOST, "KVM_SET_DEBUGREGS failed: %s",
		      strerror(errno));
	dirty = false;
}

void points_clear(struct vm *vm)
{
	for (unsigned i = 0; i < X86_DEBUG_REGS; i++)
		if (slots[i].used) {
			slots[i].used = false;
			dirty = true;
		}
	for (unsigned i = 0; i < MAX_WATCHES; i++)
		watches[i].used = false;
	points_load(vm);
}
