/* xen guest: blkfront, the guest half of Xen's split block driver.
 *
 * The toolstack lists our disks in XenStore under device/vbd/ID. For each
 * we share one ring with the back end (blkback in dom0), grant it a bounce
 * buffer of XEN_BLK_SEGMENTS pages and bind an event channel; the
 * handshake (xenbus.c) waits for InitWait, publishes the ring, channel and
 * ABI, goes Initialised, waits for Connected and reads the disk's size.
 *
 * Requests are made one at a time: the sectors go through the bounce
 * pages, at most XEN_BLK_SEGMENTS * 8 sectors a request, and the caller
 * blocks on events until the response is in (or IO_TIMEOUT passes: the
 * back end is gone). Writes are followed by a cache flush when the back
 * end offers one, so a write that returned is on the disk. */
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/log.h>
#include <unilab/string.h>

#include "guest.h"
#include "platform.h"

#define SECTOR 512
#define SECTORS_PER_PAGE (XEN_PAGE_SIZE / SECTOR)
#define REQUEST_SECTORS (XEN_BLK_SEGMENTS * SECTORS_PER_PAGE)
#define IO_TIMEOUT (30 * 1000000000ull)

struct disk {
	struct xen_blk_ring *ring;
	uint32_t ref[XEN_BLK_SEGMENTS];
	uint32_t port;
	uint32_t rsp_cons;
	uint64_t sectors;
	int flush; /* the back end takes FLUSH_DISKCACHE */
	char front[32];
};

struct disk_pages {
	char ring[XEN_PAGE_SIZE];
	char buf[XEN_BLK_SEGMENTS][XEN_PAGE_SIZE];
};

static struct disk_pages pages[UL_MAX_BLOCK] __attribute__((aligned(XEN_PAGE_SIZE)));
static struct disk disks[UL_MAX_BLOCK];
static unsigned disk_count;

/* Connect the disk whose XenStore directory is front; 0 or -1. */
static int connect(const char *front)
{
	struct disk *d = &disks[disk_count];
	struct disk_pages *pg = &pages[disk_count];
	char back[128], path[160];
	uint16_t domid;
	long n;

	ul_snprintf(d->front, sizeof(d->front), "%s", front);
	if (ul_xen_bus_backend(front, back, sizeof(back), &domid) < 0 ||
	    ul_xen_bus_wait(back, XEN_BUS_INIT_WAIT) < 0)
		return -1;
	d->ring = (struct xen_blk_ring *)pg->ring;
	ul_memset(pg->ring, 0, sizeof(pg->ring));
	d->ring->h.req_event = d->ring->h.rsp_event = 1;
	for (unsigned i = 0; i < XEN_BLK_SEGMENTS; i++)
		d->ref[i] = ul_xen_grant(domid, pg->buf[i], 0);
	d->port = ul_xen_event_channel_alloc(domid);
	ul_snprintf(path, sizeof(path), "%s/protocol", front);
	if (ul_xen_bus_write(front, "ring-ref", ul_xen_grant(domid, pg->ring, 0)) < 0 ||
	    ul_xen_bus_write(front, "event-channel", d->port) < 0 ||
	    ul_xen_store_write(path, "x86_64-abi") < 0 ||
	    ul_xen_bus_write(front, "state", XEN_BUS_INITIALISED) < 0 ||
	    ul_xen_bus_wait(back, XEN_BUS_CONNECTED) < 0)
		return -1;
	ul_snprintf(path, sizeof(path), "%s/sectors", back);
	n = ul_xen_store_read_number(path);
	ul_snprintf(path, sizeof(path), "%s/sector-size", back);
	if (n < 0 || ul_xen_store_read_number(path) != SECTOR) {
		ul_error("xen: %s: the back end gives no size, or sectors "
		         "other than %d bytes", front, SECTOR);
		return -1;
	}
	d->sectors = (uint64_t)n;
	ul_snprintf(path, sizeof(path), "%s/feature-flush-cache", back);
	d->flush = ul_xen_store_read_number(path) == 1;
	if (ul_xen_bus_write(front, "state", XEN_BUS_CONNECTED) < 0)
		return -1;
	disk_count++;
	return 0;
}

unsigned ul_xen_blkfront_init(void)
{
	/* Disks are named by their Linux device numbers: xvda is 51712
	 * (202 << 8), xvdb 51728, ... */
	static const unsigned ids[] = {51712, 51728, 51744, 51760};
	char front[32], path[48], probe[8];

	for (unsigned i = 0; i < UL_MAX_BLOCK; i++) {
		ul_snprintf(front, sizeof(front), "device/vbd/%u", ids[i]);
		ul_snprintf(path, sizeof(path), "%s/state", front);
		if (ul_xen_store_read(path, probe, sizeof(probe)) < 0)
			break;
		if (connect(front) < 0)
			break;
	}
	return disk_count;
}

