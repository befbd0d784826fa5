/* <stdlib.h> for BearSSL in the freestanding guests: gcc's x86 intrinsic
 * headers include it (for _mm_malloc) even when BearSSL's AES-NI and SSE2
 * code is compiled out, as it is for the guests; nothing here is called. */
#ifndef UL_BEARSSL_STDLIB_H
#define UL_BEARSSL_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void free(void *ptr);
int posix_memalign(void **ptr, size_t align, size_t size);

#endif
