/*
 * load.c - reading the lexicon's TSV files (their format: lexicon/README.md).
 *
 * A line becomes an entry only once the whole of it is good, so that a
 * malformed line fails with "FILE:LINE: message" and adds nothing. Names,
 * aliases, brands and abbreviations become keys through the analyzer, so
 * that they match the very terms it gives for text; plain ASCII names, most
 * of the shipped list, are folded here without it. The digest of what was
 * loaded names the lexicon in an index's settings.
 */
#include "lexicon/load.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon/table.h"

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

#define MAX_FIELDS 64 /* tab-separated columns of a line */
#define MAX_ITEMS 256 /* '|'-separated items of a field */

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
    slot *s = ms_lex_intern(lx, key, f->len, f->h, f->terms == 1);
    /* keys are interned: one offset for one string */
    for (size_t j = 0; j < e->n_forms; j++)
        if (offs_at(lx, e->forms)[j] == s->key)
            return;
    offs_at(lx, e->forms)[e->n_forms++] = s->key;
    uint32_t n = s->n_entries;
    if ((n & (n - 1)) == 0) { /* 0 or a power of two: full */
        size_t cap = n ? 2 * (size_t)n : 1;
        uint32_t entries = ms_lex_blk_put(lx, NULL, cap * sizeof(int), _Alignof(int));
        uint32_t ab = ms_lex_blk_put(lx, NULL, cap, 1);
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
            ms_lex_intern(lx, key, i, hash32(ph), t++ == 1)->prefix = 1;
        ph = ms_fnv1a(ph, key + i, 1);
    }
}

/* The entry of kind whose name has key k, or -1. */
static int find_named(const ms_lexicon *lx, enum lkind kind, const key *k)
{
    const slot *s = ms_lex_probe(lx, k);
    for (size_t i = 0; s && i < s->n_entries; i++) {
        int ei = ints_at(lx, s->entries)[i];
        const entry *e = ms_lex_entry_at(lx, ei);
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
    e->name = ms_lex_blk_strndup(lx, p->name, strlen(p->name));
    if (p->cls)
        e->cls = ms_lex_blk_strndup(lx, p->cls, strlen(p->cls));
    if (p->ni) {
        e->ingredients =
            ms_lex_blk_put(lx, p->ingredients, p->ni * sizeof *p->ingredients, _Alignof(int));
        e->n_ingredients = (uint32_t)p->ni;
    }
    e->forms = ms_lex_blk_put(lx, NULL, p->nf * sizeof(uint32_t), _Alignof(uint32_t));
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
    ms_lex_reserve(lx, lx->n_slots + len / 16);
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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.tsv files of dir, in name order, into *names (n of them, each to
 * free, and the array); -1 with err when there are none or dir is unreadable. */
int ms_lex_list_tsv(const char *dir, char ***names, size_t *n, ms_error *err)
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
    if (ms_lex_list_tsv(dir, &names, &n, err) < 0)
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
