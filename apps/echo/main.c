/* echo: the RFC 862 echo service over UDP and TCP, on ports given as
 * arguments (default 7 for both). One thread serves every client through
 * ul_poll: a TCP client's bytes go back as soon as its socket has room,
 * and a slow reader only ever holds its own buffer. */
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

#define MAX_CLIENTS 1024
#define BUF_SIZE 16384

struct client {
	int fd;
	size_t len, off; /* buf[off..len) still to be echoed */
	char buf[BUF_SIZE];
};

static struct client *clients[MAX_CLIENTS];
static unsigned nclients;
/* The UDP socket and the TCP listener (those that are on), then one
 * entry per client, in order. */
static struct ul_pollfd fds[2 + MAX_CLIENTS];
static unsigned nfixed;

static void usage(void)
{
	ul_printf("usage: echo [--udp=PORT] [--tcp=PORT]\n"
	          "  serves RFC 862 echo; with no option both on port 7;\n"
	          "  PORT 0 turns that protocol off\n");
}

static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v;
	int rc = ul_parse_number(s, 65535, &v);
	if (rc == 0)
		*port = (uint16_t)v;
	return rc;
}

static void echo_datagrams(int fd)
{
	static char buf[65536];
	struct ul_sockaddr from;
	long n;
	while ((n = ul_recvfrom(fd, buf, sizeof buf, 0, &from)) >= 0)
		ul_sendto(fd, buf, (size_t)n, 0, &from);
}

static void accept_clients(int lfd)
{
	int fd;
	while ((fd = ul_accept(lfd, NULL)) >= 0) {
		struct client *c = nclients < MAX_CLIENTS
		                           ? ul_malloc(sizeof *c) : NULL;
		if (!c) {
			ul_printf("echo: refusing a connection: %s\n",
			          nclients < MAX_CLIENTS ? "out of memory"
			                                 : "too many clients");
			ul_close(fd);
			continue;
		}
		c->fd = fd;
		c->len = c->off = 0;
		ul_setsockopt(fd, UL_SO_NONBLOCK, 1);
		ul_setsockopt(fd, UL_TCP_NODELAY, 1);
		clients[nclients++] = c;
	}
}

/* Move the client's data along; false when it is finished. */
static bool serve(struct client *c, short revents)
{
	if (c->off == c->len) {
		if (!(revents & (UL_POLLIN | UL_POLLHUP | UL_POLLERR)))
			return true;
		long n = ul_recv(c->fd, c->buf, sizeof c->buf, 0);
		if (n == -UL_EAGAIN)
			return true;
		if (n <= 0)
			return false;
		c->off = 0;
		c->len = (size_t)n;
	}
	long n = ul_send(c->fd, c->buf + c->off, c->len - c->off, 0);
	if (n < 0 && n != -UL_EAGAIN)
		return false;
	if (n > 0)
		c->off += (size_t)n;
	return true;
}

static void serve_clients(void)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < nclients; i++) {
		struct client *c = clients[i];
		if (serve(c, fds[nfixed + i].revents)) {
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
		nfixed = 0;
		if (ufd >= 0)
			fds[nfixed++] = (struct ul_pollfd){ufd, UL_POLLIN, 0};
		if (tfd >= 0)
			fds[nfixed++] = (struct ul_pollfd){tfd, UL_POLLIN, 0};
		for (unsigned i = 0; i < nclients; i++) {
			struct client *c = clients[i];
			short ev = c->off < c->len ? UL_POLLOUT : UL_POLLIN;
			fds[nfixed + i] = (struct ul_pollfd){c->fd, ev, 0};
		}
		ul_poll(fds, nfixed + nclients, UL_FOREVER);
		serve_clients();
		for (unsigned i = 0; i < nfixed; i++) {
			if (!(fds[i].revents & UL_POLLIN))
				continue;
			if (fds[i].fd == ufd)
				echo_datagrams(ufd);
			else
				accept_clients(tfd);
		}
	}
}

int ul_main(int argc, char **argv)
{
	uint16_t udp = 7, tcp = 7;
	for (int i = 1; i < argc; i++) {
		int rc = -UL_EINVAL;
		if (ul_strncmp(argv[i], "--udp=", 6) == 0)
			rc = parse_port(argv[i] + 6, &udp);
		else if (ul_strncmp(argv[i], "--tcp=", 6) == 0)
			rc = parse_port(argv[i] + 6, &tcp);
		if (rc < 0) {
			usage();
			return 2;
		}
	}
	/* Without a DHCP lease yet, serve anyway: it may come later. */
	int started = ul_net_start();
	if (started < 0 && started != -UL_ETIMEDOUT)
		return 1;
	int ufd = udp ? ul_socket_serve(UL_SOCK_DGRAM, udp, 256) : -1;
	int tfd = tcp ? ul_socket_serve(UL_SOCK_STREAM, tcp, 256) : -1;
	if ((udp && ufd < 0) || (tcp && tfd < 0)) {
		bool u = udp && ufd < 0;
		ul_printf("echo: cannot open %s port %u: %s\n", u ? "udp" : "tcp",
		          u ? udp : tcp, ul_strerror(u ? ufd : tfd));
		return 1;
	}
	if (udp)
		ul_printf("echo: serving udp port %u\n", udp);
	if (tcp)
		ul_printf("echo: serving tcp port %u\n", tcp);
	run(ufd, tfd);
	return 0;
}
