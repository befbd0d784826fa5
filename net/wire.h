/* The wire formats the stack speaks: every header field at its byte
 * offset, the values the stack gives or checks, and reading and writing
 * big-endian ("network order") fields byte by byte. Frames are never cast
 * to structs, so alignment and padding never matter and every access
 * stays inside the bounds the caller checked. */
#ifndef NET_WIRE_H
#define NET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unilab/ether.h>

/* Ethernet II (IEEE 802.3 clause 3.2, EtherType framing). */
#define ETH_DST 0
#define ETH_SRC 6
#define ETH_TYPE 12
#define ETH_GROUP 0x01 /* in the first byte: multicast or broadcast */

/* ARP for IPv4 over Ethernet (RFC 826; fields named as there). */
#define ARP_HRD 0 /* hardware type */
#define ARP_PRO 2 /* protocol type (an EtherType) */
#define ARP_HLN 4 /* hardware address length */
#define ARP_PLN 5 /* protocol address length */
#define ARP_OP 6
#define ARP_SHA 8  /* sender's MAC */
#define ARP_SPA 14 /* sender's IPv4 address */
#define ARP_THA 18 /* target's MAC */
#define ARP_TPA 24 /* target's IPv4 address */
#define ARP_LEN 28
#define ARP_HRD_ETHERNET 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

/* IPv4 (RFC 791 section 3.1). */
#define IP_ADDR_LEN 4
#define IP_VERSION_IHL 0 /* version in the high nibble, length in words */
#define IP_TOS 1
#define IP_TOTAL_LEN 2
#define IP_ID 4
#define IP_FRAG 6 /* flags and fragment offset */
#define IP_TTL 8
#define IP_PROTO 9
#define IP_CSUM 10
#define IP_SRC 12
#define IP_DST 16
#define IP_HLEN 20 /* without options */
#define IP_MIN_MTU 68 /* what every link must carry (RFC 791) */
#define IP_MIN_DATAGRAM 576 /* what every host must accept (RFC 791) */
#define IP_VERSION 4
#define IP_FLAG_DF 0x4000
#define IP_FLAG_MF 0x2000
#define IP_FRAG_OFFSET 0x1fff /* in units of IP_FRAG_UNIT bytes */
#define IP_FRAG_UNIT 8
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17

static inline unsigned ip_version(const uint8_t *h)
{
	return h[IP_VERSION_IHL] >> 4;
}

/* Class D: a multicast group, never one host. */
static inline bool ip_is_multicast(uint32_t addr)
{
	return addr >> 28 == 0xe;
}

/* The header's length in bytes, options included. */
static inline size_t ip_hlen(const uint8_t *h)
{
	return (size_t)(h[IP_VERSION_IHL] & 0xf) * 4;
}

/* ICMP (RFC 792): type, code, checksum, then a word that depends on the
 * type: an echo's identifier and sequence number, or RFC 1191's next-hop
 * MTU in the second half for "fragmentation needed". */
#define ICMP_TYPE 0
#define ICMP_CODE 1
#define ICMP_CSUM 2
#define ICMP_ID 4
#define ICMP_SEQ 6
#define ICMP_WORD 4 /* the whole type-dependent word */
#define ICMP_NEXT_MTU 6
#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_TIMESTAMP 13
#define ICMP_INFO_REQUEST 15
#define ICMP_MASK_REQUEST 17
#define ICMP_UNREACH_NET 0
#define ICMP_UNREACH_HOST 1
#define ICMP_UNREACH_PROTOCOL 2
#define ICMP_UNREACH_PORT 3
#define ICMP_UNREACH_NEEDFRAG 4 /* DF set, next hop too small (RFC 1191) */
#define ICMP_QUOTE 8 /* an error quotes the IP header and this much more */

/* A request of RFC 792 (echo, timestamp, information, address mask):
 * never an error, so one may be answered with one. */
static inline bool icmp_is_request(uint8_t type)
{
	return type == ICMP_ECHO || type == ICMP_TIMESTAMP ||
	       type == ICMP_INFO_REQUEST || type == ICMP_MASK_REQUEST;
}

/* UDP (RFC 768). */
#define UDP_SPORT 0
#define UDP_DPORT 2
#define UDP_LEN 4
#define UDP_CSUM 6
#define UDP_HLEN 8

