/* Leveled logging. Each line gets the monotonic time since boot and its
 * level: "[    0.001234] warn: ...". The level is set with the core option
 * loglevel=error|warn|info|debug (default info). */
#ifndef UL_LOG_H
#define UL_LOG_H

#include <unilab/console.h>

enum ul_log_level {
	UL_LOG_ERROR,
	UL_LOG_WARN,
	UL_LOG_INFO,
	UL_LOG_DEBUG,
};

void ul_log(enum ul_log_level level, const char *fmt, ...) UL_PRINTF(2, 3);
/* Set the level; ul_log_parse_level returns -1 for an unknown name. */
void ul_log_set_level(enum ul_log_level level);
int ul_log_parse_level(const char *name);

#define ul_error(...) ul_log(UL_LOG_ERROR, __VA_ARGS__)
#define ul_warn(...) ul_log(UL_LOG_WARN, __VA_ARGS__)
#define ul_info(...) ul_log(UL_LOG_INFO, __VA_ARGS__)
#define ul_debug(...) ul_log(UL_LOG_DEBUG, __VA_ARGS__)

#endif
