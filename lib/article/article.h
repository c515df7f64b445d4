/*
 * medsearch/article.h - files as people have them -> clean articles cut into
 * passages.
 *
 * One parser per format (plain text, Markdown, HTML) sits behind
 * ms_article_parse(). Each fills the same ms_article: metadata, and passages
 * in file order. A passage is a section (heading plus its text) or, for a long
 * section, a run of whole paragraphs of bounded length.
 *
 * Invariants every parser keeps:
 *  - 0 <= start < end <= len for every passage, passages do not overlap and are
 *    in file order; every word of a passage's text occurs, in order, in the
 *    source bytes [start, end) (in the page's charset, for an HTML page that
 *    declares one other than UTF-8), through its closing punctuation.
 *  - line is the 1-based line number of byte start.
 *  - text is readable plain text (valid UTF-8 as far as the input was, or
 *    decoded from the charset an HTML page declares;
 *    markup, bullet glyphs and link targets removed; paragraphs and list items
 *    separated by '\n'); the section heading is not repeated inside text.
 *  - site chrome (breadcrumbs, bylines, "Related Articles", footers with
 *    addresses, phone numbers and adverts, lines that recur across a site)
 *    never becomes passage text; what was dropped is counted.
 */
#ifndef MEDSEARCH_ARTICLE_H
#define MEDSEARCH_ARTICLE_H

#include <stddef.h>

#include "base/error.h"

typedef enum ms_format { MS_FMT_UNKNOWN = 0, MS_FMT_TEXT, MS_FMT_MARKDOWN, MS_FMT_HTML } ms_format;

/* The section of the paragraphs that close an article after its numbered
 * sections ("In daily life, ..."), whatever heading came before them. */
#define MS_SECTION_CLOSING "Conclusion"

typedef struct ms_passage {
    char *section; /* heading of the section ("" when none) */
    size_t start;  /* byte span [start, end) in the source file */
    size_t end;
    unsigned line; /* 1-based line of start */
    char *text;    /* readable text, NUL-terminated */
    size_t text_len;
} ms_passage;

typedef struct ms_article {
    ms_format format;
    char *title;       /* never NULL after a successful parse ("" if none found) */
    char *id;          /* front matter id, or NULL: the caller derives one */
    char *source;      /* publisher / site, or NULL */
    char *url;         /* or NULL */
    char *date;        /* ISO 8601 (YYYY-MM-DD, or YYYY-MM), or NULL */
    char *date_text;   /* the date as written ("8 Apr 2025"), or NULL */
    char *author;      /* or NULL */
    char *description; /* or NULL */
    char *also_called; /* other names of the subject, comma-separated, or NULL */
    char *tags;        /* comma-separated, or NULL */
    char *lang;        /* the language it says it is in, as written ("fr-FR"), or NULL */
    ms_passage *passages;
    size_t n_passages;
    size_t boiler_lines; /* lines dropped as site chrome */
    size_t boiler_bytes;
} ms_article;

/* Lines that recur across many articles of one site: learned over a corpus,
 * then consulted by the parsers so that such lines are dropped as chrome. */
typedef struct ms_boilerplate ms_boilerplate;

ms_boilerplate *ms_boilerplate_new(void);
void ms_boilerplate_free(ms_boilerplate *bp);
/* Count the distinct lines of one article (raw file bytes) under site. */
void ms_boilerplate_learn(ms_boilerplate *bp, const char *site, const char *data, size_t len,
                          ms_format fmt);
/* Whether line (trimmed by the caller) recurs in enough articles of site
 * to be chrome: in at least 3 articles and at least 20% of the site's. */
int ms_boilerplate_is_repeated(const ms_boilerplate *bp, const char *site, const char *line,
                               size_t len);

typedef struct ms_article_opts {
    size_t passage_max_bytes;     /* split sections longer than this; 0: default */
    const ms_boilerplate *boiler; /* may be NULL */
    const char *site;             /* site key for boiler (e.g. top directory), may be NULL;
                                     an HTML page without a site name has it as source */
    const char *name;             /* the file's name, the title of a file without one;
                                     may be NULL */
} ms_article_opts;

/* Format from a file name's extension (.txt .text, .md .markdown, .html .htm
 * .xhtml), MS_FMT_UNKNOWN otherwise. */
ms_format ms_format_from_path(const char *path);
/* Format from a name: "text", "markdown"/"md", "html"; MS_FMT_UNKNOWN otherwise. */
ms_format ms_format_from_name(const char *name);
const char *ms_format_name(ms_format fmt);

/* Parse data[0..len) as fmt into *out (zeroed first); MS_FMT_UNKNOWN: guess
 * from the content (a leading tag: HTML; front matter or "# " headings:
 * Markdown; else text). Fails (-1, MS_EFORMAT, err without a file name: the
 * caller prefixes it) with "binary file" (NUL bytes in the first 8 KiB),
 * "UTF-16 text is not supported (convert it to UTF-8)" (or UTF-32), or
 * "empty file" (nothing but white space). A file with a title but no body
 * yields one passage holding the title. A UTF-8 BOM is skipped (offsets
 * still count from the start of the file); CRLF line ends work. */
int ms_article_parse(const char *data, size_t len, ms_format fmt, const ms_article_opts *opts,
                     ms_article *out, ms_error *err);
void ms_article_free(ms_article *a);

#endif
