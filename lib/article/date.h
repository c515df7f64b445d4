/*
 * date.h - dates as articles write them, and their ISO 8601 form.
 *
 * An article's date reaches the parsers as written: "8 Apr 2025",
 * "Updated March 3, 2024", "Nov 28, 2025", "28.11.2025", "2025-11-28",
 * or "2025-04-08T09:30:00+03:00" in a page's metadata. The article keeps
 * both: date, the ISO form that sorts and compares (YYYY-MM-DD, YYYY-MM
 * when the day is not given, YYYY for a year alone as front matter may
 * give it), and date_text, the date as written.
 */
#ifndef MEDSEARCH_ARTICLE_DATE_H
#define MEDSEARCH_ARTICLE_DATE_H

#include <stdbool.h>
#include <stddef.h>

#include "article/article.h"

/* The month (1-12) an English month name or its abbreviation names
 * ("Nov", "Sept", "november", any case), else 0. */
int ms_month_name(const char *w, size_t n);

/* The first date of s[0..n) in one of the written forms: its ISO form in
 * iso (NUL-terminated), its bytes in s as [*at, *at + *len). false when
 * there is none. */
bool ms_date_find(const char *s, size_t n, char iso[11], size_t *at, size_t *len);

/* Settle an article's dates once its parser is done: date_text (a byline's
 * or front matter's date as written) is cut to the date it holds, which
 * gives date its ISO form unless the page's metadata did; without a
 * written date, meta (the metadata's own text, "" if none) is the text. */
int ms_date_settle(ms_article *a, const char *meta);

#endif
