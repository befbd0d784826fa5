/* Unit tests of the host networking library: the --net= parser, the
 * errors for interfaces that cannot be attached, the pcap file format, and
 * user-mode networking end to end (libslirp answers ARP and ping for its
 * gateway, and a hostfwd rule carries a host datagram to the image) - all
 * without root. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <unilab/errno.h>

#include "run_suite.h"
#include "host_net.h"
#include "nic.h"

static const uint8_t image_mac[6] = {0x02, 0x75, 0x6c, 0, 0, 1};

static struct ul_host_net_spec parse_ok(const char *text)
{
	struct ul_host_net_spec spec;
	struct ul_host_error err = { "" };
	ck_assert_msg(ul_host_net_parse(text, &spec, &err) == 0, "%s: %s", text,
		      err.msg);
	return spec;
}

/* text is refused, and the message contains want. */
static void parse_bad(const char *text, const char *want)
{
	struct ul_host_net_spec spec;
	struct ul_host_error err = { "" };
	ck_assert_int_eq(ul_host_net_parse(text, &spec, &err), -UL_EINVAL);
	ck_assert_msg(strstr(err.msg, want), "--net=%s: '%s' lacks '%s'", text,
	              err.msg, want);
}

START_TEST(parse_tap_and_pcap)
{
	struct ul_host_net_spec s = parse_ok("tap:tap0");
	ck_assert_int_eq(s.kind, HOST_NET_TAP);
	ck_assert_str_eq(s.name, "tap0");
	ck_assert(!s.mac_set);

	s = parse_ok("pcap:veth-img.1,mac=02:AB:cd:00:10:ff");
	ck_assert_int_eq(s.kind, HOST_NET_PCAP);
	ck_assert_str_eq(s.name, "veth-img.1");
	ck_assert(s.mac_set);
	static const uint8_t mac[6] = {0x02, 0xab, 0xcd, 0x00, 0x10, 0xff};
	ck_assert_mem_eq(s.mac, mac, 6);

	s = parse_ok("tap:abcdefghijklmno"); /* 15 bytes: the most Linux takes */
	ck_assert_str_eq(s.name, "abcdefghijklmno");
}
END_TEST

START_TEST(parse_user)
{
	struct ul_host_net_spec s = parse_ok("user");
	ck_assert_int_eq(s.kind, HOST_NET_USER);
	ck_assert_uint_eq(s.fwd_count, 0);

	s = parse_ok("user,hostfwd=tcp::8080-:80,mac=02:00:00:00:00:07,"
	             "hostfwd=udp:0.0.0.0:5353-10.0.2.20:53,hostfwd=::2222-:22");
	ck_assert_uint_eq(s.fwd_count, 3);
	ck_assert(s.mac_set && s.mac[5] == 7);

	const struct ul_host_fwd *f = &s.fwd[0];
	ck_assert(!f->udp);
	ck_assert_str_eq(inet_ntoa(f->host_addr), "127.0.0.1");
	ck_assert_uint_eq(f->host_port, 8080);
	ck_assert_str_eq(inet_ntoa(f->guest_addr), HOST_USER_GUEST);
	ck_assert_uint_eq(f->guest_port, 80);

	f = &s.fwd[1];
	ck_assert(f->udp);
	ck_assert_str_eq(inet_ntoa(f->host_addr), "0.0.0.0");
	ck_assert_uint_eq(f->host_port, 5353);
	ck_assert_str_eq(inet_ntoa(f->guest_addr), "10.0.2.20");
	ck_assert_uint_eq(f->guest_port, 53);

	ck_assert(!s.fwd[2].udp); /* an empty protocol is tcp, as in QEMU */
	ck_assert_uint_eq(s.fwd[2].host_port, 2222);
}
END_TEST

