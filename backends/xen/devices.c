/* xen guest: network and block devices. Xen's are split drivers
 * (netfront/blkfront) that need a backend domain and a toolstack to
 * connect them through xenstore; this backend has neither yet, so every
 * call fails with -UL_ENODEV and says why, once. */
#include <unilab/errno.h>
#include <unilab/log.h>

#include "platform.h"

static int unavailable(void)
{
	static int said;

	if (!said) {
		said = 1;
		ul_warn("xen: network and block devices are not available on "
		        "the xen backend yet");
	}
	return -UL_ENODEV;
}

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	(void)i;
	(void)info;
	return unavailable();
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	(void)i;
	(void)frame;
	(void)len;
	return unavailable();
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	(void)i;
	(void)buf;
	(void)cap;
	return unavailable();
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	(void)i;
	(void)info;
	return unavailable();
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return unavailable();
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	(void)i;
	(void)sector;
	(void)buf;
	(void)count;
	return unavailable();
}
