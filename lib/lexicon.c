/*
 * lexicon.c - loading the TSV lexicon and tagging entities in token streams.
 *
 * Every surface form is stored as its key: the folded primary terms of the
 * analyzer joined by single spaces, with a trailing 's cut from each term
 * (so "Crohn's disease" and "Crohn disease" share a key). One open-addressing
 * hash table maps keys to the entries that have that form, and also records
 * every proper prefix of a multi-word key, so that the longest match at a
 * token is found by extending one term at a time while a prefix exists.
 *
 * Salt and dosage-form words live in the same table under their own kinds;
 * the tagger consults them to extend a drug mention and to recognise drugs
 * that the list lacks by their INN endings.
 *
 * Tagging runs on every passage the indexer sees, so its inner loop is kept
 * to a hash over the terms it has already read (extended term by term, never
 * rebuilt), a probe in a compact array of hashes that only touches the slot
 * itself on a hash hit, and a reversed trie of INN endings.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "medsearch/lexicon.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum lkind { L_DRUG, L_SYMPTOM, L_CONDITION, L_COMBO, L_SALT, L_FORM, L_STEM, L_NKINDS };

static const char *const lkind_names[] = {"drug", "symptom", "condition", "combo",
                                          "salt", "form",    "stem"};

/* The keys each kind takes (README.md), as bits of key_names. */
enum { K_CLASS = 1, K_BRAND = 2, K_ALIAS = 4, K_ABBR = 8, K_INGREDIENTS = 16 };
static const char *const key_names[] = {"class", "brand", "alias", "abbr", "ingredients"};
static const unsigned kind_keys[] = {
    [L_DRUG] = K_CLASS | K_BRAND | K_ALIAS,
    [L_SYMPTOM] = K_ALIAS,
    [L_CONDITION] = K_ALIAS | K_ABBR,
    [L_COMBO] = K_INGREDIENTS | K_BRAND | K_ALIAS,
    [L_SALT] = K_ALIAS,
    [L_FORM] = K_ALIAS,
    [L_STEM] = K_CLASS,
};

#define KEY_MAX 512    /* bytes of a key: far above any name */
#define MAX_FIELDS 64  /* tab-separated columns of a line */
#define MAX_ITEMS 256  /* '|'-separated items of a field */
#define MIN_INN_WORD 6 /* shortest word that an INN ending may mark as a drug */
#define MIN_INN_HEAD 3 /* letters a word needs before its INN ending */

/* Entries and slots hold no pointers: their strings and small arrays are in
 * the lexicon's block, at the offsets they give (0 stands for none), so that
 * the arrays of a saved image are used as they are in the file. */
typedef struct entry {
    uint32_t name;
    uint32_t cls;
    uint32_t forms; /* n_forms offsets of keys; forms[0] is the name's */
    uint32_t n_forms;
    uint32_t ingredients; /* combo: n_ingredients drug entries (int) */
    uint32_t n_ingredients;
    uint32_t kind; /* enum lkind */
} entry;

typedef struct slot {
    uint32_t key; /* NUL-terminated, len bytes */
    uint32_t len;
    uint32_t entries; /* n_entries entries (int) with this form */
    uint32_t abbr;    /* per entry: the form is an abbreviation (capitals only) */
    uint32_t n_entries;
    uint8_t kinds;    /* bit 1 << lkind for each kind among entries */
    uint8_t any_abbr; /* some entry has this form as an abbreviation */
    uint8_t prefix;   /* a proper prefix of some longer key */
} slot;

_Static_assert(L_NKINDS <= 8, "slot.kinds has a bit per kind");

/* A node of the trie of INN endings read backwards (last letter first). */
typedef struct stem_node {
    uint16_t next[26]; /* child per letter a-z; 0: none (the root is never a child) */
    uint8_t len;       /* length of the ending that ends here, 0: none */
} stem_node;

/* A form of the line being read: its key is at keys + off. */
typedef struct pform {
    size_t off, len;
    uint32_t h;
    int terms;
    int abbr;
} pform;

/* The entry of the line being read, registered only once its whole line is
 * good. Its buffers are kept from line to line. */
typedef struct pending {
    enum lkind kind;
    const char *name, *cls; /* in the line */
    ms_sbuf keys;
    pform *forms; /* forms[0] is the name's */
    size_t nf, forms_cap;
    int *ingredients;
    size_t ni, ingredients_cap;
} pending;

struct ms_lexicon {
    ms_analyzer *an;
    entry *e;
    size_t n, cap;
    /* The keys, in slots in the order they came, and a table of them:
     * hashes[i] is 0 for an empty place, else the hash of the key of slot
     * idx[i]. Probing reads only hashes (4 bytes a place, small enough to
     * stay in cache) and looks at the slot on a hash hit. */
    slot *slots;
    size_t n_slots, slots_cap;
    uint32_t *hashes;
    uint32_t *idx;
    size_t tab_size;
    /* A Bloom filter (two bits per key, from the two halves of its hash) of
     * the one-term keys: most words of a text start no form, and this 8 KB
     * answers for them without a probe of the table. */
    uint64_t first_terms[1024];
    stem_node *stems; /* stems[0] is the root */
    size_t n_stems;
    uint64_t digest;
    char digest_hex[17];
    /* the strings and small arrays that entries and slots point at by
     * offset; in a lexicon read from an image, a part of that image */
    ms_sbuf blk;
    char *image; /* a lexicon read from an image lives in this one mapping */
    size_t image_len;
};

static const char *const entkind_prefix[] = {"XDRUG", "XSYM", "XCOND"};
static const char *const entkind_names[] = {"drug", "symptom", "condition"};

const char *ms_entkind_prefix(ms_entkind k)
{
    return entkind_prefix[k];
}

const char *ms_entkind_name(ms_entkind k)
{
    return entkind_names[k];
}

void ms_entities_init(ms_entities *e)
{
    memset(e, 0, sizeof *e);
}

void ms_entities_free(ms_entities *e)
{
    free(e->v);
    ms_entities_init(e);
}

/* ---- keys ---- */

/* A key being built term by term (NUL-terminated, in s.p), with its
 * FNV-1a hash kept up to date so that the key of terms i..j+1 costs only
 * term j+1. */
typedef struct key {
    ms_sbuf s;
    uint64_t h;
} key;

static void key_start(key *k)
{
    k->s.n = 0;
    *ms_sb_room(&k->s, 0) = '\0';
    k->h = MS_FNV_BASIS;
}

/* Append a term; 0 when the key would be too long. */
static int key_add(key *k, const char *s, size_t n)
{
    if (k->s.n + n + 1 >= KEY_MAX)
        return 0;
    if (k->s.n) {
        ms_sb_put(&k->s, " ", 1);
        k->h = ms_fnv1a(k->h, " ", 1);
    }
    ms_sb_put(&k->s, s, n);
    k->h = ms_fnv1a(k->h, s, n);
    *ms_sb_room(&k->s, 0) = '\0';
    return 1;
}

