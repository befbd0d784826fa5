/* The run's world: built from the scenario (each link's state and pcap,
 * each switch's table, each node's slot), the output folder made ready,
 * and all of it taken down at the end; plus the helpers every file uses. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_net.h"
#include "rng.h"
#include "sim.h"

_Noreturn void sim_fatal(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fprintf(stderr, "unilab-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

void *sim_alloc(size_t size)
{
	void *p = malloc(size);
	if (!p)
		sim_fatal("out of memory");
	return p;
}

void sim_path(const struct world *w, const char *name, char *path)
{
	if (snprintf(path, PATH_MAX, "%s/%s", w->out_dir, name) >= PATH_MAX)
		sim_fatal("output path too long: %s/%s", w->out_dir, name);
}

const char *sim_end_name(const struct world *w, const struct sc_end *e)
{
	return e->kind == SC_NODE ? w->sc->nodes[e->index].name
	                          : w->sc->switches[e->index].name;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define MARKER ".unilab-sim" /* marks a folder as a run's output */

static bool is_output(const char *name)
{
	return ends_with(name, ".log") || ends_with(name, ".pcap") ||
	       ends_with(name, ".stderr") || strcmp(name, "trace.jsonl") == 0 ||
	       strcmp(name, "summary.txt") == 0 ||
	       strcmp(name, "topology.dot") == 0 ||
	       strcmp(name, "topology.svg") == 0;
}

static void make_dirs(const char *dir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		sim_fatal("cannot create the output folder %s: %s", dir,
		          strerror(errno));
}

/* Make the folder and clear what an earlier run left there, so nothing
 * stale is taken for this run's output. Only a folder the simulator made
 * (it holds MARKER) is cleared, and only of the kinds of files a run
 * writes: anything else in a folder given by mistake is left alone. */
static void prepare_out(const char *dir)
{
	make_dirs(dir);
	DIR *d = opendir(dir);
	if (!d)
		sim_fatal("cannot open the output folder %s: %s", dir,
		          strerror(errno));
	bool ours = faccessat(dirfd(d), MARKER, F_OK, 0) == 0, empty = true;
	struct dirent *e;
	while ((e = readdir(d)))
		empty &= strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	if (!ours && !empty)
		sim_fatal("the output folder %s is not empty and not one the "
		          "simulator made; give another --out", dir);
	rewinddir(d);
	while ((e = readdir(d)))
		if (is_output(e->d_name))
			unlinkat(dirfd(d), e->d_name, 0);
	int fd = openat(dirfd(d), MARKER, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		sim_fatal("cannot write in the output folder %s: %s", dir,
		          strerror(errno));
	close(fd);
	closedir(d);
}

static void init_links(struct world *w)
{
	const struct scenario *sc = w->sc;
	w->links = calloc(sc->nlinks, sizeof(*w->links));
	if (sc->nlinks && !w->links)
		sim_fatal("out of memory");
	for (unsigned i = 0; i < sc->nlinks; i++) {
		struct link *l = &w->links[i];
		char name[SC_NAME_MAX * 2 + 8], path[PATH_MAX];
		struct ul_host_error err;
		l->sc = &sc->links[i];
		l->p = l->sc->p;
		l->up = true;
		link_dir_init(&l->dir[0], w->seed, l->sc->name, 0);
		link_dir_init(&l->dir[1], w->seed, l->sc->name, 1);
		snprintf(name, sizeof(name), "%s.pcap", l->sc->name);
		sim_path(w, name, path);
		if (ul_host_pcap_open(path, &l->pcap, &err) < 0)
			sim_fatal("%s", err.msg);
	}
}

/* A node's wall clock is ahead of the epoch by a fraction of a second of
 * its own, as real machines' clocks disagree; it also keeps nodes that
 * boot together from seeding their random numbers alike. */
static uint64_t wall_skew(uint64_t seed, const char *node)
{
	char name[SC_NAME_MAX + 16];
	struct rng r;
	snprintf(name, sizeof(name), "node %s clock", node);
	rng_seed(&r, seed, name);
	return rng_below(&r, 1000000000);
}

void world_init(struct world *w, struct scenario *sc, const char *out_dir,
                uint64_t seed, uint64_t until)
{
	w->sc = sc;
	w->out_dir = out_dir;
	w->seed = seed;
	w->until = until;
	prepare_out(out_dir);
	trace_open(w);
	init_links(w);
	w->switches = calloc(sc->nswitches, sizeof(*w->switches));
	w->nodes = calloc(sc->nnodes, sizeof(*w->nodes));
	if ((sc->nswitches && !w->switches) || !w->nodes)
		sim_fatal("out of memory");
	for (unsigned i = 0; i < sc->nswitches; i++)
		sw_init(&w->switches[i], sc->switches[i].aging);
	for (unsigned i = 0; i < sc->nnodes; i++) {
		struct node *n = &w->nodes[i];
		n->sc = &sc->nodes[i];
		n->index = i;
		n->fd = -1;
		n->pending_tail = &n->pending;
		n->wall_skew = wall_skew(seed, n->sc->name);
	}
	for (unsigned i = 0; i < sc->nactions; i++) {
		struct event e = {.time = sc->actions[i].at, .kind = EV_ACTION,
		                  .index = i};
		evq_push(&w->q, e);
	}
}

/* A node's stderr file is only worth keeping when something was said. */
static void remove_if_empty(const struct world *w, const struct node *n)
{
	char name[SC_NAME_MAX + 16], path[PATH_MAX];
	struct stat st;
	snprintf(name, sizeof(name), "%s.stderr", n->sc->name);
	sim_path(w, name, path);
	if (stat(path, &st) == 0 && st.st_size == 0)
		unlink(path);
}

void world_free(struct world *w)
{
	struct event e;
	while (evq_pop(&w->q, &e))
		free(e.frame);
	evq_free(&w->q);
	for (unsigned i = 0; i < w->sc->nlinks; i++) {
		ul_host_pcap_close(w->links[i].pcap);
		link_dir_free(&w->links[i].dir[0]);
		link_dir_free(&w->links[i].dir[1]);
	}
	for (unsigned i = 0; i < w->sc->nnodes; i++) {
		nodelog_close(w, &w->nodes[i]);
		remove_if_empty(w, &w->nodes[i]);
	}
	trace_close(w);
	free(w->links);
	free(w->switches);
	free(w->nodes);
	free(w->ready);
}
