/* kvm guest: network interfaces, one hypercall per frame. Device indexes
 * are checked here too, so a wrong one costs no VM exit. */
#include <unilab/errno.h>

#include "guest.h"
#include "platform.h"

int ul_plat_net_info(unsigned i, struct ul_net_info *info)
{
	if (i >= ul_kvm_boot_info->net_count)
		return -UL_ENODEV;
	for (int b = 0; b < 6; b++)
		info->mac[b] = ul_kvm_boot_info->net[i].mac[b];
	info->mtu = ul_kvm_boot_info->net[i].mtu;
	return 0;
}

static long net_call(enum ul_kvm_hypercall nr, unsigned i, const void *buf,
                     size_t len)
{
	struct ul_kvm_net n = {.dev = i, .data = (uintptr_t)buf, .len = len};

	if (i >= ul_kvm_boot_info->net_count)
		return -UL_ENODEV;
	ul_kvm_hypercall(nr, &n);
	return n.ret;
}

long ul_plat_net_send(unsigned i, const void *frame, size_t len)
{
	return net_call(UL_KVM_HC_NET_SEND, i, frame, len);
}

long ul_plat_net_recv(unsigned i, void *buf, size_t cap)
{
	return net_call(UL_KVM_HC_NET_RECV, i, buf, cap);
}
