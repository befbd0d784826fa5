/* sleepers: threads that each wake on their own period. Their lines come
 * out in deadline order, which exercises threads, timers and the idle loop
 * (nothing is runnable between ticks, so the image sleeps in poll). */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#define TICKS 3

static uint64_t start;

static void *sleeper(void *arg)
{
	uint64_t period_ms = (uint64_t)(uintptr_t)arg;
	for (int tick = 1; tick <= TICKS; tick++) {
		uint64_t due = start + tick * period_ms * UL_MS;
		ul_sleep_until(due);
		if (ul_now() < due) {
			ul_printf("%s woke early\n", ul_thread_name(ul_thread_self()));
			return (void *)1;
		}
		ul_printf("%4u ms: %s tick %d\n", (unsigned)(tick * period_ms),
		          ul_thread_name(ul_thread_self()), tick);
	}
	return NULL;
}

int ul_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const unsigned periods_ms[] = {110, 30, 70, 50};
	enum { N = sizeof periods_ms / sizeof periods_ms[0] };
	struct ul_thread *threads[N];

	start = ul_now();
	for (int i = 0; i < N; i++) {
		char name[16];
		ul_snprintf(name, sizeof name, "sleeper-%u", periods_ms[i]);
		threads[i] = ul_thread_create(name, sleeper,
		                              (void *)(uintptr_t)periods_ms[i], 0);
		if (!threads[i]) {
			ul_printf("cannot create %s\n", name);
			return 1;
		}
	}
	int failed = 0;
	for (int i = 0; i < N; i++) {
		void *result;
		ul_thread_join(threads[i], &result);
		failed |= result != NULL;
	}
	ul_printf("%d sleepers done\n", N);
	return failed;
}
