/* Unit tests of core/timer.c: firing order, ties, cancel, restart,
 * callbacks that re-arm, and what ul_timers_run returns. */
#include "run_suite.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/time.h>
#include <unilab/timer.h>

#define ARENA_SIZE (4u << 20)
#define MAX_FIRED 8192

static void *arena;

/* Every recording callback appends its timer's tag here. */
static int fired[MAX_FIRED];
static size_t nfired;

static void init_memory(size_t size)
{
	arena = aligned_alloc(UL_PAGE_SIZE, size);
	ck_assert_ptr_nonnull(arena);
	ul_page_init(arena, size);
	nfired = 0;
}

static void setup(void)
{
	init_memory(ARENA_SIZE);
}

static void setup_small(void)
{
	init_memory(16 * UL_PAGE_SIZE);
}

static void record(struct ul_timer *t, void *arg)
{
	(void)t;
	ck_assert_uint_lt(nfired, MAX_FIRED);
	fired[nfired++] = (int)(intptr_t)arg;
}

static void start(struct ul_timer *t, int tag, uint64_t deadline)
{
	ul_timer_init(t, record, (void *)(intptr_t)tag);
	ck_assert_int_eq(ul_timer_start(t, deadline), 0);
}

static void assert_fired(const int *want, size_t n)
{
	ck_assert_uint_eq(nfired, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(fired[i], want[i]);
}

START_TEST(empty_heap_runs_nothing)
{
	ck_assert_uint_eq(ul_timers_pending(), 0);
	ck_assert_uint_eq(ul_timers_run(UINT64_MAX), UL_FOREVER);
	ck_assert_uint_eq(nfired, 0);
}
END_TEST

/* Deadlines come from a small range, so many of them are equal. */
START_TEST(random_deadlines_fire_in_order)
{
	enum { N = 2000 };
	static struct ul_timer timers[N];
	static uint64_t deadline[N];
	uint64_t earliest = UL_FOREVER;
	srand(1234);
	for (int i = 0; i < N; i++) {
		deadline[i] = 1 + (uint64_t)(rand() % 300);
		if (deadline[i] < earliest)
			earliest = deadline[i];
		start(&timers[i], i, deadline[i]);
	}
	ck_assert_uint_eq(ul_timers_pending(), N);
	ck_assert_uint_eq(ul_timers_run(0), earliest);
	ck_assert_uint_eq(nfired, 0);

	for (uint64_t now = 0; now <= 301; now += 7) {
		size_t before = nfired;
		uint64_t next = ul_timers_run(now);
		for (size_t i = before; i < nfired; i++)
			ck_assert_uint_le(deadline[fired[i]], now);
		ck_assert_uint_gt(next, now);
	}
	ck_assert_uint_eq(nfired, N);
	ck_assert_uint_eq(ul_timers_pending(), 0);
	for (size_t i = 1; i < N; i++) {
		int a = fired[i - 1], b = fired[i];
		ck_assert(deadline[a] < deadline[b] ||
		          (deadline[a] == deadline[b] && a < b));
	}
}
END_TEST

START_TEST(equal_deadlines_fire_in_start_order)
{
	struct ul_timer t[10];
	for (int i = 0; i < 10; i++)
		start(&t[i], i, 50);
	/* Restarting is starting again: 3 goes behind the others. */
	ck_assert_int_eq(ul_timer_start(&t[3], 50), 0);
	ck_assert_uint_eq(ul_timers_pending(), 10);
	ck_assert_uint_eq(ul_timers_run(50), UL_FOREVER);
	assert_fired((int[]){0, 1, 2, 4, 5, 6, 7, 8, 9, 3}, 10);
}
END_TEST

START_TEST(cancel_pending_timer)
{
	struct ul_timer t[5];
	for (int i = 0; i < 5; i++)
		start(&t[i], i, 10 + (uint64_t)i);
	ck_assert_int_eq(ul_timer_pending(&t[2]), 1);
	ck_assert_int_eq(ul_timer_cancel(&t[2]), 1);
	ck_assert_int_eq(ul_timer_pending(&t[2]), 0);
	ck_assert_uint_eq(ul_timers_pending(), 4);
	ck_assert_int_eq(ul_timer_cancel(&t[2]), 0);
	ck_assert_int_eq(ul_timer_cancel(&t[0]), 1);
	ck_assert_uint_eq(ul_timers_run(100), UL_FOREVER);
	assert_fired((int[]){1, 3, 4}, 3);
}
END_TEST

START_TEST(cancel_timer_not_pending)
{
	struct ul_timer never, done, zeroed, other;
	ul_timer_init(&never, record, NULL);
	ck_assert_int_eq(ul_timer_pending(&never), 0);
	ck_assert_int_eq(ul_timer_cancel(&never), 0);

	start(&done, 1, 5);
	ul_timers_run(5);
	ck_assert_int_eq(ul_timer_cancel(&done), 0);

	/* A never-initialised, zeroed timer claims slot 0 of the heap; it
	 * must not be mistaken for the timer that really is there. */
	start(&other, 2, 7);
	memset(&zeroed, 0, sizeof zeroed);
	ck_assert_int_eq(ul_timer_pending(&zeroed), 0);
	ck_assert_int_eq(ul_timer_cancel(&zeroed), 0);
	ck_assert_int_eq(ul_timer_pending(&other), 1);
	ul_timers_run(7);
	assert_fired((int[]){1, 2}, 2);
}
END_TEST

START_TEST(restart_moves_timer)
{
	struct ul_timer a, b, c;
	start(&a, 1, 100);
	start(&b, 2, 50);
	start(&c, 3, 30);
	ck_assert_int_eq(ul_timer_start(&a, 10), 0); /* earlier */
	ck_assert_int_eq(ul_timer_start(&c, 200), 0); /* later */
	ck_assert_uint_eq(ul_timers_pending(), 3);
	ck_assert_uint_eq(a.deadline, 10);

	ck_assert_uint_eq(ul_timers_run(20), 50);
	assert_fired((int[]){1}, 1);
	ck_assert_uint_eq(ul_timers_run(100), 200);
	assert_fired((int[]){1, 2}, 2);
	ck_assert_uint_eq(ul_timers_run(200), UL_FOREVER);
	assert_fired((int[]){1, 2, 3}, 3);
}
END_TEST

START_TEST(cancel_from_big_heap_keeps_order)
{
	enum { N = 500 };
	static struct ul_timer timers[N];
	static uint64_t deadline[N];
	srand(99);
	for (int i = 0; i < N; i++) {
		deadline[i] = (uint64_t)(rand() % 1000);
		start(&timers[i], i, deadline[i]);
	}
	for (int i = 0; i < N; i += 3)
		ck_assert_int_eq(ul_timer_cancel(&timers[i]), 1);
	ul_timers_run(UINT64_MAX - 1);
	ck_assert_uint_eq(nfired, N - (N + 2) / 3);
	for (size_t i = 0; i < nfired; i++) {
		ck_assert_int_ne(fired[i] % 3, 0);
		if (i > 0)
			ck_assert_uint_le(deadline[fired[i - 1]],
			                  deadline[fired[i]]);
	}
}
END_TEST

/* A periodic timer: fires every 10 ns, five times in all. */
static int periods;

static void periodic(struct ul_timer *t, void *arg)
{
	(void)arg;
	if (++periods < 5)
		ck_assert_int_eq(ul_timer_start(t, t->deadline + 10), 0);
}

START_TEST(callback_rearms_itself)
{
	struct ul_timer t;
	periods = 0;
	ul_timer_init(&t, periodic, NULL);
	ck_assert_int_eq(ul_timer_start(&t, 10), 0);
	for (uint64_t now = 10; now < 50; now += 10) {
		ck_assert_uint_eq(ul_timers_run(now), now + 10);
		ck_assert_int_eq(periods, (int)(now / 10));
	}
	ck_assert_uint_eq(ul_timers_run(50), UL_FOREVER);
	ck_assert_int_eq(periods, 5);
	ck_assert_int_eq(ul_timer_pending(&t), 0);
}
END_TEST

/* Re-armed for a deadline that has already passed: one run fires it
 * once and says, by returning a deadline <= now, to come back. */
START_TEST(rearm_in_the_past_does_not_spin)
{
	struct ul_timer t;
	periods = 0;
	ul_timer_init(&t, periodic, NULL);
	ck_assert_int_eq(ul_timer_start(&t, 10), 0);
	ck_assert_uint_eq(ul_timers_run(1000), 20);
	ck_assert_int_eq(periods, 1);
	while (ul_timers_run(1000) != UL_FOREVER)
		;
	ck_assert_int_eq(periods, 5);
}
END_TEST

static struct ul_timer victim, spawned;

static void cancel_victim(struct ul_timer *t, void *arg)
{
	record(t, arg);
	ck_assert_int_eq(ul_timer_cancel(&victim), 1);
	ul_timer_init(&spawned, record, (void *)(intptr_t)3);
	ck_assert_int_eq(ul_timer_start(&spawned, 70), 0);
}

START_TEST(callback_cancels_and_starts_timers)
{
	struct ul_timer first;
	ul_timer_init(&first, cancel_victim, (void *)(intptr_t)1);
	ck_assert_int_eq(ul_timer_start(&first, 10), 0);
	start(&victim, 2, 10); /* due at the same time, but after first */
	ck_assert_uint_eq(ul_timers_run(10), 70);
	assert_fired((int[]){1}, 1);
	ck_assert_uint_eq(ul_timers_run(70), UL_FOREVER);
	assert_fired((int[]){1, 3}, 2);
}
END_TEST

START_TEST(run_returns_earliest_remaining)
{
	struct ul_timer t[3];
	start(&t[0], 0, 30);
	start(&t[1], 1, 10);
	start(&t[2], 2, 20);
	ck_assert_uint_eq(ul_timers_run(5), 10);
	ck_assert_uint_eq(nfired, 0);
	ck_assert_uint_eq(ul_timers_run(10), 20);
	ck_assert_uint_eq(ul_timers_run(25), 30);
	ck_assert_uint_eq(ul_timers_run(30), UL_FOREVER);
	assert_fired((int[]){1, 2, 0}, 3);
}
END_TEST

/* Random starts, restarts, cancels and runs, checked against a model
 * that knows each timer's deadline and start order. */
enum { MODEL_TIMERS = 64 };
static struct model {
	int pending;
	uint64_t deadline, order;
} model[MODEL_TIMERS];

static int model_earlier(int a, int b)
{
	if (model[a].deadline != model[b].deadline)
		return model[a].deadline < model[b].deadline;
	return model[a].order < model[b].order;
}

/* The timers the model says are due at now, in firing order. */
static size_t model_due(uint64_t now, int *due)
{
	size_t n = 0;
	for (int i = 0; i < MODEL_TIMERS; i++) {
		if (!model[i].pending || model[i].deadline > now)
			continue;
		size_t j = n++;
		while (j > 0 && model_earlier(i, due[j - 1])) {
			due[j] = due[j - 1];
			j--;
		}
		due[j] = i;
	}
	return n;
}

static uint64_t model_next(void)
{
	uint64_t next = UL_FOREVER;
	for (int i = 0; i < MODEL_TIMERS; i++)
		if (model[i].pending && model[i].deadline < next)
			next = model[i].deadline;
	return next;
}

static size_t model_pending(void)
{
	size_t n = 0;
	for (int i = 0; i < MODEL_TIMERS; i++)
		n += (size_t)model[i].pending;
	return n;
}

static void model_run(uint64_t now)
{
	int due[MODEL_TIMERS];
	size_t n = model_due(now, due);
	nfired = 0;
	uint64_t next = ul_timers_run(now);
	assert_fired(due, n);
	for (size_t i = 0; i < n; i++)
		model[due[i]].pending = 0;
	ck_assert_uint_eq(next, model_next());
}

START_TEST(random_operations_match_model)
{
	static struct ul_timer t[MODEL_TIMERS];
	uint64_t now = 0, order = 0;
	for (int i = 0; i < MODEL_TIMERS; i++)
		ul_timer_init(&t[i], record, (void *)(intptr_t)i);
	srand(7);
	for (int step = 0; step < 20000; step++) {
		int i = rand() % MODEL_TIMERS;
		switch (rand() % 4) {
		case 0:
		case 1: {
			uint64_t deadline = now + (uint64_t)(rand() % 100);
			ck_assert_int_eq(ul_timer_start(&t[i], deadline), 0);
			model[i] = (struct model){1, deadline, order++};
			break;
		}
		case 2:
			ck_assert_int_eq(ul_timer_cancel(&t[i]),
			                 model[i].pending);
			model[i].pending = 0;
			break;
		default:
			now += (uint64_t)(rand() % 40);
			model_run(now);
		}
		ck_assert_uint_eq(ul_timers_pending(), model_pending());
	}
}
END_TEST

/* With 64 KiB of memory in all, the heap array must stop growing. */
START_TEST(start_fails_cleanly_when_heap_cannot_grow)
{
	enum { N = 20000 };
	static struct ul_timer t[N];
	int started = 0, err = 0;
	for (; started < N; started++) {
		ul_timer_init(&t[started], record, (void *)(intptr_t)started);
		err = ul_timer_start(&t[started], (uint64_t)(N - started));
		if (err)
			break;
	}
	ck_assert_int_eq(err, -UL_ENOMEM);
	ck_assert_int_gt(started, 0);
	ck_assert_int_eq(ul_timer_pending(&t[started]), 0);
	ck_assert_uint_eq(ul_timers_pending(), (size_t)started);
	ck_assert_uint_eq(ul_timers_run(N), UL_FOREVER);
	ck_assert_uint_eq(nfired, (size_t)started);
	for (int i = 0; i < started; i++)
		ck_assert_int_eq(fired[i], started - 1 - i);
}
END_TEST

static Suite *timer_suite(void)
{
	Suite *s = suite_create("timer");
	TCase *tc = tcase_create("heap");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, empty_heap_runs_nothing);
	tcase_add_test(tc, random_deadlines_fire_in_order);
	tcase_add_test(tc, equal_deadlines_fire_in_start_order);
	tcase_add_test(tc, cancel_pending_timer);
	tcase_add_test(tc, cancel_timer_not_pending);
	tcase_add_test(tc, restart_moves_timer);
	tcase_add_test(tc, cancel_from_big_heap_keeps_order);
	tcase_add_test(tc, callback_rearms_itself);
	tcase_add_test(tc, rearm_in_the_past_does_not_spin);
	tcase_add_test(tc, callback_cancels_and_starts_timers);
	tcase_add_test(tc, run_returns_earliest_remaining);
	tcase_add_test(tc, random_operations_match_model);
	suite_add_tcase(s, tc);

	TCase *small = tcase_create("out_of_memory");
	tcase_add_checked_fixture(small, setup_small, NULL);
	tcase_add_test(small, start_fails_cleanly_when_heap_cannot_grow);
	suite_add_tcase(s, small);
	return s;
}

int main(void)
{
	return ul_run_suite(timer_suite());
}
