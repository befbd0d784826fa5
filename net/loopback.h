/* Datagrams a host sends to its own addresses: delivered from a timer
 * rather than at once, so a protocol that answers from inside its input
 * path never re-enters itself. */
#ifndef NET_LOOPBACK_H
#define NET_LOOPBACK_H

#include "netif.h"
#include "pbuf.h"

#define LOOPBACK_QUEUE_MAX 256 /* datagrams in flight to ourselves */

/* Queue p (p->data at a complete IP header) for input on nif; consumes p.
 * 0, or -UL_ENOMEM when the queue is full. */
int loopback_output(struct netif *nif, struct pbuf *p);

#endif
