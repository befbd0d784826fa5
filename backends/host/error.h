/* Errors of the host library (backends/host): every part that can fail
 * says why in a struct ul_host_error, and the program that called it prints
 * the words its own way. */
#ifndef UL_HOST_ERROR_H
#define UL_HOST_ERROR_H

/* Why a call failed, in words a user can act on (no program name, no
 * newline). */
struct ul_host_error {
	char msg[512];
};

/* Format err; returns code so callers can `return ul_host_fail(...)`. */
int ul_host_fail(struct ul_host_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
