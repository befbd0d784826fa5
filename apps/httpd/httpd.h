/* httpd's pieces: the responses (main.c) and the files it serves
 * (files.c). */
#ifndef HTTPD_H
#define HTTPD_H

#include <stdbool.h>
#include <stddef.h>

bool http_send_all(int fd, const void *p, size_t n);
/* The status line and headers; extra is more header lines (CRLF each). */
bool http_respond(int fd, int status, const char *reason, const char *type,
                  unsigned long long length, bool keep, const char *extra);
bool http_error(int fd, int status, const char *reason, bool head,
                bool keep, const char *extra);
/* Answer GET or HEAD of the path part of a target (n bytes) from the
 * file system; false when the connection must end. */
bool http_serve_file(int fd, const char *target, size_t n, bool head,
                     bool keep);

#endif
