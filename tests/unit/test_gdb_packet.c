/* Unit tests of the gdb stub's packet layer and command parser
 * (debugger/): checksums, framing and acks, the binary escape, malformed,
 * oversized and unknown packets, and a random-input driver that feeds the
 * whole stub garbage. The machine behind it is a fake: registers in an
 * array, memory in a buffer, and a core thread list laid out by hand. */
#include <check.h>
#include "run_suite.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/errno.h>

#include "internal.h"
#include "packet.h"
#include "stub.h"

/* --- a fake machine --- */

#define MEM_BASE 0x10000u
#define MEM_SIZE 0x10000u

static uint8_t mem[MEM_SIZE];
static struct ul_gdb_regs cpu;
static int hw_result; /* what hw_point answers */

static long fake_read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (addr < MEM_BASE || addr >= MEM_BASE + MEM_SIZE)
		return -UL_EFAULT;
	size_t room = MEM_BASE + MEM_SIZE - addr;
	size_t n = len < room ? len : room;
	memcpy(buf, mem + (addr - MEM_BASE), n);
	return (long)n;
}

static int fake_write_mem(void *ctx, uint64_t addr, const void *buf,
                          size_t len)
{
	(void)ctx;
	if (addr < MEM_BASE || len > MEM_SIZE ||
	    addr - MEM_BASE > MEM_SIZE - len)
		return -UL_EFAULT;
	memcpy(mem + (addr - MEM_BASE), buf, len);
	return 0;
}

static int fake_read_regs(void *ctx, struct ul_gdb_regs *r)
{
	(void)ctx;
	*r = cpu;
	return 0;
}

static int fake_write_reg(void *ctx, enum ul_gdb_reg reg, uint64_t v)
{
	(void)ctx;
	if (reg >= UL_GDB_CS)
		return -UL_EPERM;
	cpu.value[reg] = v;
	return 0;
}

static int fake_hw_point(void *ctx, bool insert, enum ul_gdb_point kind,
                         uint64_t addr, uint64_t len)
{
	(void)ctx;
	(void)insert;
	(void)kind;
	(void)addr;
	(void)len;
	return hw_result;
}

static const struct ul_gdb_target target = {
	fake_read_regs, fake_write_reg, fake_read_mem, fake_write_mem,
	fake_hw_point,
};

/* --- a fake connection: input from a string, output to a buffer --- */

struct pipe {
	const uint8_t *in;
	size_t in_len, in_pos;
	char out[4 * UL_GDB_PACKET_MAX];
	size_t out_len;
	bool closed_after_input; /* else: no data, for ul_gdb_interrupted */
};

static int pipe_read(void *ctx, bool wait)
{
	struct pipe *p = ctx;
	if (p->in_pos < p->in_len)
		return p->in[p->in_pos++];
	return wait || p->closed_after_input ? UL_GDB_CLOSED : UL_GDB_NO_DATA;
}

static bool pipe_write(void *ctx, const void *buf, size_t len)
{
	struct pipe *p = ctx;
	size_t room = sizeof(p->out) - p->out_len;
	size_t n = len < room ? len : room;
	memcpy(p->out + p->out_len, buf, n);
	p->out_len += n;
	return true;
}

static const struct ul_gdb_transport transport = {pipe_read, pipe_write};

static struct ul_gdb g;
static struct pipe link;

static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	memset(&cpu, 0, sizeof(cpu));
	for (int i = 0; i < UL_GDB_NREGS; i++)
		cpu.value[i] = 0x1111111111111111ull * (uint64_t)(i % 15 + 1);
	cpu.value[UL_GDB_RIP] = MEM_BASE + 0x100;
	cpu.valid = (1u << UL_GDB_NREGS) - 1;
	hw_result = -UL_ENOSYS;
	memset(&link, 0, sizeof(link));
	ul_gdb_init(&g, &transport, &link, &target, NULL);
}

/* Handle one packet's payload; the reply, NUL-terminated. */
static const char *ask(const char *payload)
{
	static char buf[2 * UL_GDB_PACKET_MAX];
	enum ul_gdb_action action;

	snprintf(buf, sizeof(buf), "%s", payload);
	ul_gdb_handle(&g, buf, strlen(buf), &action);
	g.reply[g.reply_len] = '\0';
	return g.reply;
}

static bool is_error(const char *reply)
{
	return reply[0] == 'E' && strlen(reply) == 3;
}

