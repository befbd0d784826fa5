/* The network as a drawing: topology.dot (Graphviz), nodes as boxes with
 * their image, switches as ellipses, each link an edge labelled with its
 * name and the settings that differ from a plain wire; with --svg, dot
 * renders it to topology.svg. */
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "sim.h"
#include "units.h"

extern char **environ;

struct label {
	char buf[256];
	size_t len;
	const char *sep; /* before the next part */
};

static void add(struct label *l, const char *what, const char *value)
{
	int n = snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%s%s%s",
	                 l->sep, what, value);
	if (n > 0)
		l->len += (size_t)n < sizeof(l->buf) - l->len
		          ? (size_t)n : sizeof(l->buf) - l->len - 1;
	l->sep = ", ";
}

/* "a-b\n50ms, jitter 5ms, 10Mbit/s, loss 1%": the settings that make the
 * link more than a plain wire. */
static void link_label(const struct sc_link *sl, struct label *l)
{
	const struct link_params *p = &sl->p;
	char v[32];
	l->len = 0;
	l->sep = "";
	add(l, "", sl->name);
	l->sep = "\\n";
	if (p->latency)
		add(l, "", format_duration(p->latency, v));
	if (p->jitter)
		add(l, "jitter ", format_duration(p->jitter, v));
	if (p->bandwidth != SC_NO_LIMIT)
		add(l, "", strcat(format_rate(p->bandwidth, v), "/s"));
	if (p->loss)
		add(l, "loss ", format_percent(p->loss, v));
	if (p->duplicate)
		add(l, "duplicate ", format_percent(p->duplicate, v));
	if (p->reorder)
		add(l, "reorder ", format_percent(p->reorder, v));
	if (p->corrupt)
		add(l, "corrupt ", format_percent(p->corrupt, v));
}

/* Text inside a DOT string: quotes and backslashes escaped. Names are
 * safe by their syntax; an image path may hold anything. */
static void quoted(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static int write_dot(const struct world *w, const char *path)
{
	const struct scenario *sc = w->sc;
	FILE *f = fopen(path, "we");
	if (!f) {
		fprintf(stderr, "unilab-sim: cannot create %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	fprintf(f, "graph scenario {\n"
	        "\tgraph [layout=neato, mode=KK, overlap=false, splines=true, "
	        "fontname=\"Helvetica\"];\n"
	        "\tnode [fontname=\"Helvetica\", fontsize=11];\n"
	        "\tedge [fontname=\"Helvetica\", fontsize=9, len=3];\n");
	for (unsigned i = 0; i < sc->nnodes; i++) {
		fprintf(f, "\t\"%s\" [shape=box, label=\"%s\\n",
		        sc->nodes[i].name, sc->nodes[i].name);
		quoted(f, sc->nodes[i].image);
		fprintf(f, "\"];\n");
	}
	for (unsigned i = 0; i < sc->nswitches; i++)
		fprintf(f, "\t\"%s\" [shape=ellipse, style=filled, "
		        "fillcolor=\"#dde6f0\"];\n", sc->switches[i].name);
	for (unsigned i = 0; i < sc->nlinks; i++) {
		const struct sc_link *l = &sc->links[i];
		struct label label;
		link_label(l, &label);
		fprintf(f, "\t\"%s\" -- \"%s\" [label=\"%s\"];\n",
		        sim_end_name(w, &l->end[0]), sim_end_name(w, &l->end[1]),
		        label.buf);
	}
	fprintf(f, "}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "unilab-sim: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static int render(const char *dot_path, const char *svg_path)
{
	char *argv[] = {"dot", "-Tsvg", (char *)dot_path, "-o",
	                (char *)svg_path, NULL};
	pid_t pid;
	int status, r = posix_spawnp(&pid, "dot", NULL, NULL, argv, environ);
	if (r != 0) {
		fprintf(stderr, "unilab-sim: --svg: cannot run dot (%s); it "
		        "comes with Graphviz: apt-get install graphviz\n",
		        strerror(r));
		return -1;
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "unilab-sim: --svg: dot failed on %s\n", dot_path);
		return -1;
	}
	return 0;
}

int topology_write(const struct world *w, bool svg)
{
	char dot_path[PATH_MAX], svg_path[PATH_MAX];
	sim_path(w, "topology.dot", dot_path);
	sim_path(w, "topology.svg", svg_path);
	if (write_dot(w, dot_path) < 0)
		return -1;
	return svg ? render(dot_path, svg_path) : 0;
}
