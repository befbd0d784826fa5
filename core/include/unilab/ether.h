/* Ethernet frames as the platform carries them (ul_plat_net_send and
 * ul_plat_net_recv in core/platform.h) and as every program that moves
 * them sees them: the network stack, the backends, the kvm monitor, the
 * simulator. A frame is the header below and at most the link's MTU of
 * payload, without the frame check sequence. */
#ifndef UNILAB_ETHER_H
#define UNILAB_ETHER_H

#define UL_ETH_ADDR_LEN 6 /* a MAC address */
#define UL_ETH_HLEN 14    /* destination, source, EtherType */
#define UL_ETH_MTU 1500   /* the payload a standard frame carries */

/* EtherTypes, in the header's last two bytes (big-endian). */
#define UL_ETH_TYPE_IPV4 0x0800
#define UL_ETH_TYPE_ARP 0x0806

#endif
