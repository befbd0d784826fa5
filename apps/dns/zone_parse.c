/* Master files (RFC 1035 section 5): $ORIGIN, $TTL, relative names and
 * "@", an owner left blank meaning the previous one, parentheses that let
 * an entry span lines, ";" comments, quoted strings, \X and \DDD escapes,
 * TTLs with units (1h30m). Every mistake is reported with its line. */
#include <stdarg.h>
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include "name.h"
#include "zone.h"

#define ENTRY_MAX 8192 /* bytes of tokens in one entry */
#define TOKENS_MAX 256
#define RDATA_MAX 8192

struct token {
	const char *s;
	size_t len;
	bool quoted;
};

struct parser {
	const char *file, *p, *end;
	unsigned line, entry_line;
	char *err;
	size_t errcap;
	bool failed;

	uint8_t origin[NAME_WIRE_MAX];
	bool has_origin;
	uint8_t owner[NAME_WIRE_MAX];
	bool has_owner;
	uint32_t ttl; /* $TTL, else the last TTL given (RFC 2308 4) */
	bool has_ttl, ttl_directive;
	struct zone *z;

	/* the entry being read */
	bool blank_start; /* its line began with a space: the owner is left out */
	struct token toks[TOKENS_MAX];
	unsigned ntoks;
	char text[ENTRY_MAX];
	size_t used;
	uint8_t rdata[RDATA_MAX];
};

static bool fail(struct parser *ps, const char *fmt, ...)
{
	if (!ps->failed) {
		int n = ul_snprintf(ps->err, ps->errcap, "%s:%u: ", ps->file,
		                    ps->entry_line);
		va_list ap;
		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < ps->errcap)
			ul_vsnprintf(ps->err + n, ps->errcap - (size_t)n, fmt, ap);
		va_end(ap);
	}
	ps->failed = true;
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Append one token, [s, s + len), to the entry. */
static bool add_token(struct parser *ps, const char *s, size_t len,
                      bool quoted)
{
	if (ps->ntoks == TOKENS_MAX || ps->used + len + 1 > ENTRY_MAX)
		return fail(ps, "entry too long");
	char *t = ps->text + ps->used;
	ul_memcpy(t, s, len);
	t[len] = '\0';
	ps->used += len + 1;
	ps->toks[ps->ntoks++] = (struct token){t, len, quoted};
	return true;
}

/* Read the next entry's tokens: 1, 0 at the end of the text, -1 on error. */
static int read_entry(struct parser *ps)
{
	int paren = 0;
	bool line_start = true;
	ps->ntoks = 0;
	ps->used = 0;
	while (ps->p < ps->end) {
		char c = *ps->p;
		if (line_start && paren == 0 && ps->ntoks == 0) {
			ps->blank_start = is_blank(c);
			ps->entry_line = ps->line;
		}
		line_start = false;
		if (c == '\n') {
			ps->p++;
			ps->line++;
			line_start = true;
			if (paren == 0 && ps->ntoks > 0)
				return 1;
		} else if (is_blank(c)) {
			ps->p++;
		} else if (c == ';') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else if (c == '(') {
			paren++;
			ps->p++;
		} else if (c == ')') {
			if (--paren < 0)
				return fail(ps, "\")\" without \"(\""), -1;
			ps->p++;
		} else if (c == '"') {
			const char *s = ++ps->p;
			while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\n')
				ps->p += (*ps->p == '\\' && ps->p + 1 < ps->end) ? 2 : 1;
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "a string without its closing quote"), -1;
			if (!add_token(ps, s, (size_t)(ps->p - s), true))
				return -1;
			ps->p++;
		} else {
			const char *s = ps->p;
			while (ps->p < ps->end && !is_blank(*ps->p) &&
			       *ps->p != '\n' && *ps->p != ';' && *ps->p != '(' &&
			       *ps->p != ')' && *ps->p != '"')
				ps->p += (*ps->p == '\\' && ps->p + 1 < ps->end) ? 2 : 1;
			if (ps->p > ps->end)
				ps->p = ps->end;
			if (!add_token(ps, s, (size_t)(ps->p - s), false))
				return -1;
		}
	}
	if (paren > 0)
		return fail(ps, "\"(\" never closed"), -1;
	return ps->ntoks > 0;
}

static bool word_is(const struct token *t, const char *w)
{
	size_t n = ul_strlen(w);
	if (t->len != n || t->quoted)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ul_toupper((unsigned char)t->s[i]) != w[i])
			return false;
	return true;
}

