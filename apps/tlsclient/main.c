/* tlsclient: fetch one page over HTTPS and print what came back: the
 * status line, the body's length and its SHA-256, so a test can compare
 * it with the file the server sent.
 *   tlsclient [--ca=PATH] [--name=HOST] [--times=N] IP PORT [PATH]
 * --ca: the CA certificates to trust (default /etc/tls/ca.pem, built in);
 * --name: the server name sent as SNI and checked against the server's
 * certificate (default unilab.test); --times: fetch N times, each on a new
 * connection (the later ones resume the first one's session). */
#include <stdbool.h>
#include <bearssl_hash.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>
#include <unilab/tls.h>

#define TIMEOUT (10 * UL_S)
#define REPLY_MAX (256u << 10) /* fits the smallest kvm guest's heap */

struct options {
	const char *ca, *name, *path;
	unsigned long times;
	struct ul_sockaddr server;
};

static const char *option_value(const char *arg, const char *name)
{
	size_t n = ul_strlen(name);
	return ul_strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1
	                                                       : NULL;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int pos = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = option_value(argv[i], "--ca"))) {
			o->ca = v;
		} else if ((v = option_value(argv[i], "--name"))) {
			o->name = v;
		} else if ((v = option_value(argv[i], "--times"))) {
			if (ul_parse_number(v, 100, &o->times) < 0 ||
			    o->times == 0)
				return -UL_EINVAL;
		} else if (pos == 0) {
			if (ul_ip_parse(argv[i], &o->server.addr) < 0)
				return -UL_EINVAL;
			pos++;
		} else if (pos == 1) {
			unsigned long port;
			if (ul_parse_number(argv[i], 65535, &port) < 0 ||
			    port == 0)
				return -UL_EINVAL;
			o->server.port = (uint16_t)port;
			pos++;
		} else if (pos == 2 && argv[i][0] == '/') {
			o->path = argv[i];
			pos++;
		} else {
			return -UL_EINVAL;
		}
	}
	return pos >= 2 ? 0 : -UL_EINVAL;
}

/* Print the status line, the body's length and SHA-256. */
static void report(const char *reply, size_t len)
{
	const char *eol = NULL, *body = NULL;
	for (size_t i = 0; i + 1 < len && !eol; i++)
		if (reply[i] == '\r' && reply[i + 1] == '\n')
			eol = reply + i;
	for (size_t i = 0; i + 3 < len && !body; i++)
		if (ul_memcmp(reply + i, "\r\n\r\n", 4) == 0)
			body = reply + i + 4;
	if (!eol || !body) {
		ul_printf("tlsclient: the reply (%zu bytes) is not HTTP\n", len);
		return;
	}
	br_sha256_context h;
	unsigned char sum[32];
	size_t n = len - (size_t)(body - reply);
	br_sha256_init(&h);
	br_sha256_update(&h, body, n);
	br_sha256_out(&h, sum);
	ul_printf("tlsclient: %.*s, body %zu bytes, sha256 ", (int)(eol - reply),
	          reply, n);
	for (int i = 0; i < 32; i++)
		ul_printf("%02x", sum[i]);
	ul_printf("\n");
}

static int fetch(struct ul_tls_client *client, const struct options *o,
                 char *reply)
{
	int err, fd = ul_socket(UL_SOCK_STREAM);
	if (fd >= 0) {
		ul_setsockopt(fd, UL_SO_SNDTIMEO, (long)TIMEOUT);
		err = ul_connect(fd, &o->server);
		if (err < 0)
			ul_close(fd);
	} else {
		err = fd;
	}
	if (err < 0) {
		ul_printf("tlsclient: cannot connect: %s\n", ul_strerror(err));
		return 1;
	}
	ul_setsockopt(fd, UL_SO_RCVTIMEO, (long)TIMEOUT);
	struct ul_tls *t = ul_tls_connect(client, fd, o->name, TIMEOUT, &err);
	if (t == NULL) {
		ul_printf("tlsclient: handshake failed: %s\n", ul_strerror(err));
		return 1;
	}
	ul_printf("tlsclient: connected to %s, ALPN '%s', %s session\n",
	          o->name, ul_tls_alpn(t), ul_tls_resumed(t) ? "resumed"
	                                                     : "new");
	char req[512];
	int n = ul_snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\n"
	                    "Connection: close\r\n\r\n", o->path, o->name);
	long r = ul_tls_send(t, req, (size_t)n);
	size_t len = 0;
	while (r >= 0 && len < REPLY_MAX) {
		r = ul_tls_recv(t, reply + len, REPLY_MAX - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (r < 0) {
		ul_printf("tlsclient: %s\n", ul_tls_why(t));
		ul_tls_close(t);
		return 1;
	}
	ul_tls_close(t);
	report(reply, len);
	return 0;
}

int ul_main(int argc, char **argv)
{
	struct options o = {"/etc/tls/ca.pem", "unilab.test", "/", 1, {0, 0}};
	if (parse_args(argc, argv, &o) < 0) {
		ul_printf("usage: tlsclient [--ca=PATH] [--name=HOST] "
		          "[--times=N] IP PORT [PATH]\n");
		return 2;
	}
	int err = ul_net_start();
	if (err < 0) {
		ul_printf("tlsclient: no network: %s\n", ul_strerror(err));
		return 1;
	}
	struct ul_tls_client *client = ul_tls_client_new(o.ca, &err);
	char *reply = ul_malloc(REPLY_MAX);
	if (client == NULL || reply == NULL) {
		ul_printf("tlsclient: cannot set up TLS: %s\n",
		          ul_strerror(reply ? err : -UL_ENOMEM));
		return 1;
	}
	for (unsigned long i = 0; i < o.times; i++)
		if (fetch(client, &o, reply) != 0)
			return 1;
	return 0;
}
