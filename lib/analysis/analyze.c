/*
 * analysis/analyze.c - the one tokenizer of medsearch.
 *
 * The scanner walks the original bytes once. A word of ASCII letters that
 * nothing joins to what follows, most of health text, is one token found
 * by a table lookup per byte. Any other word is scanned as a group: parts
 * joined by hyphens, a number with its unit, a word with its apostrophe; a
 * group emits its parts as primary tokens and the joined form as an
 * alternative at the first part's position (see analyze.h for the rules).
 * Terms are folded by fold.c and, when the caller asks, stemmed by stem.c.
 *
 * Memory: tokens and their term bytes live in the ms_tokens (tokens.c),
 * which grow geometrically and are reused between calls; the scanner does
 * no allocation of its own.
 */
#include "analysis/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "analysis/fold.h"
#include "analysis/stem.h"
#include "analysis/tokens.h"

#define ANALYZER_VERSION 2

struct ms_analyzer {
    ms_stemmer *stemmer; /* the index's language: langs[0] */
    /* the languages of the articles (and, at query time, of the index):
     * their names and stemmers, [0] the analyzer's own */
    const char *langs[MS_LANGUAGES_MAX];
    ms_stemmer *stemmers[MS_LANGUAGES_MAX];
    int n_langs;
    char own[32]; /* the name of langs[0] */
    int keep_accents;
    char settings[128];
    const uc_script_t *cjk[4];
};

/* ASCII letters (LETTER) and digits (1); 0 for every other byte, and for
 * every byte >= 0x80. */
#define LETTER 2
static const uint8_t ascii_alnum[256] = {
    ['0'] = 1,      ['1'] = 1,      ['2'] = 1,      ['3'] = 1,      ['4'] = 1,      ['5'] = 1,
    ['6'] = 1,      ['7'] = 1,      ['8'] = 1,      ['9'] = 1,      ['a'] = LETTER, ['b'] = LETTER,
    ['c'] = LETTER, ['d'] = LETTER, ['e'] = LETTER, ['f'] = LETTER, ['g'] = LETTER, ['h'] = LETTER,
    ['i'] = LETTER, ['j'] = LETTER, ['k'] = LETTER, ['l'] = LETTER, ['m'] = LETTER, ['n'] = LETTER,
    ['o'] = LETTER, ['p'] = LETTER, ['q'] = LETTER, ['r'] = LETTER, ['s'] = LETTER, ['t'] = LETTER,
    ['u'] = LETTER, ['v'] = LETTER, ['w'] = LETTER, ['x'] = LETTER, ['y'] = LETTER, ['z'] = LETTER,
    ['A'] = LETTER, ['B'] = LETTER, ['C'] = LETTER, ['D'] = LETTER, ['E'] = LETTER, ['F'] = LETTER,
    ['G'] = LETTER, ['H'] = LETTER, ['I'] = LETTER, ['J'] = LETTER, ['K'] = LETTER, ['L'] = LETTER,
    ['M'] = LETTER, ['N'] = LETTER, ['O'] = LETTER, ['P'] = LETTER, ['Q'] = LETTER, ['R'] = LETTER,
    ['S'] = LETTER, ['T'] = LETTER, ['U'] = LETTER, ['V'] = LETTER, ['W'] = LETTER, ['X'] = LETTER,
    ['Y'] = LETTER, ['Z'] = LETTER};

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

ms_analyzer *ms_analyzer_new(const ms_analyzer_opts *opts, ms_error *err)
{
    const char *lang = opts && opts->language ? opts->language : "english";
    ms_analyzer *a = calloc(1, sizeof *a);
    if (!a) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    a->keep_accents = opts ? opts->keep_accents : 0;
    a->stemmer = ms_stemmer_new(lang, err);
    if (!a->stemmer) {
        free(a);
        return NULL;
    }
    snprintf(a->own, sizeof a->own, "%s", lang);
    a->langs[0] = a->own;
    a->stemmers[0] = a->stemmer;
    a->n_langs = 1;
    static const char *const names[4] = {"Han", "Hiragana", "Katakana", "Hangul"};
    for (int i = 0; i < 4; i++)
        a->cjk[i] = uc_script_byname(names[i]);
    snprintf(a->settings, sizeof a->settings, "language=%s accents=%s analyzer=%d", lang,
             a->keep_accents ? "keep" : "fold", ANALYZER_VERSION);
    return a;
}