static bool parse_u32(struct parser *ps, const struct token *t, uint32_t max,
                      uint32_t *out)
{
	uint64_t v = 0;
	if (t->len == 0 || t->len > 10)
		return fail(ps, "\"%s\" is not a number", t->s);
	for (size_t i = 0; i < t->len; i++) {
		if (!ul_isdigit((unsigned char)t->s[i]))
			return fail(ps, "\"%s\" is not a number", t->s);
		v = v * 10 + (uint64_t)(t->s[i] - '0');
	}
	if (v > max)
		return fail(ps, "%s is out of range (at most %u)", t->s, max);
	*out = (uint32_t)v;
	return true;
}

/* A TTL: seconds, or numbers with units s, m, h, d, w ("1h30m"); at most
 * 2^31 - 1 (RFC 2181 8). */
static bool parse_ttl(struct parser *ps, const struct token *t, uint32_t *out)
{
	static const char units[] = "smhdw";
	static const uint32_t secs[] = {1, 60, 3600, 86400, 604800};
	uint64_t total = 0, v = 0;
	bool digits = false;
	for (size_t i = 0; i < t->len; i++) {
		char c = (char)ul_tolower((unsigned char)t->s[i]);
		const char *u = c ? ul_strchr(units, c) : NULL;
		if (ul_isdigit((unsigned char)c)) {
			v = v * 10 + (uint64_t)(c - '0');
			digits = true;
		} else if (u && digits) {
			total += v * secs[u - units];
			v = 0;
			digits = false;
		} else {
			return fail(ps, "\"%s\" is not a TTL", t->s);
		}
		if (v > 0x7fffffff || total + v > 0x7fffffff)
			return fail(ps, "TTL %s is over 2147483647 s", t->s);
	}
	if (t->len == 0)
		return fail(ps, "an empty TTL");
	*out = (uint32_t)(total + v);
	return true;
}

static bool parse_name(struct parser *ps, const struct token *t, uint8_t *out)
{
	if (name_parse(t->s, t->len, ps->has_origin ? ps->origin : NULL, out) < 0)
		return fail(ps, ps->has_origin ? "\"%s\" is not a domain name"
		                               : "\"%s\": a relative name but no $ORIGIN",
		            t->s);
	return true;
}

