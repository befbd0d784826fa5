/* fswork: a file-system workload for the integration tests. Its files
 * (rom/) are packed into the image as romfs; a disk comes from the
 * backend's block device (root=blk0 or mount=/disk:blk0).
 *
 *   fswork cat PATH             print a file
 *   fswork sums DIR             "SHA256  ./path" for every file under DIR
 *   fswork workload SEED BIGMB  2,000 files in nested folders, random
 *                               writes, truncates, renames and deletes, a
 *                               BIGMB file, a folder of 10,000 entries
 *   fswork fill                 write until the disk is full (ENOSPC)
 *   fswork speed MB FILES       sequential write and read of an MB file
 *                               in 1 MB requests, then FILES small files
 *                               created: MB/s and creates/s; and the
 *                               device reads of a re-read of a cached
 *                               1 MB file (none, when the cache works)
 */
#include <unilab/app.h>
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/fs.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include <unilab/strtol.h>
#include <unilab/time.h>
#include "../tcpxfer/sha256.h" /* the SHA-256 of the tcpxfer image */

#define CHUNK (1u << 20)

static unsigned char *chunk;
static uint64_t rng_state;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static int fail(const char *what, const char *path, long err)
{
	ul_printf("fswork: %s %s: %s\n", what, path, ul_strerror((int)err));
	return 1;
}

static int cat(const char *path)
{
	int fd = ul_open(path, UL_O_RDONLY, 0);
	if (fd < 0)
		return fail("open", path, fd);
	long n;
	while ((n = ul_read(fd, chunk, CHUNK)) > 0)
		ul_printf("%.*s", (int)n, (const char *)chunk);
	ul_close(fd);
	return n < 0 ? fail("read", path, n) : 0;
}

static int sum_file(const char *path, const char *rel)
{
	int fd = ul_open(path, UL_O_RDONLY, 0);
	if (fd < 0)
		return fail("open", path, fd);
	struct sha256 s;
	sha256_init(&s);
	long n;
	while ((n = ul_read(fd, chunk, CHUNK)) > 0)
		sha256_update(&s, chunk, (size_t)n);
	ul_close(fd);
	if (n < 0)
		return fail("read", path, n);
	char hex[65];
	sha256_hex(&s, hex);
	ul_printf("%s  ./%s\n", hex, rel);
	return 0;
}

/* Walk dir (path, and rel from the walk's start) printing digests. */
static int sums(char *path, size_t plen, size_t start)
{
	int dd = ul_opendir(path);
	if (dd < 0)
		return fail("opendir", path, dd);
	struct ul_dirent e;
	int rc = 0, n;
	while (rc == 0 && (n = ul_readdir(dd, &e)) == 1) {
		size_t len = ul_strlen(e.name);
		if (plen + 1 + len >= UL_PATH_MAX)
			return fail("walk", path, -UL_ENAMETOOLONG);
		path[plen] = '/';
		ul_memcpy(path + plen + 1, e.name, len + 1);
		struct ul_stat st;
		rc = ul_lstat(path, &st);
		if (rc < 0)
			rc = fail("stat", path, rc);
		else if (UL_S_ISDIR(st.mode))
			rc = sums(path, plen + 1 + len, start);
		else if (UL_S_ISREG(st.mode))
			rc = sum_file(path, path + start);
		path[plen] = '\0';
	}
	ul_closedir(dd);
	return rc ? rc : n < 0 ? fail("readdir", path, n) : 0;
}

static int put(const char *path, size_t size)
{
	int fd = ul_open(path, UL_O_WRONLY | UL_O_CREAT | UL_O_TRUNC, 0644);
	if (fd < 0)
		return fail("create", path, fd);
	for (size_t i = 0; i < size; i++)
		chunk[i] = (unsigned char)rng();
	long n = ul_write(fd, chunk, size);
	ul_close(fd);
	return n == (long)size ? 0 : fail("write", path, n < 0 ? n : -UL_EIO);
}

static void name(char *buf, int d, int s, int f)
{
	ul_snprintf(buf, 64, "/tree/d%02d/s%d/f%d", d, s, f);
}