START_TEST(parse_errors)
{
	parse_bad("", "want tap:NAME, pcap:IFACE or user");
	parse_bad("eth0", "want tap:NAME, pcap:IFACE or user");
	parse_bad("userx", "want tap:NAME");
	parse_bad("tap", "want tap:NAME");
	parse_bad("tap:", "1 to 15 characters");
	parse_bad("tap:,mac=02:00:00:00:00:01", "1 to 15 characters");
	parse_bad("tap:abcdefghijklmnop", "1 to 15 characters");
	parse_bad("pcap:a/b", "'/' cannot be part");
	parse_bad("tap:a:b", "':' cannot be part");
	parse_bad("tap:tap0,hostfwd=tcp::1-:2", "unknown option 'hostfwd=tcp::1-:2'");
	parse_bad("user,", "unknown option ''");
	parse_bad("user,speed=10G", "unknown option 'speed=10G'");
	parse_bad("user,mac=01:00:00:00:00:01", "multicast bit");
	parse_bad("user,mac=00:00:00:00:00:00", "bad mac");
	parse_bad("user,mac=02:00:00:00:00", "bad mac '02:00:00:00:00'");
	parse_bad("user,mac=02-00-00-00-00-01", "bad mac");
	parse_bad("user,mac=02:00:00:00:00:0g", "bad mac");
	parse_bad("user,hostfwd=tcp::8080", "missing parts");
	parse_bad("user,hostfwd=8080-80", "missing parts");
	parse_bad("user,hostfwd=icmp::1-:2", "tcp or udp");
	parse_bad("user,hostfwd=tcp:1.2.3:1-:2", "bad IPv4 address");
	parse_bad("user,hostfwd=tcp::1-localhost:2", "bad IPv4 address");
	parse_bad("user,hostfwd=tcp::0-:80", "ports are 1 to 65535");
	parse_bad("user,hostfwd=tcp::65536-:80", "ports are 1 to 65535");
	parse_bad("user,hostfwd=tcp::80-:-1", "ports are 1 to 65535");
	parse_bad("user,hostfwd=tcp::80x-:80", "ports are 1 to 65535");
	parse_bad("user,hostfwd=tcp::8080", "want hostfwd=[tcp|udp]:[HOSTADDR]:"
	          "HOSTPORT-[GUESTADDR]:GUESTPORT, e.g. hostfwd=tcp::8080-:80");

	char many[1024] = "user";
	for (int i = 1; i <= HOST_NET_MAX_FWD + 1; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		         ",hostfwd=udp::%d-:7", 9000 + i);
	parse_bad(many, "at most 16 hostfwd rules");
}
END_TEST

/* attach text fails with code, and the message contains want. */
static void attach_bad(const char *text, int code, const char *want)
{
	struct ul_host_net_spec spec = parse_ok(text);
	struct ul_host_error err = { "" };
	ck_assert_int_eq(ul_host_net_attach(&spec, &err), code);
	ck_assert_msg(strstr(err.msg, want), "--net=%s: '%s' lacks '%s'", text,
	              err.msg, want);
	ck_assert_uint_eq(ul_host_net_count(), 0);
}

START_TEST(attach_errors)
{
	attach_bad("tap:nosuchtap0", -UL_ENODEV,
	           "no network interface nosuchtap0; create it with: "
	           "ip tuntap add dev nosuchtap0 mode tap");
	attach_bad("pcap:nosuchif0", -UL_ENODEV,
	           "no network interface nosuchif0; list them with: ip link");
	ck_assert_int_eq(ul_host_net_send(0, "x", 1), -UL_ENODEV);
	char buf[64];
	ck_assert_int_eq(ul_host_net_recv(0, buf, sizeof(buf)), -UL_ENODEV);
	uint8_t mac[6];
	uint16_t mtu;
	ck_assert_int_eq(ul_host_net_info(0, mac, &mtu), -UL_ENODEV);
}
END_TEST

