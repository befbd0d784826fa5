/* The GDB stub's commands and its serve loop, from the GDB manual's
 * "Remote Protocol" chapter. Every packet is parsed against its own
 * length: a malformed one gets an error reply (E16), an unknown one the
 * empty reply, and nothing gdb sends can make the stub read or write
 * outside its buffers. */
#include <unilab/errno.h>

#include "internal.h"

#define THREADS_PER_REPLY 64 /* ids in one q[fs]ThreadInfo reply */
#define NAME_MAX_LEN 64      /* a qThreadExtraInfo text */

static const char supported[] =
	"PacketSize=1000;QStartNoAckMode+;qXfer:features:read+;"
	"swbreak+;hwbreak+";
_Static_assert(UL_GDB_PACKET_MAX == 0x1000, "PacketSize above is hex");

void ul_gdb_init(struct ul_gdb *g, const struct ul_gdb_transport *io,
                 void *io_ctx, const struct ul_gdb_target *target, void *ctx)
{
	*g = (struct ul_gdb){.io = io, .io_ctx = io_ctx, .target = target,
	                     .ctx = ctx, .current = 1,
	                     .stop = {.signal = UL_GDB_SIGTRAP}};
	ul_gdb_rx_init(&g->rx);
}

void ul_gdb_set_attached_late(struct ul_gdb *g)
{
	g->attached_late = true;
}

bool ul_gdb_arriving(struct ul_gdb *g)
{
	for (;;) {
		int c = g->io->read(g->io_ctx, false);
		if (c < 0)
			return false;
		if (c == 0x03)
			return true;
		if (c == '$') {
			ul_gdb_rx_byte(&g->rx, (uint8_t)c);
			return true;
		}
	}
}

void ul_gdb_set_threads(struct ul_gdb *g, const struct ul_gdb_thread_syms *s)
{
	g->syms = *s;
	g->threads_known = true;
	g->threads_loaded = false;
}

/* --- building replies --- */

static void put(struct ul_gdb *g, const char *s)
{
	while (*s && g->reply_len < UL_GDB_PACKET_MAX)
		g->reply[g->reply_len++] = *s++;
}

