/* A hostile guest: each case (the first word of its command line) breaks
 * the kvm ABI or the machine in one way. The monitor must report each one
 * clearly, with its own exit status, and never crash or hang. */
#include <unilab/errno.h>

#include "guest/guest.h"
#include "guest_util.h"
#include "x86_64/cpu.h"

static void port_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port) : "memory");
}

static void console_raw(uint64_t data, uint64_t len)
{
	struct ul_kvm_console c = {.data = data, .len = len};
	ul_kvm_hypercall(UL_KVM_HC_CONSOLE, &c);
}

/* Opaque to the compiler, so it neither warns about nor removes what the
 * cases do with them. */
static volatile int recursion_limit = 1 << 30;
static volatile uintptr_t null_address = 16;

static int depth(int n)
{
	volatile char pad[256];

	if (n > recursion_limit)
		return n;
	pad[0] = (char)n;
	return depth(n + 1) + pad[0];
}

static void case_misaligned(void)
{
	static uint64_t area[4];
	port_outl(UL_KVM_HC_PORT(UL_KVM_HC_CONSOLE), (uint32_t)(uintptr_t)area + 4);
}

static void case_write_page_tables(void)
{
	/* PML4[0]: unmaps everything, if the page let us. */
	*(volatile uint64_t *)(uintptr_t)UL_KVM_PAGE_TABLES = 0;
}

static void case_execute_garbage(uint8_t *where)
{
	for (int i = 0; i < 64; i++)
		where[i] = 0xff; /* ff ff: an opcode that does not exist */
	((void (*)(void))(uintptr_t)where)();
}

/* The gates are the guest's to fill: with none present, an exception
 * cannot be delivered, nor the double fault that follows. */
static void case_triple_fault(void)
{
	volatile uint8_t *idt = (uint8_t *)(uintptr_t)UL_KVM_IDT;

	for (unsigned i = 0; i < UL_KVM_IDT_GATES * 16; i++)
		idt[i] = 0;
	__asm__ volatile("ud2");
}

/* Kernel-mode code that the guest may run: its own breakpoint handler. */
extern const char stray_io_handler[], halt_handler[];
__asm__(".text\n"
        "stray_io_handler: movb $'x', %al; outb %al, $0x80; iretq\n"
        "halt_handler: cli; hlt; iretq\n");

static void run_in_kernel_mode(const char *handler)
{
	struct x86_idt_gate *gate =
		(struct x86_idt_gate *)(uintptr_t)UL_KVM_IDT + X86_EXC_BP;
	uint64_t a = (uintptr_t)handler;

	gate->offset_lo = (uint16_t)a;
	gate->offset_mid = (uint16_t)(a >> 16);
	gate->offset_hi = (uint32_t)(a >> 32);
	__asm__ volatile("int3");
}

static void case_device_errors(void)
{
	char buf[64];
	static struct ul_kvm_ring ring[2][4];
	struct ul_kvm_net_rings n = {.dev = 3, .tx = (uintptr_t)ring[0],
	                             .rx = (uintptr_t)ring[1], .size = 2};
	static struct ul_kvm_block_ring block_ring[4];
	struct ul_kvm_block_ring_reg b = {.dev = 2, .ring = (uintptr_t)block_ring,
	                                  .size = 2};
	struct ul_kvm_block_kick k = {.dev = 0};

	/* Wrong indexes are errors a correct guest can meet: returned, not
	 * fatal. Call the monitor directly (the guest library would catch
	 * them first). */
	ul_kvm_hypercall(UL_KVM_HC_NET_RINGS, &n);
	CHECK(n.ret == -UL_ENODEV);
	ul_kvm_hypercall(UL_KVM_HC_BLOCK_RING, &b);
	CHECK(b.ret == -UL_ENODEV);
	ul_kvm_hypercall(UL_KVM_HC_BLOCK_KICK, &k); /* no ring: no I/O */
	CHECK(k.ret == -UL_ENODEV);
	/* More entropy than one call gives: asked again in pieces. */
	struct ul_kvm_entropy e = {.data = (uintptr_t)buf,
	                           .len = UL_KVM_ENTROPY_MAX + 1};
	ul_kvm_hypercall(UL_KVM_HC_ENTROPY, &e);
	CHECK(e.ret == -UL_EINVAL);
	say("device errors returned\n");
}

