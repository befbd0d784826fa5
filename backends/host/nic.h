/* Host networking internals: one attached interface and the operations
 * each kind (tap.c, pcap_iface.c, user.c) provides; net.c dispatches. */
#ifndef UL_HOST_NIC_H
#define UL_HOST_NIC_H

#include <unilab/ether.h>

#include "host_net.h"


/* The descriptors ul_host_net_sleep waits on in ppoll(); each interface
 * adds its own. */
struct ul_host_pollset {
	struct pollfd *fds;
	unsigned count, cap;
};
/* Empty the set (keeping its memory) before each sleep. */
void ul_host_pollset_reset(struct ul_host_pollset *ps);
/* Add fd; returns its index in ps->fds, or -1 when out of memory. */
int ul_host_pollset_add(struct ul_host_pollset *ps, int fd, short events);

struct ul_host_nic;

struct ul_host_nic_ops {
	long (*send)(struct ul_host_nic *nic, const void *frame, size_t len);
	long (*recv)(struct ul_host_nic *nic, void *buf, size_t cap);
	/* Add descriptors to ps, lower *timeout_ns to the kind's timers;
	 * true when a frame already waits. */
	bool (*poll_fill)(struct ul_host_nic *nic, struct ul_host_pollset *ps,
			  uint64_t *timeout_ns);
	/* After the sleep: true when a frame waits. */
	bool (*poll_done)(struct ul_host_nic *nic,
			  const struct ul_host_pollset *ps, bool failed);
};

struct ul_host_nic {
	const struct ul_host_nic_ops *ops;
	struct ul_host_net_spec spec;
	uint8_t mac[UL_ETH_ADDR_LEN];
	uint16_t mtu;
	int fd;         /* what tap and pcap sleep on */
	int poll_index; /* fd's slot in the current pollset */
	void *state;    /* the kind's own: pcap_t, slirp instance */
};

/* Each kind's open: fill in ops, mtu, fd and state (mac is already set).
 * 0, or a negative error with err. */
int ul_host_tap_open(struct ul_host_nic *nic, struct ul_host_error *err);
int ul_host_pcap_iface_open(struct ul_host_nic *nic, struct ul_host_error *err);
int ul_host_user_open(struct ul_host_nic *nic, struct ul_host_error *err);

/* Polling for kinds that are one readable descriptor (nic->fd). */
bool ul_host_fd_poll_fill(struct ul_host_nic *nic, struct ul_host_pollset *ps,
			  uint64_t *timeout_ns);
bool ul_host_fd_poll_done(struct ul_host_nic *nic,
			  const struct ul_host_pollset *ps, bool failed);

/* For tap and pcap (link.c): 0 with *mtu when interface name exists and
 * is up; otherwise a negative error with err saying so, followed by advice
 * (how to create one) when it does not exist. */
int ul_host_link_check(const char *name, const char *advice, uint16_t *mtu,
		       struct ul_host_error *err);

/* A library function loaded at run time (dynload.c): its name, and where
 * the pointer goes; HOST_SYMBOL(api, f) names api.f, a member declared as
 * __typeof__(f) *f so calls read api.f(...). */
struct ul_host_symbol {
	const char *name;
	void **slot;
};
#define HOST_SYMBOL(api, f) {#f, (void **)&(api).f}
/* Open the first of sonames (a NULL-ended list) that loads and fill every
 * slot; nothing to do when the first slot is already filled. 0, or
 * -UL_ENOSYS with err naming the Debian package to install. */
int ul_host_load(const char *const *sonames, const char *package,
		 const struct ul_host_symbol *syms, size_t n,
		 struct ul_host_error *err);

/* A host stack of a megabyte (stack.c), for libraries with large frames:
 * ul_host_stack_init makes it once (0, or a negative error with err);
 * ul_host_stack_call runs fn(arg) on it. */
int ul_host_stack_init(struct ul_host_error *err);
void ul_host_stack_call(void (*fn)(void *), void *arg);

/* The pcap file (pcap_file.c): write one frame if a file is open. */
void ul_host_pcap_record(const void *frame, size_t len);

#endif
