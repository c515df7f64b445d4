/*
 * analysis/tokens.h - writing into a token list (ms_tokens, analyze.h).
 *
 * The scanner writes a token's term bytes at the end of the term buffer
 * (ms_tokens_room), then commits them with ms_tokens_push, which records the
 * token's flags, position and span.
 */
#ifndef MEDSEARCH_ANALYSIS_TOKENS_H
#define MEDSEARCH_ANALYSIS_TOKENS_H

#include "analysis/analyze.h"

/* Room for n more term bytes (plus a NUL) at the end of t's term buffer;
 * returns where they go. */
char *ms_tokens_room(ms_tokens *t, size_t n);

/* Commit the len term bytes just written at the end of the term buffer as a
 * token (cut to MS_TERM_MAX at a character start, and counted, if longer);
 * returns it, valid until the next push. */
ms_token *ms_tokens_push(ms_tokens *t, size_t len, unsigned flags, uint32_t pos, size_t start,
                         size_t end);

#endif
