/* <string.h> for BearSSL and for code built without the host's headers
 * that includes BearSSL's API (the core, net, apps): the memory functions
 * core/lib/compiler.c (or, hosted, the C library) provides under their
 * standard names, and strlen mapped onto the core's. */
#ifndef UL_BEARSSL_STRING_H
#define UL_BEARSSL_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t ul_strlen(const char *s);
#define strlen ul_strlen

#endif
