/* The scenario reader's insides, shared by its files: the parser's state
 * and the helpers every statement uses (scenario.c), link settings
 * (scenario_link.c) and actions (scenario_at.c). */
#ifndef UL_SIM_SCENARIO_PARSE_H
#define UL_SIM_SCENARIO_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario.h"

#define MAX_WORDS 256

struct parser {
	struct scenario *sc;
	struct sc_error *err;
	unsigned line;
	char *word[MAX_WORDS];
	unsigned nwords;
	struct link_params defaults;
	unsigned *sw_root; /* union-find over switches: loops are refused */
};

/* Format "FILE:LINE: ..." (or "FILE: ..." at line 0) into the error;
 * returns -1, for `return sc_fail(...)`. */
int sc_fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* At least min words, or an error showing the syntax. */
int sc_want_words(struct parser *p, unsigned min, const char *syntax);

/* Memory, or exit 2 saying there is none. grow: room for one more zeroed
 * element of size bytes after n. */
void *sc_grow(void *array, unsigned n, size_t size);
void *sc_zalloc(size_t n, size_t size);
char *sc_copy(const char *s);

/* The index of the named thing, or -1. */
int sc_find_node(const struct scenario *sc, const char *name);
int sc_find_switch(const struct scenario *sc, const char *name);
int sc_find_link(const struct scenario *sc, const char *name);

/* Split "key=value" in place; false when there is no '='. */
bool sc_key_value(char *word, char **value);
int sc_bad_time(struct parser *p, const char *key, const char *v);

/* scenario_link.c: a link's settings before its own keys, and the words
 * from first on as link keys into *lp, their bits into *mask. */
extern const struct link_params sc_default_params;
int sc_link_keys(struct parser *p, unsigned first, struct link_params *lp,
                 unsigned *mask);

/* scenario_at.c: an `at TIME ACTION...` line. */
int sc_stmt_at(struct parser *p);

#endif
