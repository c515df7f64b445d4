/*
 * freetext.c - juxtaposed plain words, given the treatment of a question.
 *
 * The parser (parser.c) gathers the plain words between operators into one
 * run of free text. Here its stopwords and filler are dropped (unless
 * nothing else is left), negated symptoms and conditions are left out
 * (negation.c), as are a pasted message's greeting, sign-off and contact
 * details (message.c), and a word written twice counts once. The entities
 * the lexicon tags are expanded to their entity terms (at the weight
 * EXPAND_W of base/tuning.h), misspelt words are searched as their
 * corrections too (spelling.c), and the question types are noted with
 * their heading words (question.c).
 */
#include "query/freetext.h"
#include "base/tuning.h"
#include "base/util.h"
#include "query/info.h"
#include "query/message.h"
#include "query/negation.h"
#include "query/question.h"
#include "query/terms.h"

#include <stdlib.h>
#include <string.h>

/* The expansion of an entity: its entity term, which the indexer adds
 * wherever the tagger found any form of it (names, aliases, brands, one word
 * or several). So a multi-word synonym is matched as a phrase once, at index
 * time, by the same tagger that read the query: no positional check at query
 * time, and, being a single term, it scores exactly the same on shards as on
 * a single index (Xapian 1.4 estimates a synonym group's frequency shard by
 * shard). On the dev set it scored as a synonym group of the forms did. */
static msx_query *expansion(const ms_qctx *p, ms_entkind kind, int entry)
{
    char tb[256];
    size_t tl = ms_entity_term(kind, ms_lexicon_entry_name(p->env->lex, entry), tb, sizeof tb);
    return msx_query_term(tb, tl, 1, 0);
}

/* The bytes of q0 that text[start, end) was copied from, or 0 when they
 * cross two pieces. */
static int in_query(const ms_qpiece *pc, size_t npc, size_t start, size_t end, size_t *qs,
                    size_t *qe)
{
    for (size_t i = 0; i < npc; i++)
        if (start >= pc[i].foff && end <= pc[i].foff + pc[i].n) {
            *qs = pc[i].qoff + (start - pc[i].foff);
            *qe = pc[i].qoff + (end - pc[i].foff);
            return 1;
        }
    return 0;
}

/* Whether the word at q0[qs] is a name written with a capital inside a
 * sentence ("Dr Smithson"): names are not corrected. */
static int capitalised_name(const ms_qctx *p, size_t qs)
{
    if (p->q0[qs] < 'A' || p->q0[qs] > 'Z')
        return 0;
    size_t i = qs;
    while (i > 0 && (p->q0[i - 1] == ' ' || p->q0[i - 1] == '\t' || p->q0[i - 1] == '"' ||
                     p->q0[i - 1] == '('))
        i--;
    return i > 0 && !strchr(".?!\n", p->q0[i - 1]);
}

/* Whether token i is part of an entity the lexicon found: a known drug,
 * brand, symptom or condition is never corrected. */
static int in_entity(const ms_qctx *p, size_t i)
{
    for (size_t e = 0; e < p->ents.n; e++)
        if (i >= p->ents.v[e].tok_first && i < p->ents.v[e].tok_end)
            return 1;
    return 0;
}

/* The entities of text with its corrected words put in (corr, ncorr: byte
 * ranges of text and their corrections) that the uncorrected text did not
 * name, expanded as the others are: a corrected drug finds its brands. */
static void retag(ms_qctx *p, const char *text, size_t len, const ms_fix *corr, size_t ncorr,
                  ms_qlist *words)
{
    ms_sbuf b = {0};
    ms_splice(&b, text, len, corr, ncorr);
    ms_tokens t;
    ms_entities e;
    ms_tokens_init(&t);
    ms_entities_init(&e);
    ms_analyze(p->env->an, b.p, b.n, 1, &t);
    ms_lexicon_tag(p->env->lex, b.p, &t, &e);
    for (size_t i = 0; i < e.n; i++) {
        int known = 0;
        for (size_t j = 0; j < p->ents.n && !known; j++)
            known = p->ents.v[j].kind == e.v[i].kind && p->ents.v[j].entry == e.v[i].entry;
        if (known || e.v[i].entry < 0 || !p->opts->expand || p->literal)
            continue;
        ms_qinfo_add_ent(p->info, e.v[i].kind, e.v[i].entry,
                         ms_entity_name(p->env->lex, &e.v[i], &t));
        ms_qlist_add(words, ms_qscaled(expansion(p, e.v[i].kind, e.v[i].entry), EXPAND_W));
    }
    ms_tokens_free(&t);
    ms_entities_free(&e);
    free(b.p);
}

/* Whether token i (not skipped) was written before in t, not skipped: a
 * pasted question repeats its subject line in its body, and a word
 * searched twice would weigh twice. */
static int repeated(const ms_tokens *t, const char *skip, size_t i)
{
    const ms_token *k = &t->v[i];
    for (size_t j = 0; j < i; j++)
        if (!skip[j] && t->v[j].len == k->len && t->v[j].flags == k->flags &&
            memcmp(ms_token_term(t, &t->v[j]), ms_token_term(t, k), k->len) == 0)
            return 1;
    return 0;
}

