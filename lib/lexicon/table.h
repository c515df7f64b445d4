/*
 * table.h - how a lexicon is held in memory, shared by the files of
 * lib/lexicon/ (table.c has the functions).
 *
 * Every surface form is stored as its key: the folded primary terms of the
 * analyzer joined by single spaces, with a trailing 's cut from each term
 * (so "Crohn's disease" and "Crohn disease" share a key). One open-addressing
 * hash table maps keys to the entries that have that form, and also records
 * every proper prefix of a multi-word key, so that the longest match at a
 * token is found by extending one term at a time while a prefix exists.
 *
 * Entries and slots hold offsets into one block of bytes, never pointers,
 * so that a lexicon saved as an image (image.c) is used where it is mapped.
 * Salt and dosage-form words live in the same table under their own kinds,
 * and INN endings in a reversed trie: the tagger (tagger.c) consults them.
 */
#ifndef MEDSEARCH_LEXICON_TABLE_H
#define MEDSEARCH_LEXICON_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "lexicon/lexicon.h"

enum lkind { L_DRUG, L_SYMPTOM, L_CONDITION, L_COMBO, L_SALT, L_FORM, L_STEM, L_NKINDS };

#define KEY_MAX 512 /* bytes of a key: far above any name */

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

/* ---- keys ---- */

/* A key being built term by term (NUL-terminated, in s.p), with its
 * FNV-1a hash kept up to date so that the key of terms i..j+1 costs only
 * term j+1. */
typedef struct key {
    ms_sbuf s;
    uint64_t h;
} key;

static inline void key_start(key *k)
{
    k->s.n = 0;
    *ms_sb_room(&k->s, 0) = '\0';
    k->h = MS_FNV_BASIS;
}

/* Append a term; 0 when the key would be too long. */
static inline int key_add(key *k, const char *s, size_t n)
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
static inline uint32_t hash32(uint64_t h)
{
    uint32_t x = (uint32_t)(h ^ h >> 32);
    return x ? x : 1;
}

static inline uint32_t key_hash(const key *k)
{
    return hash32(k->h);
}

/* Term of token k as used in keys: folded, with a trailing 's cut. */
static inline size_t key_term(const ms_tokens *t, const ms_token *k, const char **out)
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
size_t ms_lex_put(ms_sbuf *b, const void *p, size_t n, size_t align);

/* Append to the block as ms_lex_put does; offsets are 32-bit, far above
 * any lexicon (the shipped one takes well under a megabyte). */
uint32_t ms_lex_blk_put(ms_lexicon *lx, const void *p, size_t n, size_t align);

/* A copy of s[0..n) and a NUL in the block. */
uint32_t ms_lex_blk_strndup(ms_lexicon *lx, const char *s, size_t n);

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

/* Entry i, or NULL when it is not one or its arrays lie outside the block. */
const entry *ms_lex_entry_at(const ms_lexicon *lx, int i);

/* The entity kind of an entry kind, or -1 (salts, forms, stems). */
int ms_lex_entkind_of(enum lkind k);

/* ---- the key table ---- */

/* The slot of key k, or NULL. */
const slot *ms_lex_probe(const ms_lexicon *lx, const key *k);

/* Room for n slots in all, so that adding them needs no growing. */
void ms_lex_reserve(ms_lexicon *lx, size_t n);

/* The slot of key (with hash h; one_term: it has no space), added if new.
 * The pointer is good until the next call. */
slot *ms_lex_intern(ms_lexicon *lx, const char *key, size_t len, uint32_t h, int one_term);

/* Whether some key may be the one-term key k (no: certainly none). */
static inline int may_start(const ms_lexicon *lx, const key *k)
{
    uint32_t h = key_hash(k);
    return (lx->first_terms[(h & 0xffff) >> 6] >> (h & 63) & 1) &&
           (lx->first_terms[h >> 22] >> (h >> 16 & 63) & 1);
}

#endif
