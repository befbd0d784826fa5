/* The GDB remote serial protocol's packet layer: framing, checksums, acks,
 * the binary escape and hex. Pure functions over bytes, with no idea of
 * where the bytes come from, so the same code runs in the kvm monitor, in
 * a guest and in the unit tests. */
#ifndef UL_GDB_PACKET_H
#define UL_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest packet payload accepted and sent, in bytes (announced to gdb
 * as PacketSize). A register dump is under 700 bytes; the rest is room for
 * memory transfers. */
#define UL_GDB_PACKET_MAX 4096

/* Ctrl-C: gdb's request to stop a running target, sent outside packets. */
#define UL_GDB_INTERRUPT 0x03

/* The sum of the payload bytes modulo 256: the two hex digits after '#'. */
uint8_t ul_gdb_checksum(const char *data, size_t len);

/* What one received byte completed. */
enum ul_gdb_rx_event {
	UL_GDB_RX_NONE,         /* nothing yet */
	UL_GDB_RX_PACKET,       /* a packet with a good checksum is in rx->data */
	UL_GDB_RX_BAD_CHECKSUM, /* a packet ended and does not add up: NAK it */
	UL_GDB_RX_TOO_LONG,     /* a packet added up but was longer than
	                           UL_GDB_PACKET_MAX; its payload is lost */
	UL_GDB_RX_INTERRUPT,    /* a Ctrl-C between packets */
	UL_GDB_RX_ACK,          /* '+' */
	UL_GDB_RX_NAK,          /* '-': resend the last packet */
};

/* The receiver, fed one byte at a time. A '$' always starts a new packet,
 * so a receiver that joined a stream in the middle resynchronises on the
 * next one; bytes between packets other than acks and Ctrl-C are noise
 * and ignored. */
struct ul_gdb_rx {
	int state;
	uint8_t sum;      /* of the payload so far */
	uint8_t expected; /* the checksum after '#' */
	bool too_long;
	size_t len;
	char data[UL_GDB_PACKET_MAX + 1]; /* the payload, NUL-terminated */
};

void ul_gdb_rx_init(struct ul_gdb_rx *rx);
enum ul_gdb_rx_event ul_gdb_rx_byte(struct ul_gdb_rx *rx, uint8_t c);

/* A whole packet, "$payload#xx", into out (which must hold
 * 2 * len + 4 bytes): '$', '#', '}' and '*' in the payload are escaped as
 * '}' followed by the byte xor 0x20, because gdb reads '*' in a reply as
 * run-length encoding. Returns the packet's length. */
size_t ul_gdb_frame(const char *payload, size_t len, char *out);

/* Undo the binary escape in place (X packets carry raw bytes that way);
 * the decoded length, or -1 when the data ends in the middle of an escape. */
long ul_gdb_unescape(char *data, size_t len);

/* Hex: a digit's value or -1; bytes to pairs of lowercase digits (returns
 * the number of characters written, 2 * n); pairs of digits to bytes
 * (false on a character that is not a hex digit). */
int ul_gdb_hex_digit(char c);
size_t ul_gdb_hex_encode(const void *in, size_t n, char *out);
bool ul_gdb_hex_decode(const char *in, size_t n, void *out);

/* A hex number of 1..16 digits at *p (before end); *p moves past it.
 * False, with *p unchanged, when there is none or it is too long. */
bool ul_gdb_parse_hex(const char **p, const char *end, uint64_t *value);

/* A little-endian value of size bytes (1..8) as hex digits, as gdb wants
 * registers; returns the characters written. */
size_t ul_gdb_hex_le(uint64_t value, unsigned size, char *out);

#endif
