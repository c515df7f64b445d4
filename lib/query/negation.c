/*
 * negation.c - the words of a question that say what the asker does not
 * have.
 *
 * "I have a rash but no fever" asks about a rash: searching for fever
 * would find the wrong articles. The approach is NegEx's, from clinical
 * text: a trigger word opens a scope, and an entity the lexicon tagged in
 * that scope is negated. Negated symptoms and conditions are left out of
 * the search (and reported, so that the output can say so); drugs never are.
 */
#include "query/negation.h"
#include "base/util.h"
#include "query/info.h"
#include "query/question.h"

#include <string.h>

/* Negation, as NegEx does it in clinical text: a trigger ("no fever", "I
 * don't have a rash", "itching without hives") opens a scope that runs to
 * the end of the clause (a comma or stop, "but", "however"...) or for
 * NEG_SCOPE words; a symptom or condition named in it is not searched as
 * wanted, nor is the trigger. A drug is not negated ("without aspirin" asks
 * about doing without it). */
#define NEG_SCOPE 6

/* The bytes of s[0..n) before the first of set (n if none). */
static size_t memcspn(const char *s, size_t n, const char *set)
{
    size_t i = 0;
    while (i < n && !strchr(set, s[i]))
        i++;
    return i;
}

static const char *const neg_triggers[] = {
    "no",    "not",     "without", "never",  "denies", "deny",    "denied", "don't",
    "dont",  "doesn't", "doesnt",  "didn't", "didnt",  "haven't", "havent", "hasn't",
    "hasnt", "isn't",   "isnt",    "aren't", "arent",  "wasn't",  "wasnt",  "weren't"};
static const char *const neg_ends[] = {"but",   "however", "although", "though",
                                       "yet",   "except",  "apart",    "aside",
                                       "still", "whereas", "while",    "although"};

/* Mark in skip[] the tokens of t not to search: the symptoms and conditions
 * of ents inside a negation's scope, and their triggers; the negated
 * entities are listed in info and dropped from ents. */
void ms_negations(const ms_lexicon *lex, const ms_tokens *t, const char *text, ms_entities *ents,
                  char *skip, ms_qinfo *info)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *s = ms_token_term(t, &t->v[i]);
        if (!MS_WORD_IN(neg_triggers, s, t->v[i].len))
            continue;
        size_t end = i + 1;
        for (size_t words = 0; end < t->n && words < NEG_SCOPE; end++, words++) {
            const ms_token *k = &t->v[end];
            size_t from = t->v[end - 1].end; /* (an alternative form overlaps its words) */
            size_t gap = k->start > from ? k->start - from : 0;
            if (MS_WORD_IN(neg_ends, ms_token_term(t, k), k->len) ||
                memcspn(text + from, gap, ",;.?!:") < gap)
                break;
        }
        size_t keep = 0;
        for (size_t e = 0; e < ents->n; e++) {
            const ms_entity *en = &ents->v[e];
            int negated = en->tok_first > i && en->tok_first < end &&
                          (en->kind == MS_ENT_SYMPTOM || en->kind == MS_ENT_CONDITION);
            if (!negated) {
                ents->v[keep++] = *en;
                continue;
            }
            ms_qinfo_add_str(&info->negated, &info->n_negated, ms_entity_name(lex, en, t),
                             strlen(ms_entity_name(lex, en, t)));
            memset(skip + en->tok_first, 1, en->tok_end - en->tok_first);
            skip[i] = 1;
        }
        ents->n = keep;
    }
}
