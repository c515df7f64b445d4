/*
 * lookup.c - what a lexicon tells about itself and its entries: counts,
 * digest, names, classes and forms, finding an entry by name, and the names
 * and index terms of the entity kinds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon/table.h"

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
    const entry *e = ms_lex_entry_at(lx, i);
    return e ? str_at(lx, e->name) : "";
}

const char *ms_lexicon_entry_class(const ms_lexicon *lx, int i)
{
    const entry *e = ms_lex_entry_at(lx, i);
    return e && e->cls ? str_at(lx, e->cls) : NULL;
}

size_t ms_lexicon_entry_n_forms(const ms_lexicon *lx, int i)
{
    const entry *e = ms_lex_entry_at(lx, i);
    return e ? e->n_forms : 0;
}

const char *ms_lexicon_entry_form(const ms_lexicon *lx, int i, size_t j)
{
    const entry *e = ms_lex_entry_at(lx, i);
    if (!e || j >= e->n_forms)
        return "";
    uint32_t off = offs_at(lx, e->forms)[j];
    return off < lx->blk.n ? str_at(lx, off) : "";
}

int ms_lexicon_find(const ms_lexicon *lx, ms_entkind k, const char *name)
{
    key kb = {0};
    key_start(&kb);
    /* the hash joins terms with a hashed ' ', so a key read whole hashes as
     * one built term by term */
    const slot *s = key_add(&kb, name, strlen(name)) ? ms_lex_probe(lx, &kb) : NULL;
    free(kb.s.p);
    for (size_t i = 0; s && i < s->n_entries; i++) {
        int ei = ints_at(lx, s->entries)[i];
        const entry *e = ms_lex_entry_at(lx, ei);
        if (!e)
            continue;
        if (ms_lex_entkind_of(e->kind) == (int)k)
            return ei;
        if (k == MS_ENT_DRUG && e->kind == L_COMBO && e->n_ingredients &&
            ms_lex_entry_at(lx, ints_at(lx, e->ingredients)[0]))
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
