/* What the stub's files share: the register layout (regs.c), the core's
 * threads (threads.c) and software breakpoints (breakpoints.c). */
#ifndef UL_GDB_INTERNAL_H
#define UL_GDB_INTERNAL_H

#include "stub.h"

/* --- regs.c: the amd64 target description and gdb's register numbers --- */
/* How many registers the description has (gdb's numbers 0..n-1). */
unsigned ul_gdb_reg_count(void);
/* Register n as little-endian hex ('x' digits when unknown) into out;
 * the number of characters, 0 when there is no register n. */
size_t ul_gdb_reg_encode(unsigned n, const struct ul_gdb_regs *regs,
                         char *out);
/* The number of hex digits register n takes in a g packet (0: none). */
size_t ul_gdb_reg_digits(unsigned n);
/* The ul_gdb_reg that gdb's register n is, or -1 for one that Unilab
 * does not supply (x87). */
int ul_gdb_reg_slot(unsigned n);
/* Bytes [off, off + len) of target.xml into out; *last is set when they
 * reach its end. Returns how many were copied. */
size_t ul_gdb_tdesc_read(uint64_t off, size_t len, char *out, bool *last);

/* --- threads.c: the core's threads in the machine's memory --- */
/* (current, list and regs are public, in stub.h) */
bool ul_gdb_thread_alive(struct ul_gdb *g, long id);
/* "NAME, STATE" into buf (NUL-terminated); its length. */
size_t ul_gdb_thread_describe(struct ul_gdb *g, long id, char *buf,
                              size_t size);

/* --- breakpoints.c --- */
void ul_gdb_sw_break_clear(struct ul_gdb *g);

#endif
