/* kv: a persistent key-value store over TCP. Its data is a log file on an
 * ext2 disk (store.c), so run it with the disk as its root:
 *
 *   ./unilab run kv -- root=blk0 --port=7000     (plus the backend's disk)
 *
 * The protocol is lines of text; each request gets one answer line
 * (SCAN: one line a key, then END):
 *
 *   PUT key value   ->  OK                 (after the change is on disk)
 *   GET key         ->  VALUE value  |  NOTFOUND
 *   DEL key         ->  OK  |  NOTFOUND    (after the change is on disk)
 *   SCAN prefix     ->  KEY key value ...  END
 *   anything else   ->  ERR why
 *
 * Keys are 1..200 bytes of letters, digits and . _ - / : (no spaces);
 * values are up to 4000 bytes of anything but a newline. Usage: kv
 * [--port=N] [--log=PATH] (defaults 7000 and /kv.log). */
#include <stdbool.h>
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include "store.h"

#define LINE_MAX (KV_KEY_MAX + KV_VALUE_MAX + 16)
#define CONN_STACK (64 * 1024)

struct conn {
	int fd;
	size_t len;
	char buf[LINE_MAX + 1];
};

static bool send_str(int fd, const char *s)
{
	size_t n = ul_strlen(s);
	return ul_send(fd, s, n, 0) == (long)n;
}

static bool valid_key(const char *k)
{
	size_t n = 0;
	for (; k[n]; n++) {
		char c = k[n];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || ul_strchr("._-/:", c)))
			return false;
	}
	return n > 0 && n <= KV_KEY_MAX;
}

/* SCAN's answer, built whole before it is sent: sending may let another
 * connection change the store under a walk. */
struct scan {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void scan_one(const char *key, const char *value, void *arg)
{
	struct scan *s = arg;
	size_t need = 6 + ul_strlen(key) + ul_strlen(value) + 1;
	if (s->failed)
		return;
	if (s->len + need + 1 > s->cap) {
		size_t cap = (s->cap + need) * 2;
		char *b = ul_realloc(s->buf, cap);
		if (!b) {
			s->failed = true;
			return;
		}
		s->buf = b;
		s->cap = cap;
	}
	s->len += (size_t)ul_snprintf(s->buf + s->len, s->cap - s->len,
	                              "KEY %s %s\n", key, value);
}

static bool answer_scan(int fd, const char *prefix)
{
	struct scan s = {0};
	store_scan(prefix, scan_one, &s);
	bool ok = s.failed ? send_str(fd, "ERR out of memory\n")
	                   : (s.len == 0 || ul_send(fd, s.buf, s.len, 0) ==
	                                            (long)s.len) &&
	                     send_str(fd, "END\n");
	ul_free(s.buf);
	return ok;
}

static bool answer_change(int fd, const char *key, const char *value)
{
	int rc = store_put(key, value);
	if (rc < 0) {
		char msg[80];
		ul_snprintf(msg, sizeof msg, "ERR %s\n", ul_strerror(rc));
		return send_str(fd, msg);
	}
	return send_str(fd, rc == 1 ? "NOTFOUND\n" : "OK\n");
}

/* Answer one request line (NUL-terminated, no newline). */
static bool answer(int fd, char *line)
{
	char *arg = ul_strchr(line, ' ');
	if (arg)
		*arg++ = '\0';
	char *value = NULL;
	if (arg && ul_strcmp(line, "PUT") == 0 && (value = ul_strchr(arg, ' ')))
		*value++ = '\0';
	if (ul_strcmp(line, "SCAN") == 0)
		return answer_scan(fd, arg ? arg : "");
	if (!arg || !valid_key(arg))
		return send_str(fd, "ERR want PUT key value, GET key, DEL key "
		                    "or SCAN prefix (keys: letters, digits, "
		                    "._-/:)\n");
	if (ul_strcmp(line, "PUT") == 0 && value)
		return answer_change(fd, arg, value);
	if (ul_strcmp(line, "DEL") == 0)
		return answer_change(fd, arg, NULL);
	if (ul_strcmp(line, "GET") == 0) {
		const char *v = store_get(arg);
		if (!v)
			return send_str(fd, "NOTFOUND\n");
		return send_str(fd, "VALUE ") && send_str(fd, v) &&
		       send_str(fd, "\n");
	}
	return send_str(fd, "ERR unknown request\n");
}

static void serve(struct conn *c)
{
	for (;;) {
		char *nl = ul_memchr(c->buf, '\n', c->len);
		if (!nl) {
			if (c->len == LINE_MAX) {
				send_str(c->fd, "ERR line too long\n");
				return;
			}
			long n = ul_recv(c->fd, c->buf + c->len, LINE_MAX - c->len,
			                 0);
			if (n <= 0)
				return;
			c->len += (size_t)n;
			continue;
		}
		*nl = '\0';
		if (nl > c->buf && nl[-1] == '\r')
			nl[-1] = '\0';
		if (!answer(c->fd, c->buf))
			return;
		size_t used = (size_t)(nl + 1 - c->buf);
		ul_memmove(c->buf, nl + 1, c->len - used);
		c->len -= used;
	}
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	serve(c);
	ul_close(c->fd);
	ul_free(c);
	return NULL;
}

int ul_main(int argc, char **argv)
{
	unsigned long port = 7000;
	const char *log = "/kv.log";
	for (int i = 1; i < argc; i++) {
		int err = 0;
		if (ul_strncmp(argv[i], "--port=", 7) == 0)
			err = ul_parse_number(argv[i] + 7, 65535, &port);
		else if (ul_strncmp(argv[i], "--log=", 6) == 0)
			log = argv[i] + 6;
		else
			err = 1;
		if (err || port == 0 || !*log) {
			ul_printf("usage: kv [--port=N] [--log=PATH]  "
			          "(defaults 7000, /kv.log; mount a disk with "
			          "root=blk0)\n");
			return 2;
		}
	}
	long records = store_open(log);
	if (records < 0) {
		ul_printf("kv: cannot open %s: %s (kv keeps its data on a "
		          "disk: attach one and add root=blk0)\n", log,
		          ul_strerror((int)records));
		return 1;
	}
	int started = ul_net_start();
	if (started < 0 && started != -UL_ETIMEDOUT)
		return 1;
	int lfd = ul_socket(UL_SOCK_STREAM);
	struct ul_sockaddr any = {UL_IP_ANY, (uint16_t)port};
	int rc = lfd < 0 ? lfd : ul_bind(lfd, &any);
	if (rc == 0)
		rc = ul_listen(lfd, 64);
	if (rc < 0) {
		ul_printf("kv: cannot listen on port %lu: %s\n", port,
		          ul_strerror(rc));
		return 1;
	}
	ul_printf("kv: serving on port %lu (%ld records replayed from %s)\n",
	          port, records, log);
	for (;;) {
		int fd = ul_accept(lfd, NULL);
		if (fd < 0)
			continue;
		struct conn *c = ul_malloc(sizeof *c);
		struct ul_thread *t = NULL;
		if (c) {
			c->fd = fd;
			c->len = 0;
			t = ul_thread_create("kv", conn_thread, c, CONN_STACK);
		}
		if (t) {
			ul_thread_detach(t);
		} else {
			ul_free(c);
			ul_close(fd);
		}
	}
}
