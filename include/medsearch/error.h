/*
 * medsearch/error.h - the error record every library call fills.
 *
 * A call that can fail returns 0 on success or -1 on failure and then fills
 * *err (when err is not NULL) with a one-line message fit to print after the
 * program's name: "FILE:LINE: what is wrong" or "what is wrong".
 */
#ifndef MEDSEARCH_ERROR_H
#define MEDSEARCH_ERROR_H

typedef enum ms_errcode {
    MS_OK = 0,
    MS_EUSAGE,  /* bad arguments or query syntax in strict mode */
    MS_EIO,     /* a file could not be read or written */
    MS_EFORMAT, /* malformed input (lexicon line, article, settings) */
    MS_EINDEX,  /* the index: missing, locked, corrupt, other settings */
    MS_ELOCKED, /* another indexer holds the write lock */
    MS_ENOMEM,  /* out of memory */
    MS_ESHARD,  /* a shard could not be reached */
    MS_ECHANGED /* the index changed while it was read: open it again and retry */
} ms_errcode;

typedef struct ms_error {
    ms_errcode code;
    char msg[1200];
} ms_error;

/* Fill err (if not NULL) with code and a printf-style message; returns -1. */
int ms_fail(ms_error *err, ms_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
