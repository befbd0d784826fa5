/* baremetal: waiting. The CPU sleeps in HLT until an interrupt: a device
 * that has input (an MSI-X message or its IRQ line), the console, or the
 * local APIC timer set for the deadline. Interrupt handlers do no more
 * than wake the CPU; what is ready is read from the devices' rings here. */
#include "bm.h"
#include "platform.h"
#include "x86_64/io.h"

#define POLL_TICK_NS 1000000 /* how often to look at a device that cannot
                                interrupt */

static bool polling;

void ul_bm_idle_needs_polling(void)
{
	polling = true;
}

void ul_bm_halt(uint64_t deadline)
{
	if (polling) {
		uint64_t tick = ul_plat_clock_monotonic() + POLL_TICK_NS;
		if (tick < deadline)
			deadline = tick;
	}
	ul_bm_timer_arm(deadline);
	x86_sti_hlt();
}

/* The core calls this when no thread can run: the end of its turn, when
 * the frames it queued go out. */
uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait)
{
	uint32_t ready;

	ul_bm_net_kick();
	for (;;) {
		x86_cli();
		ready = ul_bm_net_wake_on(wait) & wait;
		if (ready || ul_plat_clock_monotonic() >= deadline)
			break;
		ul_bm_halt(deadline);
	}
	ul_bm_net_wake_on(0); /* awake: frames are read without interrupts */
	x86_sti();
	return ready;
}
