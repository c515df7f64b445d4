#include "medsearch/error.h"

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
