/*
 * infile.h - whether a run of this process is inside one file, where it
 * does not look at its stop flag (infile.c, ms_index_in_file of index.h).
 */
#ifndef MEDSEARCH_INDEX_INFILE_H
#define MEDSEARCH_INDEX_INFILE_H

#include "index/index.h"

/* Say that this process is in a file (MS_IN_FILE, or MS_IN_FILE_ASIDE
 * when o writes a rebuild aside) or no longer (in 0). */
void ms_index_enter_file(const ms_index_opts *o, int in);

#endif
