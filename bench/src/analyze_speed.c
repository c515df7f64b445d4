/* Analyzer throughput: reads every file named on stdin into memory, then
 * times (a) a plain pass over the bytes and (b) ms_analyze with stemming of
 * every word, as the indexer does. Prints MB/s for each, best of 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/analyze.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
    char **data = NULL;
    size_t *lens = NULL, n = 0, total = 0;
    char path[4096];
    while (fgets(path, sizeof path, stdin)) {
        path[strcspn(path, "\n")] = '\0';
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        rewind(f);
        data = realloc(data, (n + 1) * sizeof *data);
        lens = realloc(lens, (n + 1) * sizeof *lens);
        data[n] = malloc((size_t)len + 1);
        lens[n] = fread(data[n], 1, (size_t)len, f);
        total += lens[n++];
        fclose(f);
    }
    ms_error err;
    ms_analyzer *a = ms_analyzer_new(NULL, &err);
    ms_tokens t;
    ms_tokens_init(&t);
    double best_read = 1e9, best_an = 1e9;
    unsigned long sum = 0, tokens = 0;
    char stem[256];
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < lens[i]; j++)
                sum += (unsigned char)data[i][j];
        double t1 = now();
        tokens = 0;
        for (size_t i = 0; i < n; i++) {
            ms_tokens_reset(&t);
            ms_analyze(a, data[i], lens[i], 1, &t);
            for (size_t k = 0; k < t.n; k++)
                ms_analyzer_stem(a, ms_token_term(&t, &t.v[k]), t.v[k].len, stem, sizeof stem);
            tokens += t.n;
        }
        double t2 = now();
        if (t1 - t0 < best_read)
            best_read = t1 - t0;
        if (t2 - t1 < best_an)
            best_an = t2 - t1;
    }
    printf("files %zu, %.1f MB, %lu tokens (checksum %lu)\n", n, (double)total / 1e6, tokens,
           sum % 1000);
    printf("plain pass over the bytes: %8.1f MB/s\n", (double)total / 1e6 / best_read);
    printf("analyze + stem:            %8.1f MB/s\n", (double)total / 1e6 / best_an);
    ms_tokens_free(&t);
    ms_analyzer_free(a);
    for (size_t i = 0; i < n; i++)
        free(data[i]);
    free(data);
    free(lens);
    return 0;
}
