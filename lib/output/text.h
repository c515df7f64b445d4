/*
 * output/text.h - results for people to read, on a terminal or in a
 * pager: the back end of the format "text".
 */
#ifndef MEDSEARCH_OUTPUT_TEXT_H
#define MEDSEARCH_OUTPUT_TEXT_H

#include "output/writer.h"

extern const ms_writer_ops ms_text_writer;

#endif
