/* The amd64 registers as gdb numbers them, and the target description
 * (target.xml) that tells gdb so. Written from the GDB manual's "i386
 * Features": org.gnu.gdb.i386.core is required (general registers, rip,
 * eflags, the six segment selectors and the x87 state), and
 * org.gnu.gdb.i386.segments adds fs_base and gs_base. The order of the
 * table is the order of gdb's register numbers and of the g packet. */
#include "internal.h"

enum feature { CORE, SEGMENTS };

struct reg_desc {
	const char *name;
	uint8_t bits;
	const char *type;
	int8_t slot; /* enum ul_gdb_reg, or -1: never supplied */
	uint8_t feature;
};

#define GPR(n, s) {n, 64, "int64", s, CORE}
#define SEL(n, s) {n, 32, "int32", s, CORE}
#define X87(n, bits, type) {n, bits, type, -1, CORE}

static const struct reg_desc regs[] = {
	GPR("rax", UL_GDB_RAX), GPR("rbx", UL_GDB_RBX),
	GPR("rcx", UL_GDB_RCX), GPR("rdx", UL_GDB_RDX),
	GPR("rsi", UL_GDB_RSI), GPR("rdi", UL_GDB_RDI),
	{"rbp", 64, "data_ptr", UL_GDB_RBP, CORE},
	{"rsp", 64, "data_ptr", UL_GDB_RSP, CORE},
	GPR("r8", UL_GDB_R8), GPR("r9", UL_GDB_R9),
	GPR("r10", UL_GDB_R10), GPR("r11", UL_GDB_R11),
	GPR("r12", UL_GDB_R12), GPR("r13", UL_GDB_R13),
	GPR("r14", UL_GDB_R14), GPR("r15", UL_GDB_R15),
	{"rip", 64, "code_ptr", UL_GDB_RIP, CORE},
	{"eflags", 32, "i386_eflags", UL_GDB_EFLAGS, CORE},
	SEL("cs", UL_GDB_CS), SEL("ss", UL_GDB_SS), SEL("ds", UL_GDB_DS),
	SEL("es", UL_GDB_ES), SEL("fs", UL_GDB_FS), SEL("gs", UL_GDB_GS),
	X87("st0", 80, "i387_ext"), X87("st1", 80, "i387_ext"),
	X87("st2", 80, "i387_ext"), X87("st3", 80, "i387_ext"),
	X87("st4", 80, "i387_ext"), X87("st5", 80, "i387_ext"),
	X87("st6", 80, "i387_ext"), X87("st7", 80, "i387_ext"),
	X87("fctrl", 32, "int"), X87("fstat", 32, "int"),
	X87("ftag", 32, "int"), X87("fiseg", 32, "int"),
	X87("fioff", 32, "int"), X87("foseg", 32, "int"),
	X87("fooff", 32, "int"), X87("fop", 32, "int"),
	{"fs_base", 64, "int", UL_GDB_FS_BASE, SEGMENTS},
	{"gs_base", 64, "int", UL_GDB_GS_BASE, SEGMENTS},
};

#define NREGS (sizeof(regs) / sizeof(regs[0]))

static const char *const feature_names[] = {
	[CORE] = "org.gnu.gdb.i386.core",
	[SEGMENTS] = "org.gnu.gdb.i386.segments",
};

/* The flags gdb shows in eflags; bit 1 is reserved (always 1). */
static const struct {
	const char *name;
	uint8_t bit;
} eflags_fields[] = {
	{"CF", 0}, {"", 1}, {"PF", 2}, {"AF", 4}, {"ZF", 6}, {"SF", 7},
	{"TF", 8}, {"IF", 9}, {"DF", 10}, {"OF", 11}, {"NT", 14}, {"RF", 16},
	{"VM", 17}, {"AC", 18}, {"VIF", 19}, {"VIP", 20}, {"ID", 21},
};

unsigned ul_gdb_reg_count(void)
{
	return NREGS;
}

