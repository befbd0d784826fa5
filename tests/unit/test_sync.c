/* Unit tests of wait queues, mutexes and condition variables
 * (core/sched.c, core/sync.c). */
#include "run_suite.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "sched.h"

#define ARENA_SIZE (16u << 20)

static void *arena;

static void setup(void)
{
	arena = aligned_alloc(UL_PAGE_SIZE, ARENA_SIZE);
	ck_assert_ptr_nonnull(arena);
	ul_page_init(arena, ARENA_SIZE);
	ul_sched_init();
}

static struct ul_thread *spawn(void *(*fn)(void *), void *arg)
{
	struct ul_thread *t = ul_thread_create("worker", fn, arg, 0);
	ck_assert_ptr_nonnull(t);
	return t;
}

static void join(struct ul_thread *t, void **result)
{
	ck_assert_int_eq(ul_thread_join(t, result), 0);
}

/* Each worker increments the counter with a yield between the read and
 * the write: only the mutex keeps the increments from being lost. */
static struct ul_mutex counter_lock = UL_MUTEX_INIT;
static int counter, inside;

static void *increment(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++) {
		ul_mutex_lock(&counter_lock);
		ck_assert_int_eq(inside, 0);
		inside++;
		int seen = counter;
		ul_yield();
		counter = seen + 1;
		inside--;
		ul_mutex_unlock(&counter_lock);
		ul_yield();
	}
	return NULL;
}

START_TEST(mutex_excludes_across_yields)
{
	struct ul_thread *t[4];
	for (int i = 0; i < 4; i++)
		t[i] = spawn(increment, NULL);
	for (int i = 0; i < 4; i++)
		join(t[i], NULL);
	ck_assert_int_eq(counter, 200);
	ck_assert_ptr_null(counter_lock.owner);
}
END_TEST

static void *try_lock(void *arg)
{
	return (void *)(intptr_t)ul_mutex_trylock(arg);
}

START_TEST(trylock_fails_while_held)
{
	struct ul_mutex m = UL_MUTEX_INIT;
	void *r;
	ck_assert_int_eq(ul_mutex_trylock(&m), 0);
	ck_assert_ptr_eq(m.owner, ul_thread_self());
	join(spawn(try_lock, &m), &r);
	ck_assert_int_eq((int)(intptr_t)r, -UL_EBUSY);
	ul_mutex_unlock(&m);
	join(spawn(try_lock, &m), &r);
	ck_assert_int_eq((int)(intptr_t)r, 0);
	ck_assert_ptr_nonnull(m.owner);
	ck_assert_ptr_ne(m.owner, ul_thread_self());
}
END_TEST

/* Waiters get the mutex in the order they asked for it. */
static char order[8];
static int norder;

static void *lock_and_note(void *arg)
{
	ul_mutex_lock(&counter_lock);
	order[norder++] = (char)(intptr_t)arg;
	ul_mutex_unlock(&counter_lock);
	return NULL;
}

START_TEST(mutex_goes_to_waiters_in_order)
{
	struct ul_thread *t[3];
	ul_mutex_lock(&counter_lock);
	for (int i = 0; i < 3; i++)
		t[i] = spawn(lock_and_note, (void *)(intptr_t)('a' + i));
	ul_yield(); /* all three now wait */
	ul_mutex_unlock(&counter_lock);
	/* Handed over: taking it back at once must not jump the queue. */
	ck_assert_int_eq(ul_mutex_trylock(&counter_lock), -UL_EBUSY);
	ul_mutex_lock(&counter_lock);
	ck_assert_str_eq(order, "abc");
	ul_mutex_unlock(&counter_lock);
	for (int i = 0; i < 3; i++)
		join(t[i], NULL);
}
END_TEST

static void *unlock_arg(void *arg)
{
	ul_mutex_unlock(arg);
	return NULL;
}

START_TEST(unlock_by_non_owner_panics)
{
	static struct ul_mutex m = UL_MUTEX_INIT;
	ul_mutex_lock(&m);
	join(spawn(unlock_arg, &m), NULL);
}
END_TEST

START_TEST(unlock_of_free_mutex_panics)
{
	struct ul_mutex m = UL_MUTEX_INIT;
	ul_mutex_unlock(&m);
}
END_TEST

START_TEST(relock_by_owner_panics)
{
	struct ul_mutex m = UL_MUTEX_INIT;
	ul_mutex_lock(&m);
	ul_mutex_lock(&m);
}
END_TEST

/* A bounded buffer of 4 slots between one producer and one consumer. */
enum { SLOTS = 4, ITEMS = 500 };
static struct {
	struct ul_mutex lock;
	struct ul_cond not_full, not_empty;
	int items[SLOTS];
	int head, count;
} buf = {UL_MUTEX_INIT, UL_COND_INIT, UL_COND_INIT, {0}, 0, 0};

static void *produce(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		ul_mutex_lock(&buf.lock);
		while (buf.count == SLOTS)
			ul_cond_wait(&buf.not_full, &buf.lock, UL_FOREVER);
		buf.items[(buf.head + buf.count++) % SLOTS] = i;
		ul_cond_signal(&buf.not_empty);
		ul_mutex_unlock(&buf.lock);
	}
	return NULL;
}

static void *consume(void *arg)
{
	(void)arg;
	for (int want = 1; want <= ITEMS; want++) {
		ul_mutex_lock(&buf.lock);
		while (buf.count == 0)
			ul_cond_wait(&buf.not_empty, &buf.lock, UL_FOREVER);
		ck_assert_int_eq(buf.items[buf.head], want);
		buf.head = (buf.head + 1) % SLOTS;
		buf.count--;
		ul_cond_signal(&buf.not_full);
		ul_mutex_unlock(&buf.lock);
	}
	return NULL;
}

