/* A scenario as written in its file (docs/sim.md): the nodes, switches and
 * links of the network and the events at virtual times. Pure data, checked
 * as it is read; the run (sim.h) keeps its own state beside it. */
#ifndef UL_SIM_SCENARIO_H
#define UL_SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "abi.h" /* SIM_NET_MAX: interfaces per node */

#define SC_NAME_MAX 32
#define SC_NODES_MAX 4096
#define SC_NO_LIMIT UINT64_MAX

/* How a link treats frames, each direction on its own. Probabilities are
 * parts per billion (1% = 10000000) so every draw is integer arithmetic. */
struct link_params {
	uint64_t latency;       /* ns, one way */
	uint64_t jitter;        /* ns: each frame's latency varies by +-jitter */
	uint64_t bandwidth;     /* bit/s; SC_NO_LIMIT: no serialisation delay */
	uint64_t reorder_delay; /* ns: a reordered frame is held back by up to this */
	uint32_t queue;         /* frames waiting to be sent; more are dropped */
	uint32_t loss, duplicate, reorder, corrupt; /* ppb */
	uint16_t mtu;           /* largest IP payload */
};

/* Which link_params fields a `set` action changes. */
enum {
	LP_LATENCY = 1 << 0, LP_JITTER = 1 << 1, LP_BANDWIDTH = 1 << 2,
	LP_REORDER_DELAY = 1 << 3, LP_QUEUE = 1 << 4, LP_LOSS = 1 << 5,
	LP_DUPLICATE = 1 << 6, LP_REORDER = 1 << 7, LP_CORRUPT = 1 << 8,
	LP_MTU = 1 << 9,
};

/* Copy into p the fields of from that mask names. */
void link_params_apply(struct link_params *p, const struct link_params *from,
                       unsigned mask);

enum sc_end_kind { SC_NODE, SC_SWITCH };

/* One end of a link: a node's interface or a switch's port. */
struct sc_end {
	enum sc_end_kind kind;
	unsigned index; /* into nodes or switches */
	unsigned port;  /* the node's interface number / the switch's port */
};

struct sc_node {
	char name[SC_NAME_MAX + 1];
	char *image;  /* as written; image_path once resolved */
	char *image_path;
	char **args;  /* the image's command line words */
	unsigned argc;
	char *mem;    /* the image's --mem, checked; NULL: its default */
	bool daemon;  /* the run need not wait for it to end */
	unsigned links[SIM_NET_MAX]; /* interface i is on link links[i] */
	unsigned nif;
	unsigned line;
};

struct sc_switch {
	char name[SC_NAME_MAX + 1];
	uint64_t aging; /* ns a learnt address is kept unless seen again */
	unsigned *links; /* port p is on link links[p] */
	unsigned nports;
	unsigned line;
};

struct sc_link {
	char name[SC_NAME_MAX * 2 + 2];
	struct sc_end end[2];
	struct link_params p;
	unsigned line;
};

enum sc_action_kind {
	ACT_LINK_DOWN, ACT_LINK_UP, ACT_LINK_SET, ACT_PARTITION, ACT_HEAL,
	ACT_KILL, ACT_RESTART,
};

struct sc_action {
	uint64_t at;
	enum sc_action_kind kind;
	unsigned target;          /* link (LINK_*) or node (KILL, RESTART) */
	struct link_params p;     /* LINK_SET: the new values */
	unsigned mask;            /* LINK_SET: which of them */
	unsigned *group;          /* PARTITION: each node's group, 0 for the
	                             nodes named in no group */
	unsigned line;
};

struct scenario {
	const char *path;
	uint64_t seed;
	bool seed_set;
	uint64_t until; /* SC_NO_LIMIT: until the nodes are done */
	struct sc_node *nodes;
	unsigned nnodes;
	struct sc_switch *switches;
	unsigned nswitches;
	struct sc_link *links;
	unsigned nlinks;
	struct sc_action *actions;
	unsigned nactions;
};

/* Why loading failed: "FILE:LINE: what is wrong", ready to print. */
/* Errors: msg holds the latest; each is also written, as it is found, to
 * report when that is set (so that a file's every mistake is shown in one
 * pass), and counted. */
struct sc_error {
	char msg[600];
	FILE *report;
	unsigned count;
};

/* Count the error now in err->msg and write it to err->report. */
void sc_error_found(struct sc_error *err);

/* Read and check the scenario file at path, every line even after an
 * error. 0, or -1 with err. A scenario
 * whose nodes are all daemons also needs an until (the caller may give
 * one: see scenario_check_end). */
int scenario_load(const char *path, struct scenario *sc, struct sc_error *err);

/* Find each node's image (every node, even after one is missing): a word with a '/' is a path from the scenario's
 * folder; a plain NAME is build/apps/NAME/NAME.posix or
 * build/tests/images/NAME/NAME.posix under build_dir. 0, or -1 with err. */
int scenario_find_images(struct scenario *sc, const char *build_dir,
                         struct sc_error *err);

/* The run can end: some node is not a daemon, or until is set. 0, or -1
 * with err. */
int scenario_check_end(const struct scenario *sc, uint64_t until,
                       struct sc_error *err);

void scenario_free(struct scenario *sc);

#endif
