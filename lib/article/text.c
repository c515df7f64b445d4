/*
 * text.c - plain text articles, as people get them by copying a web page.
 *
 * Such a file has no markup, only the shape of its lines. A line is judged
 * by what it looks like and by its neighbours, in four passes:
 *
 *  1. chrome: the shared rules (ms_chrome_mark) drop breadcrumbs, share
 *     bars, adverts, footers and the teaser tail; a line repeated right
 *     after itself is an image caption shown twice.
 *  2. the head: the first line left is the title (unless it reads like a
 *     paragraph); bylines around it ("Nov 28, 2025 Source: X", "Dr. Y")
 *     become metadata.
 *  3. roles: image captions (a photo word, or the title plus a word or two
 *     that name no section), bullets, numbered lines, headings. A heading is
 *     a short line without a final period, not continuing a sentence, and
 *     followed by body text. A numbered line is a section when it is such a
 *     heading ("1. Friction") or "2. Name: text..." with a short name; a
 *     numbered full sentence is a list item.
 *  4. blocks: a line that does not end a sentence and is followed by one
 *     starting in lower case is the same paragraph (hard-wrapped text);
 *     otherwise every line is a paragraph of its own, as in copied web text.
 *
 * Articles that number their sections often close with a paragraph for the
 * whole article after the last one ("In daily life, ..."). When every
 * numbered section but the last holds one block and the last holds more,
 * the extra blocks belong to none of them: they are the article's closing
 * part, labelled MS_SECTION_CLOSING whatever heading came before the list.
 */
#include "article/text.h"

#include <stdlib.h>
#include <string.h>

#include "article/byline.h"
#include "article/chrome.h"
#include "article/textutil.h"
#include "base/util.h"

typedef enum role { R_BODY, R_ITEM, R_HEAD, R_NUMHEAD, R_TITLE, R_BYLINE, R_DROP } role;

typedef struct tline {
    size_t s, e; /* content, trimmed */
    bool gap;    /* a blank line comes before it */
    role role;
    size_t head_e; /* R_NUMHEAD: the heading ends here (at the colon, or e) */
    size_t body_s; /* R_NUMHEAD: its own body starts here (e if none) */
} tline;

/* The words of s in lower case, one at a time: *i advances. */
static bool next_word(const char *s, size_t n, size_t *i, char *w, size_t cap)
{
    while (*i < n && !ms_is_alnum((unsigned char)s[*i]) && (unsigned char)s[*i] < 0x80)
        (*i)++;
    if (*i >= n)
        return false;
    size_t k = 0;
    while (*i < n && (ms_is_alnum((unsigned char)s[*i]) || (unsigned char)s[*i] >= 0x80)) {
        if (k + 1 < cap)
            w[k++] = (char)ms_lower((unsigned char)s[*i]);
        (*i)++;
    }
    w[k] = '\0';
    return true;
}

/* Words that say a short line is a section heading, not a picture's name. */
static const char *const SECTION_WORDS[] = {
    "symptoms",
    "symptom",
    "signs",
    "sign",
    "causes",
    "cause",
    "treatment",
    "treatments",
    "treating",
    "therapy",
    "therapies",
    "diagnosis",
    "diagnosing",
    "prevention",
    "preventing",
    "risk",
    "risks",
    "overview",
    "types",
    "type",
    "complications",
    "outlook",
    "prognosis",
    "definition",
    "introduction",
    "care",
    "management",
    "tests",
    "test",
    "testing",
    "medications",
    "medication",
    "medicines",
    "drugs",
    "surgery",
    "faq",
    "faqs",
    "facts",
    "statistics",
    "stages",
    "stage",
    "remedies",
    "diet",
    "summary",
    "conclusion",
    "basics",
    "research",
    "support",
    "living",
    "prevalence",
    "genetics",
    /* function words: "Eczema in babies" is a heading */
    "in",
    "of",
    "and",
    "or",
    "for",
    "with",
    "the",
    "a",
    "an",
    "to",
    "on",
    "at",
    "by",
    "vs",
    "versus",
    "from",
    "during",
    "after",
    "before",
    "without",
    "what",
    "why",
    "how",
    "when",
    "who",
    "is",
    "are",
    "can",
    "does",
    "do",
    "your",
    "my",
};

