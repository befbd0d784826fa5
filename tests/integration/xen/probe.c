/* probe: a test image for the xen backend's platform calls, in the modes
 * its first argument names.
 *
 *   probe devices        every net and block call, with what it returned
 *   probe clock SECONDS  the clocks against each other and against the
 *                        host's wall clock (SECONDS since the epoch)
 *   probe console        output that tests the console's framing: long
 *                        lines, lines at the record size, blank lines, a
 *                        tab, and a last line with no newline
 *   probe sleep SECONDS  sleep, then exit 0
 */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/thread.h>
#include <unilab/time.h>

#include "platform.h"

#define NS_PER_S 1000000000ull
#define NS_PER_MS 1000000ull

static void report(const char *call, long rc)
{
	ul_printf("%s -> %ld (%s)\n", call, rc, rc < 0 ? ul_strerror((int)-rc) : "ok");
}

static int devices(void)
{
	struct ul_net_info ni;
	struct ul_block_info bi;
	char buf[512] = {0};

	report("net_info", ul_plat_net_info(0, &ni));
	report("net_send", ul_plat_net_send(0, buf, 60));
	report("net_recv", ul_plat_net_recv(0, buf, sizeof(buf)));
	report("block_info", ul_plat_block_info(0, &bi));
	report("block_read", ul_plat_block_read(0, 0, buf, 1));
	report("block_write", ul_plat_block_write(0, 0, buf, 1));
	return 0;
}

/* Sleeping 50 ms must move both clocks by about that much; the wall clock
 * must agree with the host's to within the RTC's resolution and the boot. */
static int clock(const char *host_seconds)
{
	uint64_t host = (uint64_t)ul_strtol(host_seconds, NULL, 10, NULL);
	uint64_t m0 = ul_now(), w0 = ul_wall();
	ul_sleep(50 * NS_PER_MS);
	uint64_t m1 = ul_now(), w1 = ul_wall();
	uint64_t slept = m1 - m0, wall_slept = w1 - w0;
	uint64_t wall_s = w1 / NS_PER_S;
	int ok = 1;

	if (slept < 50 * NS_PER_MS || slept > 5 * NS_PER_S) {
		ul_printf("monotonic clock moved %llu ns over a 50 ms sleep\n",
		          (unsigned long long)slept);
		ok = 0;
	}
	if (wall_slept + NS_PER_MS < slept || wall_slept > slept + NS_PER_MS) {
		ul_printf("wall clock moved %llu ns, monotonic %llu ns\n",
		          (unsigned long long)wall_slept, (unsigned long long)slept);
		ok = 0;
	}
	if (wall_s + 30 < host || wall_s > host + 30) {
		ul_printf("wall clock says %llu s since the epoch, the host %llu s\n",
		          (unsigned long long)wall_s, (unsigned long long)host);
		ok = 0;
	}
	ul_printf("clock %s\n", ok ? "ok" : "wrong");
	return ok ? 0 : 1;
}

static void line_of(size_t len, char c)
{
	char buf[1024];

	ul_memset(buf, c, len);
	buf[len] = '\n';
	ul_console_write(buf, len + 1);
}

static int console(void)
{
	for (size_t len = 110; len <= 120; len++)
		line_of(len, (char)('a' + len % 26));
	line_of(1000, 'z');
	ul_printf("\n\ttab, then an empty line above\n\n");
	ul_printf("ul#exit status 99 is only text here\n");
	ul_printf("the last line has no newline");
	return 3;
}

int ul_main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (ul_strcmp(mode, "devices") == 0)
		return devices();
	if (ul_strcmp(mode, "clock") == 0 && argc > 2)
		return clock(argv[2]);
	if (ul_strcmp(mode, "console") == 0)
		return console();
	if (ul_strcmp(mode, "sleep") == 0 && argc > 2) {
		ul_sleep((uint64_t)ul_strtol(argv[2], NULL, 10, NULL) * NS_PER_S);
		return 0;
	}
	ul_printf("usage: probe devices|clock SECONDS|console|sleep SECONDS\n");
	return 1;
}
