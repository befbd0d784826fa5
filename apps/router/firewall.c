/* The stateful firewall and NAT. A datagram of a known flow is
 * translated as its flow says and passes. The first datagram of a new
 * flow is matched against the port forwards (DNAT), then the rules (as
 * it will leave: after DNAT, with its outgoing interface), and, when
 * allowed and forwarded, remembered with the tuple its replies will
 * carry; leaving through the masquerade interface, that tuple has the
 * interface's address and a port of the router's (RFC 4787, RFC 5382:
 * the source port is kept when it is free, "port preservation"). */
#include <unilab/console.h>
#include <unilab/net.h>
#include "conntrack.h"
#include "firewall.h"
#include "packet.h"

#define NAT_PORT_LO 32768
#define NAT_PORT_HI 60999

static struct ruleset *rules;
static struct firewall_stats st;
static uint16_t next_port = NAT_PORT_LO;

void firewall_init(struct ruleset *rs)
{
	rules = rs;
}

static struct tuple reversed(const struct tuple *t)
{
	return (struct tuple){t->dst, t->src, t->dport, t->sport, t->proto};
}

static bool same(const struct tuple *a, const struct tuple *b)
{
	return a->src == b->src && a->dst == b->dst && a->sport == b->sport &&
	       a->dport == b->dport;
}

static enum ul_fwd_verdict known(struct packet *pt, struct conn *c, int dir)
{
	const struct tuple *other = &c->t[!dir];
	st.tracked++;
	if (pt->icmp_error) {
		/* It goes back to whoever sent the other direction, quoting
		 * that datagram as it was sent. */
		packet_rewrite_error(pt, other, other->dst);
		return UL_FWD_PASS;
	}
	struct tuple out = reversed(other);
	if (!same(&out, &pt->t))
		packet_rewrite(pt, &out);
	ct_seen(c, dir, pt->tcp_flags);
	return UL_FWD_PASS;
}

/* The tuple replies to d will carry when it leaves through the
 * masquerade interface with address addr; false when no port is free. */
static bool masquerade(const struct tuple *d, uint32_t addr, struct tuple *r)
{
	*r = (struct tuple){d->dst, addr, d->dport, d->sport, d->proto};
	if (d->proto != 1 && d->proto != 6 && d->proto != 17)
		return !ct_taken(r);
	for (unsigned tries = 0; tries <= NAT_PORT_HI - NAT_PORT_LO; tries++) {
		if (!ct_taken(r))
			return true;
		r->dport = next_port;
		if (d->proto == PROTO_ICMP)
			r->sport = next_port;
		next_port = next_port == NAT_PORT_HI ? NAT_PORT_LO : next_port + 1;
	}
	return false;
}

static void count(struct rule *r, size_t len)
{
	if (r) {
		r->packets++;
		r->bytes += len;
	} else {
		rules->policy_packets++;
		rules->policy_bytes += len;
	}
}

static enum ul_fwd_verdict first(struct packet *pt, int in_if)
{
	struct tuple d = pt->t;
	/* An ICMP error of no known flow is judged by its own addresses. */
	if (pt->icmp_error)
		d = (struct tuple){get32(pt->pk->ip + IP_SRC),
		                   get32(pt->pk->ip + IP_DST), 0, 0, PROTO_ICMP};
	struct ul_net_if nif = {0};
	ul_net_if_get((unsigned)in_if, &nif);
	const struct port_forward *f =
		d.dst == nif.addr && !pt->icmp_error
			? rules_forward(rules, in_if, d.proto, d.dport) : NULL;
	if (f) {
		d.dst = f->to;
		d.dport = f->to_port;
	}
	int out = ul_forward_route(d.dst);
	bool ports = d.proto == PROTO_TCP || d.proto == PROTO_UDP;
	struct flow_key key = {in_if, out == UL_FWD_SELF ? RULE_OUT_SELF : out,
	                       d.proto, d.src, d.dst, ports ? d.dport : 0};
	struct rule *r = rules_match(rules, &key);
	count(r, pt->pk->len);
	if (r ? !r->allow : !rules->policy_allow) {
		st.denied++;
		return UL_FWD_DROP;
	}
	/* To the router itself (or nowhere: forwarding answers that). */
	if (out < 0 || pt->icmp_error)
		return UL_FWD_PASS;
	struct tuple reply = reversed(&d);
	if (out == rules->masquerade_if && in_if != out) {
		ul_net_if_get((unsigned)out, &nif);
		if (!masquerade(&d, nif.addr, &reply)) {
			st.untracked++;
			return UL_FWD_DROP;
		}
	}
	struct conn *c = ct_add(&pt->t, &reply);
	if (!c) {
		st.untracked++;
		return UL_FWD_DROP;
	}
	st.new_flows++;
	return known(pt, c, CT_ORIG);
}

