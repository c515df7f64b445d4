/*
 * output/json.h - results as JSON Lines.
 */
#ifndef MEDSEARCH_OUTPUT_JSON_H
#define MEDSEARCH_OUTPUT_JSON_H

#include "output/writer.h"

extern const ms_writer_ops ms_json_writer;

#endif
