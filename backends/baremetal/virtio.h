/* baremetal: virtio 1.x devices, on PCI (the modern transport) or at
 * virtio-mmio windows, and their split virtqueues, as the drivers in
 * virtio_net.c and virtio_blk.c use them. Spec: "Virtual I/O Device
 * (VIRTIO) Version 1.2", sections 2 (device status, features, split
 * virtqueues), 4.1 (PCI) and 4.2 (MMIO). */
#ifndef UL_BM_VIRTIO_H
#define UL_BM_VIRTIO_H

#include "bm.h"

#define VIRTQ_DESC_F_NEXT 1  /* the chain goes on at .next */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer */

struct virtq_desc {
	uint64_t addr; /* physical: identity-mapped, so also our pointer */
	uint32_t len;
	uint16_t flags, next;
};

struct virtq_avail { /* the driver's ring: chains offered to the device */
	uint16_t flags, idx;
	uint16_t ring[];
};

struct virtq_used_elem {
	uint32_t id; /* the head of the chain the device is done with */
	uint32_t len; /* bytes the device wrote into it */
};

struct virtq_used { /* the device's ring: chains it is done with */
	uint16_t flags, idx;
	struct virtq_used_elem ring[];
};

struct ul_bm_virtq {
	uint16_t size, index;
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t last_used; /* used->idx we have consumed up to */
	uintptr_t notify;   /* where to write index to wake the device: */
	bool notify32;      /* as 32 bits (virtio-mmio), else 16 (PCI) */
	bool event_idx;     /* VIRTIO_F_EVENT_IDX was agreed */
	uint16_t kicked;    /* avail->idx when the device last could have
	                       been told */
	uint64_t notifies;  /* writes to notify: each one a trap */
};

/* Where a device is: on PCI or at a virtio-mmio window (one is NULL). */
struct ul_bm_virtio_place {
	struct ul_bm_pci_dev *pci;
	struct ul_bm_mmio_dev *mmio;
};

struct ul_bm_virtio;

/* What the two transports do differently. */
struct ul_bm_virtio_ops {
	uint8_t (*get_status)(struct ul_bm_virtio *v);
	void (*set_status)(struct ul_bm_virtio *v, uint8_t status);
	uint64_t (*get_features)(struct ul_bm_virtio *v);
	void (*set_features)(struct ul_bm_virtio *v, uint64_t features);
	/* The largest size the device allows for queue index; 0: no such
	 * queue. Selects the queue for queue_enable. */
	uint16_t (*queue_max)(struct ul_bm_virtio *v, unsigned index);
	/* Hand q's rings to the device, set q->notify, enable the queue. */
	void (*queue_enable)(struct ul_bm_virtio *v, struct ul_bm_virtq *q,
	                     bool interrupts);
};

struct ul_bm_virtio {
	const struct ul_bm_virtio_ops *ops;
	uintptr_t device_cfg; /* the device-specific configuration */
	bool interrupts;      /* it can interrupt (MSI-X or an IRQ line) */
	/* PCI: the common configuration and notification areas */
	struct ul_bm_pci_dev *pci;
	uintptr_t common, notify;
	uint32_t notify_multiplier;
	/* virtio-mmio: the register window */
	uintptr_t base;
	uint64_t features; /* what ul_bm_virtio_init agreed */
};

#define VIRTIO_F_EVENT_IDX (1ull << 29)
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Find the device's registers; false if it cannot be driven (a legacy-only
 * device, an unassigned BAR). */
bool ul_bm_virtio_pci_attach(struct ul_bm_virtio *v, struct ul_bm_pci_dev *d);
bool ul_bm_virtio_mmio_attach(struct ul_bm_virtio *v, struct ul_bm_mmio_dev *m);
/* Attach on whichever transport, reset the device and negotiate: offer it
 * the features in want (plus VERSION_1) that it has; *got is what was
 * agreed. False for a device we cannot drive. */
bool ul_bm_virtio_init(struct ul_bm_virtio *v,
                       const struct ul_bm_virtio_place *at, uint64_t want,
                       uint64_t *got);
/* Set up queue index with at most max_size entries (a power of two);
 * interrupts: the device signals used buffers on it. */
bool ul_bm_virtio_queue(struct ul_bm_virtio *v, unsigned index,
                        struct ul_bm_virtq *q, uint16_t max_size,
                        bool interrupts);
/* Tell the device the driver is ready (DRIVER_OK). */
void ul_bm_virtio_ready(struct ul_bm_virtio *v);
/* Record which driver took the device, for the list at boot. */
void ul_bm_virtio_claim(const struct ul_bm_virtio_place *at, const char *driver,
                        unsigned unit);
uint8_t ul_bm_virtio_cfg8(const struct ul_bm_virtio *v, unsigned off);
uint64_t ul_bm_virtio_cfg64(const struct ul_bm_virtio *v, unsigned off);

/* Offer the chain that starts at descriptor head; the device may not
 * look before ul_bm_virtq_kick. */
void ul_bm_virtq_offer(struct ul_bm_virtq *q, uint16_t head);
/* Chains offered since the last ul_bm_virtq_kick. */
uint16_t ul_bm_virtq_unkicked(const struct ul_bm_virtq *q);
/* Wake the device to look at the chains offered since the last kick,
 * unless it said it does not need to be told. */
void ul_bm_virtq_kick(struct ul_bm_virtq *q);
/* Ask the device for an interrupt at its next used chain, or for none.
 * A hint: a device may interrupt anyway. */
void ul_bm_virtq_interrupts(struct ul_bm_virtq *q, bool on);
/* Take the next chain the device is done with; false if there is none. */
bool ul_bm_virtq_take(struct ul_bm_virtq *q, struct virtq_used_elem *e);
bool ul_bm_virtq_has_used(const struct ul_bm_virtq *q);

#endif
