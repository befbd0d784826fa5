/* Leveled logging: each line is stamped with seconds since boot, like a
 * kernel log, so a reader can see where time goes. */
#include <unilab/log.h>
#include <unilab/string.h>
#include <unilab/time.h>

static enum ul_log_level current = UL_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void ul_log_set_level(enum ul_log_level level)
{
	current = level;
}

int ul_log_parse_level(const char *name)
{
	for (int i = 0; i <= UL_LOG_DEBUG; i++)
		if (ul_strcmp(name, level_names[i]) == 0)
			return i;
	return -1;
}

void ul_log(enum ul_log_level level, const char *fmt, ...)
{
	if (level > current)
		return;
	/* One formatted line, one console write: lines never interleave. */
	char line[256];
	uint64_t t = ul_now();
	int n = ul_snprintf(line, sizeof line, "[%5u.%06u] %s: ",
	                    (unsigned)(t / UL_S), (unsigned)(t % UL_S / UL_US),
	                    level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	n += ul_vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 1) {
		n = sizeof line - 1; /* truncated: keep the newline */
		ul_memcpy(line + n - 4, "...", 3);
	}
	line[n++] = '\n';
	ul_console_write(line, (size_t)n);
}
