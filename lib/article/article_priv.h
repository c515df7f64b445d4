/*
 * article_priv.h - what the three article parsers (text.c, markdown.c,
 * html.c), the boilerplate learner and article.c share.
 *
 * Every parser turns the file into a flat list of blocks (headings,
 * paragraphs, list items) in file order, each with its cleaned text and the
 * bytes of the source it came from, and fills the metadata. ms_doc_finish()
 * then does the part that is the same for all formats: sections, passages of
 * bounded size, byte spans and line numbers.
 */
#ifndef MEDSEARCH_ARTICLE_PRIV_H
#define MEDSEARCH_ARTICLE_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "medsearch/article.h"

/* Passage bound when the caller passes 0. MedQuAD answers (one "##" section
 * each) have a median of 880 bytes and a 90th percentile of 2,400: at 2,000
 * bytes 85% of them stay whole, and the long ones (lists of symptoms or
 * resources, up to 27 KB) become parts of about 300 words. */
#define MS_PASSAGE_MAX_DEFAULT 2000
/* Smallest bound honoured: below it a sentence would be cut into shreds. */
#define MS_PASSAGE_MAX_MIN 64

/* ---- growable string ---------------------------------------------------- */

typedef struct ms_buf {
    char *p; /* NUL-terminated once anything was put */
    size_t n, cap;
    bool oom; /* an allocation failed: content is incomplete */
} ms_buf;

void ms_buf_free(ms_buf *b);
void ms_buf_put(ms_buf *b, const char *s, size_t n);
void ms_buf_putc(ms_buf *b, char c);
/* Bytes of the white-space character at s[0..n), or 0: ASCII white space
 * and control characters, and the Unicode spaces that pasted web text is
 * full of (no-break, en/em/thin, zero-width, ideographic, a stray BOM). */
size_t ms_space_at(const unsigned char *s, size_t n);
/* Append s as running text: control characters and no-break spaces become
 * spaces, runs of spaces collapse, and no space starts a line. */
void ms_buf_put_text(ms_buf *b, const char *s, size_t n);
/* Drop trailing spaces and newlines. */
void ms_buf_trim(ms_buf *b);

/* ---- lines --------------------------------------------------------------- */

typedef struct ms_line {
    size_t start, end; /* content, white space (and \r) trimmed both sides */
    size_t raw;        /* first byte of the line */
    size_t next;       /* first byte of the next line */
} ms_line;

/* Next line from *pos (advanced); false at the end of data. */
bool ms_line_next(const char *data, size_t len, size_t *pos, ms_line *ln);

/* ---- small text helpers --------------------------------------------------- */

bool ms_is_space(unsigned char c);
bool ms_is_alnum(unsigned char c);
size_t ms_count_words(const char *s, size_t n);
/* min(ms_count_words(s, n), max): the count stops there, so that a rule
 * about short lines does not read a whole paragraph. */
size_t ms_count_words_upto(const char *s, size_t n, size_t max);
/* UTF-8 characters (bytes that do not continue a sequence). */
size_t ms_count_chars(const char *s, size_t n);
/* Whether s ends a sentence or a clause: . ! ? : ; (before closing quotes
 * or brackets). */
bool ms_ends_terminal(const char *s, size_t n);
bool ms_starts_lower(const char *s, size_t n);
bool ms_has_word_char(const char *s, size_t n);
bool ms_prefix_ci(const char *s, size_t n, const char *prefix);
bool ms_equal_ci(const char *a, size_t an, const char *b, size_t bn);
/* Length of a leading bullet glyph and the space after it, 0 if none. */
size_t ms_bullet_len(const char *s, size_t n);
/* Length of a leading "12. " or "3) " list number, 0 if none. */
size_t ms_number_len(const char *s, size_t n);

/* Replace *field by a cleaned copy of s (white space collapsed, surrounding
 * quotes removed) unless keep_old and *field is set. -1 when out of memory. */
int ms_set_field(char **field, const char *s, size_t n, bool keep_old);

/* ---- chrome ------------------------------------------------------------------ */

