/* Host networking: user-mode networking through libslirp. Slirp plays the
 * whole network the image sees (gateway, DHCP and DNS servers) and turns
 * the image's connections into ordinary host sockets, so it needs no root
 * and no set-up; hostfwd rules make host ports reach the image.
 *
 * Slirp runs inside our event loop: before each sleep it adds its sockets
 * to the pollset and shortens the timeout to its TCP timers, after the
 * sleep it serves them. Frames for the image come out of slirp through a
 * callback, at any of those moments, so they wait in a queue for recv.
 *
 * Every call into slirp runs on a host stack of its own (stack.c): in a
 * posix image we are called on the image's threads' small stacks, and
 * slirp's frames do not fit there. */
#include <arpa/inet.h>
#include <errno.h>
#include <libslirp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unilab/errno.h>

#include "nic.h"

/* Frames slirp may queue for an image that is not receiving. Past this
 * they are dropped, as slirp allows: TCP resends at its own pace. */
#define QUEUE_LEN 256

#define NS_PER_MS 1000000u

struct frame {
	size_t len;
	uint8_t data[];
};

struct user_timer {
	struct user_timer *next;
	SlirpTimerId id;
	void *cb_opaque;
	bool armed;
	int64_t expire_ms; /* on the clock_get_ns clock, in ms */
};

/* libslirp's functions, loaded by the first user-mode interface. */
static struct {
	__typeof__(slirp_new) *slirp_new;
	__typeof__(slirp_cleanup) *slirp_cleanup;
	__typeof__(slirp_input) *slirp_input;
	__typeof__(slirp_pollfds_fill) *slirp_pollfds_fill;
	__typeof__(slirp_pollfds_poll) *slirp_pollfds_poll;
	__typeof__(slirp_handle_timer) *slirp_handle_timer;
	__typeof__(slirp_add_hostfwd) *slirp_add_hostfwd;
} lib;

static const struct ul_host_symbol lib_symbols[] = {
	HOST_SYMBOL(lib, slirp_new),
	HOST_SYMBOL(lib, slirp_cleanup),
	HOST_SYMBOL(lib, slirp_input),
	HOST_SYMBOL(lib, slirp_pollfds_fill),
	HOST_SYMBOL(lib, slirp_pollfds_poll),
	HOST_SYMBOL(lib, slirp_handle_timer),
	HOST_SYMBOL(lib, slirp_add_hostfwd),
};

struct user {
	Slirp *slirp;
	struct frame *queue[QUEUE_LEN];
	unsigned head, count;
	struct user_timer *timers;
	/* The image sent a frame since the last sleep. Slirp sends what it
	 * holds back (frames that waited for the image's ARP reply, data a
	 * window update lets go) only from slirp_pollfds_poll, and drops
	 * them after a second: so the next sleep must not wait. */
	bool sent;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- slirp's callbacks ------------------------------------------------ */

static ssize_t to_image(const void *buf, size_t len, void *opaque)
{
	struct user *u = opaque;
	if (u->count == QUEUE_LEN)
		return (ssize_t)len;
	struct frame *f = malloc(sizeof(*f) + len);
	if (!f)
		return (ssize_t)len;
	f->len = len;
	memcpy(f->data, buf, len);
	u->queue[(u->head + u->count) % QUEUE_LEN] = f;
	u->count++;
	return (ssize_t)len;
}

static void guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	fprintf(stderr, "user-mode network: the image sent a bad frame: %s\n",
	        msg);
}

static int64_t clock_get_ns(void *opaque)
{
	(void)opaque;
	return now_ns();
}

static void *timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct user *u = opaque;
	struct user_timer *t = calloc(1, sizeof(*t));
	if (!t) {
		/* slirp has no way to hear no: it would use NULL as a timer. */
		fprintf(stderr, "user-mode network: out of memory\n");
		abort();
	}
	t->id = id;
	t->cb_opaque = cb_opaque;
	t->next = u->timers;
	u->timers = t;
	return t;
}

