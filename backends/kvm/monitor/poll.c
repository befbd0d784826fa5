/* unilab-kvm: the poll call, the guest's only way to wait. The guest's
 * queued frames go out first and what has arrived goes into its rx rings;
 * if nothing did, the monitor sleeps in ppoll on what the network
 * interfaces wait on (TAP and capture descriptors, user-mode networking's
 * sockets and timers) until a frame waits or the guest's timeout passes,
 * so an idle guest costs no CPU.
 *
 * Every time the guest wakes it pays an exit to sleep again, so a wake-up
 * should carry every frame the host can give at that moment:
 *   - after the guest's frames went out, and after a sleep ended, one more
 *     round without sleeping collects what the host answers at once (the
 *     Linux stack's reply on a TAP, user-mode networking's data that waited
 *     for the guest's SYN-ACK). A round is a few system calls; an exit
 *     costs tens of microseconds on a software KVM.
 *   - when the guest's frames brought back exactly one frame, that is the
 *     peer acknowledging them, and what the guest is waiting for (the
 *     request behind the ACK of a SYN-ACK, the FIN behind the ACK of a
 *     reply) usually follows within a fraction of a millisecond: the
 *     monitor lingers up to LINGER_NS for it, as a NIC moderates its
 *     interrupts, instead of waking the guest for the ACK alone and taking
 *     another exit for the rest. A bulk sender's flush brings back many
 *     ACKs at once and does not linger. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "monitor.h"

#define LINGER_NS 250000ull

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t rx_frames(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < UL_KVM_MAX_NET; i++)
		n += stats.net[i].rx_frames;
	return n;
}

static uint64_t tx_frames(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < UL_KVM_MAX_NET; i++)
		n += stats.net[i].tx_frames + stats.net[i].tx_dropped;
	return n;
}

/* One round of the host's networking: sleep in ppoll for at most ns
 * (UINT64_MAX: no limit) on what the interfaces wait on, let them serve
 * their descriptors and timers, and move what arrived into the rx rings.
 * Returns the devices of wait whose rx ring got frames. */
static uint32_t host_round(struct vm *vm, uint64_t ns, uint32_t wait)
{
	uint32_t unused;

	/* A signal (--timeout's) ends the sleep; the exit loop ends the VM. */
	if (ul_host_net_sleep(ns, wait, &unused) < 0)
		fatal(UL_KVM_EXIT_HOST, "poll failed: %s", strerror(errno));
	return ring_net_rx(vm) & wait;
}

/* Wait (at most LINGER_NS, and never past the guest's own timeout) for a
 * frame after the one already in an rx ring. */
static uint32_t linger(struct vm *vm, uint64_t timeout_ns, uint32_t wait)
{
	uint64_t got = rx_frames();
	uint64_t end = now_ns() + (timeout_ns < LINGER_NS ? timeout_ns : LINGER_NS);
	uint32_t ready = 0;
	uint64_t now;

	stats.lingers++;
	while (rx_frames() == got && (now = now_ns()) < end)
		ready |= host_round(vm, end - now, wait);
	return ready;
}

void hc_poll(struct vm *vm, uint64_t gpa)
{
	struct ul_kvm_poll *a = hypercall_arg(vm, UL_KVM_HC_POLL, gpa, sizeof(*a));
	uint32_t wait = a->wait;
	uint64_t rx_before = rx_frames(), tx_before = tx_frames();
	uint32_t ready = ring_net_service(vm) & wait;
	bool sent = tx_frames() != tx_before;

	ready |= host_round(vm, 0, wait);
	if (ready && sent && rx_frames() - rx_before == 1)
		ready |= linger(vm, a->timeout_ns, wait);
	if (!ready && a->timeout_ns != 0) {
		stats.sleeps++;
		ready = host_round(vm, a->timeout_ns, wait);
		if (ready)
			ready |= host_round(vm, 0, wait);
		else
			stats.timeouts++;
	}
	a->ready = ready;
}
