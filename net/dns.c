/* The stub resolver: one UDP socket per lookup, connected to the server
 * so stray datagrams never reach it, a few tries within the caller's
 * timeout, and each answer checked against the question it answers. */
#include <unilab/dns.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/time.h>
#include "dns_msg.h"
#include "netif.h"
#include "stack.h"

#define TRIES 3
#define MAX_ALIASES 8 /* answers that only name another name */

void ul_dns_set_server(uint32_t server)
{
	net_dns = server;
}

/* Wait for the answer to (id, name) until deadline. */
static int await(int fd, uint16_t id, const char *name, uint64_t deadline,
                 uint32_t *addr, char *cname)
{
	uint8_t buf[DNS_MSG_MAX];
	for (;;) {
		uint64_t now = ul_now();
		if (now >= deadline)
			return -UL_ETIMEDOUT;
		ul_setsockopt(fd, UL_SO_RCVTIMEO, (long)(deadline - now));
		long n = ul_recv(fd, buf, sizeof buf, 0);
		if (n == -UL_ETIMEDOUT)
			return -UL_ETIMEDOUT;
		if (n < 0)
			continue; /* an ICMP error: the server may come back */
		int rc = dns_parse_response(buf, (size_t)n, id, name, addr,
		                            cname);
		if (rc != -UL_EINVAL)
			return rc;
	}
}

/* One question, a few tries: 0, 1 (an alias, now in cname) or an error. */
static int ask(int fd, const char *name, uint64_t deadline, uint32_t *addr,
               char *cname)
{
	uint8_t q[DNS_MSG_MAX];
	int rc = -UL_ETIMEDOUT;
	for (int i = 0; i < TRIES && rc == -UL_ETIMEDOUT; i++) {
		uint64_t now = ul_now();
		if (now >= deadline)
			break;
		uint16_t id = (uint16_t)net_random();
		int len = dns_build_query(id, name, q, sizeof q);
		if (len < 0)
			return len;
		long sent = ul_send(fd, q, (size_t)len, 0);
		if (sent < 0 && sent != -UL_ECONNREFUSED)
			return (int)sent;
		uint64_t left = deadline - now;
		uint64_t slice = left / (uint64_t)(TRIES - i);
		rc = await(fd, id, name, now + slice, addr, cname);
	}
	return rc;
}

/* Ask for name, then for the names it is an alias of, until an address
 * or an error comes back. */
static int lookup(int fd, const char *name, uint64_t deadline,
                  uint32_t *addr)
{
	char current[DNS_NAME_MAX + 1], next[DNS_NAME_MAX + 1];
	ul_strlcpy(current, name, sizeof current);
	for (int hop = 0; hop < MAX_ALIASES; hop++) {
		int rc = ask(fd, current, deadline, addr, next);
		if (rc != 1)
			return rc;
		ul_strlcpy(current, next, sizeof current);
	}
	return -UL_ENOENT;
}

int ul_dns_resolve(const char *name, uint32_t *addr, uint64_t timeout)
{
	if (ul_ip_parse(name, addr) == 0)
		return 0;
	if (!net_dns)
		return -UL_ENETUNREACH;
	if (ul_strlen(name) > DNS_NAME_MAX + 1)
		return -UL_EINVAL;
	int fd = ul_socket(UL_SOCK_DGRAM);
	if (fd < 0)
		return fd;
	struct ul_sockaddr server = {net_dns, DNS_PORT};
	int rc = ul_connect(fd, &server);
	if (rc == 0)
		rc = lookup(fd, name, ul_deadline_after(timeout), addr);
	ul_close(fd);
	return rc;
}
