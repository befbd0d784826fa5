/* String to number, with C's strtol semantics: leading space, optional sign,
 * base 0 (prefix decides: 0x hex, 0 octal, else decimal) or 2..36; *end (if
 * end is not NULL) points after the last digit used, or to s when there was
 * none; on overflow the result saturates and *err (if err is not NULL) is
 * set to -UL_ERANGE, otherwise to 0. A base outside 0, 2..36 parses nothing:
 * the result is 0 and *err is -UL_EINVAL. */
#ifndef UL_STRTOL_H
#define UL_STRTOL_H

long ul_strtol(const char *s, char **end, int base, int *err);
long long ul_strtoll(const char *s, char **end, int base, int *err);
unsigned long ul_strtoul(const char *s, char **end, int base, int *err);
unsigned long long ul_strtoull(const char *s, char **end, int base, int *err);

/* Parse a whole string as a size: decimal digits, an optional unit K, M, G
 * or T (powers of 1024, either case), then optionally "i" after a unit and
 * "B": "4096", "512K", "64M" -> 67108864, "1GiB", "8kb". No space, sign or
 * other text. Returns 0 with *out set, -UL_EINVAL for anything else, or
 * -UL_ERANGE when the size does not fit 64 bits. */
int ul_parse_size(const char *s, unsigned long long *out);

/* Parse a whole string as a decimal number no larger than max, as an app
 * reads a count or a port from its arguments: digits only (no space, sign
 * or prefix). Returns 0 with *out set, -UL_EINVAL for anything else, or
 * -UL_ERANGE when the number is larger than max. */
int ul_parse_number(const char *s, unsigned long max, unsigned long *out);

#endif
