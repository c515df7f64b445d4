/*
 * passages.c - blocks -> passages, with their byte spans and line numbers.
 *
 * A passage is a section (heading plus its text) or, for a long section, a
 * run of whole blocks of at most passage_max_bytes, balanced so that a
 * long section does not end in a stub; a single paragraph longer than the
 * bound is cut at sentence ends first.
 *
 * Byte spans: text and Markdown blocks know their exact source bytes.
 * HTML blocks (libxml2 gives line numbers, not offsets) and pieces of a
 * cut paragraph only know bounds, so their words are searched for in the
 * source, in order, from the end of the previous passage: a word is found
 * within a 16 KiB window, or beyond it while a budget proportional to the
 * file lasts, so a page full of words that cannot be found (entities)
 * still costs linear time. A page decoded from another charset (html.c)
 * has its words other than ASCII encoded back into that charset to be
 * found. Line numbers are counted from the spans.
 */
#include "article/passages.h"

#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "article/textutil.h"

/* ---- locating words in the source ------------------------------------------------- */

#define LOC_WINDOW 16384

typedef struct locator {
    const char *data;
    size_t len;
    size_t cur;    /* words are searched from here */
    size_t floor;  /* where the previous passage ended */
    size_t s, e;   /* span found so far; s == SIZE_MAX: nothing yet */
    size_t budget; /* bytes left for searches past the window */
    /* the first word found (unless an exact block came first) and where
     * the next one was found, to pull the start forward (locate_start) */
    const char *first;
    size_t first_n, second;
    unsigned first_edges;
    iconv_t cv;         /* UTF-8 -> the page's charset, or (iconv_t)-1 */
    char first_enc[64]; /* the first word when it was encoded */
} locator;

/* Start a passage: nothing found yet, nothing before the previous end. */
static void locate_reset(locator *L)
{
    L->s = L->second = SIZE_MAX;
    L->e = 0;
    L->first = NULL;
    L->floor = L->cur;
}

/* How a word must sit in the source: as a whole ASCII word (ASCII_WORD),
 * unless the text was cut inside a word, which then may go on to the left
 * (OPEN_LEFT) or right (OPEN_RIGHT). */
enum { ASCII_WORD = 1, OPEN_LEFT = 2, OPEN_RIGHT = 4 };

static bool word_at(const locator *L, size_t at, const char *w, size_t wn, unsigned edges)
{
    const char *d = L->data;
    if (d[at] != w[0] || memcmp(d + at, w, wn) != 0)
        return false;
    if (!(edges & ASCII_WORD))
        return true;
    return (edges & OPEN_LEFT || at == 0 || !ms_is_alnum((unsigned char)d[at - 1])) &&
           (edges & OPEN_RIGHT || at + wn >= L->len || !ms_is_alnum((unsigned char)d[at + wn]));
}

/* First occurrence of w in data[from, to). */
static size_t find_word(const locator *L, size_t from, size_t to, const char *w, size_t wn,
                        unsigned edges)
{
    while (from < to && to - from >= wn) {
        const char *p = memchr(L->data + from, w[0], to - from - wn + 1);
        if (!p)
            return SIZE_MAX;
        size_t at = (size_t)(p - L->data);
        if (word_at(L, at, w, wn, edges))
            return at;
        from = at + 1;
    }
    return SIZE_MAX;
}

/* Last occurrence of w in data[from, to). */
static size_t find_word_last(const locator *L, size_t from, size_t to, const char *w, size_t wn,
                             unsigned edges)
{
    for (size_t at = to - wn + 1; to - from >= wn && at-- > from;)
        if (word_at(L, at, w, wn, edges))
            return at;
    return SIZE_MAX;
}

/* The first word was found at its first occurrence after the previous
 * passage, which may be in a menu before the text ("Acne" in the nav, then
 * "Acne happens when..."): its last occurrence before the second word is
 * as good for the invariant and tighter. */
static size_t locate_start(const locator *L)
{
    if (!L->first || L->second == SIZE_MAX)
        return L->s;
    size_t at = find_word_last(L, L->s, L->second, L->first, L->first_n, L->first_edges);
    return at == SIZE_MAX ? L->s : at;
}

/* After the last word of a block, the source goes on with the text's
 * closing punctuation ("hours.", "(Protopic)", "risk?\u201d"), perhaps
 * behind markup and entities ("</a>)", "&rdquo;"): take it into the span
 * while the bytes agree, for at most TAIL_MAX bytes of the source. */
