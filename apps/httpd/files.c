/* httpd's files: a request path names a file of the image's file system
 * (its romfs, or a disk mounted over / or a folder). Content-Type comes
 * from the extension, Last-Modified from the file's mtime; a folder is
 * served by its index.html or else a generated listing; a file that
 * others may not read (no o+r bit) is 403, a missing one 404. */
#include <unilab/console.h>
#include <unilab/errno.h>
#include <unilab/fs.h>
#include <unilab/mem.h>
#include <unilab/string.h>
#include "httpd.h"

#define BODY_CHUNK (64 * 1024)

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},
	{".htm", "text/html; charset=utf-8"},
	{".css", "text/css"},
	{".txt", "text/plain; charset=utf-8"},
	{".json", "application/json"},
	{".js", "application/javascript"},
	{".png", "image/png"},
	{".jpg", "image/jpeg"},
	{".gif", "image/gif"},
	{".svg", "image/svg+xml"},
	{".ico", "image/x-icon"},
	{".pdf", "application/pdf"},
};

static const char *content_type(const char *path)
{
	const char *dot = ul_strrchr(path, '.');
	const char *slash = ul_strrchr(path, '/');
	if (dot && dot > slash)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (ul_strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* An HTTP date (RFC 9110 IMF-fixdate) of secs since the epoch. */
static void http_date(int64_t secs, char *out, size_t cap)
{
	static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon",
	                                 "Tue", "Wed"};
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May",
	                                   "Jun", "Jul", "Aug", "Sep", "Oct",
	                                   "Nov", "Dec"};
	if (secs < 0)
		secs = 0;
	int64_t days = secs / 86400, rem = secs % 86400;
	/* Civil date from days since 1970-01-01 (proleptic Gregorian), by
	 * 400-year eras that start on March 1st. */
	int64_t z = days + 719468, era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	ul_snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	            wd[days % 7], (int)d, mon[m - 1], (int)y, (int)(rem / 3600),
	            (int)(rem / 60 % 60), (int)(rem % 60));
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