/* The 32-bit hash that the table stores for the 64-bit FNV-1a value h of
 * a key: its two halves folded, and never 0, which marks an empty place. */
static uint32_t hash32(uint64_t h)
{
    uint32_t x = (uint32_t)(h ^ h >> 32);
    return x ? x : 1;
}

static uint32_t key_hash(const key *k)
{
    return hash32(k->h);
}

/* Term of token k as used in keys: folded, with a trailing 's cut. */
static size_t key_term(const ms_tokens *t, const ms_token *k, const char **out)
{
    const char *s = ms_token_term(t, k);
    size_t n = k->len;
    if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
        n -= 2;
    *out = s;
    return n;
}

/* ---- the block ---- */

/* Append n bytes of p (zeros when p is NULL) to b, aligned to align (a
 * power of two), with zeros before them up to there; returns their offset. */
static size_t put(ms_sbuf *b, const void *p, size_t n, size_t align)
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

/* Append to the block as put does; offsets are 32-bit, far above any
 * lexicon (the shipped one takes well under a megabyte). */
static uint32_t blk_put(ms_lexicon *lx, const void *p, size_t n, size_t align)
{
    size_t off = put(&lx->blk, p, n, align);
    if (lx->blk.n > UINT32_MAX) {
        fputs("medsearch: a lexicon of more than 4 GB\n", stderr);
        abort();
    }
    return (uint32_t)off;
}

static uint32_t blk_strndup(ms_lexicon *lx, const char *s, size_t n)
{
    uint32_t off = blk_put(lx, s, n, 1);
    blk_put(lx, "", 1, 1);
    return off;
}

static inline const char *str_at(const ms_lexicon *lx, uint32_t off)
{
    return lx->blk.p + off;
}

static inline int *ints_at(const ms_lexicon *lx, uint32_t off)
{
    return (int *)(void *)(lx->blk.p + off);
}

static inline uint32_t *offs_at(const ms_lexicon *lx, uint32_t off)
{
    return (uint32_t *)(void *)(lx->blk.p + off);
}

/* Whether count elements of size elem at off lie in the block, aligned to
 * align. A lexicon read from an image is used where it lies, without a pass
 * over all of it, so every offset and number that comes from the image is
 * checked where it is followed: damage can make a lookup miss, never read
 * outside the image. */
static inline int in_blk(const ms_lexicon *lx, uint32_t off, size_t count, size_t elem,
                         size_t align)
{
    return off % align == 0 && off <= lx->blk.n && count <= (lx->blk.n - off) / elem;
}

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
static const entry *entry_at(const ms_lexicon *lx, int i)
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

static const slot *probe(const ms_lexicon *lx, const key *k)
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
static void reserve(ms_lexicon *lx, size_t n)
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
static slot *intern(ms_lexicon *lx, const char *key, size_t len, uint32_t h, int one_term)
{
    reserve(lx, lx->n_slots + 1);
    size_t i = find_place(lx, key, len, h);
    if (lx->hashes[i])
        return &lx->slots[lx->idx[i]];
    slot *s = &lx->slots[lx->n_slots];
    memset(s, 0, sizeof *s);
    s->key = blk_strndup(lx, key, len);
    s->len = (uint32_t)len;
    lx->hashes[i] = h;
    lx->idx[i] = (uint32_t)lx->n_slots++;
    if (one_term) {
        lx->first_terms[(h & 0xffff) >> 6] |= 1ull << (h & 63);
        lx->first_terms[h >> 22] |= 1ull << (h >> 16 & 63);
    }
    return s;
}

