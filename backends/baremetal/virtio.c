/* baremetal: what every virtio device goes through, whatever its transport
 * (virtio 1.2, 3.1): reset, feature negotiation, queue set-up, DRIVER_OK. */
#include "virtio.h"
#include "x86_64/io.h"

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8

bool ul_bm_virtio_init(struct ul_bm_virtio *v,
                       const struct ul_bm_virtio_place *at, uint64_t want,
                       uint64_t *got)
{
	if (at->pci ? !ul_bm_virtio_pci_attach(v, at->pci)
	            : !ul_bm_virtio_mmio_attach(v, at->mmio))
		return false;
	/* Writing 0 resets; the reset is over when 0 reads back. */
	v->ops->set_status(v, 0);
	while (v->ops->get_status(v) != 0)
		;
	v->ops->set_status(v, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	uint64_t offered = v->ops->get_features(v);
	if (!(offered & VIRTIO_F_VERSION_1))
		return false;
	*got = offered & (want | VIRTIO_F_VERSION_1);
	v->features = *got;
	v->ops->set_features(v, *got);
	v->ops->set_status(v, STATUS_ACKNOWLEDGE | STATUS_DRIVER |
	                              STATUS_FEATURES_OK);
	return v->ops->get_status(v) & STATUS_FEATURES_OK;
}

bool ul_bm_virtio_queue(struct ul_bm_virtio *v, unsigned index,
                        struct ul_bm_virtq *q, uint16_t max_size,
                        bool interrupts)
{
	uint16_t size = v->ops->queue_max(v, index);

	if (size == 0)
		return false;
	if (size > max_size)
		size = max_size;
	while (size & (size - 1)) /* split rings index modulo a power of two */
		size &= (uint16_t)(size - 1);

	/* Descriptors, then the available ring, then the used ring, each
	 * aligned as 2.7 asks (16, 2 and 4 bytes); each ring ends in the
	 * 16-bit event field of VIRTIO_F_EVENT_IDX. */
	size_t avail_at = 16u * size;
	size_t used_at = (avail_at + 6 + 2u * size + 3) & ~(size_t)3;
	size_t bytes = used_at + 6 + 8u * size;
	uint8_t *mem = ul_bm_alloc_pages((bytes + 4095) / 4096);
	*q = (struct ul_bm_virtq){
		.size = size,
		.index = (uint16_t)index,
		.desc = (struct virtq_desc *)mem,
		.avail = (struct virtq_avail *)(mem + avail_at),
		.used = (struct virtq_used *)(mem + used_at),
		.event_idx = v->features & VIRTIO_F_EVENT_IDX,
	};
	v->ops->queue_enable(v, q, interrupts && v->interrupts);
	if (interrupts && !v->interrupts)
		ul_bm_idle_needs_polling();
	return true;
}

void ul_bm_virtio_ready(struct ul_bm_virtio *v)
{
	v->ops->set_status(v, v->ops->get_status(v) | STATUS_DRIVER_OK);
}

void ul_bm_virtio_claim(const struct ul_bm_virtio_place *at, const char *driver,
                        unsigned unit)
{
	if (at->pci) {
		at->pci->driver = driver;
		at->pci->unit = unit;
	} else {
		at->mmio->driver = driver;
		at->mmio->unit = unit;
	}
}

uint8_t ul_bm_virtio_cfg8(const struct ul_bm_virtio *v, unsigned off)
{
	return x86_mmio_read8(v->device_cfg + off);
}

/* A 64-bit field is read as two halves; config_generation would tell a
 * torn read, but the fields read here (capacity) do not change at run
 * time. */
uint64_t ul_bm_virtio_cfg64(const struct ul_bm_virtio *v, unsigned off)
{
	return x86_mmio_read32(v->device_cfg + off) |
	       (uint64_t)x86_mmio_read32(v->device_cfg + off + 4) << 32;
}
