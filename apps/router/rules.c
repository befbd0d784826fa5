/* Reading the rule file: one statement a line, words separated by
 * blanks, '#' to the end of the line a comment.
 *
 *   interface NAME INDEX                  name an interface (if0..if3 too)
 *   policy allow|deny                     what no rule decides
 *   masquerade IF                         source NAT for flows leaving IF
 *   forward IF tcp|udp PORT HOST[:PORT]   DNAT to an inside host
 *   allow|deny [in IF] [out IF|self] [proto tcp|udp|icmp|N]
 *              [from ADDR[/P]] [to ADDR[/P]] [port N[-M]]
 */
#include <unilab/console.h>
#include <unilab/ctype.h>
#include <unilab/net.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include "rules.h"
#include "wire.h"

#define WORDS_MAX 16
#define LINE_MAX 256

struct parser {
	struct ruleset *rs;
	const char *file;
	unsigned line;
	char *err;
	size_t errlen;
	char buf[LINE_MAX];
	char *w[WORDS_MAX];
	unsigned nw;
};

static bool fail(struct parser *ps, const char *what, const char *word)
{
	ul_snprintf(ps->err, ps->errlen, "%s:%u: %s%s%s%s", ps->file, ps->line,
	            what, word ? " '" : "", word ? word : "", word ? "'" : "");
	return false;
}

static bool number(const char *s, unsigned long max, unsigned long *out)
{
	return ul_parse_number(s, max, out) == 0;
}

static bool iface(struct parser *ps, const char *s, int *out)
{
	for (int i = 0; i < 4; i++) {
		char def[8] = "if0";
		def[2] = (char)('0' + i);
		if (ul_strcmp(s, ps->rs->ifname[i]) == 0 || ul_strcmp(s, def) == 0) {
			*out = i;
			return true;
		}
	}
	return fail(ps, "unknown interface", s);
}

static bool proto(struct parser *ps, const char *s, uint8_t *out)
{
	unsigned long n;
	if (ul_strcmp(s, "tcp") == 0)
		*out = PROTO_TCP;
	else if (ul_strcmp(s, "udp") == 0)
		*out = PROTO_UDP;
	else if (ul_strcmp(s, "icmp") == 0)
		*out = PROTO_ICMP;
	else if (number(s, 255, &n) && n > 0)
		*out = (uint8_t)n;
	else
		return fail(ps, "unknown protocol (want tcp, udp, icmp or 1..255)", s);
	return true;
}

static bool prefix(struct parser *ps, const char *s, uint32_t *addr,
                   uint32_t *mask, uint8_t *len)
{
	unsigned p;
	if (ul_ip_parse_cidr(s, addr, &p) < 0)
		return fail(ps, "bad address (want ADDR or ADDR/PREFIX)", s);
	*mask = p == 0 ? 0 : 0xffffffffu << (32 - p);
	*addr &= *mask;
	*len = (uint8_t)p;
	return true;
}

