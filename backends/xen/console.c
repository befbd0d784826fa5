/* xen guest: the console, two ways, chosen by start_info's SIF_INITDOMAIN.
 *
 * As the initial domain (dom0) we write with console_io to Xen's own
 * console, the serial line that also carries Xen's log. So that the host
 * can pick our bytes out, each write is one framed line:
 *   "ul|TEXT"           TEXT, then a newline, of the image's output
 *   "ul-TEXT"           TEXT with no newline: the next record continues it
 *   "ul#exit status N"  the image's exit status, the last record
 * Xen copies a console_io write in 127-byte pieces, each under its console
 * lock; a record never exceeds that, so no Xen line lands inside one.
 *
 * As an ordinary domain (domU) the console is ours alone: a ring in a
 * shared page plus an event channel, both from start_info, that the
 * toolstack's console daemon reads. Bytes go in unframed.
 *
 * Either way bytes are gathered in a line buffer and handed over on a
 * newline, when it is full, before the image sleeps and at exit. */
#include <unilab/console.h>
#include <unilab/string.h>

#include "guest.h"
#include "hypercall.h"
#include "platform.h"

#define CONSOLE_BUF 512
#define RECORD_MAX 120                  /* within Xen's 127-byte pieces */
#define RECORD_TEXT_MAX (RECORD_MAX - 4) /* "ul" + kind + text + "\n" */

static char buf[CONSOLE_BUF];
static size_t used;
static int is_dom0;

static char ring_page[XEN_PAGE_SIZE] __attribute__((aligned(XEN_PAGE_SIZE)));
static volatile struct xen_console_ring *ring;
static uint32_t ring_port;

static void dom0_record(char kind, const char *text, size_t len)
{
	char rec[RECORD_MAX];

	rec[0] = 'u';
	rec[1] = 'l';
	rec[2] = kind;
	ul_memcpy(rec + 3, text, len);
	rec[3 + len] = '\n';
	xen_console_io_write(rec, (unsigned)len + 4);
}

/* Cut the bytes into records at newlines and at RECORD_TEXT_MAX. */
static void dom0_write(const char *p, size_t len)
{
	while (len > 0) {
		size_t n = 0;
		while (n < len && n < RECORD_TEXT_MAX && p[n] != '\n')
			n++;
		if (n < len && p[n] == '\n') {
			dom0_record('|', p, n);
			n++;
		} else {
			dom0_record('-', p, n);
		}
		p += n;
		len -= n;
	}
}

/* Wait for the console daemon to take bytes out of a full ring. Events
 * are cleared before the re-check, so a notification that comes after it
 * ends the block at once. */
static void ring_wait(uint32_t cons)
{
	struct xen_evtchn_send notify = {.port = ring_port};

	xen_event_channel_op(XEN_EVTCHNOP_SEND, &notify);
	ul_xen_events_clear();
	if (ring->out_cons == cons)
		ul_xen_events_block();
}

static void ring_write(const char *p, size_t len)
{
	const uint32_t size = sizeof(ring->out);

	while (len > 0) {
		uint32_t prod = ring->out_prod, cons = ring->out_cons;
		uint32_t room = size - (prod - cons);
		if (room == 0) {
			ring_wait(cons);
			continue;
		}
		size_t n = len < room ? len : room;
		for (size_t i = 0; i < n; i++)
			ring->out[(prod + i) & (size - 1)] = p[i];
		/* The daemon must see the bytes before the index that
		 * publishes them (x86 keeps stores in order; the compiler
		 * must too). */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		ring->out_prod = prod + (uint32_t)n;
		struct xen_evtchn_send notify = {.port = ring_port};
		xen_event_channel_op(XEN_EVTCHNOP_SEND, &notify);
		p += n;
		len -= n;
	}
}

static void console_out(const char *p, size_t len)
{
	if (is_dom0)
		dom0_write(p, len);
	else
		ring_write(p, len);
}

void ul_xen_console_init(void)
{
	const struct xen_start_info *si = ul_xen_start_info;

	is_dom0 = (si->flags & XEN_SIF_INITDOMAIN) != 0;
	if (is_dom0)
		return;
	ul_xen_map_machine_page(ring_page, si->console.domu.mfn);
	ring = (volatile struct xen_console_ring *)ring_page;
	ring_port = si->console.domu.evtchn;
	/* The daemon notifies this port when it has read from a full ring. */
	ul_xen_events_unmask(ring_port);
}

void ul_xen_console_flush(void)
{
	if (used > 0)
		console_out(buf, used);
	used = 0;
}

void ul_plat_console_write(const char *p, size_t len)
{
	int newline = 0;

	/* A write too long to buffer goes out directly, in order. */
	if (len > CONSOLE_BUF - used) {
		ul_xen_console_flush();
		if (len >= CONSOLE_BUF) {
			console_out(p, len);
			return;
		}
	}
	for (size_t i = 0; i < len; i++) {
		buf[used++] = p[i];
		newline |= p[i] == '\n';
	}
	if (newline || used == CONSOLE_BUF)
		ul_xen_console_flush();
}

void ul_xen_console_status(int status)
{
	char line[32];
	int n = ul_snprintf(line, sizeof(line), "exit status %d", status);

	if (is_dom0) {
		dom0_record('#', line, (size_t)n);
	} else {
		line[n] = '\n';
		ring_write(line, (size_t)n + 1);
	}
}
