/* idle-exit=SECONDS: the image ends cleanly (status 0) once no frame has
 * come in or gone out for that long, so that a monitor that boots images
 * on demand (unilab-kvm --on-demand) can let a quiet service go and boot
 * a fresh one for the next request. */
#include <unilab/cmdline.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/panic.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>
#include "stack.h"

#define NS_PER_S 1000000000ull
#define IDLE_MAX_S 86400000ul /* 1000 days: far beyond any use, no overflow */
#define IDLE_STACK (16 * 1024)

static uint64_t idle_ns;      /* 0: idle-exit not asked for */
static uint64_t last_traffic; /* ul_now() of the last frame in or out */

void net_idle_traffic(void)
{
	if (idle_ns)
		last_traffic = ul_now();
}

/* A thread, not a timer callback, so that the exit (which flushes the
 * file systems' caches) runs where a thread may block. It is not woken by
 * each frame: it sleeps until the earliest moment the image could be
 * idle, and when traffic came since, sleeps again until the new one. */
static void *idle_thread(void *arg)
{
	(void)arg;
	for (;;) {
		uint64_t quiet_until = last_traffic + idle_ns;
		if (ul_now() >= quiet_until)
			break;
		ul_sleep_until(quiet_until);
	}
	ul_info("net: no network traffic for %llu ms: exiting (idle-exit)",
	        (unsigned long long)(idle_ns / 1000000));
	ul_exit(0);
}

/* SECONDS: digits, optionally a '.' and up to three more (milliseconds);
 * more than zero. */
static int parse_seconds(const char *s, uint64_t *ns)
{
	char whole[16];
	unsigned long sec, ms = 0;
	size_t i = 0;

	while (s[i] && s[i] != '.' && i < sizeof whole - 1) {
		whole[i] = s[i];
		i++;
	}
	whole[i] = '\0';
	if (ul_parse_number(whole, IDLE_MAX_S, &sec) < 0)
		return -UL_EINVAL;
	if (s[i] == '.') {
		unsigned scale = 100, digits = 0;
		for (i++; s[i] >= '0' && s[i] <= '9' && digits < 3; i++, digits++) {
			ms += (unsigned long)(s[i] - '0') * scale;
			scale /= 10;
		}
		if (digits == 0)
			return -UL_EINVAL;
	}
	if (s[i] != '\0' || (sec == 0 && ms == 0))
		return -UL_EINVAL;
	*ns = (uint64_t)sec * NS_PER_S + (uint64_t)ms * 1000000;
	return 0;
}

int net_idle_start(void)
{
	const char *v = ul_option("idle-exit");
	if (!v)
		return 0;
	if (parse_seconds(v, &idle_ns) < 0) {
		idle_ns = 0;
		ul_error("net: bad idle-exit=%s (want seconds, more than 0, "
		         "e.g. 30 or 0.5)", v);
		return -UL_EINVAL;
	}
	last_traffic = ul_now();
	if (!ul_thread_create("net-idle", idle_thread, NULL, IDLE_STACK))
		return -UL_ENOMEM;
	return 0;
}
