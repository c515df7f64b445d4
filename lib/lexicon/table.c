/*
 * table.c - the lexicon's store: its block of strings and small arrays, the
 * table of keys, and making and freeing an empty lexicon (table.h has the
 * layout).
 *
 * Probing is on the tagger's inner loop, so the table is a compact array of
 * 32-bit hashes that is read alone, and a slot is only looked at on a hash
 * hit. A lexicon mapped from an image is used as it lies, so everything
 * that comes from one is checked where it is followed (slot_at, ms_lex_entry_at).
 */
#include "lexicon/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

/* ---- the block ---- */

/* Append n bytes of p (zeros when p is NULL) to b, aligned to align (a
 * power of two), with zeros before them up to there; returns their offset. */
size_t ms_lex_put(ms_sbuf *b, const void *p, size_t n, size_t align)
{
    size_t off = (b->n + align - 1) & ~(align - 1);
    char *at = ms_sb_room(b, off - b->n + n);
    memset(at, 0, off - b->n);
    if (p)
        memcpy(b->p + off, p, n);
    else
        memset(b->p + off, 0, n);
    b->n = off + n;
    return off;
}

/* Append to the block as ms_lex_put does; offsets are 32-bit, far above any
 * lexicon (the shipped one takes well under a megabyte). */
uint32_t ms_lex_blk_put(ms_lexicon *lx, const void *p, size_t n, size_t align)
{
    size_t off = ms_lex_put(&lx->blk, p, n, align);
    if (lx->blk.n > UINT32_MAX) {
        fputs("medsearch: a lexicon of more than 4 GB\n", stderr);
        abort();
    }
    return (uint32_t)off;
}

uint32_t ms_lex_blk_strndup(ms_lexicon *lx, const char *s, size_t n)
{
    uint32_t off = ms_lex_blk_put(lx, s, n, 1);
    ms_lex_blk_put(lx, "", 1, 1);
    return off;
}

/* Slot i, or NULL when it is not one or its arrays lie outside the block. */
/* Slot i, or NULL when it is not one or its arrays lie outside the block. */
static const slot *slot_at(const ms_lexicon *lx, uint32_t i)
{
    if (i >= lx->n_slots)
        return NULL;
    const slot *s = &lx->slots[i];
    if (!in_blk(lx, s->key, (size_t)s->len + 1, 1, 1) ||
        !in_blk(lx, s->entries, s->n_entries, sizeof(int), _Alignof(int)) ||
        !in_blk(lx, s->abbr, s->n_entries, 1, 1))
        return NULL;
    return s;
}

/* Entry i, or NULL when it is not one or its arrays lie outside the block. */
const entry *ms_lex_entry_at(const ms_lexicon *lx, int i)
{
    if (i < 0 || (size_t)i >= lx->n)
        return NULL;
    const entry *e = &lx->e[i];
    if (e->kind >= L_NKINDS || e->name >= lx->blk.n || e->cls >= lx->blk.n ||
        !in_blk(lx, e->forms, e->n_forms, sizeof(uint32_t), _Alignof(uint32_t)) ||
        !in_blk(lx, e->ingredients, e->n_ingredients, sizeof(int), _Alignof(int)))
        return NULL;
    return e;
}

/* ---- the key table ---- */

/* Place in the table of key, or the empty place where it would go;
 * SIZE_MAX when neither is there (a full table, only in a damaged image). */
static size_t find_place(const ms_lexicon *lx, const char *key, size_t len, uint32_t h)
{
    size_t mask = lx->tab_size - 1;
    for (size_t i = h & mask, tries = 0; tries <= mask; i = (i + 1) & mask, tries++) {
        uint32_t x = lx->hashes[i];
        if (!x)
            return i;
        if (x == h) {
            const slot *s = slot_at(lx, lx->idx[i]);
            if (s && s->len == len && memcmp(str_at(lx, s->key), key, len) == 0)
                return i;
        }
    }
    return SIZE_MAX;
}

const slot *ms_lex_probe(const ms_lexicon *lx, const key *k)
{
    size_t i = find_place(lx, k->s.p, k->s.n, key_hash(k));
    return i != SIZE_MAX && lx->hashes[i] ? &lx->slots[lx->idx[i]] : NULL;
}

