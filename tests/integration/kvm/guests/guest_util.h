/* Test guests for the kvm backend: what they share. They implement
 * ul_boot() themselves instead of linking the core, so that each one does
 * exactly what its test needs and nothing else runs. */
#ifndef KVM_TEST_GUEST_UTIL_H
#define KVM_TEST_GUEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

static inline size_t t_strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static inline int t_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static inline void say(const char *s)
{
	ul_plat_console_write(s, t_strlen(s));
}

static inline void say_num(uint64_t v)
{
	char buf[21];
	int i = 20;
	buf[i] = '\0';
	do
		buf[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	say(buf + i);
}

/* The command line's words, split on spaces (the tests pass no quotes). */
#define MAX_WORDS 8
static inline int split_words(const char *line, char store[256],
                              const char *words[MAX_WORDS])
{
	int n = 0;
	size_t j = 0;

	while (*line && n < MAX_WORDS && j < 255) {
		while (*line == ' ')
			line++;
		if (!*line)
			break;
		words[n++] = &store[j];
		while (*line && *line != ' ' && j < 255)
			store[j++] = *line++;
		store[j++] = '\0';
	}
	return n;
}

static inline uint64_t parse_u64(const char *s)
{
	uint64_t v = 0;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	return v;
}

/* Fail a check: say which, exit 1. */
#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			say("check failed: " #cond "\n");                \
			ul_plat_exit(1);                                 \
		}                                                        \
	} while (0)

#endif
