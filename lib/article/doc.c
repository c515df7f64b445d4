/*
 * doc.c - the document being built: the blocks the parsers write.
 *
 * Every parser turns its file into a flat list of blocks (headings,
 * paragraphs, list items) in file order, each with its cleaned text and
 * the bytes of the source it came from (exactly, or bounds to search the
 * words in), and fills the article's metadata. The two filters all formats
 * share run over those blocks here: the chrome rules (chrome.c, and the
 * bylines of byline.c as metadata) and the lines the site repeats
 * (boilerplate.c). What is dropped is counted in the article. passages.c
 * then turns the blocks that are left into passages.
 */
#include "article/doc.h"

#include <stdlib.h>
#include <string.h>

#include "article/boilerplate.h"
#include "article/byline.h"
#include "article/chrome.h"
#include "article/textutil.h"

void ms_doc_drop(ms_doc *d, size_t n)
{
    d->a->boiler_lines++;
    d->a->boiler_bytes += n;
}

bool ms_doc_repeated(const ms_doc *d, const char *s, size_t n)
{
    const ms_article_opts *o = d->opts;
    return o && o->boiler && ms_boilerplate_is_repeated(o->boiler, o->site ? o->site : "", s, n);
}

int ms_doc_add(ms_doc *d, ms_blk_kind kind, ms_sbuf *buf, size_t start, size_t end, bool exact)
{
    ms_text_trim(buf);
    if (!buf->n || !ms_has_word_char(buf->p, buf->n)) {
        if (buf->n)
            ms_doc_drop(d, buf->n);
        buf->n = 0;
        if (buf->p)
            buf->p[0] = '\0';
        return 0;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 32;
        ms_block *b = realloc(d->b, cap * sizeof *b);
        if (!b)
            return -1;
        d->b = b;
        d->cap = cap;
    }
    ms_block *b = &d->b[d->n++];
    b->kind = kind;
    b->exact = exact;
    b->text = buf->p;
    b->len = buf->n;
    b->start = start;
    b->end = end;
    b->sec = MS_SEC_AUTO;
    b->repeated = false;
    memset(buf, 0, sizeof *buf);
    return 0;
}

void ms_doc_mark_repeated(ms_doc *d, size_t before, const char *s, size_t n)
{
    if (d->n > before && ms_doc_repeated(d, s, n))
        d->b[d->n - 1].repeated = true;
}

/* Drop the blocks the site repeats, except where that would empty a section
 * whose own heading is not repeated: a site that shares whole passages
 * between its articles (standard paragraphs on clinical trials under "What
 * research is being done for colon cancer?") shares content, not chrome.
 * Without a heading, or under a heading the site repeats too ("Consult a
 * dermatologist online"), repeated blocks are chrome. */
void ms_doc_drop_repeated(ms_doc *d)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n;) {
        size_t z = i + (d->b[i].kind == MS_BLK_HEADING);
        bool all = z > i && !d->b[i].repeated;
        for (; z < d->n && d->b[z].kind != MS_BLK_HEADING; z++)
            all = all && d->b[z].repeated;
        if (z == i + 1)
            all = false; /* a heading alone: nothing to keep */
        for (; i < z; i++) {
            ms_block *b = &d->b[i];
            if (b->repeated && b->kind != MS_BLK_HEADING && !all) {
                ms_doc_drop(d, b->len);
                free(b->text);
            } else {
                d->b[k++] = *b;
            }
        }
    }
    d->n = k;
}

void ms_doc_free_blocks(ms_doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->b[i].text);
    free(d->b);
    d->b = NULL;
    d->n = d->cap = 0;
}

void ms_doc_drop_chrome(ms_doc *d, bool bylines)
{
    if (!d->n)
        return;
    /* Bylines sit between the title and the first paragraph of prose. */
    bool *gone = calloc(d->n, sizeof *gone);
    ms_unit *u = calloc(d->n, sizeof *u);
    if (!gone || !u) {
        /* Without scratch memory the page is kept whole: chrome in an
         * index is a nuisance, a failed parse of a good page is worse. */
        free(gone);
        free(u);
        return;
    }
    for (size_t i = 0; bylines && i < d->n && i < 8; i++) {
        ms_block *b = &d->b[i];
        if (b->kind == MS_BLK_PARA && ms_count_words(b->text, b->len) >= 8 &&
            ms_ends_terminal(b->text, b->len))
            break;
        if (b->kind != MS_BLK_HEADING && ms_byline(d->a, b->text, b->len))
            gone[i] = true;
    }
    for (size_t i = 0; i < d->n; i++) {
        u[i].s = d->b[i].text;
        u[i].n = d->b[i].len;
        /* Blocks are lines of their own; only a heading separates groups. */
        u[i].gap_before =
            i == 0 || d->b[i].kind == MS_BLK_HEADING || d->b[i - 1].kind == MS_BLK_HEADING;
    }
    ms_chrome_mark(u, d->n);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        ms_block *b = &d->b[i];
        if (gone[i] || u[i].drop) {
            ms_doc_drop(d, b->len);
            free(b->text);
        } else {
            d->b[k++] = *b;
        }
    }
    d->n = k;
    free(gone);
    free(u);
}
