/* Host networking: libslirp and libpcap are loaded when the first
 * interface that needs them opens, not linked. Most runs use neither, and
 * mapping them with their dozen dependencies at every start would more
 * than double the start-up time of a posix image (1 ms to 2.5 ms). */
#include <dlfcn.h>

#include <unilab/errno.h>

#include "nic.h"

int ul_host_load(const char *const *sonames, const char *package,
		 const struct ul_host_symbol *syms, size_t n,
		 struct ul_host_error *err)
{
	if (*syms[0].slot)
		return 0; /* loaded by an earlier interface */
	void *lib = NULL;
	for (const char *const *name = sonames; *name && !lib; name++)
		lib = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return ul_host_fail(err, -UL_ENOSYS,
				    "cannot load %s (%s); install "
				    "the Debian package %s",
				    sonames[0], dlerror(), package);
	for (size_t i = 0; i < n; i++) {
		*syms[i].slot = dlsym(lib, syms[i].name);
		if (!*syms[i].slot)
			return ul_host_fail(err, -UL_ENOSYS,
					    "%s has no %s: too old a "
					    "version? (install %s)",
					    sonames[0], syms[i].name, package);
	}
	return 0;
}
