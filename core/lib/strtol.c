/* Text to integers: one scanner with C's strtoul rules under the four
 * strto* variants, and ul_parse_size for sizes given as options. */
#include <stdbool.h>
#include <stddef.h>

#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/strtol.h>

/* What a numeral says before it is fitted to a result type. */
struct numeral {
	unsigned long long mag; /* magnitude, frozen once it passes the limit */
	bool negative;
	bool overflow; /* the magnitude went past the limit */
};

/* A digit's value in bases up to 36; 36 for anything that is no digit. */
static int digit_value(char c)
{
	if (ul_isdigit(c))
		return c - '0';
	if (ul_isalpha(c))
		return ul_tolower(c) - 'a' + 10;
	return 36;
}

/* Step over a "0x" prefix where the base allows one and settle base 0.
 * "0x" counts only when a hex digit follows: in "0xz" the numeral is the
 * "0" and parsing ends at the "x", as in C. */
static int take_prefix(const char **s, int base)
{
	const char *p = *s;
	bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	           ul_isxdigit(p[2]);

	if ((base == 0 || base == 16) && hex) {
		*s = p + 2;
		return 16;
	}
	if (base == 0)
		return p[0] == '0' ? 8 : 10;
	return base;
}

/* Scan space, sign, prefix and digits (base 0 or 2..36) into num, letting
 * the magnitude reach pos_limit, or neg_limit after a '-'. Returns the end
 * of the digits, or NULL when there were none. */
static const char *scan(const char *s, int base, unsigned long long pos_limit,
                        unsigned long long neg_limit, struct numeral *num)
{
	while (ul_isspace(*s))
		s++;
	num->negative = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	base = take_prefix(&s, base);

	unsigned long long limit = num->negative ? neg_limit : pos_limit;
	const char *digits = s;
	int d;
	for (; (d = digit_value(*s)) < base; s++) {
		if (num->mag > (limit - (unsigned)d) / (unsigned)base)
			num->overflow = true;
		else if (!num->overflow)
			num->mag = num->mag * (unsigned)base + (unsigned)d;
	}
	return s == digits ? NULL : s;
}

/* scan() plus the contract's *end and *err. */
static struct numeral parse(const char *s, char **end, int base, int *err,
                            unsigned long long pos_limit,
                            unsigned long long neg_limit)
{
	struct numeral num = {0, false, false};
	bool base_ok = base == 0 || (base >= 2 && base <= 36);
	const char *stop = base_ok ? scan(s, base, pos_limit, neg_limit, &num) :
	                             NULL;

	if (end != NULL)
		*end = (char *)(stop != NULL ? stop : s);
	if (err != NULL)
		*err = !base_ok ? -UL_EINVAL : num.overflow ? -UL_ERANGE : 0;
	return num;
}

/* Parse into a signed type whose maximum is max (its minimum: -max - 1). */
static long long to_signed(const char *s, char **end, int base, int *err,
                           long long max)
{
	unsigned long long limit = (unsigned long long)max;
	struct numeral num = parse(s, end, base, err, limit, limit + 1);

	if (num.overflow)
		return num.negative ? -max - 1 : max;
	if (!num.negative || num.mag == 0)
		return (long long)num.mag;
	/* The magnitude may be max + 1, which only fits once negated. */
	return -(long long)(num.mag - 1) - 1;
}

/* Parse into an unsigned type whose maximum is max. A '-' negates in that
 * type, as C does: "-1" is max. */
static unsigned long long to_unsigned(const char *s, char **end, int base,
                                      int *err, unsigned long long max)
{
	struct numeral num = parse(s, end, base, err, max, max);

	if (num.overflow)
		return max;
	return num.negative ? (0ull - num.mag) & max : num.mag;
}

long ul_strtol(const char *s, char **end, int base, int *err)
{
	return (long)to_signed(s, end, base, err, __LONG_MAX__);
}

long long ul_strtoll(const char *s, char **end, int base, int *err)
{
	return to_signed(s, end, base, err, __LONG_LONG_MAX__);
}

unsigned long ul_strtoul(const char *s, char **end, int base, int *err)
{
	return (unsigned long)to_unsigned(s, end, base, err, ~0ul);
}

unsigned long long ul_strtoull(const char *s, char **end, int base, int *err)
{
	return to_unsigned(s, end, base, err, ~0ull);
}

/* The power of two a size unit stands for; 0 for no unit. */
static unsigned unit_shift(char c)
{
	switch (ul_toupper(c)) {
	case 'K':
		return 10;
	case 'M':
		return 20;
	case 'G':
		return 30;
	case 'T':
		return 40;
	default:
		return 0;
	}
}

int ul_parse_size(const char *s, unsigned long long *out)
{
	char *p;
	int err;

	/* Digits first: no space, sign or prefix, which strtoull would take. */
	if (!ul_isdigit(*s))
		return -UL_EINVAL;
	unsigned long long n = ul_strtoull(s, &p, 10, &err);
	unsigned shift = unit_shift(*p);
	if (shift != 0) {
		p++;
		if (*p == 'i' || *p == 'I')
			p++;
	}
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p != '\0')
		return -UL_EINVAL;
	if (err != 0 || n > ~0ull >> shift)
		return -UL_ERANGE;
	*out = n << shift;
	return 0;
}

int ul_parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	int err;

	if (!ul_isdigit(*s))
		return -UL_EINVAL;
	unsigned long n = ul_strtoul(s, &end, 10, &err);
	if (*end != '\0')
		return -UL_EINVAL;
	if (err != 0 || n > max)
		return -UL_ERANGE;
	*out = n;
	return 0;
}
