/* The virtual clock and the main loop. Time jumps from one event to the
 * next (a frame's arrival, a node's deadline, a scenario action), so idle
 * time costs nothing; at each instant the events are handled first, then
 * the nodes they made due run one at a time, in the order they became
 * due, until each waits again. */
#include <string.h>

#include "sim.h"
#include "units.h"

static void link_action(struct world *w, const struct sc_action *a)
{
	struct link *l = &w->links[a->target];
	const char *what = a->kind == ACT_LINK_DOWN ? "link-down"
	                   : a->kind == ACT_LINK_UP ? "link-up" : "link-set";
	if (a->kind == ACT_LINK_DOWN && l->up) {
		l->up = false;
		l->epoch++; /* what is on the wire now never arrives */
	} else if (a->kind == ACT_LINK_UP) {
		l->up = true;
	} else if (a->kind == ACT_LINK_SET) {
		link_params_apply(&l->p, &a->p, a->mask);
	}
	trace_event(w, "\"event\":\"%s\",\"link\":\"%s\",\"line\":%u", what,
	            l->sc->name, a->line);
}

static void partition(struct world *w, const struct sc_action *a)
{
	for (unsigned i = 0; i < w->sc->nnodes; i++)
		w->nodes[i].group = a->kind == ACT_PARTITION ? a->group[i] : 0;
	trace_event(w, "\"event\":\"%s\",\"line\":%u",
	            a->kind == ACT_PARTITION ? "partition" : "heal", a->line);
}

static void node_action(struct world *w, const struct sc_action *a)
{
	struct node *n = &w->nodes[a->target];
	bool restart = a->kind == ACT_RESTART;
	if (n->state != NODE_DOWN) {
		nodelog_note(w, n, "%s by the scenario (line %u)",
		             restart ? "restarted" : "killed", a->line);
		node_kill(w, n, END_KILLED);
	}
	if (restart) {
		w->restarts_left--;
		node_start(w, n);
	}
}

static void act(struct world *w, const struct sc_action *a)
{
	switch (a->kind) {
	case ACT_LINK_DOWN:
	case ACT_LINK_UP:
	case ACT_LINK_SET:
		link_action(w, a);
		break;
	case ACT_PARTITION:
	case ACT_HEAL:
		partition(w, a);
		break;
	case ACT_KILL:
	case ACT_RESTART:
		node_action(w, a);
		break;
	}
}

static void handle(struct world *w, const struct event *e)
{
	struct node *n;
	switch (e->kind) {
	case EV_ARRIVE:
		w->events++;
		fabric_arrive(w, e);
		break;
	case EV_WAKE:
		n = &w->nodes[e->index];
		if (n->state != NODE_WAITING || e->gen != n->polls)
			break; /* it woke earlier, or ended: a stale deadline */
		w->events++;
		node_make_ready(w, n);
		break;
	case EV_ACTION:
		w->events++;
		act(w, &w->sc->actions[e->index]);
		break;
	}
}

static void run_ready(struct world *w)
{
	for (unsigned i = 0; i < w->nready; i++) {
		struct node *n = &w->nodes[w->ready[i]];
		if (n->state == NODE_READY)
			node_run(w, n);
	}
	w->nready = 0;
}

/* Every node the run waits for has ended, and no restart is to come. */
static bool all_done(const struct world *w)
{
	if (w->restarts_left)
		return false;
	for (unsigned i = 0; i < w->sc->nnodes; i++)
		if (!w->sc->nodes[i].daemon && w->nodes[i].state != NODE_DOWN)
			return false;
	return true;
}

void run(struct world *w)
{
	struct event e;
	w->restarts_left = 0;
	for (unsigned i = 0; i < w->sc->nactions; i++) {
		const struct sc_action *a = &w->sc->actions[i];
		w->restarts_left += a->kind == ACT_RESTART && a->at <= w->until;
	}
	for (unsigned i = 0; i < w->sc->nnodes; i++)
		node_start(w, &w->nodes[i]);
	for (;;) {
		run_ready(w);
		if (all_done(w)) {
			w->ended = "every node it waits for has ended";
			break;
		}
		if (!evq_peek(&w->q, &e)) {
			w->ended = "nothing more can happen (every node waits "
			           "without a deadline)";
			break;
		}
		if (e.time > w->until) {
			w->now = w->until;
			w->ended = "the time limit";
			break;
		}
		w->now = e.time;
		while (evq_peek(&w->q, &e) && e.time == w->now) {
			evq_pop(&w->q, &e);
			handle(w, &e);
		}
	}
	for (unsigned i = 0; i < w->sc->nnodes; i++)
		node_kill(w, &w->nodes[i], END_NONE);
}
