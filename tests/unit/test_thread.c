/* Unit tests of threads and the scheduler (core/thread.c, core/sched.c,
 * switch.S): run order, join, sleeping, device waits, deadlock, exit. */
#include "run_suite.h"
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "platform.h"
#include "sched.h"

#define ARENA_SIZE (64u << 20)

static void *arena;

static void setup(void)
{
	arena = aligned_alloc(UL_PAGE_SIZE, ARENA_SIZE);
	ck_assert_ptr_nonnull(arena);
	ul_page_init(arena, ARENA_SIZE);
	ul_sched_init();
}

/* What the threads did, one letter each, in order. */
static char trace[256];
static size_t trace_len;

static void note(char c)
{
	ck_assert_uint_lt(trace_len, sizeof trace - 1);
	trace[trace_len++] = c;
	trace[trace_len] = '\0';
}

static void *letter_thrice(void *arg)
{
	for (int i = 0; i < 3; i++) {
		note((char)(intptr_t)arg);
		ul_yield();
	}
	return NULL;
}

static struct ul_thread *spawn(const char *name, void *(*fn)(void *),
                               void *arg)
{
	struct ul_thread *t = ul_thread_create(name, fn, arg, 0);
	ck_assert_ptr_nonnull(t);
	return t;
}

START_TEST(main_thread_is_id_1)
{
	struct ul_sched_stats st;
	ck_assert_str_eq(ul_thread_name(ul_thread_self()), "main");
	ck_assert_uint_eq(ul_thread_id(ul_thread_self()), 1);
	ul_sched_stats(&st);
	ck_assert_uint_eq(st.threads, 1);
	ck_assert_uint_eq(st.switches, 0);
}
END_TEST

START_TEST(threads_interleave_in_fifo_order)
{
	struct ul_thread *t[3];
	for (int i = 0; i < 3; i++)
		t[i] = spawn(NULL, letter_thrice, (void *)(intptr_t)('a' + i));
	ck_assert_uint_eq(trace_len, 0); /* nothing runs before a yield */
	ul_yield();
	ck_assert_str_eq(trace, "abc");
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ul_thread_join(t[i], NULL), 0);
	ck_assert_str_eq(trace, "abcabcabc");

	struct ul_sched_stats st;
	ul_sched_stats(&st);
	ck_assert_uint_eq(st.threads, 1);
	ck_assert_uint_ge(st.switches, 10);
}
END_TEST

START_TEST(names_and_ids)
{
	struct ul_thread *a = spawn("a-very-long-thread-name", letter_thrice,
	                            (void *)(intptr_t)'x');
	struct ul_thread *b = spawn(NULL, letter_thrice, (void *)(intptr_t)'y');
	ck_assert_str_eq(ul_thread_name(a), "a-very-long-thr");
	ck_assert_uint_eq(ul_thread_id(a), 2);
	ck_assert_uint_eq(ul_thread_id(b), 3);
	ck_assert_str_eq(ul_thread_name(b), "thread3");
	ck_assert_int_eq(ul_thread_join(a, NULL), 0);
	ck_assert_int_eq(ul_thread_join(b, NULL), 0);
}
END_TEST

static void *return_arg(void *arg)
{
	return arg;
}

static _Noreturn void yield_then_exit(void *result)
{
	for (int i = 0; i < 5; i++)
		ul_yield();
	ul_thread_exit(result);
}

static void *exit_from_helper(void *arg)
{
	yield_then_exit(arg);
}

START_TEST(join_returns_result)
{
	void *r = NULL;
	struct ul_thread *early = spawn("early", return_arg, (void *)42);
	struct ul_thread *deep = spawn("deep", exit_from_helper, (void *)7);
	ul_yield(); /* early finishes: a zombie by the time of the join */
	ck_assert_int_eq(ul_thread_join(early, &r), 0);
	ck_assert_ptr_eq(r, (void *)42);
	ck_assert_int_eq(ul_thread_join(deep, &r), 0);
	ck_assert_ptr_eq(r, (void *)7);
	ck_assert_int_eq(ul_thread_join(spawn("x", return_arg, NULL), NULL), 0);
}
END_TEST

