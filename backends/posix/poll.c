/* posix backend: the core's idle loop sleeps here, in ppoll on what the
 * network interfaces wait on (TAP and capture descriptors, user-mode
 * networking's sockets and timers), until a frame waits or the deadline;
 * in sim mode, until the simulator wakes the node. */
#include <poll.h>
#include <time.h>

#include "host_net.h"
#include "platform.h"
#include "posix.h"

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	static struct host_pollset ps;
	if (posix_sim())
		return posix_sim_poll(deadline) & wait;
	uint64_t now = ul_plat_clock_monotonic();
	uint64_t left = deadline == UINT64_MAX ? UINT64_MAX
	                : deadline > now       ? deadline - now
	                                       : 0;
	host_pollset_reset(&ps);
	uint32_t ready = host_net_poll_fill(&ps, &left, wait);

	struct timespec ts, *timeout = NULL;
	if (left != UINT64_MAX) {
		ts.tv_sec = (time_t)(left / 1000000000ull);
		ts.tv_nsec = (long)(left % 1000000000ull);
		timeout = &ts;
	}
	/* A timeout or EINTR leaves every revents 0: the core checks again. */
	int n = ppoll(ps.fds, ps.count, timeout, NULL);
	return (ready | host_net_poll_done(&ps, n < 0)) & wait;
}
