/* faults: ends the image in the way its first argument names, so tests can
 * check each ending's message and exit status on every backend. */
#include <stdbool.h>

#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#include "debug_info.h"

#define NAPPERS 3

/* A thread that sleeps until the image ends, so that a crash elsewhere
 * finds it switched out (for the core file's threads). */
static void *napper(void *arg)
{
	(void)arg;
	for (;;)
		ul_sleep_until(ul_now() + 3600 * 1000 * UL_MS);
	return NULL;
}

/* Crash in the main thread while NAPPERS others sleep; wild: after
 * scribbling over the thread list first, as a hostile guest would, for a
 * debugger or core dumper that reads it (a cycle that never comes back to
 * the main thread, a stack pointer outside memory, a name without its
 * NUL). */
static __attribute__((noinline)) int crash_among_threads(bool wild)
{
	struct ul_thread *t[NAPPERS];
	for (int i = 0; i < NAPPERS; i++) {
		char name[16];
		ul_snprintf(name, sizeof name, "napper-%d", i + 1);
		if (!(t[i] = ul_thread_create(name, napper, NULL, 0)))
			return 1;
	}
	ul_sleep_until(ul_now() + 10 * UL_MS); /* they all run, then sleep */
	if (wild) {
		const struct ul_debug_info *l = &ul_debug_info;
		char *first = (char *)t[0], *second = (char *)t[1];
		*(void **)(first + l->all_next) = first;
		*(uint64_t *)(second + l->sp) = 0xfffffffffffff000ull;
		ul_memset(second + l->name, 'x', l->name_size);
	}
	int *volatile bad = (int *)24;
	return *bad;
}

/* Allocate 4 KiB blocks until the heap says no, then give them all back:
 * running out of memory is an answer (NULL), not a crash. */
static int exhaust_heap(void)
{
	void **blocks = NULL;
	size_t n = 0;
	for (;;) {
		void **b = ul_malloc(4096);
		if (!b)
			break;
		*b = blocks; /* chain the blocks through their first word */
		blocks = b;
		n++;
	}
	struct ul_heap_stats st;
	ul_heap_stats(&st);
	ul_printf("malloc returned NULL after %s allocations; failures=%zu\n",
	          n > 0 ? "some" : "no", st.failures);
	while (blocks) {
		void **next = *blocks;
		ul_free(blocks);
		blocks = next;
	}
	void *again = ul_malloc(4096);
	ul_printf("after freeing everything, malloc %s\n",
	          again ? "works again" : "still fails");
	return again ? 0 : 1;
}

int ul_main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	if (ul_strcmp(what, "panic") == 0)
		ul_panic("deliberate panic %d", 42);
	if (ul_strcmp(what, "assert") == 0)
		UL_ASSERT(argc == 100);
	if (ul_strcmp(what, "status") == 0 && argc > 2)
		return (int)ul_strtol(argv[2], NULL, 10, NULL);
	if (ul_strcmp(what, "oom") == 0)
		return exhaust_heap();
	/* CPU exceptions, for the backends that report them (status 115). */
	if (ul_strcmp(what, "bad-pointer") == 0) {
		int *volatile bad = (int *)16; /* hidden from the optimizer */
		return *bad;
	}
	if (ul_strcmp(what, "divide-by-zero") == 0) {
		volatile int n = 42, zero = 0; /* a real idiv, not 1/x tricks */
		return n / zero;
	}
	if (ul_strcmp(what, "threads") == 0)
		return crash_among_threads(false);
	if (ul_strcmp(what, "wild-threads") == 0)
		return crash_among_threads(true);
	if (ul_strcmp(what, "double-free") == 0) {
		void *p = ul_malloc(100);
		ul_free(p);
		ul_free(p);
	}
	ul_printf("usage: faults panic|assert|status N|oom|double-free|"
	          "bad-pointer|divide-by-zero|threads|wild-threads\n");
	return 1;
}