static void timer_free(void *timer, void *opaque)
{
	struct user *u = opaque;
	for (struct user_timer **p = &u->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct user_timer *t = timer;
	(void)opaque;
	t->armed = true;
	t->expire_ms = expire_ms;
}

/* Slirp announces descriptors and wake-ups for event loops on other
 * threads; ours asks slirp for its descriptors before every sleep, on the
 * only thread, so there is nothing to do. */
static void unused_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void unused_notify(void *opaque)
{
	(void)opaque;
}

static const SlirpCb callbacks = {
	.send_packet = to_image,
	.guest_error = guest_error,
	.clock_get_ns = clock_get_ns,
	.timer_free = timer_free,
	.timer_mod = timer_mod,
	.register_poll_fd = unused_fd,
	.unregister_poll_fd = unused_fd,
	.notify = unused_notify,
	.timer_new_opaque = timer_new,
};

/* --- the interface ---------------------------------------------------- */

struct input_call {
	Slirp *slirp;
	const void *frame;
	size_t len;
};

static void call_input(void *arg)
{
	struct input_call *c = arg;
	lib.slirp_input(c->slirp, c->frame, (int)c->len);
}

static long user_send(struct ul_host_nic *nic, const void *frame, size_t len)
{
	struct user *u = nic->state;
	struct input_call c = {u->slirp, frame, len};
	ul_host_stack_call(call_input, &c);
	u->sent = true;
	return (long)len;
}

static long user_recv(struct ul_host_nic *nic, void *buf, size_t cap)
{
	struct user *u = nic->state;
	if (u->count == 0)
		return -UL_EAGAIN;
	struct frame *f = u->queue[u->head];
	u->head = (u->head + 1) % QUEUE_LEN;
	u->count--;
	long r = f->len > cap ? -UL_EMSGSIZE : (long)f->len;
	if (r > 0)
		memcpy(buf, f->data, f->len);
	free(f);
	return r;
}

static int add_poll(int fd, int events, void *opaque)
{
	short ev = (events & SLIRP_POLL_IN ? POLLIN : 0) |
	           (events & SLIRP_POLL_OUT ? POLLOUT : 0) |
	           (events & SLIRP_POLL_PRI ? POLLPRI : 0);
	return ul_host_pollset_add(opaque, fd, ev);
}

static int get_revents(int idx, void *opaque)
{
	const struct ul_host_pollset *ps = opaque;
	if (idx < 0 || (unsigned)idx >= ps->count)
		return 0;
	short re = ps->fds[idx].revents;
	return (re & POLLIN ? SLIRP_POLL_IN : 0) |
	       (re & POLLOUT ? SLIRP_POLL_OUT : 0) |
	       (re & POLLPRI ? SLIRP_POLL_PRI : 0) |
	       (re & POLLERR ? SLIRP_POLL_ERR : 0) |
	       (re & POLLHUP ? SLIRP_POLL_HUP : 0);
}

struct fill_call {
	Slirp *slirp;
	uint32_t *ms;
	struct ul_host_pollset *ps;
};

static void call_fill(void *arg)
{
	struct fill_call *c = arg;
	lib.slirp_pollfds_fill(c->slirp, c->ms, add_poll, c->ps);
}

static bool user_poll_fill(struct ul_host_nic *nic, struct ul_host_pollset *ps,
			   uint64_t *timeout_ns)
{
	struct user *u = nic->state;
	/* Slirp counts in ms, UINT32_MAX for "no timeout"; round up, so an
	 * early wake-up does not find its timer not quite due. */
	uint32_t ms = *timeout_ns / NS_PER_MS >= UINT32_MAX - 1
	                      ? UINT32_MAX
	                      : (uint32_t)(*timeout_ns / NS_PER_MS +
	                                   (*timeout_ns % NS_PER_MS != 0));
	struct fill_call c = {u->slirp, &ms, ps};
	ul_host_stack_call(call_fill, &c);
	if (ms != UINT32_MAX && (uint64_t)ms * NS_PER_MS < *timeout_ns)
		*timeout_ns = (uint64_t)ms * NS_PER_MS;
	if (u->sent)
		*timeout_ns = 0;
	u->sent = false;

	int64_t now = now_ns();
	for (struct user_timer *t = u->timers; t; t = t->next) {
		if (!t->armed)
			continue;
		int64_t left = t->expire_ms * NS_PER_MS - now;
		uint64_t wait = left > 0 ? (uint64_t)left : 0;
		if (wait < *timeout_ns)
			*timeout_ns = wait;
	}
	return u->count > 0;
}

struct done_call {
	struct user *u;
	const struct ul_host_pollset *ps;
	bool failed;
};

static void run_timers(struct user *u)
{
	int64_t now_ms = now_ns() / NS_PER_MS;
	for (struct user_timer *t = u->timers; t; t = t->next) {
		if (t->armed && t->expire_ms <= now_ms) {
			t->armed = false;
			lib.slirp_handle_timer(u->slirp, t->id, t->cb_opaque);
			return; /* the handler may have changed the list; next time */
		}
	}
}

static void call_done(void *arg)
{
	struct done_call *c = arg;
	run_timers(c->u);
	lib.slirp_pollfds_poll(c->u->slirp, c->failed, get_revents,
	                       (void *)c->ps);
}

static bool user_poll_done(struct ul_host_nic *nic,
			   const struct ul_host_pollset *ps, bool failed)
{
	struct user *u = nic->state;
	struct done_call c = {u, ps, failed};
	ul_host_stack_call(call_done, &c);
	return u->count > 0;
}

static const struct ul_host_nic_ops user_ops = {
	.send = user_send,
	.recv = user_recv,
	.poll_fill = user_poll_fill,
	.poll_done = user_poll_done,
};

static struct in_addr ip4(const char *dotted)
{
	struct in_addr a;
	inet_pton(AF_INET, dotted, &a);
	return a;
}

static int add_forwards(struct user *u, const struct ul_host_net_spec *spec,
			struct ul_host_error *err)
{
	for (unsigned i = 0; i < spec->fwd_count; i++) {
		const struct ul_host_fwd *f = &spec->fwd[i];
		if (lib.slirp_add_hostfwd(u->slirp, f->udp, f->host_addr, f->host_port,
		                      f->guest_addr, f->guest_port) == 0)
			continue;
		char host[INET_ADDRSTRLEN], guest[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &f->host_addr, host, sizeof(host));
		inet_ntop(AF_INET, &f->guest_addr, guest, sizeof(guest));
		return ul_host_fail(
			err, -UL_EADDRINUSE,
			"hostfwd %s %s:%u to %s:%u: cannot listen on the "
			"host port (%s); is it in use?",
			f->udp ? "udp" : "tcp", host, f->host_port, guest,
			f->guest_port, strerror(errno));
	}
	return 0;
}

int ul_host_user_open(struct ul_host_nic *nic, struct ul_host_error *err)
{
	/* IPv4 only, as the image's stack: no router advertisements. */
	SlirpConfig cfg = {
		.version = 4,
		.in_enabled = true,
		.vnetwork = ip4(HOST_USER_NETWORK),
		.vnetmask = ip4("255.255.255.0"),
		.vhost = ip4(HOST_USER_GATEWAY),
		.vdhcp_start = ip4(HOST_USER_GUEST),
		.vnameserver = ip4(HOST_USER_DNS),
		.vhostname = "unilab",
		.if_mtu = 1500,
		.if_mru = 1500,
	};
	static const char *const sonames[] = {"libslirp.so.0", NULL};
	int r = ul_host_load(sonames, "libslirp0", lib_symbols,
			     sizeof(lib_symbols) / sizeof(lib_symbols[0]), err);
	if (r < 0)
		return r;
	r = ul_host_stack_init(err);
	if (r < 0)
		return r;
	/* Slirp writes to host sockets with send(2) and no MSG_NOSIGNAL: a
	 * peer that closed first must cost an error, not the process. */
	signal(SIGPIPE, SIG_IGN);
	struct user *u = calloc(1, sizeof(*u));
	if (!u)
		return ul_host_fail(err, -UL_ENOMEM,
				    "user-mode network: out of memory");
	u->slirp = lib.slirp_new(&cfg, &callbacks, u);
	if (!u->slirp) {
		free(u);
		return ul_host_fail(err, -UL_EIO,
				    "user-mode network: libslirp "
				    "would not start");
	}
	r = add_forwards(u, &nic->spec, err);
	if (r < 0) {
		lib.slirp_cleanup(u->slirp);
		free(u);
		return r;
	}
	nic->state = u;
	nic->mtu = 1500;
	nic->fd = -1;
	nic->ops = &user_ops;
	return 0;
}
