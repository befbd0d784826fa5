/* unilab-kvm: a minimal monitor that runs one Unilab image as a KVM
 * virtual machine: check the image, make the VM, load it, run it. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "monitor.h"

#define DEFAULT_MEM (4ull << 20)
#define DEFAULT_HEAP (2ull << 20)

/* Small, because the guest's footprint follows what it touches anyway and
 * a small slot is quicker to create; larger when the image needs it. */
static uint64_t default_mem(const struct image *img)
{
	uint64_t need = (img->end + DEFAULT_HEAP + (1ull << 20) - 1) &
	                ~((1ull << 20) - 1);
	if (need > UL_KVM_MEM_MAX)
		need = UL_KVM_MEM_MAX;
	return need > DEFAULT_MEM ? need : DEFAULT_MEM;
}

int main(int argc, char **argv)
{
	static struct vm vm;
	struct options opt;

	trace_mark(TRACE_START);
	options_parse(argc, argv, &opt);
	if (opt.trace_boot)
		trace_enable();
	if (opt.stats)
		stats_enable();
	signal(SIGPIPE, SIG_IGN); /* a closed stdout must not kill the guest */
	signal(SIGUSR1, SIG_IGN); /* gdb's listen request, caught once the VM is */

	image_open(&vm.image, opt.image);
	uint64_t mem = opt.mem_size ? opt.mem_size : default_mem(&vm.image);
	image_check_fits(&vm.image, mem);
	if (opt.dumpcore)
		core_init(&vm, opt.dumpcore);
	net_open(&opt);
	for (unsigned i = 0; i < opt.disk_count; i++)
		block_open(&vm, opt.disk[i]);

	if (opt.on_demand)
		ondemand_serve(&vm, &opt, mem);
	guest_mem_alloc(&vm.mem, mem);
	vm_create(&vm);
	trace_mark(TRACE_VM_CREATED);
	gdb_catch_signals(&vm);
	image_load(&vm.image, &vm.mem);
	cpu_setup(&vm);
	boot_info_write(&vm, &opt, vm_tsc_khz(&vm));
	trace_mark(TRACE_IMAGE_LOADED);

	if (opt.gdb)
		gdb_start(&vm, opt.gdb_port);
	if (opt.gdb_listen && gdb_listen(&vm, opt.gdb_listen_port) < 0)
		fatal(UL_KVM_EXIT_HOST, "--gdb-listen=%u: cannot listen on "
		      "127.0.0.1:%u: %s", opt.gdb_listen_port, opt.gdb_listen_port,
		      strerror(errno));
	vm.timeout_us = opt.timeout_us;
	timeout_arm(&vm, opt.stats);
	sandbox_enter(&opt, core_dir_fd());
	vm_run(&vm);
}
