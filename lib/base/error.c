/*
 * base/error.c - filling the error record (ms_error, medsearch.h).
 *
 * Every call of the library that can fail reports through ms_fail: one
 * code the caller can act on (retry on MS_ECHANGED, wait on MS_ELOCKED...)
 * and one line of text fit to print after the program's name.
 */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>

int ms_fail(ms_error *err, ms_errcode code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}