static void *join_self(void *arg)
{
	(void)arg;
	return (void *)(intptr_t)ul_thread_join(ul_thread_self(), NULL);
}

START_TEST(join_self_is_edeadlk)
{
	void *r;
	ck_assert_int_eq(ul_thread_join(ul_thread_self(), NULL), -UL_EDEADLK);
	ck_assert_int_eq(ul_thread_join(spawn("self", join_self, NULL), &r), 0);
	ck_assert_int_eq((int)(intptr_t)r, -UL_EDEADLK);
}
END_TEST

static void *join_arg(void *arg)
{
	void *r = NULL;
	ck_assert_int_eq(ul_thread_join(arg, &r), 0);
	return r;
}

static void *sleep_then_return(void *arg)
{
	ul_sleep(5 * UL_MS);
	return arg;
}

START_TEST(second_joiner_gets_einval)
{
	void *r = NULL;
	struct ul_thread *target =
		spawn("target", sleep_then_return, (void *)9);
	struct ul_thread *joiner = spawn("joiner", join_arg, target);
	ul_yield(); /* joiner is now waiting for target */
	ck_assert_int_eq(ul_thread_join(target, NULL), -UL_EINVAL);
	ck_assert_int_eq(ul_thread_join(joiner, &r), 0);
	ck_assert_ptr_eq(r, (void *)9);
}
END_TEST

static void *double_it(void *arg)
{
	ul_yield();
	return (void *)(2 * (intptr_t)arg);
}

static void create_and_join_many(int n)
{
	static struct ul_thread *t[1000];
	struct ul_sched_stats st;
	for (int i = 0; i < n; i++) {
		t[i] = ul_thread_create("many", double_it, (void *)(intptr_t)i,
		                        32 * 1024);
		ck_assert_ptr_nonnull(t[i]);
	}
	ul_sched_stats(&st);
	ck_assert_uint_eq(st.threads, (size_t)n + 1);
	for (int i = 0; i < n; i++) {
		void *r;
		ck_assert_int_eq(ul_thread_join(t[i], &r), 0);
		ck_assert_int_eq((int)(intptr_t)r, 2 * i);
	}
	ul_sched_stats(&st);
	ck_assert_uint_eq(st.threads, 1);
}

/* The second round reuses exactly the memory of the first. */
START_TEST(thousand_threads)
{
	struct ul_page_stats first, second;
	create_and_join_many(1000);
	ul_page_stats(&first);
	create_and_join_many(1000);
	ul_page_stats(&second);
	ck_assert_uint_eq(second.free, first.free);
}
END_TEST

START_TEST(stack_is_freed_at_exit)
{
	struct ul_page_stats alive, dead;
	struct ul_thread *t = ul_thread_create("short", return_arg, NULL,
	                                       64 * 1024);
	ck_assert_ptr_nonnull(t);
	ul_page_stats(&alive);
	ul_yield(); /* t runs to its end; its struct waits for the join */
	ul_page_stats(&dead);
	ck_assert_uint_ge(dead.free, alive.free + 16);
	ck_assert_int_eq(ul_thread_join(t, NULL), 0);
}
END_TEST

/* A detached thread gives back its stack and its struct on its own, so
 * the heap returns to where it was before the thread was made. */
START_TEST(detached_thread_frees_itself)
{
	struct ul_heap_stats before, after;
	ul_heap_stats(&before);
	struct ul_thread *t = spawn("detached", return_arg, NULL);
	ck_assert_int_eq(ul_thread_detach(t), 0);
	ck_assert_int_eq(ul_thread_detach(t), -UL_EINVAL);
	ck_assert_int_eq(ul_thread_join(t, NULL), -UL_EINVAL);
	ul_yield(); /* t runs and ends */
	ul_yield(); /* and is reaped on the switch away from it */
	ul_heap_stats(&after);
	ck_assert_uint_eq(after.in_use, before.in_use);
	struct ul_sched_stats st;
	ul_sched_stats(&st);
	ck_assert_uint_eq(st.threads, 1);
}
END_TEST

