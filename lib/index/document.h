/*
 * document.h - the Xapian documents of an article's passages (document.c).
 */
#ifndef MEDSEARCH_INDEX_DOCUMENT_H
#define MEDSEARCH_INDEX_DOCUMENT_H

#include <stddef.h>

#include "article/article.h"
#include "index/settings.h"
#include "xapian/xapian.h"

/* Builds documents with the analyzer and lexicon of an environment, and
 * keeps what the passages of one article share. */
typedef struct ms_builder ms_builder;

ms_builder *ms_builder_new(ms_env *env);
void ms_builder_free(ms_builder *b);

/* Prepare what the passages of article a (of the file rel, its id art_id)
 * share: its title and other names, and its boolean terms. */
void ms_builder_article(ms_builder *b, const char *rel, const char *art_id, const ms_article *a);

/* The document of passage pi of article a (after ms_builder_article), or
 * NULL when out of memory. */
msx_doc *ms_builder_passage(ms_builder *b, const char *rel, const char *art_id, const ms_article *a,
                            size_t pi);

/* Invalid UTF-8 bytes skipped in the passages built since
 * ms_builder_article. */
size_t ms_builder_invalid(const ms_builder *b);

/* The id of article a of the file rel into out: its own, else its path
 * without the extension, in lower case. */
void ms_article_id(const ms_article *a, const char *rel, char *out, size_t cap);

/* The P term of the file rel into term (cap bytes); returns its length. A
 * path too long for a term is named by its hash. */
size_t ms_path_term(const char *rel, char *term, size_t cap);

#endif
