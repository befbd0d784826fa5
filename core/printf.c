/* The printf family: one formatting engine (ul_vformat) that hands every
 * byte to a callback, and thin front ends for the console and for buffers. */
#include <stdbool.h>
#include <stdint.h>

#include <unilab/console.h>
#include <unilab/string.h>

/* Flags of a conversion specification. */
#define F_LEFT 1u  /* '-' */
#define F_ZERO 2u  /* '0' */
#define F_PLUS 4u  /* '+' */
#define F_SPACE 8u /* ' ' */
#define F_ALT 16u  /* '#' */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct spec {
	unsigned flags;
	int width;     /* 0 when absent */
	int prec;      /* -1 when absent */
	enum length length;
	char conv;
};

/* The engine's output: the callback and the count of bytes given to it,
 * kept wide so an over-long result is caught rather than wrapped. */
struct out {
	void (*emit)(char c, void *ctx);
	void *ctx;
	size_t count;
};

static void put(struct out *o, char c)
{
	o->emit(c, o->ctx);
	o->count++;
}

static void put_n(struct out *o, const char *s, size_t n)
{
	while (n-- > 0)
		put(o, *s++);
}

static void put_pad(struct out *o, size_t n)
{
	while (n-- > 0)
		put(o, ' ');
}

/* Spaces that bring a field of len bytes up to the spec's width. */
static size_t pad_for(const struct spec *sp, size_t len)
{
	return (size_t)sp->width > len ? (size_t)sp->width - len : 0;
}

/* Strings and characters are padded with spaces only: C leaves '0' with
 * %s and %c undefined, and glibc ignores it. */
static void put_field(struct out *o, const struct spec *sp, const char *s,
                      size_t len)
{
	size_t pad = pad_for(sp, len);

	if (!(sp->flags & F_LEFT))
		put_pad(o, pad);
	put_n(o, s, len);
	if (sp->flags & F_LEFT)
		put_pad(o, pad);
}

static void format_string(struct out *o, const struct spec *sp, const char *s)
{
	static const char null_text[] = "(null)";

	/* glibc prints "(null)" only when the precision lets all of it out,
	 * never a cut "(nu". */
	if (s == NULL)
		s = sp->prec < 0 || (size_t)sp->prec >= sizeof null_text - 1 ?
		            null_text : "";
	size_t len = sp->prec < 0 ? ul_strlen(s) :
	                            ul_strnlen(s, (size_t)sp->prec);
	put_field(o, sp, s, len);
}

/* Write mag's digits so that they end just before end; return how many. */
static size_t put_digits(char *end, unsigned long long mag, unsigned base,
                         bool upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		*--end = set[mag % base];
		mag /= base;
		n++;
	} while (mag != 0);
	return n;
}

/* The sign, then "0x" for '#' with a nonzero hex value; return the length. */
static size_t make_prefix(char *prefix, const struct spec *sp, bool negative,
                          unsigned base, bool upper, bool zero)
{
	size_t n = 0;

	if (negative)
		prefix[n++] = '-';
	else if (sp->flags & F_PLUS)
		prefix[n++] = '+';
	else if (sp->flags & F_SPACE)
		prefix[n++] = ' ';
	if ((sp->flags & F_ALT) && base == 16 && !zero) {
		prefix[n++] = '0';
		prefix[n++] = upper ? 'X' : 'x';
	}
	return n;
}

/* An integer is written as [pad][prefix][zeros][digits][pad]. The
 * precision is the minimum number of digits, and a zero value with
 * precision 0 has no digits at all. */
static void format_integer(struct out *o, const struct spec *sp,
                           unsigned long long mag, bool negative,
                           unsigned base, bool upper)
{
	char digits[24]; /* 22 octal digits hold 64 bits */
	char *end = digits + sizeof digits;
	bool zero = mag == 0;
	size_t ndigits = zero && sp->prec == 0 ? 0 :
	                                         put_digits(end, mag, base, upper);
	char prefix[3]; /* sign, then 0x: %+p has both */
	size_t nprefix = make_prefix(prefix, sp, negative, base, upper, zero);

	size_t zeros = sp->prec >= 0 && (size_t)sp->prec > ndigits ?
	                       (size_t)sp->prec - ndigits : 0;
	/* '#' with octal raises the precision just enough to lead with 0. */
	if ((sp->flags & F_ALT) && base == 8 && zeros == 0 &&
	    (ndigits == 0 || !zero))
		zeros = 1;

	size_t pad = pad_for(sp, nprefix + zeros + ndigits);
	/* '0' pads with zeros after the prefix, unless '-' or a precision
	 * says otherwise. */
	if ((sp->flags & (F_ZERO | F_LEFT)) == F_ZERO && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & F_LEFT))
		put_pad(o, pad);
	put_n(o, prefix, nprefix);
	while (zeros-- > 0)
		put(o, '0');
	put_n(o, end - ndigits, ndigits);
	if (sp->flags & F_LEFT)
		put_pad(o, pad);
}

/* Fetch a signed argument of the spec's length, widened. */
static long long arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z: /* the signed type of size_t's width */
	case LEN_T:
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T: /* the unsigned type of ptrdiff_t's width */
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

static void format_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	long long v = arg_signed(sp, ap);
	/* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
	unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v :
	                                 (unsigned long long)v;

	format_integer(o, sp, mag, v < 0, 10, false);
}

static void format_unsigned(struct out *o, const struct spec *sp, va_list *ap)
{
	/* C defines '+' and ' ' for signed conversions only. */
	struct spec u = *sp;
	unsigned base = sp->conv == 'o' ? 8 : sp->conv == 'u' ? 10 : 16;

	u.flags &= ~(F_PLUS | F_SPACE);
	format_integer(o, &u, arg_unsigned(sp, ap), false, base,
	               sp->conv == 'X');
}

