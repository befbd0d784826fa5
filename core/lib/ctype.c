/* Character classes of the "C" locale: plain ASCII ranges. Any int is
 * accepted; values outside 0..127 (EOF among them) belong to no class. */
#include <stdbool.h>

#include <unilab/ctype.h>

static bool in_range(int c, int lo, int hi)
{
	return c >= lo && c <= hi;
}

int ul_isdigit(int c)
{
	return in_range(c, '0', '9');
}

int ul_isupper(int c)
{
	return in_range(c, 'A', 'Z');
}

int ul_islower(int c)
{
	return in_range(c, 'a', 'z');
}

int ul_isalpha(int c)
{
	return ul_isupper(c) || ul_islower(c);
}

int ul_isalnum(int c)
{
	return ul_isalpha(c) || ul_isdigit(c);
}

int ul_isxdigit(int c)
{
	return ul_isdigit(c) || in_range(c, 'a', 'f') || in_range(c, 'A', 'F');
}

/* Space, and \t \n \v \f \r, which sit together in ASCII. */
int ul_isspace(int c)
{
	return c == ' ' || in_range(c, '\t', '\r');
}

int ul_isprint(int c)
{
	return in_range(c, ' ', '~');
}

/* Only letters change; anything else, EOF included, comes back as it is. */
int ul_toupper(int c)
{
	return ul_islower(c) ? c - 'a' + 'A' : c;
}

int ul_tolower(int c)
{
	return ul_isupper(c) ? c - 'A' + 'a' : c;
}
