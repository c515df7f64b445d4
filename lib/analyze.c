/*
 * analyze.c - the one tokenizer of medsearch.
 *
 * The scanner walks the original bytes once. Pure ASCII words, which are most
 * of health text, take a fast path: a table lookup per byte and a lower-case
 * copy. A word with any other byte is folded by libunistring (NFKC or, when
 * accents are folded, NFKD with combining marks dropped and NFC recomposed,
 * with full case folding). Words are grouped: parts joined by hyphens, a
 * number with its unit, a word with its apostrophe; a group emits its parts
 * as primary tokens and the joined form as an alternative at the first
 * part's position (see analyze.h for the rules).
 *
 * Memory: tokens and their term bytes live in two arrays of the ms_tokens
 * that grow geometrically and are reused between calls; the hot loop does no
 * allocation of its own. Stems are memoised in a small open-addressing cache
 * because a Snowball call costs far more than a hash probe, and the
 * vocabulary of a corpus is small next to its token count.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "medsearch/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "medsearch/xapian.h"
#include "base/util.h"

#define ANALYZER_VERSION 1
#define STEM_CACHE_BITS 16
#define STEM_CACHE_SIZE (1u << STEM_CACHE_BITS)
#define STEM_SLOT 31 /* a term or stem this long or longer is not cached */

/* One cache line: a probe reads one line of a table too big for the cache. */
typedef struct stem_slot {
    _Alignas(64) uint8_t tlen;
    uint8_t slen;
    char term[STEM_SLOT];
    char stem[STEM_SLOT];
} stem_slot;

