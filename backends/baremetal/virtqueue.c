/* baremetal: split virtqueues (virtio 1.2, 2.7). The driver and the device
 * share three rings in RAM; the only ordering that matters is that a ring
 * entry is written before the index that publishes it, and read after the
 * index that announced it: release and acquire accesses, which on x86 are
 * plain moves that the compiler must not reorder. */
#include "virtio.h"
#include "x86_64/io.h"

#define VIRTQ_USED_F_NO_NOTIFY 1

void bm_virtq_offer(struct bm_virtq *q, uint16_t head)
{
	uint16_t idx = q->avail->idx;

	q->avail->ring[idx & (q->size - 1)] = head;
	__atomic_store_n(&q->avail->idx, (uint16_t)(idx + 1), __ATOMIC_RELEASE);
}

void bm_virtq_kick(struct bm_virtq *q)
{
	/* The flag must be read after the index was published. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(&q->used->flags, __ATOMIC_RELAXED) &
	      VIRTQ_USED_F_NO_NOTIFY)) {
		if (q->notify32)
			x86_mmio_write32(q->notify, q->index);
		else
			x86_mmio_write16(q->notify, q->index);
	}
}

bool bm_virtq_has_used(const struct bm_virtq *q)
{
	return __atomic_load_n(&q->used->idx, __ATOMIC_ACQUIRE) != q->last_used;
}

bool bm_virtq_take(struct bm_virtq *q, struct virtq_used_elem *e)
{
	if (!bm_virtq_has_used(q))
		return false;
	*e = q->used->ring[q->last_used & (q->size - 1)];
	q->last_used++;
	return true;
}
