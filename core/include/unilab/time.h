/* Time as the core sees it: unsigned nanoseconds. */
#ifndef UL_TIME_H
#define UL_TIME_H

#include <stdint.h>

#define UL_NS 1ull
#define UL_US 1000ull
#define UL_MS 1000000ull
#define UL_S 1000000000ull
#define UL_FOREVER UINT64_MAX /* a deadline that never comes */

uint64_t ul_now(void);  /* monotonic ns since boot */
uint64_t ul_wall(void); /* ns since 1970-01-01 UTC */

/* now + delta, saturating at UL_FOREVER. */
uint64_t ul_deadline_after(uint64_t delta);

#endif
