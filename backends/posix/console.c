/* posix backend: the console is the process's standard output. */
#include <errno.h>
#include <unistd.h>

#include "platform.h"

void ul_plat_console_write(const char *buf, size_t len)
{
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