/* Whether some key may be the one-term key k (no: certainly none). */
static int may_start(const ms_lexicon *lx, const key *k)
{
    uint32_t h = key_hash(k);
    return (lx->first_terms[(h & 0xffff) >> 6] >> (h & 63) & 1) &&
           (lx->first_terms[h >> 22] >> (h >> 16 & 63) & 1);
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
    blk_put(lx, "", 1, 1); /* offset 0: none, or "" */
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

/* What loading keeps from line to line: where it is, the entry of the
 * line being read, and scratch for making keys. */
typedef struct loader {
    ms_lexicon *lx;
    const char *path; /* for messages ("FILE:LINE: ...") */
    unsigned line;
    pending p;
    key k;
    ms_tokens toks; /* the analysis of a name */
} loader;

/* The key of text into k when text is only ASCII letters and characters
 * that the analyzer skips (no digits, hyphens or apostrophes, which it
 * groups), and shorter than a key: its terms are then the words in lower
 * case. Returns as make_key does, or -2 when text is not of that kind. */
static int plain_key(const char *text, key *k)
{
    size_t word = 0;
    int terms = 0;
    key_start(k);
    for (const char *p = text;; p++) {
        unsigned char c = (unsigned char)*p, l = c | 32;
        if (l >= 'a' && l <= 'z') {
            if (!word && terms++)
                ms_sb_put(&k->s, " ", 1);
            /* the analyzer cuts long terms, and says when a key is too long */
            if (word++ == MS_TERM_MAX || k->s.n + 1 >= KEY_MAX)
                return -2;
            ms_sb_put(&k->s, (const char *)&l, 1);
        } else if (c >= 0x80 || (c >= '0' && c <= '9') || c == '-' || c == '\'') {
            return -2;
        } else if (c) {
            word = 0;
        } else {
            *ms_sb_room(&k->s, 0) = '\0';
            k->h = ms_fnv1a(MS_FNV_BASIS, k->s.p, k->s.n);
            return terms;
        }
    }
}

/* Build the key of text (a name) into k; returns its number of terms (of
 * parts between spaces: a folded term may hold one), 0 when it has none, -1
 * when it is too long. */
static int make_key(loader *ld, const char *text, key *k)
{
    int terms = plain_key(text, k);
    if (terms != -2)
        return terms;
    ms_tokens_reset(&ld->toks);
    ms_analyze(ld->lx->an, text, strlen(text), 1, &ld->toks);
    key_start(k);
    terms = 0;
    for (size_t i = 0; i < ld->toks.n; i++) {
        const ms_token *t = &ld->toks.v[i];
        if (t->flags & MS_TOK_ALT)
            continue;
        const char *s;
        size_t n = key_term(&ld->toks, t, &s);
        if (!key_add(k, s, n))
            return -1;
        terms++;
    }
    if (terms > 0) {
        terms = 1;
        for (size_t i = 0; i < k->s.n; i++)
            terms += k->s.p[i] == ' ';
    }
    return terms;
}

/* Register the form f, whose key is key, as a form of entry ei (whose forms
 * array has room for it). */
static void add_form(ms_lexicon *lx, int ei, const pform *f, const char *key)
{
    entry *e = &lx->e[ei];
    slot *s = intern(lx, key, f->len, f->h, f->terms == 1);
    /* keys are interned: one offset for one string */
    for (size_t j = 0; j < e->n_forms; j++)
        if (offs_at(lx, e->forms)[j] == s->key)
            return;
    offs_at(lx, e->forms)[e->n_forms++] = s->key;
    uint32_t n = s->n_entries;
    if ((n & (n - 1)) == 0) { /* 0 or a power of two: full */
        size_t cap = n ? 2 * (size_t)n : 1;
        uint32_t entries = blk_put(lx, NULL, cap * sizeof(int), _Alignof(int));
        uint32_t ab = blk_put(lx, NULL, cap, 1);
        if (n) {
            memcpy(ints_at(lx, entries), ints_at(lx, s->entries), n * sizeof(int));
            memcpy(lx->blk.p + ab, str_at(lx, s->abbr), n);
        }
        s->entries = entries;
        s->abbr = ab;
    }
    ints_at(lx, s->entries)[n] = ei;
    lx->blk.p[s->abbr + n] = (char)f->abbr;
    s->any_abbr |= (uint8_t)f->abbr;
    s->kinds |= (uint8_t)(1u << e->kind);
    s->n_entries = n + 1;
    /* every proper prefix, so that matching knows when to read on: the
     * hash of a key's first bytes is that of the key of its first terms */
    uint64_t ph = MS_FNV_BASIS;
    for (size_t i = 0, t = 1; t < (size_t)f->terms; i++) {
        if (key[i] == ' ')
            intern(lx, key, i, hash32(ph), t++ == 1)->prefix = 1;
        ph = ms_fnv1a(ph, key + i, 1);
    }
}

/* ---- loading ---- */

/* The entry of kind whose name has key k, or -1. */
static int find_named(const ms_lexicon *lx, enum lkind kind, const key *k)
{
    const slot *s = probe(lx, k);
    for (size_t i = 0; s && i < s->n_entries; i++) {
        int ei = ints_at(lx, s->entries)[i];
        const entry *e = entry_at(lx, ei);
        if (e && e->kind == kind && e->n_forms && offs_at(lx, e->forms)[0] == s->key)
            return ei;
    }
    return -1;
}

/* Split s at sep in place into out (capacity max); returns the number of
 * pieces, or max + 1 when there are more. */
static size_t split(char *s, char sep, char **out, size_t max)
{
    size_t n = 0;
    for (;;) {
        if (n == max)
            return max + 1;
        out[n++] = s;
        char *p = strchr(s, sep);
        if (!p)
            return n;
        *p = '\0';
        s = p + 1;
    }
}

/* Add an INN ending (folded) to the reversed trie; 0 if it was there. */
static int add_stem(ms_lexicon *lx, const char *s, size_t n)
{
    size_t node = 0;
    for (size_t i = n; i-- > 0;) {
        int c = s[i] - 'a';
        if (!lx->stems[node].next[c]) {
            lx->stems = ms_xrealloc(lx->stems, (lx->n_stems + 1) * sizeof *lx->stems);
            memset(&lx->stems[lx->n_stems], 0, sizeof *lx->stems);
            lx->stems[node].next[c] = (uint16_t)lx->n_stems++;
        }
        node = lx->stems[node].next[c];
    }
    if (lx->stems[node].len)
        return 0;
    lx->stems[node].len = (uint8_t)n;
    return 1;
}

static int parse_stem(loader *ld, const char *name, ms_error *err)
{
    ms_lexicon *lx = ld->lx;
    char fold[64];
    size_t n = ms_analyzer_fold(lx->an, name, strlen(name), fold, sizeof fold);
    int letters = n > 0 && n < sizeof fold - 1;
    for (size_t i = 0; letters && i < n; i++)
        letters = fold[i] >= 'a' && fold[i] <= 'z';
    /* the trie has 16-bit links: 65535 nodes is thousands of endings */
    if (!letters || lx->n_stems + n > UINT16_MAX)
        return ms_fail(err, MS_EFORMAT, "%s:%u: stem '%s' is not a suffix of letters a-z", ld->path,
                       ld->line, name);
    if (!add_stem(lx, fold, n))
        return ms_fail(err, MS_EFORMAT, "%s:%u: stem '%s' is defined twice", ld->path, ld->line,
                       name);
    return 0;
}

static void add_pending_form(pending *p, const key *k, int terms, int abbr)
{
    if (p->nf == p->forms_cap) {
        p->forms_cap = p->forms_cap ? 2 * p->forms_cap : 16;
        p->forms = ms_xrealloc(p->forms, p->forms_cap * sizeof *p->forms);
    }
    p->forms[p->nf++] = (pform){p->keys.n, k->s.n, key_hash(k), terms, abbr};
    ms_sb_put(&p->keys, k->s.p, k->s.n + 1);
}

/* Read one key=value field, whose key (K_*) the kind takes, into the
 * pending entry. */
static int parse_field(loader *ld, unsigned fkey, char *field, ms_error *err)
{
    pending *p = &ld->p;
    char *eq = strchr(field, '=');
    *eq = '\0';
    char *items[MAX_ITEMS];
    size_t ni = split(eq + 1, '|', items, MAX_ITEMS);
    if (ni > MAX_ITEMS)
        return ms_fail(err, MS_EFORMAT, "%s:%u: more than %d items in %s=", ld->path, ld->line,
                       MAX_ITEMS, field);
    for (size_t i = 0; i < ni; i++)
        if (!items[i][0])
            return ms_fail(err, MS_EFORMAT, "%s:%u: empty item in %s=", ld->path, ld->line, field);
    if (fkey == K_CLASS) {
        p->cls = eq + 1; /* its first item */
        return 0;
    }
    for (size_t i = 0; i < ni; i++) {
        int terms = make_key(ld, items[i], &ld->k);
        if (fkey == K_INGREDIENTS) {
            int d = terms > 0 ? find_named(ld->lx, L_DRUG, &ld->k) : -1;
            if (d < 0)
                return ms_fail(err, MS_EFORMAT,
                               "%s:%u: ingredient '%s' is not a drug defined before it", ld->path,
                               ld->line, items[i]);
            if (p->ni == p->ingredients_cap) {
                p->ingredients_cap = p->ingredients_cap ? 2 * p->ingredients_cap : 8;
                p->ingredients =
                    ms_xrealloc(p->ingredients, p->ingredients_cap * sizeof *p->ingredients);
            }
            p->ingredients[p->ni++] = d;
        } else if (terms <= 0) { /* alias, brand, abbr */
            return ms_fail(err, MS_EFORMAT, "%s:%u: item '%s' in %s= %s", ld->path, ld->line,
                           items[i], field, terms ? "is too long" : "has no words");
        } else {
            add_pending_form(p, &ld->k, terms, fkey == K_ABBR);
        }
    }
    return 0;
}

/* Check the pending entry's line as a whole, then register it. */
static int add_pending(loader *ld, ms_error *err)
{
    ms_lexicon *lx = ld->lx;
    const pending *p = &ld->p;
    if (p->kind == L_DRUG && !p->cls)
        return ms_fail(err, MS_EFORMAT, "%s:%u: drug '%s' has no class=", ld->path, ld->line,
                       p->name);
    if (p->kind == L_COMBO && !p->ni)
        return ms_fail(err, MS_EFORMAT, "%s:%u: combo '%s' has no ingredients=", ld->path, ld->line,
                       p->name);
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 256;
        lx->e = ms_xrealloc(lx->e, lx->cap * sizeof *lx->e);
    }
    entry *e = &lx->e[lx->n];
    memset(e, 0, sizeof *e);
    e->kind = p->kind;
    e->name = blk_strndup(lx, p->name, strlen(p->name));
    if (p->cls)
        e->cls = blk_strndup(lx, p->cls, strlen(p->cls));
    if (p->ni) {
        e->ingredients = blk_put(lx, p->ingredients, p->ni * sizeof *p->ingredients, _Alignof(int));
        e->n_ingredients = (uint32_t)p->ni;
    }
    e->forms = blk_put(lx, NULL, p->nf * sizeof(uint32_t), _Alignof(uint32_t));
    for (size_t f = 0; f < p->nf; f++) {
        add_form(lx, (int)lx->n, &p->forms[f], p->keys.p + p->forms[f].off);
    }
    lx->n++;
    return 0;
}

