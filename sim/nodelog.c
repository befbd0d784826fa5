/* Each node's console log, NAME.log: every line stamped with the virtual
 * time its first byte was written, and the simulator's own notes about the
 * node (start, exit, kill) as lines starting with "--". With --verbose
 * (echo), the same lines go to stdout with the node's name. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "units.h"

void nodelog_open(struct world *w, struct node *n)
{
	char name[SC_NAME_MAX + 8], path[PATH_MAX];
	snprintf(name, sizeof(name), "%s.log", n->sc->name);
	sim_path(w, name, path);
	n->log = fopen(path, "we");
	if (!n->log)
		sim_fatal("cannot create %s", path);
}

static void put_line(struct world *w, struct node *n, uint64_t t,
                     const char *text, size_t len)
{
	char stamp[32];
	format_time(t, stamp);
	fprintf(n->log, "[%14s] %.*s\n", stamp, (int)len, text);
	if (w->echo)
		printf("[%14s] %s:%s%.*s\n", stamp, n->sc->name, len ? " " : "",
		       (int)len, text);
}

void nodelog_console(struct world *w, struct node *n, const char *buf,
                     size_t len)
{
	struct console_line *l = &n->line;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			put_line(w, n, l->len ? l->start : w->now, l->buf, l->len);
			l->len = 0;
			continue;
		}
		if (l->len == 0)
			l->start = w->now;
		if (l->len == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 256;
			l->buf = realloc(l->buf, l->cap);
			if (!l->buf)
				sim_fatal("out of memory");
		}
		l->buf[l->len++] = buf[i];
	}
}

/* A line the node began and never ended still belongs in the log. */
static void flush_line(struct world *w, struct node *n)
{
	if (n->line.len)
		put_line(w, n, n->line.start, n->line.buf, n->line.len);
	n->line.len = 0;
}

void nodelog_note(struct world *w, struct node *n, const char *fmt, ...)
{
	char line[512] = "-- ";
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + 3, sizeof(line) - 3, fmt, ap);
	va_end(ap);
	flush_line(w, n);
	put_line(w, n, w->now, line, strlen(line));
}

void nodelog_close(struct world *w, struct node *n)
{
	if (!n->log)
		return;
	flush_line(w, n);
	free(n->line.buf);
	if (fclose(n->log) != 0)
		sim_fatal("cannot write the log of node %s", n->sc->name);
	n->log = NULL;
}
