/*
 * seeds_check - print what the article parser makes of some files: title,
 * metadata, and per passage its section, byte span, line and the start of
 * its text (-v: all of it). A tool for eyeballing the parser on real articles, run by
 * bench/seeds_check.sh, not part of the test suite.
 */
#include "article/article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The first max bytes of s on one line, not cutting a UTF-8 character. */
static void preview(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    for (size_t i = 0; i < n; i++)
        putchar(s[i] == '\n' ? '|' : s[i]);
    if (n < strlen(s))
        fputs("...", stdout);
}

static void field(const char *name, const char *v)
{
    if (v)
        printf("  %s: %s\n", name, v);
}

int main(int argc, char **argv)
{
    int status = 0, verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) { /* whole passage texts */
            verbose = 1;
            continue;
        }
        size_t len;
        char *data = slurp(argv[i], &len);
        if (!data) {
            perror(argv[i]);
            status = 1;
            continue;
        }
        ms_article a;
        ms_error err;
        ms_format fmt = ms_format_from_path(argv[i]);
        printf("== %s\n", argv[i]);
        if (ms_article_parse(data, len, fmt, NULL, &a, &err)) {
            printf("  error: %s\n", err.msg);
            status = 1;
            free(data);
            continue;
        }
        printf("  format: %s\n  title: %s\n", ms_format_name(a.format), a.title);
        field("id", a.id);
        field("source", a.source);
        field("url", a.url);
        field("date", a.date);
        field("author", a.author);
        field("description", a.description);
        field("also-called", a.also_called);
        field("tags", a.tags);
        printf("  chrome dropped: %zu lines, %zu bytes\n", a.boiler_lines, a.boiler_bytes);
        for (size_t k = 0; k < a.n_passages; k++) {
            const ms_passage *p = &a.passages[k];
            printf("  [%zu] section \"%s\" span [%zu,%zu) line %u (%zu bytes)\n      ", k,
                   p->section, p->start, p->end, p->line, p->text_len);
            if (verbose)
                printf("%s", p->text);
            else
                preview(p->text, 60);
            putchar('\n');
        }
        ms_article_free(&a);
        free(data);
    }
    return status;
}
