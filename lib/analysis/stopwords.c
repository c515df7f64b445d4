/*
 * analysis/stopwords.c - the common English function words (the, of, is...).
 *
 * Nothing is dropped from the index as a stopword: the query side decides
 * what to ignore, and the indexer keeps these words unstemmed (see
 * ms_token_stemmed in analyze.h). The list is short and fixed; it is kept by
 * length, sorted, so that a lookup is a few comparisons.
 */
#include <string.h>

#include "analysis/analyze.h"

/* The stopwords of each length, in byte order, each followed by a space. */
static const char stop1[] = "a i ";
static const char stop2[] = "am an as at be by do he if in is it me my of on or so to us we ";
static const char stop3[] = "all and any are but can did for had has her him his how i'm its our "
                            "she the too was who why you ";
static const char stop4[] = "also been does from have here hers into it's just some such than "
                            "that them then they this very were what when whom will with your ";
static const char stop5[] = "about being could doing their there these those where which while "
                            "would ";
static const char stop6[] = "having should ";

int ms_is_stopword(const char *t, size_t n)
{
    /* by length, then a binary search: a few comparisons on the indexing
       hot path */
    static const char *const by_len[7] = {NULL, stop1, stop2, stop3, stop4, stop5, stop6};
    static const size_t count[7] = {0,
                                    sizeof stop1 / 2,
                                    sizeof stop2 / 3,
                                    sizeof stop3 / 4,
                                    sizeof stop4 / 5,
                                    sizeof stop5 / 6,
                                    sizeof stop6 / 7};
    if (n == 0 || n > 6)
        return 0;
    size_t lo = 0, hi = count[n];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *w = by_len[n] + mid * (n + 1);
        int c = (unsigned char)w[0] - (unsigned char)t[0];
        if (c == 0)
            c = memcmp(w + 1, t + 1, n - 1);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}
