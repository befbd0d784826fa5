/* Host networking: what the kernel says about an existing interface
 * (present, up, MTU). */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "nic.h"

int ul_host_link_check(const char *name, const char *advice, uint16_t *mtu,
		       struct ul_host_error *err)
{
	if (if_nametoindex(name) == 0)
		return ul_host_fail(err, -UL_ENODEV,
				    "no network interface %s; %s", name,
				    advice);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return ul_host_fail(err, -UL_EIO,
				    "%s: cannot make a socket to ask "
				    "about it: %s",
				    name, strerror(errno));
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strnlen(name, IFNAMSIZ - 1));
	int flags_ok = ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
	short flags = ifr.ifr_flags;
	int mtu_ok = ioctl(s, SIOCGIFMTU, &ifr) == 0;
	close(s);
	if (!flags_ok || !mtu_ok)
		return ul_host_fail(err, -UL_EIO,
				    "%s: cannot read its flags and "
				    "MTU: %s",
				    name, strerror(errno));
	/* A down interface drops every frame written to it, without a word:
	 * better to refuse now than to leave the image talking to no one. */
	if (!(flags & IFF_UP))
		return ul_host_fail(err, -UL_EIO,
				    "network interface %s is down; "
				    "bring it up with: ip link set %s up",
				    name, name);
	*mtu = ifr.ifr_mtu > 0 && ifr.ifr_mtu <= 65535 - UL_ETH_HLEN
	               ? (uint16_t)ifr.ifr_mtu
	               : 1500;
	return 0;
}
