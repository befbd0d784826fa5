/* One ul_close for every kind of descriptor. Sockets (net/) number theirs
 * from 0 and files (fs/) from UL_FILE_FD_BASE, so a number says which
 * table it belongs to. Both are weak references: an image that has no
 * sockets or no files links none of that code, and the core depends on
 * neither. */
#include <unilab/errno.h>

#define UL_FILE_FD_BASE 65536 /* also in fs/include/unilab/fs.h */

int ul_sock_close(int fd) __attribute__((weak));
int ul_file_close(int fd) __attribute__((weak));

int ul_close(int fd)
{
	if (fd >= UL_FILE_FD_BASE)
		return ul_file_close ? ul_file_close(fd) : -UL_EBADF;
	return fd >= 0 && ul_sock_close ? ul_sock_close(fd) : -UL_EBADF;
}
