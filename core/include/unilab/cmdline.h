/* The image's command line: core options, then the app's arguments.
 *
 *   [key=value ...] [--] [app arguments ...]
 *
 * Leading key=value words are core options; the first word that is not of
 * that form, or a "--", ends them. A core option with a key the core does
 * not know is an error (put app arguments that contain '=' after "--").
 * Words are separated by spaces and tabs; '...' and "..." quote (a quoted
 * part may be empty, and quotes join with what is next to them), and a
 * backslash outside single quotes takes the next character literally. */
#ifndef UL_CMDLINE_H
#define UL_CMDLINE_H

#include <stddef.h>

#define UL_CMDLINE_MAX_ARGS 64
#define UL_CMDLINE_MAX_OPTS 32

struct ul_cmdline {
	int argc;     /* app arguments, argv[0] is the app's name */
	char **argv;  /* NULL-terminated */
	int nopts;
	struct {
		const char *key, *value;
	} opts[UL_CMDLINE_MAX_OPTS];
	char *buf;    /* storage for every word, from the heap */
};

/* Split line into options and arguments. Returns 0, or a negative error
 * with a message in err (capacity errlen) that says what is wrong. The
 * result borrows heap memory: release it with ul_cmdline_free. */
int ul_cmdline_parse(const char *line, const char *app_name,
                     struct ul_cmdline *out, char *err, size_t errlen);
void ul_cmdline_free(struct ul_cmdline *cl);

/* The value of core option key from the boot command line, or NULL. */
const char *ul_option(const char *key);
/* ul_boot: cl is the boot command line ul_option answers from. */
void ul_cmdline_set_boot(const struct ul_cmdline *cl);

/* The options the core knows, ended by an entry with a NULL key. */
struct ul_option_desc {
	const char *key;
	const char *help;
};
extern const struct ul_option_desc ul_options[];

#endif
