/* DHCP messages (RFC 2131 section 2, options from RFC 2132) as the server
 * reads and writes them. */
#ifndef DHCPD_MSG_H
#define DHCPD_MSG_H

#include <stddef.h>
#include <stdint.h>

#define SERVER_PORT 67
#define CLIENT_PORT 68
#define MSG_MAX 1024
#define MAC_LEN 6

/* BOOTP's fixed part (RFC 2131 figure 1) at its byte offsets, then the
 * magic cookie and the options: code, length, value (RFC 2132). */
#define BOOTP_OP 0
#define BOOTP_HTYPE 1
#define BOOTP_HLEN 2
#define BOOTP_XID 4
#define BOOTP_FLAGS 10
#define BOOTP_CIADDR 12
#define BOOTP_YIADDR 16
#define BOOTP_SIADDR 20
#define BOOTP_GIADDR 24
#define BOOTP_CHADDR 28
#define BOOTP_COOKIE 236
#define BOOTP_OPTIONS 240
#define BOOTP_MIN_LEN 300 /* which old relays insist on */
#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHERNET 1
#define DHCP_COOKIE 0x63825363u
#define OPT_CODE 0
#define OPT_LEN 1
#define OPT_VALUE 2

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM };

/* What the server reads from a client's message. */
struct request {
	uint8_t type;
	uint32_t xid, ciaddr, giaddr, requested, server;
	uint16_t flags;
	uint8_t chaddr[MAC_LEN];
};

/* What a reply carries besides its type; zero fields are left out. */
struct reply_options {
	uint32_t server, mask, router, dns;
	uint32_t lease; /* seconds; 0 leaves out the lease and T1/T2 */
	const char *domain;
};

/* Parse a BOOTREQUEST from Ethernet (htype 1, hlen 6) with the magic
 * cookie and a message type: 0, or -1 for anything else. */
int msg_parse(const uint8_t *p, size_t len, struct request *r);
/* Write the reply of type to r, with address yiaddr, into out (MSG_MAX
 * bytes): its length. */
size_t msg_reply(uint8_t *out, const struct request *r, uint8_t type,
                 uint32_t yiaddr, const struct reply_options *o);

#endif
