/*
 * analysis/languages.c - the language an article says it is in, as a
 * Snowball stemmer's name, and the function words of the languages that
 * have a list here.
 *
 * Pages say their language with a BCP 47 tag (<html lang="fr-FR">,
 * Content-Language: lt), front matter with a tag or a name ("lang: fr",
 * "language: French"). The primary subtag names the stemmer. As in
 * stopwords.c, function words are indexed as written, not stemmed, and
 * queries may ignore them; languages without a list here use the English
 * one, as the index's own language does.
 */
#include <string.h>

#include "analysis/analyze.h"
#include "base/util.h"

static const struct {
    const char *code, *name;
} LANGS[] = {
    {"ar", "arabic"},    {"hy", "armenian"},  {"eu", "basque"},     {"ca", "catalan"},
    {"da", "danish"},    {"nl", "dutch"},     {"en", "english"},    {"fi", "finnish"},
    {"fr", "french"},    {"de", "german"},    {"hu", "hungarian"},  {"id", "indonesian"},
    {"ga", "irish"},     {"it", "italian"},   {"lt", "lithuanian"}, {"ne", "nepali"},
    {"no", "norwegian"}, {"nb", "norwegian"}, {"nn", "norwegian"},  {"pt", "portuguese"},
    {"ro", "romanian"},  {"ru", "russian"},   {"es", "spanish"},    {"sv", "swedish"},
    {"ta", "tamil"},     {"tr", "turkish"},
};

const char *ms_language_of(const char *tag, size_t n)
{
    size_t k = 0;
    while (k < n && tag[k] != '-' && tag[k] != '_')
        k++;
    char w[16];
    if (k == 0 || k >= sizeof w)
        return NULL;
    for (size_t i = 0; i < k; i++)
        w[i] = (char)(tag[i] >= 'A' && tag[i] <= 'Z' ? tag[i] + 32 : tag[i]);
    for (size_t i = 0; i < sizeof LANGS / sizeof *LANGS; i++)
        if ((strlen(LANGS[i].code) == k && memcmp(LANGS[i].code, w, k) == 0) ||
            (strlen(LANGS[i].name) == k && memcmp(LANGS[i].name, w, k) == 0))
            return LANGS[i].name;
    return NULL;
}

/* Function words, folded as the analyzer folds them (accents off). */
static const char *const FRENCH[] = {
    "a",    "au",   "aux", "avec", "ce",  "ces", "dans", "de",    "des",   "du",   "elle", "en",
    "est",  "et",   "eux", "il",   "ils", "je",  "la",   "le",    "les",   "leur", "lui",  "ma",
    "mais", "me",   "mes", "moi",  "mon", "ne",  "nos",  "notre", "nous",  "on",   "ou",   "par",
    "pas",  "pour", "qu",  "que",  "qui", "sa",  "se",   "ses",   "son",   "sont", "sur",  "ta",
    "te",   "tes",  "toi", "ton",  "tu",  "un",  "une",  "vos",   "votre", "vous", "y",
};
static const char *const LITHUANIAN[] = {
    "apie", "ar",   "bei", "bet",  "iki",  "ir",  "is",  "jei", "jis", "jie", "jo",
    "ju",   "kad",  "kai", "kaip", "kas",  "ne",  "nei", "nes", "nuo", "o",   "per",
    "po",   "prie", "su",  "tai",  "taip", "tik", "to",  "uz",  "yra", "jos", "ji",
};

int ms_is_stopword_in(const char *language, const char *t, size_t n)
{
    if (language && strcmp(language, "french") == 0)
        return MS_WORD_IN(FRENCH, t, n);
    if (language && strcmp(language, "lithuanian") == 0)
        return MS_WORD_IN(LITHUANIAN, t, n);
    return ms_is_stopword(t, n);
}