static int parse_line(loader *ld, char *line, ms_error *err)
{
    char *col[MAX_FIELDS];
    size_t nc = split(line, '\t', col, MAX_FIELDS);
    if (nc > MAX_FIELDS)
        return ms_fail(err, MS_EFORMAT, "%s:%u: more than %d fields", ld->path, ld->line,
                       MAX_FIELDS);
    int kind = -1;
    for (int k = 0; k < L_NKINDS && kind < 0; k++)
        if (strcmp(col[0], lkind_names[k]) == 0)
            kind = k;
    if (kind < 0)
        return ms_fail(
            err, MS_EFORMAT,
            "%s:%u: unknown kind '%s' (drug, combo, symptom, condition, salt, form, stem)",
            ld->path, ld->line, col[0]);
    if (nc < 2 || !col[1][0])
        return ms_fail(err, MS_EFORMAT, "%s:%u: missing name after '%s'", ld->path, ld->line,
                       col[0]);
    unsigned keys[MAX_FIELDS];
    for (size_t c = 2; c < nc; c++) {
        char *eq = strchr(col[c], '=');
        if (!eq || eq == col[c])
            return ms_fail(err, MS_EFORMAT, "%s:%u: field %zu is not key=value: '%s'", ld->path,
                           ld->line, c + 1, col[c]);
        size_t kl = (size_t)(eq - col[c]);
        unsigned fkey = 0;
        for (size_t k = 0; k < sizeof key_names / sizeof *key_names && !fkey; k++)
            if (strncmp(key_names[k], col[c], kl) == 0 && !key_names[k][kl])
                fkey = 1u << k;
        keys[c] = fkey;
        if (!(fkey & kind_keys[kind]))
            return ms_fail(err, MS_EFORMAT, "%s:%u: unknown key '%.*s' for %s", ld->path, ld->line,
                           (int)kl, col[c], col[0]);
    }
    if (kind == L_STEM)
        return parse_stem(ld, col[1], err);
    int terms = make_key(ld, col[1], &ld->k);
    if (terms <= 0)
        return ms_fail(err, MS_EFORMAT, "%s:%u: name '%s' %s", ld->path, ld->line, col[1],
                       terms ? "is too long" : "has no words");
    if (find_named(ld->lx, (enum lkind)kind, &ld->k) >= 0)
        return ms_fail(err, MS_EFORMAT, "%s:%u: %s '%s' is defined twice", ld->path, ld->line,
                       col[0], col[1]);
    pending *p = &ld->p;
    p->kind = (enum lkind)kind;
    p->name = col[1];
    p->cls = NULL;
    p->keys.n = p->nf = p->ni = 0;
    add_pending_form(p, &ld->k, terms, 0);
    int rc = 0;
    for (size_t c = 2; c < nc && rc == 0; c++)
        rc = parse_field(ld, keys[c], col[c], err);
    if (rc == 0)
        rc = add_pending(ld, err);
    return rc;
}

int ms_lexicon_load_file(ms_lexicon *lx, const char *path, ms_error *err)
{
    if (lx->image)
        return ms_fail(err, MS_EIO, "%s: the lexicon was read from an image", path);
    size_t len = 0;
    char why[200];
    char *buf = ms_read_file(path, (size_t)1 << 30, &len, why, sizeof why);
    if (!buf)
        return ms_fail(err, MS_EIO, "%s: %s", path, why);
    int rc = 0;
    /* the shipped lexicon has a key for every 17 bytes or so: make room
     * for about as many, to grow the table once rather than bit by bit */
    reserve(lx, lx->n_slots + len / 16);
    loader ld = {.lx = lx, .path = path};
    ms_tokens_init(&ld.toks);
    for (char *line = buf, *end = buf + len; rc == 0 && line < end;) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *next = nl ? nl + 1 : end;
        size_t got = (size_t)((nl ? nl : end) - line);
        ld.line++;
        while (got > 0 && line[got - 1] == '\r')
            got--;
        line[got] = '\0';
        if (got > 0 && line[0] != '#') {
            /* The digest covers the lines that mean something, each ended
             * by a newline: comments, blank lines and CRLF line ends do not
             * change what an index holds, so they do not force a rebuild. */
            lx->digest = ms_fnv1a(ms_fnv1a(lx->digest, line, got), "\n", 1);
            if (memchr(line, '\0', got))
                rc = ms_fail(err, MS_EFORMAT, "%s:%u: NUL byte in line", ld.path, ld.line);
            else
                rc = parse_line(&ld, line, err);
        }
        line = next;
    }
    free(buf);
    free(ld.p.keys.p);
    free(ld.p.forms);
    free(ld.p.ingredients);
    free(ld.k.s.p);
    ms_tokens_free(&ld.toks);
    snprintf(lx->digest_hex, sizeof lx->digest_hex, "%016llx", (unsigned long long)lx->digest);
    return rc;
}

/* ---- the compiled image ----
 *
 * Parsing the TSV files costs a one-query medquery most of its time, so a
 * loaded lexicon is saved as an image: its arrays as they are in memory.
 * They hold offsets into the block, never pointers, so reading an image back
 * is mapping the file and checking its header: the pages a query touches are
 * the only ones read, and they are shared with every other process that
 * maps the same image. An image is written whole under another name and
 * renamed into place, never changed where it lies, so a mapped image does not
 * change under its reader. Its numbers are checked where they are followed
 * (in_blk, slot_at, entry_at), so a damaged image can make a lookup miss but
 * never read outside the image. An image stands for a stamp (the files'
 * paths, sizes and times, the analyzer's settings) and is used only for the
 * very same stamp. */

