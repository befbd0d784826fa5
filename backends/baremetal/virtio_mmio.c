/* baremetal: the virtio-mmio transport (virtio 1.2, 4.2), version 2 (the
 * modern one) only. QEMU's -M microvm has its virtio devices there and,
 * with ACPI off, says where on the command line, in the syntax of Linux's
 * virtio_mmio.device parameter: "virtio_mmio.device=SIZE@BASE:IRQ" words
 * at its end, which bootinfo.c takes off before the core sees them. A
 * device holds its IRQ line up while an interrupt is pending; the handler
 * acknowledges it, and the CPU, now awake, looks at the rings. */
#include <unilab/string.h>
#include <unilab/strtol.h>

#include "virtio.h"
#include "x86_64/io.h"

#define REG_MAGIC 0x000 /* "virt" */
#define REG_VERSION 0x004
#define REG_DEVICE_ID 0x008
#define REG_DEVICE_FEATURES 0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES 0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL 0x030
#define REG_QUEUE_NUM_MAX 0x034
#define REG_QUEUE_NUM 0x038
#define REG_QUEUE_READY 0x044
#define REG_QUEUE_NOTIFY 0x050
#define REG_INTERRUPT_STATUS 0x060
#define REG_INTERRUPT_ACK 0x064
#define REG_STATUS 0x070
#define REG_QUEUE_DESC 0x080
#define REG_QUEUE_DRIVER 0x090
#define REG_QUEUE_DEVICE 0x0a0
#define REG_CONFIG 0x100
#define MAGIC 0x74726976
#define MODERN 2

static struct ul_bm_mmio_dev devs[BM_MAX_MMIO];
static unsigned dev_count;

/* "virtio_mmio.device=512@0xfeb00e00:12" (an optional ":ID" may follow,
 * Linux's platform device ID, of no use here). */
void ul_bm_mmio_take_word(const char *word)
{
	struct ul_bm_mmio_dev m = {0};
	unsigned long long size;
	char size_text[24], *end;
	const char *at;

	word += sizeof(BM_MMIO_WORD) - 1;
	at = ul_strchr(word, '@');
	if (!at || (size_t)(at - word) >= sizeof(size_text))
		return;
	ul_strlcpy(size_text, word, (size_t)(at - word) + 1);
	m.base = ul_strtoull(at + 1, &end, 0, NULL);
	if (ul_parse_size(size_text, &size) < 0 || *end != ':' || m.base == 0)
		return;
	m.irq = (unsigned)ul_strtoul(end + 1, &end, 0, NULL);
	m.size = size;
	if (dev_count < BM_MAX_MMIO)
		devs[dev_count++] = m;
}

unsigned ul_bm_mmio_count(void)
{
	return dev_count;
}

struct ul_bm_mmio_dev *ul_bm_mmio_get(unsigned i)
{
	return &devs[i];
}

/* The device ID (1 network, 2 block) of a modern device at m, else 0. */
uint32_t ul_bm_mmio_device_id(struct ul_bm_mmio_dev *m)
{
	ul_bm_map_device(m->base, m->size);
	if (x86_mmio_read32((uintptr_t)m->base + REG_MAGIC) != MAGIC ||
	    x86_mmio_read32((uintptr_t)m->base + REG_VERSION) != MODERN)
		return 0;
	return x86_mmio_read32((uintptr_t)m->base + REG_DEVICE_ID);
}

static uint32_t rd(struct ul_bm_virtio *v, unsigned reg)
{
	return x86_mmio_read32(v->base + reg);
}

static void wr(struct ul_bm_virtio *v, unsigned reg, uint32_t value)
{
	x86_mmio_write32(v->base + reg, value);
}

static uint8_t get_status(struct ul_bm_virtio *v)
{
	return (uint8_t)rd(v, REG_STATUS);
}

static void set_status(struct ul_bm_virtio *v, uint8_t status)
{
	wr(v, REG_STATUS, status);
}

static uint64_t get_features(struct ul_bm_virtio *v)
{
	uint64_t f = 0;
	for (uint32_t half = 0; half < 2; half++) {
		wr(v, REG_DEVICE_FEATURES_SEL, half);
		f |= (uint64_t)rd(v, REG_DEVICE_FEATURES) << (32 * half);
	}
	return f;
}

static void set_features(struct ul_bm_virtio *v, uint64_t f)
{
	for (uint32_t half = 0; half < 2; half++) {
		wr(v, REG_DRIVER_FEATURES_SEL, half);
		wr(v, REG_DRIVER_FEATURES, (uint32_t)(f >> (32 * half)));
	}
}

static uint16_t queue_max(struct ul_bm_virtio *v, unsigned index)
{
	wr(v, REG_QUEUE_SEL, index);
	uint32_t max = rd(v, REG_QUEUE_NUM_MAX);
	return max > UINT16_MAX ? UINT16_MAX : (uint16_t)max;
}

static void write64(struct ul_bm_virtio *v, unsigned reg, uint64_t value)
{
	wr(v, reg, (uint32_t)value);
	wr(v, reg + 4, (uint32_t)(value >> 32));
}

/* A device has one interrupt line for all its queues: interrupts is
 * decided per device, at attach. */
static void queue_enable(struct ul_bm_virtio *v, struct ul_bm_virtq *q,
                         bool interrupts)
{
	(void)interrupts;
	wr(v, REG_QUEUE_NUM, q->size);
	write64(v, REG_QUEUE_DESC, (uintptr_t)q->desc);
	write64(v, REG_QUEUE_DRIVER, (uintptr_t)q->avail);
	write64(v, REG_QUEUE_DEVICE, (uintptr_t)q->used);
	q->notify = v->base + REG_QUEUE_NOTIFY;
	q->notify32 = true; /* every register here is 32 bits wide */
	wr(v, REG_QUEUE_READY, 1);
}

static const struct ul_bm_virtio_ops mmio_ops = {
	get_status, set_status, get_features, set_features, queue_max,
	queue_enable,
};

/* Every device's line lands here: acknowledge whatever each has pending,
 * so that its line falls and can rise again for the next interrupt. */
static void mmio_interrupt(void)
{
	for (unsigned i = 0; i < dev_count; i++) {
		uintptr_t base = (uintptr_t)devs[i].base;
		if (!devs[i].driver)
			continue;
		uint32_t pending = x86_mmio_read32(base + REG_INTERRUPT_STATUS);
		if (pending)
			x86_mmio_write32(base + REG_INTERRUPT_ACK, pending);
	}
}

bool ul_bm_virtio_mmio_attach(struct ul_bm_virtio *v, struct ul_bm_mmio_dev *m)
{
	*v = (struct ul_bm_virtio){.ops = &mmio_ops,
	                           .base = (uintptr_t)m->base};
	v->device_cfg = v->base + REG_CONFIG;
	ul_bm_set_irq_handler(BM_VEC_VIRTIO_MMIO, mmio_interrupt);
	v->interrupts = ul_bm_ioapic_route(m->irq, BM_VEC_VIRTIO_MMIO);
	return true;
}
