/* An appliance's configuration files (zones, rules), built into the image
 * by mkconfig.py. Apps read them only through ul_config_read, so reading
 * them from the image's file system instead changes this one place. */
#ifndef UL_APP_CONFIG_H
#define UL_APP_CONFIG_H

#include <stddef.h>

struct ul_config_file {
	const char *name;
	const char *data; /* followed by a NUL */
	size_t len;
};
/* Every file, then an entry whose name is NULL. */
extern const struct ul_config_file ul_config_files[];

/* The contents of file name and their length in *len; NULL when there is
 * no such file. */
const char *ul_config_read(const char *name, size_t *len);
/* The same, and when there is no such file, a line on the console that
 * says so and lists the files there are: "APP: no KIND file NAME in the
 * image; it has: ...". */
const char *ul_config_need(const char *app, const char *kind, const char *name,
                           size_t *len);

#endif
