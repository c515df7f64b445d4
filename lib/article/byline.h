/*
 * byline.h - date, source and author lines near an article's top.
 */
#ifndef MEDSEARCH_ARTICLE_BYLINE_H
#define MEDSEARCH_ARTICLE_BYLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "article/article.h"

/* Byline: a date, "Source: X", "By X", "Dr. X" line near the top. Fills the
 * article's date/source/author (first one found wins) and says whether
 * the line is a byline. */
bool ms_byline(ms_article *a, const char *s, size_t n);

#endif
