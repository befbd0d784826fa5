/* unilab-kvm --on-demand: the network side comes up first (user-mode
 * networking's hostfwd sockets listen, the TAP is open) and the VM is
 * made and booted only when the first frame for the guest arrives. Frames
 * that come before the guest's rings are up are held, a bounded number,
 * and handed to the guest before any newer one, so the request that woke
 * it is not lost. When the guest ends cleanly (status 0: idle-exit=SECONDS
 * or its app returned), the VM is torn down and the monitor waits again:
 * the next request gets a fresh VM, loaded again from the ELF. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unilab/errno.h>
#include <unilab/ether.h>

#include "monitor.h"

/* Frames held per interface while the guest boots; more stay queued in
 * the interface itself (the TAP's queue, libslirp's sockets) until the
 * guest reads them. A boot takes milliseconds, so this is plenty. */
#define HELD_MAX 128

struct held_queue {
	uint8_t *frames;   /* HELD_MAX slots of slot_size bytes */
	uint16_t len[HELD_MAX];
	size_t slot_size;
	unsigned head, count;
	uint8_t mac[UL_ETH_ADDR_LEN]; /* the guest's address on this link */
};

static struct held_queue held[UL_KVM_MAX_NET];
static unsigned net_count;

/* How a VM's life ends: monitor_exit (every way out, the guest's exit
 * and every fatal report) comes back here instead of ending the process. */
static jmp_buf vm_end;
static bool vm_running;
static int end_status;

static void held_alloc(void)
{
	net_count = ul_host_net_count();
	for (unsigned i = 0; i < net_count; i++) {
		uint16_t mtu;
		ul_host_net_info(i, held[i].mac, &mtu);
		held[i].slot_size = (size_t)mtu + UL_ETH_HLEN + 4; /* a VLAN tag */
		held[i].frames = malloc(HELD_MAX * held[i].slot_size);
		if (held[i].frames == NULL)
			fatal(UL_KVM_EXIT_HOST, "--on-demand: out of memory");
	}
}

static void held_clear(void)
{
	for (unsigned i = 0; i < net_count; i++)
		held[i].head = held[i].count = 0;
}

static bool held_any(void)
{
	for (unsigned i = 0; i < net_count; i++)
		if (held[i].count)
			return true;
	return false;
}

/* Would this frame reach the guest's stack (IPv4 and ARP, to its address
 * or broadcast)? Only such a frame boots the guest: a TAP also carries the
 * host's IPv6 neighbour discovery and multicast, which nobody would serve. */
static bool wakes_guest(const struct held_queue *q, const uint8_t *f,
                        size_t len)
{
	static const uint8_t bcast[UL_ETH_ADDR_LEN] = {0xff, 0xff, 0xff,
	                                               0xff, 0xff, 0xff};

	if (len < UL_ETH_HLEN)
		return false;
	unsigned type = (unsigned)f[12] << 8 | f[13];
	if (type != UL_ETH_TYPE_IPV4 && type != UL_ETH_TYPE_ARP)
		return false;
	return memcmp(f, q->mac, UL_ETH_ADDR_LEN) == 0 ||
	       memcmp(f, bcast, UL_ETH_ADDR_LEN) == 0;
}

/* Read what interface i has into its queue, while there is room. Until
 * something is held, frames that would not wake the guest are dropped
 * (nobody would read them); after that, everything is kept, in order. */
static void held_fill(unsigned i)
{
	struct held_queue *q = &held[i];

	while (q->count < HELD_MAX) {
		unsigned slot = (q->head + q->count) % HELD_MAX;
		uint8_t *buf = q->frames + slot * q->slot_size;
		long n = ul_host_net_recv(i, buf, q->slot_size);
		if (n == -UL_EAGAIN)
			return;
		if (n < 0)
			continue; /* too long, or a failed read: as a guest would */
		if (!held_any() && !wakes_guest(q, buf, (size_t)n))
			continue;
		q->len[slot] = (uint16_t)n;
		q->count++;
	}
}

long ondemand_recv(unsigned dev, void *buf, size_t cap)
{
	struct held_queue *q = &held[dev];

	if (dev >= net_count || q->count == 0)
		return ul_host_net_recv(dev, buf, cap);
	size_t len = q->len[q->head];
	const uint8_t *f = q->frames + q->head * q->slot_size;
	q->head = (q->head + 1) % HELD_MAX;
	q->count--;
	if (len > cap)
		return -UL_EMSGSIZE; /* dropped, as ul_host_net_recv does */
	memcpy(buf, f, len);
	return (long)len;
}

