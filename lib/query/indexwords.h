/*
 * query/indexwords.h - the word source of spelling over an index
 * (indexwords.c).
 */
#ifndef MEDSEARCH_QUERY_INDEXWORDS_H
#define MEDSEARCH_QUERY_INDEXWORDS_H

#include "query/spelling.h"
#include "xapian/xapian.h"

/* The word source that reads db (which must outlive it). */
ms_word_source ms_index_words(const msx_db *db);

#endif
