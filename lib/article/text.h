/*
 * text.h - the plain text reader.
 */
#ifndef MEDSEARCH_ARTICLE_TEXT_H
#define MEDSEARCH_ARTICLE_TEXT_H

#include "article/doc.h"

/* Blocks and metadata of a plain text file. -1 when out of memory. */
int ms_parse_text(ms_doc *d);

#endif
