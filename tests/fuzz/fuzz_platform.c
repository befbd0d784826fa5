/* The platform under the fuzz target: a machine with no devices and a
 * wall clock that never moves, so random numbers in the stack (initial
 * sequence numbers, ports, ids) come out the same on every run and a
 * crashing input crashes again when replayed. Time itself is the fuzz
 * target's own clock (net_clock). */
#include <stdio.h>
#include <stdlib.h>

#include <unilab/errno.h>
#include "platform.h"

void ul_plat_console_write(const char *buf, size_t len)
{
	fwrite(buf, 1, len, stderr);
}

uint64_t ul_plat_clock_monotonic(void)
{
	return 1;
}

uint64_t ul_plat_clock_wall(void)
{
	return 1700000000ull * 1000000000ull;
}

uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	(void)deadline;
	(void)wait;
	return 0;
}

_Noreturn void ul_plat_exit(int status)
{
	exit(status);
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

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	(void)i;
	(void)info;
	return -UL_ENODEV;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf,
                       uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return -UL_ENODEV;
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return -UL_ENODEV;
}
