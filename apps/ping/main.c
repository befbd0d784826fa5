/* ping: ICMP echo requests to a host, with round-trip times printed the
 * way ping(8) prints them. Usage: ping [-c COUNT] [-i MS] [-s SIZE]
 * [-W MS] HOST (defaults: 4 requests, 1000 ms apart, 56 bytes of data,
 * replies awaited up to the interval or -W). HOST may be a name: it is
 * resolved through DNS. Exit status as ping(8): 0 when some reply came,
 * 1 when none did, 2 on other errors. */
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

#define HDR 8
#define MAX_DATA 65000
#define STAMP 8 /* the send time, first in the data */

struct options {
	unsigned long count, interval_ms, size, wait_ms;
	const char *host;
};

struct stats {
	unsigned long sent, received;
	uint64_t min, max, sum, sum_sq; /* microseconds */
};

static void usage(void)
{
	ul_printf("usage: ping [-c COUNT] [-i MS] [-s SIZE] [-W MS] HOST\n");
}

static int parse_args(int argc, char **argv, struct options *o)
{
	*o = (struct options){.count = 4, .interval_ms = 1000, .size = 56};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-' || !a[1]) {
			if (o->host)
				return -UL_EINVAL;
			o->host = a;
			continue;
		}
		/* "-c 3" and "-c3" alike */
		const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
		unsigned long *dst;
		unsigned long max = 1000000;
		switch (a[1]) {
		case 'c':
			dst = &o->count;
			break;
		case 'i':
			dst = &o->interval_ms;
			break;
		case 's':
			dst = &o->size;
			max = MAX_DATA;
			break;
		case 'W':
			dst = &o->wait_ms;
			break;
		default:
			return -UL_EINVAL;
		}
		if (!v || ul_parse_number(v, max, dst) < 0)
			return -UL_EINVAL;
	}
	return o->host && o->count ? 0 : -UL_EINVAL;
}

static uint64_t isqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ull << 62;
	while (bit > x)
		bit >>= 2;
	for (; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

/* Microseconds as ping(8) shows milliseconds: "0.123". */
static void print_ms(uint64_t us)
{
	ul_printf("%llu.%03llu", (unsigned long long)(us / 1000),
	          (unsigned long long)(us % 1000));
}

static void fill_request(uint8_t *msg, size_t size, uint16_t seq)
{
	uint64_t now = ul_now();
	ul_memset(msg, 0, HDR);
	msg[0] = 8;
	msg[6] = (uint8_t)(seq >> 8);
	msg[7] = (uint8_t)seq;
	for (size_t i = 0; i < size; i++)
		msg[HDR + i] = (uint8_t)(i < STAMP ? now >> (8 * i) : i);
}

static uint64_t stamp_of(const uint8_t *msg)
{
	uint64_t t = 0;
	for (int i = STAMP - 1; i >= 0; i--)
		t = t << 8 | msg[HDR + i];
	return t;
}

/* Wait for the reply to seq until deadline and print it. */
static void await_reply(int fd, const char *ip, uint16_t seq,
                        uint64_t deadline, struct stats *st)
{
	static uint8_t buf[HDR + MAX_DATA];
	for (;;) {
		uint64_t now = ul_now();
		if (now >= deadline)
			return;
		ul_setsockopt(fd, UL_SO_RCVTIMEO, (long)(deadline - now));
		long n = ul_recv(fd, buf, sizeof buf, 0);
		if (n == -UL_ETIMEDOUT)
			return;
		if (n < HDR + STAMP || buf[0] != 0 ||
		    (uint16_t)(buf[6] << 8 | buf[7]) != seq)
			continue;
		uint64_t us = (ul_now() - stamp_of(buf)) / 1000;
		st->received++;
		st->sum += us;
		st->sum_sq += us * us;
		st->min = st->received == 1 || us < st->min ? us : st->min;
		st->max = us > st->max ? us : st->max;
		ul_printf("%ld bytes from %s: icmp_seq=%u time=", n, ip, seq);
		print_ms(us);
		ul_printf(" ms\n");
		return;
	}
}

static void summary(const char *host, const struct stats *st,
                    uint64_t elapsed_ms)
{
	unsigned long loss = st->sent ? (st->sent - st->received) * 100 /
	                                        st->sent : 0;
	ul_printf("\n--- %s ping statistics ---\n%lu packets transmitted, "
	          "%lu received, %lu%% packet loss, time %llums\n",
	          host, st->sent, st->received, loss,
	          (unsigned long long)elapsed_ms);
	if (!st->received)
		return;
	uint64_t avg = st->sum / st->received;
	uint64_t var = st->sum_sq / st->received - avg * avg;
	ul_printf("rtt min/avg/max/mdev = ");
	print_ms(st->min);
	ul_printf("/");
	print_ms(avg);
	ul_printf("/");
	print_ms(st->max);
	ul_printf("/");
	print_ms(isqrt(var));
	ul_printf(" ms\n");
}

int ul_main(int argc, char **argv)
{
	struct options o;
	if (parse_args(argc, argv, &o) < 0) {
		usage();
		return 2;
	}
	if (o.size < STAMP)
		o.size = STAMP;
	if (ul_net_start() < 0)
		return 2;
	uint32_t addr;
	int rc = ul_dns_resolve(o.host, &addr, 5 * UL_S);
	if (rc < 0) {
		ul_printf("ping: %s: %s\n", o.host, rc == -UL_ENOENT
		          ? "Name or service not known" : ul_strerror(rc));
		return 2;
	}
	char ip[UL_IP_STRLEN];
	ul_ip_format(addr, ip);
	int fd = ul_socket(UL_SOCK_PING);
	struct ul_sockaddr to = {addr, 0};
	if (fd < 0 || (rc = ul_connect(fd, &to)) < 0) {
		ul_printf("ping: %s\n", ul_strerror(fd < 0 ? fd : rc));
		return 2;
	}
	ul_printf("PING %s (%s) %lu(%lu) bytes of data.\n", o.host, ip, o.size,
	          o.size + HDR + 20);
	static uint8_t msg[HDR + MAX_DATA];
	struct stats st = {0};
	uint64_t start = ul_now();
	uint64_t wait = (o.wait_ms ? o.wait_ms : o.interval_ms) * UL_MS;
	for (unsigned long i = 1; i <= o.count; i++) {
		uint64_t sent_at = ul_now();
		fill_request(msg, o.size, (uint16_t)i);
		rc = (int)ul_send(fd, msg, HDR + o.size, 0);
		if (rc < 0)
			ul_printf("ping: sendmsg: %s\n", ul_strerror(rc));
		st.sent++;
		await_reply(fd, ip, (uint16_t)i, sent_at + wait, &st);
		if (i < o.count)
			ul_sleep_until(sent_at + o.interval_ms * UL_MS);
	}
	summary(o.host, &st, (ul_now() - start) / UL_MS);
	return st.received ? 0 : 1;
}
