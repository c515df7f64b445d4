/*
 * html.h - the HTML reader.
 */
#ifndef MEDSEARCH_ARTICLE_HTML_H
#define MEDSEARCH_ARTICLE_HTML_H

#include "article/doc.h"

/* Blocks and metadata of an HTML file. -1 when out of memory; a page it
 * will not read sets d->refused. */
int ms_parse_html(ms_doc *d);
/* The HTML parser's raw blocks, before any chrome rule: what the boilerplate
 * learner counts, so that it sees the same lines the parser will ask about. */
int ms_html_blocks(ms_doc *d);

#endif