/* A TCP listener on a loopback port the kernel picks; its port number. */
static int listen_somewhere(int *fd)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert(*fd >= 0);
	ck_assert(bind(*fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	ck_assert(listen(*fd, 1) == 0);
	ck_assert(getsockname(*fd, (struct sockaddr *)&a, &len) == 0);
	return ntohs(a.sin_port);
}

START_TEST(attach_port_in_use)
{
	int fd, port = listen_somewhere(&fd);
	char text[64];
	snprintf(text, sizeof(text), "user,hostfwd=tcp::%d-:80", port);
	char want[80];
	snprintf(want, sizeof(want), "hostfwd tcp 127.0.0.1:%d to 10.0.2.15:80: "
	         "cannot listen", port);
	attach_bad(text, -UL_EADDRINUSE, want);
	close(fd);
}
END_TEST

START_TEST(attach_limit_and_macs)
{
	struct ul_host_error err;
	for (int i = 0; i < HOST_NET_MAX; i++) {
		struct ul_host_net_spec spec = parse_ok("user");
		ck_assert_int_eq(ul_host_net_attach(&spec, &err), 0);
	}
	struct ul_host_net_spec spec = parse_ok("user");
	ck_assert_int_eq(ul_host_net_attach(&spec, &err), -UL_ENOSPC);
	ck_assert_str_eq(err.msg, "--net: at most 4 network interfaces");
	ck_assert_uint_eq(ul_host_net_count(), HOST_NET_MAX);

	uint8_t mac0[6], mac1[6];
	uint16_t mtu;
	ck_assert_int_eq(ul_host_net_info(0, mac0, &mtu), 0);
	ck_assert_int_eq(ul_host_net_info(1, mac1, &mtu), 0);
	ck_assert_uint_eq(mtu, 1500);
	static const uint8_t prefix[3] = {0x02, 0x75, 0x6c};
	ck_assert_mem_eq(mac0, prefix, 3);
	ck_assert_mem_eq(mac1, prefix, 3);
	ck_assert_msg(memcmp(mac0, mac1, 6) != 0, "two interfaces, one MAC");
}
END_TEST

/* --- frames by hand ------------------------------------------------------ */

static uint16_t checksum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_ip(uint8_t *p, const char *dotted)
{
	ck_assert(inet_pton(AF_INET, dotted, p) == 1);
}

static size_t arp_request(uint8_t *f, const char *sender, const char *target)
{
	memset(f, 0xff, 6);
	memcpy(f + 6, image_mac, 6);
	put16(f + 12, 0x0806);
	put16(f + 14, 1);      /* Ethernet */
	put16(f + 16, 0x0800); /* IPv4 */
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1); /* request */
	memcpy(f + 22, image_mac, 6);
	put_ip(f + 28, sender);
	memset(f + 32, 0, 6);
	put_ip(f + 38, target);
	return 42;
}

static size_t echo_request(uint8_t *f, const uint8_t *dst_mac, const char *src,
                           const char *dst)
{
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, image_mac, 6);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *icmp = ip + 20;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + 4);
	ip[8] = 64;
	ip[9] = 1;
	put_ip(ip + 12, src);
	put_ip(ip + 16, dst);
	put16(ip + 10, checksum(ip, 20));
	memset(icmp, 0, 12);
	icmp[0] = 8; /* echo request */
	put16(icmp + 4, 0x1234);
	put16(icmp + 6, 1);
	memcpy(icmp + 8, "ping", 4);
	put16(icmp + 2, checksum(icmp, 12));
	return 14 + 20 + 12;
}

/* Sleep as a backend does until a frame waits on interface 0. */
static int wait_frame(unsigned ms)
{
	struct timespec end, now;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > end.tv_sec)
			return 0;
		uint32_t ready;
		ck_assert_int_eq(
			ul_host_net_sleep(100 * 1000000ull, ~0u, &ready), 0);
		if (ready & 1)
			return 1;
	}
}

/* The next frame on interface 0 of the given EtherType. */
static long recv_type(uint8_t *buf, size_t cap, uint16_t type)
{
	for (int tries = 0; tries < 20; tries++) {
		ck_assert_msg(wait_frame(3000), "no frame from slirp");
		long n;
		while ((n = ul_host_net_recv(0, buf, cap)) > 0)
			if (n >= 14 && (buf[12] << 8 | buf[13]) == type)
				return n;
		ck_assert_int_eq(n, -UL_EAGAIN);
	}
	ck_abort_msg("no frame of type %04x", type);
	return -1;
}

