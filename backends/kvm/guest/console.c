/* kvm guest: the console. Every hypercall is a VM exit, so bytes are
 * gathered in a line buffer and handed over on a newline, when the buffer
 * is full, before the guest sleeps and at exit. */
#include "guest.h"
#include "platform.h"

#define CONSOLE_BUF 512

static char buf[CONSOLE_BUF];
static size_t used;

static void console_hypercall(const char *p, size_t len)
{
	struct ul_kvm_console c = {.data = (uintptr_t)p, .len = len};
	ul_kvm_hypercall(UL_KVM_HC_CONSOLE, &c);
}

void ul_kvm_console_flush(void)
{
	if (used > 0)
		console_hypercall(buf, used);
	used = 0;
}

void ul_plat_console_write(const char *p, size_t len)
{
	int newline = 0;

	/* A write too long to buffer goes out directly, in order. */
	if (len > CONSOLE_BUF - used) {
		ul_kvm_console_flush();
		if (len >= CONSOLE_BUF) {
			console_hypercall(p, len);
			return;
		}
	}
	for (size_t i = 0; i < len; i++) {
		buf[used++] = p[i];
		newline |= p[i] == '\n';
	}
	if (newline || used == CONSOLE_BUF)
		ul_kvm_console_flush();
}
