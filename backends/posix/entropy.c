/* posix backend: entropy from the Linux kernel's getrandom(), which blocks
 * only until the kernel's pool was first seeded. */
#include <errno.h>
#include <sys/random.h>

#include "platform.h"
#include <unilab/errno.h>

int ul_plat_entropy(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len > 0) {
		ssize_t n = getrandom(p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return errno == ENOSYS ? -UL_ENODEV : -UL_EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