START_TEST(user_mode_gateway)
{
	struct ul_host_error err;
	struct ul_host_net_spec spec = parse_ok("user");
	ck_assert_int_eq(ul_host_net_attach(&spec, &err), 0);
	uint8_t f[2048];

	/* Too short or longer than the MTU: refused before slirp sees it. */
	ck_assert_int_eq(ul_host_net_send(0, f, 13), -UL_EINVAL);
	ck_assert_int_eq(ul_host_net_send(0, f, 1515), -UL_EINVAL);
	ck_assert_int_eq(ul_host_net_recv(0, f, sizeof(f)), -UL_EAGAIN);

	size_t len = arp_request(f, HOST_USER_GUEST, HOST_USER_GATEWAY);
	ck_assert_int_eq(ul_host_net_send(0, f, len), (long)len);
	long n = recv_type(f, sizeof(f), 0x0806);
	ck_assert_int_ge(n, 42);
	ck_assert_mem_eq(f, image_mac, 6);
	ck_assert_uint_eq(f[21], 2); /* a reply */
	uint8_t gw_mac[6], gw_ip[4];
	memcpy(gw_mac, f + 22, 6);
	put_ip(gw_ip, HOST_USER_GATEWAY);
	ck_assert_mem_eq(f + 28, gw_ip, 4);

	/* Too small a buffer: the frame is reported and dropped. */
	len = echo_request(f, gw_mac, HOST_USER_GUEST, HOST_USER_GATEWAY);
	ck_assert_int_eq(ul_host_net_send(0, f, len), (long)len);
	ck_assert(wait_frame(3000));
	ck_assert_int_eq(ul_host_net_recv(0, f, 20), -UL_EMSGSIZE);

	len = echo_request(f, gw_mac, HOST_USER_GUEST, HOST_USER_GATEWAY);
	ck_assert_int_eq(ul_host_net_send(0, f, len), (long)len);
	n = recv_type(f, sizeof(f), 0x0800);
	ck_assert_int_eq(n, 46);
	ck_assert_uint_eq(f[14 + 9], 1);  /* ICMP */
	ck_assert_uint_eq(f[14 + 20], 0); /* echo reply */
	ck_assert_mem_eq(f + 14 + 28, "ping", 4);
}
END_TEST

/* A BOOTP/DHCP option of the reply: its value, or NULL. */
static const uint8_t *dhcp_option(const uint8_t *opt, const uint8_t *end,
                                  uint8_t code)
{
	while (opt < end && *opt != 255) {
		if (*opt == 0) {
			opt++;
			continue;
		}
		if (opt + 2 > end || opt + 2 + opt[1] > end)
			return NULL;
		if (*opt == code)
			return opt + 2;
		opt += 2 + opt[1];
	}
	return NULL;
}

