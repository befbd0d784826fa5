/* dns: an authoritative DNS server. It loads the zone files built into the
 * image (apps/dns/zones/) and answers queries for them on UDP and TCP
 * port 53 (RFC 1035 4.2, RFC 7766), one thread serving every socket
 * through ul_poll. */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>
#include "answer.h"
#include "config.h"
#include "name.h"
#include "zone.h"

#define MAX_CLIENTS 64
#define TCP_IDLE (10 * UL_S) /* a quiet TCP client is closed (RFC 7766 6.2.3) */
#define TCP_MAX (2 + 65535)

/* A TCP client: a query arrives length first and its answer goes back
 * the same way; out holds what is still to be sent. */
struct client {
	int fd;
	uint64_t last;
	size_t have; /* bytes of in[] read */
	size_t out_len, out_off;
	uint8_t in[TCP_MAX];
	uint8_t out[TCP_MAX];
};

static struct zone *zones;
static struct client *clients[MAX_CLIENTS];
static unsigned nclients;
static struct ul_pollfd fds[2 + MAX_CLIENTS];

static void usage(void)
{
	ul_printf("usage: dns [--port=PORT] [ZONEFILE...]\n"
	          "  answers for the zones in the files named (the files built\n"
	          "  into the image, apps/dns/zones/); with none, every *.zone\n"
	          "  file there; UDP and TCP on PORT (default 53)\n");
}

static bool load_zone(const char *file)
{
	size_t len;
	const char *text = ul_config_need("dns", "zone", file, &len);
	char err[256];
	if (!text)
		return false;
	struct zone *z = zone_parse(file, text, len, err, sizeof err);
	if (!z) {
		ul_printf("dns: %s\n", err);
		return false;
	}
	for (struct zone *o = zones; o; o = o->next) {
		if (name_labels(o->origin) == name_labels(z->origin) &&
		    name_under(o->origin, z->origin)) {
			ul_printf("dns: %s: zone served twice\n", file);
			zone_free(z);
			return false;
		}
	}
	char origin[NAME_TEXT_MAX];
	name_format(z->origin, origin, sizeof origin);
	ul_printf("dns: zone %s from %s: %u records, %u names\n", origin, file,
	          z->nrecords, z->nnodes);
	z->next = zones;
	zones = z;
	return true;
}

static bool is_zone_file(const char *name)
{
	size_t n = ul_strlen(name);
	return n > 5 && ul_strcmp(name + n - 5, ".zone") == 0;
}

static void serve_udp(int fd)
{
	static uint8_t q[65536], a[65536];
	struct ul_sockaddr from;
	long n;
	while ((n = ul_recvfrom(fd, q, sizeof q, 0, &from)) >= 0) {
		size_t len = dns_answer(zones, q, (size_t)n, a, sizeof a, false);
		if (len)
			ul_sendto(fd, a, len, 0, &from);
	}
}

static void accept_clients(int lfd)
{
	int fd;
	while ((fd = ul_accept(lfd, NULL)) >= 0) {
		struct client *c = nclients < MAX_CLIENTS ? ul_malloc(sizeof *c) : NULL;
		if (!c) {
			ul_close(fd); /* the client may try again, or over UDP */
			continue;
		}
		c->fd = fd;
		c->last = ul_now();
		c->have = c->out_len = c->out_off = 0;
		ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
		ul_setsockopt(fd, UL_TCP_NODELAY, 1);
		clients[nclients++] = c;
	}
}

/* Move a client along: send what is pending, else read and answer the
 * next query. false when it is finished. */
static bool serve_tcp(struct client *c)
{
	if (c->out_off < c->out_len) {
		long n = ul_send(c->fd, c->out + c->out_off, c->out_len - c->out_off, 0);
		if (n < 0)
			return n == -UL_EAGAIN;
		c->out_off += (size_t)n;
		c->last = ul_now();
		return true;
	}
	size_t want = c->have < 2 ? 2 : 2 + ((size_t)c->in[0] << 8 | c->in[1]);
	long n = ul_recv(c->fd, c->in + c->have, want - c->have, 0);
	if (n == -UL_EAGAIN)
		return true;
	if (n <= 0)
		return false;
	c->have += (size_t)n;
	c->last = ul_now();
	if (c->have < 2 || c->have < 2 + ((size_t)c->in[0] << 8 | c->in[1]))
		return true;
	size_t len = dns_answer(zones, c->in + 2, c->have - 2, c->out + 2,
	                        TCP_MAX - 2, true);
	c->have = 0;
	if (!len)
		return false; /* not a query: a confused peer */
	c->out[0] = (uint8_t)(len >> 8);
	c->out[1] = (uint8_t)len;
	c->out_len = len + 2;
	c->out_off = 0;
	return serve_tcp(c);
}

static void serve_clients(unsigned first)
{
	unsigned kept = 0;
	uint64_t now = ul_now();
	for (unsigned i = 0; i < nclients; i++) {
		struct client *c = clients[i];
		bool ok = now - c->last < TCP_IDLE;
		if (ok && fds[first + i].revents)
			ok = serve_tcp(c);
		if (ok) {
			clients[kept++] = c;
		} else {
			ul_close(c->fd);
			ul_free(c);
		}
	}
	nclients = kept;
}

static void run(int ufd, int tfd)
{
	for (;;) {
		fds[0] = (struct ul_pollfd){ufd, UL_POLLIN, 0};
		fds[1] = (struct ul_pollfd){tfd, UL_POLLIN, 0};
		for (unsigned i = 0; i < nclients; i++) {
			struct client *c = clients[i];
			short ev = c->out_off < c->out_len ? UL_POLLOUT : UL_POLLIN;
			fds[2 + i] = (struct ul_pollfd){c->fd, ev, 0};
		}
		ul_poll(fds, 2 + nclients, nclients ? UL_S : UL_FOREVER);
		serve_clients(2);
		if (fds[0].revents & UL_POLLIN)
			serve_udp(ufd);
		if (fds[1].revents & UL_POLLIN)
			accept_clients(tfd);
	}
}

int ul_main(int argc, char **argv)
{
	uint16_t port = 53;
	bool named = false;
	for (int i = 1; i < argc; i++) {
		if (ul_strncmp(argv[i], "--port=", 7) == 0) {
			unsigned long v;
			if (ul_parse_number(argv[i] + 7, 65535, &v) < 0 || v == 0) {
				usage();
				return 2;
			}
			port = (uint16_t)v;
		} else if (argv[i][0] == '-') {
			usage();
			return 2;
		} else {
			named = true;
			if (!load_zone(argv[i]))
				return 1;
		}
	}
	for (const struct ul_config_file *f = ul_config_files; !named && f->name; f++)
		if (is_zone_file(f->name) && !load_zone(f->name))
			return 1;
	if (!zones) {
		ul_printf("dns: no zones to serve\n");
		return 1;
	}
	int started = ul_net_start();
	if (started < 0 && started != -UL_ETIMEDOUT)
		return 1;
	int ufd = ul_socket_serve(UL_SOCK_DGRAM, port, 64);
	int tfd = ul_socket_serve(UL_SOCK_STREAM, port, 64);
	if (ufd < 0 || tfd < 0) {
		ul_printf("dns: cannot open %s port %u: %s\n", ufd < 0 ? "udp" : "tcp",
		          port, ul_strerror(ufd < 0 ? ufd : tfd));
		return 1;
	}
	ul_printf("dns: serving udp and tcp port %u\n", port);
	run(ufd, tfd);
	return 0;
}
