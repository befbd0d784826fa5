/* posix backend: network interfaces are backends/host's, attached from the
 * --net= options in order; an image started without one has none. In sim
 * mode the simulator's links are the interfaces instead. */
#include <stdio.h>

#include "host_net.h"
#include "platform.h"
#include "posix.h"

_Static_assert(UL_MAX_NET == HOST_NET_MAX, "one interface table, one size");

int posix_net_attach(const char *spec)
{
	struct host_net_spec s;
	struct host_error err;
	if (host_net_parse(spec, &s, &err) < 0 || host_net_attach(&s, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

int posix_net_pcap(const char *path)
{
	struct host_error err;
	if (host_net_pcap(path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

unsigned posix_net_count(void)
{
	if (posix_sim())
		return posix_sim_net_count();
	return host_net_count();
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	if (posix_sim())
		return posix_sim_net_info(i, info);
	return host_net_info(i, info->mac, &info->mtu);
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	if (posix_sim())
		return posix_sim_net_send(i, frame, len);
	return host_net_send(i, frame, len);
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	if (posix_sim())
		return posix_sim_net_recv(i, buf, cap);
	return host_net_recv(i, buf, cap);
}