static void put_hex(struct ul_gdb *g, uint64_t v)
{
	char digits[17];
	int i = 16;

	digits[16] = '\0';
	do {
		digits[--i] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	put(g, digits + i);
}

static void reply_error(struct ul_gdb *g, int err)
{
	g->reply_len = 0;
	put(g, "E");
	unsigned code = (unsigned)(err < 0 ? -err : err) & 0xff;
	if (code < 0x10)
		put(g, "0");
	put_hex(g, code);
}

static void reply_ok(struct ul_gdb *g)
{
	put(g, "OK");
}

static void reply_status(struct ul_gdb *g, int err)
{
	if (err < 0)
		reply_error(g, err);
	else
		reply_ok(g);
}

static void put_byte_hex(struct ul_gdb *g, unsigned v)
{
	char s[3];
	ul_gdb_hex_le(v & 0xff, 1, s);
	s[2] = '\0';
	put(g, s);
}

static void stop_reply(struct ul_gdb *g)
{
	const struct ul_gdb_stop *s = &g->stop;
	static const char *const watch_names[] = {
		[UL_GDB_WATCH_WRITE] = "watch:", [UL_GDB_WATCH_READ] = "rwatch:",
		[UL_GDB_WATCH_ACCESS] = "awatch:",
	};

	put(g, "T");
	put_byte_hex(g, (unsigned)s->signal);
	if (s->watchpoint && s->kind >= UL_GDB_WATCH_WRITE &&
	    s->kind <= UL_GDB_WATCH_ACCESS) {
		put(g, watch_names[s->kind]);
		put_hex(g, s->watch_addr);
		put(g, ";");
	} else if (s->breakpoint && s->kind == UL_GDB_SW_BREAK &&
	           g->report_swbreak) {
		put(g, "swbreak:;");
	} else if (s->breakpoint && s->kind == UL_GDB_HW_BREAK &&
	           g->report_hwbreak) {
		put(g, "hwbreak:;");
	}
	put(g, "thread:");
	put_hex(g, (uint64_t)g->current);
	put(g, ";");
}

/* --- parsing --- */

struct cursor {
	const char *p, *end;
};

static bool take_hex(struct cursor *c, uint64_t *v)
{
	return ul_gdb_parse_hex(&c->p, c->end, v);
}

static bool take_char(struct cursor *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static bool at_end(const struct cursor *c)
{
	return c->p == c->end;
}

static bool starts_with(const char *data, size_t len, const char *prefix,
                        struct cursor *rest)
{
	size_t n = 0;
	while (prefix[n]) {
		if (n >= len || data[n] != prefix[n])
			return false;
		n++;
	}
	*rest = (struct cursor){data + n, data + len};
	return true;
}

/* "addr,len" */
static bool take_range(struct cursor *c, uint64_t *addr, uint64_t *len)
{
	return take_hex(c, addr) && take_char(c, ',') && take_hex(c, len);
}

/* A thread id: hex, "-1" (all) or "0" (any). */
static bool take_thread(struct cursor *c, long *id)
{
	uint64_t v;
	if (take_char(c, '-')) {
		if (!take_char(c, '1'))
			return false;
		*id = -1;
		return true;
	}
	if (!take_hex(c, &v) || v > 0x7fffffff)
		return false;
	*id = (long)v;
	return true;
}

/* A register value of digits hex digits (at most 16), little-endian. */
static bool le_value(const char *hex, size_t digits, uint64_t *v)
{
	uint8_t bytes[8];
	if (digits == 0 || digits > 16 || digits % 2 ||
	    !ul_gdb_hex_decode(hex, digits / 2, bytes))
		return false;
	*v = 0;
	for (size_t i = digits / 2; i-- > 0;)
		*v = *v << 8 | bytes[i];
	return true;
}

/* --- registers --- */

static long reg_thread(const struct ul_gdb *g)
{
	return g->reg_thread > 0 ? g->reg_thread : g->current;
}

static void cmd_read_regs(struct ul_gdb *g)
{
	struct ul_gdb_regs r;
	int err = ul_gdb_thread_regs(g, reg_thread(g), &r);

	if (err < 0) {
		reply_error(g, err);
		return;
	}
	for (unsigned n = 0; n < ul_gdb_reg_count(); n++)
		g->reply_len += ul_gdb_reg_encode(n, &r, g->reply + g->reply_len);
}

static void cmd_read_reg(struct ul_gdb *g, struct cursor *c)
{
	struct ul_gdb_regs r;
	uint64_t n;
	int err;

	if (!take_hex(c, &n) || !at_end(c) || n >= ul_gdb_reg_count()) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	err = ul_gdb_thread_regs(g, reg_thread(g), &r);
	if (err < 0)
		reply_error(g, err);
	else
		g->reply_len = ul_gdb_reg_encode((unsigned)n, &r, g->reply);
}

/* Only the running thread's registers are the CPU's; a switched-out
 * thread's saved frame is left alone. */
static int write_reg(struct ul_gdb *g, unsigned n, uint64_t value)
{
	int slot = ul_gdb_reg_slot(n);
	if (slot < 0 || reg_thread(g) != g->current)
		return -UL_EPERM;
	return g->target->write_reg(g->ctx, (enum ul_gdb_reg)slot, value);
}

static void cmd_write_reg(struct ul_gdb *g, struct cursor *c)
{
	uint64_t n, v;
	size_t digits;

	if (!take_hex(c, &n) || !take_char(c, '=') || n >= ul_gdb_reg_count()) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	digits = ul_gdb_reg_digits((unsigned)n);
	if ((size_t)(c->end - c->p) != digits || !le_value(c->p, digits, &v)) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	reply_status(g, write_reg(g, (unsigned)n, v));
}

/* G: all registers in order. gdb sends back what it read with some
 * changed, so only changed values are written (a segment selector
 * cannot be, but it never changes); 'x' digits mean "leave it". */
static void cmd_write_regs(struct ul_gdb *g, struct cursor *c)
{
	struct ul_gdb_regs r;
	int err = ul_gdb_thread_regs(g, reg_thread(g), &r);

	for (unsigned n = 0; err >= 0 && n < ul_gdb_reg_count() && !at_end(c);
	     n++) {
		size_t digits = ul_gdb_reg_digits(n);
		int slot = ul_gdb_reg_slot(n);
		uint64_t v;

		if ((size_t)(c->end - c->p) < digits) {
			err = -UL_EINVAL;
			break;
		}
		const char *hex = c->p;
		c->p += digits;
		if (hex[0] == 'x' || slot < 0)
			continue;
		uint64_t mask = digits < 16 ? (1ull << (4 * digits)) - 1 : ~0ull;
		if (!le_value(hex, digits, &v))
			err = -UL_EINVAL;
		else if (!(r.valid & (1u << slot)) || (r.value[slot] & mask) != v)
			err = write_reg(g, n, v);
	}
	reply_status(g, err);
}

/* --- memory --- */

/* m addr,len: the bytes are read into the second half of the reply
 * buffer and spread into hex from the front, so no second buffer is
 * needed. A read that stops at an unmapped page returns what it got. */
static void cmd_read_mem(struct ul_gdb *g, struct cursor *c)
{
	uint64_t addr, len;
	long n;

	if (!take_range(c, &addr, &len) || !at_end(c)) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	if (len > UL_GDB_PACKET_MAX / 2)
		len = UL_GDB_PACKET_MAX / 2;
	if (len == 0)
		return;
	uint8_t *bytes = (uint8_t *)g->reply + UL_GDB_PACKET_MAX / 2;
	n = g->target->read_mem(g->ctx, addr, bytes, (size_t)len);
	if (n <= 0) {
		reply_error(g, n < 0 ? (int)n : -UL_EFAULT);
		return;
	}
	for (long i = 0; i < n; i++) {
		uint8_t b = bytes[i];
		ul_gdb_hex_le(b, 1, g->reply + 2 * i);
	}
	g->reply_len = 2 * (size_t)n;
}

/* M addr,len:hex and X addr,len:binary. The data is decoded in place in
 * the packet buffer (decoding never makes it longer). */
static void cmd_write_mem(struct ul_gdb *g, struct cursor *c, bool binary)
{
	uint64_t addr, len;
	char *data;
	size_t avail;

	if (!take_range(c, &addr, &len) || !take_char(c, ':')) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	data = (char *)c->p;
	avail = (size_t)(c->end - c->p);
	if (binary) {
		long n = ul_gdb_unescape(data, avail);
		if (n < 0 || (uint64_t)n != len) {
			reply_error(g, -UL_EINVAL);
			return;
		}
	} else if (len > avail / 2 || avail != 2 * len ||
	           !ul_gdb_hex_decode(data, (size_t)len, data)) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	if (len == 0) { /* gdb probing whether X works */
		reply_ok(g);
		return;
	}
	reply_status(g, g->target->write_mem(g->ctx, addr, data, (size_t)len));
}

/* --- breakpoints --- */

static void cmd_point(struct ul_gdb *g, struct cursor *c, bool insert)
{
	uint64_t type, addr, kind;
	int err;

	if (!take_hex(c, &type) || !take_char(c, ',') ||
	    !take_range(c, &addr, &kind) || type > UL_GDB_WATCH_ACCESS) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	/* Anything after kind (";cond" lists) was not asked for in
	 * qSupported and is ignored. */
	if (type == UL_GDB_SW_BREAK)
		err = ul_gdb_sw_break(g, insert, addr);
	else if (!g->target->hw_point)
		err = -UL_ENOSYS;
	else
		err = g->target->hw_point(g->ctx, insert, (enum ul_gdb_point)type,
		                          addr, kind);
	if (err == -UL_ENOSYS)
		return; /* empty: "not supported", gdb stops trying */
	reply_status(g, err);
}

/* --- threads --- */

static void cmd_set_thread(struct ul_gdb *g, struct cursor *c)
{
	char op;
	long id;

	if (at_end(c)) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	op = *c->p++;
	if (!take_thread(c, &id) || !at_end(c) || (op != 'g' && op != 'c')) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	/* Hc picks the thread to resume; only the running one can be. */
	if (op == 'c' || id <= 0) {
		if (op == 'g')
			g->reg_thread = 0;
		reply_ok(g);
		return;
	}
	if (!ul_gdb_thread_alive(g, id)) {
		reply_error(g, -UL_ENOENT);
		return;
	}
	g->reg_thread = id;
	reply_ok(g);
}

static void cmd_thread_alive(struct ul_gdb *g, struct cursor *c)
{
	long id;
	if (!take_thread(c, &id) || !at_end(c) || id <= 0)
		reply_error(g, -UL_EINVAL);
	else if (!ul_gdb_thread_alive(g, id))
		reply_error(g, -UL_ENOENT);
	else
		reply_ok(g);
}

static void cmd_thread_info(struct ul_gdb *g, bool first)
{
	long ids[THREADS_PER_REPLY];
	size_t n;

	if (first)
		g->listed = 0;
	n = ul_gdb_thread_list(g, g->listed, ids, THREADS_PER_REPLY);
	if (n == 0) {
		put(g, "l");
		return;
	}
	g->listed += (unsigned)n;
	put(g, "m");
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(g, ",");
		put_hex(g, (uint64_t)ids[i]);
	}
}

static void cmd_thread_extra(struct ul_gdb *g, struct cursor *c)
{
	char text[NAME_MAX_LEN];
	long id;

	if (!take_thread(c, &id) || !at_end(c) || id <= 0) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	size_t n = ul_gdb_thread_describe(g, id, text, sizeof(text));
	g->reply_len = ul_gdb_hex_encode(text, n, g->reply);
}

/* --- queries --- */

/* gdb's features: ';'-separated, each "name+", "name-" or "name=value". */
static void note_gdb_features(struct ul_gdb *g, struct cursor *c)
{
	struct cursor f;
	while (!at_end(c)) {
		const char *start = c->p;
		while (c->p < c->end && *c->p != ';')
			c->p++;
		size_t len = (size_t)(c->p - start);
		if (starts_with(start, len, "swbreak+", &f) && at_end(&f))
			g->report_swbreak = true;
		if (starts_with(start, len, "hwbreak+", &f) && at_end(&f))
			g->report_hwbreak = true;
		take_char(c, ';');
	}
}

static void cmd_xfer_features(struct ul_gdb *g, struct cursor *c)
{
	uint64_t off, len;
	bool last;

	if (!take_range(c, &off, &len) || !at_end(c)) {
		reply_error(g, -UL_EINVAL);
		return;
	}
	/* One byte for the m/l marker; the framing escapes the rest. */
	if (len > UL_GDB_PACKET_MAX - 1)
		len = UL_GDB_PACKET_MAX - 1;
	size_t n = ul_gdb_tdesc_read(off, (size_t)len, g->reply + 1, &last);
	g->reply[0] = last ? 'l' : 'm';
	g->reply_len = n + 1;
}

static void cmd_query(struct ul_gdb *g, const char *data, size_t len)
{
	struct cursor c;

	if (starts_with(data, len, "qSupported", &c)) {
		if (take_char(&c, ':'))
			note_gdb_features(g, &c);
		put(g, supported);
	} else if (starts_with(data, len, "qXfer:features:read:target.xml:",
	                       &c)) {
		cmd_xfer_features(g, &c);
	} else if (starts_with(data, len, "qXfer:features:read:", &c)) {
		reply_error(g, -UL_ENOENT); /* no other annex */
	} else if (starts_with(data, len, "qAttached", &c)) {
		/* 1: gdb came to a running machine, so its quit detaches;
		 * 0: the machine was started for gdb, so its quit kills. */
		put(g, g->attached_late ? "1" : "0");
	} else if (starts_with(data, len, "qC", &c) && at_end(&c)) {
		put(g, "QC");
		put_hex(g, (uint64_t)g->current);
	} else if (starts_with(data, len, "qfThreadInfo", &c)) {
		cmd_thread_info(g, true);
	} else if (starts_with(data, len, "qsThreadInfo", &c)) {
		cmd_thread_info(g, false);
	} else if (starts_with(data, len, "qThreadExtraInfo,", &c)) {
		cmd_thread_extra(g, &c);
	}
}

/* --- resuming --- */

/* c/s [addr], C/S sig[;addr]. Signals are not delivered (the machine has
 * none to deliver to): resuming after a crash stop ends the machine. */
static bool cmd_resume(struct ul_gdb *g, char op, struct cursor *c,
                       enum ul_gdb_action *action)
{
	uint64_t v;

	if ((op == 'C' || op == 'S') &&
	    (!take_hex(c, &v) || (!at_end(c) && !take_char(c, ';')))) {
		reply_error(g, -UL_EINVAL);
		return false;
	}
	if (!at_end(c)) {
		int err;
		if (!take_hex(c, &v) || !at_end(c)) {
			reply_error(g, -UL_EINVAL);
			return false;
		}
		err = g->target->write_reg(g->ctx, UL_GDB_RIP, v);
		if (err < 0) {
			reply_error(g, err);
			return false;
		}
	}
	*action = op == 's' || op == 'S' ? UL_GDB_STEP : UL_GDB_CONTINUE;
	return true;
}

/* vCont;ACTION[:thread];... With one CPU and cooperative threads, any
 * step means "step the CPU", and anything else continues it. */
static bool cmd_vcont(struct ul_gdb *g, struct cursor *c,
                      enum ul_gdb_action *action)
{
	bool step = false, any = false;
	uint64_t sig;
	long id;

	while (take_char(c, ';')) {
		if (at_end(c))
			break;
		char op = *c->p++;
		if (op != 'c' && op != 's' && op != 'C' && op != 'S') {
			reply_error(g, -UL_EINVAL);
			return false;
		}
		if ((op == 'C' || op == 'S') && !take_hex(c, &sig)) {
			reply_error(g, -UL_EINVAL);
			return false;
		}
		if (take_char(c, ':') && !take_thread(c, &id)) {
			reply_error(g, -UL_EINVAL);
			return false;
		}
		step |= op == 's' || op == 'S';
		any = true;
	}
	if (!any || !at_end(c)) {
		reply_error(g, -UL_EINVAL);
		return false;
	}
	*action = step ? UL_GDB_STEP : UL_GDB_CONTINUE;
	return true;
}

static bool cmd_v(struct ul_gdb *g, const char *data, size_t len,
                  enum ul_gdb_action *action)
{
	struct cursor c;

	if (starts_with(data, len, "vCont?", &c) && at_end(&c)) {
		put(g, "vCont;c;C;s;S");
	} else if (starts_with(data, len, "vCont", &c)) {
		if (cmd_vcont(g, &c, action)) {
			g->silent = true;
			return true;
		}
	} else if (starts_with(data, len, "vKill", &c)) {
		ul_gdb_sw_break_clear(g);
		reply_ok(g);
		*action = UL_GDB_KILL;
		return true;
	}
	return false;
}

bool ul_gdb_handle(struct ul_gdb *g, char *data, size_t len,
                   enum ul_gdb_action *action)
{
	struct cursor c = {data + (len > 0), data + len};

	g->reply_len = 0;
	g->silent = false;
	if (len == 0)
		return false;
	switch (data[0]) {
	case '?':
		stop_reply(g);
		break;
	case 'g':
		cmd_read_regs(g);
		break;
	case 'G':
		cmd_write_regs(g, &c);
		break;
	case 'p':
		cmd_read_reg(g, &c);
		break;
	case 'P':
		cmd_write_reg(g, &c);
		break;
	case 'm':
		cmd_read_mem(g, &c);
		break;
	case 'M':
		cmd_write_mem(g, &c, false);
		break;
	case 'X':
		cmd_write_mem(g, &c, true);
		break;
	case 'Z':
	case 'z':
		cmd_point(g, &c, data[0] == 'Z');
		break;
	case 'H':
		cmd_set_thread(g, &c);
		break;
	case 'T':
		cmd_thread_alive(g, &c);
		break;
	case 'q':
		cmd_query(g, data, len);
		break;
	case 'Q':
		if (starts_with(data, len, "QStartNoAckMode", &c) && at_end(&c)) {
			reply_ok(g);
			g->no_ack_after_reply = true;
		}
		break;
	case 'v':
		return cmd_v(g, data, len, action);
	case 'c':
	case 's':
	case 'C':
	case 'S':
		g->silent = cmd_resume(g, data[0], &c, action);
		return g->silent;
	case 'D':
		ul_gdb_sw_break_clear(g);
		reply_ok(g);
		*action = UL_GDB_DETACH;
		return true;
	case 'k':
		ul_gdb_sw_break_clear(g);
		g->silent = true; /* gdb does not wait for a reply */
		*action = UL_GDB_KILL;
		return true;
	}
	return false;
}

/* --- the serve loop --- */

static void send_packet(struct ul_gdb *g)
{
	g->frame_len = ul_gdb_frame(g->reply, g->reply_len, g->frame);
	if (!g->io->write(g->io_ctx, g->frame, g->frame_len))
		g->closed = true;
}

static void send_ack(struct ul_gdb *g, const char *ack)
{
	if (!g->no_ack && !g->io->write(g->io_ctx, ack, 1))
		g->closed = true;
}

/* One packet from gdb: ack it, handle it, reply. True when the machine
 * is to go on. */
static bool serve_packet(struct ul_gdb *g, enum ul_gdb_action *action)
{
	bool go;

	send_ack(g, "+");
	go = ul_gdb_handle(g, g->rx.data, g->rx.len, action);
	if (!g->silent)
		send_packet(g);
	if (g->no_ack_after_reply) {
		g->no_ack = true;
		g->no_ack_after_reply = false;
	}
	return go;
}

static void serve_byte(struct ul_gdb *g, uint8_t c, bool *go,
                       enum ul_gdb_action *action)
{
	switch (ul_gdb_rx_byte(&g->rx, c)) {
	case UL_GDB_RX_PACKET:
		*go = serve_packet(g, action);
		break;
	case UL_GDB_RX_BAD_CHECKSUM:
		send_ack(g, "-"); /* gdb sends it again */
		break;
	case UL_GDB_RX_TOO_LONG:
		/* Sending it again would not help: refuse it. */
		send_ack(g, "+");
		reply_error(g, -UL_EMSGSIZE);
		send_packet(g);
		break;
	case UL_GDB_RX_NAK:
		if (g->frame_len && !g->io->write(g->io_ctx, g->frame,
		                                   g->frame_len))
			g->closed = true;
		break;
	default: /* acks, and a Ctrl-C that came as the machine stopped */
		break;
	}
}

enum ul_gdb_action ul_gdb_stopped(struct ul_gdb *g,
                                  const struct ul_gdb_stop *stop)
{
	enum ul_gdb_action action = UL_GDB_CONTINUE;
	bool go = false;

	g->stop = *stop;
	g->current = ul_gdb_thread_current(g);
	g->reg_thread = 0;
	if (g->resumed) {
		g->reply_len = 0;
		stop_reply(g);
		send_packet(g);
		g->resumed = false;
	}
	while (!go && !g->closed) {
		int c = g->io->read(g->io_ctx, true);
		if (c < 0)
			g->closed = true;
		else
			serve_byte(g, (uint8_t)c, &go, &action);
	}
	if (g->closed) {
		ul_gdb_sw_break_clear(g);
		return UL_GDB_DETACH;
	}
	g->resumed = action == UL_GDB_CONTINUE || action == UL_GDB_STEP;
	return action;
}

bool ul_gdb_interrupted(struct ul_gdb *g)
{
	while (!g->closed) {
		int c = g->io->read(g->io_ctx, false);
		if (c == UL_GDB_NO_DATA)
			return false;
		if (c < 0)
			g->closed = true;
		else if (ul_gdb_rx_byte(&g->rx, (uint8_t)c) == UL_GDB_RX_INTERRUPT)
			return true;
	}
	return true;
}

static void send_end(struct ul_gdb *g, const char *kind, int value)
{
	if (g->closed)
		return;
	g->reply_len = 0;
	put(g, kind);
	put_byte_hex(g, (unsigned)value);
	send_packet(g);
	g->closed = true;
}

void ul_gdb_exited(struct ul_gdb *g, int status)
{
	send_end(g, "W", status);
}

void ul_gdb_terminated(struct ul_gdb *g, int signal)
{
	send_end(g, "X", signal);
}
