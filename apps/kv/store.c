/* kv's store. The log holds one record a line:
 *
 *   CRC P KEY VALUE\n      put          CRC D KEY\n      delete
 *
 * CRC is the FNV-1a hash (8 hex digits) of the rest of the line. A change
 * is appended and fsync'ed before it is applied and acknowledged, so a
 * crash loses nothing acknowledged: at most a last record that is torn,
 * which the checksum shows and replay cuts off. In memory, a sorted array
 * (kv is small: SCAN in order for free, look-ups by bisection). */
#include <unilab/errno.h>
#include <unilab/fs.h>
#include <unilab/log.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "store.h"

struct entry {
	char *key, *value;
};

static struct entry *entries;
static size_t count, cap;
static int log_fd = -1;

static uint32_t fnv1a(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)p[i]) * 16777619u;
	return h;
}

/* The index of key, or where it would go (*found says which). */
static size_t find(const char *key, int *found)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = ul_strcmp(entries[mid].key, key);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* Change the table in memory; 1 for a delete of a missing key. */
static int apply(const char *key, const char *value)
{
	int found;
	size_t i = find(key, &found);
	if (!value) {
		if (!found)
			return 1;
		ul_free(entries[i].key);
		ul_free(entries[i].value);
		ul_memmove(&entries[i], &entries[i + 1],
		           (count - i - 1) * sizeof *entries);
		count--;
		return 0;
	}
	char *v = ul_strdup(value);
	if (!v)
		return -UL_ENOMEM;
	if (found) {
		ul_free(entries[i].value);
		entries[i].value = v;
		return 0;
	}
	if (count == cap) {
		size_t ncap = cap ? cap * 2 : 64;
		struct entry *n = ul_realloc(entries, ncap * sizeof *n);
		if (!n) {
			ul_free(v);
			return -UL_ENOMEM;
		}
		entries = n;
		cap = ncap;
	}
	char *k = ul_strdup(key);
	if (!k) {
		ul_free(v);
		return -UL_ENOMEM;
	}
	ul_memmove(&entries[i + 1], &entries[i], (count - i) * sizeof *entries);
	entries[i] = (struct entry){k, v};
	count++;
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	                                                               : -1;
}

/* Apply one log line (without its newline); false if it is not a whole,
 * correct record. */
static int replay_line(char *line, size_t n)
{
	if (n < 12 || line[8] != ' ')
		return 0;
	uint32_t crc = 0;
	for (int i = 0; i < 8; i++) {
		int v = hexval(line[i]);
		if (v < 0)
			return 0;
		crc = crc << 4 | (uint32_t)v;
	}
	if (fnv1a(line + 9, n - 9) != crc || line[10] != ' ')
		return 0;
	line[n] = '\0';
	char *key = line + 11, *value = NULL;
	if (line[9] == 'P') {
		char *sp = ul_strchr(key, ' ');
		if (!sp)
			return 0;
		*sp = '\0';
		value = sp + 1;
	} else if (line[9] != 'D') {
		return 0;
	}
	return apply(key, value) >= 0;
}

long store_open(const char *path)
{
	log_fd = ul_open(path, UL_O_RDWR | UL_O_CREAT, 0644);
	if (log_fd < 0)
		return log_fd;
	struct ul_stat st;
	int rc = ul_fstat(log_fd, &st);
	if (rc < 0)
		return rc;
	char *buf = ul_malloc(st.size + 1);
	if (!buf)
		return -UL_ENOMEM;
	long n = st.size ? ul_pread(log_fd, buf, st.size, 0) : 0;
	if (n < 0 || (uint64_t)n != st.size) {
		ul_free(buf);
		return n < 0 ? n : -UL_EIO;
	}
	long records = 0;
	size_t good = 0;
	for (size_t at = 0; at < st.size;) {
		char *nl = ul_memchr(buf + at, '\n', st.size - at);
		if (!nl || !replay_line(buf + at, (size_t)(nl - (buf + at))))
			break;
		records++;
		at = good = (size_t)(nl - buf) + 1;
	}
	ul_free(buf);
	if (good < st.size) {
		ul_warn("kv: cutting a torn record at byte %zu of %s", good, path);
		if ((rc = ul_ftruncate(log_fd, good)) < 0 ||
		    (rc = ul_fsync(log_fd)) < 0)
			return rc;
	}
	return records;
}

int store_put(const char *key, const char *value)
{
	char rec[16 + KV_KEY_MAX + KV_VALUE_MAX];
	int found;
	find(key, &found);
	if (!value && !found)
		return 1;
	int n = value ? ul_snprintf(rec, sizeof rec, "........ P %s %s\n", key,
	                            value)
	              : ul_snprintf(rec, sizeof rec, "........ D %s\n", key);
	char crc[9];
	ul_snprintf(crc, sizeof crc, "%08x",
	            fnv1a(rec + 9, (size_t)n - 10));
	ul_memcpy(rec, crc, 8);
	struct ul_stat st;
	int rc = ul_fstat(log_fd, &st);
	if (rc < 0)
		return rc;
	long w = ul_pwrite(log_fd, rec, (size_t)n, st.size);
	if (w != n) {
		/* Never leave half a record for the next one to follow. */
		ul_ftruncate(log_fd, st.size);
		return w < 0 ? (int)w : -UL_EIO;
	}
	if ((rc = ul_fsync(log_fd)) < 0)
		return rc;
	return apply(key, value);
}

const char *store_get(const char *key)
{
	int found;
	size_t i = find(key, &found);
	return found ? entries[i].value : NULL;
}

void store_scan(const char *prefix, void (*f)(const char *, const char *,
                                              void *),
                void *arg)
{
	int found;
	size_t plen = ul_strlen(prefix);
	for (size_t i = find(prefix, &found); i < count; i++) {
		if (ul_strncmp(entries[i].key, prefix, plen) != 0)
			break;
		f(entries[i].key, entries[i].value, arg);
	}
}
