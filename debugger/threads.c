/* The core's cooperative threads, as gdb threads: read from the machine's
 * memory with the layout the image exports (core/debug_info.h), so the
 * stub needs no copy of the core's structures. A switched-out thread's
 * registers come from the frame its context switch saved; the running
 * thread's are the CPU's. Everything read is checked: a damaged list
 * shows fewer threads, never a hang. */
#include <unilab/errno.h>

#include "internal.h"

/* More than any image has; ends the walk of a list that has become a
 * cycle not through ul_main_thread. */
#define MAX_THREADS 4096


static bool read_exact(struct ul_gdb *g, uint64_t addr, void *buf, size_t n)
{
	return g->target->read_mem(g->ctx, addr, buf, n) == (long)n;
}

static bool read_u64(struct ul_gdb *g, uint64_t addr, uint64_t *v)
{
	return read_exact(g, addr, v, sizeof(*v));
}

static bool read_u32(struct ul_gdb *g, uint64_t addr, uint32_t *v)
{
	return read_exact(g, addr, v, sizeof(*v));
}

/* Whether len bytes at offset off fit in size bytes. */
static bool fits(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && size - off >= len;
}

static bool layout_sane(const struct ul_debug_info *l)
{
	uint32_t ts = l->thread_size, fs = l->frame_size;

	return l->version == UL_DEBUG_INFO_VERSION && l->name_size > 0 &&
	       fits(l->name, l->name_size, ts) && fits(l->sp, 8, ts) &&
	       fits(l->id, 4, ts) && fits(l->state, 4, ts) &&
	       fits(l->all_next, 8, ts) && fits(l->frame_rip, 8, fs) &&
	       fits(l->frame_rbp, 8, fs) && fits(l->frame_rbx, 8, fs) &&
	       fits(l->frame_r12, 8, fs) && fits(l->frame_r13, 8, fs) &&
	       fits(l->frame_r14, 8, fs) && fits(l->frame_r15, 8, fs);
}

/* The layout is constant for the life of the image: read it once. */
static bool layout_ready(struct ul_gdb *g)
{
	if (!g->threads_known)
		return false;
	if (!g->threads_loaded)
		g->threads_loaded =
			read_exact(g, g->syms.debug_info, &g->layout,
			           sizeof(g->layout)) &&
			layout_sane(&g->layout);
	return g->threads_loaded;
}

/* The running thread's struct, or 0 before the core has made threads
 * (then there is just the boot context, shown as thread 1). */
static uint64_t running(struct ul_gdb *g)
{
	uint64_t t;
	if (!layout_ready(g) || !read_u64(g, g->syms.current, &t))
		return 0;
	return t;
}

static long thread_id(struct ul_gdb *g, uint64_t t)
{
	uint32_t id;
	return read_u32(g, t + g->layout.id, &id) && id > 0 ? (long)id : -1;
}

static bool live(struct ul_gdb *g, uint64_t t)
{
	uint32_t state;
	return read_u32(g, t + g->layout.state, &state) &&
	       state != UL_DEBUG_THREAD_ZOMBIE;
}

/* The next thread in creation order, or 0 at the end of the list. */
static uint64_t next(struct ul_gdb *g, uint64_t t)
{
	uint64_t n;
	if (!read_u64(g, t + g->layout.all_next, &n) ||
	    n == g->syms.main_thread)
		return 0;
	return n;
}

/* Visit the live threads in creation order; stop when visit says so.
 * Returns the thread visit stopped at, or 0. */
static uint64_t walk(struct ul_gdb *g,
                     bool (*visit)(struct ul_gdb *g, uint64_t t, void *arg),
                     void *arg)
{
	uint64_t t = g->syms.main_thread;
	for (unsigned n = 0; t && n < MAX_THREADS; n++, t = next(g, t))
		if (live(g, t) && visit(g, t, arg))
			return t;
	return 0;
}

static bool has_id(struct ul_gdb *g, uint64_t t, void *arg)
{
	return thread_id(g, t) == *(long *)arg;
}

/* The live thread with this id, or 0. */
static uint64_t find(struct ul_gdb *g, long id)
{
	return walk(g, has_id, &id);
}

long ul_gdb_thread_current(struct ul_gdb *g)
{
	uint64_t t = running(g);
	long id = t ? thread_id(g, t) : -1;
	return id > 0 ? id : 1;
}

