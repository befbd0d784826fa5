/* TCP's out-of-order data on the receiving side: the sequence ranges held
 * beyond a hole (the bytes themselves sit in the receive ring at their
 * place), counting them in once the hole fills, and the SACK blocks
 * (RFC 2018) that tell the peer about them. */
#include "tcp.h"
#include "wire.h"

void tcp_ooo_add(struct tcp_pcb *pcb, uint32_t start, uint32_t end)
{
	tcp_range_add(pcb->ooo, &pcb->nooo, TCP_OOO_MAX, start, end);
	pcb->ooo_recent = start;
}

bool tcp_ooo_absorb(struct tcp_pcb *pcb)
{
	bool any = false;
	while (pcb->nooo && SEQ_LEQ(pcb->ooo[0].start, pcb->rcv_nxt)) {
		if (SEQ_GT(pcb->ooo[0].end, pcb->rcv_nxt)) {
			rb_commit(&pcb->rcvbuf, pcb->ooo[0].end - pcb->rcv_nxt);
			pcb->rcv_nxt = pcb->ooo[0].end;
		}
		pcb->nooo--;
		for (unsigned k = 0; k < pcb->nooo; k++)
			pcb->ooo[k] = pcb->ooo[k + 1];
		any = true;
	}
	return any;
}

static unsigned sack_blocks(const struct tcp_pcb *pcb)
{
	if (!pcb->sack_ok)
		return 0;
	return pcb->nooo < TCP_SACK_BLOCKS ? pcb->nooo : TCP_SACK_BLOCKS;
}

size_t tcp_ooo_option_length(const struct tcp_pcb *pcb)
{
	unsigned n = sack_blocks(pcb);
	return n ? 2 + TCP_OPT_VALUE + TCP_OPT_SACK_BLOCK * n : 0;
}

/* The block holding the latest segment first, then the others in
 * sequence order (RFC 2018 section 4). */
size_t tcp_ooo_option(const struct tcp_pcb *pcb, uint8_t *o)
{
	unsigned n = sack_blocks(pcb), first = 0;
	if (!n)
		return 0;
	for (unsigned i = 0; i < pcb->nooo; i++)
		if (SEQ_GEQ(pcb->ooo_recent, pcb->ooo[i].start) &&
		    SEQ_LT(pcb->ooo_recent, pcb->ooo[i].end))
			first = i;
	size_t len = tcp_ooo_option_length(pcb);
	o[0] = TCP_OPT_NOP; /* two of them: the blocks start word-aligned */
	o[1] = TCP_OPT_NOP;
	o[2 + TCP_OPT_KIND] = TCP_OPT_SACK;
	o[2 + TCP_OPT_LEN] = (uint8_t)(len - 2);
	uint8_t *b = o + 2 + TCP_OPT_VALUE;
	wr32(b + TCP_SACK_LEFT, pcb->ooo[first].start);
	wr32(b + TCP_SACK_RIGHT, pcb->ooo[first].end);
	b += TCP_OPT_SACK_BLOCK;
	for (unsigned i = 0; i < pcb->nooo && b < o + len; i++) {
		if (i == first)
			continue;
		wr32(b + TCP_SACK_LEFT, pcb->ooo[i].start);
		wr32(b + TCP_SACK_RIGHT, pcb->ooo[i].end);
		b += TCP_OPT_SACK_BLOCK;
	}
	return len;
}