/* The target's path, percent-decoded; false when it cannot be a path. */
static bool decode(const char *t, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		if (c == '%') {
			if (i + 2 >= n)
				return false;
			int hi = hex(t[i + 1]), lo = hex(t[i + 2]);
			if (hi < 0 || lo < 0)
				return false;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0' || o + 1 >= cap)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0 && out[0] == '/';
}

static bool send_file(int fd, const char *path, const struct ul_stat *st,
                      bool head, bool keep)
{
	if (!(st->mode & 0004))
		return http_error(fd, 403, "Forbidden", head, keep, "");
	int f = ul_open(path, UL_O_RDONLY, 0);
	if (f < 0)
		return http_error(fd, 500, "Internal Server Error", head, keep, "");
	/* romfs keeps no times: no date rather than 1970. */
	char date[40], extra[80] = "";
	http_date(st->mtime, date, sizeof date);
	if (st->mtime > 0)
		ul_snprintf(extra, sizeof extra, "Last-Modified: %s\r\n", date);
	bool ok = http_respond(fd, 200, "OK", content_type(path), st->size, keep,
	                       extra);
	char *buf = ok && !head ? ul_malloc(BODY_CHUNK) : NULL;
	uint64_t left = head ? 0 : st->size;
	while (ok && left > 0) {
		long n = buf ? ul_read(f, buf, BODY_CHUNK) : -UL_ENOMEM;
		/* Headers are gone already: a short file can only end the
		 * connection. */
		ok = n > 0 && http_send_all(fd, buf, (size_t)n);
		left -= ok ? (uint64_t)n : 0;
	}
	ul_free(buf);
	ul_close(f);
	return ok;
}

/* Append s to the listing in *b, growing it; false when out of memory. */
static bool add(char **b, size_t *len, size_t *cap, const char *s)
{
	size_t n = ul_strlen(s);
	if (*len + n + 1 > *cap) {
		size_t want = (*cap + n + 1) * 2;
		char *nb = ul_realloc(*b, want);
		if (!nb)
			return false;
		*b = nb;
		*cap = want;
	}
	ul_memcpy(*b + *len, s, n + 1);
	*len += n;
	return true;
}

/* A name made safe for HTML text and for an href. */
static void escape(const char *name, char *out, size_t cap, bool href)
{
	size_t o = 0;
	for (; *name && o + 7 < cap; name++) {
		unsigned char c = (unsigned char)*name;
		if (href && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		              (c >= '0' && c <= '9') || ul_strchr("-._~", c))) {
			o += (size_t)ul_snprintf(out + o, cap - o, "%%%02X", c);
		} else if (c == '<' || c == '>' || c == '&' || c == '"') {
			const char *e = c == '<' ? "&lt;" : c == '>' ? "&gt;"
			                : c == '&' ? "&amp;" : "&quot;";
			o += (size_t)ul_snprintf(out + o, cap - o, "%s", e);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static bool send_listing(int fd, const char *path, bool head, bool keep)
{
	int dd = ul_opendir(path);
	if (dd < 0)
		return http_error(fd, 500, "Internal Server Error", head, keep, "");
	char *b = NULL, line[3 * UL_NAME_MAX + 6 * UL_NAME_MAX + 64];
	char shown[6 * UL_NAME_MAX + 1], href[3 * UL_NAME_MAX + 1];
	size_t len = 0, cap = 0;
	escape(path, shown, sizeof shown, false);
	ul_snprintf(line, sizeof line,
	            "<!DOCTYPE html>\n<title>Index of %s</title>\n"
	            "<h1>Index of %s</h1>\n<ul>\n", shown, shown);
	bool ok = add(&b, &len, &cap, line);
	struct ul_dirent e;
	while (ok && ul_readdir(dd, &e) == 1) {
		escape(e.name, shown, sizeof shown, false);
		escape(e.name, href, sizeof href, true);
		const char *slash = e.type == UL_DT_DIR ? "/" : "";
		ul_snprintf(line, sizeof line, "<li><a href=\"%s%s\">%s%s</a>\n",
		            href, slash, shown, slash);
		ok = add(&b, &len, &cap, line);
	}
	ul_closedir(dd);
	ok = ok && add(&b, &len, &cap, "</ul>\n");
	if (!ok) {
		ul_free(b);
		return http_error(fd, 500, "Internal Server Error", head, keep, "");
	}
	ok = http_respond(fd, 200, "OK", "text/html; charset=utf-8", len, keep,
	                  "") &&
	     (head || http_send_all(fd, b, len));
	ul_free(b);
	return ok;
}

bool http_serve_file(int fd, const char *target, size_t n, bool head,
                     bool keep)
{
	char path[UL_PATH_MAX];
	if (!decode(target, n, path, sizeof path - 16)) {
		http_error(fd, 400, "Bad Request", head, false, "");
		return false;
	}
	struct ul_stat st;
	int rc = ul_stat(path, &st);
	if (rc == -UL_ENOENT || rc == -UL_ENOTDIR || rc == -UL_ENAMETOOLONG ||
	    rc == -UL_ELOOP)
		return http_error(fd, 404, "Not Found", head, keep, "");
	if (rc < 0)
		return http_error(fd, 500, "Internal Server Error", head, keep, "");
	if (UL_S_ISREG(st.mode))
		return send_file(fd, path, &st, head, keep);
	if (!UL_S_ISDIR(st.mode))
		return http_error(fd, 403, "Forbidden", head, keep, "");
	size_t len = ul_strlen(path);
	if (path[len - 1] != '/') {
		/* Relative links in the folder's page need the slash. */
		char loc[UL_PATH_MAX + 16];
		ul_snprintf(loc, sizeof loc, "Location: %.*s/\r\n", (int)n, target);
		return http_error(fd, 301, "Moved Permanently", head, keep, loc);
	}
	ul_memcpy(path + len, "index.html", 11);
	if (ul_stat(path, &st) == 0 && UL_S_ISREG(st.mode))
		return send_file(fd, path, &st, head, keep);
	path[len] = '\0';
	return send_listing(fd, path, head, keep);
}
