/* Mutexes and condition variables, built on wait queues. Threads are
 * cooperative, so the code between two blocking calls needs no atomics. */
#include <unilab/errno.h>
#include <unilab/panic.h>
#include <unilab/thread.h>
#include <unilab/time.h>

/* An unlock hands the mutex straight to its longest waiter, so waiters
 * get it in FIFO order and a thread that relocks at once cannot starve
 * them. */
void ul_mutex_lock(struct ul_mutex *m)
{
	struct ul_thread *self = ul_thread_self();
	/* LAB threads.mutex BEGIN: take a free mutex at once; panic when the
	 * owner locks it again; otherwise wait on m->waiters (the unlock hands
	 * the mutex over, see below). */
	if (!m->owner) {
		m->owner = self;
		return;
	}
	if (m->owner == self)
		ul_panic("thread %s locked a mutex it already holds",
		         ul_thread_name(self));
	ul_wait(&m->waiters, UL_FOREVER);
	/* LAB threads.mutex END: (void)self; (void)m; ul_panic("lab threads: ul_mutex_lock is not written yet"); */
}

int ul_mutex_trylock(struct ul_mutex *m)
{
	if (m->owner)
		return -UL_EBUSY;
	m->owner = ul_thread_self();
	return 0;
}

void ul_mutex_unlock(struct ul_mutex *m)
{
	struct ul_thread *self = ul_thread_self();
	if (m->owner != self)
		ul_panic("thread %s unlocked a mutex held by %s",
		         ul_thread_name(self),
		         m->owner ? ul_thread_name(m->owner) : "nobody");
	/* LAB threads.mutex BEGIN: hand the mutex to its longest waiter (the
	 * head of m->waiters, or nobody) and wake that waiter. */
	m->owner = m->waiters.head;
	ul_wake_one(&m->waiters);
	/* LAB threads.mutex END: ul_panic("lab threads: ul_mutex_unlock's hand-over is not written yet"); */
}

/* No wake-up can slip in between the unlock and the wait: nothing else
 * runs until this thread blocks. */
int ul_cond_wait(struct ul_cond *c, struct ul_mutex *m, uint64_t deadline)
{
	/* LAB threads.cond BEGIN: release m, wait on c until woken or the
	 * deadline, take m back, and return what the wait returned. */
	ul_mutex_unlock(m);
	int err = ul_wait(&c->waiters, deadline);
	ul_mutex_lock(m);
	return err;
	/* LAB threads.cond END: (void)c; (void)m; (void)deadline; ul_panic("lab threads: ul_cond_wait is not written yet"); */
}

void ul_cond_signal(struct ul_cond *c)
{
	ul_wake_one(&c->waiters);
}

void ul_cond_broadcast(struct ul_cond *c)
{
	ul_wake_all(&c->waiters);
}
