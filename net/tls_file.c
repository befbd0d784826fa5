/* The files TLS reads: certificates, keys, CA lists. Until the image has a
 * file system they are the ones the build embedded (net/tls_embed.py
 * writes the table); an image that embeds none has an empty table. Once
 * files can be read, this function becomes a file read and nothing else
 * changes. */
#include <unilab/errno.h>
#include <unilab/string.h>
#include <unilab/tls.h>

/* Weak: images that embed no files link this empty one. */
__attribute__((weak)) const struct ul_tls_file ul_tls_files[] = {{0}};

int ul_tls_read_file(const char *path, const void **data, size_t *len)
{
	for (const struct ul_tls_file *f = ul_tls_files; f->path; f++)
		if (ul_strcmp(f->path, path) == 0) {
			*data = f->data;
			*len = f->len;
			return 0;
		}
	return -UL_ENOENT;
}
