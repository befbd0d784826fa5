/* tcpxfer: one TCP bulk transfer, for testing the stack over bad links (the
 * simulator's lossy-link scenario). The sender sends a test stream and
 * both ends print the byte count and SHA-256 of what they sent or got, so
 * a test can check the transfer end to end.
 *
 *   tcpxfer recv PORT                accept one connection, read it to
 *                                    the end, print, exit 0
 *   tcpxfer send ADDR PORT BYTES     connect, send BYTES of the stream,
 *                                    wait for the receiver to close, exit 0
 *
 * The stream is little-endian 32-bit words, word i = i * 2654435761 mod
 * 2^32 (Knuth's multiplicative hash): it never repeats within 16 GiB, so a
 * misplaced segment always shows in the hash. Addresses come from the core
 * options (ip=10.0.0.2/24). */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>

#include "sha256.h"

#define CHUNK 16384
#define REPORTS 10 /* progress lines per transfer */

static uint8_t buf[CHUNK];

/* Bytes [offset, offset + len) of the stream into buf; offset is a
 * multiple of 4. */
static void stream_fill(uint64_t offset, size_t len)
{
	uint32_t word = (uint32_t)(offset / 4);
	for (size_t i = 0; i < len; i += 4, word++) {
		uint32_t v = word * 2654435761u;
		for (size_t b = 0; b < 4 && i + b < len; b++)
			buf[i + b] = (uint8_t)(v >> (8 * b));
	}
}

static void report(const char *what, uint64_t bytes, uint64_t start,
                   struct sha256 *sum)
{
	char hex[65];
	uint64_t ns = ul_now() - start;
	uint64_t kbps = ns ? bytes * 8 * 1000000 / ns : 0;
	sha256_hex(sum, hex);
	ul_printf("tcpxfer: %s %llu bytes in %llu ms (%llu kbit/s) sha256 %s\n",
	          what, (unsigned long long)bytes,
	          (unsigned long long)(ns / UL_MS), (unsigned long long)kbps, hex);
}

static void progress(const char *what, uint64_t done, uint64_t step,
                     uint64_t *next)
{
	if (step == 0 || done < *next)
		return;
	ul_printf("tcpxfer: %s %llu bytes\n", what, (unsigned long long)done);
	*next += step;
}

static int receive(uint16_t port)
{
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr any = {UL_IP_ANY, port}, peer;
	int rc = lfd < 0 ? lfd : ul_bind(lfd, &any);
	if (rc == 0)
		rc = ul_listen(lfd, 1);
	if (rc < 0) {
		ul_printf("tcpxfer: cannot listen on port %u: %s\n", port,
		          ul_strerror(rc));
		return 1;
	}
	ul_printf("tcpxfer: listening on port %u\n", port);
	int fd = ul_accept(lfd, &peer);
	if (fd < 0) {
		ul_printf("tcpxfer: accept failed: %s\n", ul_strerror(fd));
		return 1;
	}
	char ip[UL_IP_STRLEN];
	ul_printf("tcpxfer: connection from %s:%u\n", ul_ip_format(peer.addr, ip),
	          peer.port);
	struct sha256 sum;
	sha256_init(&sum);
	uint64_t total = 0, start = ul_now(), next = 1 << 20;
	long n;
	while ((n = ul_recv(fd, buf, sizeof(buf), 0)) > 0) {
		sha256_update(&sum, buf, (size_t)n);
		total += (uint64_t)n;
		progress("received", total, 1 << 20, &next);
	}
	if (n < 0) {
		ul_printf("tcpxfer: receive failed after %llu bytes: %s\n",
		          (unsigned long long)total, ul_strerror((int)n));
		return 1;
	}
	report("received", total, start, &sum);
	ul_close(fd);
	ul_close(lfd);
	return 0;
}

static int send_all(int fd, uint64_t bytes, struct sha256 *sum)
{
	uint64_t done = 0, step = bytes / REPORTS, next = step;
	while (done < bytes) {
		size_t len = bytes - done < CHUNK ? (size_t)(bytes - done) : CHUNK;
		stream_fill(done, len);
		sha256_update(sum, buf, len);
		for (size_t off = 0; off < len;) {
			long n = ul_send(fd, buf + off, len - off, 0);
			if (n < 0) {
				ul_printf("tcpxfer: send failed after %llu bytes: "
				          "%s\n", (unsigned long long)(done + off),
				          ul_strerror((int)n));
				return -1;
			}
			off += (size_t)n;
		}
		done += len;
		progress("sent", done, step, &next);
	}
	return 0;
}

static int transmit(uint32_t addr, uint16_t port, uint64_t bytes)
{
	struct ul_sockaddr to = {addr, port};
	int fd = ul_socket(UL_SOCK_STREAM);
	int rc = fd < 0 ? fd : ul_connect(fd, &to);
	char ip[UL_IP_STRLEN];
	if (rc < 0) {
		ul_printf("tcpxfer: cannot connect to %s:%u: %s\n",
		          ul_ip_format(addr, ip), port, ul_strerror(rc));
		return 1;
	}
	ul_printf("tcpxfer: connected to %s:%u, sending %llu bytes\n",
	          ul_ip_format(addr, ip), port, (unsigned long long)bytes);
	struct sha256 sum;
	sha256_init(&sum);
	uint64_t start = ul_now();
	if (send_all(fd, bytes, &sum) < 0)
		return 1;
	/* Everything is delivered once the receiver, having read it all,
	 * closes its side. */
	ul_shutdown(fd, UL_SHUT_WR);
	long n = ul_recv(fd, buf, sizeof(buf), 0);
	if (n != 0) {
		ul_printf("tcpxfer: the receiver did not close cleanly: %s\n",
		          n < 0 ? ul_strerror((int)n) : "it sent data");
		return 1;
	}
	report("sent", bytes, start, &sum);
	ul_close(fd);
	return 0;
}

static int number(const char *s, unsigned long long max,
                  unsigned long long *out)
{
	char *end;
	int err;
	*out = ul_strtoull(s, &end, 10, &err);
	return *s >= '0' && *s <= '9' && !*end && !err && *out <= max ? 0 : -1;
}

int ul_main(int argc, char **argv)
{
	unsigned long long port = 0, bytes = 0;
	uint32_t addr = 0;
	bool recv = argc == 3 && ul_strcmp(argv[1], "recv") == 0 &&
	            number(argv[2], 65535, &port) == 0 && port;
	bool send = argc == 5 && ul_strcmp(argv[1], "send") == 0 &&
	            ul_ip_parse(argv[2], &addr) == 0 &&
	            number(argv[3], 65535, &port) == 0 && port &&
	            number(argv[4], 1ull << 40, &bytes) == 0;
	if (!recv && !send) {
		ul_printf("usage: tcpxfer recv PORT | tcpxfer send ADDR PORT BYTES\n");
		return 2;
	}
	if (ul_net_start() < 0)
		return 1;
	return recv ? receive((uint16_t)port) : transmit(addr, (uint16_t)port, bytes);
}
