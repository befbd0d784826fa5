/* httpd's pieces: the responses (main.c) and the files it serves
 * (files.c). */
#ifndef HTTPD_H
#define HTTPD_H

#include <stdbool.h>
#include <stddef.h>

/* A client's connection, plain or over TLS (main.c). */
struct conn;

bool http_send_all(struct conn *c, const void *p, size_t n);
/* The status line and headers; extra is more header lines (CRLF each). */
bool http_respond(struct conn *c, int status, const char *reason, const char *type,
                  unsigned long long length, bool keep, const char *extra);
bool http_error(struct conn *c, int status, const char *reason, bool head,
                bool keep, const char *extra);
/* Answer GET or HEAD of the path part of a target (n bytes) from the
 * file system; false when the connection must end. */
bool http_serve_file(struct conn *c, const char *target, size_t n, bool head,
                     bool keep);

#endif
