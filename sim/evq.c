/* The event queue's heap: parent of i is (i - 1) / 2; every parent is
 * earlier than its children. */
#include <stdio.h>
#include <stdlib.h>

#include "evq.h"

static bool earlier(const struct event *a, const struct event *b)
{
	return a->time != b->time ? a->time < b->time : a->order < b->order;
}

static void swap(struct event *a, struct event *b)
{
	struct event t = *a;
	*a = *b;
	*b = t;
}

void evq_push(struct evq *q, struct event e)
{
	if (q->count == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 1024;
		struct event *h = realloc(q->heap, cap * sizeof(*h));
		if (!h) {
			fprintf(stderr, "unilab-sim: out of memory for events\n");
			exit(2);
		}
		q->heap = h;
		q->cap = cap;
	}
	e.order = q->pushed++;
	size_t i = q->count++;
	q->heap[i] = e;
	while (i > 0 && earlier(&q->heap[i], &q->heap[(i - 1) / 2])) {
		swap(&q->heap[i], &q->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

bool evq_peek(const struct evq *q, struct event *e)
{
	if (q->count == 0)
		return false;
	*e = q->heap[0];
	return true;
}

bool evq_pop(struct evq *q, struct event *e)
{
	if (!evq_peek(q, e))
		return false;
	q->heap[0] = q->heap[--q->count];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->count && earlier(&q->heap[l], &q->heap[m]))
			m = l;
		if (r < q->count && earlier(&q->heap[r], &q->heap[m]))
			m = r;
		if (m == i)
			return true;
		swap(&q->heap[i], &q->heap[m]);
		i = m;
	}
}

void evq_free(struct evq *q)
{
	free(q->heap);
	*q = (struct evq){0};
}
