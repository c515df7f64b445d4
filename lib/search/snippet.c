/*
 * search/snippet.c - the snippet shown for a passage, and its highlights.
 *
 * The snippet of a passage is the window of snippet_words words that holds
 * the most distinct matched query forms (then the most matches), with a
 * bonus for starting at a sentence, in the manner of FTS5's snippet(). It
 * is cut from the stored passage text at the analyzer's byte offsets, white
 * space folded, and every token the query matched (mark.c) is highlighted
 * as a byte range of the snippet; the tokens of one entity mention are one
 * range.
 */
#include "search/snippet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static int is_sentence_start(const char *text, size_t at)
{
    size_t i = at;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    return i == 0 || text[i - 1] == '.' || text[i - 1] == '!' || text[i - 1] == '?' ||
           text[i - 1] == '\n' || text[i - 1] == ':';
}

/* The snippet of text, marked in mk, into hit. */
void ms_snippet_marked(const ms_marked *mk, const char *text, size_t len, unsigned words,
                       ms_hit *hit)
{
    const ms_tokens t = mk->t;
    size_t np = mk->np, *prim = mk->prim;
    int *match = mk->match;

    /* best window: the most distinct matched words, then the most matches,
       then a sentence start; cls[j] numbers the distinct words */
    size_t *cls = ms_xrealloc(NULL, (np + 1) * sizeof *cls), n_cls = 0;
    const char **word = ms_xrealloc(NULL, (np + 1) * sizeof *word); /* of each class */
    for (size_t j = 0; j < np; j++) {
        if (!match[j])
            continue;
        const char *tj = t.buf + t.v[prim[j]].off;
        size_t c = 0;
        while (c < n_cls && strcmp(word[c], tj) != 0)
            c++;
        if (c == n_cls)
            word[n_cls++] = tj;
        cls[j] = c;
    }
    free(word);
    unsigned *count = ms_xrealloc(NULL, (n_cls + 1) * sizeof *count);
    memset(count, 0, (n_cls + 1) * sizeof *count);
    size_t w = words ? words : 30, best = 0;
    long best_score = -1, distinct = 0, hits = 0;
    for (size_t i = 0, end = 0; i < np; i++) {
        if (i > 0 && best_score >= 0 && i + w > np + w / 2)
            break;
        for (; end < np && end < i + w; end++)
            if (match[end]) {
                hits++;
                distinct += count[cls[end]]++ == 0;
            }
        long score = distinct * 1000 + hits * 10;
        if (score + 5 > best_score && is_sentence_start(text, t.v[prim[i]].start))
            score += 5;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
        if (match[i]) {
            hits--;
            distinct -= --count[cls[i]] == 0;
        }
    }
    free(count);
    free(cls);
    size_t last = np ? (best + w < np ? best + w : np) - 1 : 0;
    size_t from = np ? t.v[prim[best]].start : 0;
    size_t to = np ? t.v[prim[last]].end : len;
    if (to < len && (text[to] == '.' || text[to] == ')' || text[to] == '%'))
        to++;
    if (words == MS_SNIPPET_WHOLE) /* every byte, the punctuation around the words too */
        from = 0, to = len;

    /* copy, folding white space, with the highlights: never longer than
       the text with an ellipsis at each end */
    char *out = ms_xrealloc(NULL, (to - from) + 16);
    size_t o = 0;
    /* at most one highlight per token of the window */
    ms_range *hl = ms_xrealloc(NULL, (np ? last - best + 2 : 1) * sizeof *hl);
    size_t nh = 0;
    if (from > 0)
        o += (size_t)sprintf(out + o, "\xE2\x80\xA6");
    int open_id = 0;
    size_t hl_start = 0;
    int space = 0;
    size_t p = from;
    for (size_t j = best; p < to; j++) {
        /* the bytes before token j (never highlighted), then its own: a
           highlight starts or ends at token boundaries */
        int tok = j <= last && j < np;
        size_t ts = tok && t.v[prim[j]].start < to ? t.v[prim[j]].start : to;
        size_t te = tok && t.v[prim[j]].end < to ? t.v[prim[j]].end : to;
        for (int part = 0; part < 2; part++) {
            int id = part && tok ? match[j] : 0;
            for (size_t end = part ? te : ts; p < end; p++) {
                char c = text[p];
                if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
                    /* (a whole passage keeps its line breaks: list items) */
                    space = space == 2 || (c == '\n' && words == MS_SNIPPET_WHOLE) ? 2 : 1;
                    continue;
                }
                if (open_id && id != open_id) {
                    hl[nh].start = hl_start;
                    hl[nh++].end = o;
                    open_id = 0;
                }
                if (space && o > 0)
                    out[o++] = space == 2 ? '\n' : ' ';
                space = 0;
                if (id && !open_id) {
                    open_id = id;
                    hl_start = o;
                }
                out[o++] = c;
            }
        }
    }
    if (open_id) {
        hl[nh].start = hl_start;
        hl[nh++].end = o;
    }
    if (to < len) {
        memcpy(out + o, "\xE2\x80\xA6", 3);
        o += 3;
    }
    out[o] = '\0';
    hit->snippet = out;
    hit->snippet_len = o;
    hit->hl = hl;
    hit->n_hl = nh;
}

void ms_snippet(const ms_env *env, const ms_qinfo *info, const char *text, size_t len,
                unsigned words, ms_hit *hit)
{
    ms_marked mk = {0};
    ms_mark(env, info, NULL, text, len, &mk);
    ms_snippet_marked(&mk, text, len, words, hit);
    ms_unmark(&mk);
}
