/* httpd: an HTTP/1.1 server (RFC 9110, RFC 9112) for the files of the
 * image's file system (files.c: its www/ folder is the image's romfs; a
 * disk may be mounted over / or a folder), with keep-alive, HEAD, and
 * /stats for the network stack's counters and the heap's (a soak test
 * watches heap_in_use); over TLS (HTTPS) with --https.
 * Usage: httpd [--port=N] [--https [--cert=PATH] [--key=PATH]]
 * (port 80, or 443 with --https). One detached thread per connection. */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include <unilab/tls.h>
#include "httpd.h"

#define HEAD_MAX 8192            /* request line and headers */
#define IDLE_NS (30 * UL_S)      /* keep-alive connections idle out */
#define CONN_STACK (64 * 1024)
#define STATS_MAX 4096
#define HANDSHAKE_NS (10 * UL_S) /* a TLS client gets this long */

/* With --https, the certificate and key (see docs/tls.md). */
static struct ul_tls_server *tls_server;

struct conn {
	int fd;
	struct ul_tls *tls;  /* NULL: plain HTTP */
	size_t len;          /* bytes in buf */
	char buf[HEAD_MAX];
};

static long conn_recv(struct conn *c, void *buf, size_t len)
{
	return c->tls ? ul_tls_recv(c->tls, buf, len)
	              : ul_recv(c->fd, buf, len, 0);
}

struct request {
	char method[8];
	const char *target; /* NUL-terminated inside the buffer */
	int minor;          /* HTTP/1.minor */
	bool close;         /* the client wants the connection closed */
	unsigned long long body; /* Content-Length of the request */
};

