/* Host-side networking shared by the programs that run images (the posix
 * backend and the kvm monitor): attach TAP, pcap and user-mode (libslirp)
 * interfaces, move raw Ethernet frames, wait on them, record them to a file.
 *
 * One program runs one image, so the interfaces form one table, numbered
 * in the order they were attached: interface i is the image's interface i.
 * Frames are whole Ethernet frames without the FCS. Functions that move
 * frames return the negative <unilab/errno.h> codes of core/platform.h,
 * so a backend passes them to its image unchanged.
 *
 * Option syntax (the same words on every program that takes --net=):
 *
 *   tap:NAME[,mac=M]    an existing, up TAP device
 *   pcap:IFACE[,mac=M]  inject and capture on an existing interface; frames
 *                       from the host's own stack (a veth peer) must have
 *                       their checksums and segmentation done in software:
 *                       ethtool -K PEER tx off tso off gso off
 *   user[,mac=M][,hostfwd=RULE]...
 *                       user-mode networking (no root): the image lives on
 *                       10.0.2.0/24, the gateway (and the host, as seen from
 *                       the image) is 10.0.2.2, the DNS forwarder 10.0.2.3;
 *                       the DHCP server hands out 10.0.2.15, and a static
 *                       ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 works too.
 *   RULE = [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
 *                       e.g. hostfwd=tcp::8080-:80; HOSTADDR defaults to
 *                       127.0.0.1 (give 0.0.0.0 to listen on every host
 *                       address), GUESTADDR to 10.0.2.15, the protocol to tcp.
 *   M = six hex bytes, e.g. 02:00:00:00:00:01; the default is a stable
 *       locally administered address 02:75:6c:xx:xx:xx made from the
 *       interface's number, kind and name.
 */
#ifndef UL_HOST_NET_H
#define UL_HOST_NET_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unilab/ether.h>

#include "error.h"

#define HOST_NET_MAX 4      /* as UL_MAX_NET in core/platform.h */
#define HOST_NET_MAX_FWD 16 /* hostfwd rules per user-mode interface */

/* The network a user-mode interface sees (a /24). */
#define HOST_USER_NETWORK "10.0.2.0"
#define HOST_USER_GATEWAY "10.0.2.2" /* also the host's own 127.0.0.1 */
#define HOST_USER_DNS "10.0.2.3"
#define HOST_USER_GUEST "10.0.2.15" /* what DHCP hands out */

enum ul_host_net_kind { HOST_NET_TAP, HOST_NET_PCAP, HOST_NET_USER };

/* One port forwarding of a user-mode interface; addresses and ports in
 * host byte order except the in_addr fields (network order, as always). */
struct ul_host_fwd {
	bool udp;
	struct in_addr host_addr;
	uint16_t host_port;
	struct in_addr guest_addr;
	uint16_t guest_port;
};

/* A parsed --net= value. */
struct ul_host_net_spec {
	enum ul_host_net_kind kind;
	char name[16]; /* TAP or interface name (IFNAMSIZ), "" for user */
	bool mac_set;
	uint8_t mac[UL_ETH_ADDR_LEN];
	unsigned fwd_count;
	struct ul_host_fwd fwd[HOST_NET_MAX_FWD];
};

/* Parse the text after "--net=". 0, or -UL_EINVAL with err saying what is
 * wrong and what the syntax is. */
int ul_host_net_parse(const char *text, struct ul_host_net_spec *spec,
		      struct ul_host_error *err);

/* Open the interface spec describes as interface ul_host_net_count(). 0, or a
 * negative error with err saying what to do (create the TAP, bring it up,
 * run as root, free the port, ...). */
int ul_host_net_attach(const struct ul_host_net_spec *spec,
		       struct ul_host_error *err);

unsigned ul_host_net_count(void);

/* MAC address and MTU (largest IP payload) of interface i. 0, or
 * -UL_ENODEV for a bad index. */
int ul_host_net_info(unsigned i, uint8_t mac[UL_ETH_ADDR_LEN], uint16_t *mtu);

/* Send one frame: len, -UL_EAGAIN (try later), -UL_EINVAL (shorter than an
 * Ethernet header or longer than MTU + header), -UL_ENODEV, -UL_EIO. */
long ul_host_net_send(unsigned i, const void *frame, size_t len);

/* Receive one frame into buf without blocking: its length, -UL_EAGAIN when
 * none waits, -UL_EMSGSIZE when it was longer than cap (it is dropped),
 * -UL_ENODEV, -UL_EIO. */
long ul_host_net_recv(unsigned i, void *buf, size_t cap);

/* Record every frame sent or received from now on, on every interface, in
 * a pcap file at path (created or truncated) that tcpdump -r and Wireshark
 * read. Each frame is written whole when it passes, so the file is
 * complete however the program ends. 0, or a negative error with err. */
int ul_host_net_pcap(const char *path, struct ul_host_error *err);

/* One pcap file of Ethernet frames, for a program that records several
 * (the simulator writes one per link); --pcap= is one of these. */
struct ul_host_pcap;
/* Create (or truncate) path and write the file header. 0 with *pcap, or a
 * negative error with err. */
int ul_host_pcap_open(const char *path, struct ul_host_pcap **pcap,
		      struct ul_host_error *err);
/* Append one frame stamped ts_ns nanoseconds after 1970-01-01 00:00 UTC.
 * A failed write is reported once on stderr and ends the recording. */
void ul_host_pcap_write(struct ul_host_pcap *pcap, uint64_t ts_ns,
			const void *frame, size_t len);
void ul_host_pcap_close(struct ul_host_pcap *pcap);

/* Sleep in ppoll until an interface of wait (bit i for interface i) has
 * a frame, timeout_ns passes (relative; UINT64_MAX: no timeout) or a
 * signal arrives, serving the interfaces' descriptors and timers (user-mode
 * networking's) meanwhile. The other interfaces cannot wake the sleep:
 * frames nobody reads stay queued (and are dropped by the host when the
 * queue fills) instead of making ppoll return at once. Returns 0 with
 * *ready, the interfaces of wait that have a frame waiting; or -1 with
 * errno when ppoll failed for another reason than a signal. */
int ul_host_net_sleep(uint64_t timeout_ns, uint32_t wait, uint32_t *ready);

#endif
