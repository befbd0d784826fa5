/* The GDB stub: one remote-serial-protocol server for every Unilab target
 * (the kvm monitor over TCP; a guest over its serial port). The target
 * says when the machine has stopped and why; the stub then serves gdb
 * (registers, memory, breakpoints, threads, the target description) until
 * gdb says how to go on. It touches the machine only through the two small
 * interfaces below and includes nothing from a C library, so it builds
 * hosted and freestanding alike. */
#ifndef UL_GDB_STUB_H
#define UL_GDB_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "debug_info.h"
#include "packet.h"

/* The registers a target supplies, in gdb's amd64 order. The x87 and SSE
 * state gdb also knows of is not used by Unilab code (it is built with
 * -mgeneral-regs-only) and is reported as unavailable. */
enum ul_gdb_reg {
	UL_GDB_RAX, UL_GDB_RBX, UL_GDB_RCX, UL_GDB_RDX,
	UL_GDB_RSI, UL_GDB_RDI, UL_GDB_RBP, UL_GDB_RSP,
	UL_GDB_R8, UL_GDB_R9, UL_GDB_R10, UL_GDB_R11,
	UL_GDB_R12, UL_GDB_R13, UL_GDB_R14, UL_GDB_R15,
	UL_GDB_RIP, UL_GDB_EFLAGS,
	UL_GDB_CS, UL_GDB_SS, UL_GDB_DS, UL_GDB_ES, UL_GDB_FS, UL_GDB_GS,
	UL_GDB_FS_BASE, UL_GDB_GS_BASE,
	UL_GDB_NREGS
};

struct ul_gdb_regs {
	uint64_t value[UL_GDB_NREGS];
	uint32_t valid; /* bit r set: value[r] is known */
};

/* Breakpoint and watchpoint kinds, numbered as in gdb's Z packets. */
enum ul_gdb_point {
	UL_GDB_SW_BREAK,     /* Z0: int3 written into the code */
	UL_GDB_HW_BREAK,     /* Z1: a debug register on an instruction */
	UL_GDB_WATCH_WRITE,  /* Z2 */
	UL_GDB_WATCH_READ,   /* Z3 */
	UL_GDB_WATCH_ACCESS, /* Z4 */
};

/* Signals as the protocol numbers them (gdb's own numbering, not the
 * host's). */
#define UL_GDB_SIGINT 2
#define UL_GDB_SIGILL 4
#define UL_GDB_SIGTRAP 5
#define UL_GDB_SIGFPE 8
#define UL_GDB_SIGKILL 9
#define UL_GDB_SIGBUS 10
#define UL_GDB_SIGSEGV 11
#define UL_GDB_SIGALRM 14

/* The signal gdb shows for an x86_64 CPU exception that ends the program:
 * SIGFPE for the arithmetic ones, SIGILL, SIGBUS, else SIGSEGV. */
int ul_gdb_exception_signal(uint64_t vector);

/* Why the machine stopped. */
struct ul_gdb_stop {
	int signal;              /* UL_GDB_SIG*: SIGTRAP for breakpoints and
	                            steps, SIGINT for Ctrl-C, ... */
	bool breakpoint;         /* at an instruction breakpoint; */
	enum ul_gdb_point kind;  /* which kind, or which watchpoint hit */
	bool watchpoint;         /* a watchpoint hit, at: */
	uint64_t watch_addr;
};

/* How the machine is to go on, once gdb has said. */
enum ul_gdb_action {
	UL_GDB_CONTINUE,
	UL_GDB_STEP,   /* one instruction, then report a SIGTRAP stop */
	UL_GDB_DETACH, /* gdb is gone (detached, or the connection was lost):
	                  run on without it; breakpoints are already out */
	UL_GDB_KILL,   /* end the machine */
};

/* The connection to gdb. */
#define UL_GDB_NO_DATA (-1) /* read without waiting: nothing has arrived */
#define UL_GDB_CLOSED (-2)  /* the connection is gone */
struct ul_gdb_transport {
	/* The next byte from gdb, waiting for one if wait, else
	 * UL_GDB_NO_DATA when none is there; UL_GDB_CLOSED at the end. */
	int (*read)(void *ctx, bool wait);
	/* Send all of buf; false when the connection is gone. */
	bool (*write)(void *ctx, const void *buf, size_t len);
};

/* The machine. Errors are negative codes from <unilab/errno.h>. */
struct ul_gdb_target {
	/* The CPU's registers, which are the running thread's. */
	int (*read_regs)(void *ctx, struct ul_gdb_regs *regs);
	/* 0, or -UL_EPERM for a register gdb may not change. */
	int (*write_reg)(void *ctx, enum ul_gdb_reg reg, uint64_t value);
	/* Up to len bytes at virtual address addr: how many could be read
	 * (up to the first unmapped byte), or -UL_EFAULT if not even one. */
	long (*read_mem)(void *ctx, uint64_t addr, void *buf, size_t len);
	/* All of len bytes at addr, or none (-UL_EFAULT); must also write
	 * code that the machine maps read-only, for breakpoints. */
	int (*write_mem)(void *ctx, uint64_t addr, const void *buf, size_t len);
	/* Insert or remove a Z1..Z4 point over [addr, addr + len): 0,
	 * -UL_ENOSYS when the target cannot (gdb is told it is unsupported),
	 * -UL_ENOSPC when its debug registers are all in use. */
	int (*hw_point)(void *ctx, bool insert, enum ul_gdb_point kind,
	                uint64_t addr, uint64_t len);
};

