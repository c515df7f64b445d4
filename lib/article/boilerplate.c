/*
 * boilerplate.c - lines a site repeats on many of its pages.
 *
 * Rules catch chrome that looks like chrome everywhere ("Related articles",
 * phone numbers). What a single site adds to every page ("iDerma team will
 * provide a consultation within 24 hours...") only shows by repetition, so
 * the indexer first shows every article to ms_boilerplate_learn(), then
 * parses with the learned table. Learning reads each file as its parser
 * does, so it lives with the parsers' dispatch in article.c; this file is
 * the table.
 *
 * A line is remembered as a 64-bit hash of (site, line), not as text: a
 * corpus has millions of distinct lines and only their counts matter; two
 * lines sharing a hash is a 1 in 2^64 event per pair. An article gives
 * the sorted, distinct keys of its lines (ms_boilerplate_keys), and each
 * entry counts the articles it appeared in. The lines are those each parser
 * asks about: trimmed raw lines for text and Markdown, block texts for HTML.
 *
 * An indexer that keeps an index up to date stores each file's keys, so
 * that it can count the table again without reading the files, and the
 * keys a parse asked about with the answers (ms_boilerplate_trace): a file
 * is cut again when one of those answers changes.
 *
 * Learning is best effort: when memory runs out the table stops growing and
 * the parsers simply drop less.
 */
#include "article/boilerplate.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct bp_entry {
    uint64_t key; /* 0: empty slot */
    uint32_t count;
} bp_entry;

typedef struct bp_site {
    char *name;
    uint64_t hash;
    size_t articles;
} bp_site;

struct ms_boilerplate {
    bp_entry *tab;
    size_t cap, used; /* cap is a power of two */
    bp_site *sites;
    size_t n_sites, cap_sites;
    ms_bp_keys *trace; /* see ms_boilerplate_trace */
};

/* The NUL keeps ("ab", "c") and ("a", "bc") apart. */
static uint64_t site_hash(const char *site)
{
    return ms_fnv1a(MS_FNV_BASIS, site, strlen(site) + 1);
}

/* Lines are hashed with ms_fnv1a, then a final mix so that the low bits
 * used for slots are good. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

static uint64_t line_key(uint64_t site_hash, const char *s, size_t n)
{
    return mix(ms_fnv1a(site_hash, s, n));
}

/* ---- key lists ---- */

static void keys_push(ms_bp_keys *k, uint64_t key, unsigned char flag)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        uint64_t *nk = realloc(k->key, cap * sizeof *nk);
        if (nk)
            k->key = nk;
        unsigned char *nf = nk ? realloc(k->flag, cap) : NULL;
        if (!nf)
            return; /* best effort, as the table */
        k->flag = nf;
        k->cap = cap;
    }
    k->key[k->n] = key;
    k->flag[k->n++] = flag;
}

