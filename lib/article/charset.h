/*
 * charset.h - the character set a saved web page says it is written in.
 *
 * Pages saved from older sites are often in iso-8859-1 or windows-1252 and
 * say so in an XML declaration, a <meta charset> or an http-equiv
 * Content-Type. The HTML reader hands that name to libxml2, which decodes
 * the page to UTF-8; the byte spans stay offsets into the file as it is on
 * disk, so passages.c encodes the words it looks for back into the page's
 * charset.
 */
#ifndef MEDSEARCH_ARTICLE_CHARSET_H
#define MEDSEARCH_ARTICLE_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

/* The charset declared in the head of the page s[0..n) when it is not
 * UTF-8 (nor US-ASCII, a subset of it): its name in name (at most cap
 * bytes), iso-8859-1 and latin1 given as windows-1252, which is what
 * browsers read them as. false when the page declares none, UTF-8, or a
 * name longer than cap. */
bool ms_html_charset(const char *s, size_t n, char *name, size_t cap);

/* s[0..n) decoded from charset to UTF-8 (malloc'd, *out_n bytes, line
 * feeds where s has them), a byte the charset does not define as U+FFFD.
 * NULL when iconv does not know the charset, or out of memory. */
char *ms_charset_decode(const char *charset, const char *s, size_t n, size_t *out_n);

#endif
