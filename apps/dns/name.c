/* Domain names in wire form: comparison, hashing, reading them out of
 * messages and parsing them from zone-file text. */
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/string.h>
#include "name.h"

size_t name_len(const uint8_t *n)
{
	size_t len = 0;
	while (n[len])
		len += 1 + (size_t)n[len];
	return len + 1;
}

unsigned name_labels(const uint8_t *n)
{
	unsigned k = 0;
	for (; *n; n += 1 + *n)
		k++;
	return k;
}

const uint8_t *name_suffix(const uint8_t *n, unsigned drop)
{
	while (drop-- && *n)
		n += 1 + *n;
	return n;
}

bool name_eq(const uint8_t *a, const uint8_t *b)
{
	for (;;) {
		if (*a != *b)
			return false;
		if (*a == 0)
			return true;
		for (unsigned i = 1; i <= *a; i++)
			if (ul_tolower(a[i]) != ul_tolower(b[i]))
				return false;
		a += 1 + *a;
		b += 1 + *b;
	}
}

bool name_under(const uint8_t *a, const uint8_t *b)
{
	unsigned na = name_labels(a), nb = name_labels(b);
	return na >= nb && name_eq(name_suffix(a, na - nb), b);
}

/* FNV-1a over the lower-cased bytes: equal names (name_eq) hash alike. */
uint32_t name_hash(const uint8_t *n)
{
	uint32_t h = 2166136261u;
	size_t len = name_len(n);
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)ul_tolower(n[i]);
		h *= 16777619u;
	}
	return h;
}

/* One character of a label, with its escape (\X or \DDD) if it has one:
 * the byte, or -1 for a bad escape. *i moves past it. */
static int label_char(const char *t, size_t len, size_t *i)
{
	if (t[*i] != '\\')
		return (uint8_t)t[(*i)++];
	if (*i + 1 >= len)
		return -1;
	if (!ul_isdigit((unsigned char)t[*i + 1])) {
		*i += 2;
		return (uint8_t)t[*i - 1];
	}
	if (*i + 3 >= len)
		return -1;
	int v = 0;
	for (int k = 1; k <= 3; k++) {
		if (!ul_isdigit((unsigned char)t[*i + k]))
			return -1;
		v = v * 10 + (t[*i + k] - '0');
	}
	*i += 4;
	return v > 255 ? -1 : v;
}

int name_parse(const char *text, size_t len, const uint8_t *origin,
               uint8_t *out)
{
	if (len == 1 && text[0] == '@') {
		if (!origin)
			return -UL_EINVAL;
		size_t n = name_len(origin);
		ul_memcpy(out, origin, n);
		return (int)n;
	}
	if (len == 1 && text[0] == '.') {
		out[0] = 0;
		return 1;
	}
	size_t o = 0, i = 0;
	bool absolute = false;
	while (i < len) {
		size_t lab = o++;
		while (i < len && text[i] != '.') {
			int c = label_char(text, len, &i);
			if (c < 0 || o - lab > 63 || o >= NAME_WIRE_MAX - 1)
				return -UL_EINVAL;
			out[o++] = (uint8_t)c;
		}
		if (o - lab == 1)
			return -UL_EINVAL; /* an empty label: ".." or a leading dot */
		out[lab] = (uint8_t)(o - lab - 1);
		if (i < len && ++i == len)
			absolute = true; /* the dot was the last character */
	}
	if (len == 0)
		return -UL_EINVAL;
	if (absolute) {
		out[o++] = 0;
		return (int)o;
	}
	if (!origin)
		return -UL_EINVAL;
	size_t on = name_len(origin);
	if (o + on > NAME_WIRE_MAX)
		return -UL_EINVAL;
	ul_memcpy(out + o, origin, on);
	return (int)(o + on);
}

bool name_read(const uint8_t *msg, size_t len, size_t *pos, uint8_t *out)
{
	size_t p = *pos, o = 0;
	bool jumped = false;
	for (;;) {
		if (p >= len)
			return false;
		uint8_t l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len)
				return false;
			size_t to = (size_t)(l & 0x3f) << 8 | msg[p + 1];
			if (to >= p)
				return false; /* forwards or onto itself: a loop */
			if (!jumped)
				*pos = p + 2;
			jumped = true;
			p = to;
			continue;
		}
		if (l & 0xc0)
			return false; /* the reserved label types */
		if (p + 1 + l > len || o + 1 + l + 1 > NAME_WIRE_MAX)
			return false;
		ul_memcpy(out + o, msg + p, 1 + (size_t)l);
		o += 1 + (size_t)l;
		p += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	if (!jumped)
		*pos = p;
	return true;
}

void name_format(const uint8_t *n, char *buf, size_t cap)
{
	size_t o = 0;
	if (cap == 0)
		return;
	if (*n == 0 && cap > 1)
		buf[o++] = '.';
	for (; *n && o + 1 < cap; n += 1 + *n) {
		for (unsigned i = 1; i <= *n && o + 5 < cap; i++) {
			uint8_t c = n[i];
			if (c == '.' || c == '\\')
				buf[o++] = '\\';
			if (c > 32 && c < 127) {
				buf[o++] = (char)c;
			} else {
				buf[o++] = '\\';
				buf[o++] = (char)('0' + c / 100);
				buf[o++] = (char)('0' + c / 10 % 10);
				buf[o++] = (char)('0' + c % 10);
			}
		}
		if (o + 1 < cap)
			buf[o++] = '.';
	}
	buf[o] = '\0';
}
