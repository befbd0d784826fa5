/* posix backend: network interfaces. An image started without a --net
 * option has none, and every call reports that the interface does not
 * exist. */
#include "platform.h"
#include "posix.h"
#include <unilab/errno.h>

unsigned posix_net_count(void)
{
	return 0;
}

int posix_net_fd(unsigned i)
{
	(void)i;
	return -1;
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	(void)i;
	(void)info;
	return -UL_ENODEV;
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	(void)i;
	(void)frame;
	(void)len;
	return -UL_ENODEV;
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	(void)i;
	(void)buf;
	(void)cap;
	return -UL_ENODEV;
}
