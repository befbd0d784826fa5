/* Thread lifecycle: creation with its own stack, exit, join, names and ids.
 * Scheduling itself (who runs, blocking, waking) lives in sched.c. */
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/string.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "debug_info.h"
#include "sched.h"

/* Guests get small stacks; hosted builds may run under AddressSanitizer,
 * whose redzones make every frame several times larger. */
#ifdef UL_HOSTED
#define DEFAULT_STACK_SIZE (256 * 1024)
#else
#define DEFAULT_STACK_SIZE (16 * 1024)
#endif

/* Written at the bottom of every stack and checked at each switch: there
 * is no guard page, so this is how an overflow gets noticed. */
#define STACK_CANARY 0x756c737461636b21ull

#ifdef __SANITIZE_ADDRESS__
/* From AddressSanitizer's public interface. */
void __asan_unpoison_memory_region(const volatile void *addr, size_t size);
#endif

struct ul_thread ul_main_thread;
static unsigned next_id;

_Static_assert(sizeof ul_main_thread.id == 4 && sizeof ul_main_thread.state == 4,
               "debug_info.h promises 32-bit id and state fields");
const struct ul_debug_info ul_debug_info = {
	.version = UL_DEBUG_INFO_VERSION,
	.thread_size = sizeof(struct ul_thread),
	.sp = offsetof(struct ul_thread, sp),
	.id = offsetof(struct ul_thread, id),
	.name = offsetof(struct ul_thread, name),
	.name_size = sizeof(ul_main_thread.name),
	.state = offsetof(struct ul_thread, state),
	.all_next = offsetof(struct ul_thread, all_next),
	.frame_size = UL_SWITCH_WORDS * sizeof(uint64_t),
	.frame_rip = UL_SWITCH_RIP * sizeof(uint64_t),
	.frame_rbp = UL_SWITCH_RBP * sizeof(uint64_t),
	.frame_rbx = UL_SWITCH_RBX * sizeof(uint64_t),
	.frame_r12 = UL_SWITCH_R12 * sizeof(uint64_t),
	.frame_r13 = UL_SWITCH_R13 * sizeof(uint64_t),
	.frame_r14 = UL_SWITCH_R14 * sizeof(uint64_t),
	.frame_r15 = UL_SWITCH_R15 * sizeof(uint64_t),
};

void ul_thread_init_main(void)
{
	struct ul_thread *t = &ul_main_thread;
	*t = (struct ul_thread){.id = 1, .state = UL_THREAD_RUNNING};
	ul_strlcpy(t->name, "main", sizeof t->name);
	t->all_next = t->all_prev = t;
	next_id = 2;
}

static void link_thread(struct ul_thread *t)
{
	t->all_next = &ul_main_thread;
	t->all_prev = ul_main_thread.all_prev;
	t->all_prev->all_next = t;
	ul_main_thread.all_prev = t;
}

static void unlink_thread(struct ul_thread *t)
{
	t->all_prev->all_next = t->all_next;
	t->all_next->all_prev = t->all_prev;
}

/* The first function on a new thread's stack. Returning from fn is the
 * same as calling ul_thread_exit with its result. */
static _Noreturn void thread_main(void *arg)
{
	struct ul_thread *t = arg;
	ul_sched_arrive();
	ul_thread_exit(t->fn(t->arg));
}

static int alloc_stack(struct ul_thread *t, size_t size)
{
	size_t pages = (size + UL_PAGE_SIZE - 1) / UL_PAGE_SIZE;
	if (pages == 0)
		pages = 1;
	t->stack = ul_page_alloc(pages);
	if (!t->stack)
		return -UL_ENOMEM;
	t->stack_size = pages * UL_PAGE_SIZE;
	*(uint64_t *)t->stack = STACK_CANARY;
	t->san_bottom = t->stack;
	t->san_size = t->stack_size;
	return 0;
}

struct ul_thread *ul_thread_create(const char *name, void *(*fn)(void *),
                                   void *arg, size_t stack_size)
{
	struct ul_thread *t = ul_calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (alloc_stack(t, stack_size ? stack_size : DEFAULT_STACK_SIZE) < 0) {
		ul_free(t);
		return NULL;
	}
	t->id = next_id++;
	if (name)
		ul_strlcpy(t->name, name, sizeof t->name);
	else
		ul_snprintf(t->name, sizeof t->name, "thread%u", t->id);
	t->fn = fn;
	t->arg = arg;
	t->sp = ul_arch_context_init((char *)t->stack + t->stack_size,
	                             thread_main, t);
	link_thread(t);
	ul_sched_start(t);
	return t;
}

static void free_stack(struct ul_thread *t)
{
	if (!t->stack)
		return;
#ifdef __SANITIZE_ADDRESS__
	/* Frames that never returned (the exit path) left their redzones
	 * poisoned; the pages are about to be reused for something else. */
	__asan_unpoison_memory_region(t->stack, t->stack_size);
#endif
	ul_page_free(t->stack, t->stack_size / UL_PAGE_SIZE);
	t->stack = NULL;
}

int ul_thread_stack_overflowed(const struct ul_thread *t)
{
	return t->stack && *(const uint64_t *)t->stack != STACK_CANARY;
}

_Noreturn void ul_thread_exit(void *result)
{
	struct ul_thread *self = ul_current;
	if (self == &ul_main_thread)
		ul_exit(0);
	self->result = result;
	ul_wake_all(&self->exited);
	ul_sched_exit();
}

static void free_thread(struct ul_thread *t)
{
	unlink_thread(t);
	ul_free(t);
}

void ul_thread_reap(struct ul_thread *t)
{
	free_stack(t);
	if (t->detached)
		free_thread(t);
}

/* A zombie nobody joins or detaches keeps its struct (a few hundred
 * bytes; its stack is already freed) until the image ends. */
int ul_thread_join(struct ul_thread *t, void **result)
{
	if (t == ul_current)
		return -UL_EDEADLK;
	if (t->joiner || t->detached)
		return -UL_EINVAL;
	t->joiner = ul_current;
	while (t->state != UL_THREAD_ZOMBIE)
		ul_wait(&t->exited, UL_FOREVER);
	if (result)
		*result = t->result;
	free_thread(t);
	return 0;
}

int ul_thread_detach(struct ul_thread *t)
{
	if (t->joiner || t->detached || t == &ul_main_thread)
		return -UL_EINVAL;
	/* An ended thread's stack went with the switch away from it. */
	if (t->state == UL_THREAD_ZOMBIE)
		free_thread(t);
	else
		t->detached = 1;
	return 0;
}

struct ul_thread *ul_thread_self(void)
{
	return ul_current;
}

const char *ul_thread_name(const struct ul_thread *t)
{
	return t->name;
}

unsigned ul_thread_id(const struct ul_thread *t)
{
	return t->id;
}
