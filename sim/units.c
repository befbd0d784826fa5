/* Numbers with units: a decimal with an optional fraction, scaled by its
 * unit exactly; a value that is not a whole number of the base unit (ns,
 * bit/s, ppb) is an error rather than silently rounded. */
#include <stdio.h>
#include <string.h>

#include "units.h"

struct unit {
	const char *name;
	uint64_t scale;
};

/* Read "DIGITS[.DIGITS]" scaled by scale; *end is left after the digits. */
static int scaled_decimal(const char *s, uint64_t scale, uint64_t *out,
                          const char **end)
{
	uint64_t whole = 0, frac = 0, frac_div = 1;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (frac_div > UINT64_MAX / 100)
				return -1;
			frac = frac * 10 + (uint64_t)(*s - '0');
			frac_div *= 10;
		}
	}
	/* frac / frac_div of scale, exactly: frac * scale needs 128 bits. */
	unsigned __int128 f = (unsigned __int128)frac * scale;
	if (f % frac_div != 0 || (scale && whole > UINT64_MAX / scale) ||
	    f / frac_div > UINT64_MAX - whole * scale)
		return -1;
	f /= frac_div;
	*out = whole * scale + (uint64_t)f;
	*end = s;
	return 0;
}

/* A decimal followed by exactly one of units' names. */
static int with_unit(const char *s, const struct unit *units, uint64_t *out)
{
	for (const struct unit *u = units; u->name; u++) {
		const char *end;
		uint64_t v;
		if (scaled_decimal(s, u->scale, &v, &end) == 0 &&
		    strcmp(end, u->name) == 0) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

int parse_time(const char *text, uint64_t *ns)
{
	static const struct unit units[] = {
		{"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000},
		{"min", 60000000000}, {NULL, 0},
	};
	if (strcmp(text, "0") == 0) {
		*ns = 0;
		return 0;
	}
	return with_unit(text, units, ns);
}

int parse_rate(const char *text, uint64_t *bps)
{
	static const struct unit units[] = {
		{"bit", 1}, {"kbit", 1000}, {"Mbit", 1000000},
		{"Gbit", 1000000000}, {NULL, 0},
	};
	return with_unit(text, units, bps) == 0 && *bps > 0 ? 0 : -1;
}

int parse_percent(const char *text, uint32_t *ppb)
{
	static const struct unit units[] = {{"%", 10000000}, {NULL, 0}};
	uint64_t v;
	if (with_unit(text, units, &v) < 0 || v > 1000000000)
		return -1;
	*ppb = (uint32_t)v;
	return 0;
}

int parse_count(const char *text, uint64_t max, uint64_t *n)
{
	const char *end;
	uint64_t v;
	if (scaled_decimal(text, 1, &v, &end) < 0 || *end || strchr(text, '.') ||
	    v > max)
		return -1;
	*n = v;
	return 0;
}

char *format_time(uint64_t ns, char *buf)
{
	snprintf(buf, 32, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
	         (unsigned long long)(ns % 1000000000));
	return buf;
}

/* value / scale as a decimal with no trailing zeros, then unit. */
static char *decimal(uint64_t value, uint64_t scale, const char *unit,
                     char *buf)
{
	int n = snprintf(buf, 32, "%llu", (unsigned long long)(value / scale));
	uint64_t frac = value % scale;
	if (frac) {
		buf[n++] = '.';
		for (uint64_t d = scale / 10; frac; d /= 10) {
			buf[n++] = (char)('0' + frac / d);
			frac %= d;
		}
	}
	snprintf(buf + n, (size_t)(32 - n), "%s", unit);
	return buf;
}

/* The largest of units (largest first) in which value is at least 1. */
static char *largest(uint64_t value, const struct unit *units, char *buf)
{
	const struct unit *u = units;
	while (u[1].name && value < u->scale)
		u++;
	return decimal(value, u->scale, u->name, buf);
}

char *format_duration(uint64_t ns, char *buf)
{
	static const struct unit units[] = {
		{"s", 1000000000}, {"ms", 1000000}, {"us", 1000}, {"ns", 1},
		{NULL, 0},
	};
	return largest(ns, units, buf);
}

char *format_rate(uint64_t bps, char *buf)
{
	static const struct unit units[] = {
		{"Gbit", 1000000000}, {"Mbit", 1000000}, {"kbit", 1000},
		{"bit", 1}, {NULL, 0},
	};
	return largest(bps, units, buf);
}

char *format_percent(uint32_t ppb, char *buf)
{
	return decimal(ppb, 10000000, "%", buf);
}
