/* Finding a configuration file built into the image. */
#include <unilab/console.h>
#include <unilab/string.h>
#include "config.h"

const char *ul_config_read(const char *name, size_t *len)
{
	for (const struct ul_config_file *f = ul_config_files; f->name; f++) {
		if (ul_strcmp(f->name, name) == 0) {
			*len = f->len;
			return f->data;
		}
	}
	return NULL;
}

const char *ul_config_need(const char *app, const char *kind, const char *name,
                           size_t *len)
{
	const char *text = ul_config_read(name, len);
	if (!text) {
		ul_printf("%s: no %s file %s in the image; it has:", app, kind, name);
		for (const struct ul_config_file *f = ul_config_files; f->name; f++)
			ul_printf(" %s", f->name);
		ul_printf("\n");
	}
	return text;
}
