/* xen guest: the ABI of Xen's split drivers, from Xen's public headers
 * (grant_table.h, event_channel.h, io/xs_wire.h, io/xenbus.h, io/ring.h,
 * io/netif.h, io/blkif.h): grant tables, unbound event channels, the XenStore ring and
 * its messages, the xenbus states, netfront's and blkfront's rings. */
#ifndef UL_XEN_PVIO_H
#define UL_XEN_PVIO_H

#include <stddef.h>
#include <stdint.h>

/* grant_table_op(cmd, arg, count). */
#define XEN_HC_GRANT_TABLE_OP 20
#define XEN_GNTTABOP_SETUP_TABLE 2
struct xen_gnttab_setup_table {
	uint16_t dom;        /* in: DOMID_SELF */
	uint32_t nr_frames;  /* in */
	int16_t status;      /* out: 0 or a GNTST_* error */
	uint64_t frame_list; /* in: VA of nr_frames uint64_t, filled with MFNs */
};
_Static_assert(offsetof(struct xen_gnttab_setup_table, frame_list) == 16,
               "gnttab_setup_table");
/* A version 1 grant entry: the frame, who may map or copy it, how. */
struct xen_grant_entry {
	uint16_t flags; /* written last: makes the grant live */
	uint16_t domid;
	uint32_t frame;
};
#define XEN_GTF_PERMIT_ACCESS 1
#define XEN_GTF_READONLY (1u << 2)
#define XEN_GNTTAB_RESERVED 8 /* refs below this are the toolstack's */

/* event_channel_op: a new port that domain remote_dom may bind to. */
#define XEN_EVTCHNOP_ALLOC_UNBOUND 6
struct xen_evtchn_alloc_unbound {
	uint16_t dom;        /* in: DOMID_SELF */
	uint16_t remote_dom; /* in */
	uint32_t port;       /* out */
};

/* The XenStore ring page (start_info.store_mfn): requests go out in req,
 * answers come back in rsp; indexes run freely, masked by size - 1. */
#define XEN_STORE_RING_SIZE 1024
struct xen_store_ring {
	char req[XEN_STORE_RING_SIZE];
	char rsp[XEN_STORE_RING_SIZE];
	uint32_t req_cons, req_prod;
	uint32_t rsp_cons, rsp_prod;
};
/* Each message: this header, then len bytes of payload. */
struct xen_store_msg {
	uint32_t type;
	uint32_t req_id; /* echoed in the answer */
	uint32_t tx_id;  /* 0: no transaction */
	uint32_t len;
};
#define XEN_XS_READ 2
#define XEN_XS_WRITE 11
#define XEN_XS_ERROR 16      /* payload: an errno name, "ENOENT" */
#define XEN_XS_PAYLOAD_MAX 4096

/* xenbus states, in each side's "state" key. */
#define XEN_BUS_INITIALISING 1
#define XEN_BUS_INIT_WAIT 2
#define XEN_BUS_INITIALISED 3
#define XEN_BUS_CONNECTED 4
#define XEN_BUS_CLOSING 5
#define XEN_BUS_CLOSED 6

/* A shared ring's header (io/ring.h); the entries follow at offset 64 and
 * number the largest power of two that fits the page. The front end
 * produces requests, the back end responses; each side asks to be
 * notified when the other's producer index passes its *_event. */
struct xen_ring_header {
	uint32_t req_prod, req_event;
	uint32_t rsp_prod, rsp_event;
	uint8_t pad[48];
};

/* netfront's two rings (io/netif.h): 256 entries each in a page. */
#define XEN_NET_RING_SIZE 256
struct xen_net_tx_request {
	uint32_t gref;   /* the frame's page */
	uint16_t offset; /* of the frame in it */
	uint16_t flags;  /* none: no checksum offload, one slot per frame */
	uint16_t id;     /* echoed in the response */
	uint16_t size;   /* the frame's length */
};
struct xen_net_tx_response {
	uint16_t id;
	int16_t status; /* 0 sent, negative an error or a drop */
};
union xen_net_tx_entry {
	struct xen_net_tx_request req;
	struct xen_net_tx_response rsp;
};
struct xen_net_tx_ring {
	struct xen_ring_header h;
	union xen_net_tx_entry ring[XEN_NET_RING_SIZE];
};
struct xen_net_rx_request {
	uint16_t id;
	uint16_t pad;
	uint32_t gref; /* the page the back end copies a frame into */
};
struct xen_net_rx_response {
	uint16_t id;
	uint16_t offset; /* of the frame in the page */
	uint16_t flags;  /* XEN_NETRXF_* */
	int16_t status;  /* the frame's length, or negative: an error */
};
#define XEN_NETRXF_MORE_DATA (1u << 2)
#define XEN_NETRXF_EXTRA_INFO (1u << 3)
union xen_net_rx_entry {
	struct xen_net_rx_request req;
	struct xen_net_rx_response rsp;
};
struct xen_net_rx_ring {
	struct xen_ring_header h;
	union xen_net_rx_entry ring[XEN_NET_RING_SIZE];
};
_Static_assert(sizeof(struct xen_net_tx_ring) <= 4096, "tx ring");
_Static_assert(sizeof(struct xen_net_rx_ring) <= 4096, "rx ring");

/* blkfront's ring (io/blkif.h): 32 entries in a page. A request moves up
 * to 11 segments, each some 512-byte sectors of one granted page. */
#define XEN_BLK_RING_SIZE 32
#define XEN_BLK_SEGMENTS 11
#define XEN_BLKIF_OP_READ 0
#define XEN_BLKIF_OP_WRITE 1
#define XEN_BLKIF_OP_FLUSH_DISKCACHE 3
#define XEN_BLKIF_RSP_OKAY 0
#define XEN_BLKIF_RSP_EOPNOTSUPP (-2)
struct xen_blk_segment {
	uint32_t gref;
	uint8_t first_sect, last_sect; /* 512-byte sectors 0..7 of the page */
	uint16_t pad;
};
struct xen_blk_request {
	uint8_t operation;
	uint8_t nr_segments;
	uint16_t handle;
	uint64_t id;            /* echoed in the response */
	uint64_t sector_number; /* in 512-byte sectors */
	struct xen_blk_segment seg[XEN_BLK_SEGMENTS];
};
struct xen_blk_response {
	uint64_t id;
	uint8_t operation;
	int16_t status;
};
union xen_blk_entry {
	struct xen_blk_request req;
	struct xen_blk_response rsp;
};
struct xen_blk_ring {
	struct xen_ring_header h;
	union xen_blk_entry ring[XEN_BLK_RING_SIZE];
};
_Static_assert(sizeof(struct xen_blk_request) == 112, "blkif_request");
_Static_assert(sizeof(struct xen_blk_ring) <= 4096, "blk ring");

#endif
