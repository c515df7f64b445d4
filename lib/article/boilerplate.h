/*
 * boilerplate.h - the table of lines a site repeats on many of its pages
 * (ms_boilerplate of medsearch/article.h), as the learner fills it.
 */
#ifndef MEDSEARCH_ARTICLE_BOILERPLATE_H
#define MEDSEARCH_ARTICLE_BOILERPLATE_H

#include <stddef.h>

#include "article/article.h"

/* A site of the table: its name and how many articles it had. */
typedef struct ms_bp_site ms_bp_site;

/* Start one more article of site (added if new): the lines counted next
 * count once each for it. NULL when out of memory. */
ms_bp_site *ms_boilerplate_article(ms_boilerplate *bp, const char *site);
/* Count the line s[0..n) for the current article of site. */
void ms_boilerplate_count(ms_boilerplate *bp, const ms_bp_site *site, const char *s, size_t n);

#endif
