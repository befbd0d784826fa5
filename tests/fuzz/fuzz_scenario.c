/* The simulator's scenario reader as a fuzz target: an input is a scenario
 * file (docs/sim.md). scenario_load must accept it or say what is wrong at
 * which line, never crash or leak; what it accepts must hold together
 * (every link end names a node or switch that exists, on an interface
 * that names the link back). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_scenario: an accepted scenario is "
		        "inconsistent: %s\n", what);
		abort();
	}
}

static void check_accepted(const struct scenario *sc)
{
	require(sc->nnodes > 0, "it has nodes");
	for (unsigned l = 0; l < sc->nlinks; l++) {
		for (unsigned e = 0; e < 2; e++) {
			const struct sc_end *end = &sc->links[l].end[e];
			if (end->kind == SC_NODE) {
				require(end->index < sc->nnodes, "link end is a node");
				const struct sc_node *n = &sc->nodes[end->index];
				require(end->port < n->nif &&
				        n->links[end->port] == l, "node names its link");
			} else {
				require(end->index < sc->nswitches, "link end is a switch");
				const struct sc_switch *s = &sc->switches[end->index];
				require(end->port < s->nports &&
				        s->links[end->port] == l, "switch names its link");
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct scenario sc;
	struct sc_error err = {0}; /* no report stream: errors are only counted */

	if (fd < 0) {
		fd = memfd_create("scenario", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 ||
	    (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	err.msg[0] = '\0';
	if (scenario_load(path, &sc, &err) == 0)
		check_accepted(&sc);
	else
		require(err.msg[0] != '\0', "a refusal says why");
	scenario_free(&sc);
	return 0;
}