/* Feed a string to a fresh receiver; the event of the last byte. */
static enum ul_gdb_rx_event feed(struct ul_gdb_rx *rx, const char *s,
                                 size_t len)
{
	enum ul_gdb_rx_event e = UL_GDB_RX_NONE;
	for (size_t i = 0; i < len; i++)
		e = ul_gdb_rx_byte(rx, (uint8_t)s[i]);
	return e;
}

/* --- checksums and framing --- */

START_TEST(checksums)
{
	ck_assert_uint_eq(ul_gdb_checksum("", 0), 0);
	ck_assert_uint_eq(ul_gdb_checksum("OK", 2), 0x9a);
	ck_assert_uint_eq(ul_gdb_checksum("m0,4", 4), 0xfd);
	ck_assert_uint_eq(ul_gdb_checksum("\xff\xff", 2), 0xfe); /* mod 256 */
}
END_TEST

START_TEST(receive_good_packets)
{
	struct ul_gdb_rx rx;

	ul_gdb_rx_init(&rx);
	ck_assert_int_eq(feed(&rx, "$OK#9a", 6), UL_GDB_RX_PACKET);
	ck_assert_str_eq(rx.data, "OK");
	ck_assert_int_eq(feed(&rx, "$OK#9A", 6), UL_GDB_RX_PACKET);
	ck_assert_int_eq(feed(&rx, "$#00", 4), UL_GDB_RX_PACKET);
	ck_assert_uint_eq(rx.len, 0);
	/* Noise between packets is skipped; a '$' inside one restarts. */
	ck_assert_int_eq(feed(&rx, "xyz\n$garbage$OK#9a", 18), UL_GDB_RX_PACKET);
	ck_assert_str_eq(rx.data, "OK");
}
END_TEST

START_TEST(receive_control_bytes)
{
	struct ul_gdb_rx rx;

	ul_gdb_rx_init(&rx);
	ck_assert_int_eq(ul_gdb_rx_byte(&rx, '+'), UL_GDB_RX_ACK);
	ck_assert_int_eq(ul_gdb_rx_byte(&rx, '-'), UL_GDB_RX_NAK);
	ck_assert_int_eq(ul_gdb_rx_byte(&rx, 0x03), UL_GDB_RX_INTERRUPT);
	/* Inside a packet they are data. */
	ck_assert_int_eq(feed(&rx, "$+-", 3), UL_GDB_RX_NONE);
}
END_TEST

START_TEST(receive_bad_checksums)
{
	struct ul_gdb_rx rx;

	ul_gdb_rx_init(&rx);
	ck_assert_int_eq(feed(&rx, "$OK#9b", 6), UL_GDB_RX_BAD_CHECKSUM);
	ck_assert_int_eq(feed(&rx, "$OK#zz", 5), UL_GDB_RX_BAD_CHECKSUM);
	ck_assert_int_eq(feed(&rx, "$OK#9", 5), UL_GDB_RX_NONE);
	ck_assert_int_eq(ul_gdb_rx_byte(&rx, 'q'), UL_GDB_RX_BAD_CHECKSUM);
	/* A '$' where a checksum digit belongs is a new packet. */
	ck_assert_int_eq(feed(&rx, "$OK#$OK#9a", 10), UL_GDB_RX_PACKET);
	ck_assert_str_eq(rx.data, "OK");
}
END_TEST

static size_t make_packet(char *out, char fill, size_t n)
{
	out[0] = '$';
	memset(out + 1, fill, n);
	uint8_t sum = ul_gdb_checksum(out + 1, n);
	return 1 + n + (size_t)sprintf(out + 1 + n, "#%02x", sum);
}

START_TEST(receive_oversized)
{
	static char buf[UL_GDB_PACKET_MAX + 16];
	struct ul_gdb_rx rx;
	size_t n;

	ul_gdb_rx_init(&rx);
	n = make_packet(buf, 'a', UL_GDB_PACKET_MAX);
	ck_assert_int_eq(feed(&rx, buf, n), UL_GDB_RX_PACKET);
	ck_assert_uint_eq(rx.len, UL_GDB_PACKET_MAX);
	n = make_packet(buf, 'a', UL_GDB_PACKET_MAX + 1);
	ck_assert_int_eq(feed(&rx, buf, n), UL_GDB_RX_TOO_LONG);
	ck_assert_uint_eq(rx.len, 0);
	ck_assert_int_eq(feed(&rx, "$OK#9a", 6), UL_GDB_RX_PACKET);
	ck_assert_str_eq(rx.data, "OK");
}
END_TEST

