/* The loopback path: a bounded queue drained by a zero-delay timer. */
#include <unilab/errno.h>
#include <unilab/timer.h>
#include "ip.h"
#include "loopback.h"
#include "stack.h"

static struct pbuf *head, *tail;
static struct netif *dest[LOOPBACK_QUEUE_MAX];
static unsigned count, first;
static struct ul_timer timer;

static void drain(struct ul_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	/* Only what is queued now: replies queued meanwhile go next time. */
	for (unsigned n = count; n > 0; n--) {
		struct pbuf *p = head;
		struct netif *nif = dest[first];
		head = p->next;
		if (!head)
			tail = NULL;
		p->next = NULL;
		first = (first + 1) % LOOPBACK_QUEUE_MAX;
		count--;
		ip_input(nif, p, true);
	}
	if (count)
		ul_timer_start(&timer, 0);
}

int loopback_output(struct netif *nif, struct pbuf *p)
{
	if (count == LOOPBACK_QUEUE_MAX) {
		NET_COUNT(ip_drop);
		pbuf_free(p);
		return -UL_ENOMEM;
	}
	if (!ul_timer_pending(&timer)) {
		ul_timer_init(&timer, drain, NULL);
		ul_timer_start(&timer, 0);
	}
	dest[(first + count) % LOOPBACK_QUEUE_MAX] = nif;
	count++;
	p->next = NULL;
	if (tail)
		tail->next = p;
	else
		head = p;
	tail = p;
	return 0;
}
