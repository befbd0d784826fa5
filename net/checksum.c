/* The Internet checksum. Words are summed into a 64-bit accumulator four
 * bytes at a time and folded once at the end (RFC 1071 section 2). */
#include "checksum.h"

uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t acc = sum;

	while (len >= 4) {
		acc += (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		acc += (uint32_t)p[0] << 8;
	/* 32-bit words summed as such fold to the same 16-bit sum. */
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t csum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto,
                     uint16_t len)
{
	uint64_t acc = (uint64_t)src + dst + proto + len;
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t csum(const void *data, size_t len)
{
	return csum_finish(csum_add(0, data, len));
}
