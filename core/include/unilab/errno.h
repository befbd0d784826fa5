/* Error codes. Functions that can fail return the negative of one of these
 * (for example -UL_EAGAIN); 0 or a positive count means success. */
#ifndef UL_ERRNO_H
#define UL_ERRNO_H

#define UL_EPERM 1
#define UL_ENOENT 2
#define UL_EINTR 4
#define UL_EIO 5
#define UL_E2BIG 7
#define UL_EBADF 9
#define UL_EAGAIN 11
#define UL_ENOMEM 12
#define UL_EACCES 13
#define UL_EFAULT 14
#define UL_EBUSY 16
#define UL_EEXIST 17
#define UL_EXDEV 18
#define UL_ENODEV 19
#define UL_ENOTDIR 20
#define UL_EISDIR 21
#define UL_EINVAL 22
#define UL_EMFILE 24
#define UL_EFBIG 27
#define UL_ENOSPC 28
#define UL_EROFS 30
#define UL_ERANGE 34
#define UL_EDEADLK 35
#define UL_ENAMETOOLONG 36
#define UL_ENOSYS 38
#define UL_ENOTEMPTY 39
#define UL_ELOOP 40
#define UL_EMSGSIZE 90
#define UL_ENOTSUP 95
#define UL_EADDRINUSE 98
#define UL_ENETUNREACH 101
#define UL_ECONNRESET 104
#define UL_ENOTCONN 107
#define UL_ETIMEDOUT 110
#define UL_ECONNREFUSED 111
#define UL_EHOSTUNREACH 113
#define UL_EALREADY 114
#define UL_EINPROGRESS 115

/* A short English name for an error code (positive or negative), the text
 * of Linux's strerror; "Success" for 0, "unknown error" for anything else. */
const char *ul_strerror(int err);

#endif
