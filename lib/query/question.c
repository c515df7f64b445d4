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

/* A question type: the words that ask it (matched by stem, so "treats",
 * "treated" and "treating" are "treat"), and the section-heading words that
 * answer it. */
typedef struct qtype {
    const char *name;
    const char *cues;     /* space-separated cue words */
    const char *headings; /* heading words it favours */
} qtype;

static const qtype qtypes[] = {
    {"treatment",
     "treat treatment cure medicine medication remedy relief relieve therapy manage specialist "
     "surgery",
     "treatment treat therapy management manage medication relief remedies"},
    {"causes", "cause why reason trigger", "cause trigger"},
    {"risk", "risk chance likely", "risk"},
    {"symptoms", "symptom sign", "symptoms signs"},
    {"prevention", "prevent avoid", "prevent prevention avoid"},
    {"dosage", "dose dosage dosing", "dose dosage dosing"},
    {"side effects", "side effects safe safety", "side effects safety risks"},
    {"interactions", "interact interaction", "interactions"},
    {"contents", "contain ingredient", "ingredients"},
    {"storage", "storage store expire expiration", "storage"},
    {"diagnosis", "diagnose diagnosis test detect screen screening",
     "diagnose diagnosis tests test"},
    {"complications", "complication", "complications"},
    {"outlook",
     "outlook prognosis expectancy survival survive curable fatal deadly recover recovery "
     "lifespan",
     "outlook prognosis"},
    {"inheritance", "inherit inheritance hereditary genetic gene pass carrier",
     "inherited inheritance genetic genes"},
    {"frequency", "common prevalence", "affected common"},
    {"definition", "", "is overview introduction definition about"}};

#define N_QTYPES (sizeof qtypes / sizeof *qtypes)
#define DEFINITION (1u << (N_QTYPES - 1))
#define TREATMENT 1u

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

/* The stem of w[0..n) as the index holds it (stopwords as written) into
 * out; returns its length. */
static size_t stem_of(ms_analyzer *an, const char *w, size_t n, char *out, size_t cap)
{
    if (ms_is_stopword(w, n)) {
        size_t l = n < cap - 1 ? n : cap - 1;
        memcpy(out, w, l);
        out[l] = '\0';
        return l;
    }
    return ms_analyzer_stem(an, w, n, out, cap);
}

/* Whether the stem s[0..n) is the stem of one of the space-separated words
 * of list. */
static int stem_in(ms_analyzer *an, const char *list, const char *s, size_t n)
{
    char cue[MS_TERM_MAX + 8];
    for (const char *p = list; *p;) {
        size_t l = strcspn(p, " ");
        size_t cl = stem_of(an, p, l, cue, sizeof cue);
        if (cl == n && memcmp(cue, s, n) == 0)
            return 1;
        p += l + (p[l] == ' ');
    }
    return 0;
}

unsigned ms_qtypes_detect(ms_analyzer *an, const ms_tokens *t)
{
    unsigned types = 0;
    char stem[MS_TERM_MAX + 8];
    for (size_t i = 0; i < t->n; i++) {
        if (t->v[i].flags & MS_TOK_ALT)
            continue;
        const char *w = ms_token_term(t, &t->v[i]);
        size_t sl = stem_of(an, w, t->v[i].len, stem, sizeof stem);
        for (size_t q = 0; q + 1 < N_QTYPES; q++)
            if (!(types >> q & 1) && stem_in(an, qtypes[q].cues, stem, sl))
                types |= 1u << q;
    }
    if (!types && asks_remedy(t))
        types = TREATMENT;
    if (!types && asks_definition(t))
        types = DEFINITION;
    return types;
}

char *ms_qtypes_name(unsigned types)
{
    ms_sbuf b = {0};
    for (size_t q = 0; q < N_QTYPES; q++)
        if (types >> q & 1) {
            if (b.n)
                ms_sb_put(&b, "+", 1);
            ms_sb_put(&b, qtypes[q].name, strlen(qtypes[q].name));
        }
    ms_sb_room(&b, 0)[0] = '\0';
    return b.p;
}

/* The section-heading words that fit the question types, for the re-ranker
 * (search/rerank.c), each once. They are not part of the Xapian query: a
 * bonus there (AND_MAYBE) would stop Xapian from skipping passages that
 * cannot reach the top, and scoring every passage that holds a common word
 * was most of a question's time. */
void ms_qtypes_headings(unsigned types, ms_analyzer *an, ms_qinfo *info)
{
    char w[MS_TERM_MAX + 8];
    for (size_t q = 0; q < N_QTYPES; q++) {
        if (!(types >> q & 1))
            continue;
        for (const char *s = qtypes[q].headings; *s;) {
            size_t len = strcspn(s, " ");
            stem_of(an, s, len, w, sizeof w);
            size_t i = 0;
            while (i < info->n_heads && strcmp(info->heads[i].word, w) != 0)
                i++;
            if (i == info->n_heads) {
                info->heads = ms_xrealloc(info->heads, (i + 1) * sizeof *info->heads);
                memcpy(info->heads[i].word, w, strlen(w) + 1);
                info->heads[i].weight = 1.0;
                info->n_heads++;
            }
            s += len + (s[len] == ' ');
        }
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
