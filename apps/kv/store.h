/* kv's store: the keys and values in memory, kept on the disk as a log of
 * changes that is replayed at start. */
#ifndef KV_STORE_H
#define KV_STORE_H

#include <stddef.h>

#define KV_KEY_MAX 200
#define KV_VALUE_MAX 4000

/* Replay the log at path (created if missing); the number of records, or
 * a negative error. A torn last record (a crash while it was written,
 * never acknowledged) is cut off. */
long store_open(const char *path);
/* Apply a change and make it durable (written and fsync'ed) before
 * returning 0. value NULL deletes; 1 when there was nothing to delete. */
int store_put(const char *key, const char *value);
const char *store_get(const char *key);
/* Call f for every key starting with prefix, in byte order. */
void store_scan(const char *prefix, void (*f)(const char *key,
                                              const char *value, void *arg),
                void *arg);

#endif
