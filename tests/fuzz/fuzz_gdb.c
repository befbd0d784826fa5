/* The gdb stub's fuzz target: an input is whatever a gdb client sends
 * (the seeds in corpus-gdb/ are real sessions), served by the stub of
 * debugger/ on a fake machine: memory at the addresses a kvm guest uses,
 * with a core thread list in it that the input can corrupt through M and X
 * packets. Every packet the stub sends back must be well framed; anything
 * else, or a sanitizer report, is a finding. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <unilab/errno.h>

#include "stub.h"

#define MEM_BASE 0x1000u
#define MEM_SIZE (256u << 10) /* up to 0x41000: stack and image of a guest */
#define INFO_AT 0x30000u
#define CURRENT_AT 0x30100u
#define THREAD_AT(i) (0x31000u + 0x100u * (i))
#define THREADS 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t mem[MEM_SIZE];
static struct ul_gdb_regs cpu;
static const uint8_t *input;
static size_t input_len, input_pos;

static uint8_t *at(uint64_t addr, size_t len)
{
	if (addr < MEM_BASE || len > MEM_SIZE || addr - MEM_BASE > MEM_SIZE - len)
		return NULL;
	return mem + (addr - MEM_BASE);
}

static long read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (!at(addr, 1))
		return -UL_EFAULT;
	size_t room = MEM_BASE + MEM_SIZE - addr;
	size_t n = len < room ? len : room;
	memcpy(buf, at(addr, n), n);
	return (long)n;
}

static int write_mem(void *ctx, uint64_t addr, const void *buf, size_t len)
{
	uint8_t *p = at(addr, len);
	(void)ctx;
	if (!p)
		return -UL_EFAULT;
	memcpy(p, buf, len);
	return 0;
}

static int read_regs(void *ctx, struct ul_gdb_regs *r)
{
	(void)ctx;
	*r = cpu;
	return 0;
}

static int write_reg(void *ctx, enum ul_gdb_reg reg, uint64_t v)
{
	(void)ctx;
	if (reg > UL_GDB_EFLAGS)
		return -UL_EPERM;
	cpu.value[reg] = v;
	return 0;
}

/* Some debug registers, some refusals: both paths get fuzzed. */
static int hw_point(void *ctx, bool insert, enum ul_gdb_point kind,
                    uint64_t addr, uint64_t len)
{
	(void)ctx;
	(void)insert;
	if (kind == UL_GDB_WATCH_READ)
		return -UL_ENOSYS;
	return len > 8 || addr % 2 ? -UL_ENOSPC : 0;
}

static int read_input(void *ctx, bool wait)
{
	(void)ctx;
	if (input_pos < input_len)
		return input[input_pos++];
	return wait ? UL_GDB_CLOSED : UL_GDB_NO_DATA;
}

static bool well_framed(const char *p, size_t len)
{
	if (len == 1)
		return p[0] == '+' || p[0] == '-';
	if (len < 4 || p[0] != '$' || p[len - 3] != '#')
		return false;
	uint8_t sum = ul_gdb_checksum(p + 1, len - 4);
	static const char hex[] = "0123456789abcdef";
	return p[len - 2] == hex[sum >> 4] && p[len - 1] == hex[sum & 0xf];
}

static bool write_output(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	if (!well_framed(buf, len))
		__builtin_trap();
	return true;
}

static const struct ul_gdb_target target = {
	read_regs, write_reg, read_mem, write_mem, hw_point,
};
static const struct ul_gdb_transport transport = {read_input, write_output};

struct fake_thread {
	uint64_t sp;
	uint32_t id;
	char name[16];
	uint32_t state;
	uint64_t all_next;
};

/* Main running, two threads switched out with a saved frame each. */
static void make_machine(void)
{
	static const struct ul_debug_info info = {
		.version = UL_DEBUG_INFO_VERSION,
		.thread_size = sizeof(struct fake_thread),
		.sp = offsetof(struct fake_thread, sp),
		.id = offsetof(struct fake_thread, id),
		.name = offsetof(struct fake_thread, name),
		.name_size = 16,
		.state = offsetof(struct fake_thread, state),
		.all_next = offsetof(struct fake_thread, all_next),
		.frame_size = 56, .frame_r15 = 0, .frame_r14 = 8,
		.frame_r13 = 16, .frame_r12 = 24, .frame_rbx = 32,
		.frame_rbp = 40, .frame_rip = 48,
	};
	uint64_t current = THREAD_AT(0);

	memset(mem, 0, sizeof(mem));
	memcpy(at(INFO_AT, sizeof(info)), &info, sizeof(info));
	memcpy(at(CURRENT_AT, 8), &current, 8);
	for (unsigned i = 0; i < THREADS; i++) {
		struct fake_thread t = {
			.sp = 0x1f000 - 0x100 * i, .id = i + 1,
			.state = i ? UL_DEBUG_THREAD_BLOCKED
			           : UL_DEBUG_THREAD_RUNNING,
			.all_next = THREAD_AT((i + 1) % THREADS),
		};
		memcpy(t.name, i ? "worker" : "main", i ? 7 : 5);
		memcpy(at(THREAD_AT(i), sizeof(t)), &t, sizeof(t));
	}
	memset(&cpu, 0, sizeof(cpu));
	cpu.value[UL_GDB_RIP] = 0x20000;
	cpu.value[UL_GDB_RSP] = 0x20000;
	cpu.value[UL_GDB_CS] = 0x1b;
	cpu.valid = (1u << UL_GDB_NREGS) - 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ul_gdb g;
	const struct ul_gdb_thread_syms syms = {
		THREAD_AT(0), CURRENT_AT, INFO_AT,
	};
	struct ul_gdb_stop stop = {.signal = UL_GDB_SIGTRAP};

	make_machine();
	input = data;
	input_len = size;
	input_pos = 0;
	ul_gdb_init(&g, &transport, NULL, &target, NULL);
	ul_gdb_set_threads(&g, &syms);
	/* Serve until the input ends, as gdb resumes and the machine stops
	 * again (a breakpoint, then a watchpoint, then Ctrl-C). */
	for (unsigned n = 0; input_pos < input_len; n++) {
		stop.breakpoint = n % 3 == 0;
		stop.watchpoint = n % 3 == 1;
		stop.kind = stop.watchpoint ? UL_GDB_WATCH_WRITE : UL_GDB_SW_BREAK;
		stop.watch_addr = 0x30000;
		if (ul_gdb_stopped(&g, &stop) == UL_GDB_KILL)
			break;
		ul_gdb_interrupted(&g);
	}
	ul_gdb_exited(&g, 0);
	return 0;
}
