/*
 * medsearch/record.h - the passage record: what a result needs to be
 * printed without opening its file, and the passage text its snippet is cut
 * from.
 *
 * The record is stored in a value slot of the passage's document (see
 * index.h), in a compact binary form rather than JSON: a reader decodes it
 * for every result it prints, and a JSON parser cost more than the search.
 * A value, unlike the document data, is not compressed by Xapian, which
 * spares the indexer a deflate and the reader an inflate per passage.
 *
 * Layout: a format byte, then start, end and line as unsigned LEB128
 * numbers; path, article, title, section, source, url, date (ISO 8601),
 * author, date_text (the date as written), each
 * as a number n (0: unknown, else n - 1 bytes follow); the number of
 * entities and the number of mentions; the entities, each a kind byte and
 * a length-prefixed name; the mentions, each its entity's index, its first
 * token and its number of tokens; the rest is the passage text. Every string is valid UTF-8 (the
 * decoder checks).
 *
 * The mentions spare a reader the lexicon: to highlight an entity of the
 * query as one piece, it needs where the text names it, which the indexer
 * found already. Their tokens are the primary tokens of the text's
 * analysis with the index's settings, numbered from 0.
 */
#ifndef MEDSEARCH_RECORD_H
#define MEDSEARCH_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "lexicon/lexicon.h"

typedef struct ms_rec_entity {
    ms_entkind kind;
    const char *name;
} ms_rec_entity;

/* Where the passage text names ents[ent]: its primary tokens [first, end). */
typedef struct ms_rec_mention {
    uint32_t ent, first, end;
} ms_rec_mention;

typedef struct ms_rec {
    const char *path, *article, *title, *section; /* never NULL once decoded */
    const char *source, *url, *date, *author;     /* NULL when unknown */
    const char *date_text;                        /* the date as written, or NULL */
    long long start, end, line;                   /* byte range and first line in the file */
    const ms_rec_entity *ents;                    /* each entity once */
    size_t n_ents;
    const ms_rec_mention *mentions; /* in text order */
    size_t n_mentions;
    const char *text; /* the passage text, NUL-terminated */
    size_t text_len;
    void *mem; /* a decoded record owns its strings here */
} ms_rec;

/* Append the encoding of r to *buf (of *len bytes, capacity *cap). Bytes
 * of its strings and text that are not valid UTF-8 are stored as U+FFFD. */
void ms_rec_encode(const ms_rec *r, char **buf, size_t *len, size_t *cap);

/* Decode len bytes into r, which then owns copies of its strings (free
 * with ms_rec_free). Returns 0, or -1 if the bytes are not a valid record
 * (r is then empty). */
int ms_rec_decode(const char *data, size_t len, ms_rec *r);

void ms_rec_free(ms_rec *r);

#endif