enum ul_fwd_verdict firewall_filter(struct ul_fwd_pkt *pk)
{
	struct packet pt;
	if (!packet_parse(pk, &pt)) {
		st.untracked++;
		return UL_FWD_DROP;
	}
	int dir;
	struct conn *c = ct_find(&pt.t, &dir);
	if (c)
		return known(&pt, c, dir);
	return first(&pt, (int)pk->in_if);
}

static void iface(char *s, int i)
{
	if (i == RULE_OUT_SELF)
		ul_snprintf(s, IFNAME_MAX, "self");
	else if (rules->ifname[i][0])
		ul_snprintf(s, IFNAME_MAX, "%s", rules->ifname[i]);
	else
		ul_snprintf(s, IFNAME_MAX, "if%d", i);
}

/* One line a rule: where it is, what it does, what it matched. */
static size_t report_rule(char *buf, size_t cap, const struct rule *r)
{
	char in[IFNAME_MAX] = "any", out[IFNAME_MAX] = "any";
	char from[UL_IP_STRLEN], to[UL_IP_STRLEN];
	if (r->in_if != RULE_IF_ANY)
		iface(in, r->in_if);
	if (r->out_if != RULE_IF_ANY)
		iface(out, r->out_if);
	ul_ip_format(r->src, from);
	ul_ip_format(r->dst, to);
	return (size_t)ul_snprintf(
		buf, cap, "rule line %u: %s in %s out %s proto %s from %s/%u to %s/%u "
		"port %u-%u: %llu packets %llu bytes\n", r->line,
		r->allow ? "allow" : "deny", in, out, rules_proto_name(r->proto),
		from, r->src_prefix, to,
		r->dst_prefix, r->port_lo, r->port_hi,
		(unsigned long long)r->packets, (unsigned long long)r->bytes);
}

size_t firewall_report(char *buf, size_t cap)
{
	size_t n = 0;
	for (unsigned i = 0; i < rules->nrules; i++)
		n += report_rule(buf + (n < cap ? n : cap), n < cap ? cap - n : 0,
		                 &rules->rules[i]);
	struct ul_fwd_stats fs;
	ul_forward_stats(&fs);
	n += (size_t)ul_snprintf(
		buf + (n < cap ? n : cap), n < cap ? cap - n : 0,
		"policy %s: %llu packets %llu bytes\n"
		"flows: %u live, %llu new, %llu denied, %llu tracked packets, "
		"%llu untracked, %llu refused (table full)\n"
		"forwarding: %llu forwarded, %llu dropped, %llu ttl exceeded, "
		"%llu no route, %llu too big, %llu not sent\n",
		rules->policy_allow ? "allow" : "deny",
		(unsigned long long)rules->policy_packets,
		(unsigned long long)rules->policy_bytes, ct_count(),
		(unsigned long long)st.new_flows, (unsigned long long)st.denied,
		(unsigned long long)st.tracked, (unsigned long long)st.untracked,
		(unsigned long long)ct_refused(), (unsigned long long)fs.forwarded,
		(unsigned long long)fs.dropped, (unsigned long long)fs.ttl_exceeded,
		(unsigned long long)fs.no_route, (unsigned long long)fs.too_big,
		(unsigned long long)fs.not_sent);
	return n;
}