static const char *const PHOTO_WORDS[] = {"photo",   "photos",  "photograph", "image",
                                          "images",  "picture", "pictures",   "illustration",
                                          "gallery", "pic",     "pics"};

/* An image's caption or alt text left in the copied text. */
static bool is_caption(const char *s, size_t n, const char *title)
{
    if (ms_count_words(s, n) > 12 || ms_ends_terminal(s, n))
        return false;
    char w[32];
    size_t i = 0;
    while (next_word(s, n, &i, w, sizeof w))
        if (MS_WORD_IN(PHOTO_WORDS, w, strlen(w)))
            return true;
    size_t tn = strlen(title);
    if (!tn || n <= tn + 1 || !ms_prefix_ci(s, n, title) || s[tn] != ' ')
        return false;
    size_t extra = 0;
    for (i = tn; next_word(s, n, &i, w, sizeof w); extra++)
        if (MS_WORD_IN(SECTION_WORDS, w, strlen(w)))
            return false;
    return extra >= 1 && extra <= 3;
}

static bool heading_like(const char *s, size_t n)
{
    if (!n || ms_count_chars(s, n) > 80 || ms_count_words(s, n) > 12)
        return false;
    if (ms_starts_lower(s, n) || ms_bullet_len(s, n) || s[n - 1] == ',')
        return false;
    if (ms_ends_terminal(s, n) && s[n - 1] != '?')
        return false;
    return ms_has_word_char(s, n);
}

static bool body_like(const char *s, size_t n)
{
    if (ms_bullet_len(s, n) || ms_number_len(s, n))
        return true;
    if (ms_starts_lower(s, n))
        return false;
    return ms_count_chars(s, n) > 80 || ms_ends_terminal(s, n) || ms_count_words(s, n) >= 10;
}

static bool title_like(const char *s, size_t n)
{
    if (ms_count_chars(s, n) > 200 || ms_bullet_len(s, n) || ms_number_len(s, n))
        return false;
    return (s[n - 1] != '.' || ms_count_words(s, n) <= 12) && ms_has_word_char(s, n);
}

/* Next line after i that survived the chrome rules, or n. */
static size_t next_kept(const tline *t, size_t n, size_t i)
{
    for (i++; i < n && t[i].role == R_DROP; i++)
        ;
    return i;
}

/* Classify a numbered line: section heading, or list item. */
static void classify_numbered(const char *d, tline *t, size_t n, size_t i)
{
    tline *l = &t[i];
    size_t r = l->s + ms_number_len(d + l->s, l->e - l->s);
    const char *colon = memchr(d + r, ':', l->e - r);
    if (colon) {
        size_t c = (size_t)(colon - d), b = c + 1;
        while (b < l->e && d[b] == ' ')
            b++;
        if (b > c + 1 && l->e - b >= 20 && ms_count_chars(d + r, c - r) <= 60 &&
            ms_count_words(d + r, c - r) <= 8 && heading_like(d + r, c - r) &&
            !memchr(d + r, '.', c - r)) {
            l->role = R_NUMHEAD;
            l->head_e = c;
            l->body_s = b;
            return;
        }
    }
    size_t j = next_kept(t, n, i);
    if (heading_like(d + r, l->e - r) && j < n && body_like(d + t[j].s, t[j].e - t[j].s) &&
        !ms_number_len(d + t[j].s, t[j].e - t[j].s)) {
        l->role = R_NUMHEAD;
        l->head_e = l->e;
        l->body_s = l->e;
        return;
    }
    l->role = R_ITEM;
}

/* Numbered sections in a row, for the closing-paragraph rule. */
typedef struct numrun {
    size_t count;  /* numbered headings so far */
    size_t last;   /* block index of the last one */
    size_t bodies; /* body blocks under the last one */
    bool single;   /* every earlier one held exactly one body block */
} numrun;

