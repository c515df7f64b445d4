/*
 * passages.h - blocks -> passages of bounded size, with spans and lines.
 */
#ifndef MEDSEARCH_ARTICLE_PASSAGES_H
#define MEDSEARCH_ARTICLE_PASSAGES_H

#include "article/doc.h"

/* Passage bound when the caller passes 0. MedQuAD answers (one "##" section
 * each) have a median of 880 bytes and a 90th percentile of 2,400: at 2,000
 * bytes 85% of them stay whole, and the long ones (lists of symptoms or
 * resources, up to 27 KB) become parts of about 300 words. */
#define MS_PASSAGE_MAX_DEFAULT 2000
/* Smallest bound honoured: below it a sentence would be cut into shreds. */
#define MS_PASSAGE_MAX_MIN 64

/* Blocks -> passages in d->a: sections cut into passages, spans and line
 * numbers found. -1 when out of memory. */
int ms_passages_build(ms_doc *d);

#endif
