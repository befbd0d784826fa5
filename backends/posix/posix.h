/* posix backend: what its files share. */
#ifndef UL_POSIX_H
#define UL_POSIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform.h"

/* Where the platform calls that touch the outside world go (platform.c
 * calls through ul_posix_ops): to the host (host.c: Linux's clocks,
 * backends/host's interfaces, standard output), or, once --sim= attached
 * the image to the simulator, to the simulator (sim.c). The calls mean
 * what core/platform.h says. */
struct ul_posix_ops {
	uint64_t (*clock_monotonic)(void);
	uint64_t (*clock_wall)(void);
	uint32_t (*poll)(uint64_t deadline, uint32_t wait);
	void (*console_write)(const char *buf, size_t len);
	unsigned (*net_count)(void);
	int (*net_info)(unsigned i, struct ul_net_info *info);
	long (*net_send)(unsigned i, const void *frame, size_t len);
	long (*net_recv)(unsigned i, void *buf, size_t cap);
};
extern const struct ul_posix_ops
	*ul_posix_ops; /* &ul_posix_host_ops at start */
extern const struct ul_posix_ops ul_posix_host_ops;

/* Open FILE as block device i (the next free one); returns 0 or -1 with a
 * message printed to stderr. */
int ul_posix_block_attach(const char *path);
unsigned ul_posix_block_count(void);

/* Attach the next network interface from a --net= value / start the
 * --pcap= recording (host.c); 0, or -1 with a message printed to stderr. */
int ul_posix_net_attach(const char *spec);
int ul_posix_net_pcap(const char *path);

/* Sim mode (sim.c): --sim=FD makes the image a node of the simulator,
 * which then answers the clocks, poll, the interfaces and the console:
 * ul_posix_ops becomes the simulator's. 0, or -1 with a message printed to
 * stderr. */
int ul_posix_sim_attach(const char *fd_text);

#endif