static void run_close(ms_doc *d, numrun *r)
{
    if (r->count >= 2 && r->single && r->bodies > 1)
        for (size_t k = r->last + 2; k < d->n; k++)
            d->b[k].sec = MS_SEC_CLOSING;
    r->count = 0;
    r->bodies = 0;
    r->single = true;
}

typedef struct emitter {
    ms_doc *d;
    ms_sbuf text;
    bool open;
    ms_blk_kind kind;
    size_t s, e;   /* span of the open block */
    size_t last_s; /* last line of the open block */
    numrun run;
} emitter;

static int flush(emitter *m)
{
    if (!m->open)
        return 0;
    m->open = false;
    size_t before = m->d->n;
    if (ms_doc_add(m->d, m->kind, &m->text, m->s, m->e, true))
        return -1;
    if (m->d->n > before && m->run.count)
        m->run.bodies++;
    return 0;
}

static int start_block(emitter *m, ms_blk_kind kind, const char *d, size_t s, size_t e,
                       size_t text_s)
{
    if (flush(m))
        return -1;
    m->open = true;
    m->kind = kind;
    m->s = s;
    m->e = e;
    m->last_s = s;
    ms_text_put(&m->text, d + text_s, e - text_s);
    return 0;
}

/* A heading at [s, e) of the line [s, line_e), its text [text_s, text_e). */
static int add_heading(emitter *m, const char *d, size_t s, size_t e, size_t line_e, size_t text_s,
                       size_t text_e, bool numbered)
{
    if (flush(m))
        return -1;
    if (numbered) {
        if (m->run.count && m->run.bodies != 1)
            m->run.single = false;
    } else {
        run_close(m->d, &m->run);
    }
    ms_text_put(&m->text, d + text_s, text_e - text_s);
    /* A colon heading's text ends before the colon; its span does too. */
    size_t before = m->d->n;
    if (ms_doc_add(m->d, MS_BLK_HEADING, &m->text, s, e, true))
        return -1;
    ms_doc_mark_repeated(m->d, before, d + s, line_e - s);
    if (m->d->n > before) {
        if (numbered) {
            m->run.count++;
            m->run.last = m->d->n - 1;
            m->run.bodies = 0;
        }
    }
    return 0;
}

static int emit(ms_doc *d, tline *t, size_t n)
{
    const char *data = d->data;
    emitter m = {.d = d, .run = {.single = true}};
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        tline *l = &t[i];
        const char *s = data + l->s;
        size_t len = l->e - l->s;
        switch (l->role) {
        case R_DROP:
        case R_BYLINE:
            ms_doc_drop(d, len);
            rc = flush(&m);
            break;
        case R_TITLE:
            rc = flush(&m);
            break;
        case R_HEAD:
            rc = add_heading(&m, data, l->s, l->e, l->e, l->s, l->e, false);
            break;
        case R_NUMHEAD: {
            size_t hs = l->s + ms_number_len(s, len);
            rc = add_heading(&m, data, l->s, l->head_e, l->e, hs, l->head_e, true);
            if (!rc && l->body_s < l->e)
                rc = start_block(&m, MS_BLK_PARA, data, l->body_s, l->e, l->body_s);
            break;
        }
        case R_ITEM:
        case R_BODY: {
            /* A line the site repeats is a block of its own, for
             * ms_doc_drop_repeated to drop. */
            bool rep = ms_doc_repeated(d, s, len);
            /* A line that does not end its sentence, followed by one that
             * starts in lower case: the same paragraph, hard-wrapped. */
            if (!rep && l->role == R_BODY && m.open && !l->gap && ms_starts_lower(s, len) &&
                !ms_ends_terminal(data + m.last_s, m.e - m.last_s)) {
                ms_sb_put(&m.text, " ", 1);
                ms_text_put(&m.text, s, len);
                m.e = l->e;
                m.last_s = l->s;
                break;
            }
            size_t skip = 0;
            if (l->role == R_ITEM) {
                skip = ms_bullet_len(s, len);
                if (!skip)
                    skip = ms_number_len(s, len);
            }
            rc = start_block(&m, l->role == R_ITEM ? MS_BLK_ITEM : MS_BLK_PARA, data, l->s, l->e,
                             l->s + skip);
            if (!rc && rep) {
                size_t before = d->n;
                rc = flush(&m);
                if (d->n > before)
                    d->b[d->n - 1].repeated = true;
            }
            break;
        }
        }
    }
    if (!rc)
        rc = flush(&m);
    if (!rc)
        run_close(d, &m.run);
    free(m.text.p);
    return rc;
}

