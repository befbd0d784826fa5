/* posix backend, sim mode (--sim=FD): the image is one node of a simulated
 * network. Its clocks, its idle poll, its interfaces and its console (the
 * ops table sim_ops, which attaching installs) go through the channel to
 * the simulator (sim/abi.h), which owns the one virtual clock: while the
 * node runs, its time stands still; it moves only while the node waits in
 * poll. Nothing here reads the host's clocks. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unilab/errno.h>
#include <unilab/ether.h>

#include "platform.h"
#include "posix.h"
#include "abi.h" /* sim/abi.h */

_Static_assert(UL_MAX_NET == SIM_NET_MAX, "one interface table, one size");

struct rx_frame {
	size_t len;
	uint8_t data[];
};

/* Frames delivered and not yet received, oldest first. The simulator sends
 * at most SIM_RX_RING per interface before each wake-up, and a node only
 * waits once every ring is empty, so a ring never overflows. */
struct rx_ring {
	struct rx_frame *frame[SIM_RX_RING];
	unsigned head, count;
};

static int chan = -1;
static struct sim_boot boot;
static uint64_t now; /* virtual ns, as of the last SIM_WAKE */
static struct rx_ring rings[SIM_NET_MAX];
static struct sim_msg msg;

/* The simulator is gone (it was killed, or it broke the protocol): no one
 * is left to run this node for. */
static _Noreturn void lost(const char *what)
{
	fprintf(stderr, "unilab sim node: %s (%s); stopping\n", what,
	        errno ? strerror(errno) : "channel closed");
	_exit(1);
}

static unsigned net_count(void)
{
	return boot.net_count;
}

static uint64_t monotonic(void)
{
	return now - boot.now;
}

static uint64_t wall(void)
{
	return boot.wall_base + now;
}

static void console_write(const char *buf, size_t len)
{
	while (len > 0) {
		size_t n = len < SIM_PAYLOAD_MAX ? len : SIM_PAYLOAD_MAX;
		if (ul_host_sim_send(chan, SIM_CONSOLE, 0, 0, buf, n) < 0)
			lost("cannot write the console");
		buf += n;
		len -= n;
	}
}

static void deliver(unsigned i, const void *frame, size_t len)
{
	if (i >= boot.net_count || len < UL_ETH_HLEN ||
	    rings[i].count == SIM_RX_RING) {
		errno = EPROTO;
		lost("the simulator sent a frame this node cannot hold");
	}
	struct rx_ring *r = &rings[i];
	struct rx_frame *f = malloc(sizeof(*f) + len);
	if (!f)
		lost("no memory for a received frame");
	f->len = len;
	memcpy(f->data, frame, len);
	r->frame[(r->head + r->count++) % SIM_RX_RING] = f;
}

static uint32_t ready_set(void)
{
	uint32_t ready = 0;
	for (unsigned i = 0; i < boot.net_count; i++)
		if (rings[i].count)
			ready |= UL_READY_NET(i);
	return ready;
}

/* Frames already here, or a deadline already past, need no simulator.
 * Otherwise tell it when to wake us, and take the frames it delivers up to
 * the wake-up. */
static uint32_t sim_poll(uint64_t deadline, uint32_t wait)
{
	uint32_t ready = ready_set();
	if (ready || deadline <= monotonic())
		return ready & wait;
	uint64_t at = deadline > UINT64_MAX - boot.now ? UINT64_MAX
	                                               : boot.now + deadline;
	if (ul_host_sim_send(chan, SIM_POLL, 0, at, NULL, 0) < 0)
		lost("cannot tell the simulator we wait");
	for (;;) {
		if (ul_host_sim_recv(chan, &msg) < 0)
			lost("cannot hear from the simulator");
		if (msg.h.type == SIM_WAKE)
			break;
		if (msg.h.type != SIM_FRAME) {
			errno = EPROTO;
			lost("unexpected message from the simulator");
		}
		deliver(msg.h.arg, msg.data, msg.len);
	}
	if (msg.h.time < now) {
		errno = EPROTO;
		lost("the simulator moved time backwards");
	}
	now = msg.h.time;
	return ready_set() & wait;
}

static int net_info(unsigned i, struct ul_net_info *info)
{
	if (i >= boot.net_count)
		return -UL_ENODEV;
	memcpy(info->mac, boot.net[i].mac, UL_ETH_ADDR_LEN);
	info->mtu = boot.net[i].mtu;
	return 0;
}

static long net_send(unsigned i, const void *frame, size_t len)
{
	if (i >= boot.net_count)
		return -UL_ENODEV;
	if (len < UL_ETH_HLEN || len > (size_t)boot.net[i].mtu + UL_ETH_HLEN)
		return -UL_EINVAL;
	if (ul_host_sim_send(chan, SIM_SEND, i, 0, frame, len) < 0)
		lost("cannot send a frame to the simulator");
	return (long)len;
}

static long net_recv(unsigned i, void *buf, size_t cap)
{
	if (i >= boot.net_count)
		return -UL_ENODEV;
	struct rx_ring *r = &rings[i];
	if (r->count == 0)
		return -UL_EAGAIN;
	struct rx_frame *f = r->frame[r->head];
	r->head = (r->head + 1) % SIM_RX_RING;
	r->count--;
	long n = f->len <= cap ? (long)f->len : -UL_EMSGSIZE;
	if (n > 0)
		memcpy(buf, f->data, f->len);
	free(f);
	return n;
}

static const struct ul_posix_ops sim_ops = {
	.clock_monotonic = monotonic,
	.clock_wall = wall,
	.poll = sim_poll,
	.console_write = console_write,
	.net_count = net_count,
	.net_info = net_info,
	.net_send = net_send,
	.net_recv = net_recv,
};

int ul_posix_sim_attach(const char *fd_text)
{
	char *end;
	errno = 0;
	long fd = strtol(fd_text, &end, 10);
	if (*fd_text < '0' || *fd_text > '9' || *end || errno || fd > 1 << 20) {
		fprintf(stderr, "--sim=%s: want a file descriptor number\n",
		        fd_text);
		return -1;
	}
	if (ul_host_sim_recv((int)fd, &msg) < 0 || msg.h.type != SIM_BOOT ||
	    msg.len != sizeof(boot)) {
		fprintf(stderr, "--sim=%s: not a channel from the simulator "
		        "(unilab-sim starts images with --sim; %s)\n", fd_text,
		        errno ? strerror(errno) : "no boot message");
		return -1;
	}
	memcpy(&boot, msg.data, sizeof(boot));
	if (boot.version != SIM_VERSION || boot.net_count > SIM_NET_MAX) {
		fprintf(stderr, "--sim=%s: simulator speaks version %u with %u "
		        "interfaces; this image speaks version %u, at most %u\n",
		        fd_text, boot.version, boot.net_count, SIM_VERSION,
		        SIM_NET_MAX);
		return -1;
	}
	chan = (int)fd;
	now = boot.now;
	ul_posix_ops = &sim_ops;
	return 0;
}
