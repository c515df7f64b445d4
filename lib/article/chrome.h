/*
 * chrome.h - the rules that tell site chrome (navigation, share bars,
 * footers, adverts, teaser lists) from an article's text.
 */
#ifndef MEDSEARCH_ARTICLE_CHROME_H
#define MEDSEARCH_ARTICLE_CHROME_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ms_chrome {
    MS_CHROME_NO = 0,
    MS_CHROME_LINE,    /* navigation, share bars, "read more", bylines... */
    MS_CHROME_CONTACT, /* phone, e-mail, street address, opening hours */
    MS_CHROME_ADVERT,  /* "Consultation online", "Book now!" */
    MS_CHROME_TAIL     /* "Related articles": the rest of the page is teasers */
} ms_chrome;

ms_chrome ms_chrome_line(const char *s, size_t n);

/* One line (text) or block (Markdown, HTML) as seen by the chrome rules. */
typedef struct ms_unit {
    const char *s;
    size_t n;
    bool gap_before; /* a blank line or a block boundary precedes it */
    bool drop;       /* set by ms_chrome_mark */
} ms_unit;

/* Apply the chrome rules to a page: single lines, the tail after a
 * "related articles" heading, footer blocks of contact lines, and
 * exclamatory lead-ins to adverts. */
void ms_chrome_mark(ms_unit *u, size_t n);

#endif
