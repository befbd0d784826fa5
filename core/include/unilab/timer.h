/* One-shot timers on the monotonic clock. A timer's callback runs from the
 * scheduler, between threads, when its deadline has passed; it must not
 * block (it may wake threads and start timers). Timers with equal deadlines
 * fire in the order they were started. */
#ifndef UL_TIMER_H
#define UL_TIMER_H

#include <stddef.h>
#include <stdint.h>

struct ul_timer {
	uint64_t deadline;
	void (*fn)(struct ul_timer *t, void *arg);
	void *arg;
	/* private to core/timer.c */
	uint64_t seq;
	size_t slot; /* index in the timer heap, or SIZE_MAX when not pending */
};

void ul_timer_init(struct ul_timer *t, void (*fn)(struct ul_timer *, void *),
                   void *arg);
/* (Re)arm t for deadline (ns, ul_now() scale). A pending timer is moved.
 * Returns 0, or -UL_ENOMEM when the timer heap cannot grow. */
int ul_timer_start(struct ul_timer *t, uint64_t deadline);
/* Disarm t; returns 1 if it was pending, 0 if not. */
int ul_timer_cancel(struct ul_timer *t);
int ul_timer_pending(const struct ul_timer *t);

/* For the scheduler: run every timer whose deadline is <= now; return the
 * earliest remaining deadline (UL_FOREVER when none). */
uint64_t ul_timers_run(uint64_t now);
/* Number of pending timers. */
size_t ul_timers_pending(void);
/* The earliest pending deadline, or UL_FOREVER when none is pending. */
uint64_t ul_timers_next(void);

#endif
