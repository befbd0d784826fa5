/* debugee: the image the gdb tests debug (tests/integration/gdb). Each
 * thing a test looks at has a name of its own: a global that changes
 * (counter), a function with arguments and a local (add), named threads
 * that block (the workers), a place to stop once they all exist
 * (threads_started) and, with the argument "spin" or "sleep", a busy
 * loop or an hour's sleep for a debugger to interrupt. */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/string.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#define WORKERS 2
#define ROUNDS 3

int counter;           /* written by main, then by the workers */
/* The workers block here until main has passed threads_started, so a
 * debugger stopped there always finds them blocked, however slowly the
 * machine runs (a short sleep could already have ended). */
static struct ul_waitq go = UL_WAITQ_INIT;
volatile int spinning; /* "spin" loops while it is not 0 */

int add(int a, int b)
{
	int sum = a + b;
	return sum;
}

static void *worker(void *arg)
{
	int step = (int)(uintptr_t)arg;

	ul_wait(&go, UL_FOREVER);
	for (int round = 0; round < ROUNDS; round++) {
		counter += step;
		ul_sleep(UL_MS);
	}
	return NULL;
}

/* Called when the workers are blocked, before their first round. */
__attribute__((noinline)) void threads_started(void)
{
	ul_printf("threads started\n");
}

static int spin(void)
{
	spinning = 1;
	ul_printf("spinning\n");
	while (spinning)
		;
	ul_printf("spin ended\n");
	return 0;
}

static int sleep_long(void)
{
	ul_printf("sleeping\n");
	ul_sleep(3600 * UL_S);
	ul_printf("slept\n");
	return 0;
}

/* The other modes, for the tests that interrupt a running guest. */
static int run_mode(const char *mode)
{
	if (ul_strcmp(mode, "spin") == 0)
		return spin();
	if (ul_strcmp(mode, "sleep") == 0)
		return sleep_long();
	ul_printf("usage: debugee [spin|sleep]\n");
	return 2;
}

int ul_main(int argc, char **argv)
{
	static const char *const names[WORKERS] = {"worker-a", "worker-b"};
	struct ul_thread *workers[WORKERS];

	if (argc > 1)
		return run_mode(argv[1]);
	int total = add(2, 3);
	counter = total;
	for (int i = 0; i < WORKERS; i++) {
		workers[i] = ul_thread_create(names[i], worker,
		                              (void *)(uintptr_t)(i + 1), 0);
		if (!workers[i])
			return 1;
	}
	ul_yield(); /* each worker runs until it blocks on go */
	threads_started();
	ul_wake_all(&go);
	for (int i = 0; i < WORKERS; i++)
		ul_thread_join(workers[i], NULL);
	ul_printf("counter %d\n", counter);
	return counter; /* 5 + 3 * 1 + 3 * 2 = 14 */
}