/* TCP (RFC 9293 section 3.1). */
#define TCP_SPORT 0
#define TCP_DPORT 2
#define TCP_SEQ 4
#define TCP_ACKNO 8
#define TCP_OFFSET 12 /* data offset, in words, in the high nibble */
#define TCP_FLAGS 13
#define TCP_WINDOW 14
#define TCP_CSUM 16
#define TCP_URGENT 18
#define TCP_HLEN 20 /* without options */
#define TCP_OPTIONS_MAX 40
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_FLAGS_MASK 0x3f /* URG and below; ECN's bits are not ours */
/* Options: kind, length (of the whole option), value; END and NOP are
 * the kind alone. */
#define TCP_OPT_KIND 0
#define TCP_OPT_LEN 1
#define TCP_OPT_VALUE 2
#define TCP_OPT_END 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2 /* RFC 9293 3.2 */
#define TCP_OPT_MSS_LEN 4
#define TCP_OPT_WSCALE 3 /* RFC 7323 2.2 */
#define TCP_OPT_WSCALE_LEN 3
#define TCP_WSCALE_MAX 14 /* RFC 7323 2.3 */
#define TCP_OPT_SACK_OK 4 /* RFC 2018 2 */
#define TCP_OPT_SACK_OK_LEN 2
#define TCP_OPT_SACK 5 /* RFC 2018 3: 2 + 8 bytes a block */
#define TCP_OPT_SACK_BLOCK 8 /* a block: its left edge, its right edge */
#define TCP_SACK_LEFT 0
#define TCP_SACK_RIGHT 4
#define TCP_WINDOW_MAX 65535 /* the field's largest value */

static inline size_t tcp_hlen(const uint8_t *h)
{
	return (size_t)(h[TCP_OFFSET] >> 4) * 4;
}

/* DHCP's fixed BOOTP part (RFC 2131 figure 1), then the magic cookie and
 * the options (RFC 2132). */
#define DHCP_OP 0
#define DHCP_HTYPE 1
#define DHCP_HLEN 2 /* hardware address length */
#define DHCP_XID 4
#define DHCP_FLAGS 10
#define DHCP_CIADDR 12
#define DHCP_YIADDR 16
#define DHCP_CHADDR 28
#define DHCP_COOKIE 236
#define DHCP_OPTIONS 240
#define DHCP_COOKIE_VALUE 0x63825363u
#define DHCP_BOOTREQUEST 1
#define DHCP_BOOTREPLY 2
#define DHCP_HTYPE_ETHERNET 1
/* An option: code, length (of the value), value; PAD and END are the
 * code alone. */
#define DHCP_OPT_CODE 0
#define DHCP_OPT_LEN 1
#define DHCP_OPT_VALUE 2

/* The DNS header (RFC 1035 4.1.1). */
#define DNS_ID 0
#define DNS_FLAGS 2
#define DNS_QDCOUNT 4
#define DNS_ANCOUNT 6
#define DNS_NSCOUNT 8
#define DNS_ARCOUNT 10
#define DNS_HLEN 12
#define DNS_FLAG_QR 0x8000 /* a response */
#define DNS_FLAG_TC 0x0200 /* truncated */
#define DNS_FLAG_RD 0x0100 /* recursion desired */
#define DNS_RCODE_MASK 0x000f
#define DNS_RCODE_NXDOMAIN 3
/* A question after its name (4.1.2), a resource record after its owner's
 * name (4.1.3). */
#define DNS_Q_TYPE 0
#define DNS_Q_CLASS 2
#define DNS_Q_LEN 4
#define DNS_RR_TYPE 0
#define DNS_RR_CLASS 2
#define DNS_RR_TTL 4
#define DNS_RR_RDLENGTH 8
#define DNS_RR_LEN 10 /* then RDLENGTH bytes of data */
#define DNS_TYPE_A 1
#define DNS_TYPE_CNAME 5
#define DNS_CLASS_IN 1
#define DNS_LABEL_MAX 63
/* A label's two top bits: 11 makes it a compression pointer (4.1.4),
 * whose other 14 bits are an offset in the message. */
#define DNS_LABEL_KIND 0xc0
#define DNS_POINTER 0xc0

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif
