/* The four functions gcc may call on its own even in freestanding code (its
 * manual requires a freestanding environment to provide them); guests have
 * no C library, so here they are: the ul_ versions under standard names. */
#include <stddef.h>

#include <unilab/string.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	return ul_memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	return ul_memmove(dst, src, n);
}

void *memset(void *dst, int c, size_t n)
{
	return ul_memset(dst, c, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
	return ul_memcmp(a, b, n);
}
