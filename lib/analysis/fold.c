/*
 * analysis/fold.c - case and accent folding, so that Sjögren, SJOGREN and
 * sjogren are one term.
 *
 * ASCII, most of health text, is lower-cased byte by byte. Any other word
 * goes through libunistring: full case folding with NFKC (accents kept) or
 * NFKD (accents folded: the combining marks are dropped, then what NFKD
 * split without a mark to drop, such as Hangul syllables, is recomposed by
 * NFC). The typographic apostrophes fold to "'" so that crohn’s = crohn's.
 */
#include "analysis/fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/* Fold s[0..n) (which has non-ASCII bytes) into out (cap bytes). */
static size_t fold_unicode(int keep_accents, const char *s, size_t n, char *out, size_t cap)
{
    uint8_t stack[512];
    size_t rlen = sizeof stack;
    uninorm_t nf = keep_accents ? UNINORM_NFKC : UNINORM_NFKD;
    uint8_t *r = u8_casefold((const uint8_t *)s, n, NULL, nf, stack, &rlen);
    if (!r)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < rlen;) {
        ucs4_t uc;
        int l = u8_mbtouc(&uc, r + i, rlen - i);
        if (!keep_accents && uc_is_general_category(uc, UC_CATEGORY_M)) {
            /* an accent, dropped */
        } else if (uc == 0x2019 || uc == 0x02BC || uc == 0x2018) {
            if (o < cap)
                out[o++] = '\'';
        } else if (o + (size_t)l <= cap) {
            memcpy(out + o, r + i, (size_t)l);
            o += (size_t)l;
        }
        i += (size_t)l;
    }
    if (r != stack)
        free(r);
    if (!keep_accents) {
        /* Recompose what NFKD split but no mark was dropped from (Hangul). */
        int ascii = 1;
        for (size_t i = 0; i < o; i++)
            if ((unsigned char)out[i] >= 0x80)
                ascii = 0;
        if (!ascii) {
            uint8_t nbuf[512];
            size_t nlen = sizeof nbuf;
            uint8_t *c = u8_normalize(UNINORM_NFC, (const uint8_t *)out, o, nbuf, &nlen);
            if (c) {
                if (nlen <= cap) {
                    memcpy(out, c, nlen);
                    o = nlen;
                }
                if (c != nbuf)
                    free(c);
            }
        }
    }
    return o;
}

size_t ms_fold_word(int keep_accents, const char *s, size_t n, char *out, size_t cap)
{
    size_t i;
    for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
        ;
    if (i < n)
        return fold_unicode(keep_accents, s, n, out, cap);
    if (n > cap)
        n = cap;
    for (i = 0; i < n; i++) {
        char c = s[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    return n;
}