START_TEST(condvar_producer_consumer)
{
	struct ul_thread *c = spawn(consume, NULL);
	struct ul_thread *p = spawn(produce, NULL);
	join(p, NULL);
	join(c, NULL);
	ck_assert_int_eq(buf.count, 0);
	ck_assert_ptr_null(buf.lock.owner);
}
END_TEST

START_TEST(cond_wait_times_out_holding_mutex)
{
	struct ul_mutex m = UL_MUTEX_INIT;
	struct ul_cond c = UL_COND_INIT;
	ul_mutex_lock(&m);
	uint64_t start = ul_now();
	ck_assert_int_eq(ul_cond_wait(&c, &m, ul_deadline_after(10 * UL_MS)),
	                 -UL_ETIMEDOUT);
	ck_assert_uint_ge(ul_now() - start, 10 * UL_MS);
	ck_assert_ptr_eq(m.owner, ul_thread_self());
	ck_assert_ptr_null(c.waiters.head);
	ul_mutex_unlock(&m);
}
END_TEST

static struct ul_cond gate = UL_COND_INIT;
static struct ul_mutex gate_lock = UL_MUTEX_INIT;
static int passed;

static void *wait_at_gate(void *arg)
{
	(void)arg;
	ul_mutex_lock(&gate_lock);
	int err = ul_cond_wait(&gate, &gate_lock, ul_deadline_after(10 * UL_S));
	passed++;
	ul_mutex_unlock(&gate_lock);
	return (void *)(intptr_t)err;
}

START_TEST(cond_broadcast_wakes_everyone)
{
	struct ul_thread *t[5];
	for (int i = 0; i < 5; i++)
		t[i] = spawn(wait_at_gate, NULL);
	ul_yield();
	ck_assert_int_eq(passed, 0);
	ul_cond_signal(&gate);
	ul_yield();
	ck_assert_int_eq(passed, 1);
	ul_cond_broadcast(&gate);
	for (int i = 0; i < 5; i++) {
		void *r;
		join(t[i], &r);
		ck_assert_int_eq((int)(intptr_t)r, 0);
	}
	ck_assert_int_eq(passed, 5);
}
END_TEST

static struct ul_waitq queue = UL_WAITQ_INIT;

static void *wait_and_note(void *arg)
{
	int err = ul_wait(&queue, UL_FOREVER);
	order[norder++] = (char)(intptr_t)arg;
	return (void *)(intptr_t)err;
}

START_TEST(waitq_wakes_in_fifo_order)
{
	struct ul_thread *t[5];
	ck_assert_int_eq(ul_wake_one(&queue), 0);
	for (int i = 0; i < 5; i++)
		t[i] = spawn(wait_and_note, (void *)(intptr_t)('a' + i));
	ul_yield();
	ck_assert_int_eq(norder, 0);
	ck_assert_int_eq(ul_wake_one(&queue), 1);
	ck_assert_int_eq(ul_wake_one(&queue), 1);
	ul_yield();
	ck_assert_str_eq(order, "ab");
	ck_assert_int_eq(ul_wake_all(&queue), 3);
	ck_assert_int_eq(ul_wake_all(&queue), 0);
	for (int i = 0; i < 5; i++) {
		void *r;
		join(t[i], &r);
		ck_assert_int_eq((int)(intptr_t)r, 0);
	}
	ck_assert_str_eq(order, "abcde");
}
END_TEST

START_TEST(wait_times_out)
{
	uint64_t start = ul_now();
	ck_assert_int_eq(ul_wait(&queue, ul_deadline_after(10 * UL_MS)),
	                 -UL_ETIMEDOUT);
	ck_assert_uint_ge(ul_now() - start, 10 * UL_MS);
	ck_assert_ptr_null(queue.head);
	ck_assert_int_eq(ul_wake_one(&queue), 0);
}
END_TEST

/* Two waiters with deadlines: the one behind times out and leaves the
 * queue; the one ahead is still there to be woken. */
static void *wait_briefly(void *arg)
{
	return (void *)(intptr_t)ul_wait(&queue, ul_deadline_after(
	                                         (uint64_t)(intptr_t)arg));
}

START_TEST(woken_waiter_beats_its_deadline)
{
	void *r;
	struct ul_thread *late = spawn(wait_briefly, (void *)(10 * UL_S));
	struct ul_thread *early = spawn(wait_briefly, (void *)(10 * UL_MS));
	ul_yield();
	ck_assert_int_eq(ul_timers_pending(), 2);
	join(early, &r);
	ck_assert_int_eq((int)(intptr_t)r, -UL_ETIMEDOUT);
	ck_assert_int_eq(ul_wake_one(&queue), 1);
	join(late, &r);
	ck_assert_int_eq((int)(intptr_t)r, 0);
	ck_assert_int_eq(ul_timers_pending(), 0);
	ck_assert_ptr_null(queue.head);
}
END_TEST

static Suite *sync_suite(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("sync");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, mutex_excludes_across_yields);
	tcase_add_test(tc, trylock_fails_while_held);
	tcase_add_test(tc, mutex_goes_to_waiters_in_order);
	tcase_add_exit_test(tc, unlock_by_non_owner_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(tc, unlock_of_free_mutex_panics, UL_EXIT_PANIC);
	tcase_add_exit_test(tc, relock_by_owner_panics, UL_EXIT_PANIC);
	tcase_add_test(tc, condvar_producer_consumer);
	tcase_add_test(tc, cond_wait_times_out_holding_mutex);
	tcase_add_test(tc, cond_broadcast_wakes_everyone);
	tcase_add_test(tc, waitq_wakes_in_fifo_order);
	tcase_add_test(tc, wait_times_out);
	tcase_add_test(tc, woken_waiter_beats_its_deadline);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(sync_suite());
}
