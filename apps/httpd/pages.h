/* The pages built into httpd (generated into pages.c by mkpages.py). */
#ifndef HTTPD_PAGES_H
#define HTTPD_PAGES_H

#include <stddef.h>

struct page {
	const char *path; /* "/index.html" */
	const char *type; /* its Content-Type */
	size_t len;       /* bytes in data */
	unsigned repeat;  /* the body is data, this many times over */
	const char *data;
};

/* Ended by an entry whose path is NULL. */
extern const struct page httpd_pages[];

#endif