/* Case-insensitive "does line start with name:" and the value after it. */
static const char *header_value(const char *line, const char *name)
{
	size_t n = ul_strlen(name);
	for (size_t i = 0; i < n; i++)
		if (ul_tolower((unsigned char)line[i]) != name[i])
			return NULL;
	if (line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

static bool token_is(const char *v, const char *word)
{
	size_t n = ul_strlen(word);
	for (size_t i = 0; i < n; i++)
		if (ul_tolower((unsigned char)v[i]) != word[i])
			return false;
	return v[n] == '\0' || v[n] == ' ' || v[n] == ',' || v[n] == '\t';
}

/* Split the head (NUL-terminated, CRLF lines) into r. false: malformed. */
static bool parse_head(char *head, struct request *r)
{
	char *eol = ul_strstr(head, "\r\n");
	*eol = '\0';
	char *sp1 = ul_strchr(head, ' ');
	char *sp2 = sp1 ? ul_strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || (size_t)(sp1 - head) >= sizeof r->method ||
	    ul_strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    !ul_isdigit((unsigned char)sp2[8]) || sp2[9] != '\0')
		return false;
	*sp1 = *sp2 = '\0';
	ul_strlcpy(r->method, head, sizeof r->method);
	r->target = sp1 + 1;
	r->minor = sp2[8] - '0';
	r->close = r->minor == 0;
	r->body = 0;
	for (char *line = eol + 2; *line; ) {
		char *end = ul_strstr(line, "\r\n");
		*end = '\0';
		const char *v;
		if ((v = header_value(line, "connection"))) {
			if (token_is(v, "close"))
				r->close = true;
			else if (token_is(v, "keep-alive"))
				r->close = false;
		} else if ((v = header_value(line, "content-length"))) {
			char *stop;
			int err;
			r->body = ul_strtoull(v, &stop, 10, &err);
			if (err || stop == v || *stop)
				return false;
		}
		line = end + 2;
	}
	return r->target[0] == '/';
}

/* Read until buf holds a whole head; its length (through the blank line),
 * 0 when the client went away or idled out, -1 when it is too long. */
static long read_head(struct conn *c)
{
	for (;;) {
		char *end = NULL;
		for (size_t i = 3; i < c->len && !end; i++)
			if (c->buf[i - 3] == '\r' && c->buf[i - 2] == '\n' &&
			    c->buf[i - 1] == '\r' && c->buf[i] == '\n')
				end = c->buf + i + 1;
		if (end)
			return end - c->buf;
		if (c->len == sizeof c->buf - 1)
			return -1;
		long n = conn_recv(c, c->buf + c->len,
		                   sizeof c->buf - 1 - c->len);
		if (n <= 0)
			return 0;
		c->len += (size_t)n;
	}
}

/* Drop the request's head and body from the buffer; false when the
 * connection ended first. */
static bool consume(struct conn *c, size_t head, unsigned long long body)
{
	size_t in = c->len - head < body ? c->len - head : (size_t)body;
	ul_memmove(c->buf, c->buf + head + in, c->len - head - in);
	c->len -= head + in;
	body -= in;
	while (body) {
		long n = conn_recv(c, c->buf,
		                   body < sizeof c->buf ? body : sizeof c->buf);
		if (n <= 0)
			return false;
		body -= (unsigned long long)n;
	}
	return true;
}

bool http_send_all(struct conn *c, const void *p, size_t n)
{
	return (c->tls ? ul_tls_send(c->tls, p, n)
	               : ul_send(c->fd, p, n, 0)) == (long)n;
}

bool http_respond(struct conn *c, int status, const char *reason, const char *type,
                  unsigned long long length, bool keep, const char *extra)
{
	char h[512];
	int n = ul_snprintf(h, sizeof h,
	                    "HTTP/1.1 %d %s\r\nServer: unilab-httpd\r\n"
	                    "Content-Type: %s\r\nContent-Length: %llu\r\n"
	                    "Connection: %s\r\n%s\r\n",
	                    status, reason, type, length,
	                    keep ? "keep-alive" : "close", extra);
	return http_send_all(c, h, (size_t)n);
}

bool http_error(struct conn *c, int status, const char *reason, bool head,
                bool keep, const char *extra)
{
	char body[128];
	int n = ul_snprintf(body, sizeof body, "%d %s\n", status, reason);
	return http_respond(c, status, reason, "text/plain; charset=utf-8",
	               (size_t)n, keep, extra) &&
	       (head || http_send_all(c, body, (size_t)n));
}

/* The path part of a request target: up to a query or a fragment. */
static size_t path_length(const char *target)
{
	size_t n = 0;
	while (target[n] && target[n] != '?' && target[n] != '#')
		n++;
	return n;
}

/* The text is on this thread's stack: a send may block, and another
 * connection's thread would then overwrite a shared buffer. */
static bool serve_stats(struct conn *c, bool head, bool keep)
{
	char text[STATS_MAX];
	struct ul_heap_stats heap;
	int n = ul_net_format_stats(text, sizeof text);
	size_t len = (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
	ul_heap_stats(&heap);
	n = ul_snprintf(text + len, sizeof text - len,
	                "heap_in_use %zu\nheap_peak %zu\nheap_allocs %zu\n"
	                "heap_frees %zu\nheap_failures %zu\n", heap.in_use,
	                heap.peak, heap.allocs, heap.frees, heap.failures);
	len += (size_t)n < sizeof text - len ? (size_t)n : sizeof text - len - 1;
	return http_respond(c, 200, "OK", "text/plain; charset=utf-8", len, keep,
	               "Cache-Control: no-store\r\n") &&
	       (head || http_send_all(c, text, len));
}

/* Answer one request; false when the connection must end. */
static bool answer(struct conn *c, const struct request *r)
{
	bool head = ul_strcmp(r->method, "HEAD") == 0;
	bool keep = !r->close;
	if (!head && ul_strcmp(r->method, "GET") != 0)
		return http_error(c, 405, "Method Not Allowed", false, keep,
		                  "Allow: GET, HEAD\r\n") && keep;
	size_t n = path_length(r->target);
	if (n == 6 && ul_strncmp(r->target, "/stats", 6) == 0)
		return serve_stats(c, head, keep) && keep;
	return http_serve_file(c, r->target, n, head, keep) && keep;
}

static void serve_connection(struct conn *c)
{
	for (;;) {
		long head = read_head(c);
		if (head < 0) {
			http_error(c, 431, "Request Header Fields Too Large",
			           false, false, "");
			return;
		}
		if (head == 0)
			return;
		char saved = c->buf[head];
		c->buf[head] = '\0';
		struct request r;
		bool ok = parse_head(c->buf, &r);
		c->buf[head] = saved;
		if (!ok) {
			http_error(c, 400, "Bad Request", false, false, "");
			return;
		}
		if (!answer(c, &r) || !consume(c, (size_t)head, r.body))
			return;
	}
}

static void *connection_thread(void *arg)
{
	struct conn *c = arg;
	ul_setsockopt(c->fd, UL_TCP_NODELAY, 1);
	ul_setsockopt(c->fd, UL_SO_RCVTIMEO, (long)IDLE_NS);
	if (tls_server) {
		int err;
		/* A failed handshake is logged and closes the socket. */
		c->tls = ul_tls_accept(tls_server, c->fd, HANDSHAKE_NS, &err);
		if (c->tls == NULL) {
			ul_free(c);
			return NULL;
		}
	}
	serve_connection(c);
	if (c->tls)
		ul_tls_close(c->tls);
	else
		ul_close(c->fd);
	ul_free(c);
	return NULL;
}

struct options {
	unsigned long port; /* 0: the scheme's default */
	bool https;
	const char *cert, *key;
};

/* "--name=value": the value, or NULL when arg is not that option. */
static const char *option_value(const char *arg, const char *name)
{
	size_t n = ul_strlen(name);
	return ul_strncmp(arg, name, n) == 0 && arg[n] == '=' ? arg + n + 1
	                                                       : NULL;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (ul_strcmp(argv[i], "--https") == 0) {
			o->https = true;
		} else if ((v = option_value(argv[i], "--cert"))) {
			o->cert = v;
		} else if ((v = option_value(argv[i], "--key"))) {
			o->key = v;
		} else if ((v = option_value(argv[i], "--port"))) {
			if (ul_parse_number(v, 65535, &o->port) < 0 ||
			    o->port == 0)
				return -UL_EINVAL;
		} else {
			return -UL_EINVAL;
		}
	}
	return 0;
}

int ul_main(int argc, char **argv)
{
	struct options o = {0, false, "/etc/tls/cert.pem", "/etc/tls/key.pem"};
	if (parse_args(argc, argv, &o) < 0) {
		ul_printf("usage: httpd [--port=N] [--https [--cert=PATH] "
		          "[--key=PATH]]\n  (port 80, or 443 with --https; "
		          "default cert and key: %s %s)\n", o.cert, o.key);
		return 2;
	}
	uint16_t port = (uint16_t)(o.port ? o.port : o.https ? 443 : 80);
	if (o.https) {
		int err;
		tls_server = ul_tls_server_new(o.cert, o.key, &err);
		if (tls_server == NULL) {
			ul_printf("httpd: no TLS certificate and key: %s\n",
			          ul_strerror(err));
			return 1;
		}
	}
	/* Without a DHCP lease yet, serve anyway: it may come later. */
	int started = ul_net_start();
	if (started < 0 && started != -UL_ETIMEDOUT)
		return 1;
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr any = {UL_IP_ANY, port};
	int rc = lfd < 0 ? lfd : ul_bind(lfd, &any);
	if (rc == 0)
		rc = ul_listen(lfd, 512);
	if (rc < 0) {
		ul_printf("httpd: cannot listen on port %u: %s\n", port,
		          ul_strerror(rc));
		return 1;
	}
	ul_printf("httpd: serving %son port %u\n", o.https ? "HTTPS " : "",
	          port);
	for (;;) {
		int fd = ul_accept(lfd, NULL);
		if (fd < 0)
			continue;
		struct conn *c = ul_malloc(sizeof *c);
		if (c) {
			c->fd = fd;
			c->tls = NULL;
			c->len = 0;
		}
		struct ul_thread *t = c ? ul_thread_create("http",
		                      connection_thread, c, CONN_STACK) : NULL;
		if (t) {
			ul_thread_detach(t);
		} else {
			ul_free(c);
			ul_close(fd);
		}
	}
}
