/* Numbers with units in scenario files: times, bit rates, percentages and
 * counts, read exactly into integers (no floating point, so a value means
 * the same on every machine). */
#ifndef UL_SIM_UNITS_H
#define UL_SIM_UNITS_H

#include <stdint.h>

/* Each returns 0, or -1 when text is not a value of its kind. */

/* "20ms", "1.5s", "250us", "3min", "0": nanoseconds. */
int parse_time(const char *text, uint64_t *ns);
/* "10Mbit", "1.5Gbit", "64kbit", "9600bit": bits per second, above 0. */
int parse_rate(const char *text, uint64_t *bps);
/* "1%", "0.25%", "100%": parts per billion. */
int parse_percent(const char *text, uint32_t *ppb);
/* A plain decimal number from 0 to max. */
int parse_count(const char *text, uint64_t max, uint64_t *n);

/* The other way, for logs, summaries and drawings; buf holds at least 32
 * bytes and is returned. */
/* Virtual time as "SECONDS.NANOSECONDS" (a fixed number of digits). */
char *format_time(uint64_t ns, char *buf);
/* In the largest unit that keeps it whole, as written: "50ms", "1.5s". */
char *format_duration(uint64_t ns, char *buf);
char *format_rate(uint64_t bps, char *buf);    /* "10Mbit" */
char *format_percent(uint32_t ppb, char *buf); /* "0.5%" */

#endif
