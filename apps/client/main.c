/* client: a small nc-like client for trying a server app, by hand or as a
 * node of a simulated network. It sends a message COUNT times over one TCP
 * connection or as UDP datagrams, waits for each reply, prints it with its
 * round-trip time, and can check that each reply is the message itself
 * (an echo check). Exit status: 0 when every message was answered (and
 * echoed, with -e), 1 when some were not, 2 on bad usage or no connection. */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/dns.h>
#include <unilab/errno.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#define MAX_MSG 1400 /* one datagram in one Ethernet frame */

struct options {
	bool udp, echo;
	unsigned long count, interval_ms, wait_ms;
	const char *host;
	uint16_t port;
	char msg[MAX_MSG + 1];
	size_t len;
};

struct stats {
	unsigned long sent, answered;
	uint64_t min, max, sum; /* round trips, ns */
};

static void usage(void)
{
	ul_printf("usage: client [-u] [-e] [-n COUNT] [-i MS] [-w MS] HOST PORT "
	          "[MESSAGE...]\n"
	          "  sends MESSAGE (default: hello) COUNT times (default 1), MS\n"
	          "  apart (-i, default 1000), over TCP or UDP (-u), and waits\n"
	          "  up to -w MS (default 3000) for each reply; -e: each reply\n"
	          "  must be the message itself\n");
}

/* The message's words, joined by single blanks as a shell's echo would. */
static int join(struct options *o, char **words, int n)
{
	o->len = 0;
	for (int i = 0; i < n; i++) {
		size_t w = ul_strlen(words[i]) + (i > 0);
		if (o->len + w > MAX_MSG)
			return -UL_E2BIG;
		if (i > 0)
			o->msg[o->len] = ' ';
		ul_memcpy(o->msg + o->len + (i > 0), words[i], w - (i > 0));
		o->len += w;
	}
	o->msg[o->len] = '\0';
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){.count = 1, .interval_ms = 1000, .wait_ms = 3000};
	int i = 1;
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i];
		unsigned long *dst = NULL, max = 3600000;
		if (ul_strcmp(a, "-u") == 0)
			o->udp = true;
		else if (ul_strcmp(a, "-e") == 0)
			o->echo = true;
		else if (ul_strcmp(a, "-n") == 0)
			dst = &o->count, max = 1000000;
		else if (ul_strcmp(a, "-i") == 0)
			dst = &o->interval_ms;
		else if (ul_strcmp(a, "-w") == 0)
			dst = &o->wait_ms;
		else
			return -UL_EINVAL;
		if (dst && (i + 1 == argc || ul_parse_number(argv[++i], max, dst) < 0))
			return -UL_EINVAL;
	}
	unsigned long port;
	if (argc - i < 2 || ul_parse_number(argv[i + 1], 65535, &port) < 0 || port == 0 ||
	    o->count == 0)
		return -UL_EINVAL;
	o->host = argv[i];
	o->port = (uint16_t)port;
	static char *hello[] = {"hello"};
	return argc - i > 2 ? join(o, argv + i + 2, argc - i - 2) : join(o, hello, 1);
}

/* One reply: over TCP, as many bytes as were sent (a stream has no
 * message boundaries), over UDP one datagram; within the deadline. */
static long receive(int fd, const struct options *o, char *buf,
                    uint64_t deadline)
{
	size_t got = 0;
	while (got < (o->udp ? 1 : o->len)) {
		uint64_t now = ul_now();
		if (now >= deadline)
			break;
		ul_setsockopt(fd, UL_SO_RCVTIMEO, (long)(deadline - now));
		long n = ul_recv(fd, buf + got, MAX_MSG - got, 0);
		if (n == -UL_EAGAIN || n == -UL_ETIMEDOUT)
			break;
		if (n <= 0)
			return got > 0 ? (long)got : n;
		got += (size_t)n;
	}
	return (long)got;
}

static void print_ms(const char *label, uint64_t ns)
{
	uint64_t us = ns / UL_US;
	ul_printf("%s%lu.%03lu", label, (unsigned long)(us / 1000),
	          (unsigned long)(us % 1000));
}

/* Send message seq (from 1), await its reply, and count it. */
static bool exchange(int fd, const struct options *o, unsigned long seq,
                     struct stats *st)
{
	static char buf[MAX_MSG + 1];
	uint64_t start = ul_now();
	long rc = ul_send(fd, o->msg, o->len, 0);
	st->sent++;
	if (rc < 0) {
		ul_printf("client: %lu: send: %s\n", seq, ul_strerror((int)rc));
		return false;
	}
	long n = receive(fd, o, buf, start + o->wait_ms * UL_MS);
	uint64_t rtt = ul_now() - start;
	if (n < 0) {
		ul_printf("client: %lu: receive: %s\n", seq, ul_strerror((int)n));
		return false;
	}
	if (n == 0) {
		ul_printf("client: %lu: no reply within %lu ms\n", seq, o->wait_ms);
		/* A late reply would still come down the stream, taken for
		 * the next one's: a TCP client stops here. */
		return o->udp;
	}
	if (!o->udp && (size_t)n < o->len) {
		ul_printf("client: %lu: only %ld of %lu bytes came back within "
		          "%lu ms\n", seq, n, (unsigned long)o->len, o->wait_ms);
		return false;
	}
	buf[n] = '\0';
	bool echoed = (size_t)n == o->len && ul_memcmp(buf, o->msg, o->len) == 0;
	ul_printf("reply %lu from %s:%u, %ld bytes", seq, o->host,
	          (unsigned)o->port, n);
	print_ms(" in ", rtt);
	ul_printf(" ms: %.*s\n", (int)(n > 200 ? 200 : n), buf);
	if (o->echo && !echoed) {
		ul_printf("client: %lu: the reply is not the message sent\n", seq);
		return true;
	}
	st->answered++;
	st->sum += rtt;
	if (st->answered == 1 || rtt < st->min)
		st->min = rtt;
	if (rtt > st->max)
		st->max = rtt;
	return true;
}

int ul_main(int argc, char **argv)
{
	struct options o;
	if (parse_args(argc, argv, &o) < 0) {
		usage();
		return 2;
	}
	if (ul_net_start() < 0)
		return 2;
	struct ul_sockaddr to = {0, o.port};
	int rc = ul_dns_resolve(o.host, &to.addr, 5 * UL_S);
	if (rc < 0) {
		ul_printf("client: %s: %s\n", o.host, ul_strerror(rc));
		return 2;
	}
	int fd = ul_socket(o.udp ? UL_SOCK_DGRAM : UL_SOCK_STREAM);
	if (fd < 0 || (rc = ul_connect(fd, &to)) < 0) {
		ul_printf("client: cannot connect to %s:%u: %s\n", o.host,
		          (unsigned)o.port, ul_strerror(fd < 0 ? fd : rc));
		return 2;
	}
	struct stats st = {0};
	for (unsigned long seq = 1; seq <= o.count; seq++) {
		if (!exchange(fd, &o, seq, &st))
			break;
		if (seq < o.count)
			ul_sleep(o.interval_ms * UL_MS);
	}
	ul_close(fd);
	ul_printf("client: %lu sent, %lu answered%s, %lu not", st.sent,
	          st.answered, o.echo ? " with an echo" : "",
	          st.sent - st.answered);
	if (st.answered > 0) {
		print_ms("; round trip min/avg/max ", st.min);
		print_ms("/", st.sum / st.answered);
		print_ms("/", st.max);
		ul_printf(" ms");
	}
	ul_printf("\n");
	return st.answered == o.count ? 0 : 1;
}
