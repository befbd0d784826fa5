/* The sender's SACK scoreboard (RFC 2018, used as RFC 6675 does): which
 * ranges above SND.UNA the peer says it holds, so loss recovery can tell
 * that the first segment is lost even when the peer's ACKs carry data
 * (and are no duplicates), and can resend the holes and nothing else. */
#include "tcp.h"
#include "wire.h"

void tcp_sack_update(struct tcp_pcb *pcb, const uint8_t *blocks,
                     unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *b = blocks + TCP_OPT_SACK_BLOCK * i;
		uint32_t start = rd32(b + TCP_SACK_LEFT);
		uint32_t end = rd32(b + TCP_SACK_RIGHT);
		/* Only what lies between SND.UNA and SND.MAX can be true. */
		if (SEQ_LT(start, end) && SEQ_GT(start, pcb->snd_una) &&
		    SEQ_LEQ(end, pcb->snd_max))
			tcp_range_add(pcb->sacked, &pcb->nsacked,
			              TCP_SACK_RANGES, start, end);
	}
}

void tcp_sack_prune(struct tcp_pcb *pcb)
{
	unsigned kept = 0;
	for (unsigned i = 0; i < pcb->nsacked; i++) {
		struct tcp_range r = pcb->sacked[i];
		if (SEQ_LEQ(r.end, pcb->snd_una))
			continue;
		if (SEQ_LT(r.start, pcb->snd_una))
			r.start = pcb->snd_una;
		pcb->sacked[kept++] = r;
	}
	pcb->nsacked = kept;
}

void tcp_sack_clear(struct tcp_pcb *pcb)
{
	pcb->nsacked = 0;
}

/* RFC 6675 IsLost(SND.UNA): more than (thresh - 1) segments' worth has
 * been SACKed above it. */
bool tcp_sack_first_lost(const struct tcp_pcb *pcb, unsigned thresh)
{
	uint32_t bytes = 0;
	for (unsigned i = 0; i < pcb->nsacked; i++)
		bytes += pcb->sacked[i].end - pcb->sacked[i].start;
	return bytes > (thresh - 1) * (uint32_t)pcb->mss;
}

bool tcp_sack_next_hole(const struct tcp_pcb *pcb, uint32_t from,
                        uint32_t *seq, size_t *len)
{
	uint32_t at = SEQ_LT(from, pcb->snd_una) ? pcb->snd_una : from;
	for (unsigned i = 0; i < pcb->nsacked; i++) {
		const struct tcp_range *r = &pcb->sacked[i];
		if (SEQ_LT(at, r->start)) {
			uint32_t gap = r->start - at;
			*seq = at;
			*len = gap < pcb->mss ? gap : pcb->mss;
			return true;
		}
		if (SEQ_LT(at, r->end))
			at = r->end;
	}
	return false;
}
