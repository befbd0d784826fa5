/* The router's rule file: interface names, the firewall's rules (first
 * match wins, then the default policy), masquerade and port forwards. */
#ifndef ROUTER_RULES_H
#define ROUTER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULES_MAX 64
#define FORWARDS_MAX 16
#define IFNAME_MAX 16
#define RULE_IF_ANY (-3)   /* "in"/"out" not given */
#define RULE_OUT_SELF (-1) /* out self: to the router itself */

/* What a rule looks at: the first datagram of a flow, after a port
 * forward rewrote it. */
struct flow_key {
	int in_if, out_if; /* out: an index or RULE_OUT_SELF */
	uint8_t proto;     /* an IP protocol number */
	uint32_t src, dst;
	uint16_t dport;    /* 0 for ICMP and other protocols */
};

struct rule {
	bool allow;
	int in_if, out_if;    /* RULE_IF_ANY: any */
	uint8_t proto;        /* 0: any */
	uint32_t src, src_mask, dst, dst_mask;
	uint8_t src_prefix, dst_prefix;
	uint16_t port_lo, port_hi; /* destination ports; 0-0: any */
	unsigned line;
	uint64_t packets, bytes;   /* first datagrams of flows it decided */
};

/* forward IF PROTO PORT HOST[:PORT]: what arrives on IF for its address
 * and PORT goes to HOST. */
struct port_forward {
	int in_if;
	uint8_t proto;
	uint16_t port;
	uint32_t to;
	uint16_t to_port;
};

struct ruleset {
	char ifname[4][IFNAME_MAX];
	unsigned nrules, nforwards;
	struct rule rules[RULES_MAX];
	struct port_forward forwards[FORWARDS_MAX];
	bool policy_allow;
	uint64_t policy_packets, policy_bytes;
	int masquerade_if; /* -1: none */
};

/* Parse the rule file text (named file, for messages). false with a
 * message "FILE:LINE: what is wrong" in err. */
bool rules_parse(struct ruleset *rs, const char *file, const char *text,
                 size_t len, char *err, size_t errlen);
/* The rule that decides key (NULL: the default policy decides). */
struct rule *rules_match(struct ruleset *rs, const struct flow_key *key);
/* The port forward for a datagram arriving on in_if for proto/port. */
const struct port_forward *rules_forward(const struct ruleset *rs, int in_if,
                                         uint8_t proto, uint16_t port);
const char *rules_proto_name(uint8_t proto);

#endif
