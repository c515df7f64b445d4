/*
 * output/json.h - results as JSON Lines, for scripts: the back end of the
 * format "json".
 */
#ifndef MEDSEARCH_OUTPUT_JSON_H
#define MEDSEARCH_OUTPUT_JSON_H

#include "output/writer.h"

extern const ms_writer_ops ms_json_writer;

#endif