/* The guest library's rings for net0, where it carves them: at the start
 * of the heap the monitor offered, tx first (see guest/net.c). */
#define LIB_RING_SIZE 64
static struct ul_kvm_ring *lib_ring(int rx)
{
	uint64_t bytes = (sizeof(struct ul_kvm_ring) +
	                  LIB_RING_SIZE * sizeof(struct ul_kvm_desc) + 63) & ~63ull;
	return (struct ul_kvm_ring *)(uintptr_t)(ul_kvm_boot_info->heap_start +
	                                         (rx ? bytes : 0));
}

static void rings_register(uint64_t tx, uint64_t rx, uint32_t size)
{
	struct ul_kvm_net_rings r = {.dev = 0, .tx = tx, .rx = rx, .size = size};
	ul_kvm_hypercall(UL_KVM_HC_NET_RINGS, &r);
}

/* Queue one tx descriptor as the library would, then notify. */
static int32_t tx_lie(uint64_t addr, uint32_t len, uint32_t advance)
{
	struct ul_kvm_ring *tx = lib_ring(0);
	uint32_t n = tx->avail;
	struct ul_kvm_net_flush f = {0};

	tx->desc[n % LIB_RING_SIZE].addr = addr;
	tx->desc[n % LIB_RING_SIZE].len = len;
	tx->avail = n + advance;
	ul_kvm_hypercall(UL_KVM_HC_NET_FLUSH, &f);
	return tx->desc[n % LIB_RING_SIZE].ret;
}

static void case_ring(const char *c)
{
	static uint8_t frame[60];
	uint64_t mem = ul_kvm_boot_info->mem_size;
	uint64_t tx = (uintptr_t)lib_ring(0), rx = (uintptr_t)lib_ring(1);

	CHECK(ul_kvm_boot_info->net_count == 1);
	if (t_streq(c, "ring-size"))
		rings_register(tx, rx, 48);
	else if (t_streq(c, "ring-too-big"))
		rings_register(tx, rx, 2048);
	else if (t_streq(c, "ring-outside"))
		rings_register(tx, mem - 64, LIB_RING_SIZE);
	else if (t_streq(c, "ring-twice"))
		rings_register(tx, rx, LIB_RING_SIZE);
	else if (t_streq(c, "ring-desc-outside"))
		tx_lie(mem + 0x1000, 60, 1);
	else if (t_streq(c, "ring-desc-overflow"))
		tx_lie(UINT64_MAX - 16, 60, 1);
	else if (t_streq(c, "ring-index-jump"))
		tx_lie((uintptr_t)frame, 60, 1000);
	else if (t_streq(c, "ring-rx-desc-outside")) {
		struct ul_kvm_ring *r = lib_ring(1);
		r->desc[r->used % LIB_RING_SIZE].addr = 0;
		ul_plat_poll(0, UL_READY_NET(0));
	} else if (t_streq(c, "ring-bad-frame-length")) {
		/* A frame the host cannot take is the guest's loss, not a lie. */
		CHECK(tx_lie((uintptr_t)frame, 10, 1) == -UL_EINVAL);
		CHECK(tx_lie((uintptr_t)frame, 60, 1) == 60);
		say("bad frame refused, next one sent\n");
	} else {
		say("hostile guest: unknown ring case\n");
		ul_plat_exit(2);
	}
}

/* A block ring of the guest's own (the library registers its rings only
 * on a first request, which these cases never make). */
#define BLOCK_RING_SIZE 4
static struct {
	struct ul_kvm_block_ring ring;
	struct ul_kvm_block_desc desc[BLOCK_RING_SIZE];
} block;

