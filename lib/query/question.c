/*
 * question.c - reading a query as a question: is it one, what does it ask.
 *
 * People paste whole questions ("Hi doctor, what can I take for a migraine
 * that won't go away?"). A query that reads as a sentence is lexed in
 * natural mode, where AND/OR/NOT and parentheses are words (lexer.c). Its
 * filler words are dropped, and its question type (treatment, causes,
 * symptoms, ...) is told by cue words; the type names the section-heading
 * words that answer it, which the re-ranker (search/rerank.c) favours. The word
 * lists here are the whole of that knowledge, so that tuning it is done in
 * one place.
 */
#include "query/question.h"
#include "base/util.h"
#include "query/lexer.h"

#include <string.h>

/* Words that carry no medical focus in a pasted question. */
static const char *const filler[] = {
    "hi",      "hello",     "hey",       "dear",     "doctor",    "doc",       "dr",
    "thanks",  "thank",     "please",    "help",     "helps",     "question",  "wondering",
    "wonder",  "know",      "tell",      "want",     "need",      "get",       "got",
    "getting", "really",    "something", "anything", "thing",     "things",    "kind",
    "sort",    "lot",       "ok",        "okay",     "use",       "take",      "anyone",
    "someone", "advice",    "advise",    "suggest",  "recommend", "info",      "information",
    "regards", "sir",       "madam",     "im",       "ive",       "dont",      "cant",
    "also",    "been",      "since",     "now",      "still",     "bit",       "little",
    "lately",  "recently",  "maybe",     "possible", "worried",   "concerned", "mean",
    "means",   "best",      "good",      "way",      "ways",      "go",        "went",
    "let",     "appreciate"};

int ms_qfiller(const char *t, size_t n)
{
    return MS_WORD_IN(filler, t, n);
}

struct ms_qtype {
    const char *name;
    const char *cues;     /* space-separated folded cue words */
    const char *headings; /* heading words it favours */
};

static const ms_qtype qtypes[] = {
    {"treatment",
     "treat treated treating treatment treatments cure cured cures medicine medicines medication "
     "medications remedy remedies relief relieve therapy therapies manage",
     "treatment treatments treat therapy therapies management manage medication medications "
     "relief remedies"},
    {"causes", "cause causes caused causing why reason reasons trigger triggers",
     "cause causes caused trigger triggers risk"},
    {"symptoms", "symptom symptoms signs sign", "symptoms symptom signs"},
    {"prevention", "prevent prevented preventing prevention avoid avoiding",
     "prevent prevention avoid"},
    {"dosage", "dose doses dosage dosing", "dose dosage dosing"},
    {"side effects", "side effects safe safety", "side effects safety risks"},
    {"diagnosis", "diagnose diagnosed diagnosis diagnosing test tests tested",
     "diagnose diagnosis diagnosed tests test"},
    {"outlook",
     "outlook prognosis expectancy survival survive curable fatal deadly recover recovery "
     "recovering lifespan",
     "outlook prognosis"},
    {"inheritance",
     "inherited inherit inheritance hereditary genetic genes gene pass passed passing carrier "
     "carriers",
     "inherited inheritance genetic genes"},
    {"frequency", "common prevalence", "affected common"},
    {"definition", "", "is overview introduction definition about"}};

/* "what is X", "what are X", "what's X", "define X": a question for the
 * overview of X, when no other question type is there. */
static int asks_definition(const ms_tokens *t)
{
    const char *w[2] = {"", ""};
    size_t k = 0;
    for (size_t i = 0; i < t->n && k < 2; i++)
        if (!(t->v[i].flags & MS_TOK_ALT))
            w[k++] = ms_token_term(t, &t->v[i]);
    return (strcmp(w[0], "what") == 0 && (strcmp(w[1], "is") == 0 || strcmp(w[1], "are") == 0)) ||
           strcmp(w[0], "what's") == 0 || strcmp(w[0], "whats") == 0 || strcmp(w[0], "define") == 0;
}

static int has_word(const char *list, const char *t, size_t n)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, t, n) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* "what can I use", "anything I can take", "what should I apply": asking
 * for a treatment without naming one. */
