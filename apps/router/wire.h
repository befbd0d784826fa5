/* The header fields the router reads and rewrites, at their byte offsets
 * (IPv4: RFC 791, ICMP: RFC 792, UDP: RFC 768, TCP: RFC 9293), and
 * big-endian access to them. An app sees datagrams through
 * <unilab/forward.h> only, so it names the fields it needs itself. */
#ifndef ROUTER_WIRE_H
#define ROUTER_WIRE_H

#include <stdint.h>

#define IP_VERSION_IHL 0
#define IP_FRAG 6
#define IP_PROTO 9
#define IP_CSUM 10
#define IP_SRC 12
#define IP_DST 16
#define IP_HLEN 20 /* without options */
#define IP_FRAG_OFFSET 0x1fff
#define IP_VERSION 4
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17

/* TCP's and UDP's ports are at the same place. */
#define L4_SPORT 0
#define L4_DPORT 2
#define UDP_CSUM 6
#define UDP_HLEN 8
#define TCP_FLAGS 13
#define TCP_CSUM 16
#define TCP_HLEN 20
#define TCP_FIN 0x01
#define TCP_RST 0x04

#define ICMP_TYPE 0
#define ICMP_CSUM 2
#define ICMP_ID 4 /* an echo's identifier */
#define ICMP_HLEN 8 /* an error's quote follows */
#define ICMP_QUOTE 8 /* the bytes after the quoted IP header */
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12

/* The version is the high nibble of the first byte, the header's length
 * in words the low one. */
static inline size_t ip_hlen(const uint8_t *h)
{
	return (size_t)(h[IP_VERSION_IHL] & 0xf) * 4;
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

#endif
