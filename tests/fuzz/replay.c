/* The fuzz target without libFuzzer: feed every seed in the corpus, then
 * a few thousand mutations of them and random inputs, through the same
 * entry point. Built with the ordinary compiler (and sanitizers when the
 * build has them), so malformed input is tested on every build.
 * usage: fuzz_replay [--rounds=N] [--seed=N] CORPUS_DIR_OR_FILE... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* A target may say what the run did (the network's counters). */
void fuzz_report(void) __attribute__((weak));

#define INPUT_MAX 65536 /* the largest seed read; longer ones are cut */
#define MAX_SEEDS 512

struct input {
	uint8_t *data;
	size_t len;
};

static struct input seeds[MAX_SEEDS];
static unsigned nseeds;

static void load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f || nseeds == MAX_SEEDS) {
		if (f)
			fclose(f);
		return;
	}
	uint8_t *buf = malloc(INPUT_MAX);
	size_t n = fread(buf, 1, INPUT_MAX, f);
	fclose(f);
	seeds[nseeds++] = (struct input){buf, n};
}

static void load(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		load_file(path);
		return;
	}
	struct dirent *e;
	char full[4096];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		load_file(full);
	}
	closedir(d);
}

/* A copy of a seed with a few random edits: flipped bits, set bytes,
 * cuts, insertions, or a splice with another seed. */
static size_t mutate(uint8_t *out)
{
	const struct input *s = &seeds[(unsigned)rand() % nseeds];
	size_t len = s->len;
	memcpy(out, s->data, len);
	int edits = 1 + rand() % 8;
	for (int i = 0; i < edits && len; i++) {
		size_t at = (size_t)rand() % len;
		switch (rand() % 6) {
		case 0:
			out[at] ^= (uint8_t)(1u << (rand() % 8));
			break;
		case 1:
			out[at] = (uint8_t)rand();
			break;
		case 2:
			out[at] = (uint8_t)(rand() % 2 ? 0xff : 0);
			break;
		case 3:
			len = at + 1;
			break;
		case 4:
			if (len < INPUT_MAX - 16) {
				memmove(out + at + 4, out + at, len - at);
				for (int k = 0; k < 4; k++)
					out[at + k] = (uint8_t)rand();
				len += 4;
			}
			break;
		default: {
			const struct input *o = &seeds[(unsigned)rand() % nseeds];
			size_t take = o->len < INPUT_MAX - at ? o->len
			                                      : INPUT_MAX - at;
			memcpy(out + at, o->data, take);
			len = at + take;
		}
		}
	}
	return len;
}

static size_t random_input(uint8_t *out)
{
	size_t len = (size_t)rand() % 1600;
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)rand();
	return len;
}

int main(int argc, char **argv)
{
	unsigned long rounds = 5000, seed = 1;
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--rounds=", 9) == 0)
			rounds = strtoul(argv[i] + 9, NULL, 10);
		else if (strncmp(argv[i], "--seed=", 7) == 0)
			seed = strtoul(argv[i] + 7, NULL, 10);
		else
			load(argv[i]);
	}
	if (nseeds == 0) {
		fprintf(stderr, "fuzz_replay: no seeds found\n");
		return 1;
	}
	for (unsigned i = 0; i < nseeds; i++)
		LLVMFuzzerTestOneInput(seeds[i].data, seeds[i].len);
	srand((unsigned)seed);
	static uint8_t buf[INPUT_MAX];
	for (unsigned long r = 0; r < rounds; r++) {
		size_t n = r % 8 == 7 ? random_input(buf) : mutate(buf);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_replay: %u seeds and %lu mutated or random inputs\n",
	       nseeds, rounds);
	if (fuzz_report)
		fuzz_report();
	return 0;
}