static int workload(uint64_t seed, unsigned bigmb)
{
	char p[64], q[64];
	rng_state = seed | 1;
	int rc = ul_mkdir("/tree", 0755);
	for (int d = 0; d < 20 && rc == 0; d++) {
		ul_snprintf(p, sizeof p, "/tree/d%02d", d);
		rc = ul_mkdir(p, 0755);
		for (int s = 0; s < 10 && rc == 0; s++) {
			ul_snprintf(p, sizeof p, "/tree/d%02d/s%d", d, s);
			rc = ul_mkdir(p, 0755);
			for (int f = 0; f < 10 && rc == 0; f++) {
				name(p, d, s, f);
				rc = put(p, rng() % 9000);
			}
		}
	}
	if (rc)
		return rc < 0 ? fail("mkdir", p, rc) : rc;
	ul_printf("fswork: 2000 files written\n");
	for (int i = 0; i < 600; i++) {
		name(p, (int)(rng() % 20), (int)(rng() % 10), (int)(rng() % 10));
		int fd = ul_open(p, UL_O_RDWR, 0);
		if (fd < 0)
			return fail("open", p, fd);
		long r = 0;
		if (i % 2) {
			r = ul_ftruncate(fd, rng() % 12000);
		} else {
			for (int k = 0; k < 100; k++)
				chunk[k] = (unsigned char)rng();
			r = ul_pwrite(fd, chunk, 100, rng() % 10000);
		}
		ul_close(fd);
		if (r < 0)
			return fail("change", p, r);
	}
	for (int i = 0; i < 200; i++) {
		int d = (int)(rng() % 20), s = (int)(rng() % 10);
		name(p, d, s, i % 10);
		ul_snprintf(q, sizeof q, "/tree/d%02d/s%d/moved%d", (d + 7) % 20,
		            (s + 3) % 10, i);
		rc = ul_rename(p, q);
		if (rc < 0 && rc != -UL_ENOENT)
			return fail("rename", p, rc);
	}
	for (int i = 0; i < 300; i++) {
		name(p, (int)(rng() % 20), (int)(rng() % 10), (int)(rng() % 10));
		rc = ul_unlink(p);
		if (rc < 0 && rc != -UL_ENOENT)
			return fail("unlink", p, rc);
	}
	rc = ul_rename("/tree/d19", "/tree/d00/s0/d19");
	if (rc < 0)
		return fail("rename", "/tree/d19", rc);
	ul_printf("fswork: writes, truncates, renames and deletes done\n");
	int fd = ul_open("/big", UL_O_WRONLY | UL_O_CREAT | UL_O_TRUNC, 0644);
	if (fd < 0)
		return fail("create", "/big", fd);
	for (unsigned m = 0; m < bigmb; m++) {
		for (size_t i = 0; i < CHUNK; i += 4) {
			uint32_t v = rng();
			ul_memcpy(chunk + i, &v, 4);
		}
		long n = ul_write(fd, chunk, CHUNK);
		if (n != (long)CHUNK)
			return fail("write", "/big", n < 0 ? n : -UL_EIO);
	}
	ul_close(fd);
	ul_printf("fswork: a %u MB file written\n", bigmb);
	if ((rc = ul_mkdir("/wide", 0755)) < 0)
		return fail("mkdir", "/wide", rc);
	for (int i = 0; i < 10000; i++) {
		ul_snprintf(p, sizeof p, "/wide/entry%05d", i);
		if ((rc = put(p, i % 7)) != 0)
			return rc;
	}
	ul_printf("fswork: a folder of 10000 entries written\n");
	if ((rc = ul_sync()) < 0)
		return fail("sync", "/", rc);
	ul_printf("fswork: workload done\n");
	return 0;
}

static int fill(void)
{
	int fd = ul_open("/fill", UL_O_WRONLY | UL_O_CREAT | UL_O_TRUNC, 0644);
	if (fd < 0)
		return fail("create", "/fill", fd);
	ul_memset(chunk, 0xab, CHUNK);
	long n;
	uint64_t total = 0;
	while ((n = ul_write(fd, chunk, CHUNK)) > 0)
		total += (uint64_t)n;
	ul_close(fd);
	ul_printf("fswork: %llu bytes, then %s\n", (unsigned long long)total,
	          ul_strerror((int)n));
	return n == -UL_ENOSPC ? 0 : 1;
}

/* Rate of n units in the time since start, in units per second. */
static unsigned long rate(uint64_t n, uint64_t start)
{
	uint64_t ns = ul_now() - start;
	return (unsigned long)(ns ? n * 1000000000ull / ns : 0);
}