/* Where the core keeps its threads in the machine's memory: the addresses
 * of ul_main_thread, ul_current and ul_debug_info (core/debug_info.h). */
struct ul_gdb_thread_syms {
	uint64_t main_thread, current, debug_info;
};

#define UL_GDB_MAX_BREAKPOINTS 64

struct ul_gdb_sw_break {
	uint64_t addr;
	uint8_t saved;  /* the byte the int3 replaced */
	uint8_t users;  /* 0: free slot; a Z0 and a Z1 may share one */
};

/* The stub's state; only this library looks inside. */
struct ul_gdb {
	const struct ul_gdb_transport *io;
	void *io_ctx;
	const struct ul_gdb_target *target;
	void *ctx;

	struct ul_gdb_rx rx;
	char reply[UL_GDB_PACKET_MAX + 1];
	size_t reply_len;
	char frame[2 * UL_GDB_PACKET_MAX + 4]; /* the last packet sent */
	size_t frame_len;

	bool closed;       /* the connection is gone */
	bool no_ack;       /* QStartNoAckMode */
	bool no_ack_after_reply; /* ... takes effect once its OK is sent */
	bool silent;       /* the packet just handled gets no reply */
	bool report_swbreak, report_hwbreak; /* gdb understands them */
	bool resumed;      /* gdb waits for a stop reply */
	bool attached_late; /* the machine ran before gdb came */
	struct ul_gdb_stop stop;
	long current;      /* the thread that was running at the stop */
	long reg_thread;   /* Hg: whose registers g/p/G/P mean */
	unsigned listed;   /* threads listed so far by q[fs]ThreadInfo */

	bool threads_known;
	bool threads_loaded;
	struct ul_gdb_thread_syms syms;
	struct ul_debug_info layout; /* as read from the machine */

	struct ul_gdb_sw_break sw[UL_GDB_MAX_BREAKPOINTS];
};

void ul_gdb_init(struct ul_gdb *g, const struct ul_gdb_transport *io,
                 void *io_ctx, const struct ul_gdb_target *target, void *ctx);
/* Show gdb the core's threads (without this gdb sees one thread). */
void ul_gdb_set_threads(struct ul_gdb *g, const struct ul_gdb_thread_syms *s);

/* gdb has come to a machine that was already running: gdb's quit is to
 * detach and leave it running, not kill it (qAttached). */
void ul_gdb_set_attached_late(struct ul_gdb *g);

/* A machine running without gdb, on a line where one may come: whether
 * what has arrived (read without waiting) begins gdb's first packet or is
 * a Ctrl-C. Acks before it are dropped; the packet's start is kept for
 * ul_gdb_stopped, which the target calls next, to read on. */
bool ul_gdb_arriving(struct ul_gdb *g);

/* The core's threads, read through the target (threads.c); for a core
 * file as much as for gdb. The running thread's id: 1 before the core
 * has threads, or when no thread symbols were given. */
long ul_gdb_thread_current(struct ul_gdb *g);
/* Up to max ids of live threads, after skipping the first skip. */
size_t ul_gdb_thread_list(struct ul_gdb *g, unsigned skip, long *ids,
                          size_t max);
/* Registers of thread id: the CPU's for the running thread, the saved
 * frame's for one that is switched out. */
int ul_gdb_thread_regs(struct ul_gdb *g, long id, struct ul_gdb_regs *regs);

/* The machine has stopped: tell gdb (unless it has not asked it to run
 * yet) and serve it until it says how to go on. */
enum ul_gdb_action ul_gdb_stopped(struct ul_gdb *g,
                                  const struct ul_gdb_stop *stop);
/* While the machine runs: whether gdb has sent Ctrl-C, or gone away, since
 * the last call. Never waits. */
bool ul_gdb_interrupted(struct ul_gdb *g);
/* The machine has ended, with an exit status (W) or killed by a signal
 * (X); gdb's session is over. */
void ul_gdb_exited(struct ul_gdb *g, int status);
void ul_gdb_terminated(struct ul_gdb *g, int signal);

/* Software breakpoints, for a target that lends them to Z1 as well, and to
 * tell its own int3 from one in the program. */
int ul_gdb_sw_break(struct ul_gdb *g, bool insert, uint64_t addr);
bool ul_gdb_is_sw_break(const struct ul_gdb *g, uint64_t addr);

/* The packet handler, without the transport: handle one packet (NUL-
 * terminated in data, len bytes), leaving the reply in g->reply. Returns
 * true with *action set when gdb asked the machine to go on. For the
 * serve loop and the unit tests. */
bool ul_gdb_handle(struct ul_gdb *g, char *data, size_t len,
                   enum ul_gdb_action *action);

#endif
