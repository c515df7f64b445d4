/*
 * parser.c - the second pass of the query parser: items to a Xapian query.
 *
 * A recursive-descent parser over the items of the lexer (lexer.c), which
 * builds the Xapian query directly: OR binds loosest, then AND, then NOT,
 * then juxtaposition (a group), whose +items are required, -items excluded
 * and source: items filter. Juxtaposed plain words are gathered into one
 * free-text run (freetext.c); fields, phrases, wildcards and NEAR are read
 * here. Parentheses nest at most MAX_DEPTH deep. Errors are noted, not
 * fatal: the caller (query.c) reads the string again in natural mode.
 */
#include "query/parser.h"
#include "base/util.h"
#include "query/info.h"
#include "query/terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parentheses nest at most this deep: the parser recurses once per level,
 * and deeper input is a syntax error, not a stack overflow. */
#define MAX_DEPTH 100

static msx_query *parse_or(ms_qparser *p);

static const ms_qitem *peek(const ms_qparser *p)
{
    return &p->lx.it[p->i];
}

/* The index term of token k of t (see ms_token_stemmed) with prefix pre
 * for a stem or raw for a word as written, at query position pos. The word
 * as written is highlighted. */
static msx_query *token_term(ms_qparser *p, const ms_tokens *t, const ms_token *k, const char *pre,
                             const char *raw, unsigned pos)
{
    const char *w = ms_token_term(t, k);
    ms_qinfo_add_str(&p->c.info->terms, &p->c.info->n_terms, w, k->len);
    return ms_qword(p->c.env->an, 0, k, w, pre, raw, pos, &p->c.info->stems, &p->c.info->n_stems);
}

/* The terms of the words of s[0..n), added to l (one side of a NEAR). */
static void near_words(ms_qparser *p, const char *s, size_t n, ms_qlist *l)
{
    ms_tokens *t = &p->c.toks;
    ms_tokens_reset(t);
    ms_analyze(p->c.env->an, s, n, 1, t);
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ms_qlist_add(l, token_term(p, t, &t->v[i], "Z", "", 0));
}

/* A phrase (or word) of text, over the positional terms: its words match
 * by stem, as the index holds them. */
static msx_query *phrase(ms_qparser *p, const char *s, size_t n)
{
    ms_tokens *t = &p->c.toks;
    ms_tokens_reset(t);
    ms_analyze(p->c.env->an, s, n, 1, t);
    ms_qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ms_qlist_add(&l, token_term(p, t, &t->v[i], "Z", "", t->v[i].pos));
    if (l.n == 0)
        return NULL;
    return ms_qlist_combine(&l, l.n > 1 ? MSX_OP_PHRASE : MSX_OP_OR, 0);
}

/* title:"..." or section:"...": the words as a phrase, in passages whose
 * field holds every one of them (field terms fp, zp for stems). The field
 * terms carry no positions; the body's terms do, and each passage's title
 * and heading are indexed at its start, so the phrase is matched there (or,
 * rarely, in the text of a passage whose field has the words elsewhere). */
static msx_query *field_phrase(ms_qparser *p, const ms_qitem *it, const char *fp, const char *zp)
{
    msx_query *ph = phrase(p, it->s, it->n);
    if (!ph)
        return NULL;
    const ms_tokens *t = &p->c.toks; /* the phrase's words */
    ms_qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ms_qlist_add(&l, token_term(p, t, &t->v[i], zp, fp, 0));
    return ms_qbinary(MSX_OP_FILTER, ph, ms_qlist_combine(&l, MSX_OP_AND, 0));
}

/* title:word or section:word: the words' field terms (stems in zp, the
 * words without a stem in fp). */
