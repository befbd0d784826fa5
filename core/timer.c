/* One-shot timers in a binary min-heap keyed by (deadline, start order).
 * Each timer remembers its slot in the heap, so starting, moving and
 * cancelling are all O(log n). */
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/panic.h> /* the timers lab's stubs */
#include <unilab/time.h>
#include <unilab/timer.h>

#define NOT_PENDING SIZE_MAX

static struct ul_timer **heap;
static size_t count, capacity;
static uint64_t next_seq; /* start order: breaks ties between deadlines */

static int earlier(const struct ul_timer *a, const struct ul_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void put(struct ul_timer *t, size_t slot)
{
	heap[slot] = t;
	t->slot = slot;
}

/* Move the timer at slot towards the root while it is earlier than its
 * parent (slot 0 is the root; the parent of s is (s - 1) / 2). */
static void sift_up(size_t slot)
{
	/* LAB timers.heap BEGIN: sift up; place timers with put() so each
	 * remembers its slot. */
	struct ul_timer *t = heap[slot];
	while (slot > 0) {
		size_t parent = (slot - 1) / 2;
		if (!earlier(t, heap[parent]))
			break;
		put(heap[parent], slot);
		slot = parent;
	}
	put(t, slot);
	/* LAB timers.heap END: (void)slot; ul_panic("lab timers: sift_up is not written yet"); */
}

/* Move the timer at slot towards the leaves while a child is earlier
 * (the children of s are 2s + 1 and 2s + 2; count timers are in heap). */
static void sift_down(size_t slot)
{
	/* LAB timers.heap BEGIN: sift down towards the earlier child; place
	 * timers with put(). */
	struct ul_timer *t = heap[slot];
	for (;;) {
		size_t child = 2 * slot + 1;
		if (child >= count)
			break;
		if (child + 1 < count && earlier(heap[child + 1], heap[child]))
			child++;
		if (!earlier(heap[child], t))
			break;
		put(heap[child], slot);
		slot = child;
	}
	put(t, slot);
	/* LAB timers.heap END: (void)slot; ul_panic("lab timers: sift_down is not written yet"); */
}

/* Restore the heap order around a slot whose key changed either way. */
static void fix(size_t slot)
{
	if (slot > 0 && earlier(heap[slot], heap[(slot - 1) / 2]))
		sift_up(slot);
	else
		sift_down(slot);
}

static int grow(void)
{
	size_t cap = capacity ? 2 * capacity : 16;
	struct ul_timer **bigger = ul_realloc(heap, cap * sizeof *heap);
	if (!bigger)
		return -UL_ENOMEM;
	heap = bigger;
	capacity = cap;
	return 0;
}

static void remove_slot(size_t slot)
{
	/* LAB timers.remove BEGIN: take the timer at slot out of the heap:
	 * mark it NOT_PENDING, move the last timer into its slot and restore
	 * the order there (fix). */
	struct ul_timer *t = heap[slot];
	struct ul_timer *last = heap[--count];
	t->slot = NOT_PENDING;
	if (slot == count)
		return;
	put(last, slot);
	fix(slot);
	/* LAB timers.remove END: (void)slot; ul_panic("lab timers: remove_slot is not written yet"); */
}

void ul_timer_init(struct ul_timer *t, void (*fn)(struct ul_timer *, void *),
                   void *arg)
{
	t->deadline = 0;
	t->fn = fn;
	t->arg = arg;
	t->seq = 0;
	t->slot = NOT_PENDING;
}

/* Checked against the heap rather than trusted, so a zeroed timer that
 * was never initialised reads as not pending instead of as slot 0. */
int ul_timer_pending(const struct ul_timer *t)
{
	return t->slot < count && heap[t->slot] == t;
}

int ul_timer_start(struct ul_timer *t, uint64_t deadline)
{
	int pending = ul_timer_pending(t);
	if (!pending && count == capacity && grow() < 0)
		return -UL_ENOMEM;
	t->deadline = deadline;
	t->seq = next_seq++;
	if (pending) {
		fix(t->slot);
	} else {
		put(t, count++);
		sift_up(t->slot);
	}
	return 0;
}

int ul_timer_cancel(struct ul_timer *t)
{
	if (!ul_timer_pending(t))
		return 0;
	remove_slot(t->slot);
	return 1;
}

/* Timers started by a callback during this run wait for the next run, so
 * a callback that re-arms itself for a deadline already past cannot keep
 * the scheduler here forever. The earliest remaining deadline is then
 * <= now, and the scheduler comes back at once. */
uint64_t ul_timers_run(uint64_t now)
{
	/* LAB timers.run BEGIN: run every timer due at now, earliest first
	 * (remove it, then call t->fn(t, t->arg)), but none started during
	 * this run (seq >= the next_seq at entry); return the earliest
	 * deadline left, or UL_FOREVER. */
	uint64_t started_before = next_seq;
	while (count > 0 && heap[0]->deadline <= now &&
	       heap[0]->seq < started_before) {
		struct ul_timer *t = heap[0];
		remove_slot(0);
		t->fn(t, t->arg);
	}
	return count > 0 ? heap[0]->deadline : UL_FOREVER;
	/* LAB timers.run END: (void)now; ul_panic("lab timers: ul_timers_run is not written yet"); */
}

uint64_t ul_timers_next(void)
{
	return count > 0 ? heap[0]->deadline : UL_FOREVER;
}

size_t ul_timers_pending(void)
{
	return count;
}