START_TEST(frame_escapes)
{
	static const char payload[] = "a$b#c}d*e";
	char out[64];
	struct ul_gdb_rx rx;
	size_t n = ul_gdb_frame(payload, strlen(payload), out);

	out[n] = '\0';
	ck_assert_str_eq(out, "$a}\x04" "b}\x03" "c}]d}\x0a" "e#51");
	/* The receiver takes it, and unescaping gives the payload back. */
	ul_gdb_rx_init(&rx);
	ck_assert_int_eq(feed(&rx, out, n), UL_GDB_RX_PACKET);
	long len = ul_gdb_unescape(rx.data, rx.len);
	ck_assert_int_eq(len, (long)strlen(payload));
	ck_assert_mem_eq(rx.data, payload, (size_t)len);
}
END_TEST

START_TEST(unescape_errors)
{
	char a[] = "ab}";
	char b[] = "}]}\x03";
	ck_assert_int_eq(ul_gdb_unescape(a, 3), -1);
	ck_assert_int_eq(ul_gdb_unescape(b, 4), 2);
	ck_assert_mem_eq(b, "}#", 2);
}
END_TEST

START_TEST(hex_numbers)
{
	const char *s = "ffffffffffffffff,", *p = s;
	const char *too_long = "10000000000000000";
	uint64_t v;
	uint8_t bytes[2];
	char hex[5];

	ck_assert(ul_gdb_parse_hex(&p, s + strlen(s), &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_ptr_eq(p, s + 16);
	p = too_long;
	ck_assert(!ul_gdb_parse_hex(&p, too_long + 17, &v));
	ck_assert_ptr_eq(p, too_long);
	p = ",";
	ck_assert(!ul_gdb_parse_hex(&p, p + 1, &v));
	ck_assert(ul_gdb_hex_decode("A0ff", 2, bytes));
	ck_assert_uint_eq(bytes[0], 0xa0);
	ck_assert(!ul_gdb_hex_decode("g0", 1, bytes));
	ul_gdb_hex_le(0xbeef, 2, hex);
	hex[4] = '\0';
	ck_assert_str_eq(hex, "efbe");
}
END_TEST

/* --- commands --- */

START_TEST(unknown_commands)
{
	static const char *const unknown[] = {
		"qFooBar", "vFoo", "!", "R00", "bc", "t0,1", "QPassSignals:1",
		"qTStatus", "vMustReplyEmpty", "Qx", "i", "\x7f", "qXfer:foo:read",
	};
	setup();
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		ck_assert_msg(ask(unknown[i])[0] == '\0', "%s got a reply",
		              unknown[i]);
}
END_TEST

START_TEST(malformed_commands)
{
	static const char *const bad[] = {
		"m", "mzz,4", "m10000", "m10000,", "m10000,4x", "M10000,2:zz00",
		"M10000,2:abcd00", "M10000,3:abcd", "X10000,2:a", "X10000,1:}",
		"Z9,10000,1", "Z0", "Z0,10000", "P", "Pzz=1", "P10=12",
		"P0=0011223344556677889", "p1000", "p", "Hx1", "Hg", "T", "Tzz",
		"qThreadExtraInfo,", "C", "Czz", "c10000x", "vCont;x",
		"vCont;s:zz", "vCont", "qXfer:features:read:target.xml:0",
		"ffffffffffffffffff",
		"m10000,fffffffffffffffff",
	};
	setup();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *r = ask(bad[i]);
		ck_assert_msg(is_error(r) || r[0] == '\0',
		              "%s: expected an error, got \"%s\"", bad[i], r);
	}
	ck_assert(is_error(ask("mzz,4")));
	ck_assert(is_error(ask("P10=12")));
	ck_assert(is_error(ask("Z9,10000,1")));
}
END_TEST

START_TEST(registers)
{
	setup();
	const char *r = ask("g");
	size_t digits = 0;

	for (unsigned n = 0; n < ul_gdb_reg_count(); n++)
		digits += ul_gdb_reg_digits(n);
	ck_assert_uint_eq(strlen(r), digits);
	ck_assert(strncmp(r, "1111111111111111", 16) == 0); /* rax */
	/* rip is register 16, after 16 64-bit registers. */
	ck_assert(strncmp(r + 16 * 16, "0001010000000000", 16) == 0);
	ck_assert(strchr(r, 'x') != NULL); /* the x87 state is unavailable */
	ck_assert_str_eq(ask("p10"), "0001010000000000");
	ck_assert_str_eq(ask("p18"), "xxxxxxxxxxxxxxxxxxxx"); /* st0 */
	ck_assert_str_eq(ask("P10=0002010000000000"), "OK");
	ck_assert_uint_eq(cpu.value[UL_GDB_RIP], MEM_BASE + 0x200);
	ck_assert(is_error(ask("P12=00000000"))); /* cs */
	ck_assert(is_error(ask("P18=00000000000000000000"))); /* st0 */
}
END_TEST

START_TEST(write_all_registers)
{
	setup();
	char buf[UL_GDB_PACKET_MAX + 2];
	snprintf(buf, sizeof(buf), "G%s", ask("g"));
	memcpy(buf + 1, "2a00000000000000", 16); /* rax = 42 */
	ck_assert_str_eq(ask(buf), "OK");
	ck_assert_uint_eq(cpu.value[UL_GDB_RAX], 42);
	ck_assert(is_error(ask("G2a0000")));
}
END_TEST

START_TEST(memory)
{
	setup();
	memcpy(mem, "\x01\x02\xfe\xff", 4);
	ck_assert_str_eq(ask("m10000,4"), "0102feff");
	ck_assert_str_eq(ask("m1fffe,8"), "0000"); /* stops at the end */
	ck_assert_str_eq(ask("m0,4"), "E0e");
	ck_assert_str_eq(ask("m10000,0"), "");
	ck_assert_str_eq(ask("M10004,3:a1b2c3"), "OK");
	ck_assert_mem_eq(mem + 4, "\xa1\xb2\xc3", 3);
	ck_assert_str_eq(ask("X10008,4:a}]}\x03z"), "OK");
	ck_assert_mem_eq(mem + 8, "a}#z", 4);
	ck_assert_str_eq(ask("X10008,0:"), "OK");
	ck_assert_str_eq(ask("M0,1:00"), "E0e");
	/* A large read is cut to what a reply holds. */
	ck_assert_uint_eq(strlen(ask("m10000,ffff")), UL_GDB_PACKET_MAX);
}
END_TEST

START_TEST(breakpoints)
{
	setup();
	mem[0x100] = 0x55;
	ck_assert_str_eq(ask("Z0,10100,1"), "OK");
	ck_assert_uint_eq(mem[0x100], 0xcc);
	ck_assert(ul_gdb_is_sw_break(&g, MEM_BASE + 0x100));
	ck_assert_str_eq(ask("Z0,10100,1"), "OK"); /* a second user */
	ck_assert_str_eq(ask("z0,10100,1"), "OK");
	ck_assert_uint_eq(mem[0x100], 0xcc);
	ck_assert_str_eq(ask("z0,10100,1"), "OK");
	ck_assert_uint_eq(mem[0x100], 0x55);
	ck_assert(!ul_gdb_is_sw_break(&g, MEM_BASE + 0x100));
	ck_assert(is_error(ask("Z0,5,1"))); /* unmapped */
	/* Hardware points are the target's; "unsupported" is empty. */
	ck_assert_str_eq(ask("Z2,10000,4"), "");
	hw_result = 0;
	ck_assert_str_eq(ask("Z2,10000,4"), "OK");
	hw_result = -UL_ENOSPC;
	ck_assert(is_error(ask("Z1,10000,1")));
	/* Detaching takes every int3 out. */
	ck_assert_str_eq(ask("Z0,10100,1"), "OK");
	ck_assert_str_eq(ask("D"), "OK");
	ck_assert_uint_eq(mem[0x100], 0x55);
}
END_TEST

START_TEST(too_many_breakpoints)
{
	char cmd[32];
	setup();
	for (unsigned i = 0; i < UL_GDB_MAX_BREAKPOINTS; i++) {
		snprintf(cmd, sizeof(cmd), "Z0,%x,1", MEM_BASE + i);
		ck_assert_str_eq(ask(cmd), "OK");
	}
	snprintf(cmd, sizeof(cmd), "Z0,%x,1", MEM_BASE + 0x1000);
	ck_assert(is_error(ask(cmd)));
}
END_TEST

START_TEST(queries)
{
	setup();
	ck_assert(strstr(ask("qSupported:multiprocess+;swbreak+;hwbreak+"),
	                 "PacketSize=1000") != NULL);
	ck_assert(g.report_swbreak && g.report_hwbreak);
	ck_assert_str_eq(ask("qAttached"), "0");
	ck_assert_str_eq(ask("qC"), "QC1");
	ck_assert_str_eq(ask("vCont?"), "vCont;c;C;s;S");
	ck_assert_str_eq(ask("qfThreadInfo"), "m1"); /* no thread symbols */
	ck_assert_str_eq(ask("qsThreadInfo"), "l");
	ck_assert_str_eq(ask("T1"), "OK");
	ck_assert(is_error(ask("T2")));
	ck_assert_str_eq(ask("Hg0"), "OK");
	ck_assert_str_eq(ask("Hc-1"), "OK");
	ck_assert(strncmp(ask("?"), "T05thread:1;", 12) == 0);
	ck_assert(is_error(ask("qXfer:features:read:other.xml:0,10")));
}
END_TEST

START_TEST(target_description)
{
	static char xml[16384];
	size_t len = 0;
	char cmd[64];

	setup();
	for (;;) {
		snprintf(cmd, sizeof(cmd), "qXfer:features:read:target.xml:%zx,%x",
		         len, 100);
		const char *r = ask(cmd);
		ck_assert(r[0] == 'm' || r[0] == 'l');
		ck_assert_uint_le(g.reply_len - 1, 100);
		memcpy(xml + len, r + 1, g.reply_len - 1);
		len += g.reply_len - 1;
		if (r[0] == 'l')
			break;
		ck_assert_uint_lt(len, sizeof(xml) - 128);
	}
	xml[len] = '\0';
	ck_assert(strncmp(xml, "<?xml", 5) == 0);
	ck_assert(strstr(xml, "<feature name=\"org.gnu.gdb.i386.core\">"));
	ck_assert(strstr(xml, "<feature name=\"org.gnu.gdb.i386.segments\">"));
	ck_assert(strstr(xml, "<reg name=\"gs_base\" bitsize=\"64\""));
	ck_assert(strstr(xml, "<reg name=\"st7\" bitsize=\"80\""));
	ck_assert(strcmp(xml + len - 10, "</target>\n") == 0);
	snprintf(cmd, sizeof(cmd), "qXfer:features:read:target.xml:%zx,10", len);
	ck_assert_str_eq(ask(cmd), "l");
}
END_TEST

START_TEST(resume_actions)
{
	enum ul_gdb_action a;
	char buf[32];

	setup();
#define ACTION(p, want)                                                 \
	do {                                                            \
		snprintf(buf, sizeof(buf), "%s", p);                    \
		ck_assert_msg(ul_gdb_handle(&g, buf, strlen(buf), &a),  \
		              "%s did not resume", p);                  \
		ck_assert_int_eq(a, want);                              \
	} while (0)
	ACTION("c", UL_GDB_CONTINUE);
	ACTION("s", UL_GDB_STEP);
	ACTION("C0b", UL_GDB_CONTINUE);
	ACTION("S05;10300", UL_GDB_STEP);
	ck_assert_uint_eq(cpu.value[UL_GDB_RIP], 0x10300);
	ACTION("vCont;c", UL_GDB_CONTINUE);
	ACTION("vCont;s:1;c", UL_GDB_STEP);
	ACTION("vCont;C05:1;c", UL_GDB_CONTINUE);
	ACTION("k", UL_GDB_KILL);
	ck_assert(g.silent);
	ACTION("vKill;1", UL_GDB_KILL);
	ACTION("D", UL_GDB_DETACH);
#undef ACTION
}
END_TEST

/* A thread list in fake memory, laid out by a ul_debug_info of our own:
 * main (running), "worker" (blocked, switched out) and a zombie. */
#define INFO_AT (MEM_BASE + 0x8000)
#define CURRENT_AT (MEM_BASE + 0x8100)
#define THREAD_AT(i) (MEM_BASE + 0x9000 + 0x100 * (i))
#define STACK_AT (MEM_BASE + 0xa000)

struct fake_thread {
	uint64_t sp;
	uint32_t id;
	char name[16];
	uint32_t state;
	uint64_t all_next;
};

static void put_thread(unsigned i, uint32_t id, const char *name,
                       uint32_t state, uint64_t sp, unsigned next)
{
	struct fake_thread t = {.sp = sp, .id = id, .state = state,
	                        .all_next = THREAD_AT(next)};
	snprintf(t.name, sizeof(t.name), "%s", name);
	memcpy(mem + (THREAD_AT(i) - MEM_BASE), &t, sizeof(t));
}

static void setup_threads(void)
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
		/* Not the core's order, and a spare word: the stub must
		 * follow the descriptor, not know the frame. */
		.frame_size = 64, .frame_rip = 0, .frame_rbp = 8,
		.frame_rbx = 16, .frame_r12 = 24, .frame_r13 = 32,
		.frame_r14 = 40, .frame_r15 = 48,
	};
	const struct ul_gdb_thread_syms syms = {
		THREAD_AT(0), CURRENT_AT, INFO_AT,
	};
	/* The switched-out frame, as the descriptor above lays it out. */
	const uint64_t frame[8] = {0x12345, 0xbb, 0xb0, 12, 13, 14, 15, 0};
	uint64_t current = THREAD_AT(0);

	setup();
	memcpy(mem + (INFO_AT - MEM_BASE), &info, sizeof(info));
	memcpy(mem + (CURRENT_AT - MEM_BASE), &current, sizeof(current));
	memcpy(mem + (STACK_AT - MEM_BASE), frame, sizeof(frame));
	put_thread(0, 1, "main", UL_DEBUG_THREAD_RUNNING, 0, 1);
	put_thread(1, 2, "worker", UL_DEBUG_THREAD_BLOCKED, STACK_AT, 2);
	put_thread(2, 3, "gone", UL_DEBUG_THREAD_ZOMBIE, 0, 0);
	ul_gdb_set_threads(&g, &syms);
}

