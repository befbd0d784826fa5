/* The string and memory functions the core and apps need. */
#ifndef UL_STRING_H
#define UL_STRING_H

#include <stddef.h>

void *ul_memcpy(void *dst, const void *src, size_t n);
void *ul_memmove(void *dst, const void *src, size_t n);
void *ul_memset(void *dst, int c, size_t n);
int ul_memcmp(const void *a, const void *b, size_t n);
void *ul_memchr(const void *s, int c, size_t n);

size_t ul_strlen(const char *s);
size_t ul_strnlen(const char *s, size_t max);
int ul_strcmp(const char *a, const char *b);
int ul_strncmp(const char *a, const char *b, size_t n);
char *ul_strchr(const char *s, int c);
char *ul_strrchr(const char *s, int c);
char *ul_strstr(const char *haystack, const char *needle);
/* Copy at most size-1 bytes and always NUL-terminate (size > 0); return
 * ul_strlen(src), so truncation is result >= size. */
size_t ul_strlcpy(char *dst, const char *src, size_t size);
char *ul_strdup(const char *s); /* from the heap; NULL when out of memory */

#endif