static int asks_remedy(const ms_tokens *t)
{
    static const char *const verbs[] = {"use", "take", "apply", "put", "try", "buy"};
    int what = 0, verb = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *w = ms_token_term(t, &t->v[i]);
        size_t l = t->v[i].len;
        what |= (l == 4 && memcmp(w, "what", 4) == 0) || (l == 8 && !memcmp(w, "anything", 8));
        verb |= MS_WORD_IN(verbs, w, l);
    }
    return what && verb;
}

const ms_qtype *ms_qtype_detect(const ms_tokens *t)
{
    size_t n = sizeof qtypes / sizeof *qtypes;
    for (size_t q = 0; q + 1 < n; q++)
        for (size_t i = 0; i < t->n; i++)
            if (!(t->v[i].flags & MS_TOK_ALT) &&
                has_word(qtypes[q].cues, ms_token_term(t, &t->v[i]), t->v[i].len))
                return &qtypes[q];
    if (asks_remedy(t))
        return &qtypes[0];
    return asks_definition(t) ? &qtypes[n - 1] : NULL;
}

const char *ms_qtype_name(const ms_qtype *qt)
{
    return qt->name;
}

/* The section-heading words that fit the question type, for the re-ranker
 * (search/rerank.c). A word listed twice ("symptoms", "symptom") counts twice. They
 * are not part of the Xapian query: a bonus there (AND_MAYBE) would stop
 * Xapian from skipping passages that cannot reach the top, and scoring every
 * passage that holds a common word was most of a question's time. */
void ms_qtype_headings(const ms_qtype *qt, ms_analyzer *an, ms_qinfo *info)
{
    for (const char *s = qt->headings; *s;) {
        const char *e = strchr(s, ' ');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char w[MS_TERM_MAX + 8];
        size_t wl = len;
        if (ms_is_stopword(s, len))
            memcpy(w, s, len); /* stopwords are indexed as written */
        else
            wl = ms_analyzer_stem(an, s, len, w, sizeof w);
        w[wl < MS_TERM_MAX ? wl : MS_TERM_MAX] = '\0';
        size_t i = 0;
        while (i < info->n_heads && strcmp(info->heads[i].word, w) != 0)
            i++;
        if (i == info->n_heads) {
            info->heads = ms_xrealloc(info->heads, (i + 1) * sizeof *info->heads);
            memcpy(info->heads[i].word, w, strlen(w) + 1);
            info->heads[i].weight = 0;
            info->n_heads++;
        }
        info->heads[i].weight += 1.0;
        if (!e)
            break;
        s = e + 1;
    }
}

/* Whether q reads as a sentence or question rather than operator syntax. */
int ms_reads_natural(const char *q)
{
    static const char *const openers[] = {
        "what",  "what's", "whats", "how",    "why",   "when",   "where", "who",
        "which", "is",     "are",   "can",    "could", "should", "does",  "do",
        "did",   "will",   "would", "hi",     "hello", "hey",    "dear",  "my",
        "i",     "i'm",    "im",    "please", "help",  "doctor", "i've",  "ive"};
    static const char *const pronouns[] = {"i",   "i'm",  "im",   "my",   "me",  "we",
                                           "our", "you",  "your", "he",   "she", "his",
                                           "her", "i've", "ive",  "mine", "us"};
    size_t words = 0;
    int first = 1, natural = 0;
    const char *s = q, *last = q;
    while (*s) {
        while (ms_qlex_space(*s))
            s++;
        if (!*s)
            break;
        const char *b = s;
        while (*s && !ms_qlex_space(*s))
            s++;
        last = s;
        char w[16];
        size_t n = 0;
        for (const char *c = b; c < s && n < sizeof w - 1; c++) {
            if (*c == ',' || *c == '.' || *c == '?' || *c == '!')
                continue;
            w[n++] = (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
        }
        if (first && MS_WORD_IN(openers, w, n))
            natural = 1;
        if (MS_WORD_IN(pronouns, w, n))
            natural = 1;
        first = 0;
        words++;
    }
    while (last > q && ms_qlex_space(last[-1]))
        last--;
    if (last > q && last[-1] == '?')
        natural = 1;
    return natural || words >= 9;
}