/* The free-text query of text[0..len), whose words stand in the query where
 * pc says. */
msx_query *ms_free_text(ms_qctx *p, const char *text, size_t len, const ms_qpiece *pc, size_t npc)
{
    const ms_env *env = p->env;
    ms_tokens *t = &p->toks;
    ms_tokens_reset(t);
    ms_analyze(env->an, text, len, 1, t);
    p->ents.n = 0;
    ms_lexicon_tag(env->lex, text, t, &p->ents);

    char *skip = ms_xrealloc(NULL, t->n + 1);
    memset(skip, 0, t->n + 1);
    if (p->natural)
        ms_message_chrome(text, len, t, &p->ents, skip);
    ms_negations(env->lex, t, text, &p->ents, skip, p->info);

    /* all-stopword queries keep their words: better than nothing */
    int content = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        const char *s = ms_token_term(t, k);
        if (!ms_is_stopword(s, k->len) && !ms_qfiller(s, k->len))
            content++;
    }

    /* The words that tell the question type (causes, treatment...) stay in the
       main query too: dropping them measured worse on the dev set. */
    unsigned qt = p->natural || content > 1 ? ms_qtypes_detect(env->an, t) : 0;

    ms_qlist words = {0};
    char stem[MS_TERM_MAX + 8];
    ms_fix *corr = NULL; /* this run's corrections, in text order */
    size_t ncorr = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ms_token *k = &t->v[i];
        const char *s = ms_token_term(t, k);
        int stop = ms_is_stopword(s, k->len) || ms_qfiller(s, k->len);
        if ((content && stop) || skip[i])
            continue;
        ms_qinfo_add_str(&p->info->terms, &p->info->n_terms, s, k->len);
        if (repeated(t, skip, i)) /* a word counts once, however often written */
            continue;
        if (!ms_token_stemmed(k, s)) {
            /* no stems for these: the index has them as written */
            ms_qlist_add(&words, ms_qterm("", s, k->len, 0));
        } else {
            size_t sl = ms_analyzer_stem(env->an, s, k->len, stem, sizeof stem);
            if (sl) /* ("ʼs" stems to nothing: searched, but nothing to highlight) */
                ms_qinfo_add_str(&p->info->stems, &p->info->n_stems, stem, sl);
            msx_query *q = ms_qterm("Z", stem, sl, 0);
            /* an abbreviation in capitals that its stem would confuse with
               a word (EDS, ed) also asks for its form in capitals */
            if ((k->flags & MS_TOK_CAPS) && (sl != k->len || memcmp(stem, s, sl) != 0))
                q = ms_qbinary(MSX_OP_OR, q, ms_qterm("", s, k->len, 0));
            /* a misspelt word (see ms_spell_word) is searched as its
               correction too; never one the lexicon knows, nor a name */
            char fix[MS_TERM_MAX + 1], shown[MS_TERM_MAX + 1];
            size_t qs, qe, fl = 0;
            if (!in_entity(p, i) && in_query(pc, npc, k->start, k->end, &qs, &qe) &&
                !capitalised_name(p, qs))
                fl = ms_spell_word(&p->spell, s, k->len, stem, sl, fix, shown);
            if (fl) {
                ms_qinfo_add_str(&p->info->terms, &p->info->n_terms, shown, strlen(shown));
                ms_qinfo_add_str(&p->info->stems, &p->info->n_stems, fix, fl);
                q = ms_qbinary(MSX_OP_OR, q, ms_qterm("Z", fix, fl, 0));
                char *with = ms_spell_note(&p->spell, qs, qe, shown);
                corr = ms_xrealloc(corr, (ncorr + 1) * sizeof *corr);
                corr[ncorr++] = (ms_fix){k->start, k->end, with};
            }
            ms_qlist_add(&words, q);
        }
        /* and as the articles in the index's other languages have it */
        if (ms_analyzer_languages(env->an) > 1)
            ms_qlist_add(
                &words, ms_qword(env->an, 1, k, s, "Z", "", 0, &p->info->stems, &p->info->n_stems));
    }
    /* an entity is searched, and its mentions highlighted (urticaria for
       hives), only when expanding: --no-expand and +word/-word keep to the
       words as written */
    for (size_t e = 0; e < p->ents.n && p->opts->expand && !p->literal; e++) {
        const ms_entity *en = &p->ents.v[e];
        const char *name = ms_entity_name(env->lex, en, t);
        ms_qinfo_add_ent(p->info, en->kind, en->entry, name);
        if (en->entry >= 0)
            ms_qlist_add(&words, ms_qscaled(expansion(p, en->kind, en->entry), EXPAND_W));
    }
    if (ncorr)
        retag(p, text, len, corr, ncorr, &words);
    free(corr);
    free(skip);
    if (qt && !p->info->qtype) {
        p->info->qtype = ms_qtypes_name(qt);
        ms_qtypes_headings(qt, env->an, p->info);
    }
    return ms_qlist_combine(&words, MSX_OP_OR, 0);
}