START_TEST(threads)
{
	char hex[64];
	static const char text[] = "worker, blocked";

	setup_threads();
	ck_assert_str_eq(ask("qfThreadInfo"), "m1,2");
	ck_assert_str_eq(ask("qsThreadInfo"), "l");
	ck_assert_str_eq(ask("T2"), "OK");
	ck_assert(is_error(ask("T3"))); /* a zombie is not alive */
	ul_gdb_hex_encode(text, strlen(text), hex);
	hex[2 * strlen(text)] = '\0';
	ck_assert_str_eq(ask("qThreadExtraInfo,2"), hex);
	ck_assert_str_eq(ask("Hg2"), "OK");
	ck_assert_str_eq(ask("p0"), "xxxxxxxxxxxxxxxx");   /* rax: lost */
	ck_assert_str_eq(ask("p1"), "b000000000000000");   /* rbx */
	ck_assert_str_eq(ask("p10"), "4523010000000000");  /* rip */
	ck_assert_str_eq(ask("p7"), "40a0010000000000");   /* rsp: sp + 64 */
	ck_assert_str_eq(ask("pf"), "0f00000000000000");   /* r15 */
	ck_assert(is_error(ask("P0=0000000000000000"))); /* not the CPU's */
	ck_assert(is_error(ask("Hg3")));
	ck_assert_str_eq(ask("Hg0"), "OK");
	ck_assert_str_eq(ask("p0"), "1111111111111111");
}
END_TEST