/* What host_net.h promises a DHCP client on a user-mode interface. */
START_TEST(user_mode_dhcp)
{
	struct ul_host_error err;
	struct ul_host_net_spec spec = parse_ok("user");
	ck_assert_int_eq(ul_host_net_attach(&spec, &err), 0);

	/* DHCPDISCOVER (RFC 2131): a BOOTP request from 0.0.0.0:68 to the
	 * broadcast address, port 67, with option 53 = 1. */
	uint8_t f[1024];
	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	memcpy(f + 6, image_mac, 6);
	put16(f + 12, 0x0800);
	uint8_t *ip = f + 14, *udp = ip + 20, *bootp = udp + 8;
	size_t blen = 236 + 4 + 3 + 1;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + 8 + blen));
	ip[8] = 64;
	ip[9] = 17;
	put_ip(ip + 12, "0.0.0.0");
	put_ip(ip + 16, "255.255.255.255");
	put16(ip + 10, checksum(ip, 20));
	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, (uint16_t)(8 + blen)); /* checksum 0: none */
	bootp[0] = 1;                         /* BOOTREQUEST */
	bootp[1] = 1;                         /* Ethernet */
	bootp[2] = 6;
	put16(bootp + 4, 0x5555); /* xid */
	memcpy(bootp + 28, image_mac, 6);
	static const uint8_t options[] = {99, 130, 83, 99, 53, 1, 1, 255};
	memcpy(bootp + 236, options, sizeof(options));
	size_t len = 14 + 20 + 8 + blen;
	ck_assert_int_eq(ul_host_net_send(0, f, len), (long)len);

	/* The offer lands in f, laid out as the request: ip, udp and bootp
	 * point into it (slirp sends no IP options). */
	long n = recv_type(f, sizeof(f), 0x0800);
	ck_assert_int_gt(n, 14 + 20 + 8 + 240);
	ck_assert_uint_eq(ip[0], 0x45);
	ck_assert_uint_eq(f[14 + 9], 17);
	ck_assert_uint_eq(udp[0] << 8 | udp[1], 67);
	ck_assert_uint_eq(udp[2] << 8 | udp[3], 68);
	ck_assert_uint_eq(bootp[0], 2); /* BOOTREPLY */
	uint8_t want[4];
	put_ip(want, HOST_USER_GUEST);
	ck_assert_mem_eq(bootp + 16, want, 4); /* yiaddr */
	const uint8_t *end = f + n, *o = bootp + 240;
	const uint8_t *type = dhcp_option(o, end, 53);
	ck_assert(type && *type == 2); /* DHCPOFFER */
	const uint8_t *mask = dhcp_option(o, end, 1);
	put_ip(want, "255.255.255.0");
	ck_assert(mask && memcmp(mask, want, 4) == 0);
	const uint8_t *router = dhcp_option(o, end, 3);
	put_ip(want, HOST_USER_GATEWAY);
	ck_assert(router && memcmp(router, want, 4) == 0);
	const uint8_t *dns = dhcp_option(o, end, 6);
	put_ip(want, HOST_USER_DNS);
	ck_assert(dns && memcmp(dns, want, 4) == 0);
}
END_TEST

/* A UDP datagram to a hostfwd port reaches the image as a frame. */
START_TEST(user_mode_hostfwd)
{
	int probe = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(bind(probe, (struct sockaddr *)&a, sizeof(a)) == 0);
	ck_assert(getsockname(probe, (struct sockaddr *)&a, &alen) == 0);
	close(probe); /* a port that was free a moment ago */

	char text[64];
	snprintf(text, sizeof(text), "user,hostfwd=udp::%d-:7", ntohs(a.sin_port));
	struct ul_host_net_spec spec = parse_ok(text);
	struct ul_host_error err;
	ck_assert_msg(ul_host_net_attach(&spec, &err) == 0, "%s", err.msg);

	/* Slirp learns the image's MAC from its ARP traffic. */
	uint8_t f[2048];
	size_t len = arp_request(f, HOST_USER_GUEST, HOST_USER_GATEWAY);
	ck_assert_int_eq(ul_host_net_send(0, f, len), (long)len);
	recv_type(f, sizeof(f), 0x0806);

	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert(sendto(s, "hello image", 11, 0, (struct sockaddr *)&a,
	                 sizeof(a)) == 11);
	long n = recv_type(f, sizeof(f), 0x0800);
	ck_assert_int_eq(n, 14 + 20 + 8 + 11);
	ck_assert_uint_eq(f[14 + 9], 17); /* UDP */
	ck_assert_uint_eq(f[14 + 20 + 2] << 8 | f[14 + 20 + 3], 7);
	ck_assert_mem_eq(f + 14 + 28, "hello image", 11);
	close(s);
}
END_TEST

/* --- the pcap file ------------------------------------------------------- */

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4); /* written in the host's byte order */
	return v;
}

