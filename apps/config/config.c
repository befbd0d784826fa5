/* Finding a configuration file built into the image. */
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
