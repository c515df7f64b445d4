/*
 * output/tsv.h - results as tab-separated values, for scripts and
 * spreadsheets: the back end of the format "tsv".
 */
#ifndef MEDSEARCH_OUTPUT_TSV_H
#define MEDSEARCH_OUTPUT_TSV_H

#include "output/writer.h"

extern const ms_writer_ops ms_tsv_writer;

#endif