/* Detaching a thread that has already ended frees it at once. */
START_TEST(detaching_an_ended_thread_frees_it)
{
	struct ul_heap_stats before, after;
	ul_heap_stats(&before);
	struct ul_thread *t = spawn("ended", return_arg, NULL);
	ul_yield();
	ck_assert_int_eq(ul_thread_detach(t), 0);
	ul_heap_stats(&after);
	ck_assert_uint_eq(after.in_use, before.in_use);
	ck_assert_int_eq(ul_thread_detach(ul_thread_self()), -UL_EINVAL);
}
END_TEST

struct sleeper {
	char letter;
	uint64_t ns, slept;
};

static void *sleep_and_note(void *arg)
{
	struct sleeper *s = arg;
	uint64_t start = ul_now();
	ul_sleep(s->ns);
	s->slept = ul_now() - start;
	note(s->letter);
	return NULL;
}

START_TEST(sleepers_wake_in_deadline_order)
{
	struct sleeper s[3] = {{'a', 30 * UL_MS, 0},
	                       {'b', 10 * UL_MS, 0},
	                       {'c', 20 * UL_MS, 0}};
	struct ul_thread *t[3];
	for (int i = 0; i < 3; i++)
		t[i] = spawn("sleeper", sleep_and_note, &s[i]);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ul_thread_join(t[i], NULL), 0);
	ck_assert_str_eq(trace, "bca");
	for (int i = 0; i < 3; i++)
		ck_assert_uint_ge(s[i].slept, s[i].ns);
}
END_TEST

/* Periodic sleepers whose deadlines all pass while the CPU is busy (a
 * stalled host): each tick is recorded as its deadline in ms; they must
 * still come in deadline order, re-armed deadlines included. */
static uint64_t stall_start;
static unsigned ticks[8], nticks;

static void *tick_every(void *arg)
{
	uint64_t period = (uint64_t)(uintptr_t)arg;
	for (uint64_t due = period; due <= 90; due += period) {
		ul_sleep_until(stall_start + due * UL_MS);
		ticks[nticks++] = (unsigned)due;
	}
	return NULL;
}

START_TEST(sleepers_wake_in_deadline_order_after_a_stall)
{
	static const unsigned want[] = {30, 60, 70, 90};
	stall_start = ul_now();
	struct ul_thread *a = spawn("every-30", tick_every, (void *)(uintptr_t)30);
	struct ul_thread *b = spawn("every-70", tick_every, (void *)(uintptr_t)70);
	ul_yield(); /* both asleep; now hold the CPU past every deadline */
	while (ul_now() < stall_start + 100 * UL_MS)
		;
	ck_assert_int_eq(ul_thread_join(a, NULL), 0);
	ck_assert_int_eq(ul_thread_join(b, NULL), 0);
	ck_assert_uint_eq(nticks, 4);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(ticks[i], want[i]);
}
END_TEST

START_TEST(sleep_lasts_at_least_the_time_asked)
{
	uint64_t start = ul_now();
	ul_sleep(20 * UL_MS);
	ck_assert_uint_ge(ul_now() - start, 20 * UL_MS);

	uint64_t deadline = ul_deadline_after(15 * UL_MS);
	ul_sleep_until(deadline);
	ck_assert_uint_ge(ul_now(), deadline);
	ul_sleep_until(0); /* already past: returns at once */
}
END_TEST

/* Timers run even while some thread is always runnable. */
static int woke;

static void *spin_until_woken(void *arg)
{
	(void)arg;
	while (!woke)
		ul_yield();
	return NULL;
}

static void *sleep_then_wake(void *arg)
{
	(void)arg;
	ul_sleep(10 * UL_MS);
	woke = 1;
	return NULL;
}

START_TEST(yielding_does_not_starve_sleepers)
{
	struct ul_thread *spinner = spawn("spinner", spin_until_woken, NULL);
	struct ul_thread *sleeper = spawn("sleeper", sleep_then_wake, NULL);
	ck_assert_int_eq(ul_thread_join(spinner, NULL), 0);
	ck_assert_int_eq(ul_thread_join(sleeper, NULL), 0);
	ck_assert_int_eq(woke, 1);
}
END_TEST

