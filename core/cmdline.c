/* The command line: split one string into words (with shell-like quoting),
 * then take the leading key=value words as core options and the rest as the
 * app's argv. Every malformed input gets a message that says what and where. */
#include <unilab/cmdline.h>
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/string.h>

const struct ul_option_desc ul_options[] = {
	{"loglevel", "error, warn, info (default) or debug"},
	{"verbose", "1 prints what the image finds at boot (default 0)"},
	{"ip", "network: ADDR/PREFIX or dhcp per interface, comma-separated "
	       "(default dhcp)"},
	{"gw", "network: the default gateway, e.g. 10.0.0.1"},
	{"dns", "network: the DNS server, e.g. 10.0.0.1"},
	{"arp_entries", "network: addresses the ARP cache holds, 8..65536 "
	                "(default 128)"},
	{"idle-exit", "network: end the image (status 0) after SECONDS without "
	              "a frame in or out, e.g. 30 or 0.5 (default never)"},
	{"break", "1 stops a baremetal image before main and waits for gdb "
	          "on its second serial port (default 0)"},
	{"gdb", "listen lets gdb attach to a running baremetal image on its "
	        "second serial port (run-qemu.sh --gdb-listen=PORT sets it)"},
	{"root", "files: the disk mounted on / instead of the image's own "
	         "files, e.g. blk0"},
	{"mount", "files: more disks, PATH:blkN[:ro] comma-separated, e.g. "
	          "/data:blk0 (PATH must be a directory)"},
	{"cache", "files: buffer cache per disk, e.g. 8M (default 4M)"},
	{NULL, NULL},
};

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Copy the word starting at *pos into *out (NUL-terminated) and advance
 * both. Returns 0 or -UL_EINVAL with a message in err. */
static int take_word(const char *line, size_t *pos, char **out, char *err,
                     size_t errlen)
{
	size_t i = *pos;
	char *o = *out;
	while (line[i] && !is_blank(line[i])) {
		char c = line[i];
		if (c == '\'' || c == '"') {
			size_t start = i++;
			while (line[i] && line[i] != c) {
				if (c == '"' && line[i] == '\\' && line[i + 1])
					i++;
				*o++ = line[i++];
			}
			if (!line[i]) {
				ul_snprintf(err, errlen, "unterminated %c quote "
				            "starting at column %zu", c, start + 1);
				return -UL_EINVAL;
			}
			i++; /* the closing quote */
		} else if (c == '\\') {
			if (!line[i + 1]) {
				ul_snprintf(err, errlen, "backslash at the end of "
				            "the command line has nothing to escape");
				return -UL_EINVAL;
			}
			*o++ = line[i + 1];
			i += 2;
		} else {
			*o++ = line[i++];
		}
	}
	*o++ = '\0';
	*pos = i;
	*out = o;
	return 0;
}

/* Length of the key if word has the form key=value with a key made of
 * letters, digits, '_', '-' and '.', starting with a letter; else 0. */
static size_t option_key_length(const char *word)
{
	if (!ul_isalpha((unsigned char)word[0]))
		return 0;
	size_t n = 1;
	while (ul_isalnum((unsigned char)word[n]) || word[n] == '_' ||
	       word[n] == '-' || word[n] == '.')
		n++;
	return word[n] == '=' ? n : 0;
}

static int known_option(const char *key, size_t len)
{
	for (const struct ul_option_desc *o = ul_options; o->key; o++)
		if (ul_strlen(o->key) == len && ul_strncmp(o->key, key, len) == 0)
			return 1;
	return 0;
}

/* Record word as a core option, or explain why it cannot be one. */
static int add_option(struct ul_cmdline *cl, char *word, size_t keylen,
                      char *err, size_t errlen)
{
	if (!known_option(word, keylen)) {
		ul_snprintf(err, errlen, "unknown core option '%.*s' (app "
		            "arguments that contain '=' go after '--')",
		            (int)keylen, word);
		return -UL_EINVAL;
	}
	word[keylen] = '\0';
	for (int i = 0; i < cl->nopts; i++) {
		if (ul_strcmp(cl->opts[i].key, word) == 0) {
			ul_snprintf(err, errlen, "core option '%s' given twice",
			            word);
			return -UL_EINVAL;
		}
	}
	if (cl->nopts == UL_CMDLINE_MAX_OPTS) {
		ul_snprintf(err, errlen, "more than %d core options",
		            UL_CMDLINE_MAX_OPTS);
		return -UL_E2BIG;
	}
	cl->opts[cl->nopts].key = word;
	cl->opts[cl->nopts].value = word + keylen + 1;
	cl->nopts++;
	return 0;
}

/* Sort one word into the options or the arguments. *in_args says whether
 * the app's arguments have begun. */
static int classify(struct ul_cmdline *cl, char *word, int *in_args,
                    char *err, size_t errlen)
{
	if (!*in_args) {
		if (ul_strcmp(word, "--") == 0) {
			*in_args = 1;
			return 0;
		}
		size_t keylen = option_key_length(word);
		if (keylen > 0)
			return add_option(cl, word, keylen, err, errlen);
		*in_args = 1;
	}
	if (cl->argc == UL_CMDLINE_MAX_ARGS) {
		ul_snprintf(err, errlen, "more than %d app arguments",
		            UL_CMDLINE_MAX_ARGS - 1);
		return -UL_E2BIG;
	}
	cl->argv[cl->argc++] = word;
	return 0;
}

int ul_cmdline_parse(const char *line, const char *app_name,
                     struct ul_cmdline *out, char *err, size_t errlen)
{
	ul_memset(out, 0, sizeof *out);
	if (!line)
		line = "";
	/* Words are never longer than the line, and each adds one NUL. */
	size_t len = ul_strlen(line);
	out->buf = ul_malloc(2 * len + 2);
	out->argv = ul_calloc(UL_CMDLINE_MAX_ARGS + 1, sizeof(char *));
	if (!out->buf || !out->argv) {
		ul_cmdline_free(out);
		ul_snprintf(err, errlen, "out of memory");
		return -UL_ENOMEM;
	}
	out->argv[out->argc++] = (char *)app_name;

	char *o = out->buf;
	size_t pos = 0;
	int in_args = 0;
	for (;;) {
		while (is_blank(line[pos]))
			pos++;
		if (!line[pos])
			break;
		char *word = o;
		int rc = take_word(line, &pos, &o, err, errlen);
		if (rc == 0)
			rc = classify(out, word, &in_args, err, errlen);
		if (rc < 0) {
			ul_cmdline_free(out);
			return rc;
		}
	}
	out->argv[out->argc] = NULL;
	return 0;
}

void ul_cmdline_free(struct ul_cmdline *cl)
{
	ul_free(cl->buf);
	ul_free(cl->argv);
	cl->buf = NULL;
	cl->argv = NULL;
	cl->argc = 0;
	cl->nopts = 0;
}

/* Here, not in boot.c, so that code reading options (the network stack's
 * start) links without the boot path, as in the unit tests. */
static const struct ul_cmdline *boot_cmdline;

void ul_cmdline_set_boot(const struct ul_cmdline *cl)
{
	boot_cmdline = cl;
}

const char *ul_option(const char *key)
{
	for (int i = 0; boot_cmdline && i < boot_cmdline->nopts; i++)
		if (ul_strcmp(boot_cmdline->opts[i].key, key) == 0)
			return boot_cmdline->opts[i].value;
	return NULL;
}
