/* posix backend: the image's status is the process's exit status. */
#include <stdlib.h>

#include "platform.h"

_Noreturn void ul_plat_exit(int status)
{
	exit(status & 0xff); /* exit, not _exit: gcov and sanitizers report at exit */
}
