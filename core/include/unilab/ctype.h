/* Character classes for the "C" locale (ASCII). */
#ifndef UL_CTYPE_H
#define UL_CTYPE_H

int ul_isdigit(int c);
int ul_isxdigit(int c);
int ul_isalpha(int c);
int ul_isalnum(int c);
int ul_isspace(int c);
int ul_isupper(int c);
int ul_islower(int c);
int ul_isprint(int c);
int ul_toupper(int c);
int ul_tolower(int c);

#endif
