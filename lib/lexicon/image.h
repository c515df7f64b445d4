/*
 * image.h - the lexicon as a compiled image: what lib/lexicon/ shares of it
 * (saving and reading copies are in medsearch/lexicon.h).
 */
#ifndef MEDSEARCH_LEXICON_IMAGE_H
#define MEDSEARCH_LEXICON_IMAGE_H

#include <stddef.h>

#include "lexicon/lexicon.h"

/* The lexicon of the image mapped at buf (taken over on success), or NULL
 * when its header or the places of its sections are not sound. */
ms_lexicon *ms_lex_from_image(ms_analyzer *a, char *buf, size_t len, const char *stamp);

#endif
