/*
 * markdown.h - the Markdown reader.
 */
#ifndef MEDSEARCH_ARTICLE_MARKDOWN_H
#define MEDSEARCH_ARTICLE_MARKDOWN_H

#include "article/doc.h"

/* Blocks and metadata of a Markdown file. -1 when out of memory. */
int ms_parse_markdown(ms_doc *d);

#endif
