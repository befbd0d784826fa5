/* Core-internal view of threads: the thread structure (described to
 * debuggers by debug_info.h), and the seams between thread.c, sched.c and
 * switch.S. Private to core/: nothing outside it includes this. */
#ifndef UL_SCHED_H
#define UL_SCHED_H

#include <stddef.h>
#include <stdint.h>
#include <unilab/thread.h>
#include <unilab/timer.h>
#include "debug_info.h"

/* Their values are the debuggers' (debug_info.h). */
enum ul_thread_state {
	/* the current thread (ul_current) */
	UL_THREAD_RUNNING = UL_DEBUG_THREAD_RUNNING,
	/* on the run queue */
	UL_THREAD_READY = UL_DEBUG_THREAD_READY,
	/* on a wait queue, in ul_device_wait or asleep */
	UL_THREAD_BLOCKED = UL_DEBUG_THREAD_BLOCKED,
	/* exited; its stack is freed, its struct is not */
	UL_THREAD_ZOMBIE = UL_DEBUG_THREAD_ZOMBIE,
};

/* The frame ul_arch_switch (arch/x86_64/switch.S) leaves on a
 * switched-out thread's stack, in words, lowest address first. */
enum ul_switch_frame {
	UL_SWITCH_R15, UL_SWITCH_R14, UL_SWITCH_R13, UL_SWITCH_R12,
	UL_SWITCH_RBX, UL_SWITCH_RBP, UL_SWITCH_RIP, UL_SWITCH_WORDS
};

struct ul_thread {
	/* While the thread is switched out, sp points at the frame
	 * ul_arch_switch saved (enum ul_switch_frame). Loading rbp, rip and
	 * rsp just above the frame resumes the unwind in the function that
	 * called the scheduler. */
	void *sp;
	unsigned id;
	char name[16];
	enum ul_thread_state state;

	/* Links on the run queue or on the one wait queue it is blocked on
	 * (queue, NULL for a plain sleep). */
	struct ul_thread *next, *prev;
	struct ul_waitq *queue;
	struct ul_timer timer; /* the deadline of the current block */
	int wait_result;       /* 0 when woken, -UL_ETIMEDOUT */
	uint32_t device_mask;  /* ul_device_wait: the devices waited for, */
	uint32_t device_ready; /* and those that became ready */

	void *(*fn)(void *);
	void *arg;
	void *result;                /* ul_thread_exit's argument */
	struct ul_thread *joiner;    /* the one thread allowed to join it */
	int detached;                /* frees itself at exit; never joined */
	struct ul_waitq exited;      /* where the joiner waits */

	void *stack; /* from ul_page_alloc; NULL for main and once freed */
	size_t stack_size;

	/* AddressSanitizer's view of the stack (main's is learnt on its first
	 * switch) and its fake stack while switched out. */
	const void *san_bottom;
	size_t san_size;
	void *san_fake_stack;

	/* Every thread not yet freed, in creation order: a circular list
	 * through ul_main_thread, which is never freed. */
	struct ul_thread *all_next, *all_prev;
};

/* sched.c: ul_current, the running thread (declared in debug_info.h) */
/* Make the calling context (the boot stack) the main thread, "main", id 1,
 * with an empty run queue. Needs nothing else of the core. */
void ul_sched_init(void);
/* Put a new thread, whose context is ready to run, on the run queue. */
void ul_sched_start(struct ul_thread *t);
/* Complete a switch, on the stack switched to: where ul_arch_switch
 * returns, and first thing in a new thread. */
void ul_sched_arrive(void);
/* Switch away from the current thread, which has become a zombie, for
 * good. The next thread to run frees its stack. */
_Noreturn void ul_sched_exit(void);

/* thread.c: ul_main_thread (declared in debug_info.h) */
/* Reset the thread list to the main thread alone; new ids start at 2. */
void ul_thread_init_main(void);
/* Free what a thread that has just exited no longer needs: its stack, and
 * its struct too if it was detached. Called on the next thread's stack. */
void ul_thread_reap(struct ul_thread *t);
/* Whether the thread has written past the bottom of its stack. */
int ul_thread_stack_overflowed(const struct ul_thread *t);

/* arch/x86_64/switch.S */
/* Save the callee-saved registers on the current stack, store the stack
 * pointer in *save_sp, and resume the context whose stack pointer is
 * next_sp. Returns when something switches back to *save_sp. */
void ul_arch_switch(void **save_sp, void *next_sp);
/* Build a context below stack_top whose first resumption calls
 * entry(arg) (entry must not return); returns its stack pointer. */
void *ul_arch_context_init(void *stack_top, void (*entry)(void *), void *arg);

#endif
