/* The scheduler: a FIFO run queue, wait queues, sleeping, device waits and
 * the idle loop, which runs due timers and sleeps in the backend's poll. */
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/panic.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include <unilab/timer.h>
#include "platform.h"
#include "sched.h"

struct ul_thread *ul_current;

static struct ul_waitq run_queue;
static struct ul_waitq device_waiters; /* threads in ul_device_wait */
static struct ul_thread *switched_from; /* for the far side of a switch */
static int in_scheduler; /* running timer callbacks or idling */
static size_t switches, polls;

#ifdef __SANITIZE_ADDRESS__
/* AddressSanitizer must be told when the stack changes under it, or it
 * takes the other stack for a wild overflow. Its public interface: */
void __sanitizer_start_switch_fiber(void **fake_stack_save,
                                    const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
                                     const void **bottom_old,
                                     size_t *size_old);
void __lsan_register_root_region(const void *p, size_t size);
void __lsan_unregister_root_region(const void *p, size_t size);

/* A dying thread passes no fake-stack slot, which frees its fake stack. */
static void san_leave(struct ul_thread *prev, struct ul_thread *next)
{
	void **save = prev->state == UL_THREAD_ZOMBIE ? NULL
	                                               : &prev->san_fake_stack;
	if (next == &ul_main_thread)
		__lsan_unregister_root_region(next->san_bottom, next->san_size);
	__sanitizer_start_switch_fiber(save, next->san_bottom, next->san_size);
}

/* The leak checker scans only the stack in use when the image ends. The
 * other threads' stacks lie in the core's heap and point only into it,
 * but the boot stack holds the backend's pointers to host allocations:
 * while another thread runs, it is registered as a root region. */
static void san_arrive(struct ul_thread *self, struct ul_thread *prev)
{
	__sanitizer_finish_switch_fiber(self->san_fake_stack, &prev->san_bottom,
	                                &prev->san_size);
	if (prev == &ul_main_thread)
		__lsan_register_root_region(prev->san_bottom, prev->san_size);
}
#else
static void san_leave(struct ul_thread *prev, struct ul_thread *next)
{
	(void)prev;
	(void)next;
}

static void san_arrive(struct ul_thread *self, struct ul_thread *prev)
{
	(void)self;
	(void)prev;
}
#endif

/* Queues are doubly linked through the threads, so a waiter whose
 * deadline comes first leaves its queue in O(1). */
static void queue_push(struct ul_waitq *q, struct ul_thread *t)
{
	/* LAB threads.queue BEGIN: append t at q's tail (q->head, q->tail,
	 * t->next, t->prev): queues are FIFO. */
	t->next = NULL;
	t->prev = q->tail;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
	/* LAB threads.queue END: (void)q; (void)t; ul_panic("lab threads: queue_push is not written yet"); */
}

static void queue_remove(struct ul_waitq *q, struct ul_thread *t)
{
	/* LAB threads.queue BEGIN: unlink t from wherever it is in q, in O(1),
	 * and leave its links NULL. */
	if (t->prev)
		t->prev->next = t->next;
	else
		q->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		q->tail = t->prev;
	t->next = t->prev = NULL;
	/* LAB threads.queue END: (void)q; (void)t; ul_panic("lab threads: queue_remove is not written yet"); */
}

static void make_ready(struct ul_thread *t)
{
	t->state = UL_THREAD_READY;
	queue_push(&run_queue, t);
}

/* End t's block: off its queue, its deadline cancelled, onto the run
 * queue with result for ul_wait to return. */
static void wake(struct ul_thread *t, int result)
{
	/* LAB threads.wait BEGIN: take t off the queue it waits on (if any),
	 * cancel its deadline timer, record result for its ul_wait to return
	 * and make it ready. */
	if (t->queue)
		queue_remove(t->queue, t);
	t->queue = NULL;
	ul_timer_cancel(&t->timer);
	t->wait_result = result;
	make_ready(t);
	/* LAB threads.wait END: (void)t; (void)result; ul_panic("lab threads: wake is not written yet"); */
}

static void deadline_passed(struct ul_timer *timer, void *arg)
{
	(void)timer;
	wake(arg, -UL_ETIMEDOUT);
}

static void init_thread(struct ul_thread *t)
{
	ul_timer_init(&t->timer, deadline_passed, t);
}

void ul_sched_init(void)
{
	ul_thread_init_main();
	init_thread(&ul_main_thread);
	ul_current = &ul_main_thread;
	run_queue = (struct ul_waitq)UL_WAITQ_INIT;
	device_waiters = (struct ul_waitq)UL_WAITQ_INIT;
	switched_from = NULL;
	in_scheduler = 0;
	switches = polls = 0;
}

void ul_sched_start(struct ul_thread *t)
{
	init_thread(t);
	make_ready(t);
}

static _Noreturn void deadlock(void)
{
	char names[160] = "";
	size_t len = 0;
	struct ul_thread *t = &ul_main_thread;
	do {
		if (t->state == UL_THREAD_BLOCKED)
			len += (size_t)ul_snprintf(names + len,
			                           sizeof names - len, "%s%s",
			                           len ? ", " : "", t->name);
		t = t->all_next;
	} while (t != &ul_main_thread && len < sizeof names);
	ul_panic("deadlock: every thread is blocked (%s)", names);
}

/* Run the timers that are due, earliest deadline first, one deadline at a
 * time, and stop once a thread is ready: it runs (and may sleep again)
 * before a later deadline fires. So after a stall (a busy host, a vCPU
 * descheduled), threads still wake in deadline order instead of in the
 * order their timers happened to be started. The earliest due deadline
 * always fires, so a thread that keeps yielding cannot starve sleepers;
 * the loop fires at most as many deadlines as there were timers, so a
 * callback that re-arms itself in the past cannot hold it. Returns the
 * next deadline. The clock is read only when some timer is pending. */
