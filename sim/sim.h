/* The simulator's run: the world every part works on (the virtual clock,
 * the event queue, the nodes' processes, the links and switches, the
 * outputs) and the functions each file offers the others. */
#ifndef UL_SIM_SIM_H
#define UL_SIM_SIM_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "evq.h"
#include "link.h"
#include "scenario.h"
#include "switch.h"

struct ul_host_pcap;

/* A frame on its way: each hop and each copy has its own. */
struct frame {
	uint64_t id;     /* the same for every copy of one node's send */
	unsigned origin; /* the node that sent it */
	size_t len;
	uint8_t data[];
};

struct link {
	const struct sc_link *sc;
	struct link_params p; /* as now: `set` changes them */
	bool up;
	uint64_t epoch; /* counts downs: frames sent before one are lost */
	struct link_dir dir[2];
	struct ul_host_pcap *pcap;
};

enum node_state {
	NODE_DOWN,    /* not started yet, ended, or killed */
	NODE_WAITING, /* blocked in poll until its deadline or a frame */
	NODE_READY,   /* due to run at the current time */
};

/* How a node's last process ended. */
enum node_end {
	END_NONE,     /* it has not ended (or never started, or was still
	                 running when the run ended) */
	END_EXIT,     /* exit status in code */
	END_SIGNAL,   /* killed by signal code, not by the scenario */
	END_KILLED,   /* by a `kill` action */
	END_HUNG,     /* ran too long in real time without waiting */
	END_BROKEN,   /* could not start, or broke the channel's protocol */
};

struct pending {
	struct pending *next;
	unsigned ifc;
	struct frame *frame;
};

struct console_line {
	char *buf;
	size_t len, cap;
	uint64_t start; /* virtual time the line's first byte came */
};

struct node {
	const struct sc_node *sc;
	unsigned index;
	enum node_state state;
	bool fresh;      /* started and not run yet: it needs no SIM_WAKE */
	pid_t pid;
	int fd;          /* the controller's end of the channel */
	uint64_t polls;  /* SIM_POLLs so far: stale wake events are ignored */
	uint64_t wall_skew; /* ns the node's wall clock is ahead */
	uint8_t mac[SIM_NET_MAX][UL_ETH_ADDR_LEN];
	struct pending *pending, **pending_tail; /* frames for the next wake */
	unsigned npending[SIM_NET_MAX];
	unsigned group;  /* partition group; 0 when healed */
	unsigned starts;
	enum node_end end;
	int code;
	uint64_t end_time;
	FILE *log;
	struct console_line line;
};

struct world {
	struct scenario *sc;
	const char *out_dir;
	bool echo;          /* console lines to stdout as well */
	uint64_t seed, until, now;
	struct evq q;
	struct node *nodes;
	struct link *links;
	struct sw *switches;
	unsigned *ready, nready, ready_cap; /* nodes due now, in order */
	uint64_t frame_ids;
	FILE *trace;
	unsigned restarts_left; /* restart actions still to come */
	const char *ended; /* why the run ended */
	uint64_t events, runs; /* for the performance figures */
};

/* world.c, helpers: print "unilab-sim: ..." and exit 2 (the simulator
 * itself cannot go on); allocate or die. */
_Noreturn void sim_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
void *sim_alloc(size_t size);
/* out_dir/name, in a buffer of PATH_MAX. */
void sim_path(const struct world *w, const char *name, char *path);
/* The name of the node or switch at a link's end. */
const char *sim_end_name(const struct world *w, const struct sc_end *e);

/* world.c: set up the run from its scenario (links, switches, nodes'
 * state, the output folder and files) and take it down. */
void world_init(struct world *w, struct scenario *sc, const char *out_dir,
                uint64_t seed, uint64_t until);
void world_free(struct world *w);

/* node.c: the nodes' processes. */
void node_start(struct world *w, struct node *n);
void node_run(struct world *w, struct node *n);
void node_kill(struct world *w, struct node *n, enum node_end why);
const char *node_end_name(enum node_end end);
/* Queue frame for the node's next wake-up and make it due. */
void node_deliver(struct world *w, struct node *n, unsigned ifc,
                  struct frame *frame);
void node_make_ready(struct world *w, struct node *n);

/* fabric.c: frames across links and switches. */
void fabric_send(struct world *w, struct node *n, unsigned ifc,
                 const void *data, size_t len);
void fabric_arrive(struct world *w, const struct event *e);

/* run.c: the virtual clock and the main loop. */
void run(struct world *w);

/* nodelog.c: each node's console log, stamped with virtual time. */
void nodelog_open(struct world *w, struct node *n);
void nodelog_console(struct world *w, struct node *n, const char *buf,
                     size_t len);
void nodelog_note(struct world *w, struct node *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void nodelog_close(struct world *w, struct node *n);

/* trace.c: the JSON-lines trace of frames and events. */
void trace_open(struct world *w);
void trace_frame(struct world *w, const char *event, const struct link *l,
                 unsigned dir, const struct frame *f, const char *extra);
void trace_event(struct world *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void trace_close(struct world *w);

/* topology.c: the network as a Graphviz graph; render runs dot -Tsvg.
 * 0, or -1 with a message printed. */
int topology_write(const struct world *w, bool render);

/* summary.c: per-link and per-node results, to summary.txt and stdout.
 * Returns true when every node did what it should. */
bool summary_write(const struct world *w);

#endif