START_TEST(thread_layout_checked)
{
	/* A descriptor whose saved rip lies past the end of the frame is
	 * not believed: no thread list is read through it. */
	struct ul_debug_info info;
	const struct ul_gdb_thread_syms syms = {
		THREAD_AT(0), CURRENT_AT, INFO_AT,
	};

	setup_threads();
	ck_assert_str_eq(ask("qfThreadInfo"), "m1,2");
	memcpy(&info, mem + (INFO_AT - MEM_BASE), sizeof(info));
	info.frame_rip = info.frame_size - 4;
	memcpy(mem + (INFO_AT - MEM_BASE), &info, sizeof(info));
	ul_gdb_set_threads(&g, &syms);
	ck_assert_str_eq(ask("qfThreadInfo"), "m1");
	ck_assert(is_error(ask("Hg2")));
}
END_TEST

START_TEST(thread_list_cycle)
{
	/* A list that loops without coming back to main must not hang. */
	setup_threads();
	put_thread(1, 2, "worker", UL_DEBUG_THREAD_BLOCKED, STACK_AT, 1);
	const char *r = ask("qfThreadInfo");
	ck_assert(strncmp(r, "m1,2,2,", 7) == 0);
	/* The walk is bounded: the replies come to an end. */
	int replies = 0;
	while (ask("qsThreadInfo")[0] == 'm')
		ck_assert_int_lt(++replies, 2000);
}
END_TEST

