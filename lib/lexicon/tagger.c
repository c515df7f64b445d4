/*
 * tagger.c - finding the drugs, symptoms and conditions that a text names.
 *
 * Tagging runs on every passage the indexer sees, so its inner loop is kept
 * to a hash over the terms it has already read (extended term by term, never
 * rebuilt), a probe in a compact array of hashes that only touches the slot
 * itself on a hash hit, and a reversed trie of INN endings. The longest form
 * at a token wins; a drug mention extends over the salt and dosage-form
 * words after it; a combination product stands for its ingredients; and an
 * unknown word with an INN ending is a drug when its context says so.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "lexicon/table.h"

#define MIN_INN_WORD 6 /* shortest word that an INN ending may mark as a drug */
#define MIN_INN_HEAD 3 /* letters a word needs before its INN ending */

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
    const entry *e = ms_lex_entry_at(lx, ints_at(lx, s->entries)[k]);
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
            const slot *s = ms_lex_probe(lx, k);
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

/* Verbs that say a drug is being used: "take X", "apply X". */
static const char *const use_verbs[] = {
    "take",       "takes",      "taking",      "took",    "taken",    "apply",    "applies",
    "applied",    "applying",   "use",         "uses",    "using",    "used",     "prescribe",
    "prescribes", "prescribed", "prescribing", "receive", "receives", "received", "receiving",
    "try",        "tries",      "tried",       "trying"};
/* Words after which "with" introduces a drug: "treated with X". */
static const char *const treat_words[] = {"treat",     "treats",     "treated", "treating",
                                          "treatment", "treatments", "therapy", "therapies"};
/* Nouns that name what follows as a drug: "the drug X", "medicines such as X". */
static const char *const drug_nouns[] = {"drug",        "drugs",    "medication",
                                         "medications", "medicine", "medicines"};
static const char *const drug_links[] = {"like", "called", "including"};

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

/* Whether token i (SIZE_MAX: none) is one of the words of list. */
#define TERM_IN(t, i, list)                                                                        \
    ((i) != SIZE_MAX && MS_WORD_IN(list, ms_token_term(t, &(t)->v[i]), (t)->v[i].len))

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
    if (TERM_IN(t, p, use_verbs))
        return 1;
    if (term_is(t, p, "with")) {
        size_t q = word_before(text, t, p);
        return q != SIZE_MAX && (TERM_IN(t, q, treat_words) ||
                                 ends_with(ms_token_term(t, &t->v[q]), t->v[q].len, "therapy"));
    }
    if (TERM_IN(t, p, drug_links)) {
        p = word_before(text, t, p);
    } else if (term_is(t, p, "as") && term_is(t, word_before(text, t, p), "such")) {
        p = word_before(text, t, word_before(text, t, p));
    }
    return TERM_IN(t, p, drug_nouns);
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
            const slot *s = ms_lex_probe(lx, &k);
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
                        if (ms_lex_entry_at(lx, d))
                            add_entity(out, MS_ENT_DRUG, d, t, i, end, 0);
                    }
                } else {
                    ms_entkind ek = (ms_entkind)ms_lex_entkind_of(en->kind);
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
