/* Host library: the console (console.h), standard output. */
#include <errno.h>
#include <unistd.h>

#include "console.h"

void ul_host_console_write(const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}