int ms_parse_text(ms_doc *d)
{
    const char *data = d->data;
    tline *t = NULL;
    ms_unit *u = NULL;
    size_t n = 0, cap = 0, pos = d->body;
    bool gap = true;
    int rc = -1;
    ms_line ln;
    while (ms_line_next(data, d->len, &pos, &ln)) {
        if (ln.start == ln.end) {
            gap = true;
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            tline *nt = realloc(t, nc * sizeof *nt);
            if (!nt)
                goto out;
            t = nt;
            cap = nc;
        }
        t[n++] = (tline){.s = ln.start, .e = ln.end, .gap = gap, .role = R_BODY};
        gap = false;
    }
    if (n && !(u = calloc(n, sizeof *u)))
        goto out;

    /* 1. chrome */
    for (size_t i = 0; i < n; i++)
        u[i] = (ms_unit){data + t[i].s, t[i].e - t[i].s, t[i].gap, false};
    ms_chrome_mark(u, n);
    size_t prev = n;
    for (size_t i = 0; i < n; i++) {
        size_t len = t[i].e - t[i].s;
        if (u[i].drop) {
            t[i].role = R_DROP;
            continue;
        }
        if (prev < n && t[prev].e - t[prev].s == len &&
            memcmp(data + t[prev].s, data + t[i].s, len) == 0 &&
            !ms_ends_terminal(data + t[i].s, len))
            t[i].role = R_DROP;
        else
            prev = i;
    }

    /* 2. title and bylines */
    size_t i = 0, head_lines = 0;
    bool titled = false;
    for (; i < n && head_lines < 8; i++) {
        const char *s = data + t[i].s;
        size_t len = t[i].e - t[i].s;
        if (t[i].role == R_DROP) {
            /* chrome by its looks ("Published: 2025-11-28"): its date,
             * source or author are still the article's */
            ms_byline(d->a, s, len);
            continue;
        }
        head_lines++;
        if (ms_byline(d->a, s, len)) {
            t[i].role = R_BYLINE;
            continue;
        }
        if (titled || !title_like(s, len))
            break;
        t[i].role = R_TITLE;
        ms_set_field(&d->a->title, s, len, false);
        d->title_start = t[i].s;
        d->title_end = t[i].e;
        d->title_exact = true;
        titled = true;
    }
    const char *title = d->a->title ? d->a->title : "";

    /* 3. roles */
    for (i = 0; i < n; i++)
        if (t[i].role == R_BODY && is_caption(data + t[i].s, t[i].e - t[i].s, title))
            t[i].role = R_DROP;
    size_t last = n; /* previous line kept */
    for (i = 0; i < n; i++) {
        tline *l = &t[i];
        if (l->role == R_DROP)
            continue;
        const char *s = data + l->s;
        size_t len = l->e - l->s;
        if (l->role == R_BODY) {
            if (ms_bullet_len(s, len)) {
                l->role = R_ITEM;
            } else if (ms_number_len(s, len)) {
                classify_numbered(data, t, n, i);
            } else if (heading_like(s, len)) {
                const tline *p = last < n ? &t[last] : NULL;
                bool closed =
                    !p || l->gap || p->role != R_BODY || ms_ends_terminal(data + p->s, p->e - p->s);
                size_t j = next_kept(t, n, i);
                if (closed && j < n && body_like(data + t[j].s, t[j].e - t[j].s))
                    l->role = R_HEAD;
            }
        }
        last = i;
    }

    /* 4. blocks */
    rc = emit(d, t, n);
out:
    free(t);
    free(u);
    return rc;
}