/* %p as glibc writes it: "(nil)" for NULL, else like %#lx (keeping '+'
 * and ' ', which glibc honours here). */
static void format_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
	uintptr_t p = (uintptr_t)va_arg(*ap, void *);
	struct spec ps = *sp;

	if (p == 0) {
		put_field(o, sp, "(nil)", 5);
		return;
	}
	ps.flags |= F_ALT;
	format_integer(o, &ps, p, false, 16, false);
}

static void format_char(struct out *o, const struct spec *sp, va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	put_field(o, sp, &c, 1);
}

/* Read a decimal field width or precision; -1 if it does not fit an int. */
static int parse_count(const char **fmt)
{
	int n = 0;
	bool overflow = false;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		int d = **fmt - '0';
		if (n > (__INT_MAX__ - d) / 10)
			overflow = true;
		else
			n = n * 10 + d;
	}
	return overflow ? -1 : n;
}

static unsigned parse_flags(const char **fmt)
{
	unsigned flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': flags |= F_LEFT; break;
		case '0': flags |= F_ZERO; break;
		case '+': flags |= F_PLUS; break;
		case ' ': flags |= F_SPACE; break;
		case '#': flags |= F_ALT; break;
		default: return flags;
		}
	}
}

static enum length parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length len;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? LEN_HH : LEN_H;
		break;
	case 'l':
		len = f[1] == 'l' ? LEN_LL : LEN_L;
		break;
	case 'z': len = LEN_Z; break;
	case 'j': len = LEN_J; break;
	case 't': len = LEN_T; break;
	default: return LEN_NONE;
	}
	*fmt += len == LEN_HH || len == LEN_LL ? 2 : 1;
	return len;
}

/* Parse the specification after a '%' into sp and leave *fmt on its
 * conversion character. A negative width from '*' means '-'; a negative
 * precision from '*' means none. Returns false if a width or precision
 * does not fit an int. */
static bool parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	sp->flags = parse_flags(fmt);
	if (**fmt == '*') {
		(*fmt)++;
		int w = va_arg(*ap, int);
		if (w < 0) {
			sp->flags |= F_LEFT;
			w = w == -__INT_MAX__ - 1 ? -1 : -w;
		}
		sp->width = w;
	} else {
		sp->width = parse_count(fmt);
	}
	sp->prec = -1;
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			(*fmt)++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;
		} else if ((sp->prec = parse_count(fmt)) < 0) {
			return false;
		}
	}
	sp->length = parse_length(fmt);
	sp->conv = **fmt;
	return sp->width >= 0;
}

/* Write one parsed conversion; false if conv is not one we know. */
static bool format_one(struct out *o, const struct spec *sp, va_list *ap)
{
	switch (sp->conv) {
	case 'd':
	case 'i':
		format_signed(o, sp, ap);
		return true;
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		format_unsigned(o, sp, ap);
		return true;
	case 'p':
		format_pointer(o, sp, ap);
		return true;
	case 's':
		format_string(o, sp, va_arg(*ap, const char *));
		return true;
	case 'c':
		format_char(o, sp, ap);
		return true;
	case '%': /* glibc ignores any width or flags here */
		put(o, '%');
		return true;
	default:
		return false;
	}
}

int ul_vformat(void (*emit)(char c, void *ctx), void *ctx, const char *fmt,
               va_list ap)
{
	struct out o = {emit, ctx, 0};
	va_list args;

	/* A va_list parameter cannot be passed on by address portably; a
	 * copy can. */
	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		const char *start = fmt++;
		struct spec sp;
		if (!parse_spec(&fmt, &sp, &args)) {
			va_end(args);
			return -1; /* like glibc: EOVERFLOW */
		}
		if (format_one(&o, &sp, &args)) {
			fmt++;
		} else {
			/* Unknown or cut short: print it as written. */
			if (*fmt != '\0')
				fmt++;
			put_n(&o, start, (size_t)(fmt - start));
		}
	}
	va_end(args);
	return o.count > __INT_MAX__ ? -1 : (int)o.count;
}

/* ul_vsnprintf's sink: keep what fits, count everything. */
struct buffer_sink {
	char *buf;
	size_t size;
	size_t len;
};

static void buffer_emit(char c, void *ctx)
{
	struct buffer_sink *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

int ul_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink b = {buf, size, 0};
	int n = ul_vformat(buffer_emit, &b, fmt, ap);

	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

int ul_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = ul_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ul_vprintf's sink: gather bytes on the stack and write them in chunks,
 * since on a VM backend every console write is an exit to the host. */
struct console_sink {
	char buf[128];
	size_t len;
};

static void console_emit(char c, void *ctx)
{
	struct console_sink *s = ctx;

	s->buf[s->len++] = c;
	if (s->len == sizeof s->buf) {
		ul_console_write(s->buf, s->len);
		s->len = 0;
	}
}

int ul_vprintf(const char *fmt, va_list ap)
{
	struct console_sink s;

	s.len = 0;
	int n = ul_vformat(console_emit, &s, fmt, ap);
	ul_console_write(s.buf, s.len);
	return n;
}

int ul_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = ul_vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int ul_puts(const char *s)
{
	return ul_printf("%s\n", s);
}