size_t ul_gdb_reg_digits(unsigned n)
{
	return n < NREGS ? regs[n].bits / 4u : 0;
}

int ul_gdb_reg_slot(unsigned n)
{
	return n < NREGS ? regs[n].slot : -1;
}

size_t ul_gdb_reg_encode(unsigned n, const struct ul_gdb_regs *r, char *out)
{
	size_t digits = ul_gdb_reg_digits(n);
	int slot = ul_gdb_reg_slot(n);

	if (digits == 0)
		return 0;
	if (slot < 0 || !(r->valid & (1u << slot))) {
		for (size_t i = 0; i < digits; i++)
			out[i] = 'x';
		return digits;
	}
	return ul_gdb_hex_le(r->value[slot], regs[n].bits / 8u, out);
}

/* --- target.xml, produced on demand through a window --- */

/* gdb reads the description in pieces (qXfer offset and length); the
 * document is generated afresh each time and only the bytes inside the
 * window are kept, so it needs no buffer of its own. */
struct window {
	uint64_t off;  /* first byte wanted */
	size_t cap;    /* bytes wanted */
	uint64_t pos;  /* bytes generated so far */
	char *out;
	size_t n;      /* bytes kept */
};

static void put(struct window *w, const char *s)
{
	for (; *s; s++, w->pos++)
		if (w->pos >= w->off && w->n < w->cap)
			w->out[w->n++] = *s;
}

static void put_number(struct window *w, unsigned v)
{
	char digits[12];
	size_t i = sizeof(digits) - 1;

	digits[i] = '\0';
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(w, digits + i);
}

static void put_eflags_type(struct window *w)
{
	put(w, "<flags id=\"i386_eflags\" size=\"4\">\n");
	for (size_t i = 0; i < sizeof(eflags_fields) / sizeof(eflags_fields[0]);
	     i++) {
		put(w, "<field name=\"");
		put(w, eflags_fields[i].name);
		put(w, "\" start=\"");
		put_number(w, eflags_fields[i].bit);
		put(w, "\" end=\"");
		put_number(w, eflags_fields[i].bit);
		put(w, "\"/>\n");
	}
	put(w, "</flags>\n");
}

static void put_reg(struct window *w, const struct reg_desc *r)
{
	put(w, "<reg name=\"");
	put(w, r->name);
	put(w, "\" bitsize=\"");
	put_number(w, r->bits);
	put(w, "\" type=\"");
	put(w, r->type);
	put(w, r->slot < 0 && r->bits == 32 ? "\" group=\"float\"/>\n" : "\"/>\n");
}

static void put_document(struct window *w)
{
	put(w, "<?xml version=\"1.0\"?>\n"
	       "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	       "<target version=\"1.0\">\n"
	       "<architecture>i386:x86-64</architecture>\n");
	for (unsigned f = 0; f < sizeof(feature_names) / sizeof(feature_names[0]);
	     f++) {
		put(w, "<feature name=\"");
		put(w, feature_names[f]);
		put(w, "\">\n");
		if (f == CORE)
			put_eflags_type(w);
		for (size_t i = 0; i < NREGS; i++)
			if (regs[i].feature == f)
				put_reg(w, &regs[i]);
		put(w, "</feature>\n");
	}
	put(w, "</target>\n");
}

size_t ul_gdb_tdesc_read(uint64_t off, size_t len, char *out, bool *last)
{
	struct window w = {.off = off, .cap = len, .out = out};

	put_document(&w);
	*last = off + w.n >= w.pos;
	return w.n;
}

int ul_gdb_exception_signal(uint64_t vector)
{
	switch (vector) {
	case 0:  /* #DE, divide error */
	case 16: /* #MF, x87 error */
	case 19: /* #XM, SIMD error */
		return UL_GDB_SIGFPE;
	case 6: /* #UD, invalid opcode */
		return UL_GDB_SIGILL;
	case 17: /* #AC, alignment check */
		return UL_GDB_SIGBUS;
	default:
		return UL_GDB_SIGSEGV;
	}
}
