/* A host stack of our own for calls into host libraries whose frames are
 * too large for the stack they are called on. A posix image calls its
 * backend on its own threads' stacks: 64 KB for httpd's and kv's
 * connections, carved from the image's heap with no guard page. libslirp
 * keeps a whole frame buffer on the stack (over 64 KB in if_encap), so run
 * there it wrote below the thread's stack into the image's heap. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <unilab/errno.h>

#include "nic.h"

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer must know which stack is in use, or it takes frames on
 * ours for overflows of theirs. */
#include <sanitizer/common_interface_defs.h>
#else
#define __sanitizer_start_switch_fiber(save, bottom, size) ((void)(bottom))
#define __sanitizer_finish_switch_fiber(save, bottom, size) ((void)(save))
#endif

/* Room for libslirp's deepest path (tcp_input to if_encap's 64 KB buffer)
 * several times over, and for the sanitizer's larger frames. */
#define STACK_SIZE (1024 * 1024)
#define GUARD_SIZE 4096 /* below the stack, so an overflow faults */

static struct {
	char *base; /* the usable stack, above the guard page */
	bool inside;
	ucontext_t caller, callee;
	void (*fn)(void *);
	void *arg;
	const void *caller_bottom; /* the caller's stack, for the sanitizer */
	size_t caller_size;
} st;

static void trampoline(void)
{
	__sanitizer_finish_switch_fiber(NULL, &st.caller_bottom,
	                                &st.caller_size);
	st.fn(st.arg);
	/* No fake-stack slot: this context ends, its fake stack goes. */
	__sanitizer_start_switch_fiber(NULL, st.caller_bottom, st.caller_size);
	/* Returning resumes st.caller through uc_link. */
}

int ul_host_stack_init(struct ul_host_error *err)
{
	if (st.base)
		return 0;
	char *m = mmap(NULL, GUARD_SIZE + STACK_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return ul_host_fail(err, -UL_ENOMEM,
				    "no memory for a host stack");
	mprotect(m, GUARD_SIZE, PROT_NONE);
	st.base = m + GUARD_SIZE;
	return 0;
}

void ul_host_stack_call(void (*fn)(void *), void *arg)
{
	/* A callback into us that calls the library again is already here. */
	if (st.inside) {
		fn(arg);
		return;
	}
	st.inside = true;
	st.fn = fn;
	st.arg = arg;
	if (getcontext(&st.callee) < 0) {
		perror("host stack: getcontext");
		abort();
	}
	st.callee.uc_stack.ss_sp = st.base;
	st.callee.uc_stack.ss_size = STACK_SIZE;
	st.callee.uc_link = &st.caller;
	makecontext(&st.callee, trampoline, 0);
	void *fake = NULL;
	__sanitizer_start_switch_fiber(&fake, st.base, STACK_SIZE);
	if (swapcontext(&st.caller, &st.callee) < 0) {
		perror("host stack: swapcontext");
		abort();
	}
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
	st.inside = false;
}
