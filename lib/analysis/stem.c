/*
 * analysis/stem.c - the stemming policy.
 *
 * Terms are stemmed by Snowball, with two exceptions that matter in health
 * text: a term with a digit (b12, 10mg) is its own stem, and so are the
 * medical families that Snowball conflates (sinusitis with sinus, hepatitis
 * with hepatic, organism with organ) and the INN drug endings (so that two
 * drugs never share a stem); a plural of such a word (melanomas, statins)
 * stems to the singular.
 *
 * Stems are memoised in a direct-mapped cache, because a Snowball call
 * costs far more than a hash probe and the vocabulary of a corpus is small
 * next to its token count. Each slot is one cache line, and the table is
 * mapped rather than allocated and cleared: its pages come zeroed when
 * first touched, so a short run (one query) pays only for the slots it uses.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include "analysis/stem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/util.h"
#include "xapian/xapian.h"

#define STEM_CACHE_SIZE (1u << 16)
#define STEM_SLOT 31 /* a term or stem this long or longer is not cached */

typedef struct stem_slot {
    _Alignas(64) uint8_t tlen;
    uint8_t slen;
    char term[STEM_SLOT];
    char stem[STEM_SLOT];
} stem_slot;

struct ms_stemmer {
    msx_stem *snowball; /* NULL: no stemming */
    int keeps_first;
    stem_slot *cache;
};

ms_stemmer *ms_stemmer_new(const char *lang, ms_error *err)
{
    ms_stemmer *s = calloc(1, sizeof *s);
    if (!s) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    /* English's Snowball stemmer rewrites only the ends of words (and
       "lying" to "lie": the first letter stays); no stemmer keeps words */
    s->keeps_first = strcmp(lang, "english") == 0 || strcmp(lang, "none") == 0;
    if (strcmp(lang, "none") != 0) {
        msx_error xe;
        if (msx_stem_new(lang, &s->snowball, &xe) != MSX_OK) {
            ms_fail(err, MS_EUSAGE, "unknown stemming language '%s' (known: none %s)", lang,
                    msx_stem_languages());
            free(s);
            return NULL;
        }
    }
    void *cache = mmap(NULL, STEM_CACHE_SIZE * sizeof *s->cache, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (cache == MAP_FAILED) {
        msx_stem_free(s->snowball);
        free(s);
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    s->cache = cache;
    return s;
}

void ms_stemmer_free(ms_stemmer *s)
{
    if (!s)
        return;
    msx_stem_free(s->snowball);
    munmap(s->cache, STEM_CACHE_SIZE * sizeof *s->cache);
    free(s);
}

int ms_stemmer_keeps_first(const ms_stemmer *s)
{
    return s->keeps_first;
}

/* Whether t[0..n) ends in a suffix whose family Snowball damages, or in an
 * INN drug ending. */
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
    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        size_t m = suffixes[i].len;
        if (m <= n && memcmp(t + n - m, suffixes[i].s, m) == 0)
            return 1;
    }
    return 0;
}

/* Whether t[0..n) is the plural of a protected word (melanomas, statins). */
static int protected_plural(const char *t, size_t n)
{
    return n > 1 && t[n - 1] == 's' && t[n - 2] != 's' && protected_exact(t, n - 1);
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
static size_t stem_uncached(ms_stemmer *s, const char *t, size_t n, char *out, size_t cap)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] >= '0' && t[i] <= '9')
            return copy_out(t, n, out, cap);
    if (protected_exact(t, n))
        return copy_out(t, n, out, cap);
    if (protected_plural(t, n))
        return copy_out(t, n - 1, out, cap);
    size_t m = msx_stem_apply(s->snowball, t, n, out, cap);
    return m == (size_t)-1 ? copy_out(t, n, out, cap) : m;
}

size_t ms_stemmer_stem(ms_stemmer *s, const char *t, size_t n, char *out, size_t cap)
{
    if (!s->snowball)
        return copy_out(t, n, out, cap);
    if (n >= STEM_SLOT)
        return stem_uncached(s, t, n, out, cap);
    stem_slot *slot = &s->cache[ms_fnv1a(MS_FNV_BASIS, t, n) & (STEM_CACHE_SIZE - 1)];
    if (slot->tlen == n && memcmp(slot->term, t, n) == 0)
        return copy_out(slot->stem, slot->slen, out, cap);
    size_t m = stem_uncached(s, t, n, out, cap);
    if (m < STEM_SLOT) {
        slot->tlen = (uint8_t)n;
        memcpy(slot->term, t, n);
        slot->slen = (uint8_t)m;
        memcpy(slot->stem, out, m);
    }
    return m;
}
