/* The GDB remote serial protocol's packet layer (GDB manual, "Overview" of
 * the remote protocol): "$payload#xx" with xx the payload's checksum,
 * '+'/'-' acks, Ctrl-C between packets, the '}' escape and hex. */
#include "packet.h"

enum rx_state {
	RX_IDLE,     /* between packets */
	RX_DATA,     /* after '$' */
	RX_CHECKSUM1, /* after '#' */
	RX_CHECKSUM2,
};

static const char hex_digits[] = "0123456789abcdef";

uint8_t ul_gdb_checksum(const char *data, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + (uint8_t)data[i]);
	return sum;
}

void ul_gdb_rx_init(struct ul_gdb_rx *rx)
{
	rx->state = RX_IDLE;
	rx->len = 0;
	rx->data[0] = '\0';
}

static void start_packet(struct ul_gdb_rx *rx)
{
	rx->state = RX_DATA;
	rx->sum = 0;
	rx->len = 0;
	rx->too_long = false;
}

static enum ul_gdb_rx_event idle_byte(struct ul_gdb_rx *rx, uint8_t c)
{
	switch (c) {
	case '$':
		start_packet(rx);
		return UL_GDB_RX_NONE;
	case '+':
		return UL_GDB_RX_ACK;
	case '-':
		return UL_GDB_RX_NAK;
	case UL_GDB_INTERRUPT:
		return UL_GDB_RX_INTERRUPT;
	default:
		return UL_GDB_RX_NONE;
	}
}

/* The payload is kept up to the buffer's size; beyond it only the
 * checksum is, so that an oversized packet can still be told from a
 * corrupted one. */
static void data_byte(struct ul_gdb_rx *rx, uint8_t c)
{
	rx->sum = (uint8_t)(rx->sum + c);
	if (rx->len < UL_GDB_PACKET_MAX)
		rx->data[rx->len++] = (char)c;
	else
		rx->too_long = true;
}

static enum ul_gdb_rx_event end_packet(struct ul_gdb_rx *rx)
{
	rx->state = RX_IDLE;
	rx->data[rx->len] = '\0';
	if (rx->sum != rx->expected)
		return UL_GDB_RX_BAD_CHECKSUM;
	if (rx->too_long) {
		rx->len = 0;
		rx->data[0] = '\0';
		return UL_GDB_RX_TOO_LONG;
	}
	return UL_GDB_RX_PACKET;
}

enum ul_gdb_rx_event ul_gdb_rx_byte(struct ul_gdb_rx *rx, uint8_t c)
{
	int digit;

	switch (rx->state) {
	case RX_DATA:
		if (c == '$')
			start_packet(rx);
		else if (c == '#')
			rx->state = RX_CHECKSUM1;
		else
			data_byte(rx, c);
		return UL_GDB_RX_NONE;
	case RX_CHECKSUM1:
	case RX_CHECKSUM2:
		digit = ul_gdb_hex_digit((char)c);
		if (digit < 0) {
			/* A broken packet; a '$' already starts the next. */
			if (c == '$')
				start_packet(rx);
			else
				rx->state = RX_IDLE;
			return UL_GDB_RX_BAD_CHECKSUM;
		}
		if (rx->state == RX_CHECKSUM1) {
			rx->expected = (uint8_t)(digit << 4);
			rx->state = RX_CHECKSUM2;
			return UL_GDB_RX_NONE;
		}
		rx->expected |= (uint8_t)digit;
		return end_packet(rx);
	default:
		return idle_byte(rx, c);
	}
}

static bool needs_escape(char c)
{
	return c == '$' || c == '#' || c == '}' || c == '*';
}

size_t ul_gdb_frame(const char *payload, size_t len, char *out)
{
	size_t n = 0;

	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		if (needs_escape(payload[i])) {
			out[n++] = '}';
			out[n++] = (char)(payload[i] ^ 0x20);
		} else {
			out[n++] = payload[i];
		}
	}
	uint8_t sum = ul_gdb_checksum(out + 1, n - 1);
	out[n++] = '#';
	out[n++] = hex_digits[sum >> 4];
	out[n++] = hex_digits[sum & 0xf];
	return n;
}

long ul_gdb_unescape(char *data, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] != '}') {
			data[out++] = data[i];
			continue;
		}
		if (++i == len)
			return -1;
		data[out++] = (char)(data[i] ^ 0x20);
	}
	return (long)out;
}

int ul_gdb_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t ul_gdb_hex_encode(const void *in, size_t n, char *out)
{
	const uint8_t *b = in;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_digits[b[i] >> 4];
		out[2 * i + 1] = hex_digits[b[i] & 0xf];
	}
	return 2 * n;
}

bool ul_gdb_hex_decode(const char *in, size_t n, void *out)
{
	uint8_t *b = out;
	for (size_t i = 0; i < n; i++) {
		int hi = ul_gdb_hex_digit(in[2 * i]);
		int lo = ul_gdb_hex_digit(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

bool ul_gdb_parse_hex(const char **p, const char *end, uint64_t *value)
{
	const char *s = *p;
	uint64_t v = 0;
	unsigned digits = 0;
	int d;

	while (s < end && (d = ul_gdb_hex_digit(*s)) >= 0) {
		if (++digits > 16)
			return false;
		v = v << 4 | (uint64_t)d;
		s++;
	}
	if (digits == 0)
		return false;
	*p = s;
	*value = v;
	return true;
}

size_t ul_gdb_hex_le(uint64_t value, unsigned size, char *out)
{
	for (unsigned i = 0; i < size; i++) {
		uint8_t b = (uint8_t)(value >> (8 * i));
		out[2 * i] = hex_digits[b >> 4];
		out[2 * i + 1] = hex_digits[b & 0xf];
	}
	return 2 * (size_t)size;
}