static bool port_range(struct parser *ps, char *s, uint16_t *lo, uint16_t *hi)
{
	char *dash = ul_strchr(s, '-');
	unsigned long a, b;
	if (dash)
		*dash = 0;
	bool ok = number(s, 65535, &a) && a > 0;
	b = a;
	if (ok && dash)
		ok = number(dash + 1, 65535, &b) && b >= a;
	if (dash)
		*dash = '-';
	if (!ok)
		return fail(ps, "bad port or range (want 1..65535 or LO-HI)", s);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

static bool parse_rule(struct parser *ps, bool allow)
{
	struct ruleset *rs = ps->rs;
	if (rs->nrules == RULES_MAX)
		return fail(ps, "too many rules (at most 64)", NULL);
	struct rule r = {.allow = allow, .in_if = RULE_IF_ANY,
	                 .out_if = RULE_IF_ANY, .line = ps->line};
	for (unsigned i = 1; i < ps->nw; i += 2) {
		const char *k = ps->w[i];
		char *v = i + 1 < ps->nw ? ps->w[i + 1] : NULL;
		if (!v)
			return fail(ps, "no value after", k);
		bool ok;
		if (ul_strcmp(k, "in") == 0)
			ok = iface(ps, v, &r.in_if);
		else if (ul_strcmp(k, "out") == 0 && ul_strcmp(v, "self") == 0)
			ok = (r.out_if = RULE_OUT_SELF, true);
		else if (ul_strcmp(k, "out") == 0)
			ok = iface(ps, v, &r.out_if);
		else if (ul_strcmp(k, "proto") == 0)
			ok = proto(ps, v, &r.proto);
		else if (ul_strcmp(k, "from") == 0)
			ok = prefix(ps, v, &r.src, &r.src_mask, &r.src_prefix);
		else if (ul_strcmp(k, "to") == 0)
			ok = prefix(ps, v, &r.dst, &r.dst_mask, &r.dst_prefix);
		else if (ul_strcmp(k, "port") == 0)
			ok = port_range(ps, v, &r.port_lo, &r.port_hi);
		else
			return fail(ps, "unknown match (want in, out, proto, from, "
			                "to or port)", k);
		if (!ok)
			return false;
	}
	if (r.port_lo && r.proto != 6 && r.proto != 17)
		return fail(ps, "a port needs proto tcp or udp", NULL);
	rs->rules[rs->nrules++] = r;
	return true;
}

static bool parse_forward(struct parser *ps)
{
	struct ruleset *rs = ps->rs;
	struct port_forward f;
	if (ps->nw != 5)
		return fail(ps, "want: forward IF tcp|udp PORT HOST[:PORT]", NULL);
	if (rs->nforwards == FORWARDS_MAX)
		return fail(ps, "too many forwards (at most 16)", NULL);
	uint16_t hi;
	if (!iface(ps, ps->w[1], &f.in_if) || !proto(ps, ps->w[2], &f.proto) ||
	    !port_range(ps, ps->w[3], &f.port, &hi))
		return false;
	if (f.proto != 6 && f.proto != 17)
		return fail(ps, "a forward is for tcp or udp, not", ps->w[2]);
	if (hi != f.port)
		return fail(ps, "a forward takes one port, not a range", ps->w[3]);
	char *colon = ul_strchr(ps->w[4], ':');
	f.to_port = f.port;
	if (colon) {
		*colon = 0;
		if (!port_range(ps, colon + 1, &f.to_port, &hi) || hi != f.to_port)
			return false;
	}
	if (ul_ip_parse(ps->w[4], &f.to) < 0)
		return fail(ps, "bad host address", ps->w[4]);
	rs->forwards[rs->nforwards++] = f;
	return true;
}

static bool parse_line(struct parser *ps)
{
	struct ruleset *rs = ps->rs;
	const char *k = ps->w[0];
	unsigned long n;
	if (ul_strcmp(k, "allow") == 0 || ul_strcmp(k, "deny") == 0)
		return parse_rule(ps, k[0] == 'a');
	if (ul_strcmp(k, "forward") == 0)
		return parse_forward(ps);
	if (ul_strcmp(k, "interface") == 0) {
		if (ps->nw != 3 || !number(ps->w[2], 3, &n))
			return fail(ps, "want: interface NAME INDEX (0..3)", NULL);
		if (ul_strlcpy(rs->ifname[n], ps->w[1], IFNAME_MAX) >= IFNAME_MAX)
			return fail(ps, "interface name too long", ps->w[1]);
		return true;
	}
	if (ul_strcmp(k, "policy") == 0) {
		if (ps->nw != 2 || (ul_strcmp(ps->w[1], "allow") != 0 &&
		                    ul_strcmp(ps->w[1], "deny") != 0))
			return fail(ps, "want: policy allow|deny", NULL);
		rs->policy_allow = ps->w[1][0] == 'a';
		return true;
	}
	if (ul_strcmp(k, "masquerade") == 0) {
		if (ps->nw != 2)
			return fail(ps, "want: masquerade IF", NULL);
		return iface(ps, ps->w[1], &rs->masquerade_if);
	}
	return fail(ps, "unknown statement (want interface, policy, masquerade, "
	                "forward, allow or deny)", k);
}

/* Split the line into words in ps->buf; false when it is too long. */
static bool split(struct parser *ps, const char *s, size_t n)
{
	if (n >= LINE_MAX)
		return fail(ps, "line too long", NULL);
	ul_memcpy(ps->buf, s, n);
	ps->buf[n] = 0;
	char *hash = ul_strchr(ps->buf, '#');
	if (hash)
		*hash = 0;
	ps->nw = 0;
	for (char *p = ps->buf; *p;) {
		while (*p && ul_isspace(*p))
			*p++ = 0;
		if (!*p)
			break;
		if (ps->nw == WORDS_MAX)
			return fail(ps, "too many words", NULL);
		ps->w[ps->nw++] = p;
		while (*p && !ul_isspace(*p))
			p++;
	}
	return true;
}

bool rules_parse(struct ruleset *rs, const char *file, const char *text,
                 size_t len, char *err, size_t errlen)
{
	ul_memset(rs, 0, sizeof *rs);
	rs->masquerade_if = -1;
	struct parser ps = {.rs = rs, .file = file, .err = err, .errlen = errlen};
	for (size_t at = 0; at < len;) {
		size_t end = at;
		while (end < len && text[end] != '\n')
			end++;
		ps.line++;
		if (!split(&ps, text + at, end - at))
			return false;
		if (ps.nw && !parse_line(&ps))
			return false;
		at = end + 1;
	}
	return true;
}

static bool in_prefix(uint32_t a, uint32_t net, uint32_t mask)
{
	return (a & mask) == net;
}

struct rule *rules_match(struct ruleset *rs, const struct flow_key *k)
{
	for (unsigned i = 0; i < rs->nrules; i++) {
		struct rule *r = &rs->rules[i];
		if ((r->in_if == RULE_IF_ANY || r->in_if == k->in_if) &&
		    (r->out_if == RULE_IF_ANY || r->out_if == k->out_if) &&
		    (!r->proto || r->proto == k->proto) &&
		    in_prefix(k->src, r->src, r->src_mask) &&
		    in_prefix(k->dst, r->dst, r->dst_mask) &&
		    (!r->port_lo ||
		     (k->dport >= r->port_lo && k->dport <= r->port_hi)))
			return r;
	}
	return NULL;
}

const struct port_forward *rules_forward(const struct ruleset *rs, int in_if,
                                         uint8_t proto, uint16_t port)
{
	for (unsigned i = 0; i < rs->nforwards; i++) {
		const struct port_forward *f = &rs->forwards[i];
		if (f->in_if == in_if && f->proto == proto && f->port == port)
			return f;
	}
	return NULL;
}

const char *rules_proto_name(uint8_t proto)
{
	return proto == PROTO_TCP ? "tcp" : proto == PROTO_UDP ? "udp"
	     : proto == PROTO_ICMP ? "icmp" : "any";
}