/* --- the serve loop, with acks --- */

static enum ul_gdb_action serve(const char *input, bool resumed)
{
	struct ul_gdb_stop stop = {.signal = UL_GDB_SIGTRAP};
	link.in = (const uint8_t *)input;
	link.in_len = strlen(input);
	link.in_pos = 0;
	link.out_len = 0;
	g.resumed = resumed;
	enum ul_gdb_action a = ul_gdb_stopped(&g, &stop);
	link.out[link.out_len] = '\0';
	return a;
}

START_TEST(serve_loop_acks)
{
	setup();
	ck_assert_int_eq(serve("$?#3f$c#63", false), UL_GDB_CONTINUE);
	ck_assert_str_eq(link.out, "+$T05thread:1;#d7+");
	/* The stop reply goes out unasked after a resume. */
	ck_assert_int_eq(serve("$s#73", true), UL_GDB_STEP);
	ck_assert_str_eq(link.out, "$T05thread:1;#d7+");
	/* A bad checksum is NAKed; a NAK resends. */
	ck_assert_int_eq(serve("$?#00-$c#63", false), UL_GDB_CONTINUE);
	ck_assert_str_eq(link.out, "-$T05thread:1;#d7+");
}
END_TEST

START_TEST(serve_loop_no_ack)
{
	setup();
	ck_assert_int_eq(serve("$QStartNoAckMode#b0$?#3f$D#44", false),
	                 UL_GDB_DETACH);
	ck_assert_str_eq(link.out, "+$OK#9a$T05thread:1;#d7$OK#9a");
}
END_TEST

