/* The backend's network devices, each one an interface of the stack. */
#ifndef NET_DEVICE_H
#define NET_DEVICE_H

#include "netif.h"

/* Make every device the platform offers (ul_plat_net_info) a netif, in
 * the platform's order; how many there are. */
unsigned net_devices_probe(void);
/* The netif of device i (NULL past the last one). */
struct netif *net_device(unsigned i);
/* Start the receive thread that feeds every device's frames to
 * eth_input: 0, or -UL_ENOMEM. */
int net_rx_start(void);

#endif