static void block_register(uint64_t ring, uint32_t size)
{
	struct ul_kvm_block_ring_reg r = {.dev = 0, .ring = ring, .size = size};
	ul_kvm_hypercall(UL_KVM_HC_BLOCK_RING, &r);
	CHECK(r.ret == 0);
}

/* Queue one request (avail raised by advance) and kick; its ret. */
static int32_t block_request(uint32_t op, uint64_t addr, uint32_t count,
                             uint32_t advance)
{
	uint32_t n = block.ring.avail;
	struct ul_kvm_block_desc *d = &block.desc[n % BLOCK_RING_SIZE];
	struct ul_kvm_block_kick k = {.dev = 0};

	d->op = op;
	d->sector = 0;
	d->addr = addr;
	d->count = count;
	block.ring.avail = n + advance;
	ul_kvm_hypercall(UL_KVM_HC_BLOCK_KICK, &k);
	CHECK(k.ret == 0);
	return d->ret;
}

static void case_block(const char *c)
{
	static uint8_t sector[512];
	uint64_t mem = ul_kvm_boot_info->mem_size;
	uint64_t ring = (uintptr_t)&block.ring;

	CHECK(ul_kvm_boot_info->block_count == 1);
	if (t_streq(c, "block-ring-size")) {
		block_register(ring, 3);
		return;
	}
	if (t_streq(c, "block-ring-outside")) {
		block_register(mem - 16, BLOCK_RING_SIZE);
		return;
	}
	block_register(ring, BLOCK_RING_SIZE);
	if (t_streq(c, "block-ring-twice"))
		block_register(ring, BLOCK_RING_SIZE);
	else if (t_streq(c, "block-desc-outside"))
		block_request(UL_KVM_BLOCK_OP_READ, mem + 0x1000, 1, 1);
	else if (t_streq(c, "block-desc-overflow"))
		block_request(UL_KVM_BLOCK_OP_WRITE, UINT64_MAX - 16, 1, 1);
	else if (t_streq(c, "block-count-overflow"))
		block_request(UL_KVM_BLOCK_OP_READ, (uintptr_t)sector,
		              UINT32_MAX, 1);
	else if (t_streq(c, "block-index-jump"))
		block_request(UL_KVM_BLOCK_OP_READ, (uintptr_t)sector, 1, 1000);
	else if (t_streq(c, "block-bad-op")) {
		/* An unknown op is the guest's error, not a lie. */
		CHECK(block_request(7, (uintptr_t)sector, 1, 1) == -UL_EINVAL);
		CHECK(block_request(UL_KVM_BLOCK_OP_READ, (uintptr_t)sector,
		                    1, 1) == 0);
		CHECK(block_request(UL_KVM_BLOCK_OP_READ, (uintptr_t)sector,
		                    0, 1) == 0);
		say("bad op refused, next request done\n");
	} else {
		say("hostile guest: unknown block case\n");
		ul_plat_exit(2);
	}
}

