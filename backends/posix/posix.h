/* posix backend: what its files share. */
#ifndef UL_POSIX_H
#define UL_POSIX_H

#include <stdint.h>

/* Open FILE as block device i (the next free one); returns 0 or -1 with a
 * message printed to stderr. */
int posix_block_attach(const char *path);
unsigned posix_block_count(void);

/* Interfaces: count, and the file descriptor poll waits on for each. */
unsigned posix_net_count(void);
int posix_net_fd(unsigned i);

#endif
