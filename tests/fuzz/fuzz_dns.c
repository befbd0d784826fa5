/* The dns app's fuzz target: its first byte says what the rest is.
 *   even  a query, answered (over TCP when bit 1 is set) from the zones
 *         built into the dns image (apps/dns/zones/)
 *   odd   a zone file; when it parses, queries for its apex (SOA, ANY,
 *         NS) and for a name under it are answered from it
 * An answer must be a response to the query (its id, QR set) and fit the
 * size the transport allows; anything else aborts, as does a sanitizer
 * report. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unilab/mem.h>
#include "answer.h"
#include "config.h"
#include "name.h"
#include "zone.h"

#define ARENA (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct zone *zones;
static uint8_t out[65535];
static unsigned long queries, answered, zone_files, zones_parsed;

static void setup(void)
{
	void *arena = aligned_alloc(UL_PAGE_SIZE, ARENA);
	if (!arena)
		abort();
	ul_page_init(arena, ARENA);
	char err[256];
	for (const struct ul_config_file *f = ul_config_files; f->name; f++) {
		struct zone *z = zone_parse(f->name, f->data, f->len, err, sizeof err);
		if (!z)
			abort(); /* the zones shipped must parse */
		z->next = zones;
		zones = z;
	}
}

static void check(const uint8_t *q, size_t qlen, size_t len, bool tcp)
{
	queries++;
	if (len == 0)
		return;
	answered++;
	size_t limit = sizeof out;
	if (!tcp && (qlen < 12 || (q[10] == 0 && q[11] == 0)))
		limit = UDP_PLAIN; /* no OPT record, no EDNS0: 512 bytes */
	if (len < 12 || len > limit || !(out[2] & 0x80) || memcmp(out, q, 2))
		abort();
}

static void ask(const struct zone *z, const uint8_t *q, size_t qlen, bool tcp)
{
	check(q, qlen, dns_answer(z, q, qlen, out, sizeof out, tcp), tcp);
}

/* Queries for name (wire form) of several types, against zone z. */
static void ask_about(const struct zone *z, const uint8_t *name)
{
	static const uint16_t types[] = {T_SOA, T_ANY, T_NS, T_A, T_MX};
	uint8_t q[12 + NAME_WIRE_MAX + 4] = {0x12, 0x34, 0, 0, 0, 1};
	size_t n = name_len(name);
	memcpy(q + 12, name, n);
	for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
		q[12 + n] = (uint8_t)(types[i] >> 8);
		q[13 + n] = (uint8_t)types[i];
		q[14 + n] = 0;
		q[15 + n] = CLASS_IN;
		ask(z, q, 16 + n, i & 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!zones)
		setup();
	if (size == 0)
		return 0;
	if (!(data[0] & 1)) {
		ask(zones, data + 1, size - 1, data[0] & 2);
		return 0;
	}
	char err[256];
	zone_files++;
	struct zone *z = zone_parse("fuzz", (const char *)data + 1, size - 1,
	                            err, sizeof err);
	if (!z) {
		if (!err[0])
			abort(); /* a failure must say why */
		return 0;
	}
	zones_parsed++;
	z->next = NULL;
	ask_about(z, z->origin);
	static const uint8_t www[] = "\3www";
	uint8_t name[NAME_WIRE_MAX];
	size_t on = name_len(z->origin);
	if (on + 4 <= NAME_WIRE_MAX) {
		memcpy(name, www, 4);
		memcpy(name + 4, z->origin, on);
		ask_about(z, name);
	}
	zone_free(z);
	return 0;
}

void fuzz_report(void);
void fuzz_report(void)
{
	printf("fuzz_dns: %lu queries, %lu answered; %lu zone files, %lu parsed\n",
	       queries, answered, zone_files, zones_parsed);
}
