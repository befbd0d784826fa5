/* The simulator's ABI: the channel between the simulator's controller
 * (sim/, unilab-sim) and one node, a posix image started with --sim=FD,
 * where FD is one end of an AF_UNIX SOCK_SEQPACKET socketpair the
 * controller made. This header is the whole contract between the two
 * programs (as kvm/abi.h is between the kvm monitor and its guests): both
 * include it, and both link the one implementation of ul_host_sim_send
 * and ul_host_sim_recv (backends/host/sim_channel.c). Both programs are
 * built from this tree at once, so the two ends always agree.
 *
 * Every message is a struct sim_header followed by up to SIM_PAYLOAD_MAX
 * payload bytes, in one datagram (SEQPACKET keeps the boundaries). Times
 * are virtual nanoseconds since the start of the run, on the controller's
 * one clock.
 *
 * The conversation is strict turn-taking, which is what makes a run
 * deterministic:
 *
 *   controller                          node
 *   SIM_BOOT (struct sim_boot)  ---->   main() reads it before ul_boot()
 *                                       ... runs; its clocks stand still ...
 *                               <----   SIM_CONSOLE, SIM_SEND (any number)
 *                               <----   SIM_POLL (its deadline)
 *   ... other nodes run, virtual time moves to the next event ...
 *   SIM_FRAME (any number)      ---->
 *   SIM_WAKE (the time now)     ---->   ... runs again ...
 *
 * A node that exits simply closes its end; the controller reads the exit
 * status from waitpid(). Only one side ever waits for the other, so a
 * full socket buffer cannot deadlock them.
 */
#ifndef UL_SIM_ABI_H
#define UL_SIM_ABI_H

#include <stddef.h>
#include <stdint.h>

#define SIM_VERSION 1
#define SIM_NET_MAX 4               /* as UL_MAX_NET */
#define SIM_PAYLOAD_MAX (64 * 1024) /* larger than any frame or console write
                                       the controller accepts */
#define SIM_RX_RING 256 /* frames a node's interface holds unread (like a
                           NIC's receive ring); more are dropped, rx-full */

enum sim_type {
	/* controller -> node */
	SIM_BOOT = 1, /* payload: struct sim_boot; the first message */
	SIM_FRAME,    /* arg: interface; payload: one Ethernet frame */
	SIM_WAKE,     /* time: now; the node runs until its next SIM_POLL */
	/* node -> controller */
	SIM_CONSOLE,  /* payload: console bytes (not necessarily whole lines) */
	SIM_SEND,     /* arg: interface; payload: one Ethernet frame */
	SIM_POLL,     /* time: the deadline (UINT64_MAX: none); payload:
	                 uint32_t held[SIM_NET_MAX], the frames each interface
	                 still holds unread; the node waits for SIM_WAKE */
};

struct sim_header {
	uint32_t type; /* enum sim_type */
	uint32_t arg;
	uint64_t time;
};

struct sim_boot {
	uint32_t version;   /* SIM_VERSION */
	uint32_t net_count; /* interfaces 0..net_count-1 exist */
	uint64_t now;       /* the virtual time of boot: the node's
	                       monotonic clock counts from here */
	uint64_t wall_base; /* the node's wall clock reads wall_base + the
	                       virtual time (ns since 1970-01-01 UTC) */
	struct {
		uint8_t mac[6];
		uint16_t mtu; /* largest IP payload */
	} net[SIM_NET_MAX];
};

/* A received message; data holds len payload bytes. */
struct sim_msg {
	struct sim_header h;
	size_t len;
	uint8_t data[SIM_PAYLOAD_MAX];
};

/* Send one message; 0, or -1 with errno (the peer is gone: EPIPE). */
int ul_host_sim_send(int fd, uint32_t type, uint32_t arg, uint64_t time,
		     const void *data, size_t len);

/* Receive one message, waiting for it. 0; -1 with errno when the peer
 * closed its end (errno 0), the wait timed out (EAGAIN, when the socket
 * has SO_RCVTIMEO) or the message is malformed (EPROTO). */
int ul_host_sim_recv(int fd, struct sim_msg *m);

#endif
