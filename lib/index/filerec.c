/*
 * filerec.c - the index's record of each file it has read.
 *
 * Bookkeeping lives in the index's metadata, committed together with the
 * documents it describes: "F:<path>" holds an indexed file's size, mtime,
 * content hash and number of passages, "E:<path>" a failed file's size and
 * mtime and the reason. A run compares the walk with them to find the files
 * that changed; the value is text, "size mtime hash passages reason".
 */
#include "index/filerec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* The metadata key of the record of file rel: prefix and path. Xapian's
 * keys hold at most 245 bytes, so a longer path is cut and its hash added
 * (as the P and Q terms are); the whole path then ends the record's value,
 * after a newline (ms_frec_path). */
#define REC_KEY_PATH 200
static void rec_key(const char *prefix, const char *rel, char *key, size_t cap)
{
    size_t n = strlen(rel);
    if (n <= REC_KEY_PATH + 20)
        snprintf(key, cap, "%s%s", prefix, rel);
    else
        snprintf(key, cap, "%s%.*s#%016llx", prefix, REC_KEY_PATH, rel,
                 (unsigned long long)ms_fnv1a(MS_FNV_BASIS, rel, n));
}

int ms_frec_get(msx_wdb *db, const char *prefix, const char *rel, frec *r)
{
    char key[300];
    rec_key(prefix, rel, key, sizeof key);
    char *val = NULL;
    size_t len = 0;
    memset(r, 0, sizeof *r);
    if (msx_wdb_get_metadata(db, key, &val, &len, NULL) != MSX_OK || !val || !len) {
        free(val);
        return 0;
    }
    int off = 0;
    int ok =
        sscanf(val, "%lld %lld %llx %u %n", &r->size, &r->mtime, &r->hash, &r->passages, &off) >= 4;
    if (ok && off > 0)
        snprintf(r->reason, sizeof r->reason, "%.*s", (int)strcspn(val + off, "\n"), val + off);
    free(val);
    return ok;
}

int ms_frec_put(msx_wdb *db, const char *prefix, const char *rel, const frec *r, ms_error *err)
{
    char key[300], val[4400];
    rec_key(prefix, rel, key, sizeof key);
    int n = snprintf(val, sizeof val, "%lld %lld %llx %u %s", r->size, r->mtime, r->hash,
                     r->passages, r->reason);
    if (strlen(rel) > REC_KEY_PATH + 20)
        n += snprintf(val + n, sizeof val - (size_t)n, "\n%s", rel);
    msx_error xe;
    if (msx_wdb_set_metadata(db, key, val, (size_t)n, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: %s", key, xe.msg);
    return 0;
}

int ms_frec_del(msx_wdb *db, const char *prefix, const char *rel)
{
    char key[300];
    rec_key(prefix, rel, key, sizeof key);
    return msx_wdb_set_metadata(db, key, "", 0, NULL) == MSX_OK ? 0 : -1;
}

/* The path of the file whose record is at key (malloc'd). */
char *ms_frec_path(msx_wdb *db, const char *key)
{
    char *val = NULL, *nl;
    size_t len = 0;
    if (strlen(key) > REC_KEY_PATH + 2 &&
        msx_wdb_get_metadata(db, key, &val, &len, NULL) == MSX_OK && val &&
        (nl = memchr(val, '\n', len))) {
        char *p = ms_xstrndup(nl + 1, len - (size_t)(nl + 1 - val));
        free(val);
        return p;
    }
    free(val);
    return ms_xstrdup(key + 2);
}

int ms_frec_get_raw(msx_wdb *db, const char *prefix, const char *rel, char **val, size_t *len)
{
    char key[300];
    rec_key(prefix, rel, key, sizeof key);
    *val = NULL;
    *len = 0;
    if (msx_wdb_get_metadata(db, key, val, len, NULL) != MSX_OK || !*val || !*len) {
        free(*val);
        *val = NULL;
        return 0;
    }
    return 1;
}

int ms_frec_put_raw(msx_wdb *db, const char *prefix, const char *rel, const char *val, size_t len,
                    ms_error *err)
{
    char key[300];
    rec_key(prefix, rel, key, sizeof key);
    msx_error xe;
    if (msx_wdb_set_metadata(db, key, val, len, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: %s", key, xe.msg);
    return 0;
}
