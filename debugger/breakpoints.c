/* Software breakpoints: an int3 (0xcc) written over the first byte of an
 * instruction, the byte kept to put back. The same for every target, since
 * all it needs is the target's memory access. */
#include <unilab/errno.h>

#include "internal.h"

#define INT3 0xcc

/* The slot of the breakpoint at addr, or -1. */
static int slot_of(const struct ul_gdb *g, uint64_t addr)
{
	for (int i = 0; i < UL_GDB_MAX_BREAKPOINTS; i++)
		if (g->sw[i].users && g->sw[i].addr == addr)
			return i;
	return -1;
}

static struct ul_gdb_sw_break *find(struct ul_gdb *g, uint64_t addr)
{
	int i = slot_of(g, addr);
	return i < 0 ? NULL : &g->sw[i];
}

static int insert(struct ul_gdb *g, uint64_t addr)
{
	struct ul_gdb_sw_break *b = find(g, addr);
	uint8_t saved, int3 = INT3;

	/* A Z0 and a Z1 at one address share the int3 (a target may lend
	 * software breakpoints to Z1); the second must not save the first's
	 * int3 as the original byte. */
	if (b) {
		if (b->users == UINT8_MAX)
			return -UL_ENOSPC;
		b->users++;
		return 0;
	}
	for (unsigned i = 0; i < UL_GDB_MAX_BREAKPOINTS && !b; i++)
		if (!g->sw[i].users)
			b = &g->sw[i];
	if (!b)
		return -UL_ENOSPC;
	if (g->target->read_mem(g->ctx, addr, &saved, 1) != 1)
		return -UL_EFAULT;
	int err = g->target->write_mem(g->ctx, addr, &int3, 1);
	if (err < 0)
		return err;
	*b = (struct ul_gdb_sw_break){.addr = addr, .saved = saved, .users = 1};
	return 0;
}

/* Removing one that is not there is not an error: gdb may remove a
 * breakpoint the target already dropped (after a detach, say). */
static int remove(struct ul_gdb *g, uint64_t addr)
{
	struct ul_gdb_sw_break *b = find(g, addr);

	if (!b || --b->users > 0)
		return 0;
	return g->target->write_mem(g->ctx, addr, &b->saved, 1);
}

int ul_gdb_sw_break(struct ul_gdb *g, bool insert_it, uint64_t addr)
{
	return insert_it ? insert(g, addr) : remove(g, addr);
}

bool ul_gdb_is_sw_break(const struct ul_gdb *g, uint64_t addr)
{
	return slot_of(g, addr) >= 0;
}

void ul_gdb_sw_break_clear(struct ul_gdb *g)
{
	for (unsigned i = 0; i < UL_GDB_MAX_BREAKPOINTS; i++) {
		struct ul_gdb_sw_break *b = &g->sw[i];
		if (b->users)
			g->target->write_mem(g->ctx, b->addr, &b->saved, 1);
		b->users = 0;
	}
}
