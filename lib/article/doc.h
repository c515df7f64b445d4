/*
 * doc.h - the document being built: the blocks the parsers write, and the
 * filters all formats share (chrome rules, the site's repeated lines).
 *
 * Every parser turns the file into a flat list of blocks (headings,
 * paragraphs, list items) in file order, each with its cleaned text and the
 * bytes of the source it came from, and fills the metadata.
 * ms_passages_build() (passages.h) then does the part that is the same for
 * all formats: sections, passages of bounded size, byte spans and line
 * numbers.
 */
#ifndef MEDSEARCH_ARTICLE_DOC_H
#define MEDSEARCH_ARTICLE_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "article/article.h"
#include "article/textutil.h"

typedef enum ms_blk_kind { MS_BLK_PARA, MS_BLK_ITEM, MS_BLK_HEADING } ms_blk_kind;

/* Section of a body block: the index of its heading block, or one of these. */
#define MS_SEC_AUTO ((size_t)-1) /* the last heading before it */
#define MS_SEC_NONE ((size_t)-2) /* no heading: section "" */
/* The paragraphs that close an article after its numbered sections ("In
 * daily life, ..."): they belong to none of them (MS_SECTION_CLOSING). */
#define MS_SEC_CLOSING ((size_t)-3)

typedef struct ms_block {
    ms_blk_kind kind;
    bool exact; /* [start, end) is the block's source; else bounds to search in */
    char *text; /* owned, NUL-terminated */
    size_t len;
    size_t start, end;
    size_t sec;
    bool repeated; /* the site's boilerplate has it (see ms_doc_drop_repeated) */
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
    char charset[40];    /* the page's declared charset when not UTF-8, else "" */
    char date_meta[64];  /* the metadata's text of the date it gave, else "" */
} ms_doc;

/* Append a block taking ownership of buf's content (buf is emptied); text
 * without any letter or digit is dropped as decoration and counted as chrome.
 * -1 when out of memory. */
int ms_doc_add(ms_doc *d, ms_blk_kind kind, ms_sbuf *buf, size_t start, size_t end, bool exact);
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
/* Drop the blocks marked repeated, except where that would empty a section
 * whose own heading is not repeated. */
void ms_doc_drop_repeated(ms_doc *d);

#endif