void ms_analyzer_free(ms_analyzer *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->n_langs; i++)
        ms_stemmer_free(a->stemmers[i]);
    free(a);
}

int ms_analyzer_language(ms_analyzer *a, const char *language)
{
    if (!language)
        return 0;
    for (int i = 0; i < a->n_langs; i++)
        if (strcmp(a->langs[i], language) == 0)
            return i;
    if (a->n_langs == MS_LANGUAGES_MAX || strcmp(a->langs[0], "none") == 0)
        return 0; /* an index without stemming stems nothing */
    ms_error err;
    ms_stemmer *s = ms_stemmer_new(language, &err);
    if (!s)
        return 0; /* a language Snowball does not know: the index's own */
    a->langs[a->n_langs] = language;
    a->stemmers[a->n_langs] = s;
    return a->n_langs++;
}

int ms_analyzer_languages(const ms_analyzer *a)
{
    return a->n_langs;
}

const char *ms_analyzer_language_name(const ms_analyzer *a, int lang)
{
    return a->langs[lang];
}

size_t ms_analyzer_stem_in(ms_analyzer *a, int lang, const char *t, size_t n, char *out, size_t cap)
{
    return ms_stemmer_stem(a->stemmers[lang], t, n, out, cap);
}

int ms_analyzer_stopword(const ms_analyzer *a, int lang, const char *t, size_t n)
{
    return lang == 0 ? ms_is_stopword(t, n) : ms_is_stopword_in(a->langs[lang], t, n);
}

const char *ms_analyzer_settings(const ms_analyzer *a)
{
    return a->settings;
}

size_t ms_analyzer_fold(ms_analyzer *a, const char *word, size_t len, char *out, size_t cap)
{
    return ms_fold_word(a->keep_accents, word, len, out, cap);
}

size_t ms_analyzer_stem(ms_analyzer *a, const char *t, size_t n, char *out, size_t cap)
{
    return ms_stemmer_stem(a->stemmer, t, n, out, cap);
}

int ms_analyzer_stems_keep_first(const ms_analyzer *a)
{
    return ms_stemmer_keeps_first(a->stemmer);
}

/* ---- scanning ---- */

enum cls { C_OTHER, C_WORD, C_CJK };

/* Class of the character at s[i] (of n bytes); *len gets its byte length
 * (1 for an invalid byte, with *invalid set). */
static enum cls classify(const ms_analyzer *a, const char *s, size_t n, size_t i, int *len,
                         int *invalid)
{
    unsigned char c = (unsigned char)s[i];
    *invalid = 0;
    if (c < 0x80) {
        *len = 1;
        return ascii_alnum[c] ? C_WORD : C_OTHER;
    }
    ucs4_t uc;
    int l = u8_mbtoucr(&uc, (const uint8_t *)s + i, n - i);
    if (l < 0) {
        *len = 1;
        *invalid = 1;
        return C_OTHER;
    }
    *len = l;
    const uc_script_t *sc = uc_script(uc);
    if (sc && (sc == a->cjk[0] || sc == a->cjk[1] || sc == a->cjk[2] || sc == a->cjk[3]) &&
        uc_is_alpha(uc))
        return C_CJK;
    if (uc_is_alnum(uc) || uc_is_general_category(uc, UC_CATEGORY_M))
        return C_WORD;
    return C_OTHER;
}

static int is_apostrophe_at(const char *s, size_t n, size_t i, int *len)
{
    if (s[i] == '\'') {
        *len = 1;
        return 1;
    }
    /* U+2019 RIGHT SINGLE QUOTATION MARK and U+02BC MODIFIER LETTER APOSTROPHE */
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x99) {
        *len = 3;
        return 1;
    }
    if (i + 1 < n && (unsigned char)s[i] == 0xCA && (unsigned char)s[i + 1] == 0xBC) {
        *len = 2;
        return 1;
    }
    return 0;
}

