/* Parse time of one 10 MB article (the shape tests/unit/test_article.c checks
 * for behaviour): sections of paragraphs and bullets as plain text, then the
 * same bytes as one Markdown line. Prints the median of RUNS (argv[1],
 * default 7) CPU times of each, and each as a ratio to a plain pass over the
 * bytes, so that numbers from machines of different speed compare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article/article.h"

static double cpu(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double time_parse(const char *p, size_t n, ms_format fmt, size_t *passages)
{
    ms_article a;
    ms_error err;
    double t0 = cpu();
    if (ms_article_parse(p, n, fmt, NULL, &a, &err) != 0) {
        fprintf(stderr, "parse failed\n");
        exit(1);
    }
    double t = cpu() - t0;
    *passages = a.n_passages;
    ms_article_free(&a);
    return t;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 7;
    if (runs < 1 || runs > 1000)
        runs = 7;
    size_t cap = 11u << 20, n = 0;
    char *p = malloc(cap);
    n += (size_t)sprintf(p, "A very long article\n\n");
    for (int i = 0; n < 10u << 20; i++)
        n += (size_t)sprintf(p + n,
                             "Section %d\n"
                             "This paragraph talks about skin care number %d and goes on for a "
                             "while, with sentences about creams, soaps and sunscreen. It ends "
                             "here.\n"
                             "\xe2\x80\xa2 a bullet about moisturisers\n"
                             "\xe2\x80\xa2 a bullet about gentle cleansers\n"
                             "A second paragraph adds detail on when to see a doctor, how long "
                             "treatment takes and what to expect from it over the weeks.\n\n",
                             i, i);
    char *line = malloc(n);
    for (size_t i = 0; i < n; i++)
        line[i] = p[i] == '\n' ? ' ' : p[i];

    double *plain = malloc((size_t)runs * sizeof *plain),
           *text = malloc((size_t)runs * sizeof *text), *md = malloc((size_t)runs * sizeof *md);
    size_t np_text = 0, np_md = 0;
    volatile unsigned long sink = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = cpu();
        unsigned long sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += (unsigned char)p[i] == '\n';
        sink += sum;
        plain[r] = cpu() - t0;
        text[r] = time_parse(p, n, MS_FMT_TEXT, &np_text);
        md[r] = time_parse(line, n, MS_FMT_MARKDOWN, &np_md);
    }
    double mp = median(plain, runs), mt = median(text, runs), mm = median(md, runs);
    if (mp <= 0)
        mp = 1e-6;
    printf("10 MB article, median of %d runs (CPU time)\n", runs);
    printf("%-28s %8.3f s  %8s\n", "plain pass over the bytes", mp, "1x");
    printf("%-28s %8.3f s  %7.0fx  %zu passages\n", "text with sections", mt, mt / mp, np_text);
    printf("%-28s %8.3f s  %7.0fx  %zu passages\n", "markdown, one line", mm, mm / mp, np_md);
    free(p), free(line), free(plain), free(text), free(md);
    return 0;
}
