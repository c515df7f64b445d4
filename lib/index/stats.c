/*
 * stats.c - what medindex --stats prints: the counts of a finished index
 * (read back from it, shard by shard where Xapian reads only the first;
 * the passages of each language),
 * and of the run that made it, with the boilerplate removed per source.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "index/index.h"
#include "index/layout.h"
#include "lexicon/lexicon.h"
#include "xapian/xapian.h"

/* The plural ending of a count of n things: "1 file", "2 files". */
static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

void ms_stats_add_source(ms_index_stats *st, const char *name, size_t files, size_t lines,
                         size_t bytes)
{
    size_t i;
    for (i = 0; i < st->n_sources; i++)
        if (strcmp(st->sources[i].name, name) == 0)
            break;
    if (i == st->n_sources) {
        if (i == MS_STATS_SOURCES) {
            i = MS_STATS_SOURCES - 1;
            snprintf(st->sources[i].name, sizeof st->sources[i].name, "(other sources)");
        } else {
            snprintf(st->sources[i].name, sizeof st->sources[i].name, "%s", name);
            st->n_sources++;
        }
    }
    st->sources[i].files += files;
    st->sources[i].lines += lines;
    st->sources[i].bytes += bytes;
}

static unsigned long long du_total;

static int du_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (type == FTW_F)
        du_total += (unsigned long long)sb->st_size;
    return 0;
}

static unsigned long long dir_size(const char *path)
{
    du_total = 0;
    nftw(path, du_one, 16, FTW_PHYS);
    return du_total;
}

typedef struct count_ctx {
    unsigned long n;
} count_ctx;

static int count_term(void *ctx, const char *t, size_t len, unsigned freq)
{
    (void)t;
    (void)len;
    (void)freq;
    ((count_ctx *)ctx)->n++;
    return 0;
}

static int count_key(void *ctx, const char *k, size_t len)
{
    (void)k;
    (void)len;
    ((count_ctx *)ctx)->n++;
    return 0;
}

/* "  language french: 12 passages", for each language term. */
static int print_language(void *ctx, const char *t, size_t len, unsigned freq)
{
    size_t pl = strlen(MS_LANG_PREFIX);
    fprintf(ctx, "  language %.*s: %u passages\n", (int)(len - pl), t + pl, freq);
    return 0;
}

typedef struct failed_ctx {
    const msx_db *db;
    FILE *f;
} failed_ctx;

static int print_failed(void *ctx, const char *k, size_t len)
{
    failed_ctx *c = ctx;
    char key[4200], *val = NULL;
    snprintf(key, sizeof key, "%.*s", (int)len, k);
    size_t vl;
    if (msx_db_get_metadata(c->db, key, &val, &vl, NULL) == MSX_OK && vl) {
        /* "size mtime hash passages reason" */
        const char *r = val;
        for (int field = 0; field < 4 && r; field++) {
            r = strchr(r, ' ');
            if (r)
                r++;
        }
        /* a long path is cut in the key, and written whole after the reason */
        const char *nl = r ? strchr(r, '\n') : NULL;
        const char *path = nl ? nl + 1 : key + 2;
        size_t rl = nl ? (size_t)(nl - r) : r ? strlen(r) : 0;
        fputs("  failed: ", c->f);
        ms_put_escaped(c->f, path, strlen(path)); /* as every path medindex prints */
        fprintf(c->f, ": %.*s\n", (int)rl, r ? r : "");
    }
    free(val);
    return 0;
}

int ms_index_print_stats(const char *db_path, const ms_index_stats *st, FILE *f, ms_error *err)
{
    msx_db *db;
    msx_error xe;
    if (msx_db_open(db_path, &db, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: %s", db_path, xe.msg);
    unsigned docs = 0;
    msx_db_doccount(db, &docs, NULL);
    count_ctx files = {0}, failed = {0}, words = {0};
    /* file records are metadata, which Xapian reads from a stub's first
       shard only: count them shard by shard */
    unsigned n = ms_layout_shards(db_path);
    for (unsigned i = 0; i < (n ? n : 1); i++) {
        msx_db *one = db;
        char shard[4200];
        snprintf(shard, sizeof shard, "%s/shard-%u", db_path, i);
        if (n && msx_db_open(shard, &one, &xe) != MSX_OK) {
            msx_db_free(db);
            return ms_fail(err, MS_EINDEX, "%s: %s", shard, xe.msg);
        }
        msx_db_metadata_keys(one, "F:", count_key, &files, NULL);
        msx_db_metadata_keys(one, "E:", count_key, &failed, NULL);
        if (one != db)
            msx_db_free(one);
    }
    msx_db_allterms(db, "Z", count_term, &words, NULL);
    fprintf(f, "index:        %s\n", db_path);
    fprintf(f, "files:        %lu indexed, %lu failed\n", files.n, failed.n);
    fprintf(f, "passages:     %u\n", docs);
    msx_db_allterms(db, MS_LANG_PREFIX, print_language, f, NULL);
    fprintf(f, "stems:        %lu distinct\n", words.n);
    for (int k = 0; k < 3; k++) {
        count_ctx c = {0};
        msx_db_allterms(db, ms_entkind_prefix((ms_entkind)k), count_term, &c, NULL);
        fprintf(f, "%-13s %lu distinct\n",
                k == 0   ? "drugs:"
                : k == 1 ? "symptoms:"
                         : "conditions:",
                c.n);
    }
    fprintf(f, "size:         %.1f MB\n", (double)dir_size(db_path) / 1e6);
    if (st) {
        fprintf(f, "this run:     %zu file%s read, %.1f MB in %.2f s (%.1f MB/s)\n",
                st->files_indexed, plural(st->files_indexed), (double)st->bytes_read / 1e6,
                st->seconds, st->seconds > 0 ? (double)st->bytes_read / 1e6 / st->seconds : 0.0);
        fprintf(f, "boilerplate:  %zu line%s (%zu byte%s) removed this run\n", st->boiler_lines,
                plural(st->boiler_lines), st->boiler_bytes, plural(st->boiler_bytes));
        for (size_t i = 0; i < st->n_sources; i++)
            fprintf(f, "  source %s: %zu file%s, %zu line%s (%zu byte%s) removed\n",
                    st->sources[i].name, st->sources[i].files, plural(st->sources[i].files),
                    st->sources[i].lines, plural(st->sources[i].lines), st->sources[i].bytes,
                    plural(st->sources[i].bytes));
        if (st->invalid_utf8)
            fprintf(f, "invalid UTF-8: %zu byte%s skipped\n", st->invalid_utf8,
                    plural(st->invalid_utf8));
        if (st->files_unknown)
            fprintf(f, "skipped:      %zu file%s of unknown format\n", st->files_unknown,
                    plural(st->files_unknown));
    }
    failed_ctx fc = {db, f};
    msx_db_metadata_keys(db, "E:", print_failed, &fc, NULL);
    msx_db_free(db);
    return 0;
}