/* Sleep until a frame for the guest is held; the interfaces' own timers
 * (libslirp's) run meanwhile. */
static void wait_for_traffic(void)
{
	uint32_t all = (1u << net_count) - 1, unused;

	while (!held_any()) {
		if (ul_host_net_sleep(UINT64_MAX, all, &unused) < 0)
			fatal(UL_KVM_EXIT_HOST, "poll failed: %s", strerror(errno));
		for (unsigned i = 0; i < net_count; i++)
			held_fill(i);
	}
}

void ondemand_vm_ended(int status)
{
	if (!vm_running)
		return;
	vm_running = false;
	end_status = status;
	longjmp(vm_end, 1);
}

/* One VM's life, from creation to its end; returns its exit status. */
static int boot_and_run(struct vm *vm, const struct options *opt,
                        uint64_t mem)
{
	if (setjmp(vm_end))
		return end_status;
	vm_running = true;
	trace_restart();
	guest_mem_alloc(&vm->mem, mem);
	vm_create(vm);
	trace_mark(TRACE_VM_CREATED);
	image_load(&vm->image, &vm->mem);
	cpu_setup(vm);
	boot_info_write(vm, opt, vm_tsc_khz(vm));
	trace_mark(TRACE_IMAGE_LOADED);
	vm_run(vm);
}

/* Everything a VM had, so that the next one starts as the first did;
 * the interfaces, disks and the image file stay open. */
static void teardown(struct vm *vm)
{
	vm_destroy(vm);
	if (vm->mem.base)
		munmap(vm->mem.base, vm->mem.size);
	vm->mem.base = NULL;
	ring_net_reset();
	ring_block_reset();
	held_clear();
	memset(&stats, 0, sizeof(stats));
}

/* The held frames reach the guest at its first wait for input: with a
 * static address that is once the app listens, but an image asking DHCP
 * waits for its lease first, and a connection held for it would meet a
 * port nobody listens on yet. */
static void check_addressing(const struct options *opt)
{
	for (int i = 0; i < opt->app_argc; i++)
		if (strncmp(opt->app_argv[i], "ip=", 3) == 0)
			return;
	fprintf(stderr, MONITOR_NAME ": on demand: warning: the image asks "
	        "DHCP for its address (no ip= core option), so the first "
	        "request may reach it before its app listens; give it a "
	        "static one (with --net=user: ip=" HOST_USER_GUEST "/24 gw="
	        HOST_USER_GATEWAY ")\n");
}

static void refuse(const struct options *opt)
{
	const char *with = opt->gdb ? "--gdb" :
	                   opt->gdb_listen ? "--gdb-listen" :
	                   opt->timeout_us ? "--timeout (idle-exit=SECONDS "
	                                     "ends an idle guest)" : NULL;
	if (opt->net_count == 0)
		fatal(UL_KVM_EXIT_USAGE, "--on-demand boots the guest on its "
		      "first frame: give it a network, --net=user,hostfwd=... "
		      "or --net=tap:NAME");
	if (with)
		fatal(UL_KVM_EXIT_USAGE, "--on-demand cannot be used with %s",
		      with);
}

_Noreturn void ondemand_serve(struct vm *vm, const struct options *opt,
                              uint64_t mem)
{
	refuse(opt);
	check_addressing(opt);
	held_alloc();
	vm_open_kvm(vm);
	sandbox_enter(opt, core_dir_fd());
	fprintf(stderr, MONITOR_NAME ": on demand: waiting for the first "
	        "request\n");
	for (;;) {
		wait_for_traffic();
		int status = boot_and_run(vm, opt, mem);
		teardown(vm);
		if (status == 0) {
			fprintf(stderr, MONITOR_NAME ": on demand: the guest "
			        "ended (status 0); waiting for the next "
			        "request\n");
			continue;
		}
		if (status == UL_KVM_EXIT_HOST || !opt->keep_serving) {
			fprintf(stderr, MONITOR_NAME ": on demand: the guest "
			        "failed (status %d); stopping%s\n", status,
			        status == UL_KVM_EXIT_HOST ? "" :
			        " (--on-demand=keep-serving would serve on)");
			exit(status);
		}
		fprintf(stderr, MONITOR_NAME ": on demand: the guest failed "
		        "(status %d); serving the next request with a fresh "
		        "VM (keep-serving)\n", status);
	}
}
