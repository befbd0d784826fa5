/* Ending the image: normal exit, panic and assertions. Each way of dying
 * has its own exit status so a script can tell them apart. */
#ifndef UL_PANIC_H
#define UL_PANIC_H

#include <unilab/console.h>

/* Exit statuses the core itself uses (an app's own status is 0..111). */
#define UL_EXIT_PANIC 112   /* ul_panic(): a fatal error the code detected */
#define UL_EXIT_ASSERT 113  /* UL_ASSERT() failed */
#define UL_EXIT_CMDLINE 114 /* the command line could not be parsed */
#define UL_EXIT_CRASH 115   /* a CPU exception (backends that catch them) */

/* End the image now with status (flushes nothing the core buffers: the
 * console is unbuffered in the core). */
_Noreturn void ul_exit(int status);

/* Print "panic: FILE:LINE: message" and exit with UL_EXIT_PANIC. */
#define ul_panic(...) ul_panic_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void ul_panic_at(const char *file, int line, const char *fmt, ...)
	UL_PRINTF(3, 4);

/* Print "assertion failed: FILE:LINE: expr" and exit with UL_EXIT_ASSERT.
 * Always compiled in: a testbed wants to know. */
#define UL_ASSERT(expr)                                                   \
	((expr) ? (void)0 : ul_assert_fail(__FILE__, __LINE__, #expr))
_Noreturn void ul_assert_fail(const char *file, int line, const char *expr);

#endif
