/* baremetal: the virtio 1.x PCI transport (virtio 1.2, 4.1). The device's
 * register blocks are found through vendor-specific PCI capabilities, each
 * naming a BAR and an offset in it: the common configuration (features,
 * status, queues), the notification area and the device-specific
 * configuration. Devices that offer only the legacy interface are left
 * alone. Interrupts are MSI-X messages to BM_VEC_DEVICE, which only wake
 * the CPU. */
#include "virtio.h"
#include "x86_64/io.h"

#define CAP_VENDOR 0x09
#define CAP_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_NOTIFY_MULTIPLIER 16
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_DEVICE 4

/* Common configuration registers. */
#define DEVICE_FEATURE_SELECT 0x00
#define DEVICE_FEATURE 0x04
#define DRIVER_FEATURE_SELECT 0x08
#define DRIVER_FEATURE 0x0c
#define CONFIG_MSIX_VECTOR 0x10
#define DEVICE_STATUS 0x14
#define QUEUE_SELECT 0x16
#define QUEUE_SIZE 0x18
#define QUEUE_MSIX_VECTOR 0x1a
#define QUEUE_ENABLE 0x1c
#define QUEUE_NOTIFY_OFF 0x1e
#define QUEUE_DESC 0x20
#define QUEUE_DRIVER 0x28
#define QUEUE_DEVICE 0x30

#define NO_VECTOR 0xffff

static void write64(uintptr_t a, uint64_t v)
{
	x86_mmio_write32(a, (uint32_t)v);
	x86_mmio_write32(a + 4, (uint32_t)(v >> 32));
}

/* The mapped address of the first capability of type cfg_type. */
static uintptr_t find_block(struct ul_bm_virtio *v, uint8_t cfg_type,
                            unsigned *cap_out)
{
	for (unsigned cap = ul_bm_pci_find_cap(v->pci, CAP_VENDOR, 0); cap;
	     cap = ul_bm_pci_find_cap(v->pci, CAP_VENDOR, cap)) {
		if (ul_bm_pci_read8(v->pci, cap + CAP_TYPE) != cfg_type)
			continue;
		uint64_t bar = ul_bm_pci_bar(v->pci, ul_bm_pci_read8(v->pci, cap + CAP_BAR));
		uint32_t off = ul_bm_pci_read32(v->pci, cap + CAP_OFFSET);
		uint32_t len = ul_bm_pci_read32(v->pci, cap + CAP_LENGTH);
		if (!bar)
			return 0;
		ul_bm_map_device(bar + off, len);
		*cap_out = cap;
		return (uintptr_t)(bar + off);
	}
	return 0;
}

static uint8_t get_status(struct ul_bm_virtio *v)
{
	return x86_mmio_read8(v->common + DEVICE_STATUS);
}

static void set_status(struct ul_bm_virtio *v, uint8_t status)
{
	x86_mmio_write8(v->common + DEVICE_STATUS, status);
}

static uint64_t get_features(struct ul_bm_virtio *v)
{
	uint64_t f = 0;
	for (uint32_t half = 0; half < 2; half++) {
		x86_mmio_write32(v->common + DEVICE_FEATURE_SELECT, half);
		f |= (uint64_t)x86_mmio_read32(v->common + DEVICE_FEATURE)
		     << (32 * half);
	}
	return f;
}

static void set_features(struct ul_bm_virtio *v, uint64_t f)
{
	for (uint32_t half = 0; half < 2; half++) {
		x86_mmio_write32(v->common + DRIVER_FEATURE_SELECT, half);
		x86_mmio_write32(v->common + DRIVER_FEATURE,
		                 (uint32_t)(f >> (32 * half)));
	}
}

static uint16_t queue_max(struct ul_bm_virtio *v, unsigned index)
{
	x86_mmio_write16(v->common + QUEUE_SELECT, (uint16_t)index);
	return x86_mmio_read16(v->common + QUEUE_SIZE);
}

/* Queue interrupts go to MSI-X entry 0 (ul_bm_pci_msix_enable). */
static void queue_enable(struct ul_bm_virtio *v, struct ul_bm_virtq *q,
                         bool interrupts)
{
	x86_mmio_write16(v->common + QUEUE_SIZE, q->size);
	write64(v->common + QUEUE_DESC, (uintptr_t)q->desc);
	write64(v->common + QUEUE_DRIVER, (uintptr_t)q->avail);
	write64(v->common + QUEUE_DEVICE, (uintptr_t)q->used);
	x86_mmio_write16(v->common + QUEUE_MSIX_VECTOR,
	                 interrupts ? 0 : NO_VECTOR);
	if (interrupts &&
	    x86_mmio_read16(v->common + QUEUE_MSIX_VECTOR) == NO_VECTOR)
		v->interrupts = false; /* the device could not take the vector */
	uint16_t off = x86_mmio_read16(v->common + QUEUE_NOTIFY_OFF);
	q->notify = v->notify + (uintptr_t)off * v->notify_multiplier;
	ul_bm_map_device(q->notify, 2);
	x86_mmio_write16(v->common + QUEUE_ENABLE, 1);
}

static const struct ul_bm_virtio_ops pci_ops = {
	get_status, set_status, get_features, set_features, queue_max,
	queue_enable,
};

bool ul_bm_virtio_pci_attach(struct ul_bm_virtio *v, struct ul_bm_pci_dev *d)
{
	unsigned cap, notify_cap = 0;

	*v = (struct ul_bm_virtio){.ops = &pci_ops, .pci = d};
	ul_bm_pci_enable(d);
	v->common = find_block(v, CFG_COMMON, &cap);
	v->device_cfg = find_block(v, CFG_DEVICE, &cap);
	v->notify = find_block(v, CFG_NOTIFY, &notify_cap);
	if (!v->common || !v->device_cfg || !v->notify)
		return false;
	v->notify_multiplier =
		ul_bm_pci_read32(d, notify_cap + CAP_NOTIFY_MULTIPLIER);
	x86_mmio_write16(v->common + CONFIG_MSIX_VECTOR, NO_VECTOR);
	v->interrupts = ul_bm_pci_msix_enable(d, BM_VEC_DEVICE);
	return true;
}
