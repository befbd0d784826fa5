/* baremetal: virtio-blk (virtio 1.2, 5.2) behind the platform's block
 * calls. One request at a time, as the calls are synchronous: a chain of
 * three descriptors (the request header, the caller's buffer, the status
 * byte), then sleep until the device hands the chain back. Sectors are
 * always 512 bytes in virtio-blk's addressing. */
#include <unilab/errno.h>

#include "platform.h"
#include "virtio.h"
#include "x86_64/io.h"

#define BLK_F_RO (1ull << 5)
#define CFG_CAPACITY 0
#define REQUEST_QUEUE 0
#define QUEUE_SIZE 4
#define SECTOR 512
#define MAX_SECTORS_PER_REQUEST 128 /* 64 KiB per descriptor */
#define TIMEOUT_NS (30 * 1000000000ull)
#define T_IN 0
#define T_OUT 1
#define S_OK 0

struct blk_request {
	uint32_t type, reserved;
	uint64_t sector;
	uint8_t status; /* written by the device */
};

struct disk {
	struct ul_bm_virtio v;
	struct ul_bm_virtq q;
	struct blk_request *req; /* in a page of its own, for the device */
	uint64_t sectors;
	bool read_only, broken;
};

static struct disk disks[UL_MAX_BLOCK];
static unsigned disk_count;

void ul_bm_virtio_blk_probe(const struct ul_bm_virtio_place *at)
{
	struct disk *k = &disks[disk_count];
	uint64_t features;

	if (disk_count == UL_MAX_BLOCK)
		return;
	if (!ul_bm_virtio_init(&k->v, at, BLK_F_RO, &features) ||
	    !ul_bm_virtio_queue(&k->v, REQUEST_QUEUE, &k->q, QUEUE_SIZE,
	                        true) ||
	    k->q.size < 3) {
		ul_bm_virtio_claim(at, "virtio-blk (cannot drive it)", 0);
		return;
	}
	k->req = ul_bm_alloc_pages(1);
	k->sectors = ul_bm_virtio_cfg64(&k->v, CFG_CAPACITY);
	k->read_only = features & BLK_F_RO;
	ul_bm_virtio_ready(&k->v);
	ul_bm_virtio_claim(at, "virtio-blk", disk_count++);
}

unsigned ul_bm_block_count(void)
{
	return disk_count;
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= disk_count)
		return -UL_ENODEV;
	info->sector_size = SECTOR;
	info->sectors = disks[i].sectors;
	info->read_only = disks[i].read_only;
	return 0;
}

/* Sleep until the device hands back the chain; false after TIMEOUT_NS,
 * which leaves the disk marked broken (its request is still out). */
static bool wait_done(struct disk *k)
{
	struct virtq_used_elem e;
	uint64_t give_up = ul_plat_clock_monotonic() + TIMEOUT_NS;

	for (;;) {
		x86_cli();
		if (ul_bm_virtq_take(&k->q, &e)) {
			x86_sti();
			return true;
		}
		if (ul_plat_clock_monotonic() >= give_up) {
			x86_sti();
			k->broken = true;
			return false;
		}
		ul_bm_halt(give_up);
	}
}

static int transfer(struct disk *k, uint32_t type, uint64_t sector,
                    void *buf, uint32_t count)
{
	*k->req = (struct blk_request){.type = type, .sector = sector};
	k->req->status = 0xff;
	k->q.desc[0] = (struct virtq_desc){
		.addr = (uintptr_t)k->req, .len = 16,
		.flags = VIRTQ_DESC_F_NEXT, .next = 1,
	};
	k->q.desc[1] = (struct virtq_desc){
		.addr = (uintptr_t)buf, .len = count * SECTOR,
		.flags = VIRTQ_DESC_F_NEXT |
		         (type == T_IN ? VIRTQ_DESC_F_WRITE : 0),
		.next = 2,
	};
	k->q.desc[2] = (struct virtq_desc){
		.addr = (uintptr_t)&k->req->status, .len = 1,
		.flags = VIRTQ_DESC_F_WRITE,
	};
	ul_bm_virtq_offer(&k->q, 0);
	ul_bm_virtq_kick(&k->q);
	if (!wait_done(k))
		return -UL_EIO;
	return k->req->status == S_OK ? 0 : -UL_EIO;
}

static int request(unsigned i, uint32_t type, uint64_t sector, void *buf,
                   uint32_t count)
{
	struct disk *k;

	if (i >= disk_count)
		return -UL_ENODEV;
	k = &disks[i];
	if (sector > k->sectors || count > k->sectors - sector)
		return -UL_EINVAL;
	if (type == T_OUT && k->read_only)
		return -UL_EROFS;
	if (k->broken)
		return -UL_EIO;
	while (count > 0) {
		uint32_t n = count < MAX_SECTORS_PER_REQUEST
		                     ? count
		                     : MAX_SECTORS_PER_REQUEST;
		int err = transfer(k, type, sector, buf, n);
		if (err < 0)
			return err;
		sector += n;
		count -= n;
		buf = (uint8_t *)buf + (size_t)n * SECTOR;
	}
	return 0;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	return request(i, T_IN, sector, buf, count);
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	return request(i, T_OUT, sector, (void *)(uintptr_t)buf, count);
}
