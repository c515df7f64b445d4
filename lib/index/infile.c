/*
 * infile.c - where a run of this process is, for a signal handler.
 *
 * A run looks at its stop flag between files and between the passages of
 * a file, but a parser cannot: a long file can keep it from looking for
 * seconds. The run says when it is inside a file (learning its lines,
 * parsing it, adding its passages), so that medindex's handler can end a
 * process still there a moment after the signal (ms_index_in_file).
 */
#include "index/infile.h"

#include <signal.h>

static volatile sig_atomic_t in_file;

int ms_index_in_file(void)
{
    return in_file;
}

void ms_index_enter_file(const ms_index_opts *o, int in)
{
    in_file = !in ? 0 : o->aside ? MS_IN_FILE_ASIDE : MS_IN_FILE;
}