static bool parse_ip6(const char *s, uint8_t out[16])
{
	uint16_t g[8];
	int n = 0, gap = -1;
	if (s[0] == ':') {
		if (s[1] != ':')
			return false;
		gap = 0;
		s += 2;
	}
	while (*s) {
		const char *q = s;
		unsigned v = 0;
		while (ul_isxdigit((unsigned char)*q) && q - s < 5) {
			char c = (char)ul_tolower((unsigned char)*q++);
			v = v * 16 + (unsigned)(ul_isdigit((unsigned char)c) ? c - '0' : c - 'a' + 10);
		}
		if (*q == '.') { /* a dotted quad ends it: ::ffff:10.0.0.1 */
			uint32_t a;
			if (n > 6 || ul_ip_parse(s, &a) < 0)
				return false;
			g[n++] = (uint16_t)(a >> 16);
			g[n++] = (uint16_t)a;
			break;
		}
		if (q == s || q - s > 4 || n == 8)
			return false;
		g[n++] = (uint16_t)v;
		s = q;
		if (!*s)
			break;
		if (*s++ != ':' || !*s)
			return false;
		if (*s == ':') {
			if (gap >= 0)
				return false;
			gap = n;
			s++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return false;
	ul_memset(out, 0, 16);
	int tail = gap < 0 ? 0 : n - gap;
	for (int i = 0; i < n; i++) {
		int at = (gap >= 0 && i >= gap) ? 8 - tail + (i - gap) : i;
		out[2 * at] = (uint8_t)(g[i] >> 8);
		out[2 * at + 1] = (uint8_t)g[i];
	}
	return true;
}

/* A <character-string> (RFC 1035 3.3): its escapes undone, at most 255
 * bytes, written length first at out. Its size, or 0 after fail(). */
static size_t put_string(struct parser *ps, const struct token *t, uint8_t *out)
{
	size_t o = 1;
	for (size_t i = 0; i < t->len;) {
		int c = (uint8_t)t->s[i++];
		if (c == '\\' && i < t->len) {
			if (i + 2 < t->len && ul_isdigit((unsigned char)t->s[i]) &&
			    ul_isdigit((unsigned char)t->s[i + 1]) &&
			    ul_isdigit((unsigned char)t->s[i + 2])) {
				c = (t->s[i] - '0') * 100 + (t->s[i + 1] - '0') * 10 +
				    (t->s[i + 2] - '0');
				i += 3;
				if (c > 255)
					return fail(ps, "bad escape in \"%s\"", t->s), 0;
			} else {
				c = (uint8_t)t->s[i++];
			}
		}
		if (o == 256)
			return fail(ps, "a string over 255 bytes"), 0;
		out[o++] = (uint8_t)c;
	}
	out[0] = (uint8_t)(o - 1);
	return o;
}

/* The rdata of type from tokens t[0..n): its length, or -1 after fail(). */
static int parse_rdata(struct parser *ps, uint16_t type, const struct token *t,
                       unsigned n)
{
	static const unsigned want[] = {
		[T_A] = 1, [T_NS] = 1, [T_CNAME] = 1, [T_SOA] = 7, [T_PTR] = 1,
		[T_MX] = 2, [T_AAAA] = 1, [T_SRV] = 4,
	};
	uint8_t *r = ps->rdata;
	uint32_t v[4];
	if (type == T_TXT) {
		size_t len = 0;
		if (n == 0)
			return fail(ps, "TXT needs at least one string"), -1;
		for (unsigned i = 0; i < n; i++) {
			if (len + 256 > RDATA_MAX)
				return fail(ps, "TXT record too long"), -1;
			size_t k = put_string(ps, &t[i], r + len);
			if (!k)
				return -1;
			len += k;
		}
		return (int)len;
	}
	if (n != want[type])
		return fail(ps, "%u fields where %u belong", n, want[type]), -1;
	switch (type) {
	case T_A: {
		uint32_t a;
		if (ul_ip_parse(t[0].s, &a) < 0)
			return fail(ps, "\"%s\" is not an IPv4 address", t[0].s), -1;
		r[0] = (uint8_t)(a >> 24);
		r[1] = (uint8_t)(a >> 16);
		r[2] = (uint8_t)(a >> 8);
		r[3] = (uint8_t)a;
		return 4;
	}
	case T_AAAA:
		if (!parse_ip6(t[0].s, r))
			return fail(ps, "\"%s\" is not an IPv6 address", t[0].s), -1;
		return 16;
	case T_MX:
	case T_SRV: {
		unsigned nums = type == T_MX ? 1 : 3;
		for (unsigned i = 0; i < nums; i++) {
			if (!parse_u32(ps, &t[i], 65535, &v[i]))
				return -1;
			r[2 * i] = (uint8_t)(v[i] >> 8);
			r[2 * i + 1] = (uint8_t)v[i];
		}
		if (!parse_name(ps, &t[nums], r + 2 * nums))
			return -1;
		return (int)(2 * nums + name_len(r + 2 * nums));
	}
	case T_SOA: {
		if (!parse_name(ps, &t[0], r))
			return -1;
		size_t len = name_len(r);
		if (!parse_name(ps, &t[1], r + len))
			return -1;
		len += name_len(r + len);
		for (unsigned i = 0; i < 5; i++) {
			uint32_t x;
			if (!(i == 0 ? parse_u32(ps, &t[2], 0xffffffffu, &x)
			             : parse_ttl(ps, &t[2 + i], &x)))
				return -1;
			r[len++] = (uint8_t)(x >> 24);
			r[len++] = (uint8_t)(x >> 16);
			r[len++] = (uint8_t)(x >> 8);
			r[len++] = (uint8_t)x;
		}
		return (int)len;
	}
	default: /* NS, CNAME, PTR: one name */
		if (!parse_name(ps, &t[0], r))
			return -1;
		return (int)name_len(r);
	}
}

static uint16_t type_of(const struct token *t)
{
	static const struct {
		const char *name;
		uint16_t type;
	} types[] = {
		{"A", T_A}, {"NS", T_NS}, {"CNAME", T_CNAME}, {"SOA", T_SOA},
		{"PTR", T_PTR}, {"MX", T_MX}, {"TXT", T_TXT}, {"AAAA", T_AAAA},
		{"SRV", T_SRV},
	};
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++)
		if (word_is(t, types[i].name))
			return types[i].type;
	return 0;
}

static bool directive(struct parser *ps)
{
	const struct token *t = ps->toks;
	if (word_is(t, "$ORIGIN") && ps->ntoks == 2) {
		uint8_t o[NAME_WIRE_MAX];
		if (!parse_name(ps, &t[1], o))
			return false;
		ul_memcpy(ps->origin, o, name_len(o));
		ps->has_origin = true;
		return true;
	}
	if (word_is(t, "$TTL") && ps->ntoks == 2) {
		ps->has_ttl = ps->ttl_directive = parse_ttl(ps, &t[1], &ps->ttl);
		return ps->has_ttl;
	}
	if (word_is(t, "$INCLUDE"))
		return fail(ps, "$INCLUDE is not supported: put the records in this file");
	return fail(ps, "bad directive \"%s\" (%s takes one argument)", t->s, t->s);
}

/* The CNAME rule (RFC 1034 3.6.2): a name with a CNAME has nothing else. */
static bool cname_conflict(const struct node *nd, uint16_t type)
{
	for (unsigned i = 0; nd && i < nd->nrrs; i++)
		if (type == T_CNAME || nd->rrs[i].type == T_CNAME)
			return true;
	return false;
}

static bool record(struct parser *ps)
{
	unsigned i = 0;
	uint32_t ttl = 0;
	bool has_ttl = false;
	if (!ps->blank_start) {
		if (!parse_name(ps, &ps->toks[0], ps->owner))
			return false;
		ps->has_owner = true;
		i = 1;
	} else if (!ps->has_owner) {
		return fail(ps, "a record without an owner name");
	}
	for (unsigned k = 0; k < 2 && i < ps->ntoks; k++, i++) {
		const struct token *t = &ps->toks[i];
		if (ul_isdigit((unsigned char)t->s[0])) {
			if (!parse_ttl(ps, t, &ttl))
				return false;
			has_ttl = true;
		} else if (word_is(t, "CH") || word_is(t, "HS") || word_is(t, "CS")) {
			return fail(ps, "class %s: only class IN is served", t->s);
		} else if (!word_is(t, "IN")) {
			break;
		}
	}
	if (i >= ps->ntoks)
		return fail(ps, "a record without a type");
	uint16_t type = type_of(&ps->toks[i]);
	if (!type)
		return fail(ps, "unknown record type \"%s\" (SOA, NS, A, AAAA, "
		                "CNAME, MX, TXT, PTR, SRV are served)", ps->toks[i].s);
	if (has_ttl) {
		if (!ps->ttl_directive) {
			ps->ttl = ttl;
			ps->has_ttl = true;
		}
	} else if (ps->has_ttl) {
		ttl = ps->ttl;
	} else {
		return fail(ps, "no TTL: give one here or a $TTL before");
	}
	int len = parse_rdata(ps, type, &ps->toks[i + 1], ps->ntoks - i - 1);
	if (len < 0)
		return false;
	char owner[NAME_TEXT_MAX];
	name_format(ps->owner, owner, sizeof owner);
	if (!ps->z) {
		if (type != T_SOA)
			return fail(ps, "the first record must be the zone's SOA");
		if (!(ps->z = zone_new(ps->owner)))
			return fail(ps, "out of memory");
		if (!ps->has_origin) {
			ul_memcpy(ps->origin, ps->owner, name_len(ps->owner));
			ps->has_origin = true;
		}
	} else if (type == T_SOA) {
		return fail(ps, "a second SOA (%s): one zone per file", owner);
	}
	if (!name_under(ps->owner, ps->z->origin))
		return fail(ps, "%s is outside the zone", owner);
	if (cname_conflict(zone_find(ps->z, ps->owner), type))
		return fail(ps, "%s: a CNAME cannot share its name with other records",
		            owner);
	struct rr rr = {type, (uint16_t)len, ttl, ps->rdata};
	int rc = zone_add(ps->z, ps->owner, &rr);
	if (rc == -UL_ENOMEM)
		return fail(ps, "out of memory");
	return true;
}

struct zone *zone_parse(const char *file, const char *text, size_t len,
                        char *err, size_t errcap)
{
	struct parser *ps = ul_calloc(1, sizeof *ps);
	if (!ps) {
		ul_snprintf(err, errcap, "%s: out of memory", file);
		return NULL;
	}
	ps->file = file;
	ps->p = text;
	ps->end = text + len;
	ps->line = ps->entry_line = 1;
	ps->err = err;
	ps->errcap = errcap;
	int rc;
	while ((rc = read_entry(ps)) > 0) {
		bool ok = (ps->toks[0].s[0] == '$' && !ps->blank_start &&
		           !ps->toks[0].quoted)
		                  ? directive(ps)
		                  : record(ps);
		if (!ok)
			break;
	}
	if (!ps->failed && !ps->z)
		fail(ps, "no records: a zone starts with its SOA");
	struct zone *z = ps->z;
	if (ps->failed) {
		zone_free(z);
		z = NULL;
	}
	ul_free(ps);
	return z;
}
