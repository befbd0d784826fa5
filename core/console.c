/* The console: every byte the core and the apps print goes through here to
 * the backend. The core keeps no buffer of its own, so nothing is lost when
 * the image dies; backends that pay per write (a VM exit) buffer below. */
#include <unilab/console.h>
#include "platform.h"

void ul_console_write(const char *buf, size_t len)
{
	if (len > 0)
		ul_plat_console_write(buf, len);
}
