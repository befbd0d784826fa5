/* posix backend: what its files share. */
#ifndef UL_POSIX_H
#define UL_POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* Open FILE as block device i (the next free one); returns 0 or -1 with a
 * message printed to stderr. */
int posix_block_attach(const char *path);
unsigned posix_block_count(void);

/* Attach the next network interface from a --net= value / start the
 * --pcap= recording; 0, or -1 with a message printed to stderr. */
int posix_net_attach(const char *spec);
int posix_net_pcap(const char *path);
unsigned posix_net_count(void);

/* Sim mode (sim.c): --sim=FD makes the image a node of the simulator, which
 * then answers the clocks, poll, the interfaces and the console; the other
 * files hand those calls over when posix_sim() is true. attach: 0, or -1
 * with a message printed to stderr. */
int posix_sim_attach(const char *fd_text);
bool posix_sim(void);
unsigned posix_sim_net_count(void);
uint64_t posix_sim_monotonic(void);
uint64_t posix_sim_wall(void);
uint32_t posix_sim_poll(uint64_t deadline);
void posix_sim_console(const char *buf, size_t len);
int posix_sim_net_info(unsigned i, struct ul_net_info *info);
long posix_sim_net_send(unsigned i, const void *frame, size_t len);
long posix_sim_net_recv(unsigned i, void *buf, size_t cap);

#endif
