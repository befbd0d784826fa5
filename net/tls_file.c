/* The files TLS reads: certificates, keys, CA lists. They come from the
 * image's file system (its romfs, or a disk mounted with root= or mount=);
 * a path the file system does not have is looked up in the table the build
 * may embed (net/tls_embed.py writes it), so an image keeps a built-in
 * certificate without putting its key in a folder a server shows. */
#include <unilab/errno.h>
#include <unilab/fs.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include <unilab/tls.h>

/* Weak: images that embed no files link this empty one. */
__attribute__((weak)) const struct ul_tls_file ul_tls_files[] = {{0}};

/* Files larger than this are not certificates or keys. */
#define FILE_MAX (1 << 20)

static int read_fs(const char *path, void **data, size_t *len)
{
	int fd = ul_open(path, UL_O_RDONLY, 0);
	if (fd < 0)
		return fd;
	struct ul_stat st;
	int rc = ul_fstat(fd, &st);
	if (rc == 0 && UL_S_ISDIR(st.mode))
		rc = -UL_EISDIR;
	else if (rc == 0 && st.size > FILE_MAX)
		rc = -UL_EFBIG;
	char *buf = rc == 0 ? ul_malloc(st.size ? st.size : 1) : NULL;
	if (rc == 0 && buf == NULL)
		rc = -UL_ENOMEM;
	size_t got = 0;
	while (rc == 0 && got < st.size) {
		long n = ul_read(fd, buf + got, st.size - got);
		if (n <= 0)
			rc = n < 0 ? (int)n : -UL_EIO;
		else
			got += (size_t)n;
	}
	ul_close(fd);
	if (rc < 0) {
		ul_free(buf);
		return rc;
	}
	*data = buf;
	*len = got;
	return 0;
}

int ul_tls_read_file(const char *path, void **data, size_t *len)
{
	int rc = read_fs(path, data, len);
	if (rc != -UL_ENOENT)
		return rc;
	for (const struct ul_tls_file *f = ul_tls_files; f->path; f++)
		if (ul_strcmp(f->path, path) == 0) {
			*data = ul_malloc(f->len ? f->len : 1);
			if (*data == NULL)
				return -UL_ENOMEM;
			ul_memcpy(*data, f->data, f->len);
			*len = f->len;
			return 0;
		}
	return -UL_ENOENT;
}