/* Write /cached (1 MB, well inside any cache), read it once, then read it
 * again: the device reads the second read made (-1 on an error). */
static long cached_reread(void)
{
	int fd = ul_open("/cached", UL_O_RDWR | UL_O_CREAT | UL_O_TRUNC, 0644);
	if (fd < 0) {
		fail("create", "/cached", fd);
		return -1;
	}
	struct ul_cache_stats before, after;
	long n = ul_write(fd, chunk, CHUNK);
	if (n == (long)CHUNK)
		n = ul_pread(fd, chunk, CHUNK, 0);
	ul_cache_stats("/", &before);
	if (n == (long)CHUNK)
		n = ul_pread(fd, chunk, CHUNK, 0);
	ul_cache_stats("/", &after);
	ul_close(fd);
	if (n != (long)CHUNK) {
		fail("re-read", "/cached", n < 0 ? n : -UL_EIO);
		return -1;
	}
	return (long)(after.reads - before.reads);
}

static int speed(unsigned mb, unsigned files)
{
	ul_memset(chunk, 0x5a, CHUNK);
	int fd = ul_open("/speed", UL_O_RDWR | UL_O_CREAT | UL_O_TRUNC, 0644);
	if (fd < 0)
		return fail("create", "/speed", fd);
	uint64_t t = ul_now();
	for (unsigned i = 0; i < mb; i++)
		if (ul_write(fd, chunk, CHUNK) != (long)CHUNK)
			return fail("write", "/speed", -UL_EIO);
	ul_fsync(fd);
	unsigned long w = rate(mb, t);
	struct ul_cache_stats before, after;
	ul_cache_stats("/", &before);
	t = ul_now();
	for (unsigned i = 0; i < mb; i++)
		if (ul_pread(fd, chunk, CHUNK, (uint64_t)i * CHUNK) != (long)CHUNK)
			return fail("read", "/speed", -UL_EIO);
	unsigned long r = rate(mb, t);
	ul_cache_stats("/", &after);
	ul_close(fd);
	long reread = cached_reread();
	if (reread < 0)
		return 1;
	t = ul_now();
	char p[32];
	ul_mkdir("/small", 0755);
	for (unsigned i = 0; i < files; i++) {
		ul_snprintf(p, sizeof p, "/small/f%u", i);
		int f = ul_open(p, UL_O_WRONLY | UL_O_CREAT, 0644);
		if (f < 0)
			return fail("create", p, f);
		ul_write(f, "x", 1);
		ul_close(f);
	}
	ul_sync();
	ul_printf("fswork: write %lu MB/s, read %lu MB/s (%llu device reads), "
	          "%lu creates/s, re-read of a cached 1 MB file: %ld device "
	          "reads\n", w, r,
	          (unsigned long long)(after.reads - before.reads),
	          rate(files, t), reread);
	return 0;
}

int ul_main(int argc, char **argv)
{
	chunk = ul_malloc(CHUNK);
	if (!chunk)
		return fail("malloc", "", -UL_ENOMEM);
	if (argc == 3 && ul_strcmp(argv[1], "cat") == 0)
		return cat(argv[2]);
	if (argc == 3 && ul_strcmp(argv[1], "sums") == 0) {
		static char path[UL_PATH_MAX];
		ul_strlcpy(path, argv[2], sizeof path);
		size_t len = ul_strlen(path);
		while (len > 1 && path[len - 1] == '/')
			path[--len] = '\0';
		if (len == 1)
			len = 0; /* "/": paths start "/name" */
		return sums(path, len, len + 1);
	}
	if (argc == 4 && ul_strcmp(argv[1], "workload") == 0)
		return workload((uint64_t)ul_strtoul(argv[2], NULL, 10, NULL),
		                (unsigned)ul_strtoul(argv[3], NULL, 10, NULL));
	if (argc == 2 && ul_strcmp(argv[1], "fill") == 0)
		return fill();
	if (argc == 4 && ul_strcmp(argv[1], "speed") == 0)
		return speed((unsigned)ul_strtoul(argv[2], NULL, 10, NULL),
		             (unsigned)ul_strtoul(argv[3], NULL, 10, NULL));
	ul_printf("usage: fswork cat PATH | sums DIR | workload SEED BIGMB | "
	          "fill | speed MB FILES\n");
	return 2;
}
