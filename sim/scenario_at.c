/* Scenario files: `at TIME ACTION...` lines, the events of a run (links
 * down, up and changed, partitions, nodes killed and restarted). */
#include <stdlib.h>
#include <string.h>

#include "scenario_parse.h"
#include "units.h"

static int action_link(struct parser *p, struct sc_action *a)
{
	if (p->nwords < 5)
		return sc_fail(p, "the syntax is 'at TIME link NAME down', '... up' "
		               "or '... set KEY=VALUE...'");
	int l = sc_find_link(p->sc, p->word[3]);
	if (l < 0)
		return sc_fail(p, "unknown link '%s' (a link is named END-END, or "
		               "by its name=, on a line before this one)", p->word[3]);
	a->target = (unsigned)l;
	const char *verb = p->word[4];
	if (strcmp(verb, "set") == 0) {
		a->kind = ACT_LINK_SET;
		if (p->nwords == 5)
			return sc_fail(p, "'set' needs at least one KEY=VALUE");
		return sc_link_keys(p, 5, &a->p, &a->mask);
	}
	if (p->nwords != 5 || (strcmp(verb, "down") != 0 && strcmp(verb, "up") != 0))
		return sc_fail(p, "unknown link action '%s' (give down, up or set "
		               "KEY=VALUE...)", verb);
	a->kind = strcmp(verb, "down") == 0 ? ACT_LINK_DOWN : ACT_LINK_UP;
	return 0;
}

static int action_node(struct parser *p, struct sc_action *a)
{
	if (p->nwords != 4)
		return sc_fail(p, "the syntax is 'at TIME %s NODE'", p->word[2]);
	int n = sc_find_node(p->sc, p->word[3]);
	if (n < 0)
		return sc_fail(p, "unknown node '%s' (declare it on a line before "
		               "this one)", p->word[3]);
	a->target = (unsigned)n;
	a->kind = strcmp(p->word[2], "kill") == 0 ? ACT_KILL : ACT_RESTART;
	return 0;
}

/* partition NODE... [/ NODE...]...: groups 1, 2, ...; group 0 is the rest */
static int action_partition(struct parser *p, struct sc_action *a)
{
	a->kind = ACT_PARTITION;
	a->group = sc_zalloc(SC_NODES_MAX, sizeof(*a->group));
	unsigned group = 1, in_group = 0;
	for (unsigned i = 3; i < p->nwords; i++) {
		const char *w = p->word[i];
		if (strcmp(w, "/") == 0) {
			if (in_group == 0)
				break;
			group++;
			in_group = 0;
			continue;
		}
		int n = sc_find_node(p->sc, w);
		if (n < 0)
			return sc_fail(p, "unknown node '%s' in the partition", w);
		if (a->group[n])
			return sc_fail(p, "node %s is named twice in the partition", w);
		a->group[n] = group;
		in_group++;
	}
	if (in_group == 0)
		return sc_fail(p, "the syntax is 'at TIME partition NODE... [/ "
		               "NODE...]...' with no empty group; the nodes not named "
		               "form one more group");
	return 0;
}

/* at TIME ACTION... */
int sc_stmt_at(struct parser *p)
{
	struct scenario *sc = p->sc;
	struct sc_action a = {.line = p->line};
	if (sc_want_words(p, 3, "at TIME ACTION...") < 0)
		return -1;
	if (parse_time(p->word[1], &a.at) < 0)
		return sc_bad_time(p, "at", p->word[1]);
	const char *what = p->word[2];
	int r;
	if (strcmp(what, "link") == 0) {
		r = action_link(p, &a);
	} else if (strcmp(what, "kill") == 0 || strcmp(what, "restart") == 0) {
		r = action_node(p, &a);
	} else if (strcmp(what, "partition") == 0) {
		r = action_partition(p, &a);
	} else if (strcmp(what, "heal") == 0) {
		a.kind = ACT_HEAL;
		r = p->nwords == 3 ? 0 : sc_fail(p, "'heal' takes no arguments");
	} else {
		r = sc_fail(p, "unknown action '%s' (the actions are link, "
		            "partition, heal, kill and restart)", what);
	}
	if (r < 0) {
		free(a.group);
		return -1;
	}
	sc->actions = sc_grow(sc->actions, sc->nactions, sizeof(*sc->actions));
	sc->actions[sc->nactions++] = a;
	return 0;
}

