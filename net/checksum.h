/* The Internet checksum (RFC 1071): the ones' complement of the ones'
 * complement sum of 16-bit big-endian words. */
#ifndef NET_CHECKSUM_H
#define NET_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Add len bytes to a running sum. Pieces chained through sum must each
 * have an even length, except the last (an odd byte is padded with 0). */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
/* Fold a running sum and complement it: the value for the header. */
uint16_t csum_finish(uint32_t sum);
/* The running sum of the TCP/UDP pseudo-header (RFC 9293 3.1). */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto,
                     uint16_t len);
/* Checksum of one buffer; 0 when a buffer that holds its own checksum is
 * intact. */
uint16_t csum(const void *data, size_t len);

#endif
