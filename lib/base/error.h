/*
 * medsearch/error.h - the error record every library call fills.
 *
 * A call that can fail returns 0 on success or -1 on failure and then fills
 * *err (when err is not NULL) with a one-line message fit to print after the
 * program's name: "FILE:LINE: what is wrong" or "what is wrong".
 */
#ifndef MEDSEARCH_ERROR_H
#define MEDSEARCH_ERROR_H

#include "medsearch.h" /* ms_errcode, ms_error */

/* Fill err (if not NULL) with code and a printf-style message; returns -1. */
int ms_fail(ms_error *err, ms_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
