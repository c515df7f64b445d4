/*
 * output/output.c - the output formats by name.
 *
 * The names are listed once, in MS_OUTPUT_FORMATS (medsearch/output.h),
 * which medquery's flag table offers and checks --format against; the back
 * ends below are in the same order. The choices of --color are read here
 * too, from MS_OUTPUT_COLORS.
 */
#include "output/output.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "output/json.h"
#include "output/text.h"
#include "output/trec.h"
#include "output/tsv.h"
#include "output/writer.h"

/* The back ends, in the order of MS_OUTPUT_FORMATS. */
static const ms_writer_ops *const formats[] = {&ms_text_writer, &ms_json_writer, &ms_tsv_writer,
                                               &ms_trec_writer};

/* The colour choices, in the order of MS_OUTPUT_COLORS. */
enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

ms_writer *ms_writer_new(const char *format, FILE *f, int color)
{
    int i = ms_word_index(MS_OUTPUT_FORMATS, format, strlen(format));
    if (i < 0 || (size_t)i >= sizeof formats / sizeof *formats)
        return NULL;
    return ms_writer_make(formats[i], f, color);
}

int ms_output_color(const char *when, int fd)
{
    const char *nc = getenv("NO_COLOR");
    int c = ms_word_index(MS_OUTPUT_COLORS, when, strlen(when));
    return c == COLOR_ALWAYS || (c == COLOR_AUTO && isatty(fd) && !(nc && *nc));
}
