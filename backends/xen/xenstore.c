/* xen guest: a XenStore client over the ring page the domain builder gave
 * us (start_info.store_mfn and store_evtchn). One request at a time: we
 * write it into the request ring, notify xenstored and sleep on events
 * until the whole answer is in the response ring. We set no watches, so
 * every message that comes back answers our request. A xenstored that
 * does not answer within STORE_TIMEOUT ends the call with -UL_ETIMEDOUT. */
#include <unilab/errno.h>
#include <unilab/string.h>

#include "guest.h"
#include "hypercall.h"
#include "platform.h"

#define STORE_TIMEOUT (5 * 1000000000ull)

static char store_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static volatile struct xen_store_ring *ring;
static uint32_t store_port;
static uint32_t next_req_id;

void ul_xen_store_init(void)
{
	const struct xen_start_info *si = ul_xen_start_info;

	ul_xen_map_machine_page(store_page, si->store_mfn);
	ring = (volatile struct xen_store_ring *)store_page;
	store_port = si->store_evtchn;
	ul_xen_events_unmask(store_port);
}

/* Sleep until ready(n) or the deadline; 0 or -UL_ETIMEDOUT. Events are
 * cleared before each look, so one that comes after it ends the block. */
static int wait_for(int (*ready)(uint32_t), uint32_t n, uint64_t deadline)
{
	for (;;) {
		ul_xen_events_clear();
		if (ready(n))
			return 0;
		if (ul_plat_clock_monotonic() >= deadline)
			return -UL_ETIMEDOUT;
		ul_xen_events_block_until(deadline);
	}
}

static int request_room(uint32_t n)
{
	return XEN_STORE_RING_SIZE - (ring->req_prod - ring->req_cons) >= n;
}

static int response_has(uint32_t n)
{
	return ring->rsp_prod - ring->rsp_cons >= n;
}

/* Copy len bytes into the request ring, a piece at a time if need be. */
static int put(const void *data, uint32_t len, uint64_t deadline)
{
	const char *p = data;

	while (len > 0) {
		uint32_t n = len < XEN_STORE_RING_SIZE / 2 ? len : XEN_STORE_RING_SIZE / 2;
		int rc = wait_for(request_room, n, deadline);
		if (rc < 0)
			return rc;
		uint32_t prod = ring->req_prod;
		for (uint32_t i = 0; i < n; i++)
			ring->req[(prod + i) & (XEN_STORE_RING_SIZE - 1)] = p[i];
		/* xenstored must see the bytes before the index. */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ring->req_prod = prod + n;
		ul_xen_event_channel_notify(store_port);
		p += n;
		len -= n;
	}
	return 0;
}

/* Take len bytes out of the response ring (buf NULL: drop them). */
static int get(void *buf, uint32_t len, uint64_t deadline)
{
	char *p = buf;

	while (len > 0) {
		uint32_t n = len < XEN_STORE_RING_SIZE / 2 ? len : XEN_STORE_RING_SIZE / 2;
		int rc = wait_for(response_has, n, deadline);
		if (rc < 0)
			return rc;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint32_t cons = ring->rsp_cons;
		for (uint32_t i = 0; i < n; i++) {
			char c = ring->rsp[(cons + i) & (XEN_STORE_RING_SIZE - 1)];
			if (p)
				*p++ = c;
		}
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ring->rsp_cons = cons + n;
		ul_xen_event_channel_notify(store_port);
		len -= n;
	}
	return 0;
}

/* Send a request of type with the two payload parts (b may be empty) and
 * read the answer's payload into out (cap bytes): its length, or an
 * error. An answer of XS_ERROR becomes the errno it names. */
static int transact(uint32_t type, const char *a, size_t alen, const char *b,
                    size_t blen, char *out, size_t cap)
{
	uint64_t deadline = ul_plat_clock_monotonic() + STORE_TIMEOUT;
	struct xen_store_msg msg = {
		.type = type,
		.req_id = ++next_req_id,
		.len = (uint32_t)(alen + blen),
	};
	struct xen_store_msg ans;
	int rc;

	if (alen + blen > XEN_XS_PAYLOAD_MAX)
		return -UL_ERANGE;
	if ((rc = put(&msg, sizeof(msg), deadline)) < 0 ||
	    (rc = put(a, (uint32_t)alen, deadline)) < 0 ||
	    (rc = put(b, (uint32_t)blen, deadline)) < 0 ||
	    (rc = get(&ans, sizeof(ans), deadline)) < 0)
		return rc;
	if (ans.len > XEN_XS_PAYLOAD_MAX)
		return -UL_EIO; /* xenstored would never; do not trust it */
	if (ans.type == XEN_XS_ERROR) {
		char name[16] = {0};
		uint32_t n = ans.len < sizeof(name) - 1 ? ans.len : sizeof(name) - 1;
		if ((rc = get(name, n, deadline)) < 0 ||
		    (rc = get(NULL, ans.len - n, deadline)) < 0)
			return rc;
		return ul_strcmp(name, "ENOENT") == 0 ? -UL_ENOENT : -UL_EIO;
	}
	if (ans.len > cap) {
		rc = get(NULL, ans.len, deadline);
		return rc < 0 ? rc : -UL_ERANGE;
	}
	if ((rc = get(out, ans.len, deadline)) < 0)
		return rc;
	return (int)ans.len;
}

int ul_xen_store_read(const char *path, char *buf, size_t cap)
{
	int n = transact(XEN_XS_READ, path, ul_strlen(path) + 1, "", 0, buf,
	                 cap - 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int ul_xen_store_write(const char *path, const char *value)
{
	char ok[8];
	int n = transact(XEN_XS_WRITE, path, ul_strlen(path) + 1, value,
	                 ul_strlen(value), ok, sizeof(ok));
	return n < 0 ? n : 0;
}

long ul_xen_store_read_number(const char *path)
{
	char buf[24];
	long v = 0;
	int n = ul_xen_store_read(path, buf, sizeof(buf));

	if (n < 0)
		return n;
	if (n == 0)
		return -UL_EINVAL;
	for (int i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -UL_EINVAL;
		v = v * 10 + (buf[i] - '0');
	}
	return v;
}
