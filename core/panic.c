/* Ending the image: the app's status, a panic, or a failed assertion. */
#include <unilab/panic.h>
#include "platform.h"

/* The file system's last step, present when the image uses files: it
 * writes every disk back and marks it clean. */
void ul_fs_shutdown(void) __attribute__((weak));

_Noreturn void ul_exit(int status)
{
	if (ul_fs_shutdown)
		ul_fs_shutdown();
	ul_plat_exit(status);
}

_Noreturn void ul_panic_at(const char *file, int line, const char *fmt, ...)
{
	/* A panic may come from deep inside the heap: format on the stack. */
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	ul_vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ul_printf("panic: %s:%d: %s\n", file, line, msg);
	ul_plat_exit(UL_EXIT_PANIC);
}

_Noreturn void ul_assert_fail(const char *file, int line, const char *expr)
{
	ul_printf("assertion failed: %s:%d: %s\n", file, line, expr);
	ul_plat_exit(UL_EXIT_ASSERT);
}
