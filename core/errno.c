/* Names of the error codes. The codes are Linux's, so the texts are the
 * ones Linux users know from strerror(3). */
#include <stddef.h>

#include <unilab/errno.h>

static const char *const names[] = {
	[0] = "Success",
	[UL_EPERM] = "Operation not permitted",
	[UL_ENOENT] = "No such file or directory",
	[UL_EINTR] = "Interrupted system call",
	[UL_EIO] = "Input/output error",
	[UL_E2BIG] = "Argument list too long",
	[UL_EBADF] = "Bad file descriptor",
	[UL_EAGAIN] = "Resource temporarily unavailable",
	[UL_ENOMEM] = "Cannot allocate memory",
	[UL_EACCES] = "Permission denied",
	[UL_EFAULT] = "Bad address",
	[UL_EBUSY] = "Device or resource busy",
	[UL_EEXIST] = "File exists",
	[UL_EXDEV] = "Invalid cross-device link",
	[UL_ENODEV] = "No such device",
	[UL_ENOTDIR] = "Not a directory",
	[UL_EISDIR] = "Is a directory",
	[UL_EINVAL] = "Invalid argument",
	[UL_EMFILE] = "Too many open files",
	[UL_EFBIG] = "File too large",
	[UL_ENOSPC] = "No space left on device",
	[UL_EROFS] = "Read-only file system",
	[UL_ERANGE] = "Numerical result out of range",
	[UL_EDEADLK] = "Resource deadlock avoided",
	[UL_ENAMETOOLONG] = "File name too long",
	[UL_ENOSYS] = "Function not implemented",
	[UL_ENOTEMPTY] = "Directory not empty",
	[UL_ELOOP] = "Too many levels of symbolic links",
	[UL_EMSGSIZE] = "Message too long",
	[UL_ENOTSUP] = "Operation not supported",
	[UL_EADDRINUSE] = "Address already in use",
	[UL_ENETUNREACH] = "Network is unreachable",
	[UL_ECONNRESET] = "Connection reset by peer",
	[UL_ENOTCONN] = "Transport endpoint is not connected",
	[UL_ETIMEDOUT] = "Connection timed out",
	[UL_ECONNREFUSED] = "Connection refused",
	[UL_EHOSTUNREACH] = "No route to host",
	[UL_EALREADY] = "Operation already in progress",
	[UL_EINPROGRESS] = "Operation now in progress",
};

const char *ul_strerror(int err)
{
	/* Through unsigned, so that INT_MIN has a magnitude too. */
	unsigned code = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	if (code < sizeof names / sizeof names[0] && names[code] != NULL)
		return names[code];
	return "unknown error";
}
