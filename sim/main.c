/* unilab-sim: run a scenario (docs/sim.md) of posix images on one virtual
 * clock and write what happened to an output folder. Exit status: 0 when
 * every node did what the scenario asks, 1 when one did not, 2 when the
 * scenario or the options are wrong. */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "options.h" /* backends/host */
#include "sim.h"
#include "units.h"

struct options {
	const char *scenario;
	const char *out;
	const char *build;
	uint64_t seed, until;
	bool seed_set, until_set, svg, quiet;
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: unilab-sim SCENARIO [--seed N] [--until TIME] [--out DIR] "
	        "[--svg]\n"
	        "                  [--build DIR] [--quiet]\n"
	        "\n"
	        "Runs the nodes, links and switches of SCENARIO (a text file; see "
	        "docs/sim.md)\n"
	        "on one virtual clock, the same way every time for the same seed.\n"
	        "  --seed N      seed of every random choice (default: the "
	        "scenario's seed, or 1)\n"
	        "  --until TIME  stop at this virtual time, e.g. 30s (default: "
	        "the scenario's)\n"
	        "  --out DIR     where the logs, pcaps, trace and summary go\n"
	        "                (default: sim-out/NAME, NAME the scenario's "
	        "file name)\n"
	        "  --svg         also draw topology.svg with Graphviz's dot\n"
	        "  --build DIR   the build folder whose images nodes run "
	        "(default: the one\n"
	        "                this program was built in)\n"
	        "  --quiet       do not echo the nodes' consoles to stdout\n"
	        "Exit status: 0 when every node did what the scenario asks, 1 "
	        "when one did\n"
	        "not, 2 for a bad scenario or option.\n");
}

static _Noreturn void bad_option(const char *fmt, const char *arg)
{
	fprintf(stderr, "unilab-sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try --help)\n");
	exit(2);
}

enum { OPT_HELP = 1, OPT_SVG, OPT_QUIET, OPT_SEED, OPT_UNTIL, OPT_OUT,
       OPT_BUILD };

static void take_option(int id, const char *v, struct options *o)
{
	switch (id) {
	case OPT_HELP:
		usage(stdout);
		exit(0);
	case OPT_SVG:
		o->svg = true;
		break;
	case OPT_QUIET:
		o->quiet = true;
		break;
	case OPT_SEED:
		if (parse_count(v, UINT64_MAX, &o->seed) < 0)
			bad_option("bad --seed '%s': give a whole number", v);
		o->seed_set = true;
		break;
	case OPT_UNTIL:
		if (parse_time(v, &o->until) < 0)
			bad_option("bad --until '%s': give a time such as 30s or "
			           "500ms", v);
		o->until_set = true;
		break;
	case OPT_OUT:
		o->out = v;
		break;
	case OPT_BUILD:
		o->build = v;
		break;
	}
}

/* The options (backends/host's parser: --NAME=VALUE or --NAME VALUE) may
 * come before or after the scenario's file. */
static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct ul_host_option options[] = {
		{ "help", UL_HOST_NO_VALUE, OPT_HELP },
		{ "svg", UL_HOST_NO_VALUE, OPT_SVG },
		{ "quiet", UL_HOST_NO_VALUE, OPT_QUIET },
		{ "seed", UL_HOST_VALUE, OPT_SEED },
		{ "until", UL_HOST_VALUE, OPT_UNTIL },
		{ "out", UL_HOST_VALUE, OPT_OUT },
		{ "build", UL_HOST_VALUE, OPT_BUILD },
		{ NULL, UL_HOST_NO_VALUE, 0 },
	};
	struct ul_host_args args = { argc, argv, 1 };
	struct ul_host_error err;
	const char *v;
	int id;

	for (;;) {
		while ((id = ul_host_option_next(&args, options, &v, &err)) > 0)
			take_option(id, v, o);
		if (id < 0)
			bad_option("%s", err.msg);
		if (args.next >= argc)
			break;
		if (o->scenario)
			bad_option("one scenario at a time ('%s' is a second)",
			           argv[args.next]);
		o->scenario = argv[args.next++];
	}
	if (!o->scenario)
		bad_option("%s", "which scenario? give its file");
}

/* This program lives in BUILD/sim/: the images are under BUILD. */
static char *default_build(void)
{
	static char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		sim_fatal("cannot find the build folder; give --build DIR");
	exe[n] = '\0';
	return dirname(dirname(exe));
}

/* sim-out/NAME, NAME the scenario's file name without its .sim. */
static char *default_out(const char *scenario)
{
	static char out[PATH_MAX];
	const char *base = strrchr(scenario, '/');
	base = base ? base + 1 : scenario;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".sim") == 0)
		len -= 4;
	snprintf(out, sizeof(out), "sim-out/%.*s", (int)len, base);
	return out;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Real-time figures go to stderr: they differ between runs, the outputs
 * must not. The real-time factor is virtual seconds per real second. */
static void report_speed(const struct world *w, double real)
{
	double virt = (double)w->now / 1e9;
	double factor = real > 0 ? virt / real : 0.0;
	fprintf(stderr, "unilab-sim: %llu events and %llu node runs in %.3f s "
	        "of real time: %.0f events/s; %.3f s virtual, %.*f x real time\n",
	        (unsigned long long)w->events, (unsigned long long)w->runs, real,
	        real > 0 ? (double)w->events / real : 0.0, virt,
	        factor >= 100 ? 0 : factor >= 1 ? 1 : 3, factor);
}

int main(int argc, char **argv)
{
	struct options o = {0};
	struct scenario sc;
	/* Every error in the file, each on stderr as it is found. */
	struct sc_error err = {.report = stderr};
	parse_options(argc, argv, &o);
	uint64_t until = SC_NO_LIMIT;
	if (scenario_load(o.scenario, &sc, &err) == 0) {
		until = o.until_set ? o.until : sc.until;
		scenario_check_end(&sc, until, &err);
	}
	scenario_find_images(&sc, o.build ? o.build : default_build(), &err);
	if (err.count > 0) {
		scenario_free(&sc);
		return 2;
	}
	struct world w = {.echo = !o.quiet};
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	world_init(&w, &sc, o.out ? o.out : default_out(o.scenario),
	           o.seed_set ? o.seed : sc.seed_set ? sc.seed : 1, until);
	run(&w);
	double real = seconds_since(&start);
	bool ok = summary_write(&w);
	int drawn = topology_write(&w, o.svg);
	report_speed(&w, real);
	world_free(&w);
	scenario_free(&sc);
	return drawn < 0 ? 2 : ok ? 0 : 1;
}
