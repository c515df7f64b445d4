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
 */
#include "medsearch/lexicon.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum lkind { L_DRUG, L_SYMPTOM, L_CONDITION, L_COMBO, L_SALT, L_FORM, L_STEM };

static const char *const lkind_names[] = {"drug", "symptom", "condition", "combo",
                                          "salt", "form",    "stem"};

typedef struct entry {
    enum lkind kind;
    char *name;
    char *cls;
    char **forms; /* keys */
    size_t n_forms;
    int *ingredients; /* combo: drug entries */
    size_t n_ingredients;
} entry;

typedef struct slot {
    char *key; /* NULL: empty */
    uint32_t hash;
    int prefix;          /* a proper prefix of some longer key */
    int *entries;        /* entries with this form */
    unsigned char *abbr; /* per entry: the form is an abbreviation (capitals only) */
    size_t n_entries;
} slot;

struct ms_lexicon {
    ms_analyzer *an;
    entry *e;
    size_t n, cap;
    slot *tab;
    size_t tab_size, tab_used;
    size_t max_terms; /* longest form, in terms */
    char **stems;     /* INN endings */
    size_t n_stems;
    unsigned char has_stem_end[256]; /* last bytes that some INN ending has */
    uint64_t digest;
    char digest_hex[17];
    ms_tokens toks;
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

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("medsearch: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h ? h : 1;
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
    lx->tab = calloc(lx->tab_size, sizeof *lx->tab);
    if (!lx->tab) {
        free(lx);
        ms_fail(err, MS_ENOMEM, "out of memory");
        return NULL;
    }
    lx->digest = 14695981039346656037ull;
    ms_tokens_init(&lx->toks);
    return lx;
}

void ms_lexicon_free(ms_lexicon *lx)
{
    if (!lx)
        return;
    for (size_t i = 0; i < lx->n; i++) {
        entry *e = &lx->e[i];
        free(e->name);
        free(e->cls);
        for (size_t j = 0; j < e->n_forms; j++)
            free(e->forms[j]);
        free(e->forms);
        free(e->ingredients);
    }
    free(lx->e);
    for (size_t i = 0; i < lx->tab_size; i++) {
        free(lx->tab[i].key);
        free(lx->tab[i].entries);
        free(lx->tab[i].abbr);
    }
    free(lx->tab);
    for (size_t i = 0; i < lx->n_stems; i++)
        free(lx->stems[i]);
    free(lx->stems);
    ms_tokens_free(&lx->toks);
    free(lx);
}

/* ---- the key table ---- */

static slot *find_slot(const ms_lexicon *lx, const char *key, size_t len)
{
    uint32_t h = hash_bytes(key, len);
    size_t mask = lx->tab_size - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        slot *s = &lx->tab[i];
        if (!s->key || (s->hash == h && strlen(s->key) == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

static void rehash(ms_lexicon *lx)
{
    slot *old = lx->tab;
    size_t old_size = lx->tab_size;
    lx->tab_size *= 2;
    lx->tab = xrealloc(NULL, lx->tab_size * sizeof *lx->tab);
    memset(lx->tab, 0, lx->tab_size * sizeof *lx->tab);
    for (size_t i = 0; i < old_size; i++)
        if (old[i].key)
            *find_slot(lx, old[i].key, strlen(old[i].key)) = old[i];
    free(old);
}

static slot *intern(ms_lexicon *lx, const char *key, size_t len)
{
    if ((lx->tab_used + 1) * 2 > lx->tab_size)
        rehash(lx);
    slot *s = find_slot(lx, key, len);
    if (!s->key) {
        s->key = xstrndup(key, len);
        s->hash = hash_bytes(key, len);
        lx->tab_used++;
    }
    return s;
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

/* Build the key of text (a name) into buf; returns its length and the number
 * of terms in *terms (0 when the text has none). */
static size_t make_key(ms_lexicon *lx, const char *text, char *buf, size_t cap, size_t *terms)
{
    ms_tokens_reset(&lx->toks);
    ms_analyze(lx->an, text, strlen(text), 1, &lx->toks);
    size_t w = 0;
    *terms = 0;
    for (size_t i = 0; i < lx->toks.n; i++) {
        const ms_token *k = &lx->toks.v[i];
        if (k->flags & MS_TOK_ALT)
            continue;
        const char *s;
        size_t n = key_term(&lx->toks, k, &s);
        if (w + n + 2 > cap)
            break;
        if (w)
            buf[w++] = ' ';
        memcpy(buf + w, s, n);
        w += n;
        (*terms)++;
    }
    buf[w] = '\0';
    return w;
}

/* Register name as a form of entry ei. */
static void add_form(ms_lexicon *lx, int ei, const char *name, int abbr)
{
    char key[512];
    size_t terms;
    size_t len = make_key(lx, name, key, sizeof key, &terms);
    if (!terms)
        return;
    entry *e = &lx->e[ei];
    for (size_t j = 0; j < e->n_forms; j++)
        if (strcmp(e->forms[j], key) == 0)
            return;
    e->forms = xrealloc(e->forms, (e->n_forms + 1) * sizeof *e->forms);
    e->forms[e->n_forms++] = xstrndup(key, len);
    slot *s = intern(lx, key, len);
    s->entries = xrealloc(s->entries, (s->n_entries + 1) * sizeof *s->entries);
    s->abbr = xrealloc(s->abbr, s->n_entries + 1);
    s->abbr[s->n_entries] = (unsigned char)abbr;
    s->entries[s->n_entries++] = ei;
    if (terms > lx->max_terms)
        lx->max_terms = terms;
    for (size_t p = 0; p < len; p++)
        if (key[p] == ' ')
            intern(lx, key, p)->prefix = 1;
}

/* ---- loading ---- */

static int find_entry(const ms_lexicon *lx, enum lkind kind, const char *name)
{
    for (size_t i = 0; i < lx->n; i++)
        if (lx->e[i].kind == kind && strcmp(lx->e[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Split s at sep into at most max pieces (in place). */
static size_t split(char *s, char sep, char **out, size_t max)
{
    size_t n = 0;
    while (n < max) {
        out[n++] = s;
        char *p = strchr(s, sep);
        if (!p)
            break;
        *p = '\0';
        s = p + 1;
    }
    return n;
}

static int parse_line(ms_lexicon *lx, char *line, const char *path, unsigned lineno, ms_error *err)
{
    char *col[16];
    size_t nc = split(line, '\t', col, 16);
    int kind = -1;
    for (int k = 0; k < (int)(sizeof lkind_names / sizeof *lkind_names); k++)
        if (strcmp(col[0], lkind_names[k]) == 0)
            kind = k;
    if (kind < 0)
        return ms_fail(err, MS_EFORMAT,
                       "%s:%u: unknown kind '%s' (drug, combo, symptom, condition, salt, form, "
                       "stem)",
                       path, lineno, col[0]);
    if (nc < 2 || !col[1][0])
        return ms_fail(err, MS_EFORMAT, "%s:%u: missing name after '%s'", path, lineno, col[0]);
    if (kind == L_STEM) {
        lx->stems = xrealloc(lx->stems, (lx->n_stems + 1) * sizeof *lx->stems);
        char fold[128];
        size_t fl = ms_analyzer_fold(lx->an, col[1], strlen(col[1]), fold, sizeof fold);
        lx->stems[lx->n_stems++] = xstrndup(fold, fl);
        if (fl)
            lx->has_stem_end[(unsigned char)fold[fl - 1]] = 1;
        return 0;
    }
    if (find_entry(lx, (enum lkind)kind, col[1]) >= 0)
        return ms_fail(err, MS_EFORMAT, "%s:%u: %s '%s' is defined twice", path, lineno, col[0],
                       col[1]);
    if (lx->n == lx->cap) {
        lx->cap = lx->cap ? lx->cap * 2 : 256;
        lx->e = xrealloc(lx->e, lx->cap * sizeof *lx->e);
    }
    int ei = (int)lx->n++;
    entry *e = &lx->e[ei];
    memset(e, 0, sizeof *e);
    e->kind = (enum lkind)kind;
    e->name = xstrndup(col[1], strlen(col[1]));
    add_form(lx, ei, col[1], 0);
    for (size_t c = 2; c < nc; c++) {
        char *eq = strchr(col[c], '=');
        if (!eq || eq == col[c] || !eq[1])
            return ms_fail(err, MS_EFORMAT, "%s:%u: field %zu is not key=value: '%s'", path, lineno,
                           c + 1, col[c]);
        *eq = '\0';
        const char *key = col[c];
        char *items[64];
        size_t ni = split(eq + 1, '|', items, 64);
        if (strcmp(key, "class") == 0) {
            free(e->cls);
            e->cls = xstrndup(eq + 1, strlen(eq + 1));
        } else if (strcmp(key, "alias") == 0 || strcmp(key, "brand") == 0 ||
                   strcmp(key, "abbr") == 0) {
            for (size_t i = 0; i < ni; i++) {
                if (!items[i][0])
                    return ms_fail(err, MS_EFORMAT, "%s:%u: empty item in %s=", path, lineno, key);
                add_form(lx, ei, items[i], strcmp(key, "abbr") == 0);
                e = &lx->e[ei];
            }
        } else if (strcmp(key, "ingredients") == 0 && kind == L_COMBO) {
            for (size_t i = 0; i < ni; i++) {
                int d = find_entry(lx, L_DRUG, items[i]);
                if (d < 0)
                    return ms_fail(err, MS_EFORMAT,
                                   "%s:%u: ingredient '%s' is not a drug defined before it", path,
                                   lineno, items[i]);
                e->ingredients = xrealloc(e->ingredients, (e->n_ingredients + 1) * sizeof(int));
                e->ingredients[e->n_ingredients++] = d;
            }
        } else {
            return ms_fail(err, MS_EFORMAT, "%s:%u: unknown key '%s' for %s", path, lineno, key,
                           col[0]);
        }
    }
    if (kind == L_DRUG && !e->cls)
        return ms_fail(err, MS_EFORMAT, "%s:%u: drug '%s' has no class=", path, lineno, e->name);
    if (kind == L_COMBO && !e->n_ingredients)
        return ms_fail(err, MS_EFORMAT, "%s:%u: combo '%s' has no ingredients=", path, lineno,
                       e->name);
    return 0;
}

int ms_lexicon_load_file(ms_lexicon *lx, const char *path, ms_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ms_fail(err, MS_EIO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        for (ssize_t i = 0; i < got; i++)
            lx->digest = (lx->digest ^ (unsigned char)line[i]) * 1099511628211ull;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = '\0';
        if (got == 0 || line[0] == '#')
            continue;
        if (memchr(line, '\0', (size_t)got))
            rc = ms_fail(err, MS_EFORMAT, "%s:%u: NUL byte in line", path, lineno);
        else
            rc = parse_line(lx, line, path, lineno, err);
    }
    free(line);
    fclose(f);
    snprintf(lx->digest_hex, sizeof lx->digest_hex, "%016llx", (unsigned long long)lx->digest);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ms_lexicon_load_dir(ms_lexicon *lx, const char *dir, ms_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ms_fail(err, MS_EIO, "%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0) {
            names = xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = xstrndup(de->d_name, l);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    if (n == 0)
        rc = ms_fail(err, MS_EIO, "%s: no lexicon files (*.tsv) there", dir);
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

const char *ms_lexicon_default_dir(void)
{
    const char *env = getenv("MEDSEARCH_LEXICON");
    if (env && *env)
        return env;
    static const char *const dirs[] = {MEDSEARCH_INSTALL_LEXICON_DIR, MEDSEARCH_SOURCE_LEXICON_DIR};
    for (size_t i = 0; i < 2; i++) {
        DIR *d = opendir(dirs[i]);
        if (d) {
            closedir(d);
            return dirs[i];
        }
    }
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

const char *ms_lexicon_entry_name(const ms_lexicon *lx, int i)
{
    return lx->e[i].name;
}

const char *ms_lexicon_entry_class(const ms_lexicon *lx, int i)
{
    return lx->e[i].cls;
}

size_t ms_lexicon_entry_forms(const ms_lexicon *lx, int i, const char *const **forms)
{
    *forms = (const char *const *)lx->e[i].forms;
    return lx->e[i].n_forms;
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
    slot *s = find_slot(lx, name, strlen(name));
    if (!s->key)
        return -1;
    for (size_t i = 0; i < s->n_entries; i++) {
        const entry *e = &lx->e[s->entries[i]];
        if (entkind_of(e->kind) == (int)k)
            return s->entries[i];
        if (k == MS_ENT_DRUG && e->kind == L_COMBO)
            return e->ingredients[0];
    }
    return -1;
}

const char *ms_entity_name(const ms_lexicon *lx, const ms_entity *e, const ms_tokens *toks)
{
    if (e->entry >= 0)
        return lx->e[e->entry].name;
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

/* Whether primary tokens a and b (a before b) may belong to one mention:
 * only spaces and hyphens between them, so that a name never runs across a
 * comma, a line or a list item. */
static int joinable(const char *text, const ms_token *a, const ms_token *b)
{
    for (size_t p = a->end; p < b->start; p++)
        if (text[p] != ' ' && text[p] != '-')
            return 0;
    return 1;
}

/* The slot whose key is the terms of primary tokens prim[i..j], or NULL. */
static const slot *lookup(const ms_lexicon *lx, const ms_tokens *t, const size_t *prim, size_t i,
                          size_t j)
{
    char key[512];
    size_t w = 0;
    for (size_t p = i; p <= j; p++) {
        const char *s;
        size_t n = key_term(t, &t->v[prim[p]], &s);
        if (w + n + 2 > sizeof key)
            return NULL;
        if (w)
            key[w++] = ' ';
        memcpy(key + w, s, n);
        w += n;
    }
    const slot *s = find_slot(lx, key, w);
    return s->key ? s : NULL;
}

static int slot_has(const ms_lexicon *lx, const slot *s, enum lkind k)
{
    for (size_t i = 0; s && i < s->n_entries; i++)
        if (lx->e[s->entries[i]].kind == k)
            return 1;
    return 0;
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

static void add_entity(ms_entities *out, ms_entkind kind, int entry, const ms_tokens *t,
                       const size_t *prim, size_t i, size_t j, int inferred)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 16;
        out->v = xrealloc(out->v, out->cap * sizeof *out->v);
    }
    ms_entity *e = &out->v[out->n++];
    e->kind = kind;
    e->entry = entry;
    e->tok_first = prim[i];
    e->tok_end = prim[j] + 1;
    e->start = t->v[prim[i]].start;
    e->end = t->v[prim[j]].end;
    e->inferred = inferred;
}

/* Extend a drug mention ending at primary token j over salt and form words. */
static size_t extend_drug(const ms_lexicon *lx, const char *text, const ms_tokens *t,
                          const size_t *prim, size_t np, size_t j)
{
    for (;;) {
        size_t best = 0;
        for (size_t k = j + 1; k < np && k <= j + 3; k++) {
            if (!joinable(text, &t->v[prim[k - 1]], &t->v[prim[k]]))
                break;
            const slot *s = lookup(lx, t, prim, j + 1, k);
            if (!s)
                break;
            if (slot_has(lx, s, L_SALT) || slot_has(lx, s, L_FORM))
                best = k;
            if (!s->prefix)
                break;
        }
        if (!best)
            return j;
        j = best;
    }
}

static int has_inn_ending(const ms_lexicon *lx, const char *s, size_t n)
{
    if (n < 6 || !lx->has_stem_end[(unsigned char)s[n - 1]])
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z'))
            return 0;
    for (size_t i = 0; i < lx->n_stems; i++) {
        size_t m = strlen(lx->stems[i]);
        if (n > m + 2 && memcmp(s + n - m, lx->stems[i], m) == 0)
            return 1;
    }
    return 0;
}

static int is_use_verb(const char *s, size_t n)
{
    static const char *const verbs[] = {"take", "taking", "took", "apply",      "applying",
                                        "use",  "using",  "used", "prescribed", "prescribe",
                                        "try",  "trying", "with"};
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (strlen(verbs[i]) == n && memcmp(verbs[i], s, n) == 0)
            return 1;
    return 0;
}

void ms_lexicon_tag(const ms_lexicon *lx, const char *text, const ms_tokens *t, ms_entities *out)
{
    size_t stack[256];
    size_t *prim = t->n <= 256 ? stack : xrealloc(NULL, t->n * sizeof *prim);
    size_t np = 0;
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            prim[np++] = i;
    for (size_t i = 0; i < np;) {
        /* longest form starting at i */
        const slot *best = NULL;
        size_t best_j = 0;
        for (size_t j = i; j < np && j < i + lx->max_terms; j++) {
            if (j > i && !joinable(text, &t->v[prim[j - 1]], &t->v[prim[j]]))
                break;
            const slot *s = lookup(lx, t, prim, i, j);
            if (!s)
                break;
            if (s->n_entries) {
                best = s;
                best_j = j;
            }
            if (!s->prefix)
                break;
        }
        int matched = 0;
        if (best) {
            size_t j = best_j;
            int drug = slot_has(lx, best, L_DRUG) || slot_has(lx, best, L_COMBO);
            if (drug)
                j = extend_drug(lx, text, t, prim, np, best_j);
            for (size_t k = 0; k < best->n_entries; k++) {
                const entry *e = &lx->e[best->entries[k]];
                int ek = entkind_of(e->kind);
                if (best->abbr[k] &&
                    !in_capitals(text, t->v[prim[i]].start, t->v[prim[best_j]].end))
                    continue;
                if (e->kind == L_COMBO) {
                    for (size_t g = 0; g < e->n_ingredients; g++)
                        add_entity(out, MS_ENT_DRUG, e->ingredients[g], t, prim, i, j, 0);
                    matched = 1;
                } else if (ek >= 0) {
                    add_entity(out, (ms_entkind)ek, best->entries[k], t, prim, i,
                               ek == MS_ENT_DRUG ? j : best_j, 0);
                    matched = 1;
                }
            }
            if (matched) {
                i = (drug ? j : best_j) + 1;
                continue;
            }
        }
        /* an unknown drug by its INN ending, in drug context */
        const ms_token *k = &t->v[prim[i]];
        const char *s = ms_token_term(t, k);
        if (has_inn_ending(lx, s, k->len)) {
            size_t j = extend_drug(lx, text, t, prim, np, i);
            int before = 0;
            if (i > 0) {
                const ms_token *p = &t->v[prim[i - 1]];
                before = is_use_verb(ms_token_term(t, p), p->len);
            }
            if (j > i || before) {
                add_entity(out, MS_ENT_DRUG, -1, t, prim, i, j, 1);
                i = j + 1;
                continue;
            }
        }
        i++;
    }
    if (prim != stack)
        free(prim);
}
