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
 * lines sharing a hash is a 1 in 2^64 event per pair. Each entry counts the
 * articles it appeared in (an article's serial number stops one article
 * counting a line twice). The lines are those each parser asks about:
 * trimmed raw lines for text and Markdown, block texts for HTML.
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
    uint32_t serial; /* the last article that counted it */
} bp_entry;

struct ms_bp_site {
    char *name;
    uint64_t hash;
    size_t articles;
};

struct ms_boilerplate {
    bp_entry *tab;
    size_t cap, used; /* cap is a power of two */
    ms_bp_site *sites;
    size_t n_sites, cap_sites;
    uint32_t serial;
};

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

static const ms_bp_site *find_site(const ms_boilerplate *bp, const char *site)
{
    for (size_t i = 0; i < bp->n_sites; i++)
        if (strcmp(bp->sites[i].name, site) == 0)
            return &bp->sites[i];
    return NULL;
}

static ms_bp_site *add_site(ms_boilerplate *bp, const char *site)
{
    ms_bp_site *s = (ms_bp_site *)find_site(bp, site);
    if (s)
        return s;
    if (bp->n_sites == bp->cap_sites) {
        size_t cap = bp->cap_sites ? bp->cap_sites * 2 : 8;
        ms_bp_site *ns = realloc(bp->sites, cap * sizeof *ns);
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
    /* the NUL keeps ("ab", "c") and ("a", "bc") apart */
    s->hash = ms_fnv1a(MS_FNV_BASIS, site, strlen(site) + 1);
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

ms_bp_site *ms_boilerplate_article(ms_boilerplate *bp, const char *site)
{
    ms_bp_site *s = add_site(bp, site);
    if (!s)
        return NULL;
    s->articles++;
    bp->serial++;
    return s;
}

void ms_boilerplate_count(ms_boilerplate *bp, const ms_bp_site *site, const char *s, size_t n)
{
    if (!n)
        return;
    if ((bp->used + 1) * 4 > bp->cap * 3 && !grow(bp))
        return;
    uint64_t key = line_key(site->hash, s, n);
    size_t j = key & (bp->cap - 1);
    while (bp->tab[j].key && bp->tab[j].key != key)
        j = (j + 1) & (bp->cap - 1);
    bp_entry *e = &bp->tab[j];
    if (!e->key) {
        e->key = key;
        bp->used++;
    }
    if (e->serial != bp->serial) {
        e->serial = bp->serial;
        e->count++;
    }
}

int ms_boilerplate_is_repeated(const ms_boilerplate *bp, const char *site, const char *line,
                               size_t len)
{
    if (!bp || !bp->cap || !len)
        return 0;
    const ms_bp_site *s = find_site(bp, site ? site : "");
    if (!s)
        return 0;
    uint64_t key = line_key(s->hash, line, len);
    size_t j = key & (bp->cap - 1);
    while (bp->tab[j].key && bp->tab[j].key != key)
        j = (j + 1) & (bp->cap - 1);
    const bp_entry *e = &bp->tab[j];
    return e->key == key && e->count >= 3 && e->count * 5 >= s->articles;
}
