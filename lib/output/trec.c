/*
 * output/trec.c - results as a TREC run file, for trec_eval and the
 * relevance benches: "qid Q0 docid rank score medsearch", a line a result,
 * where the docid is the passage's path:start.
 */
#include "output/trec.h"

#include "base/util.h"

static void trec_result(ms_writer *w, const ms_write_info *q, const ms_results *r, size_t i)
{
    const ms_hit *h = &r->hits[i];
    fprintf(w->f, "%s Q0 ", q->qid);
    /* a docid holds no space: a space is written as '_', as always */
    for (const char *p = h->rec.path; *p; p++) {
        if (*p == ' ')
            fputc('_', w->f);
        else
            ms_put_escaped(w->f, p, 1);
    }
    fprintf(w->f, ":%lld %u %.6f medsearch\n", h->rec.start, h->rank, h->score);
}

const ms_writer_ops ms_trec_writer = {
    .size = sizeof(ms_writer),
    .result = trec_result,
};
