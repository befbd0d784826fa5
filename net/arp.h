/* ARP (RFC 826) for IPv4 over Ethernet: a bounded cache, requests with
 * retries, answers for our own addresses, gratuitous announcements. */
#ifndef NET_ARP_H
#define NET_ARP_H

#include <stdint.h>
#include "netif.h"
#include "pbuf.h"

#define ARP_ENTRIES 128     /* the cache's size unless arp_entries= says */
#define ARP_ENTRIES_MIN 8
#define ARP_ENTRIES_MAX 65536
#define ARP_PENDING_MAX 8 /* datagrams held while one address resolves */
#define ARP_TRIES 3       /* requests before an address is given up */
#define ARP_RETRY_NS (1000ull * 1000 * 1000)
#define ARP_REACHABLE_NS (60ull * 1000 * 1000 * 1000)
/* An entry that carried a datagram this recently is in use: never taken
 * for another address (that would only bring it back at once: thrash). */
#define ARP_IN_USE_NS (3000ull * 1000 * 1000)

/* The cache's size, before the stack carries traffic (ul_net_start, from
 * the arp_entries= core option): 0, or -UL_EINVAL outside
 * ARP_ENTRIES_MIN..ARP_ENTRIES_MAX, -UL_ENOMEM. */
int arp_set_size(unsigned entries);

/* A received ARP packet (p->data after the Ethernet header); consumes p. */
void arp_input(struct netif *nif, struct pbuf *p);
/* Send an IPv4 datagram (p->data at its header) to nexthop on nif,
 * resolving its MAC first if need be; consumes p. 0, or a negative error
 * (-UL_ENOMEM when every entry is in use and the datagram is dropped). */
int arp_output(struct netif *nif, struct pbuf *p, uint32_t nexthop);
/* Tell the link that nif's address is at nif's MAC (a gratuitous ARP
 * request, RFC 5227 section 3). */
void arp_announce(struct netif *nif);
/* The MAC cached for ip on nif: 0, or -UL_ENOENT while unknown. */
int arp_lookup(const struct netif *nif, uint32_t ip, uint8_t mac[UL_ETH_ADDR_LEN]);

#endif
