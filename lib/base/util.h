/*
 * util.h - small helpers private to libmedsearch.
 */
#ifndef MEDSEARCH_UTIL_H
#define MEDSEARCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* realloc/strdup that abort with a message when memory runs out: used for
 * the small working buffers whose failure leaves nothing sensible to do. */
void *ms_xrealloc(void *p, size_t n);
char *ms_xstrndup(const char *s, size_t n);
char *ms_xstrdup(const char *s);

/* FNV-1a (64-bit) of s[0..n), going on from h (MS_FNV_BASIS to start
 * afresh), so that a string hashed in pieces hashes as it does whole. The
 * one hash of the library: file contents, paths, boilerplate lines, word
 * lists and lexicon keys. Inline, for the loops that hash every byte the
 * indexer reads. */
#define MS_FNV_BASIS 0xcbf29ce484222325ull
static inline uint64_t ms_fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* A growable byte string. */
typedef struct ms_sbuf {
    char *p;
    size_t n, cap;
} ms_sbuf;

/* Room for n more bytes and a NUL after them; returns where they go (the
 * caller adds what it wrote to b->n). */
static inline char *ms_sb_room(ms_sbuf *b, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = ms_xrealloc(b->p, b->cap);
    }
    return b->p + b->n;
}

/* Append s[0..n) (s may be NULL when n is 0). */
static inline void ms_sb_put(ms_sbuf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    memcpy(ms_sb_room(b, n), s, n);
    b->n += n;
}

/* Whether s[0..n) is one of the nl words of list (the one lookup of a
 * word in a fixed list: cue words, chrome phrases, month names...). */
int ms_word_in(const char *const *list, size_t nl, const char *s, size_t n);
#define MS_WORD_IN(list, s, n) ms_word_in(list, sizeof list / sizeof *list, s, n)

/* The place of s[0..n) among the space-separated words of words (a flag's
 * choices: "text json tsv trec"), or -1. */
int ms_word_index(const char *words, const char *s, size_t n);

/* Write s[0..n) to f with C-style escapes, so that no control character
 * reaches a terminal or splits a line, and the bytes can be told back: a
 * back slash as \\, line feed, tab and carriage return as \n, \t, \r,
 * any other byte below 0x20 and DEL as \x and two hex digits. */
void ms_put_escaped(FILE *f, const char *s, size_t n);

/* The whole of the regular file at path (malloc'd, NUL-terminated, its
 * length in *len), at most max bytes; NULL with a one-line *reason (cannot
 * open, not a regular file, too large, read error) on failure. A FIFO is
 * opened without blocking, then refused. */
char *ms_read_file(const char *path, size_t max, size_t *len, char *reason, size_t rcap);

/* Remove path and everything under it (symbolic links are not followed). */
void ms_rm_tree(const char *path);

/* Seconds on the monotonic clock, for measuring runs. */
double ms_now(void);

#endif
