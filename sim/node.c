/* The nodes' processes: start an image in sim mode on a fresh channel,
 * run it until it waits in poll (answering its console and frames as they
 * come), and end it. Only one node runs at a time, and the controller waits
 * for it, so the run depends on nothing but the messages exchanged. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "sim.h"

#define CHANNEL_FD 3       /* where the node finds its end */
#define WALL_EPOCH 1704067200000000000ull /* 2024-01-01 00:00:00 UTC */
#define HUNG_SECONDS 10    /* real time a node may run without waiting */

static struct sim_msg msg;

static void set_macs(struct node *n)
{
	/* 02:...: locally administered; the node's number (from 1) and the
	 * interface make addresses a reader can decode. */
	for (unsigned i = 0; i < n->sc->nif; i++) {
		uint8_t mac[6] = {0x02, 0, 0, (uint8_t)((n->index + 1) >> 8),
		                  (uint8_t)(n->index + 1), (uint8_t)i};
		memcpy(n->mac[i], mac, 6);
	}
}

/* The child: its channel on CHANNEL_FD, stdin empty, stdout and stderr (the
 * backend's and the sanitizers' messages) into NAME.stderr, and the same
 * addresses every run, since ASLR is a source of difference we can stop. */
static _Noreturn void exec_node(const struct world *w, const struct node *n,
                                int chan, char **argv)
{
	char path[PATH_MAX];
	char name[SC_NAME_MAX + 16];
	snprintf(name, sizeof(name), "%s.stderr", n->sc->name);
	sim_path(w, name, path);
	int out = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	int in = open("/dev/null", O_RDONLY);
	/* dup2 onto itself would leave close-on-exec set. */
	int moved = chan == CHANNEL_FD ? fcntl(chan, F_SETFD, 0)
	                               : dup2(chan, CHANNEL_FD);
	if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
	    dup2(out, 2) < 0 || moved < 0)
		_exit(126);
	personality(ADDR_NO_RANDOMIZE);
	execv(n->sc->image_path, argv);
	fprintf(stderr, "unilab-sim: cannot run %s: %s\n", n->sc->image_path,
	        strerror(errno));
	_exit(127);
}

static char **node_argv(const struct node *n)
{
	const struct sc_node *s = n->sc;
	char **argv = sim_alloc((s->argc + 5) * sizeof(char *));
	unsigned a = 0;
	static char sim_opt[] = "--sim=3", dashes[] = "--";
	_Static_assert(CHANNEL_FD == 3, "--sim= names the channel's fd");
	argv[a++] = s->image_path;
	argv[a++] = sim_opt;
	if (s->mem) {
		argv[a] = sim_alloc(strlen(s->mem) + 7);
		sprintf(argv[a++], "--mem=%s", s->mem);
	}
	/* The node's own words, even those that start with "--", are its
	 * command line, not options of the posix backend. */
	argv[a++] = dashes;
	for (unsigned i = 0; i < s->argc; i++)
		argv[a++] = s->args[i];
	argv[a] = NULL;
	return argv;
}

static void send_boot(struct world *w, struct node *n)
{
	struct sim_boot b = {
		.version = SIM_VERSION,
		.net_count = n->sc->nif,
		.now = w->now,
		.wall_base = WALL_EPOCH + n->wall_skew,
	};
	for (unsigned i = 0; i < n->sc->nif; i++) {
		memcpy(b.net[i].mac, n->mac[i], 6);
		b.net[i].mtu = w->links[n->sc->links[i]].p.mtu;
	}
	/* A node that dies before reading it shows up as an exit in node_run. */
	ul_host_sim_send(n->fd, SIM_BOOT, 0, 0, &b, sizeof(b));
}

static void broken(struct world *w, struct node *n, const char *why)
{
	nodelog_note(w, n, "cannot start: %s", why);
	n->end = END_BROKEN;
	n->end_time = w->now;
}

void node_start(struct world *w, struct node *n)
{
	int sv[2];
	if (n->starts == 0) {
		set_macs(n);
		nodelog_open(w, n);
	}
	n->starts++;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		broken(w, n, strerror(errno));
		return;
	}
	char **argv = node_argv(n);
	fflush(NULL); /* the child must not write our buffers twice */
	pid_t pid = fork();
	if (pid == 0)
		exec_node(w, n, sv[1], argv);
	if (n->sc->mem)
		free(argv[2]);
	free(argv);
	close(sv[1]);
	if (pid < 0) {
		close(sv[0]);
		broken(w, n, strerror(errno));
		return;
	}
	struct timeval limit = {.tv_sec = HUNG_SECONDS};
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit));
	n->pid = pid;
	n->fd = sv[0];
	n->end = END_NONE;
	n->fresh = true;
	n->state = NODE_WAITING;
	nodelog_note(w, n, "started: %s", n->sc->image);
	trace_event(w, "\"event\":\"start\",\"node\":\"%s\"", n->sc->name);
	send_boot(w, n);
	node_make_ready(w, n);
}

static void drop_pending(struct node *n)
{
	while (n->pending) {
		struct pending *p = n->pending;
		n->pending = p->next;
		free(p->frame);
		free(p);
	}
	n->pending_tail = &n->pending;
	memset(n->npending, 0, sizeof(n->npending));
}

