/*
 * load.h - reading the lexicon's TSV files: what lib/lexicon/ shares of it
 * (loading itself is ms_lexicon_load_file and ms_lexicon_load_dir, in
 * medsearch/lexicon.h).
 */
#ifndef MEDSEARCH_LEXICON_LOAD_H
#define MEDSEARCH_LEXICON_LOAD_H

#include <stddef.h>

#include "base/error.h"

/* The *.tsv files of dir, in name order, into *names (n of them, each to
 * free, and the array); -1 with err when there are none or dir is unreadable. */
int ms_lex_list_tsv(const char *dir, char ***names, size_t *n, ms_error *err);

#endif
