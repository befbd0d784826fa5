/* TLS 1.2 over the socket API (BearSSL underneath): a server and a client
 * side, certificates and keys in PEM, SNI, ALPN, session resumption and
 * close_notify. TLS 1.3 is not offered: BearSSL stops at 1.2.
 *
 * A connection (struct ul_tls) is used by one thread at a time, like the
 * socket it owns. Every call that fails returns a negative UL_E* code and
 * leaves a one-line reason in ul_tls_why() (bad certificate, unknown CA,
 * handshake timeout, the alert the peer sent, ...). */
#ifndef UL_TLS_H
#define UL_TLS_H

#include <stddef.h>
#include <stdint.h>

/* The contents of a file, in a buffer the caller frees with ul_free: from
 * the image's file system, or else from the files the build embedded in
 * the image (net/tls_embed.py writes the table ul_tls_files, ended by a
 * NULL path; see docs/tls.md). 0, or a negative UL_E* code (-UL_ENOENT
 * when neither has the path). */
int ul_tls_read_file(const char *path, void **data, size_t *len);
struct ul_tls_file {
	const char *path;
	const unsigned char *data;
	size_t len;
};
extern const struct ul_tls_file ul_tls_files[];

/* A server: its certificate chain (PEM, leaf first) and private key (PEM:
 * RSA or EC, PKCS#1, SEC 1 or PKCS#8), and a cache of sessions for
 * resumption. NULL with *err set on failure (the reason is logged). */
struct ul_tls_server;
struct ul_tls_server *ul_tls_server_new(const char *chain_path,
                                        const char *key_path, int *err);

/* A client: the CA certificates it trusts (PEM, one or more), and the
 * session of its last connection to each server name, for resumption. */
struct ul_tls_client;
struct ul_tls_client *ul_tls_client_new(const char *ca_path, int *err);

struct ul_tls;

/* Take over connected TCP socket fd and run the handshake, giving up after
 * timeout ns (0: no limit). On failure fd is closed, NULL is returned, *err
 * is set and the reason logged. */
struct ul_tls *ul_tls_accept(struct ul_tls_server *s, int fd,
                             uint64_t timeout, int *err);
/* The same for a client; server_name (not empty, under 256 bytes, else
 * -UL_EINVAL) is sent as SNI and the server's certificate must be valid
 * for it. */
struct ul_tls *ul_tls_connect(struct ul_tls_client *c, int fd,
                              const char *server_name, uint64_t timeout,
                              int *err);

/* Application data. recv returns the bytes read, 0 when the peer closed
 * with close_notify, -UL_ECONNRESET when it closed without one, or another
 * error. send returns len or an error. Both block (the socket's
 * UL_SO_RCVTIMEO applies to recv). */
long ul_tls_recv(struct ul_tls *t, void *buf, size_t len);
long ul_tls_send(struct ul_tls *t, const void *buf, size_t len);

/* Send close_notify (unless the connection already failed), close the
 * socket and free t. */
void ul_tls_close(struct ul_tls *t);

/* What the handshake settled: the name the client asked for (SNI, "" if
 * none), the ALPN protocol ("" if none), and whether the session was
 * resumed rather than newly negotiated. */
const char *ul_tls_server_name(const struct ul_tls *t);
const char *ul_tls_alpn(const struct ul_tls *t);
int ul_tls_resumed(const struct ul_tls *t);

/* Why the last call on t failed, in words. */
const char *ul_tls_why(const struct ul_tls *t);

#endif
