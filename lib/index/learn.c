/*
 * learn.c - the site boilerplate of a run, without reading the corpus.
 *
 * A file's passages depend on the boilerplate table (article/boilerplate.c),
 * which depends on every file of its site: an edit, an added or a deleted
 * page can make a line of other pages repeated, or no longer repeated, and
 * those pages must then be cut again, or the index would drift from a clean
 * build of the same corpus.
 *
 * So each file has a K: record in the index's metadata, committed with its
 * passages and its F: (or E:) record: the keys of its lines, which the
 * table counts, and the questions its parse asked the table with the
 * answers it got. A run counts the table from the records of the files
 * that did not change and from reading those that did (new, edited), and
 * cuts again exactly the unchanged files whose recorded answers the new
 * table contradicts. This holds whatever came before: a killed run, a
 * file edited twice, pages added and deleted in any order; the table is
 * that of the corpus as it is, and every file's cut agrees with it once the
 * run completes. A run that changed nothing reads records, never files.
 *
 * The record is binary: the number of learned keys and of questions (32
 * bits each), the learned keys, the asked keys (64 bits each, little
 * endian), then one byte per question, 1 when the answer was "repeated".
 */
#include "index/learn.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "index/filerec.h"
#include "index/infile.h"

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int ms_krec_put(msx_wdb *db, const char *name, const char *rel, const ms_bp_keys *learned,
                const ms_bp_keys *asked, ms_error *err)
{
    size_t nl = learned ? learned->n : 0, nq = asked ? asked->n : 0;
    size_t len = 16 + 8 * nl + 9 * nq;
    unsigned char *v = ms_xrealloc(NULL, len), *p = v;
    put_u64(p, nl | (uint64_t)nq << 32);
    put_u64(p + 8, 0x4b52454331ull); /* "KREC1": a record of this layout */
    p += 16;
    for (size_t i = 0; i < nl; i++, p += 8)
        put_u64(p, learned->key[i]);
    for (size_t i = 0; i < nq; i++, p += 8)
        put_u64(p, asked->key[i]);
    for (size_t i = 0; i < nq; i++)
        *p++ = asked->flag[i] ? 1 : 0;
    ms_error e;
    int rc = ms_frec_put_raw(db, "K:", rel, (const char *)v, len, &e);
    free(v);
    return rc < 0 ? ms_fail(err, e.code, "%s: %s", name, e.msg) : 0;
}

int ms_krec_del(msx_wdb *db, const char *rel)
{
    return ms_frec_put_raw(db, "K:", rel, "", 0, NULL);
}

/* A K: record, decoded in place. */
typedef struct krec {
    char *raw;
    size_t nl, nq;
    const unsigned char *learned, *asked, *answers;
} krec;

static int krec_get(msx_wdb *db, const char *rel, krec *k)
{
    size_t len;
    memset(k, 0, sizeof *k);
    if (!ms_frec_get_raw(db, "K:", rel, &k->raw, &len))
        return 0;
    const unsigned char *p = (const unsigned char *)k->raw;
    if (len >= 16 && get_u64(p + 8) == 0x4b52454331ull) {
        uint64_t h = get_u64(p);
        k->nl = (size_t)(h & 0xffffffffu);
        k->nq = (size_t)(h >> 32);
        if (len == 16 + 8 * k->nl + 9 * k->nq) {
            k->learned = p + 16;
            k->asked = k->learned + 8 * k->nl;
            k->answers = k->asked + 8 * k->nq;
            return 1;
        }
    }
    free(k->raw); /* not a record of ours: as if there were none */
    k->raw = NULL;
    return 0;
}

int ms_krec_stale(msx_wdb *db, const char *rel, const ms_boilerplate *bp)
{
    krec k;
    if (!krec_get(db, rel, &k))
        return 1;
    char site[256];
    ms_walk_site(rel, site, sizeof site);
    int stale = 0;
    for (size_t i = 0; i < k.nq && !stale; i++)
        stale = ms_boilerplate_key_repeated(bp, site, get_u64(k.asked + 8 * i)) != k.answers[i];
    free(k.raw);
    return stale;
}

/* Read file rel and count it into bp; its keys into keys. 0 when it cannot
 * be read (not counted, as a clean build does not count it). */
static int learn_file(const ms_index_opts *o, const file_ent *f, ms_boilerplate *bp,
                      ms_bp_keys *keys)
{
    char abs[4200], reason[200], site[256];
    snprintf(abs, sizeof abs, "%s/%s", o->corpus, f->rel);
    size_t len;
    ms_index_enter_file(o, 1);
    char *data = ms_read_file(abs, o->max_file_bytes ? o->max_file_bytes : MS_MAX_FILE, &len,
                              reason, sizeof reason);
    if (!data) {
        ms_index_enter_file(o, 0);
        return 0;
    }
    ms_walk_site(f->rel, site, sizeof site);
    ms_boilerplate_keys(site, data, len, f->fmt, keys);
    ms_boilerplate_add(bp, site, keys->key, keys->n);
    free(data);
    ms_index_enter_file(o, 0);
    return 1;
}

int ms_learn(const ms_index_opts *o, const walk *w, msx_wdb *db, const unsigned char *changed,
             ms_learned *out, ms_error *err)
{
    memset(out, 0, sizeof *out);
    out->bp = ms_boilerplate_new();
    out->keys = calloc(w->n + 1, sizeof *out->keys);
    out->state = calloc(w->n + 1, 1);
    if (!out->bp || !out->keys || !out->state)
        return ms_fail(err, MS_ENOMEM, "out of memory");
    if (o->dry_run && !db)
        return 0; /* every file is new: nothing to cut again, and the table is not used */
    int stop = 0;
    size_t unchanged = 0;
    for (size_t i = 0; i < w->n && !(stop = o->stop && *o->stop); i++) {
        const file_ent *f = &w->v[i];
        krec k;
        if (!changed[i] && db && krec_get(db, f->rel, &k)) {
            char site[256];
            ms_walk_site(f->rel, site, sizeof site);
            uint64_t *keys = ms_xrealloc(NULL, (k.nl + 1) * sizeof *keys);
            for (size_t j = 0; j < k.nl; j++)
                keys[j] = get_u64(k.learned + 8 * j);
            ms_boilerplate_add(out->bp, site, keys, k.nl);
            free(keys);
            free(k.raw);
            unchanged++;
            continue;
        }
        if (learn_file(o, f, out->bp, &out->keys[i]))
            out->state[i] |= MS_LEARN_READ | (!changed[i] && db ? MS_LEARN_STALE : 0);
        /* (an unchanged file without a record: cut it again to have one) */
    }
    /* the files of the other shards: a shard's passages must be those of a
     * single index (their records are in other databases) */
    ms_bp_keys tmp = {0};
    for (size_t i = 0; i < w->n_other && !stop && !(stop = o->stop && *o->stop); i++)
        learn_file(o, &w->other[i], out->bp, &tmp);
    ms_bp_keys_free(&tmp);
    for (size_t i = 0; i < w->n && unchanged && !stop; i++)
        if (!changed[i] && !(out->state[i] & MS_LEARN_STALE) &&
            ms_krec_stale(db, w->v[i].rel, out->bp))
            out->state[i] |= MS_LEARN_STALE;
    return 0;
}

void ms_learned_free(ms_learned *l, size_t n)
{
    for (size_t i = 0; l->keys && i < n; i++)
        ms_bp_keys_free(&l->keys[i]);
    free(l->keys);
    free(l->state);
    ms_boilerplate_free(l->bp);
    memset(l, 0, sizeof *l);
}
