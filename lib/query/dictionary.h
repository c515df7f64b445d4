/*
 * dictionary.h - the word lists spelling must respect (dictionary.c).
 */
#ifndef MEDSEARCH_DICTIONARY_H
#define MEDSEARCH_DICTIONARY_H

#include <stddef.h>

/* Whether word[0..n) (UTF-8, in any case) is a word of the English or the
 * medical word list; 0 when neither can be read. Safe to call from several
 * threads. */
int ms_dict_knows(const char *word, size_t n);

#endif
