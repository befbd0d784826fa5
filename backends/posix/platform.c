/* posix backend: the platform calls that reach the outside world, through
 * the ops table of the host or of the simulator (posix.h). */
#include "posix.h"

const struct ul_posix_ops *ul_posix_ops = &ul_posix_host_ops;

uint64_t ul_plat_clock_monotonic(void)
{
	return ul_posix_ops->clock_monotonic();
}

uint64_t ul_plat_clock_wall(void)
{
	return ul_posix_ops->clock_wall();
}

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	return ul_posix_ops->poll(deadline, wait);
}

void ul_plat_console_write(const char *buf, size_t len)
{
	ul_posix_ops->console_write(buf, len);
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	return ul_posix_ops->net_info(i, info);
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	return ul_posix_ops->net_send(i, frame, len);
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	return ul_posix_ops->net_recv(i, buf, cap);
}
