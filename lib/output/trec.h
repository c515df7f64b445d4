/*
 * output/trec.h - results as a TREC run file, for trec_eval: the back end
 * of the format "trec".
 */
#ifndef MEDSEARCH_OUTPUT_TREC_H
#define MEDSEARCH_OUTPUT_TREC_H

#include "output/writer.h"

extern const ms_writer_ops ms_trec_writer;

#endif
