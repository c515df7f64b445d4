/*
 * stats.c - what medindex --stats and --compact do with a finished index.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "medsearch/index.h"
#include "medsearch/lexicon.h"
#include "medsearch/xapian.h"

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

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Number of shards of a sharded index at path (its XAPIANDB stub's
 * "auto shard-N" lines), or 0 for a single index. */
static unsigned shards_of(const char *path)
{
    char stub[4200], line[512];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", path);
    FILE *f = fopen(stub, "r");
    unsigned n = 0;
    while (f && fgets(line, sizeof line, f))
        n += strncmp(line, "auto shard-", 11) == 0;
    if (f)
        fclose(f);
    return n;
}

static int compact_one(const char *db_path, ms_error *err);

int ms_index_compact(const char *db_path, ms_error *err)
{
    unsigned n = shards_of(db_path);
    if (n == 0)
        return compact_one(db_path, err);
    for (unsigned i = 0; i < n; i++) { /* each shard stays a shard */
        char shard[4200];
        snprintf(shard, sizeof shard, "%s/shard-%u", db_path, i);
        if (compact_one(shard, err) < 0)
            return -1;
    }
    return 0;
}

static int compact_one(const char *db_path, ms_error *err)
{
    char tmp[4200], old[4200];
    snprintf(tmp, sizeof tmp, "%s.compact-tmp", db_path);
    snprintf(old, sizeof old, "%s.compact-old", db_path);
    nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    msx_error xe;
    const char *src[1] = {db_path};
    if (msx_compact(src, 1, tmp, &xe) != MSX_OK) {
        nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        return ms_fail(err, MS_EINDEX, "%s: compaction failed: %s", db_path, xe.msg);
    }
    /* Swap: readers that have the old files open keep reading them. */
    if (rename(db_path, old) != 0 || rename(tmp, db_path) != 0) {
        int e = errno;
        rename(old, db_path);
        return ms_fail(err, MS_EINDEX, "%s: cannot swap in the compacted index: %s", db_path,
                       strerror(e));
    }
    nftw(old, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
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
        fprintf(c->f, "  failed: %s: %s\n", key + 2, r ? r : "");
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
    unsigned n = shards_of(db_path);
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
        fprintf(f, "this run:     %zu files read, %.1f MB in %.2f s (%.1f MB/s)\n",
                st->files_indexed, (double)st->bytes_read / 1e6, st->seconds,
                st->seconds > 0 ? (double)st->bytes_read / 1e6 / st->seconds : 0.0);
        fprintf(f, "boilerplate:  %zu lines (%zu bytes) removed this run\n", st->boiler_lines,
                st->boiler_bytes);
        for (size_t i = 0; i < st->n_sources; i++)
            fprintf(f, "  source %s: %zu files, %zu lines (%zu bytes) removed\n",
                    st->sources[i].name, st->sources[i].files, st->sources[i].lines,
                    st->sources[i].bytes);
        if (st->invalid_utf8)
            fprintf(f, "invalid UTF-8: %zu bytes skipped\n", st->invalid_utf8);
        if (st->files_unknown)
            fprintf(f, "skipped:      %zu files of unknown format\n", st->files_unknown);
    }
    failed_ctx fc = {db, f};
    msx_db_metadata_keys(db, "E:", print_failed, &fc, NULL);
    msx_db_free(db);
    return 0;
}