bool ul_gdb_thread_alive(struct ul_gdb *g, long id)
{
	if (!running(g))
		return id == 1;
	return find(g, id) != 0;
}

struct list_cursor {
	unsigned skip;
	long *ids;
	size_t max, n;
};

static bool collect(struct ul_gdb *g, uint64_t t, void *arg)
{
	struct list_cursor *c = arg;
	long id = thread_id(g, t);

	if (id <= 0)
		return false;
	if (c->skip > 0) {
		c->skip--;
		return false;
	}
	c->ids[c->n++] = id;
	return c->n == c->max;
}

size_t ul_gdb_thread_list(struct ul_gdb *g, unsigned skip, long *ids,
                          size_t max)
{
	struct list_cursor c = {.skip = skip, .ids = ids, .max = max};

	if (max == 0)
		return 0;
	if (!running(g)) {
		if (skip > 0)
			return 0;
		ids[0] = 1;
		return 1;
	}
	walk(g, collect, &c);
	return c.n;
}

/* A switched-out thread resumes where its context switch will return:
 * the callee-saved registers and rip are in its frame (at the offsets the
 * image's descriptor gives), rsp is just above it; the caller-saved
 * registers are gone, as they are across any call. Segments are the
 * CPU's: all threads share them. */
static int frame_regs(struct ul_gdb *g, uint64_t t, struct ul_gdb_regs *r)
{
	const struct ul_debug_info *l = &g->layout;
	const struct {
		enum ul_gdb_reg reg;
		uint32_t at;
	} saved[] = {
		{UL_GDB_RIP, l->frame_rip}, {UL_GDB_RBP, l->frame_rbp},
		{UL_GDB_RBX, l->frame_rbx}, {UL_GDB_R12, l->frame_r12},
		{UL_GDB_R13, l->frame_r13}, {UL_GDB_R14, l->frame_r14},
		{UL_GDB_R15, l->frame_r15},
	};
	uint64_t sp, v[sizeof(saved) / sizeof(saved[0])];
	int err = g->target->read_regs(g->ctx, r);

	if (err < 0)
		return err;
	if (!read_u64(g, t + l->sp, &sp))
		return -UL_EFAULT;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!read_u64(g, sp + saved[i].at, &v[i]))
			return -UL_EFAULT;
	r->valid &= (1u << UL_GDB_CS) | (1u << UL_GDB_SS) | (1u << UL_GDB_DS) |
	            (1u << UL_GDB_ES) | (1u << UL_GDB_FS) | (1u << UL_GDB_GS) |
	            (1u << UL_GDB_FS_BASE) | (1u << UL_GDB_GS_BASE);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		r->value[saved[i].reg] = v[i];
		r->valid |= 1u << saved[i].reg;
	}
	r->value[UL_GDB_RSP] = sp + l->frame_size;
	r->valid |= 1u << UL_GDB_RSP;
	return 0;
}

int ul_gdb_thread_regs(struct ul_gdb *g, long id, struct ul_gdb_regs *regs)
{
	uint64_t t;

	if (id == ul_gdb_thread_current(g))
		return g->target->read_regs(g->ctx, regs);
	t = find(g, id);
	return t ? frame_regs(g, t, regs) : -UL_ENOENT;
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case UL_DEBUG_THREAD_RUNNING:
		return "running";
	case UL_DEBUG_THREAD_READY:
		return "ready";
	case UL_DEBUG_THREAD_BLOCKED:
		return "blocked";
	default:
		return "?";
	}
}

static size_t append(char *buf, size_t size, size_t n, const char *s)
{
	while (*s && n + 1 < size)
		buf[n++] = *s++;
	buf[n] = '\0';
	return n;
}

size_t ul_gdb_thread_describe(struct ul_gdb *g, long id, char *buf,
                              size_t size)
{
	char name[64];
	uint32_t state;
	uint64_t t = running(g) ? find(g, id) : 0;
	uint32_t name_size = g->layout.name_size;

	buf[0] = '\0';
	if (!t)
		return 0;
	if (name_size > sizeof(name))
		name_size = sizeof(name);
	if (!read_exact(g, t + g->layout.name, name, name_size) ||
	    !read_u32(g, t + g->layout.state, &state))
		return 0;
	name[name_size - 1] = '\0';
	size_t n = append(buf, size, 0, name);
	n = append(buf, size, n, ", ");
	return append(buf, size, n, state_name(state));
}
