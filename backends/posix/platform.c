/* posix backend: the platform calls that reach the outside world, through
 * the ops table of the host or of the simulator (posix.h). */
#include "posix.h"

const struct posix_ops *posix_ops = &posix_host_ops;

uint64_t ul_plat_clock_monotonic(void)
{
	return posix_ops->clock_monotonic();
}

uint64_t ul_plat_clock_wall(void)
{
	return posix_ops->clock_wall();
}

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	return posix_ops->poll(deadline, wait);
}

void ul_plat_console_write(const char *buf, size_t len)
{
	posix_ops->console_write(buf, len);
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	return posix_ops->net_info(i, info);
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	return posix_ops->net_send(i, frame, len);
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	return posix_ops->net_recv(i, buf, cap);
}
