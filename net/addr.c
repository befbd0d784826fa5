/* IPv4 addresses as text: strict dotted quads, CIDR prefixes. */
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/net.h>

/* Parse up to max_digits decimal digits at *s into *v (<= limit). */
static int number(const char **s, unsigned max_digits, unsigned limit,
                  unsigned *v)
{
	unsigned n = 0, digits = 0;
	while (ul_isdigit((unsigned char)**s) && digits < max_digits) {
		n = n * 10 + (unsigned)(**s - '0');
		(*s)++;
		digits++;
	}
	if (digits == 0 || ul_isdigit((unsigned char)**s) || n > limit)
		return -UL_EINVAL;
	*v = n;
	return 0;
}

static int parse_quad(const char **s, uint32_t *addr)
{
	uint32_t a = 0;
	for (int i = 0; i < 4; i++) {
		unsigned part;
		if (i > 0 && *(*s)++ != '.')
			return -UL_EINVAL;
		if (number(s, 3, 255, &part) < 0)
			return -UL_EINVAL;
		a = a << 8 | part;
	}
	*addr = a;
	return 0;
}

int ul_ip_parse(const char *s, uint32_t *addr)
{
	uint32_t a;
	if (!s || parse_quad(&s, &a) < 0 || *s != '\0')
		return -UL_EINVAL;
	*addr = a;
	return 0;
}

int ul_ip_parse_cidr(const char *s, uint32_t *addr, unsigned *prefix)
{
	uint32_t a;
	unsigned p = 32;
	if (!s || parse_quad(&s, &a) < 0)
		return -UL_EINVAL;
	if (*s == '/') {
		s++;
		if (number(&s, 2, 32, &p) < 0)
			return -UL_EINVAL;
	}
	if (*s != '\0')
		return -UL_EINVAL;
	*addr = a;
	*prefix = p;
	return 0;
}

char *ul_ip_format(uint32_t addr, char *buf)
{
	ul_snprintf(buf, UL_IP_STRLEN, "%u.%u.%u.%u", addr >> 24,
	            addr >> 16 & 0xff, addr >> 8 & 0xff, addr & 0xff);
	return buf;
}
