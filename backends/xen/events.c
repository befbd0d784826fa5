/* xen guest: event channels, used only to wake up and to notify. The vCPU's event mask
 * stays set while the image runs, so Xen never interrupts the core; the
 * one place events get through is SCHEDOP_block, which clears the mask and
 * sleeps until an unmasked port is pending. Xen then enters the event
 * callback (events.S), which just returns to the code after the block
 * with the mask set again. Nothing is handled in the callback: the caller
 * of ul_xen_events_block() looks at the clock or the ring it waits for. */
#include "guest.h"
#include "hypercall.h"

void ul_xen_event_callback(void);
void ul_xen_failsafe_callback(void);

/* Our one vCPU's event state, in the shared-info page. */
static volatile struct xen_vcpu_info *vcpu(void)
{
	return &ul_xen_shared->vcpu_info[0];
}

void ul_xen_events_unmask(uint32_t port)
{
	__atomic_fetch_and(&ul_xen_shared->evtchn_mask[port / 64],
	                   ~(1ull << (port % 64)), __ATOMIC_SEQ_CST);
}

/* Xen raises a port's notification only on its pending bit's 0 -> 1 edge,
 * and sets upcall_pending only on its selector bit's 0 -> 1 edge, so all
 * three are cleared, the summary first: an event that lands during the
 * clearing leaves upcall_pending set and the next block returns at once. */
void ul_xen_events_clear(void)
{
	vcpu()->evtchn_upcall_pending = 0;
	__atomic_exchange_n(&vcpu()->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	for (unsigned w = 0; w < XEN_EVTCHN_WORDS; w++)
		if (__atomic_load_n(&ul_xen_shared->evtchn_pending[w],
		                    __ATOMIC_RELAXED))
			__atomic_exchange_n(&ul_xen_shared->evtchn_pending[w], 0,
			                    __ATOMIC_SEQ_CST);
}

void ul_xen_events_block(void)
{
	xen_sched_op(XEN_SCHEDOP_BLOCK, NULL);
	/* The callback leaves the mask set; if Xen woke us without
	 * entering it, set the mask here. */
	vcpu()->evtchn_upcall_mask = 1;
}

uint32_t ul_xen_event_channel_alloc(uint16_t remote)
{
	struct xen_evtchn_alloc_unbound a = {
		.dom = XEN_DOMID_SELF,
		.remote_dom = remote,
	};

	if (xen_event_channel_op(XEN_EVTCHNOP_ALLOC_UNBOUND, &a) < 0)
		ul_xen_fatal("cannot allocate an event channel");
	ul_xen_events_unmask(a.port);
	return a.port;
}

void ul_xen_event_channel_notify(uint32_t port)
{
	struct xen_evtchn_send notify = {.port = port};

	xen_event_channel_op(XEN_EVTCHNOP_SEND, &notify);
}

void ul_xen_events_block_until(uint64_t deadline)
{
	if (deadline != UINT64_MAX) {
		/* A time already past fires at once (flags 0). */
		struct xen_vcpu_singleshot_timer t = {
			.timeout_abs_ns = ul_xen_clock_to_system(deadline),
		};
		xen_vcpu_op(XEN_VCPUOP_SET_SINGLESHOT_TIMER, &t);
	}
	ul_xen_events_block();
}

void ul_xen_events_init(void)
{
	struct xen_evtchn_bind_virq timer = {.virq = XEN_VIRQ_TIMER, .vcpu = 0};

	vcpu()->evtchn_upcall_mask = 1;
	if (xen_set_callbacks(ul_xen_event_callback, ul_xen_failsafe_callback) < 0)
		ul_xen_fatal("set_callbacks failed");
	/* Wake-ups come from the single-shot timer poll() sets; a periodic
	 * tick would only wake us for nothing. */
	xen_vcpu_op(XEN_VCPUOP_STOP_PERIODIC_TIMER, NULL);
	if (xen_event_channel_op(XEN_EVTCHNOP_BIND_VIRQ, &timer) < 0)
		ul_xen_fatal("cannot bind VIRQ_TIMER to an event channel");
	ul_xen_events_unmask(timer.port);
}
