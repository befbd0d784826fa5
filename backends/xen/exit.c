/* xen guest: the end. The status goes out first, in the console's fixed
 * "exit status N" line, because Xen's shutdown codes only say poweroff or
 * crash: 0 powers the domain off, anything else reports a crash. */
#include "guest.h"
#include "hypercall.h"
#include "platform.h"

_Noreturn void ul_xen_shutdown(int status)
{
	struct xen_sched_shutdown s = {
		.reason = status == 0 ? XEN_SHUTDOWN_POWEROFF : XEN_SHUTDOWN_CRASH,
	};

	ul_xen_console_status(status);
	/* Shutdown does not return; should Xen refuse it, ask again
	 * rather than run on. */
	for (;;)
		xen_sched_op(XEN_SCHEDOP_SHUTDOWN, &s);
}

_Noreturn void ul_plat_exit(int status)
{
	ul_xen_console_flush();
	ul_xen_shutdown(status & 0xff);
}
