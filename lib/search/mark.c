/*
 * search/mark.c - marking the tokens of a text that the query matched.
 *
 * Matching is decided on the analyzer's tokens of the text: a token matches
 * when its folded form or its stem is one the query searched for, or when it
 * lies inside a mention of an entity the query named (so a search for hives
 * highlights "urticaria"). A passage's mentions come from its record (the
 * indexer's tagging); a title or heading is tagged here with the lexicon.
 * Snippets (snippet.c) and the re-ranker (rerank.c) read the same marks.
 */
#include "search/mark.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static int in_set(char *const *v, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (v[i][0] == s[0] && strncmp(v[i], s, len) == 0 && v[i][len] == '\0')
            return 1;
    return 0;
}

/* Whether the query asks for entity kind and name. */
static int wanted(const ms_qinfo *info, ms_entkind kind, const char *name)
{
    for (size_t q = 0; q < info->n_ents; q++)
        if (info->ents[q].kind == kind && strcmp(info->ents[q].name, name) == 0)
            return 1;
    return 0;
}

/* Give the primary tokens [first, end) of a mention of an entity the query
 * asks for one match id, id (< 0): highlighted as one piece. */
static void mark_mention(ms_marked *mk, size_t first, size_t end, int id)
{
    /* prim rises: find the first primary token at or past first */
    size_t lo = 0, hi = mk->np;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mk->prim[mid] < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t j = lo; j < mk->np && mk->prim[j] < end; j++)
        mk->match[j] = id;
}

/* Mark text into mk, whose buffers (zeroed at first) are reused: every
 * token whose word or stem the query has (a stem need not begin as its word
 * does: "lying" stems to "lie"). The entities are found where the
 * passage record rec says (the indexer's tagging of the same text), or
 * with the lexicon when rec is NULL. */
void ms_mark(const ms_env *env, const ms_qinfo *info, const ms_rec *rec, const char *text,
             size_t len, ms_marked *mk)
{
    int langs = ms_analyzer_languages(env->an);
    int keeps_first = ms_analyzer_stems_keep_first(env->an) && langs == 1;
    ms_tokens_reset(&mk->t);
    ms_analyze(env->an, text, len, 1, &mk->t);
    mk->ents.n = 0;
    if (info->n_ents && !rec)
        ms_lexicon_tag(env->lex, text, &mk->t, &mk->ents);
    const ms_tokens *tk = &mk->t;
    size_t np = 0;
    if (tk->n + 1 > mk->cap) {
        mk->cap = tk->n + 1;
        mk->prim = ms_xrealloc(mk->prim, mk->cap * sizeof *mk->prim);
        mk->match = ms_xrealloc(mk->match, mk->cap * sizeof *mk->match);
    }
    size_t *prim = mk->prim;
    int *match = mk->match;
    char stem[MS_TERM_MAX + 8];
    /* the first bytes of the words (1) and stems (2) to highlight: most
       tokens are ruled out by one lookup. An English stem keeps its word's
       first letter (not always the second: "lying" stems to "lie"); other
       stemmers may not, and every token is stemmed. */
    unsigned char first[256] = {0};
    for (size_t q = 0; q < info->n_terms; q++)
        first[(unsigned char)info->terms[q][0]] |= 1;
    for (size_t q = 0; q < info->n_stems; q++)
        first[(unsigned char)info->stems[q][0]] |= 2;
    for (size_t i = 0; i < tk->n; i++) {
        const ms_token *k = &tk->v[i];
        const char *s = ms_token_term(tk, k);
        unsigned char f = first[(unsigned char)s[0]];
        int m = 0;
        if ((f & 1) && in_set(info->terms, info->n_terms, s, k->len)) {
            m = 1;
        } else if (!(k->flags & (MS_TOK_NUMBER | MS_TOK_CJK)) && info->n_stems &&
                   ((f & 2) || !keeps_first)) {
            /* in the language of each article the index holds */
            for (int g = 0; g < langs && !m; g++) {
                size_t sl = ms_analyzer_stem_in(env->an, g, s, k->len, stem, sizeof stem);
                m = in_set(info->stems, info->n_stems, stem, sl);
            }
        }
        if (k->flags & MS_TOK_ALT) {
            /* an alternative matched: mark the primary tokens it covers */
            for (size_t j = np; m && j-- > 0 && tk->v[prim[j]].start >= k->start;)
                if (!match[j])
                    match[j] = (int)i + 1;
            continue;
        }
        prim[np] = i;
        match[np++] = m ? (int)i + 1 : 0;
    }
    mk->np = np;
    for (size_t e = 0; e < mk->ents.n; e++) {
        const ms_entity *en = &mk->ents.v[e];
        if (wanted(info, en->kind, ms_entity_name(env->lex, en, tk)))
            mark_mention(mk, en->tok_first, en->tok_end, -(int)e - 1);
    }
    for (size_t m = 0; rec && info->n_ents && m < rec->n_mentions; m++) {
        const ms_rec_mention *mn = &rec->mentions[m];
        const ms_rec_entity *en = &rec->ents[mn->ent];
        if (wanted(info, en->kind, en->name))
            mark_mention(mk, mn->first, mn->end, -(int)m - 1);
    }
}

void ms_unmark(ms_marked *mk)
{
    free(mk->prim);
    free(mk->match);
    ms_entities_free(&mk->ents);
    ms_tokens_free(&mk->t);
    memset(mk, 0, sizeof *mk);
}