void ms_bp_keys_free(ms_bp_keys *k)
{
    free(k->key);
    free(k->flag);
    memset(k, 0, sizeof *k);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void ms_bp_keys_sort(ms_bp_keys *k)
{
    if (k->n < 2)
        return;
    uint64_t *pairs = malloc(k->n * 2 * sizeof *pairs);
    if (!pairs)
        return;
    for (size_t i = 0; i < k->n; i++) {
        pairs[2 * i] = k->key[i];
        pairs[2 * i + 1] = k->flag[i];
    }
    qsort(pairs, k->n, 2 * sizeof *pairs, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (m && k->key[m - 1] == pairs[2 * i])
            continue;
        k->key[m] = pairs[2 * i];
        k->flag[m++] = (unsigned char)pairs[2 * i + 1];
    }
    k->n = m;
    free(pairs);
}

void ms_bp_keys_line(ms_bp_keys *k, uint64_t site, const char *s, size_t n)
{
    if (n)
        keys_push(k, line_key(site, s, n), 0);
}

uint64_t ms_bp_site_key(const char *site)
{
    return site_hash(site ? site : "");
}

/* ---- the table ---- */

ms_boilerplate *ms_boilerplate_new(void)
{
    return calloc(1, sizeof(ms_boilerplate));
}

void ms_boilerplate_free(ms_boilerplate *bp)
{
    if (!bp)
        return;
    for (size_t i = 0; i < bp->n_sites; i++)
        free(bp->sites[i].name);
    free(bp->sites);
    free(bp->tab);
    free(bp);
}

static const bp_site *find_site(const ms_boilerplate *bp, const char *site)
{
    for (size_t i = 0; i < bp->n_sites; i++)
        if (strcmp(bp->sites[i].name, site) == 0)
            return &bp->sites[i];
    return NULL;
}

static bp_site *add_site(ms_boilerplate *bp, const char *site)
{
    bp_site *s = (bp_site *)find_site(bp, site);
    if (s)
        return s;
    if (bp->n_sites == bp->cap_sites) {
        size_t cap = bp->cap_sites ? bp->cap_sites * 2 : 8;
        bp_site *ns = realloc(bp->sites, cap * sizeof *ns);
        if (!ns)
            return NULL;
        bp->sites = ns;
        bp->cap_sites = cap;
    }
    char *name = strdup(site);
    if (!name)
        return NULL;
    s = &bp->sites[bp->n_sites++];
    s->name = name;
    s->hash = site_hash(site);
    s->articles = 0;
    return s;
}

static bool grow(ms_boilerplate *bp)
{
    size_t cap = bp->cap ? bp->cap * 2 : 1024;
    bp_entry *tab = calloc(cap, sizeof *tab);
    if (!tab)
        return false;
    for (size_t i = 0; i < bp->cap; i++) {
        if (!bp->tab[i].key)
            continue;
        size_t j = bp->tab[i].key & (cap - 1);
        while (tab[j].key)
            j = (j + 1) & (cap - 1);
        tab[j] = bp->tab[i];
    }
    free(bp->tab);
    bp->tab = tab;
    bp->cap = cap;
    return true;
}

void ms_boilerplate_add(ms_boilerplate *bp, const char *site, const uint64_t *keys, size_t n)
{
    bp_site *s = add_site(bp, site ? site : "");
    if (!s)
        return;
    s->articles++;
    for (size_t i = 0; i < n; i++) {
        if ((bp->used + 1) * 4 > bp->cap * 3 && !grow(bp))
            return;
        size_t j = keys[i] & (bp->cap - 1);
        while (bp->tab[j].key && bp->tab[j].key != keys[i])
            j = (j + 1) & (bp->cap - 1);
        bp_entry *e = &bp->tab[j];
        if (!e->key) {
            e->key = keys[i];
            bp->used++;
        }
        e->count++;
    }
}

static int repeated(const ms_boilerplate *bp, const bp_site *s, uint64_t key)
{
    if (!s || !bp->cap)
        return 0;
    size_t j = key & (bp->cap - 1);
    while (bp->tab[j].key && bp->tab[j].key != key)
        j = (j + 1) & (bp->cap - 1);
    const bp_entry *e = &bp->tab[j];
    return e->key == key && e->count >= 3 && e->count * 5 >= s->articles;
}

int ms_boilerplate_key_repeated(const ms_boilerplate *bp, const char *site, uint64_t key)
{
    return repeated(bp, find_site(bp, site ? site : ""), key);
}

void ms_boilerplate_trace(ms_boilerplate *bp, ms_bp_keys *t)
{
    bp->trace = t;
}

int ms_boilerplate_is_repeated(const ms_boilerplate *bp, const char *site, const char *line,
                               size_t len)
{
    if (!bp || !len)
        return 0;
    const bp_site *s = find_site(bp, site ? site : "");
    uint64_t key = line_key(s ? s->hash : site_hash(site ? site : ""), line, len);
    int rep = repeated(bp, s, key);
    if (bp->trace)
        keys_push(bp->trace, key, (unsigned char)rep);
    return rep;
}
