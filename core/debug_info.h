/* The one thing a debugger outside the image needs from the core: where
 * the fields of struct ul_thread (core/sched.h) are, so that it can walk
 * the threads in the image's memory without being built with the core.
 * The image exports it as ul_debug_info (core/thread.c). */
#ifndef UL_DEBUG_INFO_H
#define UL_DEBUG_INFO_H

#include <stdint.h>

/* Bumped when a field below, the saved frame of a switched-out thread
 * (core/sched.h) or the values of enum ul_thread_state change meaning. */
#define UL_DEBUG_INFO_VERSION 1

/* Offsets are in bytes from the start of a struct ul_thread. The fields
 * are: sp, a pointer; id, a 32-bit unsigned; name, name_size chars,
 * NUL-terminated; state, a 32-bit enum ul_thread_state; all_next, a
 * pointer to the next thread of the circular list through ul_main_thread.
 * The running thread is the one ul_current points at. */
struct ul_debug_info {
	uint32_t version;
	uint32_t thread_size;
	uint32_t sp, id, name, name_size, state, all_next;
};

extern const struct ul_debug_info ul_debug_info;

#endif
