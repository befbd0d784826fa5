/* Sets of sequence ranges, sorted and disjoint, of bounded size: the
 * receiver's out-of-order data and the sender's SACK scoreboard. */
#include "tcp.h"

void tcp_range_add(struct tcp_range *r, unsigned *count, unsigned max,
                   uint32_t start, uint32_t end)
{
	unsigned n = *count, i = 0;
	while (i < n && SEQ_LT(r[i].end, start))
		i++;
	unsigned j = i;
	while (j < n && SEQ_LEQ(r[j].start, end)) {
		if (SEQ_LT(r[j].start, start))
			start = r[j].start;
		if (SEQ_GT(r[j].end, end))
			end = r[j].end;
		j++;
	}
	/* r[i..j) merge into the new range, which goes at i. A full set
	 * loses its rightmost range to make room (or the new one, if that
	 * is the rightmost): those bytes are the furthest from use. */
	unsigned keep = n - j;
	if (j == i && n == max) {
		if (i == n)
			return;
		keep--;
	}
	if (j == i) {
		for (unsigned k = i + keep; k > i; k--)
			r[k] = r[k - 1];
	} else {
		for (unsigned k = 0; k < keep; k++)
			r[i + 1 + k] = r[j + k];
	}
	*count = i + 1 + keep;
	r[i].start = start;
	r[i].end = end;
}