struct ms_analyzer {
    msx_stem *stemmer; /* NULL: no stemming */
    int keeps_first;   /* a stem begins with its word's first byte */
    int keep_accents;
    char settings[128];
    stem_slot *cache;
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

/* The end of the run of ASCII letters that starts at s[i] (i < n). Eight
 * bytes at a time: a byte is a letter when it is below 0x80 and, with bit
 * 0x20 set (lower case), within 'a'..'z'; the first byte that is not gives
 * the end. (A byte of 0x80 and above can carry into the bytes after it,
 * but it is flagged by its own top bit, and only the first flag counts.) */
static size_t letters_end(const char *s, size_t n, size_t i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t x = w | MS_BYTES8(0x20);
        uint64_t other = (w | ~(x + MS_BYTES8(0x1f)) | (x + MS_BYTES8(0x05))) & MS_BYTES8(0x80);
        if (other)
            return i + (size_t)(__builtin_ctzll(other) >> 3);
    }
#endif
    while (i < n && ascii_alnum[(unsigned char)s[i]] == LETTER)
        i++;
    return i;
}

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
    /* English's Snowball stemmer rewrites only the ends of words (and
       "lying" to "lie": the first letter stays); no stemmer keeps words */
    a->keeps_first = strcmp(lang, "english") == 0 || strcmp(lang, "none") == 0;
    if (strcmp(lang, "none") != 0) {
        msx_error xe;
        if (msx_stem_new(lang, &a->stemmer, &xe) != MSX_OK) {
            ms_fail(err, MS_EUSAGE, "unknown stemming language '%s' (known: none %s)", lang,
                    msx_stem_languages());
            free(a);
            return NULL;
        }
    }
    /* mapped, not allocated and cleared: its pages (page-aligned, so every
       slot is one cache line) come zeroed when first touched, so a short
       run, one query say, pays only for the few slots it uses */
    void *cache = mmap(NULL, STEM_CACHE_SIZE * sizeof *a->cache, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    a->cache = cache == MAP_FAILED ? NULL : cache;
    if (!a->cache) {
        msx_stem_free(a->stemmer);
        free(a);
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
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
    msx_stem_free(a->stemmer);
    munmap(a->cache, STEM_CACHE_SIZE * sizeof *a->cache);
    free(a);
}

const char *ms_analyzer_settings(const ms_analyzer *a)
{
    return a->settings;
}

/* ---- token buffers ---- */

void ms_tokens_init(ms_tokens *t)
{
    memset(t, 0, sizeof *t);
}

void ms_tokens_reset(ms_tokens *t)
{
    t->n = 0;
    t->blen = 0;
    t->invalid_bytes = 0;
    t->capped = 0;
}

void ms_tokens_free(ms_tokens *t)
{
    free(t->v);
    free(t->buf);
    ms_tokens_init(t);
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    *cap = c;
    return ms_xrealloc(p, c * elem);
}

/* Room for n more term bytes (plus NUL); returns where they go. */
static inline char *term_room(ms_tokens *t, size_t n)
{
    if (t->blen + n + 1 > t->bcap)
        t->buf = grow(t->buf, &t->bcap, t->blen + n + 1, 1);
    return t->buf + t->blen;
}

/* Cut a term of len bytes at s to at most MS_TERM_MAX, at a character start. */
static size_t cap_len(ms_tokens *t, const char *s, size_t len)
{
    if (len <= MS_TERM_MAX)
        return len;
    t->capped++;
    len = MS_TERM_MAX;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Commit the term just written at buf + blen (len bytes) as a token. */
static ms_token *push(ms_tokens *t, size_t len, unsigned flags, uint32_t pos, size_t start,
                      size_t end)
{
    len = cap_len(t, t->buf + t->blen, len);
    if (t->n == t->cap)
        t->v = grow(t->v, &t->cap, t->n + 1, sizeof *t->v);
    ms_token *k = &t->v[t->n++];
    k->off = (uint32_t)t->blen;
    k->len = (uint16_t)len;
    k->flags = (uint16_t)flags;
    k->pos = pos;
    k->start = start;
    k->end = end;
    t->buf[t->blen + len] = '\0';
    t->blen += len + 1;
    return k;
}

/* ---- folding ---- */

/* Fold s[0..n) (which has non-ASCII bytes) into out (cap bytes); returns the
 * length. Curly apostrophes become "'". */
static size_t fold_unicode(const ms_analyzer *a, const char *s, size_t n, char *out, size_t cap)
{
    uint8_t stack[512];
    size_t rlen = sizeof stack;
    uninorm_t nf = a->keep_accents ? UNINORM_NFKC : UNINORM_NFKD;
    uint8_t *r = u8_casefold((const uint8_t *)s, n, NULL, nf, stack, &rlen);
    if (!r)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < rlen;) {
        ucs4_t uc;
        int l = u8_mbtouc(&uc, r + i, rlen - i);
        if (!a->keep_accents && uc_is_general_category(uc, UC_CATEGORY_M)) {
            /* an accent, dropped */
        } else if (uc == 0x2019 || uc == 0x02BC || uc == 0x2018) {
            if (o < cap)
                out[o++] = '\'';
        } else if (o + (size_t)l <= cap) {
            memcpy(out + o, r + i, (size_t)l);
            o += (size_t)l;
        }
        i += (size_t)l;
    }
    if (r != stack)
        free(r);
    if (!a->keep_accents) {
        /* Recompose what NFKD split but no mark was dropped from (Hangul). */
        int ascii = 1;
        for (size_t i = 0; i < o; i++)
            if ((unsigned char)out[i] >= 0x80)
                ascii = 0;
        if (!ascii) {
            uint8_t nbuf[512];
            size_t nlen = sizeof nbuf;
            uint8_t *c = u8_normalize(UNINORM_NFC, (const uint8_t *)out, o, nbuf, &nlen);
            if (c) {
                if (nlen <= cap) {
                    memcpy(out, c, nlen);
                    o = nlen;
                }
                if (c != nbuf)
                    free(c);
            }
        }
    }
    return o;
}

size_t ms_analyzer_fold(ms_analyzer *a, const char *word, size_t len, char *out, size_t cap)
{
    size_t i;
    for (i = 0; i < len && (unsigned char)word[i] < 0x80; i++)
        ;
    if (i < len)
        return fold_unicode(a, word, len, out, cap);
    if (len > cap)
        len = cap;
    for (i = 0; i < len; i++) {
        char c = word[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    return len;
}

/* ---- stemming ---- */

/* Whether t[0..n) ends in a suffix whose family Snowball damages: it
 * conflates sinusitis with sinus, hepatitis with hepatic, organism with
 * organ; INN drug endings are kept whole so that distinct drugs never share
 * a stem. */
static int protected_exact(const char *t, size_t n)
{
    static const struct {
        const char *s;
        size_t len;
    } suffixes[] = {
#define S(x) {x, sizeof x - 1}
        S("itis"),   S("itides"),  S("osis"),  S("oses"),    S("iasis"),  S("emia"),   S("aemia"),
        S("ism"),    S("oma"),     S("omata"), S("azole"),   S("mycin"),  S("cillin"), S("cycline"),
        S("tadine"), S("olone"),   S("asone"), S("prazole"), S("sartan"), S("statin"), S("olol"),
        S("pril"),   S("tidine"),  S("vir"),   S("mab"),     S("nib"),    S("caine"),  S("triptan"),
        S("lukast"), S("floxacin")
#undef S
    };
    if (n < 5)
        return 0;
    char last = t[n - 1];
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t m = suffixes[i].len;
        if (m <= n && suffixes[i].s[m - 1] == last && memcmp(t + n - m, suffixes[i].s, m) == 0)
            return 1;
    }
    return 0;
}

/* Whether t[0..n) is the plural of a protected word (melanomas, statins). */
static int protected_plural(const char *t, size_t n)
{
    return n > 1 && t[n - 1] == 's' && t[n - 2] != 's' && protected_exact(t, n - 1);
}

int ms_analyzer_protected(const char *t, size_t n)
{
    return protected_exact(t, n) || protected_plural(t, n);
}

static uint32_t hash_term(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static size_t copy_out(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

/* The stem of t[0..n) by the rules, uncached. */
static size_t stem_uncached(ms_analyzer *a, const char *t, size_t n, char *out, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        if (is_digit((unsigned char)t[i]))
            return copy_out(t, n, out, cap);
    if (protected_exact(t, n))
        return copy_out(t, n, out, cap);
    if (protected_plural(t, n))
        return copy_out(t, n - 1, out, cap);
    size_t m = msx_stem_apply(a->stemmer, t, n, out, cap);
    return m == (size_t)-1 ? copy_out(t, n, out, cap) : m;
}

int ms_analyzer_stems_keep_first(const ms_analyzer *a)
{
    return a->keeps_first;
}

size_t ms_analyzer_stem(ms_analyzer *a, const char *t, size_t n, char *out, size_t cap)
{
    if (!a->stemmer)
        return copy_out(t, n, out, cap);
    if (n >= STEM_SLOT)
        return stem_uncached(a, t, n, out, cap);
    stem_slot *slot = &a->cache[hash_term(t, n) & (STEM_CACHE_SIZE - 1)];
    if (slot->tlen == n && memcmp(slot->term, t, n) == 0)
        return copy_out(slot->stem, slot->slen, out, cap);
    size_t m = stem_uncached(a, t, n, out, cap);
    if (m < STEM_SLOT) {
        slot->tlen = (uint8_t)n;
        memcpy(slot->term, t, n);
        slot->slen = (uint8_t)m;
        memcpy(slot->stem, out, m);
    }
    return m;
}

/* ---- stopwords (query side only) ---- */

/* The stopwords of each length, in byte order, each followed by a space. */
static const char stop1[] = "a i ";
static const char stop2[] = "am an as at be by do he if in is it me my of on or so to us we ";
static const char stop3[] = "all and any are but can did for had has her him his how i'm its our "
                            "she the too was who why you ";
static const char stop4[] = "also been does from have here hers into it's just some such than "
                            "that them then they this very were what when whom will with your ";
static const char stop5[] = "about being could doing their there these those where which while "
                            "would ";
static const char stop6[] = "having should ";

int ms_is_stopword(const char *t, size_t n)
{
    /* by length, then a binary search: a few comparisons on the indexing
       hot path */
    static const char *const by_len[7] = {NULL, stop1, stop2, stop3, stop4, stop5, stop6};
    static const size_t count[7] = {0,
                                    sizeof stop1 / 2,
                                    sizeof stop2 / 3,
                                    sizeof stop3 / 4,
                                    sizeof stop4 / 5,
                                    sizeof stop5 / 6,
                                    sizeof stop6 / 7};
    if (n == 0 || n > 6)
        return 0;
    size_t lo = 0, hi = count[n];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = by_len[n] + mid * (n + 1);
        int c = (unsigned char)w[0] - (unsigned char)t[0];
        if (c == 0)
            c = memcmp(w + 1, t + 1, n - 1);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
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
    size_t n = e - b;
    if (ascii) {
        char *o = term_room(t, n);
        for (size_t i = 0; i < n; i++) {
            char c = s[b + i];
            o[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        return n;
    }
    size_t cap = n * 4 + 16;
    char *o = term_room(t, cap);
    return fold_unicode(a, s + b, n, o, cap);
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

/* Emit one segment as a primary token at pos, plus the 's-less alternative. */
static void emit_segment(const ms_analyzer *a, ms_tokens *t, const char *s, const seg *g,
                         uint32_t pos, unsigned flags)
{
    size_t len = write_term(a, t, s, g->start, g->end, g->ascii);
    if (len == 0)
        return;
    ms_token *k = push(t, len, flags | (g->number ? MS_TOK_NUMBER : 0), pos, g->start, g->end);
    if (g->apos_s && k->len > 2) {
        size_t base = k->len - 2;
        char *o = term_room(t, base);
        memcpy(o, t->buf + k->off, base); /* k->off stays valid: offsets, not pointers */
        push(t, base, MS_TOK_ALT, pos, g->start, g->end);
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
    char *o = term_room(t, total);
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
    push(t, w, MS_TOK_ALT, pos, start, end);
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
            push(t, len, MS_TOK_CJK, (*pos)++, prev, i + (size_t)l);
        }
        prev = i;
        prev_len = (size_t)l;
        i += (size_t)l;
        count++;
    }
    if (count == 1) {
        size_t len = write_term(a, t, s, prev, prev + prev_len, 0);
        push(t, len, MS_TOK_CJK, (*pos)++, prev, prev + prev_len);
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
            size_t e = letters_end(s, n, i + 1);
            unsigned char next = e < n ? (unsigned char)s[e] : ' ';
            if (next < 0x80 && !ascii_alnum[next] && next != '\'' && next != '-') {
                size_t len = e - i;
                /* lower case: bit 0x20 set, eight bytes at a time where the
                   text has them (the bytes past the word are overwritten) */
                char *o = term_room(t, len + 7);
                size_t k = 0;
                for (uint64_t w; k < len && i + k + 8 <= n; k += 8) {
                    memcpy(&w, s + i + k, 8);
                    w |= MS_BYTES8(0x20);
                    memcpy(o + k, &w, 8);
                }
                for (; k < len; k++)
                    o[k] = (char)(s[i + k] | 0x20);
                if (len <= MS_TERM_MAX && t->n < t->cap) {
                    /* push's work, without its checks */
                    o[len] = '\0';
                    t->v[t->n++] = (ms_token){(uint32_t)t->blen, (uint16_t)len, 0, pos++, i, e};
                    t->blen += len + 1;
                } else {
                    push(t, len, 0, pos++, i, e);
                }
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
                char *o = term_room(t, nl + ulen);
                memcpy(o, t->buf + num->off, nl);
                memcpy(o + nl, t->buf + t->v[first].off, ulen);
                push(t, nl + ulen, MS_TOK_ALT, t->v[last_num].pos, t->v[last_num].start, g.end);
            }
            last_num = (size_t)-1;
        }
        i = end;
    }
    return pos;
}
