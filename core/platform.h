/* The seam between the portable core and a backend.
 *
 * The core calls the machine only through the functions below; a backend is
 * complete when it implements every one of them and calls ul_boot() once.
 * All functions are called from one CPU, with no concurrency: the core's
 * threads are cooperative, so a backend needs no locking.
 */
#ifndef UL_PLATFORM_H
#define UL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <unilab/ether.h>

#define UL_MAX_NET 4   /* network interfaces a backend may offer */
#define UL_MAX_BLOCK 4 /* block devices a backend may offer */

/* What the backend hands the core at boot. Every pointer stays valid for
 * the life of the image. */
struct ul_boot_info {
	const char *backend; /* "posix", "kvm", "baremetal", "xen" */
	const char *app;     /* the app's name, argv[0] for ul_main */
	void *heap_base;     /* the memory the core may use for its heap: */
	size_t heap_size;    /* page-aligned base, size in bytes */
	const char *cmdline; /* core options and app arguments, one string,
	                        parsed by core/cmdline.c (may be "") */
	unsigned net_count;   /* interfaces 0..net_count-1 exist */
	unsigned block_count; /* block devices 0..block_count-1 exist */
	/* Optional (NULL for none): the backend's last step before the app,
	 * called once just before ul_main, when the command line is read and
	 * the file systems are mounted: the kvm backend's "app main" boot
	 * phase, the baremetal backend's description of the machine and its
	 * wait for gdb with break=1. */
	void (*before_main)(void);
};

/* Entry into the core. The backend calls it once, on a stack of at least
 * 64 KiB, with the machine ready for ul_plat_* calls. It never returns: it
 * ends in ul_plat_exit() with the app's status. */
_Noreturn void ul_boot(const struct ul_boot_info *info);

/* Console: write len bytes to the image's console. Blocks until the bytes
 * are accepted (a backend may buffer them, but must flush before exit). */
void ul_plat_console_write(const char *buf, size_t len);

/* Nanoseconds since boot; never goes back. Cheap: the core calls it often. */
uint64_t ul_plat_clock_monotonic(void);

/* Nanoseconds since 1970-01-01 UTC, as well as the machine knows it. */
uint64_t ul_plat_clock_wall(void);

/* Ready-set bits returned by ul_plat_poll(). */
#define UL_READY_NET(i) (1u << (i)) /* interface i has a frame to receive */

/* Sleep until a device in wait (UL_READY_* bits: the devices some thread
 * waits on) has input or the monotonic clock reaches deadline (ns, same
 * scale as ul_plat_clock_monotonic; UINT64_MAX means no deadline).
 * Returns the ready devices of wait, 0 when the deadline passed. A device
 * outside wait neither wakes the sleep nor is reported, so input that no
 * thread will read cannot keep the idle loop spinning. May return early
 * with 0 (spurious wake-up); the core re-checks. */
uint32_t ul_plat_poll(uint64_t deadline, uint32_t wait);

/* Entropy: fill buf with len unpredictable bytes from the machine's best
 * source: the host kernel's getrandom() on posix and kvm (through a
 * hypercall), the CPU's RDSEED or RDRAND on baremetal and xen. Blocks until
 * done. Returns 0, or -UL_ENODEV when the machine has no good source (the
 * backend says so at boot), -UL_EIO when the source failed. The core seeds
 * its CSPRNG (core/random.c) from it; apps use <unilab/random.h>. */
int ul_plat_entropy(void *buf, size_t len);

/* End the image. status 0..255 reaches the host as the exit code of the
 * process (posix), the monitor (kvm) or QEMU (baremetal). */
_Noreturn void ul_plat_exit(int status);

/* Network interface i (0 <= i < net_count). Frames are whole Ethernet
 * frames without the FCS. */
struct ul_net_info {
	uint8_t mac[UL_ETH_ADDR_LEN];
	uint16_t mtu; /* largest IP payload the link carries, usually 1500 */
};
/* 0, or -UL_ENODEV for a bad index. */
int ul_plat_net_info(unsigned i, struct ul_net_info *info);
/* Send one frame of len bytes. Returns len, -UL_EAGAIN when the device
 * cannot take it now, -UL_EINVAL for a bad length, -UL_ENODEV, -UL_EIO. */
long ul_plat_net_send(unsigned i, const void *frame, size_t len);
/* Receive one frame into buf (capacity cap). Never blocks: returns the
 * frame's length, -UL_EAGAIN when none is waiting, -UL_EMSGSIZE when the
 * frame was larger than cap (it is dropped), -UL_ENODEV, -UL_EIO. */
long ul_plat_net_recv(unsigned i, void *buf, size_t cap);

/* Block device i (0 <= i < block_count), addressed in whole sectors. */
struct ul_block_info {
	uint32_t sector_size; /* bytes, a power of two, usually 512 */
	uint64_t sectors;     /* capacity in sectors */
	int read_only;        /* writes fail with -UL_EROFS */
};
/* 0, or -UL_ENODEV. */
int ul_plat_block_info(unsigned i, struct ul_block_info *info);
/* Read or write count sectors starting at sector. Blocks until done.
 * Returns 0, -UL_ENODEV, -UL_EINVAL (range outside the device),
 * -UL_EROFS, or -UL_EIO. */
int ul_plat_block_read(unsigned i, uint64_t sector, void *buf, uint32_t count);
int ul_plat_block_write(unsigned i, uint64_t sector, const void *buf,
                        uint32_t count);

#endif
