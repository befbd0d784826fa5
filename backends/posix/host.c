/* posix backend on the host: the clocks are Linux's clock_gettime (the
 * monotonic one counts from the first call, so an image's time starts
 * near zero); the network interfaces, attached from the --net= options in
 * order, the sleep in ppoll on them and the console (standard output) are
 * backends/host's. */
#include <stdio.h>
#include <time.h>

#include "console.h"
#include "host_net.h"
#include "posix.h"

_Static_assert(UL_MAX_NET == HOST_NET_MAX, "one interface table, one size");

static uint64_t read_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t boot_time;

static uint64_t monotonic(void)
{
	uint64_t now = read_clock(CLOCK_MONOTONIC);
	if (boot_time == 0)
		boot_time = now;
	return now - boot_time;
}

static uint64_t wall(void)
{
	return read_clock(CLOCK_REALTIME);
}

static uint32_t sleep_until(uint64_t deadline, uint32_t wait)
{
	uint64_t now = monotonic();
	uint64_t left = deadline == UINT64_MAX ? UINT64_MAX
	                : deadline > now       ? deadline - now
	                                       : 0;
	uint32_t ready;
	/* A failed sleep returns early with what it saw: the core checks
	 * again and sleeps again. */
	ul_host_net_sleep(left, wait, &ready);
	return ready;
}

static void console_write(const char *buf, size_t len)
{
	ul_host_console_write(buf, len);
}

static int net_info(unsigned i, struct ul_net_info *info)
{
	return ul_host_net_info(i, info->mac, &info->mtu);
}

const struct ul_posix_ops ul_posix_host_ops = {
	.clock_monotonic = monotonic,
	.clock_wall = wall,
	.poll = sleep_until,
	.console_write = console_write,
	.net_count = ul_host_net_count,
	.net_info = net_info,
	.net_send = ul_host_net_send,
	.net_recv = ul_host_net_recv,
};

int ul_posix_net_attach(const char *spec)
{
	struct ul_host_net_spec s;
	struct ul_host_error err;
	if (ul_host_net_parse(spec, &s, &err) < 0 ||
	    ul_host_net_attach(&s, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

int ul_posix_net_pcap(const char *path)
{
	struct ul_host_error err;
	if (ul_host_net_pcap(path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}
