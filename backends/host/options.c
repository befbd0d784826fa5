/* Host library: the command-line parser of the programs that run images
 * (options.h). Exact names only, no abbreviations, so that an option added
 * later never changes what an older command line means. */
#include <stdio.h>
#include <string.h>

#include <unilab/errno.h>
#include <unilab/strtol.h>

#include "options.h"

static const struct ul_host_option *find(const struct ul_host_option *opts,
					 const char *name, size_t len)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == len && memcmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

int ul_host_option_next(struct ul_host_args *args,
			const struct ul_host_option *opts, const char **value,
			struct ul_host_error *err)
{
	*value = NULL;
	if (args->next >= args->argc)
		return 0;
	const char *word = args->argv[args->next];
	if (strcmp(word, "--") == 0) {
		args->next++;
		return 0;
	}
	if (strcmp(word, "-h") == 0)
		word = "--help";
	if (strncmp(word, "--", 2) != 0)
		return 0;
	args->next++;

	const char *name = word + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct ul_host_option *o = find(opts, name, len);
	if (!o)
		return ul_host_fail(err, -1, "unknown option '%.*s'",
				    (int)(len + 2), word);
	if (o->value == UL_HOST_NO_VALUE) {
		if (eq)
			return ul_host_fail(err, -1, "--%s takes no value",
					    o->name);
		return o->id;
	}
	if (eq) {
		*value = eq + 1;
	} else if (o->value == UL_HOST_OPTIONAL_VALUE) {
		*value = NULL;
	} else if (args->next < args->argc) {
		*value = args->argv[args->next++];
	} else {
		return ul_host_fail(err, -1, "--%s needs a value: --%s=VALUE",
				    o->name, o->name);
	}
	return o->id;
}

/* n in the largest unit that divides it: 256K, 4G. */
static void size_text(uint64_t n, char buf[24])
{
	static const char *const units[] = {"K", "M", "G", "T"};
	const char *unit = "";
	for (unsigned u = 0; u < 4 && n >= 1024 && n % 1024 == 0; u++) {
		n /= 1024;
		unit = units[u];
	}
	snprintf(buf, 24, "%llu%s", (unsigned long long)n, unit);
}

int ul_host_option_size(const char *option, const char *text, uint64_t min,
			uint64_t max, uint64_t *out, struct ul_host_error *err)
{
	unsigned long long n;
	int r = ul_parse_size(text, &n);
	if (r == -UL_EINVAL)
		return ul_host_fail(err, -1, "%s=%s: not a size (try %s=8M)",
				    option, text, option);
	if (r < 0 || n < min || n > max) {
		char lo[24], hi[24];
		size_text(min, lo);
		size_text(max, hi);
		return ul_host_fail(err, -1, "%s=%s: must be %s..%s", option,
				    text, lo, hi);
	}
	*out = n;
	return 0;
}

int ul_host_option_port(const char *option, const char *text, unsigned *out,
			struct ul_host_error *err)
{
	unsigned long port;
	if (ul_parse_number(text, 65535, &port) < 0)
		return ul_host_fail(err, -1, "%s=%s: want a port, 0..65535",
				    option, text);
	*out = (unsigned)port;
	return 0;
}