static msx_query *field_words(ms_qparser *p, const ms_qitem *it, const char *fp, const char *zp)
{
    if (it->type == L_PHRASE)
        return field_phrase(p, it, fp, zp);
    ms_tokens *t = &p->c.toks;
    ms_tokens_reset(t);
    ms_analyze(p->c.env->an, it->s, it->n, 1, t);
    ms_qlist l = {0};
    for (size_t i = 0; i < t->n; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            ms_qlist_add(&l, token_term(p, t, &t->v[i], zp, fp, 0));
    return ms_qlist_combine(&l, MSX_OP_AND, 0);
}

/* drug:x, symptom:x, condition:x -> the entity term of x's canonical name. */
static msx_query *entity_field(ms_qparser *p, const ms_qitem *it, ms_entkind kind)
{
    ms_tokens *t = &p->c.toks;
    ms_tokens_reset(t);
    ms_analyze(p->c.env->an, it->s, it->n, 1, t);
    p->c.ents.n = 0;
    ms_lexicon_tag(p->c.env->lex, it->s, t, &p->c.ents);
    ms_qlist l = {0};
    char tb[256];
    for (size_t i = 0; i < p->c.ents.n; i++) {
        const ms_entity *e = &p->c.ents.v[i];
        if (e->kind != kind)
            continue;
        const char *name = ms_entity_name(p->c.env->lex, e, t);
        ms_qinfo_add_ent(p->c.info, kind, e->entry, name);
        ms_qlist_add(&l, msx_query_term(tb, ms_entity_term(kind, name, tb, sizeof tb), 1, 0));
    }
    if (l.n == 0) {
        /* not in the lexicon: the folded words, as the tagger would name them */
        char name[96];
        size_t w = 0;
        for (size_t i = 0; i < t->n && w + 1 < sizeof name; i++) {
            const ms_token *k = &t->v[i];
            if (k->flags & MS_TOK_ALT)
                continue;
            size_t n = k->len < sizeof name - w - 2 ? k->len : sizeof name - w - 2;
            if (w)
                name[w++] = ' ';
            memcpy(name + w, ms_token_term(t, k), n);
            w += n;
        }
        name[w] = '\0';
        if (!w)
            return NULL;
        /* said, and searched as its words (and, for a drug, as a drug the
           indexer recognised by its ending alone) */
        if (!p->unknown_entity) { /* named by its folded words: one clean line */
            size_t fl = strlen(ms_qfields[it->field]);
            p->unknown_entity = ms_xrealloc(NULL, fl + w + 2);
            snprintf(p->unknown_entity, fl + w + 2, "%s:%s", ms_qfields[it->field], name);
        }
        if (kind == MS_ENT_DRUG)
            ms_qlist_add(&l, msx_query_term(tb, ms_entity_term(kind, name, tb, sizeof tb), 1, 0));
        ms_qpiece pc = {0, (size_t)(it->s - p->c.q0), it->n};
        ms_qlist_add(&l, ms_free_text(&p->c, it->s, it->n, &pc, 1));
    }
    return ms_qlist_combine(&l, MSX_OP_OR, 0);
}

static msx_query *source_field(ms_qparser *p, const ms_qitem *it)
{
    char buf[256];
    size_t n = ms_analyzer_fold(p->c.env->an, it->s, it->n, buf + 4, sizeof buf - 4);
    memcpy(buf, "XSRC", 4);
    return msx_query_term(buf, n + 4, 1, 0);
}

/* word*: the words that start with it. The index holds stems: the stems
 * that start with it, and its own stem, which can be shorter ("diabetes*"
 * finds the stem "diabet"); and the words kept as written (numbers, say)
 * that start with it. */
static msx_query *wildcard(ms_qparser *p, const ms_qitem *it)
{
    char buf[MS_TERM_MAX + 8], stem[MS_TERM_MAX + 8];
    buf[0] = 'Z';
    size_t n = ms_analyzer_fold(p->c.env->an, it->s, it->n, buf + 1, sizeof buf - 2);
    buf[n + 1] = '\0';
    msx_query *z = NULL, *raw = NULL;
    if (msx_query_wildcard(buf, 100, &z, NULL) != MSX_OK)
        return NULL;
    if (msx_query_wildcard(buf + 1, 100, &raw, NULL) != MSX_OK) {
        msx_query_free(z);
        return NULL;
    }
    msx_query *q = ms_qbinary(MSX_OP_OR, z, raw);
    size_t sl = ms_analyzer_stem(p->c.env->an, buf + 1, n, stem, sizeof stem);
    if (sl < n)
        q = ms_qbinary(MSX_OP_OR, q, ms_qterm("Z", stem, sl, 0));
    ms_qinfo_add_str(&p->c.info->terms, &p->c.info->n_terms, buf + 1, n);
    return q;
}

/* One operand: a word, phrase, field, wildcard or parenthesised expression.
 * Free words are not handled here (see parse_group). */
static msx_query *parse_operand(ms_qparser *p, const ms_qitem *it)
{
    if (it->type == L_LP) {
        if (p->depth == MAX_DEPTH) {
            ms_qsyntax_error(&p->lx, "parentheses nest too deeply (more than %d levels)",
                             MAX_DEPTH);
            p->i = p->lx.n - 1; /* the rest is not read: the whole query falls back */
            return NULL;
        }
        p->depth++;
        msx_query *q = parse_or(p);
        p->depth--;
        if (peek(p)->type != L_RP)
            ms_qsyntax_error(&p->lx, "missing ')'");
        else
            p->i++;
        if (!q)
            ms_qsyntax_error(&p->lx, "empty parentheses");
        return q;
    }
    if (it->type == L_WILD)
        return wildcard(p, it);
    switch (it->field) {
    case F_TITLE:
        return field_words(p, it, "S", "ZS");
    case F_SECTION:
        return field_words(p, it, "XH", "ZXH");
    case F_SOURCE:
        return source_field(p, it);
    case F_DRUG:
        return entity_field(p, it, MS_ENT_DRUG);
    case F_SYMPTOM:
        return entity_field(p, it, MS_ENT_SYMPTOM);
    case F_CONDITION:
        return entity_field(p, it, MS_ENT_CONDITION);
    default:
        break;
    }
    if (it->type == L_PHRASE)
        return phrase(p, it->s, it->n);
    ms_qpiece pc = {0, (size_t)(it->s - p->c.q0), it->n};
    return ms_free_text(&p->c, it->s, it->n, &pc, 1);
}

static int ends_group(enum ltype t)
{
    return t == L_END || t == L_RP || t == L_AND || t == L_OR || t == L_NOT;
}

/* Juxtaposed items: free words form one free-text run; +items are required,
 * -items excluded, source: items filter. */
static msx_query *parse_group(ms_qparser *p)
{
    ms_qlist opt = {0}, req = {0}, exc = {0}, filt = {0};
    ms_sbuf text = {0}; /* the free words, a space between two */
    size_t npc = 0;
    ms_qpiece *pc = NULL;
    while (!ends_group(peek(p)->type)) {
        ms_qitem it = *peek(p);
        p->i++;
        if (it.type == L_NEAR) {
            ms_qsyntax_error(&p->lx, "NEAR without a left operand");
            continue;
        }
        int plain = it.type == L_WORD && it.field < 0 && !it.sign;
        if (plain && peek(p)->type != L_NEAR) {
            if (text.n)
                ms_sb_put(&text, " ", 1);
            pc = ms_xrealloc(pc, (npc + 1) * sizeof *pc);
            pc[npc++] = (ms_qpiece){text.n, (size_t)(it.s - p->c.q0), it.n};
            ms_sb_put(&text, it.s, it.n);
            continue;
        }
        msx_query *q;
        if (peek(p)->type == L_NEAR) {
            /* Xapian's NEAR takes terms, not phrases: the words of each
               side ("x-ray", "10mg", "hay fever") all stand within the
               window, widened by their number */
            ms_qlist nl = {0};
            unsigned window = peek(p)->near;
            if ((it.type == L_WORD || it.type == L_PHRASE) && it.field < 0)
                near_words(p, it.s, it.n, &nl);
            else
                ms_qlist_add(&nl, parse_operand(p, &it));
            while (peek(p)->type == L_NEAR) {
                p->i++;
                ms_qitem r = *peek(p);
                if (r.type != L_WORD && r.type != L_PHRASE) {
                    ms_qsyntax_error(&p->lx, "NEAR needs a word or phrase on each side");
                    break;
                }
                p->i++;
                near_words(p, r.s, r.n, &nl);
            }
            q = ms_qlist_combine(&nl, MSX_OP_NEAR, window + nl.n - 1);
        } else {
            p->c.literal = it.sign != 0;
            q = parse_operand(p, &it);
            p->c.literal = 0;
        }
        /* title: and section: restrict, as source: does, but are scored */
        if (it.field == F_SOURCE && it.sign != '-')
            ms_qlist_add(&filt, q);
        else if (it.sign == '-')
            ms_qlist_add(&exc, q);
        else if (it.sign == '+' || it.field == F_TITLE || it.field == F_SECTION)
            ms_qlist_add(&req, q);
        else
            ms_qlist_add(&opt, q);
    }
    if (text.n)
        ms_qlist_add(&opt, ms_free_text(&p->c, text.p, text.n, pc, npc));
    free(text.p);
    free(pc);
    msx_query *o = ms_qlist_combine(&opt, MSX_OP_OR, 0);
    msx_query *r = ms_qlist_combine(&req, MSX_OP_AND, 0);
    msx_query *x = ms_qlist_combine(&exc, MSX_OP_OR, 0);
    msx_query *f = ms_qlist_combine(&filt, MSX_OP_OR, 0);
    msx_query *q = r ? (o ? ms_qbinary(MSX_OP_AND_MAYBE, r, o) : r) : o;
    if (f)
        q = q ? ms_qbinary(MSX_OP_FILTER, q, f) : f;
    if (x)
        q = ms_qbinary(MSX_OP_AND_NOT, q ? q : msx_query_match_all(), x);
    return q;
}

static msx_query *parse_not(ms_qparser *p)
{
    msx_query *q = parse_group(p);
    while (peek(p)->type == L_NOT) {
        p->i++;
        msx_query *r = parse_group(p);
        if (!r) {
            ms_qsyntax_error(&p->lx, "NOT without a right operand");
            break;
        }
        q = ms_qbinary(MSX_OP_AND_NOT, q ? q : msx_query_match_all(), r);
    }
    return q;
}

/* One level of left-associative binary operators: next (op next)*. */
static msx_query *parse_binary(ms_qparser *p, enum ltype tok, msx_op op, const char *name,
                               msx_query *(*next)(ms_qparser *))
{
    msx_query *q = next(p);
    while (peek(p)->type == tok) {
        p->i++;
        msx_query *r = next(p);
        if (!q || !r)
            ms_qsyntax_error(&p->lx, "%s needs an operand on each side", name);
        q = ms_qbinary(op, q, r);
    }
    return q;
}

static msx_query *parse_and(ms_qparser *p)
{
    return parse_binary(p, L_AND, MSX_OP_AND, "AND", parse_not);
}

static msx_query *parse_or(ms_qparser *p)
{
    return parse_binary(p, L_OR, MSX_OP_OR, "OR", parse_and);
}

msx_query *ms_qparse(ms_qparser *p, const char *q)
{
    ms_qlex(&p->lx, q, p->c.natural);
    p->i = 0;
    msx_query *r = parse_or(p);
    if (peek(p)->type == L_RP)
        ms_qsyntax_error(&p->lx, "unbalanced ')'");
    else if (peek(p)->type != L_END)
        ms_qsyntax_error(&p->lx, "unexpected text");
    return r;
}
