/*
 * textutil.h - the text helpers every part of the article reader shares:
 * cleaning text into an ms_sbuf, lines, words, bullets and list numbers,
 * case-insensitive comparisons, metadata fields.
 */
#ifndef MEDSEARCH_ARTICLE_TEXTUTIL_H
#define MEDSEARCH_ARTICLE_TEXTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

/* ---- running text -------------------------------------------------------- */

/* Text is gathered in an ms_sbuf (base/util.h). ms_text_put and
 * ms_text_trim keep it NUL-terminated; ms_sb_put does not. */

/* Append s as running text: control characters and no-break spaces become
 * spaces, runs of spaces collapse, and no space starts a line. */
void ms_text_put(ms_sbuf *b, const char *s, size_t n);
/* Drop trailing spaces and newlines. */
void ms_text_trim(ms_sbuf *b);

/* ---- lines --------------------------------------------------------------- */

typedef struct ms_line {
    size_t start, end; /* content, white space (and \r) trimmed both sides */
    size_t raw;        /* first byte of the line */
    size_t next;       /* first byte of the next line */
} ms_line;

/* Next line from *pos (advanced); false at the end of data. */
bool ms_line_next(const char *data, size_t len, size_t *pos, ms_line *ln);

/* ---- small text helpers --------------------------------------------------- */

static inline unsigned char ms_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* ASCII white space: space, tab, line feed, vertical tab, form feed, CR. */
static inline bool ms_is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool ms_is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

size_t ms_count_words(const char *s, size_t n);
/* min(ms_count_words(s, n), max): the count stops there, so that a rule
 * about short lines does not read a whole paragraph. */
size_t ms_count_words_upto(const char *s, size_t n, size_t max);
/* UTF-8 characters (bytes that do not continue a sequence). */
size_t ms_count_chars(const char *s, size_t n);
/* Whether the UTF-8 sequence at s (n bytes left) is a letter or digit of
 * some script, as opposed to punctuation and symbols: U+0080-U+00BF (©, «,
 * ·) and U+2000-U+2BFF (dashes, quotes, bullets, arrows, box drawing) are
 * not. Invalid bytes count as letters: the analyzer decides about them. */
bool ms_utf8_is_letter(const unsigned char *s, size_t n);
/* Whether s ends a sentence or a clause: . ! ? : ; (before closing quotes
 * or brackets). */
bool ms_ends_terminal(const char *s, size_t n);
bool ms_starts_lower(const char *s, size_t n);
bool ms_has_word_char(const char *s, size_t n);
bool ms_prefix_ci(const char *s, size_t n, const char *prefix);
bool ms_equal_ci(const char *a, size_t an, const char *b, size_t bn);
/* Where needle first occurs in s[0..n), ASCII letters folded; NULL if not. */
const char *ms_find_ci(const char *s, size_t n, const char *needle);
/* Length of a leading bullet glyph and the space after it, 0 if none. */
size_t ms_bullet_len(const char *s, size_t n);
/* Length of a leading "12. " or "3) " list number, 0 if none. */
size_t ms_number_len(const char *s, size_t n);

/* Replace *field by a cleaned copy of s (white space collapsed, surrounding
 * quotes removed) unless keep_old and *field is set. */
void ms_set_field(char **field, const char *s, size_t n, bool keep_old);

#endif
