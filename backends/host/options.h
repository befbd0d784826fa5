/* Command-line options of the programs that run images (the posix
 * backend's images and the kvm monitor): one parser, so both take the
 * same words the same way and say the same about bad ones.
 *
 * An option is --NAME, or --NAME=VALUE / --NAME VALUE when it takes a
 * value, or --NAME[=VALUE] when its value is optional (then only "=" gives
 * it, so the next word is never taken for it); -h is --help. The options come first: they end at the first word
 * that does not start with "--" (the image, or the image's command line),
 * or just after a "--", so a word after it is never an option even when it
 * starts with "--". */
#ifndef UL_HOST_OPTIONS_H
#define UL_HOST_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* Whether an option takes a value. */
enum ul_host_value {
	UL_HOST_NO_VALUE,
	UL_HOST_VALUE,          /* --NAME=VALUE or --NAME VALUE */
	UL_HOST_OPTIONAL_VALUE, /* --NAME or --NAME=VALUE */
};

/* One entry of a program's table, which ends with an entry of name NULL. */
struct ul_host_option {
	const char *name;         /* without the "--" */
	enum ul_host_value value;
	int id;                   /* what ul_host_option_next returns, > 0 */
};

/* Where the parser is in argv; start with {argc, argv, 1}. */
struct ul_host_args {
	int argc;
	char **argv;
	int next; /* the word to look at next */
};

/* The id of the next option, with *value set to its value (NULL for an
 * option without one); 0 when the options have ended, and args->next is
 * the first word after them; -1 with err for a word that is no option of
 * opts, an option missing its value, or a value given to an option that
 * takes none. */
int ul_host_option_next(struct ul_host_args *args,
			const struct ul_host_option *opts, const char **value,
			struct ul_host_error *err);

/* A size given to option (e.g. "--mem"): digits with an optional unit K,
 * M, G or T (powers of 1024), from min to max bytes. 0 with *out, or -1
 * with err saying what is wanted. */
int ul_host_option_size(const char *option, const char *text, uint64_t min,
			uint64_t max, uint64_t *out, struct ul_host_error *err);

/* A TCP or UDP port given to option: 0..65535. 0 with *out, or -1 with
 * err. */
int ul_host_option_port(const char *option, const char *text, unsigned *out,
			struct ul_host_error *err);

#endif
