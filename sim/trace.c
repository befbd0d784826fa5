/* The event trace, trace.jsonl: one JSON object per line for every frame
 * sent, delivered or dropped on each hop (and why), and for the nodes'
 * starts and ends and the scenario's actions, in virtual-time order. The
 * "what" field names a frame the way tcpdump would, briefly. */
#include <stdarg.h>
#include <stdio.h>

#include "sim.h"

void trace_open(struct world *w)
{
	char path[PATH_MAX];
	sim_path(w, "trace.jsonl", path);
	w->trace = fopen(path, "we");
	if (!w->trace)
		sim_fatal("cannot create %s", path);
}

void trace_close(struct world *w)
{
	if (fclose(w->trace) != 0)
		sim_fatal("cannot write the trace in %s", w->out_dir);
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void ip_text(const uint8_t *a, char *buf)
{
	sprintf(buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* "tcp 10.0.0.1:1234>10.0.0.2:80 SA", "icmp 10.0.0.1>10.0.0.2", ... */
static void ipv4_what(const uint8_t *ip, size_t len, char *buf, size_t cap)
{
	char src[16], dst[16];
	size_t hlen = (size_t)(ip[0] & 15) * 4;
	ip_text(ip + 12, src);
	ip_text(ip + 16, dst);
	const uint8_t *l4 = ip + hlen;
	bool ports = len >= hlen + 4 && (get16(ip + 6) & 0x1fff) == 0;
	if (ip[9] == 6 && ports && len >= hlen + 14) {
		static const char names[] = "FSRPAU";
		char flags[8];
		unsigned nf = 0;
		for (unsigned b = 0; b < 6; b++)
			if (l4[13] & (1u << b))
				flags[nf++] = names[b];
		flags[nf] = '\0';
		snprintf(buf, cap, "tcp %s:%u>%s:%u %s", src, get16(l4), dst,
		         get16(l4 + 2), flags);
	} else if (ip[9] == 17 && ports) {
		snprintf(buf, cap, "udp %s:%u>%s:%u", src, get16(l4), dst,
		         get16(l4 + 2));
	} else if (ip[9] == 1) {
		snprintf(buf, cap, "icmp %s>%s", src, dst);
	} else {
		snprintf(buf, cap, "ipv4 proto %u %s>%s", ip[9], src, dst);
	}
}

static void frame_what(const struct frame *f, char *buf, size_t cap)
{
	unsigned type = get16(f->data + 12);
	if (type == 0x0800 && f->len >= UL_ETH_HLEN + 20 &&
	    f->data[UL_ETH_HLEN] >> 4 == 4)
		ipv4_what(f->data + UL_ETH_HLEN, f->len - UL_ETH_HLEN, buf, cap);
	else if (type == 0x0806)
		snprintf(buf, cap, "arp");
	else if (type == 0x86dd)
		snprintf(buf, cap, "ipv6");
	else
		snprintf(buf, cap, "ethertype 0x%04x", type);
}

void trace_frame(struct world *w, const char *event, const struct link *l,
                 unsigned dir, const struct frame *f, const char *extra)
{
	char what[96];
	frame_what(f, what, sizeof(what));
	fprintf(w->trace, "{\"t\":%llu,\"event\":\"%s\",\"frame\":%llu,"
	        "\"link\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"bytes\":%zu,"
	        "\"what\":\"%s\"%s%s}\n", (unsigned long long)w->now, event,
	        (unsigned long long)f->id, l->sc->name,
	        sim_end_name(w, &l->sc->end[dir]),
	        sim_end_name(w, &l->sc->end[1 - dir]),
	        f->len, what, extra ? "," : "", extra ? extra : "");
}

void trace_event(struct world *w, const char *fmt, ...)
{
	va_list ap;
	fprintf(w->trace, "{\"t\":%llu,", (unsigned long long)w->now);
	va_start(ap, fmt);
	vfprintf(w->trace, fmt, ap);
	va_end(ap);
	fputs("}\n", w->trace);
}
