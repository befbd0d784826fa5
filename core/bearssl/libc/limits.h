/* <limits.h> for BearSSL in the freestanding guests: gcc's own limits.h
 * wants the C library's underneath; BearSSL needs only ULONG_MAX (to see
 * that longs are 64 bits). */
#ifndef UL_BEARSSL_LIMITS_H
#define UL_BEARSSL_LIMITS_H

#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)

#endif
