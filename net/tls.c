/* TLS connections over sockets: BearSSL's engine driven by our own loop,
 * which moves records between the engine and the TCP socket and keeps a
 * deadline on the handshake. */
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/mem.h>
#include <unilab/random.h>
#include <unilab/socket.h>
#include <unilab/string.h>
#include <unilab/time.h>
#include "tls.h"

#define SESSION_CACHE_BYTES (32 * 1024) /* about 300 sessions */
#define CLIENT_SESSIONS 8
#define SEED_BYTES 32
#define NAME_MAX 256
#define WHY_MAX 128
/* BearSSL counts days from 1 January of year 0 (proleptic Gregorian). */
#define DAYS_0_TO_1970 719528u

static const char *alpn_names[] = {"http/1.1"};

struct ul_tls_server {
	struct tls_creds creds;
	br_ssl_session_cache_lru cache;
	unsigned char cache_buf[SESSION_CACHE_BYTES];
};

struct client_session {
	char name[NAME_MAX];
	br_ssl_session_parameters params;
};

struct ul_tls_client {
	struct tls_anchors anchors;
	struct client_session sessions[CLIENT_SESSIONS];
	unsigned next; /* the slot the next new name takes */
};

struct ul_tls {
	union {
		br_ssl_server_context s;
		br_ssl_client_context c;
	} u;
	br_ssl_engine_context *eng;
	br_x509_minimal_context x509; /* client: checks the server's chain */
	int fd;
	int err;           /* the socket failed: the connection is over */
	uint64_t deadline; /* of the handshake; UL_FOREVER after it */
	int resumed;
	int logged;        /* the failure of the data phase was logged */
	char why[WHY_MAX];
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

/* --- moving records ------------------------------------------------------ */

static int sock_wait_budget(struct ul_tls *t)
{
	if (t->deadline == UL_FOREVER)
		return 0;
	uint64_t now = ul_now();
	if (now >= t->deadline)
		return -UL_ETIMEDOUT;
	ul_setsockopt(t->fd, UL_SO_RCVTIMEO, (long)(t->deadline - now));
	ul_setsockopt(t->fd, UL_SO_SNDTIMEO, (long)(t->deadline - now));
	return 0;
}

/* The error a failed socket call (n <= 0) stands for, its reason in
 * t->why. The connection is over: later calls return the same. */
static int io_error(struct ul_tls *t, long n)
{
	if (n == -UL_EAGAIN || n == -UL_ETIMEDOUT) {
		ul_strlcpy(t->why, t->deadline != UL_FOREVER
		           ? "handshake timeout" : "timed out", sizeof t->why);
		t->err = -UL_ETIMEDOUT;
	} else if (n == 0 || n == -UL_ECONNRESET) {
		ul_strlcpy(t->why, "the peer closed the connection without "
		           "close_notify", sizeof t->why);
		t->err = -UL_ECONNRESET;
	} else {
		ul_snprintf(t->why, sizeof t->why, "socket: %s",
		            ul_strerror((int)n));
		t->err = (int)n;
	}
	return t->err;
}

/* The error a closed engine stands for, its reason in t->why; 0 for a
 * clean close_notify. */
static int closed_error(struct ul_tls *t)
{
	int err = br_ssl_engine_last_error(t->eng);
	if (err == BR_ERR_OK)
		return 0;
	ul_strlcpy(t->why, tls_error_text(err), sizeof t->why);
	return -UL_EPROTO;
}

/* One socket call for the engine: send the record bytes it has ready, or
 * receive into its record buffer. 0, or the error that ends the
 * connection. */
static int transfer(struct ul_tls *t, int sending)
{
	size_t len;
	unsigned char *buf = sending ? br_ssl_engine_sendrec_buf(t->eng, &len)
	                             : br_ssl_engine_recvrec_buf(t->eng, &len);
	int err = sock_wait_budget(t);
	long n = err < 0 ? err
	         : sending ? ul_send(t->fd, buf, len, 0)
	                   : ul_recv(t->fd, buf, len, 0);
	if (n <= 0)
		return io_error(t, n);
	if (sending)
		br_ssl_engine_sendrec_ack(t->eng, (size_t)n);
	else
		br_ssl_engine_recvrec_ack(t->eng, (size_t)n);
	return 0;
}

/* Drive the engine until it is in one of the states in want (a mask of
 * BR_SSL_SENDAPP, BR_SSL_RECVAPP), writing and reading records as it asks.
 * 0, or the error that closed it (0 too for a clean close: the caller
 * checks BR_SSL_CLOSED). */
static int run_until(struct ul_tls *t, unsigned want)
{
	if (t->err < 0)
		return t->err;
	for (;;) {
		unsigned st = br_ssl_engine_current_state(t->eng);
		if (st & BR_SSL_CLOSED)
			return closed_error(t);
		if (st & BR_SSL_SENDREC) {
			int err = transfer(t, 1);
			if (err < 0)
				return err;
			continue;
		}
		if (st & want)
			return 0;
		if (st & BR_SSL_RECVAPP) {
			/* Data came while we wait to send: the caller must
			 * read it first (BearSSL's engine is half-duplex in
			 * this sense). */
			return 0;
		}
		if (st & BR_SSL_RECVREC) {
			int err = transfer(t, 0);
			if (err < 0)
				return err;
			continue;
		}
		/* Nothing to move and not the state wanted: an engine that
		 * neither reads nor writes would make us spin. */
		ul_strlcpy(t->why, "the TLS engine is stuck", sizeof t->why);
		return -UL_EPROTO;
	}
}

/* --- contexts ------------------------------------------------------------- */

struct ul_tls_server *ul_tls_server_new(const char *chain_path,
                                        const char *key_path, int *err)
{
	struct ul_tls_server *s = ul_calloc(1, sizeof *s);
	*err = s ? tls_creds_load(&s->creds, chain_path, key_path) : -UL_ENOMEM;
	if (*err < 0) {
		ul_free(s);
		return NULL;
	}
	br_ssl_session_cache_lru_init(&s->cache, s->cache_buf,
	                              sizeof s->cache_buf);
	return s;
}

struct ul_tls_client *ul_tls_client_new(const char *ca_path, int *err)
{
	struct ul_tls_client *c = ul_calloc(1, sizeof *c);
	*err = c ? tls_anchors_load(&c->anchors, ca_path) : -UL_ENOMEM;
	if (*err < 0) {
		ul_free(c);
		return NULL;
	}
	return c;
}

/* The parts of a connection's set-up both sides share. */
static int start(struct ul_tls *t, int fd, uint64_t timeout)
{
	unsigned char seed[SEED_BYTES];
	int err = ul_random_bytes(seed, sizeof seed);
	if (err < 0) {
		ul_snprintf(t->why, sizeof t->why, "no random bytes: %s",
		            ul_strerror(err));
		return err;
	}
	t->fd = fd;
	t->deadline = timeout ? ul_deadline_after(timeout) : UL_FOREVER;
	br_ssl_engine_set_buffer(t->eng, t->iobuf, sizeof t->iobuf, 1);
	br_ssl_engine_inject_entropy(t->eng, seed, sizeof seed);
	ul_memset(seed, 0, sizeof seed);
	br_ssl_engine_set_protocol_names(t->eng, alpn_names, 1);
	return 0;
}

/* Run the handshake of a started connection; then the socket's own
 * timeouts come back. */
static int handshake(struct ul_tls *t)
{
	long rcv = 0, snd = 0;
	ul_getsockopt(t->fd, UL_SO_RCVTIMEO, &rcv);
	ul_getsockopt(t->fd, UL_SO_SNDTIMEO, &snd);
	int err = run_until(t, BR_SSL_SENDAPP | BR_SSL_RECVAPP);
	if (err == 0 && (br_ssl_engine_current_state(t->eng) & BR_SSL_CLOSED)) {
		ul_strlcpy(t->why, "the peer closed the connection during "
		           "the handshake", sizeof t->why);
		err = -UL_ECONNRESET;
	}
	t->deadline = UL_FOREVER;
	ul_setsockopt(t->fd, UL_SO_RCVTIMEO, rcv);
	ul_setsockopt(t->fd, UL_SO_SNDTIMEO, snd);
	return err;
}

/* One log line for a connection that failed; what is logged is why. */
static void log_failure(const struct ul_tls *t, int fd, const char *when,
                        int err)
{
	struct ul_sockaddr peer = {0};
	ul_getpeername(fd, &peer);
	ul_warn("tls: %s with %u.%u.%u.%u:%u failed: %s", when,
	        peer.addr >> 24, (peer.addr >> 16) & 255,
	        (peer.addr >> 8) & 255, peer.addr & 255, peer.port,
	        t && t->why[0] ? t->why : ul_strerror(err));
}

static void fail(struct ul_tls *t, int fd, int err)
{
	log_failure(t, fd, "handshake", err);
	ul_close(fd);
	ul_free(t);
}

/* A failure after the handshake: logged once, returned every time. */
static long data_failure(struct ul_tls *t, int err)
{
	if (!t->logged)
		log_failure(t, t->fd, "connection", err);
	t->logged = 1;
	return err;
}

static void log_done(const struct ul_tls *t)
{
	ul_debug("tls: handshake with fd %d done: %s, SNI '%s', ALPN '%s'%s",
	         t->fd, br_ssl_engine_get_version(t->eng) == BR_TLS12
	         ? "TLS 1.2" : "TLS 1.0/1.1", ul_tls_server_name(t),
	         ul_tls_alpn(t), t->resumed ? ", resumed" : "");
}

struct ul_tls *ul_tls_accept(struct ul_tls_server *s, int fd,
                             uint64_t timeout, int *err)
{
	struct ul_tls *t = ul_calloc(1, sizeof *t);
	if (t == NULL) {
		*err = -UL_ENOMEM;
		fail(NULL, fd, *err);
		return NULL;
	}
	t->eng = &t->u.s.eng;
	const struct tls_creds *c = &s->creds;
	if (c->key_type == BR_KEYTYPE_RSA)
		br_ssl_server_init_full_rsa(&t->u.s, c->chain, c->chain_len,
		                            &c->rsa);
	else
		br_ssl_server_init_full_ec(&t->u.s, c->chain, c->chain_len,
		                           (unsigned)c->issuer_type, &c->ec);
	br_ssl_server_set_cache(&t->u.s, &s->cache.vtable);
	*err = start(t, fd, timeout);
	if (*err == 0 && !br_ssl_server_reset(&t->u.s)) {
		ul_strlcpy(t->why, tls_error_text(br_ssl_engine_last_error(t->eng)),
		           sizeof t->why);
		*err = -UL_EPROTO;
	}
	if (*err == 0)
		*err = handshake(t);
	if (*err < 0) {
		fail(t, fd, *err);
		return NULL;
	}
	log_done(t);
	return t;
}

static struct client_session *session_for(struct ul_tls_client *c,
                                          const char *name)
{
	for (unsigned i = 0; i < CLIENT_SESSIONS; i++)
		if (ul_strcmp(c->sessions[i].name, name) == 0)
			return &c->sessions[i];
	return NULL;
}

struct ul_tls *ul_tls_connect(struct ul_tls_client *c, int fd,
                              const char *server_name, uint64_t timeout,
                              int *err)
{
	/* BearSSL checks no name at all when given none: refuse that. */
	if (server_name[0] == '\0' || ul_strlen(server_name) >= NAME_MAX) {
		*err = -UL_EINVAL;
		ul_close(fd);
		return NULL;
	}
	struct ul_tls *t = ul_calloc(1, sizeof *t);
	if (t == NULL) {
		*err = -UL_ENOMEM;
		fail(NULL, fd, *err);
		return NULL;
	}
	t->eng = &t->u.c.eng;
	br_ssl_client_init_full(&t->u.c, &t->x509, c->anchors.ta,
	                        c->anchors.len);
	uint64_t secs = ul_wall() / UL_S;
	br_x509_minimal_set_time(&t->x509, DAYS_0_TO_1970 +
	                         (uint32_t)(secs / 86400),
	                         (uint32_t)(secs % 86400));
	struct client_session *old = session_for(c, server_name);
	if ((*err = start(t, fd, timeout)) < 0) {
		fail(t, fd, *err);
		return NULL;
	}
	if (old)
		br_ssl_engine_set_session_parameters(t->eng, &old->params);
	if (!br_ssl_client_reset(&t->u.c, server_name, old != NULL)) {
		*err = -UL_EPROTO;
		ul_strlcpy(t->why, tls_error_text(br_ssl_engine_last_error(t->eng)),
		           sizeof t->why);
		fail(t, fd, *err);
		return NULL;
	}
	if ((*err = handshake(t)) < 0) {
		fail(t, fd, *err);
		return NULL;
	}
	/* The same session ID back means the server resumed it. */
	br_ssl_session_parameters now;
	br_ssl_engine_get_session_parameters(t->eng, &now);
	t->resumed = old && now.session_id_len == old->params.session_id_len &&
	             now.session_id_len > 0 &&
	             ul_memcmp(now.session_id, old->params.session_id,
	                       now.session_id_len) == 0;
	if (!old) {
		old = &c->sessions[c->next];
		c->next = (c->next + 1) % CLIENT_SESSIONS;
		ul_strlcpy(old->name, server_name, sizeof old->name);
	}
	old->params = now;
	log_done(t);
	return t;
}

/* --- data ----------------------------------------------------------------- */

long ul_tls_recv(struct ul_tls *t, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	int err = run_until(t, BR_SSL_RECVAPP);
	if (err < 0)
		return data_failure(t, err);
	if (br_ssl_engine_current_state(t->eng) & BR_SSL_CLOSED)
		return 0; /* close_notify */
	size_t have;
	unsigned char *p = br_ssl_engine_recvapp_buf(t->eng, &have);
	size_t n = have < len ? have : len;
	ul_memcpy(buf, p, n);
	br_ssl_engine_recvapp_ack(t->eng, n);
	return (long)n;
}

long ul_tls_send(struct ul_tls *t, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t left = len;
	while (left > 0) {
		int err = run_until(t, BR_SSL_SENDAPP);
		if (err < 0)
			return data_failure(t, err);
		unsigned st = br_ssl_engine_current_state(t->eng);
		if (st & BR_SSL_CLOSED) {
			ul_strlcpy(t->why, "the peer closed the connection",
			           sizeof t->why);
			return data_failure(t, -UL_ECONNRESET);
		}
		if (!(st & BR_SSL_SENDAPP)) {
			/* Unread data blocks the engine: a peer that sends
			 * while it should be reading. */
			ul_strlcpy(t->why, "the peer sent data while we were "
			           "sending", sizeof t->why);
			return data_failure(t, -UL_EPROTO);
		}
		size_t room;
		unsigned char *dst = br_ssl_engine_sendapp_buf(t->eng, &room);
		size_t n = room < left ? room : left;
		ul_memcpy(dst, p, n);
		br_ssl_engine_sendapp_ack(t->eng, n);
		p += n;
		left -= n;
	}
	br_ssl_engine_flush(t->eng, 0);
	int err = run_until(t, BR_SSL_SENDAPP);
	return err < 0 ? data_failure(t, err) : (long)len;
}

void ul_tls_close(struct ul_tls *t)
{
	/* Our close_notify goes out; waiting for the peer's would let a
	 * silent peer hold the connection (RFC 5246 7.2.1 allows it). */
	if (t->err == 0 &&
	    !(br_ssl_engine_current_state(t->eng) & BR_SSL_CLOSED)) {
		br_ssl_engine_close(t->eng);
		while (br_ssl_engine_current_state(t->eng) & BR_SSL_SENDREC) {
			size_t len;
			unsigned char *buf = br_ssl_engine_sendrec_buf(t->eng, &len);
			long n = ul_send(t->fd, buf, len, 0);
			if (n <= 0)
				break;
			br_ssl_engine_sendrec_ack(t->eng, (size_t)n);
		}
	}
	ul_close(t->fd);
	ul_free(t);
}

/* --- what was settled ----------------------------------------------------- */

const char *ul_tls_server_name(const struct ul_tls *t)
{
	return br_ssl_engine_get_server_name(t->eng);
}

const char *ul_tls_alpn(const struct ul_tls *t)
{
	const char *p = br_ssl_engine_get_selected_protocol(
		(br_ssl_engine_context *)t->eng);
	return p ? p : "";
}

int ul_tls_resumed(const struct ul_tls *t)
{
	return t->resumed;
}

const char *ul_tls_why(const struct ul_tls *t)
{
	return t->why[0] ? t->why : "no error";
}
