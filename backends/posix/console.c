/* posix backend: the console is the process's standard output (in sim
 * mode, the simulator's log of the node). */
#include <errno.h>
#include <unistd.h>

#include "platform.h"
#include "posix.h"

void ul_plat_console_write(const char *buf, size_t len)
{
	if (posix_sim()) {
		posix_sim_console(buf, len);
		return;
	}
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* stdout is gone (closed pipe): nothing to tell */
		buf += n;
		len -= (size_t)n;
	}
}