#define IMAGE_MAGIC "MSLEXIMG"
/* 3: keys hashed with ms_fnv1a (64-bit) folded to 32 bits, not a 32-bit
 * FNV-1a of their own */
#define IMAGE_VERSION 3u
#define IMAGE_ALIGN 16

typedef struct image_header {
    char magic[8];
    uint32_t version;
    uint32_t layout; /* sizes of the structures, so that another build's image is refused */
    uint64_t digest;
    uint64_t stamp_len, n, n_slots, tab_size, n_stems, blk_len;
    uint64_t first_terms[1024];
} image_header;

static uint32_t image_layout(void)
{
    return (uint32_t)(sizeof(entry) | sizeof(slot) << 8 | sizeof(stem_node) << 16);
}

static size_t pad(size_t n)
{
    return (n + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1);
}

int ms_lexicon_save_image(const ms_lexicon *lx, const char *path, const char *stamp)
{
    if (lx->image)
        return 0; /* it came from one */
    /* the table at about 60% full: loading sized it for growth */
    size_t ts = 16;
    while (ts * 3 < lx->n_slots * 5)
        ts *= 2;
    /* the block gets a NUL after it, so that every string in it ends */
    image_header h = {
        IMAGE_MAGIC, IMAGE_VERSION, image_layout(), lx->digest, strlen(stamp), lx->n, lx->n_slots,
        ts,          lx->n_stems,   lx->blk.n + 1,  {0}};
    memcpy(h.first_terms, lx->first_terms, sizeof h.first_terms);
    uint32_t *th = ms_xrealloc(NULL, ts * sizeof *th), *ti = ms_xrealloc(NULL, ts * sizeof *ti);
    memset(th, 0, ts * sizeof *th);
    memset(ti, 0, ts * sizeof *ti); /* empty places too: an image is the same bytes every time */
    for (size_t i = 0; i < lx->tab_size; i++) {
        if (!lx->hashes[i])
            continue;
        size_t j = lx->hashes[i] & (ts - 1);
        while (th[j])
            j = (j + 1) & (ts - 1);
        th[j] = lx->hashes[i];
        ti[j] = lx->idx[i];
    }
    ms_sbuf out = {0};
    put(&out, &h, sizeof h, IMAGE_ALIGN);
    put(&out, stamp, h.stamp_len, IMAGE_ALIGN);
    put(&out, lx->e, lx->n * sizeof *lx->e, IMAGE_ALIGN);
    put(&out, lx->slots, lx->n_slots * sizeof *lx->slots, IMAGE_ALIGN);
    put(&out, th, ts * sizeof *th, IMAGE_ALIGN);
    put(&out, ti, ts * sizeof *ti, IMAGE_ALIGN);
    put(&out, lx->stems, lx->n_stems * sizeof *lx->stems, IMAGE_ALIGN);
    put(&out, lx->blk.p, lx->blk.n, IMAGE_ALIGN);
    put(&out, "", 1, 1);
    free(th);
    free(ti);
    /* written whole under another name, then renamed: a reader sees the old
       image or the new one, never half of one */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* a new file of our own: never one planted at a known name */
    if (fd >= 0 && fchmod(fd, 0644) != 0) {
        close(fd);
        unlink(tmp);
        fd = -1;
    }
    int rc = fd < 0 ? -1 : 0;
    for (size_t w = 0; rc == 0 && w < out.n;) {
        ssize_t n = write(fd, out.p + w, out.n - w);
        if (n > 0)
            w += (size_t)n;
        else if (errno != EINTR)
            rc = -1;
    }
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0 && fd >= 0)
        unlink(tmp);
    free(out.p);
    return rc;
}

/* The lexicon of the image mapped at buf (taken over on success), or NULL
 * when its header or the places of its sections are not sound. */
static ms_lexicon *from_image(ms_analyzer *a, char *buf, size_t len, const char *stamp)
{
    image_header h;
    if (len < sizeof h)
        return NULL;
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, IMAGE_MAGIC, 8) || h.version != IMAGE_VERSION ||
        h.layout != image_layout() || h.stamp_len != strlen(stamp) || h.n > INT32_MAX ||
        h.n_slots >= h.tab_size || (h.tab_size & (h.tab_size - 1)) || h.tab_size > (1u << 30) ||
        h.n_stems == 0 || h.n_stems > 65536 || h.blk_len < 2 || h.blk_len > UINT32_MAX)
        return NULL;
    /* the sections, each where the writer put it */
    size_t off = pad(sizeof h), at[7];
    const uint64_t sizes[7] = {h.stamp_len,
                               h.n * sizeof(entry),
                               h.n_slots * sizeof(slot),
                               h.tab_size * sizeof(uint32_t),
                               h.tab_size * sizeof(uint32_t),
                               h.n_stems * sizeof(stem_node),
                               h.blk_len};
    for (int i = 0; i < 7; i++) {
        if (sizes[i] > len || off > len - sizes[i])
            return NULL;
        at[i] = off;
        off = i < 6 ? pad(off + sizes[i]) : off + sizes[i];
    }
    /* the block ends with a NUL: a string at any offset in it ends too */
    if (off != len || memcmp(buf + at[0], stamp, h.stamp_len) || buf[len - 1] != '\0')
        return NULL;
    ms_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->an = a;
    lx->e = (entry *)(void *)(buf + at[1]);
    lx->n = lx->cap = h.n;
    lx->slots = (slot *)(void *)(buf + at[2]);
    lx->n_slots = lx->slots_cap = h.n_slots;
    lx->hashes = (uint32_t *)(void *)(buf + at[3]);
    lx->idx = (uint32_t *)(void *)(buf + at[4]);
    lx->tab_size = h.tab_size;
    memcpy(lx->first_terms, h.first_terms, sizeof lx->first_terms);
    lx->stems = (stem_node *)(void *)(buf + at[5]);
    lx->n_stems = h.n_stems;
    lx->blk.p = buf + at[6];
    lx->blk.n = lx->blk.cap = h.blk_len;
    lx->digest = h.digest;
    snprintf(lx->digest_hex, sizeof lx->digest_hex, "%016llx", (unsigned long long)h.digest);
    lx->image = buf;
    lx->image_len = len;
    return lx;
}