START_TEST(serve_loop_oversized_and_closed)
{
	static char input[UL_GDB_PACKET_MAX + 64];

	setup();
	size_t n = make_packet(input, 'm', UL_GDB_PACKET_MAX + 10);
	input[n] = '\0';
	/* Refused, then the connection ends: a detach, int3s taken out. */
	ck_assert_int_eq(serve(input, false), UL_GDB_DETACH);
	ck_assert(strstr(link.out, "$E5a#") != NULL);
}
END_TEST

START_TEST(interrupts)
{
	setup();
	link.in = (const uint8_t *)"\x03";
	link.in_len = 1;
	ck_assert(ul_gdb_interrupted(&g));
	ck_assert(!ul_gdb_interrupted(&g)); /* nothing more has come */
	link.closed_after_input = true;
	ck_assert(ul_gdb_interrupted(&g)); /* gone: stop, then detach */
	ul_gdb_exited(&g, 3);
	ck_assert_uint_eq(link.out_len, 0); /* nobody to tell */
}
END_TEST

/* A gdb arriving at a machine that runs without one: its acks are
 * dropped, its first packet begins the session and is served whole, and
 * gdb's quit is to detach. */
START_TEST(late_attach)
{
	setup();
	ck_assert(!ul_gdb_arriving(&g)); /* nothing has come */
	link.in = (const uint8_t *)"++$?#3f$D#44";
	link.in_len = strlen((const char *)link.in);
	ck_assert(ul_gdb_arriving(&g));
	ul_gdb_set_attached_late(&g);
	struct ul_gdb_stop stop = {.signal = UL_GDB_SIGINT};
	ck_assert_int_eq(ul_gdb_stopped(&g, &stop), UL_GDB_DETACH);
	link.out[link.out_len] = '\0';
	ck_assert_str_eq(link.out, "+$T02thread:1;#d4+$OK#9a");
	ck_assert_str_eq(ask("qAttached"), "1");

	setup(); /* a Ctrl-C first is gdb arriving too */
	link.in = (const uint8_t *)"+\x03";
	link.in_len = 2;
	ck_assert(ul_gdb_arriving(&g));
}
END_TEST

START_TEST(exit_packets)
{
	setup();
	ul_gdb_exited(&g, 14);
	link.out[link.out_len] = '\0';
	ck_assert_str_eq(link.out, "$W0e#ec");
	setup();
	ul_gdb_terminated(&g, UL_GDB_SIGSEGV);
	link.out[link.out_len] = '\0';
	ck_assert_str_eq(link.out, "$X0b#ea");
}
END_TEST

/* --- random input: never a crash, every reply well framed --- */

static bool well_framed(const char *out, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (out[i] == '+' || out[i] == '-') {
			i++;
			continue;
		}
		if (out[i] != '$')
			return false;
		const char *hash = memchr(out + i, '#', len - i);
		if (!hash || (size_t)(hash - out) + 3 > len)
			return false;
		unsigned sum;
		if (sscanf(hash + 1, "%2x", &sum) != 1 ||
		    sum != ul_gdb_checksum(out + i + 1, (size_t)(hash - out - i - 1)))
			return false;
		i = (size_t)(hash - out) + 3;
	}
	return true;
}

