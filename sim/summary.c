/* The run's summary, summary.txt (and stdout): how and when it ended, each
 * link direction's frames, bytes and drops by reason, and how each node
 * ended. It holds only virtual-time facts, so it is the same on every run
 * of the same scenario and seed. */
#include <string.h>

#include "sim.h"
#include "units.h"

/* " name count" for each non-zero count, into buf. */
struct notes {
	char buf[256];
	size_t len;
};

static void note(struct notes *n, const char *name, uint64_t count)
{
	if (count == 0 || n->len >= sizeof(n->buf) - 1)
		return;
	int r = snprintf(n->buf + n->len, sizeof(n->buf) - n->len, " %s %llu",
	                 name, (unsigned long long)count);
	if (r > 0)
		n->len += (size_t)r;
}

/* One line per direction: frames offered, delivered, bytes delivered,
 * dropped; then the drops by reason and what the faults did. */
static void link_lines(FILE *f, const struct world *w, const struct link *l)
{
	for (unsigned d = 0; d < 2; d++) {
		const struct link_stats *st = &l->dir[d].st;
		char dir[2 * SC_NAME_MAX + 8];
		struct notes drops = {.len = 0}, faults = {.len = 0};
		uint64_t dropped = 0;
		snprintf(dir, sizeof(dir), "%s>%s", sim_end_name(w, &l->sc->end[d]),
		         sim_end_name(w, &l->sc->end[1 - d]));
		for (int r = 0; r < DROP_REASONS; r++) {
			dropped += st->dropped[r];
			note(&drops, drop_name((enum drop_reason)r), st->dropped[r]);
		}
		note(&faults, "duplicated", st->duplicated);
		note(&faults, "reordered", st->reordered);
		note(&faults, "corrupted", st->corrupted);
		fprintf(f, "  %-16s %-24s %9llu %9llu %12llu %8llu%s%s%s%s\n",
		        l->sc->name, dir, (unsigned long long)st->sent,
		        (unsigned long long)st->delivered,
		        (unsigned long long)st->bytes, (unsigned long long)dropped,
		        dropped ? " :" : "", drops.buf, faults.len ? "; " : "",
		        faults.len ? faults.buf + 1 : "");
	}
}

/* How the node ended, and whether that is what the scenario asked for. */
static bool node_line(FILE *f, const struct node *n)
{
	char t[32];
	format_time(n->end_time, t);
	fprintf(f, "  %-16s ", n->sc->name);
	switch (n->end) {
	case END_EXIT:
		fprintf(f, "exited with status %d at %s\n", n->code, t);
		return n->code == 0;
	case END_SIGNAL:
		fprintf(f, "killed by signal %d (%s) at %s\n", n->code,
		        strsignal(n->code), t);
		return false;
	case END_KILLED:
		fprintf(f, "killed by the scenario at %s\n", t);
		return true;
	case END_HUNG:
		fprintf(f, "hung (ran without waiting) at %s\n", t);
		return false;
	case END_BROKEN:
		fprintf(f, "broken (could not start, or broke the protocol; see "
		        "its log) at %s\n", t);
		return false;
	case END_NONE:
		break;
	}
	if (n->sc->daemon) {
		fprintf(f, "still running at the end (a daemon)\n");
		return true;
	}
	fprintf(f, "still running at the end: it did not finish\n");
	return false;
}

/* Where to look when node n failed: its console log and its stderr (the
 * backend's own messages: a bad option, a sanitizer report). dir is the
 * output folder, or NULL for the summary file beside them, which must not
 * depend on where the run was written (runs are compared byte for byte). */
static void see_files(FILE *f, const struct node *n, const char *dir)
{
	const char *name = n->sc->name;
	if (dir)
		fprintf(f, "  %-16s see %s/%s.log and %s/%s.stderr\n", "", dir,
		        name, dir, name);
	else
		fprintf(f, "  %-16s see %s.log and %s.stderr\n", "", name, name);
}

static bool write_to(FILE *f, const struct world *w, const char *dir)
{
	char t[32];
	bool ok = true;
	fprintf(f, "scenario %s, seed %llu\n", w->sc->path,
	        (unsigned long long)w->seed);
	fprintf(f, "ended at %s s of virtual time: %s\n", format_time(w->now, t),
	        w->ended);
	fprintf(f, "\nlinks            direction                     sent "
	        "delivered        bytes  dropped\n");
	for (unsigned i = 0; i < w->sc->nlinks; i++)
		link_lines(f, w, &w->links[i]);
	fprintf(f, "\nnodes\n");
	for (unsigned i = 0; i < w->sc->nnodes; i++) {
		if (!node_line(f, &w->nodes[i])) {
			see_files(f, &w->nodes[i], dir);
			ok = false;
		}
	}
	fprintf(f, "\nresult: %s\n", ok ? "ok" : "FAILED");
	return ok;
}

bool summary_write(const struct world *w)
{
	char path[PATH_MAX];
	sim_path(w, "summary.txt", path);
	FILE *f = fopen(path, "we");
	if (!f)
		sim_fatal("cannot create %s", path);
	write_to(f, w, NULL);
	if (fclose(f) != 0)
		sim_fatal("cannot write %s", path);
	return write_to(stdout, w, w->out_dir);
}