typedef enum ms_chrome {
    MS_CHROME_NO = 0,
    MS_CHROME_LINE,    /* navigation, share bars, "read more", bylines... */
    MS_CHROME_CONTACT, /* phone, e-mail, street address, opening hours */
    MS_CHROME_ADVERT,  /* "Consultation online", "Book now!" */
    MS_CHROME_TAIL     /* "Related articles": the rest of the page is teasers */
} ms_chrome;

ms_chrome ms_chrome_line(const char *s, size_t n);

/* One line (text) or block (Markdown, HTML) as seen by the chrome rules. */
typedef struct ms_unit {
    const char *s;
    size_t n;
    bool gap_before; /* a blank line or a block boundary precedes it */
    bool drop;       /* set by ms_chrome_mark */
} ms_unit;

/* Apply the chrome rules to a page: single lines, the tail after a
 * "related articles" heading, footer blocks of contact lines, and
 * exclamatory lead-ins to adverts. */
void ms_chrome_mark(ms_unit *u, size_t n);

/* Byline: a date, "Source: X", "By X", "Dr. X" line near the top. Fills the
 * article's date/source/author (first one found wins) and returns 1 when the
 * line is a byline, 0 when not, -1 when out of memory. */
int ms_byline(ms_article *a, const char *s, size_t n);

/* ---- the document being built ---------------------------------------------- */

typedef enum ms_blk_kind { MS_BLK_PARA, MS_BLK_ITEM, MS_BLK_HEADING } ms_blk_kind;

/* Section of a body block: the index of its heading block, or one of these. */
#define MS_SEC_AUTO ((size_t)-1) /* the last heading before it */
#define MS_SEC_NONE ((size_t)-2) /* no heading: section "" */

typedef struct ms_block {
    ms_blk_kind kind;
    bool exact; /* [start, end) is the block's source; else bounds to search in */
    char *text; /* owned, NUL-terminated */
    size_t len;
    size_t start, end;
    size_t sec;
    bool repeated; /* the site's boilerplate has it (see ms_doc_finish) */
} ms_block;

typedef struct ms_doc {
    const char *data; /* the whole file */
    size_t len;
    size_t body; /* first byte after a UTF-8 BOM */
    const ms_article_opts *opts;
    ms_article *a;
    ms_block *b;
    size_t n, cap;
    /* where the title came from, for the passage of a title-only file */
    size_t title_start, title_end;
    bool title_exact;
    const char *refused; /* why the parser would not read the file, or NULL */
} ms_doc;

/* Append a block taking ownership of buf's content (buf is emptied); text
 * without any letter or digit is dropped as decoration and counted as chrome.
 * -1 when out of memory. */
int ms_doc_add(ms_doc *d, ms_blk_kind kind, ms_buf *buf, size_t start, size_t end, bool exact);
void ms_doc_free_blocks(ms_doc *d);
/* Count a dropped line of n bytes as chrome. */
void ms_doc_drop(ms_doc *d, size_t n);
/* Whether the site's boilerplate says this (trimmed) line is chrome. */
bool ms_doc_repeated(const ms_doc *d, const char *s, size_t n);
/* Mark the last block added as repeated when it is: parsers call it right
 * after ms_doc_add with the line the learner counted. */
void ms_doc_mark_repeated(ms_doc *d, size_t before, const char *s, size_t n);
/* Run the chrome rules over the blocks (Markdown, HTML): drops and counts.
 * bylines: take bylines before the first paragraph as metadata. */
void ms_doc_drop_chrome(ms_doc *d, bool bylines);
/* Blocks -> passages in d->a: repeated blocks dropped, sections cut into
 * passages, spans found. -1 when out of memory. */
int ms_doc_finish(ms_doc *d);

/* ---- parsers ----------------------------------------------------------------- */

int ms_parse_text(ms_doc *d);
int ms_parse_markdown(ms_doc *d);
int ms_parse_html(ms_doc *d);
/* The HTML parser's raw blocks, before any chrome rule: what the boilerplate
 * learner counts, so that it sees the same lines the parser will ask about. */
int ms_html_blocks(ms_doc *d);

#endif