#define TAIL_MAX 256

static void locate_tail(locator *L, const char *tail, size_t tn, size_t hi)
{
    const char *d = L->data;
    size_t pos = L->e, lim = hi - pos > TAIL_MAX ? pos + TAIL_MAX : hi;
    for (size_t i = 0; i < tn && pos < lim;) {
        if (tail[i] == ' ' || tail[i] == '\n') {
            i++;
            continue;
        }
        size_t cl = 1;
        while (i + cl < tn && ((unsigned char)tail[i + cl] & 0xc0) == 0x80)
            cl++;
        while (pos < lim && (d[pos] == ' ' || d[pos] == '\n' || d[pos] == '\r' || d[pos] == '\t'))
            pos++;
        if (pos + cl <= lim && memcmp(d + pos, tail + i, cl) == 0) {
            pos += cl;
        } else if (pos < lim && (d[pos] == '<' || (d[pos] == '&' && (cl > 1 || tail[i] != '&')))) {
            /* a tag to pass over, or an entity standing for this character */
            const char *end = memchr(d + pos, d[pos] == '<' ? '>' : ';', lim - pos);
            if (!end)
                return;
            pos = (size_t)(end - d) + 1;
            if (d[pos - 1] == '>')
                continue;
        } else {
            return;
        }
        L->e = L->cur = pos;
        i += cl;
    }
}

/* Find the words of t, in order, in data[max(cur, lo), hi) and widen the
 * span. Words are runs of ASCII letters and digits, or runs of other
 * letters (the pieces "caf" and "é" of "café" are found even when the
 * page wrote "caf&eacute;" and only "caf" is there). cut: t was cut from a
 * longer text, perhaps inside a word at either end. */
