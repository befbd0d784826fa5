/* Host networking: the --net= option's syntax (see host_net.h), parsed
 * into a ul_host_net_spec. Every rejection names the bad part and shows the
 * syntax, since users type these by hand. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/errno.h>
#include <unilab/ether.h>

#include "nic.h"

#define SYNTAX "want tap:NAME, pcap:IFACE or user[,hostfwd=RULE]..., " \
               "each optionally followed by ,mac=02:xx:xx:xx:xx:xx"
#define FWD_SYNTAX "[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, " \
                   "e.g. hostfwd=tcp::8080-:80"

/* The interface name that follows "tap:" or "pcap:", up to the first ','
 * (*s moves past it). Linux takes 1..15 bytes without '/', ':' or blanks. */
static int parse_name(const char *text, const char **s,
		      struct ul_host_net_spec *spec, struct ul_host_error *err)
{
	size_t len = strcspn(*s, ",");
	if (len == 0 || len >= sizeof(spec->name))
		return ul_host_fail(err, -UL_EINVAL,
				    "--net=%s: the interface name "
				    "must have 1 to 15 characters",
				    text);
	for (size_t i = 0; i < len; i++)
		if (strchr("/: \t", (*s)[i]))
			return ul_host_fail(err, -UL_EINVAL,
					    "--net=%s: '%c' cannot be "
					    "part of an interface name",
					    text, (*s)[i]);
	memcpy(spec->name, *s, len);
	spec->name[len] = '\0';
	*s += len;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Six colon-separated hex bytes of a unicast, non-zero address. */
static bool parse_mac(const char *s, size_t len, uint8_t mac[UL_ETH_ADDR_LEN])
{
	if (len != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hex_digit(s[3 * i]), lo = hex_digit(s[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	static const uint8_t zero[UL_ETH_ADDR_LEN];
	return !(mac[0] & 1) && memcmp(mac, zero, UL_ETH_ADDR_LEN) != 0;
}

/* A port 1..65535 that is the whole of s. */
static bool parse_port(const char *s, uint16_t *port)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* A dotted IPv4 address, or fallback when s is empty. */
static bool parse_addr(const char *s, const char *fallback, struct in_addr *a)
{
	return inet_pton(AF_INET, *s ? s : fallback, a) == 1;
}

/* Cut s at the first sep; return what follows it, or NULL if none. */
static char *cut(char *s, char sep)
{
	char *p = strchr(s, sep);
	if (!p)
		return NULL;
	*p = '\0';
	return p + 1;
}

/* RULE: PROTO:HOSTADDR:HOSTPORT-GUESTADDR:GUESTPORT, where PROTO and the
 * addresses may be empty (tcp, loopback, the DHCP address). NULL when it
 * parses, else what is wrong. */
static const char *parse_fwd(const char *s, size_t len, struct ul_host_fwd *f)
{
	char buf[80];
	if (len >= sizeof(buf))
		return "too long";
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *host_addr = cut(buf, ':');
	char *host_port = host_addr ? cut(host_addr, ':') : NULL;
	char *guest_addr = host_port ? cut(host_port, '-') : NULL;
	char *guest_port = guest_addr ? cut(guest_addr, ':') : NULL;
	if (!guest_port)
		return "missing parts";
	if (strcmp(buf, "udp") == 0)
		f->udp = true;
	else if (*buf && strcmp(buf, "tcp") != 0)
		return "the protocol is tcp or udp";
	if (!parse_addr(host_addr, "127.0.0.1", &f->host_addr) ||
	    !parse_addr(guest_addr, HOST_USER_GUEST, &f->guest_addr))
		return "bad IPv4 address";
	if (!parse_port(host_port, &f->host_port) ||
	    !parse_port(guest_port, &f->guest_port))
		return "ports are 1 to 65535";
	return NULL;
}

/* One ",key=value" option word (s, len) of spec. */
static int parse_option(const char *text, const char *s, size_t len,
			struct ul_host_net_spec *spec,
			struct ul_host_error *err)
{
	if (len > 4 && strncmp(s, "mac=", 4) == 0) {
		spec->mac_set = parse_mac(s + 4, len - 4, spec->mac);
		if (!spec->mac_set)
			return ul_host_fail(
				err, -UL_EINVAL,
				"--net=%s: bad mac '%.*s': "
				"want six hex bytes such as "
				"02:00:00:00:00:01, not zero, with the "
				"multicast bit (1 in the first byte) clear",
				text, (int)(len - 4), s + 4);
		return 0;
	}
	if (len > 8 && strncmp(s, "hostfwd=", 8) == 0 &&
	    spec->kind == HOST_NET_USER) {
		if (spec->fwd_count == HOST_NET_MAX_FWD)
			return ul_host_fail(err, -UL_EINVAL,
					    "--net=%s: at most %d "
					    "hostfwd rules",
					    text, HOST_NET_MAX_FWD);
		const char *why = parse_fwd(s + 8, len - 8,
		                            &spec->fwd[spec->fwd_count]);
		if (why)
			return ul_host_fail(
				err, -UL_EINVAL,
				"--net=%s: bad hostfwd "
				"'%.*s' (%s): want hostfwd=" FWD_SYNTAX,
				text, (int)(len - 8), s + 8, why);
		spec->fwd_count++;
		return 0;
	}
	return ul_host_fail(err, -UL_EINVAL,
			    "--net=%s: unknown option '%.*s' "
			    "(tap and pcap take mac=; user takes mac= and "
			    "hostfwd=)",
			    text, (int)len, s);
}

int ul_host_net_parse(const char *text, struct ul_host_net_spec *spec,
		      struct ul_host_error *err)
{
	const char *s = text;
	int r = 0;
	memset(spec, 0, sizeof(*spec));
	if (strncmp(s, "tap:", 4) == 0) {
		spec->kind = HOST_NET_TAP;
		s += 4;
		r = parse_name(text, &s, spec, err);
	} else if (strncmp(s, "pcap:", 5) == 0) {
		spec->kind = HOST_NET_PCAP;
		s += 5;
		r = parse_name(text, &s, spec, err);
	} else if (strncmp(s, "user", 4) == 0 && (s[4] == '\0' || s[4] == ',')) {
		spec->kind = HOST_NET_USER;
		s += 4;
	} else {
		return ul_host_fail(err, -UL_EINVAL, "--net=%s: %s", text,
				    SYNTAX);
	}
	while (r == 0 && *s == ',') {
		size_t len = strcspn(++s, ",");
		r = parse_option(text, s, len, spec, err);
		s += len;
	}
	return r;
}
