/* The boot path: backend entry -> ul_boot -> heap, threads, command line ->
 * the app's ul_main -> the backend's exit with the app's status. */
#include <unilab/app.h>
#include <unilab/cmdline.h>
#include <unilab/log.h>
#include <unilab/mem.h>
#include <unilab/panic.h>
#include <unilab/string.h>
#include "platform.h"
#include "sched.h"

static const struct ul_boot_info *boot_info;

/* The file system's boot step, present when the image uses files (fs/
 * defines it; weak, so that the core does not depend on fs/). */
void ul_fs_boot(void) __attribute__((weak));
static struct ul_cmdline boot_cmdline;

const char *ul_backend(void)
{
	return boot_info ? boot_info->backend : "none";
}

/* Exit with a message if the command line is unusable. */
static _Noreturn void bad_cmdline(const char *why)
{
	ul_printf("unilab: bad command line: %s\n", why);
	ul_exit(UL_EXIT_CMDLINE);
}

/* Apply the core options; return whether verbose=1 was given. */
static int apply_options(void)
{
	const char *level = ul_option("loglevel");
	if (level) {
		int l = ul_log_parse_level(level);
		if (l < 0)
			bad_cmdline("loglevel must be error, warn, info or debug");
		ul_log_set_level((enum ul_log_level)l);
	}
	const char *verbose = ul_option("verbose");
	if (verbose && ul_strcmp(verbose, "0") != 0 &&
	    ul_strcmp(verbose, "1") != 0)
		bad_cmdline("verbose must be 0 or 1");
	return verbose && verbose[0] == '1';
}

/* What the image found at boot: at info level with verbose=1, else debug. */
static void describe_machine(const struct ul_boot_info *info, int verbose)
{
	enum ul_log_level l = verbose ? UL_LOG_INFO : UL_LOG_DEBUG;
	ul_log(l, "unilab: app %s on the %s backend", info->app, info->backend);
	ul_log(l, "memory: %zu KiB of heap at %p", info->heap_size >> 10,
	       info->heap_base);
	ul_log(l, "devices: %u network interface(s), %u block device(s)",
	       info->net_count, info->block_count);
}

_Noreturn void ul_boot(const struct ul_boot_info *info)
{
	boot_info = info;
	ul_page_init(info->heap_base, info->heap_size);
	ul_sched_init();

	char err[160];
	if (ul_cmdline_parse(info->cmdline, info->app, &boot_cmdline, err,
	                     sizeof err) < 0)
		bad_cmdline(err);
	ul_cmdline_set_boot(&boot_cmdline);
	describe_machine(info, apply_options());
	if (ul_fs_boot)
		ul_fs_boot();
	if (info->before_main)
		info->before_main();

	int status = ul_main(boot_cmdline.argc, boot_cmdline.argv);
	ul_exit(status);
}