START_TEST(pcap_file_format)
{
	char path[] = "/tmp/unilab-pcap-XXXXXX";
	int fd = mkstemp(path);
	ck_assert(fd >= 0);
	close(fd);
	struct ul_host_error err;
	ck_assert_int_eq(ul_host_net_pcap(path, &err), 0);
	uint8_t frame[100];
	for (unsigned i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	ul_host_pcap_record(frame, 60);
	ul_host_pcap_record(frame, 100);

	uint8_t file[1024];
	FILE *f = fopen(path, "rb");
	size_t n = fread(file, 1, sizeof(file), f);
	fclose(f);
	unlink(path);
	ck_assert_uint_eq(n, 24 + 16 + 60 + 16 + 100);
	ck_assert_uint_eq(get32(file), 0xa1b23c4d);
	ck_assert_uint_eq(file[4] | file[5] << 8, 2); /* version 2.4 */
	ck_assert_uint_eq(get32(file + 16), 65535);   /* snapshot length */
	ck_assert_uint_eq(get32(file + 20), 1);       /* Ethernet */
	const uint8_t *r = file + 24;
	ck_assert_uint_lt(get32(r + 4), 1000000000u); /* nanoseconds */
	ck_assert_uint_ge(get32(r), 1600000000u);     /* seconds, this era */
	ck_assert_uint_eq(get32(r + 8), 60);
	ck_assert_uint_eq(get32(r + 12), 60);
	ck_assert_mem_eq(r + 16, frame, 60);
	r += 16 + 60;
	ck_assert_uint_eq(get32(r + 8), 100);
	ck_assert_mem_eq(r + 16, frame, 100);

	ck_assert_int_eq(ul_host_net_pcap("/nonexistent/dir/x.pcap", &err),
			 -UL_EIO);
	ck_assert_msg(strstr(err.msg, "cannot create pcap file /nonexistent/dir/x.pcap"),
	              "%s", err.msg);
}
END_TEST

/* Two files open at once, each stamped with the caller's time. */
START_TEST(pcap_objects)
{
	char a_path[] = "/tmp/unilab-pcap-a-XXXXXX";
	char b_path[] = "/tmp/unilab-pcap-b-XXXXXX";
	close(mkstemp(a_path));
	close(mkstemp(b_path));
	struct ul_host_error err;
	struct ul_host_pcap *a, *b;
	ck_assert_int_eq(ul_host_pcap_open(a_path, &a, &err), 0);
	ck_assert_int_eq(ul_host_pcap_open(b_path, &b, &err), 0);
	uint8_t frame[64] = {1, 2, 3};
	ul_host_pcap_write(a, 1500000000ull, frame, 64); /* 1.5 s */
	ul_host_pcap_write(b, 7, frame, 60);
	ul_host_pcap_write(a, 2000000001ull, frame, 61);
	ul_host_pcap_close(a);
	ul_host_pcap_close(b);

	uint8_t file[512];
	FILE *f = fopen(a_path, "rb");
	size_t n = fread(file, 1, sizeof(file), f);
	fclose(f);
	ck_assert_uint_eq(n, 24 + 16 + 64 + 16 + 61);
	ck_assert_uint_eq(get32(file + 24), 1);
	ck_assert_uint_eq(get32(file + 28), 500000000);
	ck_assert_uint_eq(get32(file + 24 + 16 + 64), 2);
	ck_assert_uint_eq(get32(file + 24 + 16 + 64 + 4), 1);
	f = fopen(b_path, "rb");
	n = fread(file, 1, sizeof(file), f);
	fclose(f);
	ck_assert_uint_eq(n, 24 + 16 + 60);
	ck_assert_uint_eq(get32(file + 24), 0);
	ck_assert_uint_eq(get32(file + 28), 7);
	unlink(a_path);
	unlink(b_path);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("host_net");
	TCase *parse = tcase_create("parse");
	tcase_add_test(parse, parse_tap_and_pcap);
	tcase_add_test(parse, parse_user);
	tcase_add_test(parse, parse_errors);
	suite_add_tcase(s, parse);
	TCase *attach = tcase_create("attach");
	tcase_add_test(attach, attach_errors);
	tcase_add_test(attach, attach_port_in_use);
	tcase_add_test(attach, attach_limit_and_macs);
	suite_add_tcase(s, attach);
	TCase *user = tcase_create("user");
	tcase_add_test(user, user_mode_gateway);
	tcase_add_test(user, user_mode_hostfwd);
	tcase_add_test(user, user_mode_dhcp);
	tcase_set_timeout(user, 15);
	suite_add_tcase(s, user);
	TCase *pcap = tcase_create("pcap");
	tcase_add_test(pcap, pcap_file_format);
	tcase_add_test(pcap, pcap_objects);
	suite_add_tcase(s, pcap);

	return ul_run_suite(s);
}