static void run_case(const char *c, const struct ul_boot_info *info)
{
	uint64_t mem = ul_kvm_boot_info->mem_size;
	uint8_t *heap = info->heap_base;

	if (t_streq(c, "ok")) {
		say("hostile guest: ok\n");
	} else if (t_streq(c, "out-of-range")) {
		console_raw(mem + 0x1000, 16);
	} else if (t_streq(c, "null-buffer")) {
		console_raw(0, 16);
	} else if (t_streq(c, "overflow")) {
		console_raw(UL_KVM_IMAGE_BASE, UINT64_MAX - 0x100);
	} else if (t_streq(c, "huge-length")) {
		console_raw(UL_KVM_IMAGE_BASE, 1ull << 40);
	} else if (t_streq(c, "struct-out-of-range")) {
		port_outl(UL_KVM_HC_PORT(UL_KVM_HC_CONSOLE), 0xfffffff0u);
	} else if (t_streq(c, "misaligned")) {
		case_misaligned();
	} else if (t_streq(c, "unknown-hypercall")) {
		port_outl(UL_KVM_HC_PORT(0x42), 0x30000);
	} else if (t_streq(c, "byte-hypercall")) {
		__asm__ volatile("outb %%al, %w0" : : "Nd"((uint16_t)UL_KVM_HC_PORT(0)), "a"(0));
	} else if (t_streq(c, "user-io")) {
		/* The TSS I/O bitmap closes every other port to user mode. */
		__asm__ volatile("outb %%al, %w0" : : "Nd"((uint16_t)0x3f8), "a"('x'));
	} else if (t_streq(c, "stray-io")) {
		run_in_kernel_mode(stray_io_handler);
	} else if (t_streq(c, "entropy-out-of-range")) {
		struct ul_kvm_entropy e = {.data = mem - 16, .len = 32};
		ul_kvm_hypercall(UL_KVM_HC_ENTROPY, &e);
	} else if (t_streq(c, "bad-abort")) {
		struct ul_kvm_abort a = {.vector = 99};
		ul_kvm_hypercall(UL_KVM_HC_ABORT, &a);
	} else if (t_streq(c, "bad-trace")) {
		struct ul_kvm_trace t = {.phase = 77};
		ul_kvm_hypercall(UL_KVM_HC_TRACE, &t);
	} else if (t_streq(c, "device-errors")) {
		case_device_errors();
	} else if (t_streq(c, "write-page-tables")) {
		case_write_page_tables();
	} else if (t_streq(c, "execute-data")) {
		case_execute_garbage(heap);
	} else if (t_streq(c, "execute-garbage")) {
		/* Memory above 2 MiB is mapped executable: the garbage runs. */
		CHECK(mem >= (4u << 20));
		case_execute_garbage((uint8_t *)(uintptr_t)(3u << 20));
	} else if (t_streq(c, "null-deref")) {
		say("about to crash\n");
		(void)*(volatile int *)null_address;
	} else if (t_streq(c, "stack-overflow")) {
		depth(0);
	} else if (t_streq(c, "divide-by-zero")) {
		volatile int zero = 0;
		say_num((uint64_t)(100 / zero));
	} else if (t_streq(c, "triple-fault")) {
		case_triple_fault();
	} else if (t_streq(c, "outside-ram")) {
		/* Run with a --mem that is not a multiple of 2 MiB: the last large
		 * page maps past the end of RAM. */
		(void)*(volatile int *)(uintptr_t)(mem + 0x1000);
	} else if (t_streq(c, "privileged")) {
		__asm__ volatile("hlt"); /* #GP in user mode */
	} else if (t_streq(c, "halt")) {
		run_in_kernel_mode(halt_handler);
	} else if (t_streq(c, "spin")) {
		for (;;)
			__asm__ volatile("pause");
	} else if (t_streq(c, "sleep-forever")) {
		ul_plat_poll(UINT64_MAX, 0);
	} else if (c[0] == 'r' && c[1] == 'i' && c[2] == 'n' && c[3] == 'g' &&
	           c[4] == '-') {
		case_ring(c);
	} else if (c[0] == 'b' && c[1] == 'l' && c[2] == 'o' && c[3] == 'c' &&
	           c[4] == 'k' && c[5] == '-') {
		case_block(c);
	} else if (t_streq(c, "exit-status")) {
		ul_plat_exit(300); /* only the low 8 bits reach the host */
	} else {
		say("hostile guest: unknown case\n");
		ul_plat_exit(2);
	}
}

_Noreturn void ul_boot(const struct ul_boot_info *info)
{
	char store[256];
	const char *words[MAX_WORDS];

	if (split_words(info->cmdline, store, words) < 1) {
		say("hostile guest: no case given\n");
		ul_plat_exit(2);
	}
	run_case(words[0], info);
	ul_plat_exit(0);
}
