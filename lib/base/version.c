/*
 * base/version.c - the version of the library (ms_version, medsearch.h),
 * on its own so that asking for it links nothing else.
 */
#include "medsearch.h"

const char *ms_version(void)
{
    return MEDSEARCH_VERSION;
}
