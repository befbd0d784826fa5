/* Memory and string functions. The copy and fill loops move a machine word
 * at a time (a long forward copy on x86_64: its string instruction);
 * everything else goes byte by byte. */
#include <stdbool.h>
#include <stdint.h>

#include <unilab/mem.h>
#include <unilab/string.h>

/* A word that may alias any object, so copying through it is defined. */
typedef uintptr_t __attribute__((may_alias)) word_t;
#define WORD sizeof(word_t)
/* The same at any address: the copy loops align the destination and read
 * the source through this, which is one plain load on x86_64 (and byte
 * loads on machines that cannot load from an unaligned address). */
typedef uintptr_t __attribute__((may_alias, aligned(1))) unaligned_word_t;

/* gcc may turn a copy or fill loop into a call to memcpy or memset. In the
 * freestanding build those are ours (compiler.c) and call straight back
 * here, so the loops below must stay loops. */
#if defined(__GNUC__) && !defined(__clang__)
#define KEEP_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define KEEP_LOOPS
#endif

static bool word_aligned(const void *p)
{
	return (uintptr_t)p % WORD == 0;
}

/* From this many bytes on, x86_64 copies with its string instruction:
 * `rep movsb` moves whole cache lines at a time on every x86_64 CPU since
 * 2012 ("enhanced REP MOVSB"), several times faster than the word loop on
 * the kilobytes a file system or a socket moves, but it takes a few dozen
 * cycles to start. It copies as if byte by byte from the first (the
 * direction flag is clear at every call, by the ABI), which is what a
 * forward copy that may overlap needs. Only the guests' freestanding core
 * uses it: the hosted core (posix images, unit tests, fuzz targets) may be
 * built with ASan, which cannot see inside the instruction, so it keeps
 * the loop, whose every load and store the sanitizer checks. */
#if defined(__x86_64__) && !defined(UL_HOSTED)
#define STRING_MOVE_MIN 256
#endif

KEEP_LOOPS static void copy_forward(unsigned char *d, const unsigned char *s,
                                    size_t n)
{
#ifdef STRING_MOVE_MIN
	if (n >= STRING_MOVE_MIN) {
		__asm__ volatile("rep movsb"
		                 : "+D"(d), "+S"(s), "+c"(n)
		                 :
		                 : "memory");
		return;
	}
#endif
	for (; n > 0 && !word_aligned(d); n--)
		*d++ = *s++;
	for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
		*(word_t *)d = *(const unaligned_word_t *)s;
	while (n-- > 0)
		*d++ = *s++;
}

/* Copy from the end, for a destination that overlaps the source's tail;
 * d and s point one past the last byte. */
KEEP_LOOPS static void copy_backward(unsigned char *d, const unsigned char *s,
                                     size_t n)
{
	for (; n > 0 && !word_aligned(d); n--)
		*--d = *--s;
	for (; n >= WORD; n -= WORD) {
		d -= WORD;
		s -= WORD;
		*(word_t *)d = *(const unaligned_word_t *)s;
	}
	while (n-- > 0)
		*--d = *--s;
}

KEEP_LOOPS void *ul_memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

KEEP_LOOPS void *ul_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/* Forward is safe unless dst starts inside [src, src + n). */
	if ((uintptr_t)d - (uintptr_t)s >= n)
		copy_forward(d, s, n);
	else
		copy_backward(d + n, s + n, n);
	return dst;
}

KEEP_LOOPS void *ul_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char b = (unsigned char)c;
	word_t pattern = (word_t)-1 / 0xff * b; /* b in every byte */

	for (; n > 0 && !word_aligned(d); n--)
		*d++ = b;
	for (; n >= WORD; n -= WORD, d += WORD)
		*(word_t *)d = pattern;
	while (n-- > 0)
		*d++ = b;
	return dst;
}

int ul_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *ul_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t ul_strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

size_t ul_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/* C compares strings as unsigned chars, whatever char's signedness. */
int ul_strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int ul_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n > 0; n--, x++, y++)
		if (*x != *y || *x == '\0')
			return *x - *y;
	return 0;
}

/* The terminator counts as part of the string: searching for '\0' finds
 * it. */
char *ul_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *ul_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

char *ul_strstr(const char *haystack, const char *needle)
{
	size_t n = ul_strlen(needle);

	for (; *haystack != '\0'; haystack++)
		if (ul_strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n == 0 ? (char *)haystack : NULL;
}

size_t ul_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = ul_strlen(src);

	if (size > 0) {
		size_t n = len < size ? len : size - 1;
		ul_memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *ul_strdup(const char *s)
{
	size_t size = ul_strlen(s) + 1;
	char *copy = ul_malloc(size);

	if (copy != NULL)
		ul_memcpy(copy, s, size);
	return copy;
}
