/* The scenario file reader: one statement per line, checked as it is read,
 * so every error names its line and what is wrong there; a line with an
 * error is left out and the reading goes on, to show every error at once. This file reads
 * the lines and the declarations (nodes, switches, links); link settings
 * and actions have files of their own. The format is in docs/sim.md. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/strtol.h>

#include "scenario_parse.h"
#include "units.h"

#define MIN_MEM (256ull << 10) /* as the posix backend's --mem */
#define MAX_MEM (1ull << 40)

int sc_fail(struct parser *p, const char *fmt, ...)
{
	/* Line 0: the whole file. */
	int n = p->line ? snprintf(p->err->msg, sizeof(p->err->msg), "%s:%u: ",
	                           p->sc->path, p->line)
	                : snprintf(p->err->msg, sizeof(p->err->msg), "%s: ",
	                           p->sc->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->msg + n, sizeof(p->err->msg) - (size_t)n, fmt, ap);
	va_end(ap);
	sc_error_found(p->err);
	return -1;
}

void sc_error_found(struct sc_error *err)
{
	err->count++;
	if (err->report)
		fprintf(err->report, "%s\n", err->msg);
}

static _Noreturn void out_of_memory(void)
{
	fprintf(stderr, "unilab-sim: out of memory reading the scenario\n");
	exit(2);
}

void *sc_grow(void *array, unsigned n, size_t size)
{
	void *a = realloc(array, (n + 1) * size);
	if (!a)
		out_of_memory();
	memset((char *)a + n * size, 0, size);
	return a;
}

void *sc_zalloc(size_t n, size_t size)
{
	void *a = calloc(n, size);
	if (!a)
		out_of_memory();
	return a;
}

char *sc_copy(const char *s)
{
	char *c = strdup(s);
	if (!c)
		out_of_memory();
	return c;
}

/* Split line into p->word in place: blanks separate words, a word that
 * starts with '#' starts a comment, a word in double quotes may hold
 * blanks. */
static int split(struct parser *p, char *s)
{
	p->nwords = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->nwords == MAX_WORDS)
			return sc_fail(p, "more than %d words on one line", MAX_WORDS);
		char *end;
		if (*s == '"') {
			p->word[p->nwords++] = ++s;
			end = strchr(s, '"');
			if (!end)
				return sc_fail(p, "a quoted word has no closing '\"'");
			if (end[1] != '\0' && !strchr(" \t\r", end[1]))
				return sc_fail(p, "a closing '\"' must end its word");
		} else {
			p->word[p->nwords++] = s;
			end = s + strcspn(s, " \t\r");
		}
		if (*end == '\0')
			return 0;
		*end = '\0';
		s = end + 1;
	}
}

static bool valid_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
	return n > 0 && n <= SC_NAME_MAX && s[n] == '\0' && s[0] != '.' &&
	       s[0] != '-';
}

int sc_find_node(const struct scenario *sc, const char *name)
{
	for (unsigned i = 0; i < sc->nnodes; i++)
		if (strcmp(sc->nodes[i].name, name) == 0)
			return (int)i;
	return -1;
}

int sc_find_switch(const struct scenario *sc, const char *name)
{
	for (unsigned i = 0; i < sc->nswitches; i++)
		if (strcmp(sc->switches[i].name, name) == 0)
			return (int)i;
	return -1;
}