START_TEST(random_input)
{
	static const char alphabet[] = "$#}*+-0123456789abcdefABCDEF,:;=xX"
	                               "gGpPmMzZqQvHTcsCSDk?\x03";
	static char input[8192];
	unsigned seed = 12345;

	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(rand_r(&seed) % (sizeof(input) - 1));
		for (size_t i = 0; i < n; i++)
			input[i] = rand_r(&seed) % 4 == 0
			                   ? (char)(rand_r(&seed) & 0xff)
			                   : alphabet[rand_r(&seed) %
			                              (sizeof(alphabet) - 1)];
		input[n] = '\0';
		if (round % 2)
			setup_threads();
		else
			setup();
		link.in = (const uint8_t *)input;
		link.in_len = n;
		while (link.in_pos < link.in_len) {
			struct ul_gdb_stop stop = {.signal = UL_GDB_SIGINT};
			size_t before = link.out_len;
			ul_gdb_stopped(&g, &stop);
			ck_assert(well_framed(link.out + before,
			                      link.out_len - before));
			if (link.out_len > sizeof(link.out) / 2)
				link.out_len = 0;
		}
	}
}
END_TEST

/* Well-formed commands with random numbers: the parser's edge cases. */
START_TEST(random_commands)
{
	static const char *const verbs[] = {
		"m%llx,%llx", "M%llx,%llx:00", "X%llx,%llx:", "Z0,%llx,%llx",
		"z0,%llx,%llx", "Z2,%llx,%llx", "p%llx", "P%llx=%llx", "Hg%llx",
		"T%llx", "qThreadExtraInfo,%llx",
		"qXfer:features:read:target.xml:%llx,%llx",
	};
	unsigned seed = 777;
	char cmd[128];

	setup_threads();
	for (int i = 0; i < 200000; i++) {
		unsigned long long a = (unsigned long long)rand_r(&seed) << 33 ^
		                       (unsigned long long)rand_r(&seed);
		unsigned long long b = (unsigned long long)rand_r(&seed) %
		                       (i % 3 ? 64 : 100000);
		if (i % 5 == 0)
			a = MEM_BASE + a % MEM_SIZE;
		snprintf(cmd, sizeof(cmd), verbs[i % 12], a, b);
		ask(cmd);
		ck_assert_uint_le(g.reply_len, UL_GDB_PACKET_MAX);
	}
}
END_TEST

static Suite *gdb_suite(void)
{
	Suite *s = suite_create("gdb_packet");
	TCase *packets = tcase_create("packets");
	TCase *commands = tcase_create("commands");
	TCase *loop = tcase_create("serve");
	TCase *fuzz = tcase_create("random");

	tcase_add_test(packets, checksums);
	tcase_add_test(packets, receive_good_packets);
	tcase_add_test(packets, receive_control_bytes);
	tcase_add_test(packets, receive_bad_checksums);
	tcase_add_test(packets, receive_oversized);
	tcase_add_test(packets, frame_escapes);
	tcase_add_test(packets, unescape_errors);
	tcase_add_test(packets, hex_numbers);
	suite_add_tcase(s, packets);
	tcase_add_test(commands, unknown_commands);
	tcase_add_test(commands, malformed_commands);
	tcase_add_test(commands, registers);
	tcase_add_test(commands, write_all_registers);
	tcase_add_test(commands, memory);
	tcase_add_test(commands, breakpoints);
	tcase_add_test(commands, too_many_breakpoints);
	tcase_add_test(commands, queries);
	tcase_add_test(commands, target_description);
	tcase_add_test(commands, resume_actions);
	tcase_add_test(commands, threads);
	tcase_add_test(commands, thread_layout_checked);
	tcase_add_test(commands, thread_list_cycle);
	suite_add_tcase(s, commands);
	tcase_add_test(loop, serve_loop_acks);
	tcase_add_test(loop, serve_loop_no_ack);
	tcase_add_test(loop, serve_loop_oversized_and_closed);
	tcase_add_test(loop, interrupts);
	tcase_add_test(loop, late_attach);
	tcase_add_test(loop, exit_packets);
	suite_add_tcase(s, loop);
	tcase_set_timeout(fuzz, 60);
	tcase_add_test(fuzz, random_input);
	tcase_add_test(fuzz, random_commands);
	suite_add_tcase(s, fuzz);
	return s;
}

int main(void)
{
	return ul_run_suite(gdb_suite());
}
