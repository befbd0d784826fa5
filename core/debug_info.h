/* The one thing a debugger outside the image needs from the core: where
 * the fields of a thread are, what its state values mean and how a
 * switched-out thread's registers were saved, so that it can walk the
 * threads in the image's memory without being built with the core. The
 * image exports the descriptor as ul_debug_info (core/thread.c). */
#ifndef UL_DEBUG_INFO_H
#define UL_DEBUG_INFO_H

#include <stdint.h>

/* Bumped when a field below, the meaning of the saved frame or the values
 * of enum ul_debug_thread_state change. */
#define UL_DEBUG_INFO_VERSION 2

/* The values of a thread's state field. */
enum ul_debug_thread_state {
	UL_DEBUG_THREAD_RUNNING, /* the one ul_current points at */
	UL_DEBUG_THREAD_READY,   /* waiting for its turn */
	UL_DEBUG_THREAD_BLOCKED, /* waiting for a wake-up, input or time */
	UL_DEBUG_THREAD_ZOMBIE,  /* exited: not a thread any more */
};

/* Offsets are in bytes from the start of a struct ul_thread. The fields
 * are: sp, a pointer; id, a 32-bit unsigned; name, name_size chars,
 * NUL-terminated; state, a 32-bit enum ul_debug_thread_state; all_next, a
 * pointer to the next thread of the circular list through ul_main_thread.
 *
 * A switched-out thread's sp points at the frame its context switch saved
 * (x86_64): frame_size bytes, and each register the switch keeps at the
 * frame_* offset (bytes from sp), rip being where the thread resumes. Once
 * resumed its rsp is sp + frame_size; its other registers are lost across
 * the switch, as across any call. */
struct ul_debug_info {
	uint32_t version;
	uint32_t thread_size;
	uint32_t sp, id, name, name_size, state, all_next;
	uint32_t frame_size;
	uint32_t frame_rip, frame_rbp, frame_rbx;
	uint32_t frame_r12, frame_r13, frame_r14, frame_r15;
};

/* What a debugger finds in the image, by symbol name (the kvm monitor) or
 * by address (a stub built into the image): the descriptor, the main
 * thread that heads the list of all threads, and the pointer to the
 * running one (NULL until the core has made its threads). A debugger needs
 * only their addresses, so struct ul_thread stays the core's own. */
extern const struct ul_debug_info ul_debug_info;
extern struct ul_thread ul_main_thread;
extern struct ul_thread *ul_current;

#endif