int sc_find_link(const struct scenario *sc, const char *name)
{
	for (unsigned i = 0; i < sc->nlinks; i++)
		if (strcmp(sc->links[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A new node or switch name: well formed and not taken. */
static int check_new_name(struct parser *p, const char *what, const char *name)
{
	const struct scenario *sc = p->sc;
	int i;
	if (!valid_name(name))
		return sc_fail(p, "bad %s name '%s': use up to %d letters, digits, "
		               "'_', '.' and '-', starting with a letter or digit",
		               what, name, SC_NAME_MAX);
	if ((i = sc_find_node(sc, name)) >= 0)
		return sc_fail(p, "the name '%s' is taken by the node on line %u",
		               name, sc->nodes[i].line);
	if ((i = sc_find_switch(sc, name)) >= 0)
		return sc_fail(p, "the name '%s' is taken by the switch on line %u",
		               name, sc->switches[i].line);
	return 0;
}

bool sc_key_value(char *word, char **value)
{
	char *eq = strchr(word, '=');
	if (!eq)
		return false;
	*eq = '\0';
	*value = eq + 1;
	return true;
}

int sc_bad_time(struct parser *p, const char *key, const char *v)
{
	return sc_fail(p, "bad time '%s' for %s: give a number and a unit, ns, "
	               "us, ms, s or min (e.g. 20ms, 1.5s)", v, key);
}

int sc_want_words(struct parser *p, unsigned min, const char *syntax)
{
	if (p->nwords < min)
		return sc_fail(p, "too few words: the syntax is '%s'", syntax);
	return 0;
}

/* seed N */
static int stmt_seed(struct parser *p)
{
	if (p->nwords != 2 ||
	    parse_count(p->word[1], UINT64_MAX, &p->sc->seed) < 0)
		return sc_fail(p, "the syntax is 'seed N' with N a whole number");
	p->sc->seed_set = true;
	return 0;
}

/* until TIME */
static int stmt_until(struct parser *p)
{
	if (p->nwords != 2)
		return sc_fail(p, "the syntax is 'until TIME' (e.g. until 30s)");
	if (parse_time(p->word[1], &p->sc->until) < 0)
		return sc_bad_time(p, "until", p->word[1]);
	return 0;
}

/* node NAME [mem=SIZE] [daemon=yes|no] IMAGE [ARG...] */
static int stmt_node(struct parser *p)
{
	struct scenario *sc = p->sc;
	if (sc_want_words(p, 3, "node NAME [mem=SIZE] [daemon=yes|no] IMAGE "
	                  "[ARG...]") < 0 ||
	    check_new_name(p, "node", p->word[1]) < 0)
		return -1;
	if (sc->nnodes == SC_NODES_MAX)
		return sc_fail(p, "more than %d nodes", SC_NODES_MAX);
	sc->nodes = sc_grow(sc->nodes, sc->nnodes, sizeof(*sc->nodes));
	struct sc_node *n = &sc->nodes[sc->nnodes++];
	snprintf(n->name, sizeof(n->name), "%s", p->word[1]);
	n->line = p->line;
	unsigned i = 2;
	char *v;
	for (; i < p->nwords && sc_key_value(p->word[i], &v); i++) {
		unsigned long long mem;
		if (strcmp(p->word[i], "mem") == 0) {
			if (n->mem)
				return sc_fail(p, "node %s: mem given twice", n->name);
			if (ul_parse_size(v, &mem) < 0 || mem < MIN_MEM ||
			    mem > MAX_MEM)
				return sc_fail(p, "bad mem '%s': give a size from 256K "
				               "to 1T (e.g. 16M)", v);
			n->mem = sc_copy(v);
		} else if (strcmp(p->word[i], "daemon") == 0) {
			if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
				return sc_fail(p, "bad daemon '%s': give yes or no", v);
			n->daemon = strcmp(v, "yes") == 0;
		} else {
			return sc_fail(p, "unknown node key '%s' (the keys are mem and "
			               "daemon; then come the image and its arguments)",
			               p->word[i]);
		}
	}
	if (i == p->nwords)
		return sc_fail(p, "node %s has no image: the syntax is 'node NAME "
		               "[mem=SIZE] [daemon=yes|no] IMAGE [ARG...]'", n->name);
	n->image = sc_copy(p->word[i++]);
	n->argc = p->nwords - i;
	n->args = sc_zalloc(n->argc + 1, sizeof(char *));
	for (unsigned a = 0; a < n->argc; a++)
		n->args[a] = sc_copy(p->word[i + a]);
	return 0;
}

/* switch NAME [aging=TIME] */
static int stmt_switch(struct parser *p)
{
	struct scenario *sc = p->sc;
	if (sc_want_words(p, 2, "switch NAME [aging=TIME]") < 0 ||
	    check_new_name(p, "switch", p->word[1]) < 0)
		return -1;
	sc->switches = sc_grow(sc->switches, sc->nswitches, sizeof(*sc->switches));
	p->sw_root = sc_grow(p->sw_root, sc->nswitches, sizeof(*p->sw_root));
	p->sw_root[sc->nswitches] = sc->nswitches;
	struct sc_switch *s = &sc->switches[sc->nswitches++];
	snprintf(s->name, sizeof(s->name), "%s", p->word[1]);
	s->line = p->line;
	s->aging = 300000000000ull; /* 300 s, as IEEE 802.1D recommends */
	for (unsigned i = 2; i < p->nwords; i++) {
		char *v;
		if (!sc_key_value(p->word[i], &v) || strcmp(p->word[i], "aging") != 0)
			return sc_fail(p, "unknown switch setting '%s' (the only key "
			               "is aging=TIME)", p->word[i]);
		if (parse_time(v, &s->aging) < 0 || s->aging == 0)
			return sc_bad_time(p, "aging", v);
	}
	return 0;
}

static unsigned sw_find_root(struct parser *p, unsigned s)
{
	while (p->sw_root[s] != s)
		s = p->sw_root[s] = p->sw_root[p->sw_root[s]];
	return s;
}

/* Resolve a link end's name; the port numbers are given later. */
static int link_end(struct parser *p, const char *name, struct sc_end *end)
{
	int i;
	if ((i = sc_find_node(p->sc, name)) >= 0) {
		end->kind = SC_NODE;
	} else if ((i = sc_find_switch(p->sc, name)) >= 0) {
		end->kind = SC_SWITCH;
	} else {
		return sc_fail(p, "unknown node or switch '%s' (declare it on a "
		               "line before the links that use it)", name);
	}
	end->index = (unsigned)i;
	return 0;
}

/* Learning switches without a spanning tree would flood a frame around a
 * loop forever, so links between switches must form a forest. */
static int check_no_switch_loop(struct parser *p, const struct sc_link *l)
{
	if (l->end[0].kind != SC_SWITCH || l->end[1].kind != SC_SWITCH)
		return 0;
	unsigned a = sw_find_root(p, l->end[0].index);
	unsigned b = sw_find_root(p, l->end[1].index);
	if (a == b)
		return sc_fail(p, "link %s closes a loop of switches: learning "
		               "switches have no spanning tree, so a loop would flood "
		               "frames forever", l->name);
	p->sw_root[a] = b;
	return 0;
}

/* Give end its port: the node's next interface or the switch's next port. */
static int attach_end(struct parser *p, struct sc_end *end, unsigned link)
{
	struct scenario *sc = p->sc;
	if (end->kind == SC_NODE) {
		struct sc_node *n = &sc->nodes[end->index];
		if (n->nif == SIM_NET_MAX)
			return sc_fail(p, "node %s would have more than %d interfaces",
			               n->name, SIM_NET_MAX);
		end->port = n->nif;
		n->links[n->nif++] = link;
	} else {
		struct sc_switch *s = &sc->switches[end->index];
		s->links = sc_grow(s->links, s->nports, sizeof(*s->links));
		end->port = s->nports;
		s->links[s->nports++] = link;
	}
	return 0;
}

/* link END END [name=NAME] [KEY=VALUE...] */
static int stmt_link(struct parser *p)
{
	struct scenario *sc = p->sc;
	struct sc_link l = {.p = p->defaults, .line = p->line};
	if (sc_want_words(p, 3, "link END END [name=NAME] [KEY=VALUE...]") < 0 ||
	    link_end(p, p->word[1], &l.end[0]) < 0 ||
	    link_end(p, p->word[2], &l.end[1]) < 0)
		return -1;
	if (strcmp(p->word[1], p->word[2]) == 0)
		return sc_fail(p, "a link from %s to itself", p->word[1]);
	snprintf(l.name, sizeof(l.name), "%s-%s", p->word[1], p->word[2]);
	unsigned first = 3, mask = 0;
	if (p->nwords > 3 && strncmp(p->word[3], "name=", 5) == 0) {
		const char *v = p->word[3] + 5;
		if (!valid_name(v))
			return sc_fail(p, "bad link name '%s': use up to %d letters, "
			               "digits, '_', '.' and '-'", v, SC_NAME_MAX);
		snprintf(l.name, sizeof(l.name), "%s", v);
		first = 4;
	}
	int other = sc_find_link(sc, l.name);
	if (other >= 0)
		return sc_fail(p, "a link named %s is already on line %u; give this "
		               "one its own name=NAME (right after its ends)",
		               l.name, sc->links[other].line);
	if (sc_link_keys(p, first, &l.p, &mask) < 0 ||
	    check_no_switch_loop(p, &l) < 0 ||
	    attach_end(p, &l.end[0], sc->nlinks) < 0 ||
	    attach_end(p, &l.end[1], sc->nlinks) < 0)
		return -1;
	sc->links = sc_grow(sc->links, sc->nlinks, sizeof(*sc->links));
	sc->links[sc->nlinks++] = l;
	return 0;
}

/* defaults KEY=VALUE...: for the links declared after it */
static int stmt_defaults(struct parser *p)
{
	unsigned mask = 0;
	if (sc_want_words(p, 2, "defaults KEY=VALUE...") < 0)
		return -1;
	return sc_link_keys(p, 1, &p->defaults, &mask);
}

static int statement(struct parser *p)
{
	static const struct {
		const char *word;
		int (*parse)(struct parser *);
	} stmts[] = {
		{"seed", stmt_seed}, {"until", stmt_until}, {"node", stmt_node},
		{"switch", stmt_switch}, {"link", stmt_link},
		{"defaults", stmt_defaults}, {"at", sc_stmt_at},
	};
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (strcmp(p->word[0], stmts[i].word) == 0)
			return stmts[i].parse(p);
	return sc_fail(p, "unknown statement '%s' (the statements are seed, "
	               "until, node, switch, link, defaults and at)", p->word[0]);
}

/* What only the whole file can tell. */
static int check_whole(struct parser *p)
{
	if (p->sc->nnodes == 0)
		return sc_fail(p, "no nodes: declare some with 'node NAME IMAGE "
		               "[ARG...]'");
	return 0;
}

int scenario_load(const char *path, struct scenario *sc, struct sc_error *err)
{
	memset(sc, 0, sizeof(*sc));
	sc->path = path;
	sc->until = SC_NO_LIMIT;
	struct parser p = {.sc = sc, .err = err, .defaults = sc_default_params};
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot read scenario %s: %s",
		         path, strerror(errno));
		sc_error_found(err);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	unsigned before = err->count;
	while (getline(&line, &cap, f) >= 0) {
		p.line++;
		line[strcspn(line, "\n")] = '\0';
		if (split(&p, line) == 0 && p.nwords > 0)
			statement(&p);
	}
	p.line = 0;
	if (ferror(f))
		sc_fail(&p, "read error: %s", strerror(errno));
	/* "No nodes" after a node line was refused would only repeat it. */
	if (err->count == before)
		check_whole(&p);
	free(line);
	free(p.sw_root);
	fclose(f);
	return err->count == before ? 0 : -1;
}

int scenario_check_end(const struct scenario *sc, uint64_t until,
                       struct sc_error *err)
{
	for (unsigned i = 0; i < sc->nnodes; i++)
		if (!sc->nodes[i].daemon)
			return 0;
	if (until != SC_NO_LIMIT)
		return 0;
	snprintf(err->msg, sizeof(err->msg), "%s: every node is a daemon and "
	         "there is no 'until' (nor --until): the run would never end",
	         sc->path);
	sc_error_found(err);
	return -1;
}

void scenario_free(struct scenario *sc)
{
	for (unsigned i = 0; i < sc->nnodes; i++) {
		struct sc_node *n = &sc->nodes[i];
		for (unsigned a = 0; a < n->argc; a++)
			free(n->args[a]);
		free(n->args);
		free(n->image);
		free(n->image_path);
		free(n->mem);
	}
	for (unsigned i = 0; i < sc->nswitches; i++)
		free(sc->switches[i].links);
	for (unsigned i = 0; i < sc->nactions; i++)
		free(sc->actions[i].group);
	free(sc->nodes);
	free(sc->switches);
	free(sc->links);
	free(sc->actions);
}
