/* Frames across the network: a node's frame enters the link on its
 * interface, the link model decides when (or whether) it reaches the far
 * end, and there a switch forwards it onto more links or a node takes it.
 * Every hop is traced; each link's pcap gets the frames it delivered. */
#include <stdlib.h>
#include <string.h>

#include "host_net.h"
#include "abi.h"
#include "sim.h"

static struct frame *frame_new(uint64_t id, unsigned origin, const void *data,
                               size_t len)
{
	struct frame *f = sim_alloc(sizeof(*f) + len);
	f->id = id;
	f->origin = origin;
	f->len = len;
	memcpy(f->data, data, len);
	return f;
}

static struct frame *frame_copy(const struct frame *f)
{
	return frame_new(f->id, f->origin, f->data, f->len);
}

/* Trace the frame's end on direction dir of l, and free it. */
static void drop(struct world *w, const struct link *l, unsigned dir,
                 struct frame *f, enum drop_reason why)
{
	char text[48];
	snprintf(text, sizeof(text), "\"why\":\"%s\"", drop_name(why));
	trace_frame(w, "drop", l, dir, f, text);
	free(f);
}

/* The frame enters direction dir of link l (from end dir to end 1 - dir);
 * the link takes ownership of it. A frame dropped on the way in has only
 * a "drop" in the trace; one that goes has a "send", then a "deliver" or
 * a "drop" where it arrives. */
static void enter(struct world *w, struct link *l, unsigned dir,
                  struct frame *f)
{
	struct link_dir *d = &l->dir[dir];
	struct link_fate fate;
	if (!l->up) {
		d->st.sent++;
		d->st.dropped[DROP_DOWN]++;
		drop(w, l, dir, f, DROP_DOWN);
		return;
	}
	if (!link_transmit(d, &l->p, f->len, w->now, &fate)) {
		drop(w, l, dir, f, fate.why);
		return;
	}
	trace_frame(w, "send", l, dir, f, NULL);
	if (fate.corrupt_bit >= 0)
		f->data[fate.corrupt_bit / 8] ^= (uint8_t)(1u << fate.corrupt_bit % 8);
	struct event e = {
		.time = fate.arrive,
		.kind = EV_ARRIVE,
		.index = (unsigned)(l - w->links),
		.dir = dir,
		.gen = l->epoch,
		.flags = (fate.reordered ? ARRIVE_REORDERED : 0) |
		         (fate.corrupt_bit >= 0 ? ARRIVE_CORRUPTED : 0),
		.frame = f,
	};
	evq_push(&w->q, e);
	if (fate.copies == 2) {
		e.frame = frame_copy(f);
		e.flags |= ARRIVE_DUPLICATE;
		evq_push(&w->q, e);
	}
}

/* The direction in which a node's interface sends on its link. */
static unsigned dir_from(const struct sc_link *l, enum sc_end_kind kind,
                         unsigned index, unsigned port)
{
	const struct sc_end *e = &l->end[0];
	return e->kind == kind && e->index == index && e->port == port ? 0 : 1;
}

void fabric_send(struct world *w, struct node *n, unsigned ifc,
                 const void *data, size_t len)
{
	struct link *l = &w->links[n->sc->links[ifc]];
	struct frame *f = frame_new(++w->frame_ids, n->index, data, len);
	enter(w, l, dir_from(l->sc, SC_NODE, n->index, ifc), f);
}

/* Out of every port of switch s but in_port (or only out_port). */
static void switch_out(struct world *w, unsigned s, unsigned in_port,
                       int out_port, const struct frame *f)
{
	const struct sc_switch *sc = &w->sc->switches[s];
	for (unsigned p = 0; p < sc->nports; p++) {
		if (p == in_port || (out_port >= 0 && p != (unsigned)out_port))
			continue;
		struct link *l = &w->links[sc->links[p]];
		enter(w, l, dir_from(l->sc, SC_SWITCH, s, p), frame_copy(f));
	}
}

/* Why a node cannot take a frame now, or -1 when it can. */
static int refusal(const struct world *w, const struct node *n,
                   const struct frame *f, unsigned ifc)
{
	if (n->state == NODE_DOWN)
		return DROP_NODE_DOWN;
	if (w->nodes[f->origin].group != n->group)
		return DROP_PARTITION;
	if (n->npending[ifc] >= SIM_RX_RING)
		return DROP_RX_FULL;
	return -1;
}

void fabric_arrive(struct world *w, const struct event *e)
{
	struct link *l = &w->links[e->index];
	struct frame *f = e->frame;
	const struct sc_end *far = &l->sc->end[1 - e->dir];
	int why = -1;
	if (!l->up || e->gen != l->epoch)
		why = DROP_DOWN;
	else if (far->kind == SC_NODE)
		why = refusal(w, &w->nodes[far->index], f, far->port);
	if (why >= 0) {
		l->dir[e->dir].st.dropped[why]++;
		drop(w, l, e->dir, f, (enum drop_reason)why);
		return;
	}
	struct link_stats *st = &l->dir[e->dir].st;
	st->delivered++;
	st->bytes += f->len;
	ul_host_pcap_write(l->pcap, w->now, f->data, f->len);
	char marks[80];
	snprintf(marks, sizeof(marks), "%s%s%s",
	         e->flags & ARRIVE_DUPLICATE ? ",\"duplicate\":true" : "",
	         e->flags & ARRIVE_REORDERED ? ",\"reordered\":true" : "",
	         e->flags & ARRIVE_CORRUPTED ? ",\"corrupted\":true" : "");
	trace_frame(w, "deliver", l, e->dir, f, marks[0] ? marks + 1 : NULL);
	if (far->kind == SC_NODE) {
		node_deliver(w, &w->nodes[far->index], far->port, f);
		return;
	}
	int out = sw_forward(&w->switches[far->index], f->data, far->port,
	                     w->now);
	if (out != SW_FILTER)
		switch_out(w, far->index, far->port, out, f);
	free(f);
}