static int is_hyphen_at(const char *s, size_t n, size_t i, int *len)
{
    if (s[i] == '-') {
        *len = 1;
        return 1;
    }
    /* U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN */
    if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0x90 || (unsigned char)s[i + 2] == 0x91)) {
        *len = 3;
        return 1;
    }
    return 0;
}

static int starts_word(const ms_analyzer *a, const char *s, size_t n, size_t i)
{
    int l, inv;
    return i < n && classify(a, s, n, i, &l, &inv) == C_WORD;
}

/* Whether s[0..n) is an elided article or pronoun of a Romance language
 * (l', d', qu', j', n', s', c', m', t', and Italian all', dell', nell',
 * sull', dall', un'), which the apostrophe does not join to the word after
 * it: l'eczéma and d'eczéma are eczéma. ("All's" keeps its 's.) */
static int is_elision(const char *s, size_t n)
{
    static const char *const el[] = {"l", "d",   "qu",   "j",    "n",    "s",    "c",  "m",
                                     "t", "all", "dell", "nell", "sull", "dall", "un", "quell"};
    if (n == 0 || n > 5)
        return 0;
    char w[6];
    for (size_t i = 0; i < n; i++)
        w[i] = (char)(s[i] | 0x20);
    for (size_t i = 0; i < sizeof el / sizeof *el; i++)
        if (strlen(el[i]) == n && memcmp(el[i], w, n) == 0)
            return 1;
    return 0;
}

/* A segment: one word of a group, [start, end) in the text. */
typedef struct seg {
    size_t start, end;
    int number; /* all digits (with . , %) */
    int ascii;
    int apos_s;        /* ends in 's after letters */
    size_t digits_end; /* for "10mg": where the leading digits stop, else 0 */
} seg;

/* Scan the segment starting at s[i] (a word character). */
static seg scan_segment(const ms_analyzer *a, const char *s, size_t n, size_t i)
{
    seg g = {i, i, 1, 1, 0, 0};
    for (;;) {
        /* ASCII runs first: digits while it is still a number, then letters
           and digits (the table is 0 for bytes >= 0x80) */
        size_t e = g.end;
        if (g.number) {
            while (e < n && is_digit((unsigned char)s[e]))
                e++;
            if (e < n && ascii_alnum[(unsigned char)s[e]]) {
                if (e > g.start && !g.digits_end)
                    g.digits_end = e; /* 10mg */
                g.number = 0;
            }
        }
        if (!g.number)
            while (e < n && ascii_alnum[(unsigned char)s[e]])
                e++;
        g.end = e;
        if (e < n && (unsigned char)s[e] >= 0x80) {
            int l, inv;
            if (classify(a, s, n, e, &l, &inv) == C_WORD) {
                g.ascii = 0;
                g.number = 0;
                g.end += (size_t)l;
                continue;
            }
            /* an invalid byte is counted by the caller's scan */
        }
        if (g.end >= n)
            break;
        int l;
        if (g.number && (s[g.end] == '.' || s[g.end] == ',') && g.end + 1 < n &&
            is_digit((unsigned char)s[g.end + 1])) {
            g.end += 1; /* 2.5, 1,25, 1,000 */
            continue;
        }
        if (!g.number && is_apostrophe_at(s, n, g.end, &l) && starts_word(a, s, n, g.end + l)) {
            size_t after = g.end + (size_t)l;
            if (is_elision(s + g.start, g.end - g.start) &&
                !((s[after] == 's' || s[after] == 'S') && !starts_word(a, s, n, after + 1))) {
                g.start = g.end = after; /* l'eczéma: the word is eczéma */
                continue;
            }
            if (l > 1)
                g.ascii = 0;
            g.apos_s = (s[after] == 's' || s[after] == 'S') && !starts_word(a, s, n, after + 1);
            g.end = after;
            continue;
        }
        break;
    }
    if (g.number && g.end < n && s[g.end] == '%')
        g.end++;
    if (!g.number && g.digits_end && !g.ascii)
        g.digits_end = 0;
    return g;
}

