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
	if (!m->owner) {
		m->owner = self;
		return;
	}
	if (m->owner == self)
		ul_panic("thread %s locked a mutex it already holds",
		         ul_thread_name(self));
	ul_wait(&m->waiters, UL_FOREVER);
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
	m->owner = m->waiters.head;
	ul_wake_one(&m->waiters);
}

/* No wake-up can slip in between the unlock and the wait: nothing else
 * runs until this thread blocks. */
int ul_cond_wait(struct ul_cond *c, struct ul_mutex *m, uint64_t deadline)
{
	ul_mutex_unlock(m);
	int err = ul_wait(&c->waiters, deadline);
	ul_mutex_lock(m);
	return err;
}

void ul_cond_signal(struct ul_cond *c)
{
	ul_wake_one(&c->waiters);
}

void ul_cond_broadcast(struct ul_cond *c)
{
	ul_wake_all(&c->waiters);
}