const char *node_end_name(enum node_end end)
{
	static const char *const names[] = {
		[END_NONE] = "running", [END_EXIT] = "exit",
		[END_SIGNAL] = "signal", [END_KILLED] = "killed",
		[END_HUNG] = "hung", [END_BROKEN] = "broken",
	};
	return names[end];
}

/* The process is gone or going: collect it and say how it ended (why is
 * END_EXIT when it ended on its own: its status tells the rest). */
static void reap(struct world *w, struct node *n, enum node_end why)
{
	int status = 0;
	close(n->fd);
	while (waitpid(n->pid, &status, 0) < 0 && errno == EINTR)
		;
	drop_pending(n);
	n->state = NODE_DOWN;
	n->end_time = w->now;
	n->end = why;
	n->code = 0;
	if (why == END_EXIT && WIFSIGNALED(status)) {
		n->end = END_SIGNAL;
		n->code = WTERMSIG(status);
		nodelog_note(w, n, "killed by signal %d (%s)", n->code,
		             strsignal(n->code));
	} else if (why == END_EXIT) {
		n->code = WEXITSTATUS(status);
		nodelog_note(w, n, "exited with status %d", n->code);
	} else if (why == END_NONE) {
		nodelog_note(w, n, "still running when the run ended: stopped");
	}
	trace_event(w, "\"event\":\"end\",\"node\":\"%s\",\"how\":\"%s\","
	            "\"code\":%d", n->sc->name, node_end_name(n->end), n->code);
}

void node_kill(struct world *w, struct node *n, enum node_end why)
{
	if (n->state == NODE_DOWN)
		return;
	kill(n->pid, SIGKILL);
	reap(w, n, why);
}

void node_make_ready(struct world *w, struct node *n)
{
	if (n->state != NODE_WAITING)
		return;
	n->state = NODE_READY;
	if (w->nready == w->ready_cap) {
		w->ready_cap = w->ready_cap ? 2 * w->ready_cap : 64;
		w->ready = realloc(w->ready, w->ready_cap * sizeof(*w->ready));
		if (!w->ready)
			sim_fatal("out of memory");
	}
	w->ready[w->nready++] = n->index;
}

void node_deliver(struct world *w, struct node *n, unsigned ifc,
                  struct frame *frame)
{
	struct pending *p = sim_alloc(sizeof(*p));
	p->next = NULL;
	p->ifc = ifc;
	p->frame = frame;
	*n->pending_tail = p;
	n->pending_tail = &p->next;
	n->npending[ifc]++;
	node_make_ready(w, n);
}

/* The frames that came since the node waited, then the time: it runs. */
static bool wake(struct world *w, struct node *n)
{
	bool ok = true;
	while (n->pending) {
		struct pending *p = n->pending;
		ok = ok && ul_host_sim_send(n->fd, SIM_FRAME, p->ifc, 0,
					    p->frame->data, p->frame->len) == 0;
		n->pending = p->next;
		free(p->frame);
		free(p);
	}
	drop_pending(n);
	return ok && ul_host_sim_send(n->fd, SIM_WAKE, 0, w->now, NULL, 0) == 0;
}

/* A node that breaks the protocol is ended: its run cannot be trusted. */
static void protocol_error(struct world *w, struct node *n, const char *what)
{
	nodelog_note(w, n, "broke the simulator's protocol: %s", what);
	node_kill(w, n, END_BROKEN);
}

static void waits(struct world *w, struct node *n, uint64_t deadline)
{
	n->state = NODE_WAITING;
	n->polls++;
	if (deadline == UINT64_MAX)
		return;
	struct event e = {
		.time = deadline > w->now ? deadline : w->now,
		.kind = EV_WAKE,
		.index = n->index,
		.gen = n->polls,
	};
	evq_push(&w->q, e);
}

/* One message from the running node; false once it waits or is gone. */
static bool serve(struct world *w, struct node *n)
{
	if (ul_host_sim_recv(n->fd, &msg) < 0) {
		if (errno == EAGAIN) {
			nodelog_note(w, n, "ran %d s of real time without waiting "
			             "in poll: killed", HUNG_SECONDS);
			node_kill(w, n, END_HUNG);
		} else if (errno == EPROTO) {
			protocol_error(w, n, "a malformed message");
		} else {
			reap(w, n, END_EXIT);
		}
		return false;
	}
	switch (msg.h.type) {
	case SIM_CONSOLE:
		nodelog_console(w, n, (const char *)msg.data, msg.len);
		return true;
	case SIM_SEND:
		if (msg.h.arg >= n->sc->nif || msg.len < UL_ETH_HLEN) {
			protocol_error(w, n, "a frame on no interface");
			return false;
		}
		fabric_send(w, n, msg.h.arg, msg.data, msg.len);
		return true;
	case SIM_POLL:
		waits(w, n, msg.h.time);
		return false;
	default:
		protocol_error(w, n, "an unknown message");
		return false;
	}
}

void node_run(struct world *w, struct node *n)
{
	n->state = NODE_WAITING; /* until it says otherwise */
	w->runs++;
	if (!n->fresh && !wake(w, n)) {
		reap(w, n, END_EXIT);
		return;
	}
	n->fresh = false;
	while (serve(w, n))
		;
}