/* Write the folded term of s[b..e) at the end of the term buffer; returns its length. */
static size_t write_term(const ms_analyzer *a, ms_tokens *t, const char *s, size_t b, size_t e,
                         int ascii)
{
    size_t n = e - b, cap = ascii ? n : n * 4 + 16;
    return ms_fold_word(a->keep_accents, s + b, n, ms_tokens_room(t, cap), cap);
}

static int is_unit(const char *t, size_t n)
{
    static const char *const units[] = {"mg", "mcg",  "µg",  "μg", "g",  "kg", "ml",   "l",
                                        "iu", "mmol", "meq", "cc", "mm", "cm", "units"};
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strlen(units[i]) == n && memcmp(units[i], t, n) == 0)
            return 1;
    return 0;
}

/* MS_TOK_CAPS when s[0..n) is an abbreviation: 2 to 6 ASCII capitals. */
static unsigned caps(const char *s, size_t n)
{
    if (n < 2 || n > 6)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return MS_TOK_CAPS;
}

/* Emit one segment as a primary token at pos, plus the 's-less alternative. */
static void emit_segment(const ms_analyzer *a, ms_tokens *t, const char *s, const seg *g,
                         uint32_t pos, unsigned flags)
{
    size_t len = write_term(a, t, s, g->start, g->end, g->ascii);
    if (len == 0)
        return;
    ms_token *k = ms_tokens_push(
        t, len, flags | (g->number ? MS_TOK_NUMBER : 0) | caps(s + g->start, g->end - g->start),
        pos, g->start, g->end);
    if (g->apos_s && k->len > 2) {
        size_t base = k->len - 2;
        char *o = ms_tokens_room(t, base);
        memcpy(o, t->buf + k->off, base); /* k->off stays valid: offsets, not pointers */
        ms_tokens_push(t, base, MS_TOK_ALT, pos, g->start, g->end);
    }
}

/* Emit the joined form of the last m primary tokens (after index first) as an
 * alternative, with sep between them. */
static void emit_joined(ms_tokens *t, size_t first, char sep, uint32_t pos, size_t start,
                        size_t end)
{
    size_t total = 0, parts = 0;
    for (size_t i = first; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT)) {
            total += t->v[i].len + 1;
            parts++;
        }
    if (parts < 2)
        return; /* a part folded to nothing: no compound to join */
    char *o = ms_tokens_room(t, total);
    size_t w = 0;
    for (size_t i = first; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        if (k->flags & MS_TOK_ALT)
            continue;
        if (w && sep)
            o[w++] = sep;
        memcpy(o + w, t->buf + k->off, k->len);
        w += k->len;
    }
    ms_tokens_push(t, w, MS_TOK_ALT, pos, start, end);
}

/* CJK run starting at i: overlapping bigrams. Returns the end of the run. */
static size_t emit_cjk(const ms_analyzer *a, ms_tokens *t, const char *s, size_t n, size_t i,
                       uint32_t *pos)
{
    size_t prev = i, prev_len = 0;
    int count = 0;
    for (;;) {
        int l, inv;
        if (i >= n || classify(a, s, n, i, &l, &inv) != C_CJK)
            break;
        if (count > 0) {
            size_t len = write_term(a, t, s, prev, i + (size_t)l, 0);
            ms_tokens_push(t, len, MS_TOK_CJK, (*pos)++, prev, i + (size_t)l);
        }
        prev = i;
        prev_len = (size_t)l;
        i += (size_t)l;
        count++;
    }
    if (count == 1) {
        size_t len = write_term(a, t, s, prev, prev + prev_len, 0);
        ms_tokens_push(t, len, MS_TOK_CJK, (*pos)++, prev, prev + prev_len);
    }
    return i;
}

