/* Host library: the one formatter of struct ul_host_error. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

int ul_host_fail(struct ul_host_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}