static int response_in(struct disk *d)
{
	return d->ring->h.rsp_prod != d->rsp_cons;
}

/* Post one request of op for count sectors from sector through the bounce
 * pages and wait for its answer: 0 or -UL_EIO. */
static int request(struct disk *d, uint8_t op, uint64_t sector, uint32_t count)
{
	uint32_t prod = d->ring->h.req_prod;
	struct xen_blk_request *r = &d->ring->ring[prod % XEN_BLK_RING_SIZE].req;
	uint64_t deadline = ul_plat_clock_monotonic() + IO_TIMEOUT;

	r->operation = op;
	r->handle = 0;
	r->id = prod;
	r->sector_number = sector;
	r->nr_segments = 0;
	for (uint32_t done = 0; done < count; r->nr_segments++) {
		uint32_t n = count - done < SECTORS_PER_PAGE ? count - done : SECTORS_PER_PAGE;
		r->seg[r->nr_segments] = (struct xen_blk_segment){
			.gref = d->ref[r->nr_segments],
			.first_sect = 0,
			.last_sect = (uint8_t)(n - 1),
		};
		done += n;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	d->ring->h.req_prod = prod + 1;
	ul_xen_event_channel_notify(d->port);
	for (;;) {
		ul_xen_events_clear();
		d->ring->h.rsp_event = d->rsp_cons + 1;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (response_in(d))
			break;
		if (ul_plat_clock_monotonic() >= deadline) {
			ul_error("xen: %s: the back end did not answer in %llu s",
			         d->front, IO_TIMEOUT / 1000000000ull);
			return -UL_EIO;
		}
		ul_xen_events_block_until(deadline);
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	struct xen_blk_response rsp = d->ring->ring[d->rsp_cons % XEN_BLK_RING_SIZE].rsp;
	d->rsp_cons++;
	if (rsp.id != prod || rsp.status != XEN_BLKIF_RSP_OKAY) {
		ul_error("xen: %s: the back end failed a request (status %d)",
		         d->front, rsp.status);
		return -UL_EIO;
	}
	return 0;
}

/* The disk i, with the range checked: NULL and *err set when not valid. */
static struct disk *disk_for(unsigned i, uint64_t sector, uint32_t count,
                             int *err)
{
	if (i >= disk_count) {
		*err = -UL_ENODEV;
		return NULL;
	}
	if (sector > disks[i].sectors || count > disks[i].sectors - sector) {
		*err = -UL_EINVAL;
		return NULL;
	}
	return &disks[i];
}

int ul_plat_block_info(unsigned i, struct ul_block_info *info)
{
	if (i >= disk_count)
		return -UL_ENODEV;
	info->sector_size = SECTOR;
	info->sectors = disks[i].sectors;
	return 0;
}

int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count)
{
	int err = 0;
	struct disk *d = disk_for(i, sector, count, &err);
	char *out = buf;

	if (!d)
		return err;
	while (count > 0) {
		uint32_t n = count < REQUEST_SECTORS ? count : REQUEST_SECTORS;
		if ((err = request(d, XEN_BLKIF_OP_READ, sector, n)) < 0)
			return err;
		for (uint32_t s = 0; s < n; s += SECTORS_PER_PAGE) {
			uint32_t m = n - s < SECTORS_PER_PAGE ? n - s : SECTORS_PER_PAGE;
			ul_memcpy(out + (size_t)s * SECTOR,
			          pages[i].buf[s / SECTORS_PER_PAGE], (size_t)m * SECTOR);
		}
		out += (size_t)n * SECTOR;
		sector += n;
		count -= n;
	}
	return 0;
}

int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count)
{
	int err = 0;
	struct disk *d = disk_for(i, sector, count, &err);
	const char *in = buf;

	if (!d)
		return err;
	while (count > 0) {
		uint32_t n = count < REQUEST_SECTORS ? count : REQUEST_SECTORS;
		for (uint32_t s = 0; s < n; s += SECTORS_PER_PAGE) {
			uint32_t m = n - s < SECTORS_PER_PAGE ? n - s : SECTORS_PER_PAGE;
			ul_memcpy(pages[i].buf[s / SECTORS_PER_PAGE],
			          in + (size_t)s * SECTOR, (size_t)m * SECTOR);
		}
		if ((err = request(d, XEN_BLKIF_OP_WRITE, sector, n)) < 0)
			return err;
		in += (size_t)n * SECTOR;
		sector += n;
		count -= n;
	}
	return d->flush ? request(d, XEN_BLKIF_OP_FLUSH_DISKCACHE, 0, 0) : 0;
}