/* Move the table to one of size places (a larger power of two); the keys
 * are distinct, so each goes to the first empty place from its hash without
 * a comparison. */
static void resize_table(ms_lexicon *lx, size_t size)
{
    uint32_t *old_h = lx->hashes, *old_i = lx->idx;
    size_t old_size = lx->tab_size;
    lx->tab_size = size;
    lx->hashes = ms_xrealloc(NULL, lx->tab_size * sizeof *lx->hashes);
    lx->idx = ms_xrealloc(NULL, lx->tab_size * sizeof *lx->idx);
    memset(lx->hashes, 0, lx->tab_size * sizeof *lx->hashes);
    size_t mask = lx->tab_size - 1;
    for (size_t i = 0; i < old_size; i++) {
        if (!old_h[i])
            continue;
        size_t j = old_h[i] & mask;
        while (lx->hashes[j])
            j = (j + 1) & mask;
        lx->hashes[j] = old_h[i];
        lx->idx[j] = old_i[i];
    }
    free(old_h);
    free(old_i);
}

/* Room for n slots in all, so that adding them needs no growing. */
void ms_lex_reserve(ms_lexicon *lx, size_t n)
{
    size_t size = lx->tab_size;
    while (n * 2 > size)
        size *= 2;
    if (size > lx->tab_size)
        resize_table(lx, size);
    if (n > lx->slots_cap) {
        while (n > lx->slots_cap)
            lx->slots_cap *= 2;
        lx->slots = ms_xrealloc(lx->slots, lx->slots_cap * sizeof *lx->slots);
    }
}

/* The slot of key (with hash h; one_term: it has no space), added if new.
 * The pointer is good until the next call. */
slot *ms_lex_intern(ms_lexicon *lx, const char *key, size_t len, uint32_t h, int one_term)
{
    ms_lex_reserve(lx, lx->n_slots + 1);
    size_t i = find_place(lx, key, len, h);
    if (lx->hashes[i])
        return &lx->slots[lx->idx[i]];
    slot *s = &lx->slots[lx->n_slots];
    memset(s, 0, sizeof *s);
    s->key = ms_lex_blk_strndup(lx, key, len);
    s->len = (uint32_t)len;
    lx->hashes[i] = h;
    lx->idx[i] = (uint32_t)lx->n_slots++;
    if (one_term) {
        lx->first_terms[(h & 0xffff) >> 6] |= 1ull << (h & 63);
        lx->first_terms[h >> 22] |= 1ull << (h >> 16 & 63);
    }
    return s;
}

int ms_lex_entkind_of(enum lkind k)
{
    switch (k) {
    case L_DRUG:
        return MS_ENT_DRUG;
    case L_SYMPTOM:
        return MS_ENT_SYMPTOM;
    case L_CONDITION:
        return MS_ENT_CONDITION;
    default:
        return -1;
    }
}

ms_lexicon *ms_lexicon_new(ms_analyzer *a, ms_error *err)
{
    ms_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx) {
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    lx->an = a;
    lx->tab_size = 1024;
    lx->slots_cap = lx->tab_size / 2;
    lx->slots = malloc(lx->slots_cap * sizeof *lx->slots);
    lx->hashes = calloc(lx->tab_size, sizeof *lx->hashes);
    lx->idx = malloc(lx->tab_size * sizeof *lx->idx);
    lx->stems = calloc(1, sizeof *lx->stems);
    if (!lx->slots || !lx->hashes || !lx->idx || !lx->stems) {
        free(lx->slots);
        free(lx->hashes);
        free(lx->idx);
        free(lx->stems);
        free(lx);
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    lx->n_stems = 1;
    lx->digest = MS_FNV_BASIS;
    ms_lex_blk_put(lx, "", 1, 1); /* offset 0: none, or "" */
    return lx;
}

void ms_lexicon_free(ms_lexicon *lx)
{
    if (!lx)
        return;
    if (lx->image) {
        munmap(lx->image, lx->image_len);
        free(lx);
        return;
    }
    free(lx->e);
    free(lx->slots);
    free(lx->hashes);
    free(lx->idx);
    free(lx->stems);
    free(lx->blk.p);
    free(lx);
}
