/* Cooperative threads. One thread runs at a time and runs until it blocks,
 * yields, sleeps or exits; there is no preemption, so code between those
 * calls is atomic with respect to other threads. When no thread can run,
 * the scheduler runs due timers and sleeps in the backend's poll until the
 * next deadline or device input. */
#ifndef UL_THREAD_H
#define UL_THREAD_H

#include <stddef.h>
#include <stdint.h>
#include <unilab/time.h>
#include <unilab/timer.h>

struct ul_thread;

/* Start fn(arg) in a new thread with a stack of stack_size bytes (0 means
 * the default). The new thread runs when the caller next blocks or yields.
 * Returns NULL when out of memory. name (copied, up to 15 bytes) shows in
 * logs and in the debugger. */
struct ul_thread *ul_thread_create(const char *name, void *(*fn)(void *),
                                   void *arg, size_t stack_size);
/* End the calling thread with a result for ul_thread_join. Ending the main
 * thread (the one that runs ul_main) ends the image with status 0. */
_Noreturn void ul_thread_exit(void *result);
/* Wait for t to end, store its result in *result (if not NULL) and free it.
 * -UL_EDEADLK when t is the caller, -UL_EINVAL when t is already joined
 * by another thread. */
int ul_thread_join(struct ul_thread *t, void **result);
/* Let t free itself when it ends: nobody will join it. A thread that has
 * already ended is freed now. -UL_EINVAL when t is being joined or was
 * already detached. */
int ul_thread_detach(struct ul_thread *t);
/* Let the other runnable threads run first. */
void ul_yield(void);
/* Sleep for ns nanoseconds / until the monotonic clock reaches deadline. */
void ul_sleep(uint64_t ns);
void ul_sleep_until(uint64_t deadline);

struct ul_thread *ul_thread_self(void);
const char *ul_thread_name(const struct ul_thread *t);
unsigned ul_thread_id(const struct ul_thread *t); /* 1 is the main thread */

/* Wait queues: the one blocking primitive under everything else. */
struct ul_waitq {
	struct ul_thread *head, *tail;
};
#define UL_WAITQ_INIT {0, 0}
/* Block until woken or until deadline (UL_FOREVER: no deadline). Returns 0
 * when woken, -UL_ETIMEDOUT when the deadline came first. */
int ul_wait(struct ul_waitq *q, uint64_t deadline);
/* Wake the longest waiter / all waiters; return how many were woken. */
int ul_wake_one(struct ul_waitq *q);
int ul_wake_all(struct ul_waitq *q);

/* Block until one of the devices in ready_mask (UL_READY_* bits from
 * platform.h) reports input, or deadline. Returns the ready bits from
 * ready_mask, 0 on timeout. */
uint32_t ul_device_wait(uint32_t ready_mask, uint64_t deadline);

/* A sleeping mutex (not recursive). Unlocking a mutex the caller does not
 * hold is a panic. */
struct ul_mutex {
	struct ul_thread *owner;
	struct ul_waitq waiters;
};
#define UL_MUTEX_INIT {0, UL_WAITQ_INIT}
void ul_mutex_lock(struct ul_mutex *m);
int ul_mutex_trylock(struct ul_mutex *m); /* 0, or -UL_EBUSY */
void ul_mutex_unlock(struct ul_mutex *m);

/* Condition variable. ul_cond_wait releases m while it sleeps and holds it
 * again when it returns; 0, or -UL_ETIMEDOUT at the deadline. */
struct ul_cond {
	struct ul_waitq waiters;
};
#define UL_COND_INIT {UL_WAITQ_INIT}
int ul_cond_wait(struct ul_cond *c, struct ul_mutex *m, uint64_t deadline);
void ul_cond_signal(struct ul_cond *c);
void ul_cond_broadcast(struct ul_cond *c);

/* Scheduler statistics (for tests and the debugger). */
struct ul_sched_stats {
	size_t threads;  /* live threads, including the caller */
	size_t switches; /* context switches so far */
	size_t polls;    /* calls into the backend's poll */
};
void ul_sched_stats(struct ul_sched_stats *st);

#endif