START_TEST(device_wait_times_out)
{
	struct ul_sched_stats st;
	uint64_t start = ul_now();
	uint32_t ready = ul_device_wait(UL_READY_NET(0),
	                                ul_deadline_after(10 * UL_MS));
	ck_assert_uint_eq(ready, 0);
	ck_assert_uint_ge(ul_now() - start, 10 * UL_MS);
	ul_sched_stats(&st);
	ck_assert_uint_ge(st.polls, 1);
}
END_TEST

static void *must_not_run(void *arg)
{
	(void)arg;
	exit(7);
}

START_TEST(main_thread_exit_ends_image)
{
	spawn("never", must_not_run, NULL);
	ul_thread_exit(NULL);
}
END_TEST

static struct ul_waitq never_woken = UL_WAITQ_INIT;

static void *wait_forever(void *arg)
{
	(void)arg;
	ul_wait(&never_woken, UL_FOREVER);
	return NULL;
}

static void deadlock(void)
{
	spawn("stuck", wait_forever, NULL);
	ul_thread_join(spawn("stuck2", wait_forever, NULL), NULL);
	exit(0);
}

/* Run fn in a child process; return its exit status and its output. */
static int run_captured(void (*fn)(void), char *out, size_t cap)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	fflush(stdout);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		fn();
		exit(0);
	}
	close(fds[1]);
	size_t len = 0;
	ssize_t n;
	while (len < cap - 1 &&
	       (n = read(fds[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(deadlock_panics_naming_threads)
{
	char out[512];
	int status = run_captured(deadlock, out, sizeof out);
	ck_assert_int_eq(status, UL_EXIT_PANIC);
	ck_assert_ptr_nonnull(strstr(out, "deadlock: every thread is blocked"));
	ck_assert_ptr_nonnull(strstr(out, "(main, stuck, stuck2)"));
}
END_TEST

static void *smash_stack_bottom(void *arg)
{
	(void)arg;
	*(uint64_t *)ul_thread_self()->stack = 0;
	ul_yield();
	return NULL;
}

START_TEST(stack_overflow_is_caught)
{
	spawn("smasher", smash_stack_bottom, NULL);
	for (;;)
		ul_yield();
}
END_TEST

static void yield_in_callback(struct ul_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	ul_yield();
}

START_TEST(blocking_in_timer_callback_panics)
{
	struct ul_timer t;
	ul_timer_init(&t, yield_in_callback, NULL);
	ck_assert_int_eq(ul_timer_start(&t, 0), 0);
	ul_yield();
	ck_abort_msg("the callback did not run");
}
END_TEST

static Suite *thread_suite(void)
{
	Suite *s = suite_create("thread");
	TCase *tc = tcase_create("threads");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, main_thread_is_id_1);
	tcase_add_test(tc, threads_interleave_in_fifo_order);
	tcase_add_test(tc, names_and_ids);
	tcase_add_test(tc, join_returns_result);
	tcase_add_test(tc, join_self_is_edeadlk);
	tcase_add_test(tc, second_joiner_gets_einval);
	tcase_add_test(tc, thousand_threads);
	tcase_add_test(tc, stack_is_freed_at_exit);
	tcase_add_test(tc, detached_thread_frees_itself);
	tcase_add_test(tc, detaching_an_ended_thread_frees_it);
	tcase_add_test(tc, sleepers_wake_in_deadline_order);
	tcase_add_test(tc, sleepers_wake_in_deadline_order_after_a_stall);
	tcase_add_test(tc, sleep_lasts_at_least_the_time_asked);
	tcase_add_test(tc, yielding_does_not_starve_sleepers);
	tcase_add_test(tc, device_wait_times_out);
	tcase_add_exit_test(tc, main_thread_exit_ends_image, 0);
	tcase_add_test(tc, deadlock_panics_naming_threads);
	tcase_add_exit_test(tc, stack_overflow_is_caught, UL_EXIT_PANIC);
	tcase_add_exit_test(tc, blocking_in_timer_callback_panics,
	                    UL_EXIT_PANIC);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ul_run_suite(thread_suite());
}
