/* blockio: checks block device 0 through the platform's block calls. The
 * host fills the disk with a known pattern first; the image reads it back
 * in reads of several sizes (one of them longer than a backend may move in
 * one request), writes its own pattern over sectors WRITE_FIRST.., reads
 * that back, and checks the errors for bad ranges and devices. The host
 * then finds the image's pattern in its file.
 *
 *   blockio   (needs a disk of at least DISK_SECTORS sectors)
 *
 * Byte i of sector s holds (7 * s + i) & 0xff as the host writes it, and
 * (13 * s + 3 * i + 1) & 0xff in the sectors the image writes. */
#include "platform.h"
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>

#define SECTOR 512
#define DISK_SECTORS 2048
#define WRITE_FIRST 16
#define WRITE_COUNT 200 /* sectors; more than 64 KiB in one call */

static uint8_t buf[WRITE_COUNT * SECTOR];

static uint8_t host_byte(uint64_t s, unsigned i)
{
	return (uint8_t)(7 * s + i);
}

static uint8_t image_byte(uint64_t s, unsigned i)
{
	return (uint8_t)(13 * s + 3 * i + 1);
}

/* Whether count sectors in buf, from sector first on, hold pattern. */
static int check(uint64_t first, uint32_t count,
                 uint8_t (*pattern)(uint64_t, unsigned))
{
	for (uint32_t s = 0; s < count; s++)
		for (unsigned i = 0; i < SECTOR; i++)
			if (buf[s * SECTOR + i] != pattern(first + s, i)) {
				ul_printf("blockio: sector %llu byte %u is 0x%02x, want "
				          "0x%02x\n", (unsigned long long)(first + s), i,
				          buf[s * SECTOR + i], pattern(first + s, i));
				return 0;
			}
	return 1;
}

static int read_and_check(uint64_t first, uint32_t count,
                          uint8_t (*pattern)(uint64_t, unsigned))
{
	int err = ul_plat_block_read(0, first, buf, count);
	if (err < 0) {
		ul_printf("blockio: read of %u sectors at %llu failed: %s\n", count,
		          (unsigned long long)first, ul_strerror(err));
		return 0;
	}
	return check(first, count, pattern);
}

static int expect_error(const char *what, int got, int want)
{
	if (got == want)
		return 1;
	ul_printf("blockio: %s returned %d, want %d\n", what, got, want);
	return 0;
}

int ul_main(int argc, char **argv)
{
	struct ul_block_info info;
	int ok = 1;

	(void)argc;
	(void)argv;
	if (ul_plat_block_info(0, &info) < 0) {
		ul_printf("blockio: no block device 0\n");
		return 1;
	}
	ul_printf("blockio: block0 has %llu sectors of %u bytes\n",
	          (unsigned long long)info.sectors, info.sector_size);
	if (info.sector_size != SECTOR || info.sectors < DISK_SECTORS) {
		ul_printf("blockio: want %d sectors of %d bytes\n", DISK_SECTORS,
		          SECTOR);
		return 1;
	}
	ok &= read_and_check(0, 1, host_byte);
	ok &= read_and_check(1, 8, host_byte);
	ok &= read_and_check(info.sectors - WRITE_COUNT, WRITE_COUNT, host_byte);

	for (uint32_t s = 0; s < WRITE_COUNT; s++)
		for (unsigned i = 0; i < SECTOR; i++)
			buf[s * SECTOR + i] = image_byte(WRITE_FIRST + s, i);
	int err = ul_plat_block_write(0, WRITE_FIRST, buf, WRITE_COUNT);
	if (err < 0) {
		ul_printf("blockio: write failed: %s\n", ul_strerror(err));
		return 1;
	}
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = 0;
	ok &= read_and_check(WRITE_FIRST, WRITE_COUNT, image_byte);
	ok &= read_and_check(WRITE_FIRST - 1, 1, host_byte);
	ok &= read_and_check(WRITE_FIRST + WRITE_COUNT, 1, host_byte);

	ok &= expect_error("a read past the end",
	                   ul_plat_block_read(0, info.sectors, buf, 1), -UL_EINVAL);
	ok &= expect_error("a read across the end",
	                   ul_plat_block_read(0, info.sectors - 1, buf, 2),
	                   -UL_EINVAL);
	ok &= expect_error("a read of device 1",
	                   ul_plat_block_read(1, 0, buf, 1), -UL_ENODEV);
	ok &= expect_error("info of device 1", ul_plat_block_info(1, &info),
	                   -UL_ENODEV);
	ul_printf("blockio: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
