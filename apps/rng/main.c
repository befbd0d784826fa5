/* rng: random bytes from the core's CSPRNG, and a smoke test of the
 * machine's entropy source.
 *   rng [N]    print N (default 32) bytes of ul_random_bytes() in hex
 *   rng check  read 64 KiB straight from the entropy source and test it:
 *              bit balance, byte frequencies, no repeated 64-bit word
 * The check catches a broken or stuck source (zeros, a counter, a constant,
 * a failing instruction), not a subtly weak one: no test can. */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/mem.h>
#include <unilab/random.h>
#include <unilab/strtol.h>
#include <unilab/string.h>

#define CHECK_BYTES (64u << 10)
#define MAX_PRINT 4096

static int print_random(unsigned long n)
{
	static unsigned char buf[MAX_PRINT];
	int err = ul_random_bytes(buf, n);

	if (err < 0) {
		ul_printf("rng: no random bytes: %s\n", ul_strerror(err));
		return 1;
	}
	for (unsigned long i = 0; i < n; i++)
		ul_printf("%02x", buf[i]);
	ul_printf("\n");
	return 0;
}

static int popcount8(unsigned char b)
{
	int n = 0;
	for (; b; b &= (unsigned char)(b - 1))
		n++;
	return n;
}

/* For 2^19 fair bits the count of ones has standard deviation 362; for
 * 256 byte values in 2^16 bytes the chi-square statistic (255 degrees of
 * freedom) has mean 255 and deviation 22.6. The limits are about 7
 * deviations out: a good source fails once in billions of runs. */
#define MAX_BIT_SKEW 2600
#define MAX_CHI_SQUARE 420

static int check(void)
{
	unsigned char *buf = ul_malloc(CHECK_BYTES);
	static unsigned count[256];
	long ones = 0;
	unsigned long sq = 0;
	int err, bad = 0;

	if (buf == NULL) {
		ul_printf("rng: out of memory\n");
		return 1;
	}
	err = ul_random_entropy(buf, CHECK_BYTES);
	if (err < 0) {
		ul_printf("rng: the entropy source failed: %s\n",
		          ul_strerror(err));
		return 1;
	}
	for (unsigned i = 0; i < CHECK_BYTES; i++) {
		ones += popcount8(buf[i]);
		count[buf[i]]++;
	}
	for (int v = 0; v < 256; v++) {
		long d = (long)count[v] - CHECK_BYTES / 256;
		sq += (unsigned long)(d * d);
	}
	unsigned long chi = sq / (CHECK_BYTES / 256);
	long skew = ones - CHECK_BYTES * 4l;
	ul_printf("rng: %u bytes from the %s entropy source: ones %ld "
	          "(skew %ld, limit %d), chi-square %lu (limit %d)\n",
	          CHECK_BYTES, ul_backend(), ones, skew, MAX_BIT_SKEW, chi,
	          MAX_CHI_SQUARE);
	if (skew > MAX_BIT_SKEW || skew < -MAX_BIT_SKEW) {
		ul_printf("rng: FAIL: the bits are not balanced\n");
		bad = 1;
	}
	if (chi > MAX_CHI_SQUARE) {
		ul_printf("rng: FAIL: the byte values are not uniform\n");
		bad = 1;
	}
	for (unsigned i = 8; i < CHECK_BYTES; i += 8)
		if (ul_memcmp(buf + i, buf + i - 8, 8) == 0) {
			ul_printf("rng: FAIL: a 64-bit word repeats at %u\n", i);
			bad = 1;
			break;
		}
	ul_free(buf);
	if (!bad)
		ul_printf("rng: ok\n");
	return bad;
}

int ul_main(int argc, char **argv)
{
	if (argc > 1 && ul_strcmp(argv[1], "check") == 0)
		return check();
	unsigned long n = 32;
	if (argc > 1) {
		if (ul_parse_number(argv[1], MAX_PRINT, &n) < 0 || n == 0) {
			ul_printf("usage: rng [N (1..%d)] | rng check\n",
			          MAX_PRINT);
			return 2;
		}
	}
	return print_random(n);
}