ms_lexicon *ms_lexicon_read_image(ms_analyzer *a, const char *data, size_t len, const char *stamp)
{
    void *buf =
        mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        return NULL;
    memcpy(buf, data, len);
    ms_lexicon *lx = from_image(a, buf, len, stamp);
    if (!lx)
        munmap(buf, len ? len : 1);
    return lx;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.tsv files of dir, in name order, into *names (n of them, each to
 * free, and the array); -1 with err when there are none or dir is unreadable. */
static int list_tsv(const char *dir, char ***names, size_t *n, ms_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ms_fail(err, MS_EIO, "%s: %s", dir, strerror(errno));
    *names = NULL;
    *n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0) {
            *names = ms_xrealloc(*names, (*n + 1) * sizeof **names);
            (*names)[(*n)++] = ms_xstrndup(de->d_name, l);
        }
    }
    closedir(d);
    if (*n == 0) {
        free(*names);
        return ms_fail(err, MS_EIO, "%s: no lexicon files (*.tsv) there", dir);
    }
    qsort(*names, *n, sizeof **names, cmp_str);
    return 0;
}

int ms_lexicon_load_dir(ms_lexicon *lx, const char *dir, ms_error *err)
{
    char **names;
    size_t n;
    if (list_tsv(dir, &names, &n, err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            rc = ms_lexicon_load_file(lx, path, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Append path's line of an image stamp (path, device, inode, size, time) to
 * *st; 0 when path cannot be read (then no image is used). */
static int stamp_file(ms_sbuf *st, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    char line[4400];
    int n = snprintf(line, sizeof line, "%s\t%llu\t%llu\t%lld\t%lld.%09ld\n", path,
                     (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                     (long long)sb.st_size, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
    if (n < 0 || (size_t)n >= sizeof line)
        return 0;
    ms_sb_put(st, line, (size_t)n);
    return 1;
}

ms_lexicon *ms_lexicon_open(ms_analyzer *a, const char *dir, const char *const *files, size_t n,
                            const char *cache_dir, ms_error *err)
{
    char **names;
    size_t nn;
    if (list_tsv(dir, &names, &nn, err) < 0)
        return NULL;
    char **paths = ms_xrealloc(NULL, (nn + n + 1) * sizeof *paths);
    for (size_t i = 0; i < nn; i++) {
        size_t l = strlen(dir) + strlen(names[i]) + 2;
        paths[i] = ms_xrealloc(NULL, l);
        snprintf(paths[i], l, "%s/%s", dir, names[i]);
        free(names[i]);
    }
    free(names);
    for (size_t i = 0; i < n; i++)
        paths[nn + i] = ms_xstrdup(files[i]);
    size_t np = nn + n;

    /* the stamp, and the image's name: one per lexicon directory, file list
       and analyzer, so that a changed lexicon replaces its old image */
    ms_sbuf st = {0};
    const char *as = ms_analyzer_settings(a);
    ms_sb_put(&st, as, strlen(as));
    ms_sb_put(&st, "\n", 1);
    uint64_t name_hash = MS_FNV_BASIS;
    int stamped = 1;
    for (size_t i = 0; i < np; i++) {
        stamped &= stamp_file(&st, paths[i]);
        name_hash = ms_fnv1a(ms_fnv1a(name_hash, paths[i], strlen(paths[i])), "\n", 1);
    }
    name_hash = ms_fnv1a(name_hash, as, strlen(as));
    ms_sb_put(&st, "", 1);
    char img[4200] = "";
    if (cache_dir && stamped)
        snprintf(img, sizeof img, "%s/lexicon-%016llx.img", cache_dir,
                 (unsigned long long)name_hash);

    ms_lexicon *lx = NULL;
    int fd = img[0] ? open(img, O_RDONLY) : -1;
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0 && sb.st_size < (1 << 30)) {
        size_t len = (size_t)sb.st_size;
        void *buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (buf != MAP_FAILED && !(lx = from_image(a, buf, len, st.p)))
            munmap(buf, len);
    }
    if (fd >= 0)
        close(fd);
    if (!lx) {
        lx = ms_lexicon_new(a, err);
        for (size_t i = 0; lx && i < np; i++)
            if (ms_lexicon_load_file(lx, paths[i], err) < 0) {
                ms_lexicon_free(lx);
                lx = NULL;
            }
        if (lx && img[0])
            ms_lexicon_save_image(lx, img, st.p); /* a cache: failing to write it is no error */
    }
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(paths);
    free(st.p);
    return lx;
}

int ms_lexicon_from_image(const ms_lexicon *lx)
{
    return lx->image != NULL;
}

static int is_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d)
        closedir(d);
    return d != NULL;
}

/* The lexicon installed with the running program: a copy installed under
 * another prefix than the configured one (cmake --install --prefix P, a
 * relocated package) has its lexicon at the same place relative to the
 * prefix. The configured install path says where that is below the prefix,
 * but not where the prefix ends, so each of its tails that holds
 * medsearch/lexicon is tried, longest first, under the parent directory of
 * the program's own directory (bin/..). */
static const char *exe_relative_dir(void)
{
    static char found[4096];
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    for (int up = 0; up < 2; up++) { /* the program, then its directory */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
    }
    const char *conf = MEDSEARCH_INSTALL_LEXICON_DIR;
    for (const char *tail = strchr(conf, '/'); tail; tail = strchr(tail + 1, '/')) {
        if (!strstr(tail, "/medsearch/lexicon"))
            break;
        int n = snprintf(found, sizeof found, "%s%s", exe, tail);
        if (n > 0 && (size_t)n < sizeof found && is_dir(found))
            return found;
    }
    return NULL;
}

const char *ms_lexicon_default_dir(void)
{
    const char *env = getenv("MEDSEARCH_LEXICON");
    if (env && *env)
        return env;
    const char *rel = exe_relative_dir();
    if (rel)
        return rel;
    if (is_dir(MEDSEARCH_INSTALL_LEXICON_DIR))
        return MEDSEARCH_INSTALL_LEXICON_DIR;
    return MEDSEARCH_SOURCE_LEXICON_DIR;
}

const char *ms_lexicon_digest(const ms_lexicon *lx)
{
    return lx->digest_hex[0] ? lx->digest_hex : "empty";
}

size_t ms_lexicon_count(const ms_lexicon *lx, ms_entkind k)
{
    static const enum lkind map[] = {L_DRUG, L_SYMPTOM, L_CONDITION};
    size_t c = 0;
    for (size_t i = 0; i < lx->n; i++)
        c += lx->e[i].kind == map[k];
    return c;
}

size_t ms_lexicon_size(const ms_lexicon *lx)
{
    return lx->n;
}

/* An entry whose arrays are damaged (only in an image) reads as one
 * without a name, class or forms. */
const char *ms_lexicon_entry_name(const ms_lexicon *lx, int i)
{
    const entry *e = entry_at(lx, i);
    return e ? str_at(lx, e->name) : "";
}

const char *ms_lexicon_entry_class(const ms_lexicon *lx, int i)
{
    const entry *e = entry_at(lx, i);
    return e && e->cls ? str_at(lx, e->cls) : NULL;
}

size_t ms_lexicon_entry_n_forms(const ms_lexicon *lx, int i)
{
    const entry *e = entry_at(lx, i);
    return e ? e->n_forms : 0;
}

const char *ms_lexicon_entry_form(const ms_lexicon *lx, int i, size_t j)
{
    const entry *e = entry_at(lx, i);
    if (!e || j >= e->n_forms)
        return "";
    uint32_t off = offs_at(lx, e->forms)[j];
    return off < lx->blk.n ? str_at(lx, off) : "";
}

static int entkind_of(enum lkind k)
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

int ms_lexicon_find(const ms_lexicon *lx, ms_entkind k, const char *name)
{
    key kb = {0};
    key_start(&kb);
    /* the hash joins terms with a hashed ' ', so a key read whole hashes as
     * one built term by term */
    const slot *s = key_add(&kb, name, strlen(name)) ? probe(lx, &kb) : NULL;
    free(kb.s.p);
    for (size_t i = 0; s && i < s->n_entries; i++) {
        int ei = ints_at(lx, s->entries)[i];
        const entry *e = entry_at(lx, ei);
        if (!e)
            continue;
        if (entkind_of(e->kind) == (int)k)
            return ei;
        if (k == MS_ENT_DRUG && e->kind == L_COMBO && e->n_ingredients &&
            entry_at(lx, ints_at(lx, e->ingredients)[0]))
            return ints_at(lx, e->ingredients)[0];
    }
    return -1;
}

const char *ms_entity_name(const ms_lexicon *lx, const ms_entity *e, const ms_tokens *toks)
{
    if (e->entry >= 0)
        return ms_lexicon_entry_name(lx, e->entry);
    return ms_token_term(toks, &toks->v[e->tok_first]);
}

size_t ms_entity_term(ms_entkind k, const char *name, char *buf, size_t cap)
{
    size_t w = (size_t)snprintf(buf, cap, "%s", entkind_prefix[k]);
    for (const char *p = name; *p && w + 1 < cap; p++)
        buf[w++] = (*p == ' ' || *p == '-') ? '_' : *p;
    buf[w < cap ? w : cap - 1] = '\0';
    return w < cap ? w : cap - 1;
}

/* ---- tagging ---- */

/* The primary token after token i (t->n if none). Alternatives (the whole
 * of a hyphenated word, a bare form without 's) follow the tokens they stand
 * for, and keys are made of primary terms only. */
static size_t next_prim(const ms_tokens *t, size_t i)
{
    for (i++; i < t->n && (t->v[i].flags & MS_TOK_ALT); i++)
        ;
    return i;
}

/* The primary token before token i (SIZE_MAX if none). */
static size_t prev_prim(const ms_tokens *t, size_t i)
{
    while (i-- > 0)
        if (!(t->v[i].flags & MS_TOK_ALT))
            return i;
    return SIZE_MAX;
}

/* Whether tokens a and b (a before b) may belong to one mention: only spaces
 * and hyphens between them, so that a name never runs across a comma, a
 * line or a list item. */
static int joinable(const char *text, const ms_token *a, const ms_token *b)
{
    for (size_t p = a->end; p < b->start; p++)
        if (text[p] != ' ' && text[p] != '-')
            return 0;
    return 1;
}

static int add_term(key *k, const ms_tokens *t, size_t i)
{
    const char *s;
    size_t n = key_term(t, &t->v[i], &s);
    return key_add(k, s, n);
}

/* Whether the text of an abbreviation's mention is written in capitals, so
 * that abbreviations (PPP, GERD) never match ordinary words. */
static int in_capitals(const char *text, size_t start, size_t end)
{
    for (size_t p = start; p < end; p++)
        if (text[p] >= 'a' && text[p] <= 'z')
            return 0;
    return 1;
}

#define ENTITY_KINDS (1u << L_DRUG | 1u << L_COMBO | 1u << L_SYMPTOM | 1u << L_CONDITION)
#define DRUG_KINDS (1u << L_DRUG | 1u << L_COMBO)
#define MODIFIER_KINDS (1u << L_SALT | 1u << L_FORM)

/* Whether entry k of s may be read in text[start, end). */
static int entry_ok(const ms_lexicon *lx, const slot *s, size_t k, const char *text, size_t start,
                    size_t end)
{
    const entry *e = entry_at(lx, ints_at(lx, s->entries)[k]);
    if (!e || !(ENTITY_KINDS & 1u << e->kind))
        return 0;
    return !str_at(lx, s->abbr)[k] || in_capitals(text, start, end);
}

/* Whether some entry of s may be read in text[start, end): a mention. The
 * common case, a slot of entities without abbreviations, needs no look at
 * the entries themselves. */
static int slot_ok(const ms_lexicon *lx, const slot *s, const char *text, size_t start, size_t end)
{
    if (!(s->kinds & ENTITY_KINDS))
        return 0;
    if (!s->any_abbr)
        return 1;
    for (size_t e = 0; e < s->n_entries; e++)
        if (entry_ok(lx, s, e, text, start, end))
            return 1;
    return 0;
}

static void add_entity(ms_entities *out, ms_entkind kind, int ei, const ms_tokens *t, size_t first,
                       size_t last, int inferred)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->v = ms_xrealloc(out->v, out->cap * sizeof *out->v);
    }
    ms_entity *e = &out->v[out->n++];
    e->kind = kind;
    e->entry = ei;
    e->tok_first = first;
    e->tok_end = last + 1;
    e->start = t->v[first].start;
    e->end = t->v[last].end;
    e->inferred = inferred;
}

/* Extend a drug mention ending at primary token j over the salt and form
 * words that follow it (k: scratch for their keys); returns its new last
 * token. */
static size_t extend_drug(const ms_lexicon *lx, const char *text, const ms_tokens *t, size_t j,
                          key *k)
{
    for (;;) {
        size_t best = j;
        key_start(k);
        for (size_t p = j, q; (q = next_prim(t, p)) < t->n; p = q) {
            if (!joinable(text, &t->v[p], &t->v[q]) || !add_term(k, t, q))
                break;
            const slot *s = probe(lx, k);
            if (!s)
                break;
            if (s->kinds & MODIFIER_KINDS)
                best = q;
            if (!s->prefix)
                break;
        }
        if (best == j)
            return j;
        j = best;
    }
}

/* Whether a folded word (all a-z) has an INN ending with enough before it. */
static int has_inn_ending(const ms_lexicon *lx, const char *s, size_t n)
{
    if (n < MIN_INN_WORD)
        return 0;
    size_t node = 0, found = 0;
    for (size_t i = n; i-- > 0;) {
        unsigned c = (unsigned char)s[i] - 'a';
        if (c >= 26 || !(node = lx->stems[node].next[c]) || node >= lx->n_stems)
            break;
        if (lx->stems[node].len && n >= (size_t)lx->stems[node].len + MIN_INN_HEAD)
            found = 1;
    }
    for (size_t i = 0; found && i < n; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z'))
            return 0;
    return (int)found;
}

static int word_in(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return 1;
    return 0;
}

/* Verbs that say a drug is being used: "take X", "apply X". */
static const char *const use_verbs[] = {
    "take",       "takes",      "taking",      "took",    "taken",    "apply",    "applies",
    "applied",    "applying",   "use",         "uses",    "using",    "used",     "prescribe",
    "prescribes", "prescribed", "prescribing", "receive", "receives", "received", "receiving",
    "try",        "tries",      "tried",       "trying",  NULL};
/* Words after which "with" introduces a drug: "treated with X". */
static const char *const treat_words[] = {"treat",    "treats",    "treated",
                                          "treating", "treatment", "treatments",
                                          "therapy",  "therapies", NULL};
/* Nouns that name what follows as a drug: "the drug X", "medicines such as X". */
static const char *const drug_nouns[] = {"drug",     "drugs",     "medication", "medications",
                                         "medicine", "medicines", NULL};
static const char *const drug_links[] = {"like", "called", "including", NULL};

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* The primary token before token i when only spaces separate them, else
 * SIZE_MAX: context words count only within one phrase. */
static size_t word_before(const char *text, const ms_tokens *t, size_t i)
{
    size_t p = prev_prim(t, i);
    return p != SIZE_MAX && joinable(text, &t->v[p], &t->v[i]) ? p : SIZE_MAX;
}

static int term_is(const ms_tokens *t, size_t i, const char *w)
{
    return i != SIZE_MAX && t->v[i].len == strlen(w) &&
           memcmp(ms_token_term(t, &t->v[i]), w, t->v[i].len) == 0;
}

static int term_in(const ms_tokens *t, size_t i, const char *const *list)
{
    return i != SIZE_MAX && word_in(list, ms_token_term(t, &t->v[i]), t->v[i].len);
}

/* Whether text[a, b) only separates two items of a list: a comma, "and",
 * "or" or "and/or" (at least one of them) and spaces. */
static int list_gap(const char *text, size_t a, size_t b)
{
    static const char *const links[] = {"and/or ", "and ", "or ", NULL};
    int comma = 0, word = 0;
    while (a < b) {
        if (text[a] == ' ') {
            a++;
            continue;
        }
        if (text[a] == ',' && !comma && !word) {
            comma = 1;
            a++;
            continue;
        }
        size_t l = 0;
        for (const char *const *w = links; !word && *w && !l; w++)
            if (b - a >= strlen(*w) && memcmp(text + a, *w, strlen(*w)) == 0)
                l = strlen(*w);
        if (!l)
            return 0;
        word = 1;
        a += l;
    }
    return comma || word;
}

/* Whether the context names the unknown word at primary token i as a drug:
 * a verb of use before it ("apply X"), "with" after a treatment ("treated
 * with X"), a drug noun ("the drug X", "drugs such as X"), or a list that
 * goes on from a drug ("cetirizine, X or Y"). The entities that this call
 * added are out->v[first..]. A hyphenated part ("X-deficient") is an
 * adjective, not a drug, so it never counts. */
static int drug_context(const char *text, const ms_tokens *t, size_t i, const ms_entities *out,
                        size_t first)
{
    if (t->v[i].flags & MS_TOK_JOINED)
        return 0;
    if (out->n > first) {
        const ms_entity *e = &out->v[out->n - 1];
        if (e->kind == MS_ENT_DRUG && e->end <= t->v[i].start &&
            list_gap(text, e->end, t->v[i].start))
            return 1;
    }
    size_t p = word_before(text, t, i);
    if (p == SIZE_MAX)
        return 0;
    if (term_in(t, p, use_verbs))
        return 1;
    if (term_is(t, p, "with")) {
        size_t q = word_before(text, t, p);
        return q != SIZE_MAX && (term_in(t, q, treat_words) ||
                                 ends_with(ms_token_term(t, &t->v[q]), t->v[q].len, "therapy"));
    }
    if (term_in(t, p, drug_links)) {
        p = word_before(text, t, p);
    } else if (term_is(t, p, "as") && term_is(t, word_before(text, t, p), "such")) {
        p = word_before(text, t, word_before(text, t, p));
    }
    return term_in(t, p, drug_nouns);
}

void ms_lexicon_tag(const ms_lexicon *lx, const char *text, const ms_tokens *t, ms_entities *out)
{
    size_t first_entity = out->n;
    key k = {0};
    size_t i = next_prim(t, SIZE_MAX); /* the first primary token */
    while (i < t->n) {
        /* the longest form starting at i that may be read here */
        const slot *best = NULL;
        size_t best_j = i;
        key_start(&k);
        for (size_t j = i;;) {
            if (!add_term(&k, t, j) || (j == i && !may_start(lx, &k)))
                break;
            const slot *s = probe(lx, &k);
            if (!s)
                break;
            if (slot_ok(lx, s, text, t->v[i].start, t->v[j].end)) {
                best = s;
                best_j = j;
            }
            size_t q = next_prim(t, j);
            if (!s->prefix || q >= t->n || !joinable(text, &t->v[j], &t->v[q]))
                break;
            j = q;
        }
        if (best) {
            size_t end = best_j;
            if (best->kinds & DRUG_KINDS)
                end = extend_drug(lx, text, t, best_j, &k);
            for (size_t e = 0; e < best->n_entries; e++) {
                if (!entry_ok(lx, best, e, text, t->v[i].start, t->v[best_j].end))
                    continue;
                int ei = ints_at(lx, best->entries)[e];
                const entry *en = &lx->e[ei]; /* entry_ok checked it */
                if (en->kind == L_COMBO) {
                    for (size_t g = 0; g < en->n_ingredients; g++) {
                        int d = ints_at(lx, en->ingredients)[g];
                        if (entry_at(lx, d))
                            add_entity(out, MS_ENT_DRUG, d, t, i, end, 0);
                    }
                } else {
                    ms_entkind ek = (ms_entkind)entkind_of(en->kind);
                    add_entity(out, ek, ei, t, i, ek == MS_ENT_DRUG ? end : best_j, 0);
                }
            }
            i = next_prim(t, end);
            continue;
        }
        /* an unknown drug by its INN ending, in drug context */
        if (has_inn_ending(lx, ms_token_term(t, &t->v[i]), t->v[i].len)) {
            size_t end = extend_drug(lx, text, t, i, &k);
            if (end > i || drug_context(text, t, i, out, first_entity)) {
                add_entity(out, MS_ENT_DRUG, -1, t, i, end, 1);
                i = next_prim(t, end);
                continue;
            }
        }
        i = next_prim(t, i);
    }
    free(k.s.p);
}
