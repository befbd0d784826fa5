/* posix backend: what its files share. */
#ifndef UL_POSIX_H
#define UL_POSIX_H

#include <stdint.h>

/* Open FILE as block device i (the next free one); returns 0 or -1 with a
 * message printed to stderr. */
int posix_block_attach(const char *path);
unsigned posix_block_count(void);

/* Attach the next network interface from a --net= value / start the
 * --pcap= recording; 0, or -1 with a message printed to stderr. */
int posix_net_attach(const char *spec);
int posix_net_pcap(const char *path);
unsigned posix_net_count(void);

#endif
