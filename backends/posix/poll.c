/* posix backend: the core's idle loop sleeps here, in ppoll on the network
 * devices' file descriptors, until one is readable or the deadline. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "platform.h"
#include "posix.h"

uint32_t ul_plat_poll(uint64_t deadline)
{
	struct pollfd fds[UL_MAX_NET];
	unsigned n = posix_net_count();
	for (unsigned i = 0; i < n; i++) {
		fds[i].fd = posix_net_fd(i);
		fds[i].events = POLLIN;
		fds[i].revents = 0;
	}

	struct timespec ts, *timeout = NULL;
	if (deadline != UINT64_MAX) {
		uint64_t now = ul_plat_clock_monotonic();
		uint64_t left = deadline > now ? deadline - now : 0;
		ts.tv_sec = (time_t)(left / 1000000000ull);
		ts.tv_nsec = (long)(left % 1000000000ull);
		timeout = &ts;
	}
	if (ppoll(fds, n, timeout, NULL) <= 0)
		return 0; /* timeout, or EINTR: the core checks again */

	uint32_t ready = 0;
	for (unsigned i = 0; i < n; i++)
		if (fds[i].revents)
			ready |= UL_READY_NET(i);
	return ready;
}
