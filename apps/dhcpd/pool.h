/* The addresses a DHCP server hands out: a range of dynamic ones and
 * static ones bound to a MAC address, each lease with its state and the
 * time it ends. Times are ns of ul_now(). */
#ifndef DHCPD_POOL_H
#define DHCPD_POOL_H

#include <stdbool.h>
#include <stdint.h>
#include "msg.h"

#define POOL_MAX 1024
#define STATIC_MAX 64

enum lease_state {
	FREE,     /* never given, released, or expired */
	OFFERED,  /* held for the client it was offered to, briefly */
	BOUND,    /* the client's until it ends */
	DECLINED, /* a client found it in use: not given for a while */
};

struct lease {
	uint32_t addr;
	uint8_t mac[MAC_LEN]; /* the last client's (kept when free: it gets it again) */
	bool is_static;
	enum lease_state state;
	uint64_t until; /* when OFFERED, BOUND or DECLINED ends */
};

/* The range first..first+count-1 (count up to POOL_MAX). */
void pool_init(uint32_t first, uint32_t count);
/* A static lease: mac always gets addr. 0, -UL_EEXIST (that MAC or that
 * address has one already), -UL_ENOSPC (STATIC_MAX). */
int pool_add_static(const uint8_t mac[MAC_LEN], uint32_t addr);

/* mac's lease (static, bound or offered, not ended), or NULL. */
struct lease *pool_of(const uint8_t mac[MAC_LEN], uint64_t now);
/* The lease with address addr (dynamic or static), or NULL. */
struct lease *pool_at(uint32_t addr);
/* What to offer mac: its own lease, else the address it asks for if that
 * is free, else the free address it had last, else any free one; NULL
 * when the pool is exhausted. The lease is then OFFERED until hold_end. */
struct lease *pool_offer(const uint8_t mac[MAC_LEN], uint32_t requested,
                         uint64_t now, uint64_t hold_end);
/* Whether l is free for anyone at now (state and time together). */
bool pool_free(const struct lease *l, uint64_t now);

#endif
