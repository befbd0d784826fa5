/* The console and the printf family. Formats, as C's (glibc's) printf
 * writes them: %d %i %o %u %x %X %p %s %c %%, length modifiers hh h l ll z j
 * t, flags '-' '0' '+' ' ' '#', width and precision (both may be '*'). %p is
 * 0x-prefixed hex or "(nil)"; %s of NULL is "(null)". No wide characters: l
 * on %c and %s is ignored. Unknown or unfinished conversions are printed as
 * they are written. */
#ifndef UL_CONSOLE_H
#define UL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define UL_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Write len bytes to the console as they are. */
void ul_console_write(const char *buf, size_t len);

/* Print to the console; return the number of bytes written. */
int ul_printf(const char *fmt, ...) UL_PRINTF(1, 2);
int ul_vprintf(const char *fmt, va_list ap);
int ul_puts(const char *s); /* s and a newline */

/* Format into buf (capacity size, always NUL-terminated when size > 0);
 * return the length the whole result would have, like C's snprintf. */
int ul_snprintf(char *buf, size_t size, const char *fmt, ...) UL_PRINTF(3, 4);
int ul_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The engine under all of the above: every output byte goes to emit(c, ctx).
 * Returns the number of bytes emitted, or -1 (like C's EOVERFLOW) when that
 * number or a width or precision does not fit an int. */
int ul_vformat(void (*emit)(char c, void *ctx), void *ctx, const char *fmt,
               va_list ap);

#endif