uint32_t ms_analyze(ms_analyzer *a, const char *s, size_t n, uint32_t pos, ms_tokens *t)
{
    size_t i = 0;
    /* The last primary number token and where it ended, for "10 mg". */
    size_t last_num = (size_t)-1, last_num_end = 0;
    while (i < n) {
        unsigned char c0 = (unsigned char)s[i];
        if (c0 < 0x80 && !ascii_alnum[c0]) {
            i++; /* spaces and punctuation, most of what lies between words */
            continue;
        }
        if (ascii_alnum[c0] == LETTER && last_num == (size_t)-1) {
            /* most words: ASCII letters that nothing joins to what follows
               (a digit, an apostrophe, a hyphen, a letter beyond ASCII),
               one token as the general scan below would give, found
               without it */
            size_t e = i + 1;
            while (e < n && ascii_alnum[(unsigned char)s[e]] == LETTER)
                e++;
            unsigned char next = e < n ? (unsigned char)s[e] : ' ';
            if (next < 0x80 && !ascii_alnum[next] && next != '\'' && next != '-') {
                size_t len = e - i;
                char *o = ms_tokens_room(t, len);
                for (size_t k = 0; k < len; k++)
                    o[k] = (char)(s[i + k] | 0x20); /* lower case */
                ms_tokens_push(t, len, caps(s + i, len), pos++, i, e);
                i = e;
                continue;
            }
        }
        int l = 1, inv = 0;
        enum cls c = c0 < 0x80 ? C_WORD : classify(a, s, n, i, &l, &inv);
        if (c == C_OTHER) {
            t->invalid_bytes += (size_t)inv;
            i += (size_t)l;
            continue;
        }
        if (c == C_CJK) {
            i = emit_cjk(a, t, s, n, i, &pos);
            continue;
        }
        size_t first = t->n;
        uint32_t first_pos = pos;
        seg g = scan_segment(a, s, n, i);
        int parts = 1;
        if (g.digits_end && g.ascii) {
            /* 10mg: number and unit, when the letters are a unit */
            size_t ul = g.end - g.digits_end;
            char unit[8];
            int split = 0;
            if (ul < sizeof unit) {
                for (size_t k = 0; k < ul; k++) {
                    char ch = s[g.digits_end + k];
                    unit[k] = (ch >= 'A' && ch <= 'Z') ? (char)(ch + 32) : ch;
                }
                split = is_unit(unit, ul);
            }
            if (split) {
                seg num = {g.start, g.digits_end, 1, 1, 0, 0};
                seg u = {g.digits_end, g.end, 0, 1, 0, 0};
                emit_segment(a, t, s, &num, pos++, MS_TOK_JOINED);
                emit_segment(a, t, s, &u, pos++, MS_TOK_JOINED);
                emit_joined(t, first, 0, first_pos, g.start, g.end);
                i = g.end;
                continue;
            }
        }
        emit_segment(a, t, s, &g, pos++, 0);
        size_t end = g.end;
        for (;;) {
            int hl;
            if (end < n && is_hyphen_at(s, n, end, &hl) && starts_word(a, s, n, end + hl)) {
                seg h = scan_segment(a, s, n, end + (size_t)hl);
                emit_segment(a, t, s, &h, pos++, MS_TOK_JOINED);
                end = h.end;
                parts++;
                continue;
            }
            break;
        }
        if (t->n == first) {
            /* the word folded to nothing (only combining marks) */
        } else if (parts > 1) {
            t->v[first].flags |= MS_TOK_JOINED;
            emit_joined(t, first, '-', first_pos, g.start, end);
            last_num = (size_t)-1;
        } else if (g.number) {
            last_num = first;
            last_num_end = g.end;
        } else if (last_num != (size_t)-1 && last_num < t->n) {
            /* "10 mg": a unit right after a number (spaces only between) */
            int spaces = 1;
            for (size_t k = last_num_end; k < g.start; k++)
                if (s[k] != ' ')
                    spaces = 0;
            const ms_token *u = &t->v[first];
            if (spaces && is_unit(t->buf + u->off, u->len)) {
                ms_token *num = &t->v[last_num];
                size_t nl = num->len, ulen = u->len;
                char *o = ms_tokens_room(t, nl + ulen);
                memcpy(o, t->buf + num->off, nl);
                memcpy(o + nl, t->buf + t->v[first].off, ulen);
                ms_tokens_push(t, nl + ulen, MS_TOK_ALT, t->v[last_num].pos, t->v[last_num].start,
                               g.end);
            }
            last_num = (size_t)-1;
        }
        i = end;
    }
    return pos;
}
