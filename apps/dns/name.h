/* Domain names in wire form (RFC 1035 3.1): length-prefixed labels ending
 * in the zero-length root label, at most 255 bytes. The server keeps every
 * name this way, so comparing, hashing and writing need no conversion. */
#ifndef DNS_NAME_H
#define DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAME_WIRE_MAX 255
#define NAME_TEXT_MAX 1024 /* presentation form, \DDD escapes included */

size_t name_len(const uint8_t *n);
unsigned name_labels(const uint8_t *n);
/* n with its first `drop` labels removed (an ancestor, or n itself). */
const uint8_t *name_suffix(const uint8_t *n, unsigned drop);
/* Equal, ignoring ASCII case (RFC 4343). */
bool name_eq(const uint8_t *a, const uint8_t *b);
/* a is b or a name below it. */
bool name_under(const uint8_t *a, const uint8_t *b);
uint32_t name_hash(const uint8_t *n);

/* Presentation form (text, len bytes: "www", "@", "a\.b", "host.example.")
 * to wire form in out (NAME_WIRE_MAX bytes); relative names get origin
 * appended ("@" is origin itself). Returns the wire length, or -UL_EINVAL
 * (empty or over-long label, name over 255 bytes, a relative name with no
 * origin, a bad escape). */
int name_parse(const char *text, size_t len, const uint8_t *origin,
               uint8_t *out);
/* Read the name at *pos of message msg (len bytes) into out, following
 * compression pointers (RFC 1035 4.1.4) that only ever point backwards,
 * so a pointer loop cannot exist; *pos moves past the name as it is in
 * the message. false when the name is malformed or runs off the end. */
bool name_read(const uint8_t *msg, size_t len, size_t *pos, uint8_t *out);
/* Presentation form with a trailing dot, into buf (cap bytes, cut short
 * if need be): for messages. */
void name_format(const uint8_t *n, char *buf, size_t cap);

#endif