static uint64_t run_timers(void)
{
	size_t budget = ul_timers_pending();
	if (budget == 0)
		return UL_FOREVER;
	uint64_t now = ul_plat_clock_monotonic();
	uint64_t next = ul_timers_next();
	while (next <= now && budget-- > 0) {
		next = ul_timers_run(next);
		if (run_queue.head)
			break;
	}
	return next;
}

/* The devices some thread waits on: the only ones worth waking for. */
static uint32_t device_wait_set(void)
{
	uint32_t wait = 0;
	for (struct ul_thread *t = device_waiters.head; t; t = t->next)
		wait |= t->device_mask;
	return wait;
}

static void wake_device_waiters(uint32_t ready)
{
	struct ul_thread *t = device_waiters.head;
	while (t) {
		struct ul_thread *next = t->next;
		if (t->device_mask & ready) {
			t->device_ready = t->device_mask & ready;
			wake(t, 0);
		}
		t = next;
	}
}

/* Timers run on every pass, not only when idle: a thread that keeps
 * yielding must not keep sleepers from waking. Devices are polled only
 * when no thread can run. */
static struct ul_thread *next_thread(void)
{
	in_scheduler = 1;
	for (;;) {
		uint64_t deadline = run_timers();
		if (run_queue.head)
			break;
		if (deadline == UL_FOREVER && !device_waiters.head)
			deadlock();
		polls++;
		wake_device_waiters(ul_plat_poll(deadline, device_wait_set()));
	}
	in_scheduler = 0;
	struct ul_thread *t = run_queue.head;
	queue_remove(&run_queue, t);
	return t;
}

void ul_sched_arrive(void)
{
	san_arrive(ul_current, switched_from);
	if (switched_from->state == UL_THREAD_ZOMBIE)
		ul_thread_reap(switched_from);
}

/* Give the CPU to the next runnable thread. The caller has already put
 * the current thread where it belongs: the run queue, a wait queue or the
 * zombies. The idle loop runs here, on the current thread's stack. */
static void schedule(void)
{
	struct ul_thread *prev = ul_current;
	struct ul_thread *next = next_thread();
	next->state = UL_THREAD_RUNNING;
	if (next == prev)
		return;
	if (ul_thread_stack_overflowed(prev))
		ul_panic("thread %s overflowed its stack", prev->name);
	/* LAB threads.switch BEGIN: hand the CPU over: count the switch, note
	 * who we switch from (ul_sched_arrive reads it on the other side),
	 * make next current, tell the sanitizer (san_leave), switch stacks
	 * (ul_arch_switch) and, back here one day, finish the arrival. */
	switches++;
	switched_from = prev;
	ul_current = next;
	san_leave(prev, next);
	ul_arch_switch(&prev->sp, next->sp);
	ul_sched_arrive();
	/* LAB threads.switch END: (void)san_leave; ul_panic("lab threads: the switch in schedule is not written yet"); */
}

_Noreturn void ul_sched_exit(void)
{
	ul_current->state = UL_THREAD_ZOMBIE;
	schedule();
	ul_panic("zombie thread %s was scheduled", ul_current->name);
}

static void check_may_block(void)
{
	if (in_scheduler)
		ul_panic("a timer callback tried to block");
}

void ul_yield(void)
{
	check_may_block();
	make_ready(ul_current);
	schedule();
}

/* Inside the core, q may be NULL: a block on nothing but the deadline. */
int ul_wait(struct ul_waitq *q, uint64_t deadline)
{
	struct ul_thread *self = ul_current;
	check_may_block();
	/* LAB threads.wait BEGIN: block the current thread: start its timer
	 * for the deadline (unless UL_FOREVER), mark it blocked on q, queue
	 * it there (q may be NULL), schedule, and return what wake() left. */
	if (deadline != UL_FOREVER &&
	    ul_timer_start(&self->timer, deadline) < 0)
		ul_panic("no memory for the timer of thread %s", self->name);
	self->state = UL_THREAD_BLOCKED;
	self->queue = q;
	if (q)
		queue_push(q, self);
	schedule();
	return self->wait_result;
	/* LAB threads.wait END: (void)self; (void)q; (void)deadline; ul_panic("lab threads: ul_wait is not written yet"); */
}

int ul_wake_one(struct ul_waitq *q)
{
	if (!q->head)
		return 0;
	wake(q->head, 0);
	return 1;
}

int ul_wake_all(struct ul_waitq *q)
{
	int n = 0;
	while (q->head) {
		wake(q->head, 0);
		n++;
	}
	return n;
}

void ul_sleep_until(uint64_t deadline)
{
	ul_wait(NULL, deadline);
}

void ul_sleep(uint64_t ns)
{
	ul_sleep_until(ul_deadline_after(ns));
}

uint32_t ul_device_wait(uint32_t ready_mask, uint64_t deadline)
{
	struct ul_thread *self = ul_current;
	self->device_mask = ready_mask;
	self->device_ready = 0;
	ul_wait(&device_waiters, deadline);
	return self->device_ready;
}

void ul_sched_stats(struct ul_sched_stats *st)
{
	size_t live = 0;
	struct ul_thread *t = &ul_main_thread;
	do {
		live += t->state != UL_THREAD_ZOMBIE;
		t = t->all_next;
	} while (t != &ul_main_thread);
	st->threads = live;
	st->switches = switches;
	st->polls = polls;
}