static void locate_text(locator *L, const char *t, size_t tn, size_t lo, size_t hi, bool cut)
{
    const unsigned char *u = (const unsigned char *)t;
    if (L->cur < lo)
        L->cur = lo;
    size_t last = 0; /* end of the last word found, in t */
    bool words_after = false;
    for (size_t i = 0; i < tn && L->cur < hi;) {
        bool ascii = ms_is_alnum(u[i]);
        if (!ascii && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = i;
        bool letter = ascii;
        if (ascii) {
            while (k < tn && ms_is_alnum(u[k]))
                k++;
        } else {
            while (k < tn && u[k] >= 0x80) {
                letter = letter || (u[k] >= 0xc0 && ms_utf8_is_letter(u + k, tn - k));
                k++;
            }
        }
        if (!letter) {
            i = k; /* dashes and quotes: often entities in the source */
            continue;
        }
        const char *w = t + i;
        size_t wn = k - i;
        char enc[64];
        if (!ascii && L->cv != (iconv_t)-1) {
            char *in = (char *)t + i, *out = enc;
            size_t inl = wn, outl = sizeof enc;
            iconv(L->cv, NULL, NULL, NULL, NULL);
            if (iconv(L->cv, &in, &inl, &out, &outl) == (size_t)-1 || out == enc) {
                i = k; /* not in the page's charset: an entity there */
                continue;
            }
            w = enc;
            wn = (size_t)(out - enc);
        }
        unsigned edges = (ascii ? ASCII_WORD : 0) | (cut && i == 0 ? OPEN_LEFT : 0) |
                         (cut && k == tn ? OPEN_RIGHT : 0);
        size_t lim = hi - L->cur > LOC_WINDOW ? L->cur + LOC_WINDOW : hi;
        size_t at = find_word(L, L->cur, lim, w, wn, edges);
        if (at == SIZE_MAX && lim < hi && L->budget >= hi - lim) {
            L->budget -= hi - lim;
            at = find_word(L, lim > L->cur + wn ? lim - wn : L->cur, hi, w, wn, edges);
        }
        if (at != SIZE_MAX) {
            if (L->s == SIZE_MAX) {
                L->s = at;
                if (w == enc)
                    w = memcpy(L->first_enc, enc, wn);
                L->first = w;
                L->first_n = wn;
                L->first_edges = edges;
            } else if (L->second == SIZE_MAX) {
                L->second = at;
            }
            L->e = at + wn;
            L->cur = at + wn;
            last = k;
            words_after = false;
        } else {
            words_after = true;
        }
        i = k;
    }
    if (last && !words_after)
        locate_tail(L, t + last, tn - last, hi);
}

static void locate_block(locator *L, const char *t, size_t tn, const ms_block *b)
{
    if (b->exact) {
        if (L->s == SIZE_MAX)
            L->s = b->start;
        else if (L->second == SIZE_MAX)
            L->second = b->start;
        L->e = b->end;
        L->cur = b->end;
    } else {
        locate_text(L, t, tn, b->start, b->end, false);
    }
}

/* ---- passages --------------------------------------------------------------------- */

/* A piece of a block's text: the whole block, or a part of a long one. */
typedef struct piece {
    const ms_block *b;
    size_t off, n;
} piece;

typedef struct builder {
    ms_doc *d;
    piece *p;
    size_t np, cap;
    size_t max;
    locator L;
    size_t line_pos; /* line numbers are counted incrementally */
    unsigned line_no;
    size_t pcap; /* passages allocated in d->a */
} builder;

static int add_piece(builder *B, const ms_block *b, size_t off, size_t n)
{
    const char *t = b->text + off;
    while (n && t[0] == ' ') /* pieces start after the space they were cut at */
        t++, off++, n--;
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\n'))
        n--;
    if (!n)
        return 0;
    if (B->np == B->cap) {
        size_t cap = B->cap ? B->cap * 2 : 64;
        piece *p = realloc(B->p, cap * sizeof *p);
        if (!p)
            return -1;
        B->p = p;
        B->cap = cap;
    }
    B->p[B->np++] = (piece){b, off, n};
    return 0;
}

/* Where to end the first piece of t (n > max bytes): at the sentence end
 * closest after an even share of the text, else the last sentence end, else
 * the last space before max, else at max on a character boundary. */
static size_t cut_at(const char *t, size_t n, size_t max)
{
    size_t parts = (n + max - 1) / max;
    size_t target = n / parts;
    size_t last_sentence = 0, last_space = 0;
    for (size_t i = 1; i < n && i <= max; i++) {
        if (t[i] != ' ' && t[i] != '\n')
            continue;
        last_space = i;
        if (t[i] == '\n' || ms_ends_terminal(t, i)) {
            if (i >= target)
                return i;
            last_sentence = i;
        }
    }
    if (last_sentence >= max / 4)
        return last_sentence;
    if (last_space >= max / 4)
        return last_space;
    size_t c = max;
    while (c > 1 && ((unsigned char)t[c] & 0xc0) == 0x80)
        c--;
    return c;
}

static int split_block(builder *B, const ms_block *b)
{
    size_t off = 0;
    while (b->len - off > B->max) {
        size_t c = cut_at(b->text + off, b->len - off, B->max);
        if (add_piece(B, b, off, c))
            return -1;
        off += c;
    }
    return add_piece(B, b, off, b->len - off);
}

static unsigned line_of(builder *B, size_t pos)
{
    const char *d = B->d->data;
    while (B->line_pos < pos) {
        const char *nl = memchr(d + B->line_pos, '\n', pos - B->line_pos);
        if (!nl) {
            B->line_pos = pos;
            break;
        }
        B->line_no++;
        B->line_pos = (size_t)(nl - d) + 1;
    }
    return B->line_no;
}

/* Add the passage of text (taken over: text is left empty) under section,
 * its span where the locator found it. A passage that would start past the
 * end of the file is dropped and counted, text left to the caller. -1 when
 * out of memory. */
static int push_passage(builder *B, const char *section, ms_sbuf *text, size_t fallback_lo)
{
    ms_article *a = B->d->a;
    locator *L = &B->L;
    size_t s = locate_start(L), e = L->e;
    if (s == SIZE_MAX) /* no word found: all entity-encoded, say */
        s = L->cur > fallback_lo ? L->cur : fallback_lo;
    /* Words that are not in the source as written (joined by markup that
     * went, "Ec<b>zema</b>") can send the search too far; whatever it
     * found, spans stay in order and not empty. */
    if (s < L->floor)
        s = L->floor;
    if (s >= B->d->len) {
        ms_doc_drop(B->d, text->n);
        return 0;
    }
    if (e <= s)
        e = s + 1;
    L->cur = e;
    if (a->n_passages == B->pcap) {
        size_t cap = B->pcap ? B->pcap * 2 : 16;
        ms_passage *p = realloc(a->passages, cap * sizeof *p);
        if (!p)
            return -1;
        a->passages = p;
        B->pcap = cap;
    }
    char *sec = strdup(section);
    if (!sec)
        return -1;
    ms_passage *p = &a->passages[a->n_passages++];
    p->section = sec;
    p->start = s;
    p->end = e;
    p->line = line_of(B, s);
    ms_sb_room(text, 0)[0] = '\0';
    p->text = text->p;
    p->text_len = text->n;
    memset(text, 0, sizeof *text);
    return 0;
}

/* Emit pieces [a, z) of one section as passages; head is the heading block
 * when the first passage starts right after it. */
static int emit_run(builder *B, const ms_block *head, size_t a, size_t z, const char *section)
{
    size_t total = 0; /* bytes of the text of pieces [a, z) */
    for (size_t i = a; i < z; i++)
        total += B->p[i].n + (i > a);
    while (a < z) {
        size_t parts = (total + B->max - 1) / B->max;
        size_t target = total / (parts ? parts : 1);
        size_t cur = 0, i = a;
        for (; i < z; i++) {
            size_t add = B->p[i].n + (cur > 0);
            if (cur > 0 && (cur + add > B->max || cur >= target))
                break;
            cur += add;
        }
        ms_sbuf text = {0};
        locate_reset(&B->L);
        if (head)
            locate_block(&B->L, head->text, head->len, head);
        for (size_t j = a; j < i; j++) {
            const piece *p = &B->p[j];
            if (j > a)
                ms_sb_put(&text, "\n", 1);
            ms_sb_put(&text, p->b->text + p->off, p->n);
            bool whole = p->off == 0 && p->n == p->b->len;
            if (whole)
                locate_block(&B->L, p->b->text, p->b->len, p->b);
            else
                locate_text(&B->L, p->b->text + p->off, p->n, p->b->start, p->b->end, true);
        }
        int rc = push_passage(B, section, &text, B->p[a].b->start);
        free(text.p);
        if (rc)
            return -1;
        head = NULL;
        total -= i < z ? cur + 1 : cur;
        a = i;
    }
    return 0;
}

static int title_passage(builder *B)
{
    ms_doc *d = B->d;
    ms_sbuf text = {0};
    ms_sb_put(&text, d->a->title, strlen(d->a->title));
    locate_reset(&B->L);
    if (d->title_exact) {
        B->L.s = d->title_start;
        B->L.e = d->title_end;
    } else {
        locate_text(&B->L, text.p, text.n, d->title_start, d->len, false);
    }
    int rc = push_passage(B, "", &text, d->body);
    free(text.p);
    return rc;
}

int ms_passages_build(ms_doc *d)
{
    builder B = {.d = d, .line_pos = 0, .line_no = 1};
    B.max =
        d->opts && d->opts->passage_max_bytes ? d->opts->passage_max_bytes : MS_PASSAGE_MAX_DEFAULT;
    if (B.max < MS_PASSAGE_MAX_MIN)
        B.max = MS_PASSAGE_MAX_MIN;
    B.L = (locator){.data = d->data,
                    .len = d->len,
                    .cur = d->body,
                    .budget = 4 * d->len + (1u << 20),
                    .cv = d->charset[0] ? iconv_open(d->charset, "UTF-8") : (iconv_t)-1};
    int rc = 0;
    size_t heading = MS_SEC_NONE;
    for (size_t i = 0; i < d->n && !rc;) {
        ms_block *b = &d->b[i];
        if (b->kind == MS_BLK_HEADING) {
            heading = i++;
            continue;
        }
        size_t sec = b->sec == MS_SEC_AUTO ? heading : b->sec;
        /* The run: body blocks of the same section, up to the next heading. */
        size_t z = i;
        B.np = 0;
        while (z < d->n && d->b[z].kind != MS_BLK_HEADING &&
               (d->b[z].sec == MS_SEC_AUTO ? heading : d->b[z].sec) == sec) {
            if ((rc = split_block(&B, &d->b[z])))
                break;
            z++;
        }
        if (rc)
            break;
        bool labelled = sec != MS_SEC_NONE && sec != MS_SEC_CLOSING;
        const ms_block *head = labelled && sec + 1 == i ? &d->b[sec] : NULL;
        const char *section = labelled             ? d->b[sec].text
                              : sec == MS_SEC_NONE ? ""
                                                   : MS_SECTION_CLOSING;
        rc = emit_run(&B, head, 0, B.np, section);
        i = z;
    }
    if (!rc && d->a->n_passages == 0 && d->a->title && d->a->title[0])
        rc = title_passage(&B);
    if (B.L.cv != (iconv_t)-1)
        iconv_close(B.L.cv);
    free(B.p);
    return rc;
}
