/* The console of the programs that run images (the posix backend and the
 * kvm monitor): the image's bytes go to the program's standard output as
 * they are. */
#ifndef UL_HOST_CONSOLE_H
#define UL_HOST_CONSOLE_H

#include <stddef.h>

/* Write all of buf, resuming after signals and short writes. A closed
 * stdout (the reader of a pipe went away) drops the rest silently: there
 * is no one left to tell. */
void ul_host_console_write(const void *buf, size_t len);

#endif
