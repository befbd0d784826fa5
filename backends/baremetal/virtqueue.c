/* baremetal: split virtqueues (virtio 1.2, 2.7). The driver and the device
 * share three rings in RAM; the only ordering that matters is that a ring
 * entry is written before the index that publishes it, and read after the
 * index that announced it: release and acquire accesses, which on x86 are
 * plain moves that the compiler must not reorder.
 *
 * Every notification (a write to the device's notify register) and every
 * interrupt is a trap into the hypervisor, so both are suppressed when the
 * other side does not need them (2.7.7, 2.7.10). With VIRTIO_F_EVENT_IDX
 * each side publishes the ring index at which it next wants to hear: the
 * device its avail_event after the used ring, the driver its used_event
 * after the available ring; without it, only a flag that is a hint. */
#include "virtio.h"
#include "x86_64/io.h"

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1

/* The event fields sit right after each ring's last entry. */
static volatile uint16_t *used_event(struct ul_bm_virtq *q)
{
	return &q->avail->ring[q->size];
}

static volatile uint16_t *avail_event(struct ul_bm_virtq *q)
{
	return (volatile uint16_t *)&q->used->ring[q->size];
}

/* True if moving an index from old to new crosses event, the index at
 * which the other side asked to hear: event is in [old, new), counted
 * modulo 2^16 as the indices are. */
static bool crosses(uint16_t event, uint16_t new, uint16_t old)
{
	return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

void ul_bm_virtq_offer(struct ul_bm_virtq *q, uint16_t head)
{
	uint16_t idx = q->avail->idx;

	q->avail->ring[idx & (q->size - 1)] = head;
	__atomic_store_n(&q->avail->idx, (uint16_t)(idx + 1), __ATOMIC_RELEASE);
}

uint16_t ul_bm_virtq_unkicked(const struct ul_bm_virtq *q)
{
	return (uint16_t)(q->avail->idx - q->kicked);
}

void ul_bm_virtq_kick(struct ul_bm_virtq *q)
{
	uint16_t now = q->avail->idx;
	bool wanted;

	if (now == q->kicked)
		return;
	/* The device's wish must be read after the index was published: it
	 * may have gone to sleep after reading an older one. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (q->event_idx)
		wanted = crosses(*avail_event(q), now, q->kicked);
	else
		wanted = !(__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) &
		           VIRTQ_USED_F_NO_NOTIFY);
	q->kicked = now;
	if (!wanted)
		return;
	q->notifies++;
	if (q->notify32)
		x86_mmio_write32(q->notify, q->index);
	else
		x86_mmio_write16(q->notify, q->index);
}

/* With event indices, "no interrupt" is a used_event one behind the
 * device's next entry: it cannot be crossed again before 2^16 more used
 * entries, by when the driver has asked again. */
void ul_bm_virtq_interrupts(struct ul_bm_virtq *q, bool on)
{
	if (q->event_idx)
		*used_event(q) = (uint16_t)(q->last_used - (on ? 0 : 1));
	else if (on)
		q->avail->flags &= (uint16_t)~VIRTQ_AVAIL_F_NO_INTERRUPT;
	else
		q->avail->flags |= VIRTQ_AVAIL_F_NO_INTERRUPT;
	/* The wish must be visible before the caller looks at the used ring
	 * once more: else a used entry written in between would wake no one. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

bool ul_bm_virtq_has_used(const struct ul_bm_virtq *q)
{
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) != q->last_used;
}

bool ul_bm_virtq_take(struct ul_bm_virtq *q, struct virtq_used_elem *e)
{
	if (!ul_bm_virtq_has_used(q))
		return false;
	*e = q->used->ring[q->last_used & (q->size - 1)];
	q->last_used++;
	return true;
}
