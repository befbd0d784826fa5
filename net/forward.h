/* The stack's side of forwarding: ip_input offers it every datagram
 * from an interface first. */
#ifndef NET_FORWARD_H
#define NET_FORWARD_H

#include <stdbool.h>
#include "netif.h"
#include "pbuf.h"

/* p->data at the IP header. true: forwarding took p (sent on, answered
 * with an ICMP error or dropped); false: p is the caller's to deliver
 * (forwarding is off, or the datagram is for this host). */
bool forward_input(struct netif *nif, struct pbuf *p);

#endif
