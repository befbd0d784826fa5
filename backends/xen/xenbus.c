/* xen guest: the xenbus handshake's common steps, for netfront and
 * blkfront: find a device's back end in XenStore, publish numbers under
 * the front end's directory, and wait for the back end's state. We set no
 * watches: the state is read again every 10 ms until it is reached or the
 * handshake's time is up. */
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/console.h>

#include "guest.h"
#include "platform.h"

#define HANDSHAKE_TIMEOUT (10 * 1000000000ull)
#define LOOK_AGAIN 10000000ull /* ns */

int ul_xen_bus_backend(const char *front, char *back, size_t cap,
                       uint16_t *domid)
{
	char path[96];
	long id;
	int rc;

	ul_snprintf(path, sizeof(path), "%s/backend", front);
	if ((rc = ul_xen_store_read(path, back, cap)) < 0) {
		ul_error("xen: %s: no back end in XenStore (%s: %s)", front,
		         path, ul_strerror(-rc));
		return rc;
	}
	ul_snprintf(path, sizeof(path), "%s/backend-id", front);
	id = ul_xen_store_read_number(path);
	if (id < 0 || id > 0x7fef) {
		ul_error("xen: %s: bad backend-id in XenStore", front);
		return -UL_EINVAL;
	}
	*domid = (uint16_t)id;
	return 0;
}

int ul_xen_bus_write(const char *dir, const char *key, unsigned long value)
{
	char path[128], text[24];
	int rc;

	ul_snprintf(path, sizeof(path), "%s/%s", dir, key);
	ul_snprintf(text, sizeof(text), "%lu", value);
	if ((rc = ul_xen_store_write(path, text)) < 0)
		ul_error("xen: cannot write %s: %s", path, ul_strerror(-rc));
	return rc;
}

static const char *state_name(long s)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed",
	};
	return s >= 0 && s <= XEN_BUS_CLOSED ? names[s] : "invalid";
}

int ul_xen_bus_wait(const char *back, long want)
{
	uint64_t deadline = ul_plat_clock_monotonic() + HANDSHAKE_TIMEOUT;
	char path[128];
	long state;

	ul_snprintf(path, sizeof(path), "%s/state", back);
	for (;;) {
		state = ul_xen_store_read_number(path);
		if (state == want)
			return 0;
		if (state < 0) {
			ul_error("xen: the back end %s is missing (%s)", back,
			         ul_strerror((int)-state));
			return (int)state;
		}
		if (state > XEN_BUS_CONNECTED || ul_plat_clock_monotonic() >= deadline) {
			ul_error("xen: the back end %s stalled in state %s (want %s)",
			         back, state_name(state), state_name(want));
			return -UL_ETIMEDOUT;
		}
		ul_xen_events_clear();
		ul_xen_events_block_until(ul_plat_clock_monotonic() + LOOK_AGAIN);
	}
}
