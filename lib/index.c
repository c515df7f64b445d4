/*
 * index.c - walking a corpus and keeping its index up to date.
 *
 * A run has three steps. The walk lists every file of a known format under
 * the corpus root (hidden entries and symlink loops are skipped; a directory
 * that cannot be read is remembered). The plan compares that list with the
 * `F:` and `E:` records of the index: a file whose size and mtime are those
 * recorded is unchanged; otherwise it is read and its content hash decides.
 * The work then re-indexes changed and new files in batches, each batch
 * committed with the records that describe it, and finally removes the
 * passages of files that vanished — but never below a directory that could
 * not be read, so a permission error never deletes a subtree's documents.
 */
#include "medsearch/index.h"
#include "layout.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "medsearch/record.h"
#include "medsearch/settings.h"
#include "medsearch/xapian.h"

#define DEFAULT_BATCH 200
#define DEFAULT_MAX_FILE (64u << 20)
#define TITLE_WDF 2   /* extra weight of title words */
#define HEADING_WDF 3 /* extra weight of section-heading words */
#define POS_GAP 100   /* position gap between title, heading and body */

typedef struct file_ent {
    char *rel;
    ms_format fmt;
    off_t size;
    long long mtime; /* nanoseconds */
} file_ent;

typedef struct walk {
    const ms_index_opts *o;
    file_ent *v;
    size_t n, cap;
    char **bad_dirs; /* relative dirs that could not be read */
    size_t n_bad;
    ms_index_stats *st;
    dev_t *seen_dev; /* directories on the current path, for loop detection */
    ino_t *seen_ino;
    size_t depth;
    file_ent *other; /* the files of other shards (for learning boilerplate) */
    size_t n_other;
    int report;    /* warn and count what the walk meets (not in shards 1..N-1) */
    char **ignore; /* glob patterns from CORPUS/.medsearchignore */
    size_t n_ignore;
    char *root; /* the corpus folder, resolved: where links may lead */
} walk;

static void warn(const ms_index_opts *o, const char *path, const char *reason)
{
    if (o->warn)
        o->warn(o->warn_ctx, path, reason);
}

static ms_format format_of(const ms_index_opts *o, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot) {
        for (size_t i = 0; i < o->n_ext_formats; i++)
            if (strcmp(dot + 1, o->ext_formats[i].ext) == 0)
                return o->ext_formats[i].fmt;
    }
    return ms_format_from_path(name);
}

/* FNV-1a (the value F: records store). */
static inline unsigned long long hash64(const char *s, size_t n)
{
    return ms_fnv1a(MS_FNV_BASIS, s, n);
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

unsigned ms_shard_of(const char *rel, unsigned n_shards)
{
    return (unsigned)(hash64(rel, strlen(rel)) % n_shards);
}

/* ---- the walk ---- */

/* Read CORPUS/.medsearchignore: one glob pattern a line (# comments); a
 * pattern with a '/' matches the path from the corpus root, one without
 * matches a name at any depth. */
static void load_ignore(walk *w)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.medsearchignore", w->o->corpus);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        w->ignore = ms_xrealloc(w->ignore, (w->n_ignore + 1) * sizeof *w->ignore);
        w->ignore[w->n_ignore++] = ms_xstrdup(line);
    }
    fclose(f);
}

static int ignored(const walk *w, const char *rel, const char *name)
{
    char full[4200];
    snprintf(full, sizeof full, "%s%s%s", rel, rel[0] ? "/" : "", name);
    for (size_t i = 0; i < w->n_ignore; i++) {
        const char *pat = w->ignore[i];
        if (fnmatch(pat, strchr(pat, '/') ? full : name, FNM_PATHNAME) == 0)
            return 1;
    }
    return 0;
}

/* Every shard's process walks the whole corpus: only the first reports what
 * the walk meets, so a parallel build says it once. */
static void walk_warn(const walk *w, const char *path, const char *msg)
{
    if (w->report)
        warn(w->o, path, msg);
}

/* Whether the link at path resolves to a place inside the corpus folder
 * (a dangling link counts as inside: the walk reports it as it is). */
static int leads_inside(const walk *w, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return 1;
    size_t rl = strlen(w->root);
    int in = strncmp(real, w->root, rl) == 0 && (real[rl] == '/' || !real[rl] || rl == 1);
    free(real);
    return in;
}

static void walk_dir(walk *w, const char *abs, const char *rel)
{
    DIR *d = opendir(abs);
    if (!d) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot read directory: %s", strerror(errno));
        walk_warn(w, abs, msg);
        w->bad_dirs = ms_xrealloc(w->bad_dirs, (w->n_bad + 1) * sizeof *w->bad_dirs);
        w->bad_dirs[w->n_bad++] = ms_xstrdup(rel);
        w->st->dir_errors += (size_t)w->report;
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        size_t al = strlen(abs) + strlen(de->d_name) + 2;
        size_t rl = strlen(rel) + strlen(de->d_name) + 2;
        if (ignored(w, rel, de->d_name))
            continue;
        char *a = ms_xrealloc(NULL, al), *r = ms_xrealloc(NULL, rl);
        snprintf(a, al, "%s/%s", abs, de->d_name);
        snprintf(r, rl, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        struct stat sb;
        int link = lstat(a, &sb) == 0 && S_ISLNK(sb.st_mode);
        if (link && !w->o->follow_symlinks && !leads_inside(w, a)) {
            walk_warn(w, a,
                      "symbolic link out of the corpus folder, skipped (--follow-symlinks "
                      "follows it)");
        } else if (stat(a, &sb) != 0) {
            int e = errno;
            char msg[256];
            snprintf(msg, sizeof msg, "cannot stat: %s", strerror(e));
            walk_warn(w, a, msg);
            int link = lstat(a, &sb) == 0 && S_ISLNK(sb.st_mode);
            if (!link || (e != ENOENT && e != ENOTDIR)) {
                /* it vanished during the walk, or cannot be resolved or read
                 * (EACCES, ELOOP, EIO, ... also through a symlink): keep what
                 * the index has. Only a dangling symlink counts as removed. */
                w->bad_dirs = ms_xrealloc(w->bad_dirs, (w->n_bad + 1) * sizeof *w->bad_dirs);
                w->bad_dirs[w->n_bad++] = ms_xstrdup(r);
                if (e != ENOENT)
                    w->st->dir_errors += (size_t)w->report;
            }
        } else if (S_ISDIR(sb.st_mode)) {
            int loop = 0;
            for (size_t i = 0; i < w->depth; i++)
                if (w->seen_dev[i] == sb.st_dev && w->seen_ino[i] == sb.st_ino)
                    loop = 1;
            if (loop) {
                walk_warn(w, a, "symlink loop: directory already on this path, skipped");
            } else {
                w->seen_dev = ms_xrealloc(w->seen_dev, (w->depth + 1) * sizeof *w->seen_dev);
                w->seen_ino = ms_xrealloc(w->seen_ino, (w->depth + 1) * sizeof *w->seen_ino);
                w->seen_dev[w->depth] = sb.st_dev;
                w->seen_ino[w->depth] = sb.st_ino;
                w->depth++;
                walk_dir(w, a, r);
                w->depth--;
            }
        } else if (S_ISREG(sb.st_mode)) {
            ms_format f = format_of(w->o, de->d_name);
            if (f == MS_FMT_UNKNOWN) {
                w->st->files_unknown += (size_t)w->report;
            } else {
                if (w->n == w->cap) {
                    w->cap = w->cap ? w->cap * 2 : 256;
                    w->v = ms_xrealloc(w->v, w->cap * sizeof *w->v);
                }
                file_ent *fe = &w->v[w->n++];
                fe->rel = r;
                r = NULL;
                fe->fmt = f;
                fe->size = sb.st_size;
                fe->mtime = (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
            }
        }
        free(a);
        free(r);
    }
    closedir(d);
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const file_ent *)a)->rel, ((const file_ent *)b)->rel);
}

/* Whether rel lies below (or is) a directory that could not be read. */
static int under_bad_dir(const walk *w, const char *rel)
{
    for (size_t i = 0; i < w->n_bad; i++) {
        size_t l = strlen(w->bad_dirs[i]);
        if (l == 0 || (strncmp(rel, w->bad_dirs[i], l) == 0 && (rel[l] == '/' || !rel[l])))
            return 1;
    }
    return 0;
}

/* ---- file records ---- */

typedef struct frec {
    long long size, mtime;
    unsigned long long hash;
    unsigned passages;
    char reason[200]; /* E: records */
} frec;

/* The metadata key of the record of file rel: prefix and path. Xapian's
 * keys hold at most 245 bytes, so a longer path is cut and its hash added
 * (as the P and Q terms are); the whole path then ends the record's value,
 * after a newline (rec_path). */
#define REC_KEY_PATH 200
static void rec_key(const char *prefix, const char *rel, char *key, size_t cap)
{
    size_t n = strlen(rel);
    if (n <= REC_KEY_PATH + 20)
        snprintf(key, cap, "%s%s", prefix, rel);
    else
        snprintf(key, cap, "%s%.*s#%016llx", prefix, REC_KEY_PATH, rel, hash64(rel, n));
}

static int get_rec(msx_wdb *db, const char *prefix, const char *rel, frec *r)
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

static int put_rec(msx_wdb *db, const char *prefix, const char *rel, const frec *r, ms_error *err)
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

static int del_rec(msx_wdb *db, const char *prefix, const char *rel)
{
    char key[300];
    rec_key(prefix, rel, key, sizeof key);
    return msx_wdb_set_metadata(db, key, "", 0, NULL) == MSX_OK ? 0 : -1;
}

/* The path of the file whose record is at key (malloc'd). */
static char *rec_path(msx_wdb *db, const char *key)
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

/* ---- documents ---- */

/* One term of a document: with a position when pos > 0, boolean when wdf is 0. */
typedef struct term_op {
    uint32_t off; /* term bytes in terms.b */
    uint32_t len;
    uint32_t pos;
    uint32_t wdf;
} term_op;

/* An entity named in a field, for the passage record. */
typedef struct ent_ref {
    ms_entkind kind;
    uint32_t name;       /* NUL-terminated, in terms.b */
    uint32_t first, end; /* the primary tokens of the mention in its field */
} ent_ref;

/* The terms and entities of some fields, to be added to documents. What the
 * passages of an article share (the title and other names, and the heading
 * of a long section cut into several passages) is analyzed and tagged once,
 * then added to the document of each passage. */
typedef struct terms {
    ms_sbuf b; /* the term bytes, each with a NUL */
    term_op *v;
    size_t n, cap;
    /* the wdf-only terms so far, by hash (open addressing, index + 1 into
     * v; 0 free): a repeated one adds to its wdf, so that the document gets
     * one add_term per distinct term, not one per occurrence (Xapian looks
     * each call up in the document's map) */
    uint32_t *slot;
    size_t nslot, nwdf;
    ent_ref *e;
    size_t ne, ecap;
    size_t invalid; /* invalid UTF-8 bytes skipped */
    uint32_t end;   /* the position after the last token */
} terms;

static void terms_reset(terms *t)
{
    if (t->nwdf)
        memset(t->slot, 0, t->nslot * sizeof *t->slot);
    t->b.n = t->n = t->ne = t->invalid = t->nwdf = 0;
    t->end = 0;
}

static void terms_free(terms *t)
{
    free(t->b.p);
    free(t->v);
    free(t->e);
    free(t->slot);
}

/* Append s[0..n) and a NUL; returns the offset of s. */
static uint32_t terms_bytes(terms *t, const char *s, size_t n)
{
    char *p = ms_sb_room(&t->b, n);
    memcpy(p, s, n);
    p[n] = '\0';
    uint32_t off = (uint32_t)t->b.n;
    t->b.n += n + 1;
    return off;
}

/* The slot of the wdf-only term s[0..n) in t->slot: its own, or the free
 * one where it goes. */
static size_t wdf_slot(const terms *t, const char *s, size_t n)
{
    size_t mask = t->nslot - 1;
    for (size_t i = (size_t)hash64(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t k = t->slot[i];
        if (!k || (t->v[k - 1].len == n && memcmp(t->b.p + t->v[k - 1].off, s, n) == 0))
            return i;
    }
}

/* Make room for one more wdf-only term: the table stays at most half full. */
static void wdf_grow(terms *t)
{
    if ((t->nwdf + 1) * 2 <= t->nslot)
        return;
    size_t old = t->nslot;
    uint32_t *was = t->slot;
    t->nslot = old ? old * 2 : 256;
    t->slot = ms_xrealloc(NULL, t->nslot * sizeof *t->slot);
    memset(t->slot, 0, t->nslot * sizeof *t->slot);
    for (size_t i = 0; i < old; i++)
        if (was[i]) {
            const term_op *k = &t->v[was[i] - 1];
            t->slot[wdf_slot(t, t->b.p + k->off, k->len)] = was[i];
        }
    free(was);
}

/* Add the term of n bytes written where ms_sb_room gave room for it. */
static void terms_put(terms *t, size_t n, uint32_t pos, unsigned wdf)
{
    const char *s = t->b.p + t->b.n;
    if (!pos && wdf) {
        wdf_grow(t);
        size_t at = wdf_slot(t, s, n);
        if (t->slot[at]) {
            t->v[t->slot[at] - 1].wdf += wdf;
            return; /* its bytes are left past b.n, unused */
        }
        t->slot[at] = (uint32_t)t->n + 1;
        t->nwdf++;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = ms_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    t->b.p[t->b.n + n] = '\0';
    t->v[t->n++] = (term_op){(uint32_t)t->b.n, (uint32_t)n, pos, wdf};
    t->b.n += n + 1;
}

static void terms_add(terms *t, const char *s, size_t n, uint32_t pos, unsigned wdf)
{
    memcpy(ms_sb_room(&t->b, n), s, n);
    terms_put(t, n, pos, wdf);
}

/* prefix + s[0..n) with extra within-document weight wdf - 1, written
 * straight into t->b.p. */
static inline void add_term(terms *t, const char *prefix, const char *s, size_t n, uint32_t pos,
                            unsigned wdf)
{
    size_t pl = strlen(prefix);
    if (pl + n >= MS_TERM_MAX * 2 + 16)
        return;
    char *term = ms_sb_room(&t->b, pl + n);
    memcpy(term, prefix, pl);
    memcpy(term + pl, s, n);
    terms_put(t, pl + n, pos, wdf);
}

static void put_terms(msx_doc *doc, const terms *t)
{
    for (size_t i = 0; i < t->n; i++) {
        const term_op *k = &t->v[i];
        const char *s = t->b.p + k->off;
        if (k->pos)
            msx_doc_add_posting(doc, s, k->len, k->pos, k->wdf, NULL);
        else if (k->wdf)
            msx_doc_add_term(doc, s, k->len, k->wdf, NULL);
        else
            msx_doc_add_boolean_term(doc, s, k->len, NULL);
    }
}

typedef struct builder {
    ms_env *env;
    ms_tokens toks;
    ms_entities ents;
    char stem[MS_TERM_MAX * 2 + 16];
    terms art;       /* title and other names, and the article's boolean terms */
    terms head;      /* the section heading head_text */
    char *head_text; /* NULL: none yet in this article */
    terms body;      /* the passage's text */
    char src[256];   /* the folded source */
    size_t src_len;
    ms_sbuf rec;         /* the title and heading value, then the passage record */
    ms_rec_entity *seen; /* the entities listed in the record */
    size_t seen_cap;
    ms_rec_mention *men; /* and where the passage text names them */
    size_t men_cap;
    size_t invalid; /* invalid UTF-8 bytes in the current file's passages */
} builder;

static void builder_free(builder *b)
{
    ms_tokens_free(&b->toks);
    ms_entities_free(&b->ents);
    terms_free(&b->art);
    terms_free(&b->head);
    terms_free(&b->body);
    free(b->head_text);
    free(b->rec.p);
    free(b->seen);
    free(b->men);
}

/* Add the tokens of b->toks to t as body terms (and, with field prefixes
 * fp/zp, as field terms too), with extra within-document weight wdf - 1. */
static void index_tokens(builder *b, terms *t, const char *fp, const char *zp, unsigned wdf)
{
    const ms_tokens *tk = &b->toks;
    for (size_t i = 0; i < tk->n; i++) {
        const ms_token *k = &tk->v[i];
        const char *s = ms_token_term(tk, k);
        if (!ms_token_stemmed(k, s)) {
            add_term(t, "", s, k->len, k->pos, wdf);
            if (fp)
                add_term(t, fp, s, k->len, 0, 1);
            continue;
        }
        size_t sl = ms_analyzer_stem(b->env->an, s, k->len, b->stem, sizeof b->stem);
        add_term(t, "Z", b->stem, sl, k->pos, wdf);
        if (zp)
            add_term(t, zp, b->stem, sl, 0, 1);
    }
}

/* Add the entities found in b->toks (the tokens of text) to t. */
static void index_entities(builder *b, terms *t, const char *text)
{
    b->ents.n = 0;
    ms_lexicon_tag(b->env->lex, text, &b->toks, &b->ents);
    for (size_t i = 0; i < b->ents.n; i++) {
        const ms_entity *e = &b->ents.v[i];
        const char *name = ms_entity_name(b->env->lex, e, &b->toks);
        char term[256];
        size_t tl = ms_entity_term(e->kind, name, term, sizeof term);
        terms_add(t, term, tl, 0, 1);
        if (t->ne == t->ecap) {
            t->ecap = t->ecap ? t->ecap * 2 : 16;
            t->e = ms_xrealloc(t->e, t->ecap * sizeof *t->e);
        }
        t->e[t->ne++] = (ent_ref){e->kind, terms_bytes(t, name, strlen(name)),
                                  (uint32_t)e->tok_first, (uint32_t)e->tok_end};
    }
}

/* Add the terms and entities of text[0..len), a field whose tokens start at
 * position pos, to t; returns the position after its last token. */
static uint32_t index_field(builder *b, terms *t, const char *text, size_t len, uint32_t pos,
                            const char *fp, const char *zp, unsigned wdf)
{
    ms_tokens_reset(&b->toks);
    pos = ms_analyze(b->env->an, text, len, pos, &b->toks);
    t->invalid += b->toks.invalid_bytes;
    index_tokens(b, t, fp, zp, wdf);
    index_entities(b, t, text);
    return pos;
}

static void fold_id(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

/* Prepare what the passages of article a share. */
static void article_start(builder *b, const char *rel, const char *art_id, const ms_article *a)
{
    terms *t = &b->art;
    terms_reset(t);
    t->end = index_field(b, t, a->title, strlen(a->title), 1, "S", "ZS", TITLE_WDF);
    if (a->also_called)
        t->end = index_field(b, t, a->also_called, strlen(a->also_called), t->end + POS_GAP, "S",
                             "ZS", 1);
    free(b->head_text);
    b->head_text = NULL;

    char term[4300];
    int tl = snprintf(term, sizeof term, "P%s", rel);
    if (tl > 240)
        tl = snprintf(term, sizeof term, "P#%016llx", hash64(rel, strlen(rel)));
    terms_add(t, term, (size_t)tl, 0, 0);
    tl = snprintf(term, sizeof term, "A%.200s", art_id);
    terms_add(t, term, (size_t)tl, 0, 0);
    b->src_len = 0;
    if (a->source) {
        b->src_len = ms_analyzer_fold(b->env->an, a->source, strlen(a->source), b->src, 200);
        b->src[b->src_len] = '\0';
        tl = snprintf(term, sizeof term, "XSRC%s", b->src);
        terms_add(t, term, (size_t)tl, 0, 0);
    }
    tl = snprintf(term, sizeof term, "XFMT%s", ms_format_name(a->format));
    terms_add(t, term, (size_t)tl, 0, 0);
}

/* List the entities of t in b->seen, each (kind and name) once; with
 * mentions, list where t names them in b->men too. */
static void record_entities(builder *b, const terms *t, size_t *n_seen, size_t *n_men)
{
    for (size_t i = 0; i < t->ne; i++) {
        const ent_ref *e = &t->e[i];
        const char *name = t->b.p + e->name;
        size_t k = 0;
        while (k < *n_seen && (b->seen[k].kind != e->kind || strcmp(b->seen[k].name, name) != 0))
            k++;
        if (k == *n_seen) {
            if (*n_seen == b->seen_cap) {
                b->seen_cap = b->seen_cap ? b->seen_cap * 2 : 16;
                b->seen = ms_xrealloc(b->seen, b->seen_cap * sizeof *b->seen);
            }
            b->seen[(*n_seen)++] = (ms_rec_entity){e->kind, name};
        }
        if (n_men) {
            if (*n_men == b->men_cap) {
                b->men_cap = b->men_cap ? b->men_cap * 2 : 16;
                b->men = ms_xrealloc(b->men, b->men_cap * sizeof *b->men);
            }
            b->men[(*n_men)++] = (ms_rec_mention){(uint32_t)k, e->first, e->end};
        }
    }
}

/* Build the document of passage pi of article a (after article_start). */
static msx_doc *passage_doc(builder *b, const char *rel, const char *art_id, const ms_article *a,
                            size_t pi)
{
    const ms_passage *p = &a->passages[pi];
    msx_doc *doc = msx_doc_new();
    if (!doc)
        return NULL;
    if (!b->head_text || strcmp(b->head_text, p->section) != 0) {
        terms_reset(&b->head);
        b->head.end = index_field(b, &b->head, p->section, strlen(p->section), b->art.end + POS_GAP,
                                  "XH", "ZXH", HEADING_WDF);
        free(b->head_text);
        b->head_text = ms_xstrdup(p->section);
    }
    terms_reset(&b->body);
    index_field(b, &b->body, p->text, p->text_len, b->head.end + POS_GAP, NULL, NULL, 1);
    b->invalid += b->art.invalid + b->head.invalid + b->body.invalid;
    put_terms(doc, &b->art);
    put_terms(doc, &b->head);
    put_terms(doc, &b->body);

    char term[4300];
    int tl = snprintf(term, sizeof term, "Q%s#%zu", rel, pi);
    if (tl > 240)
        tl = snprintf(term, sizeof term, "Q#%016llx#%zu", hash64(rel, strlen(rel)), pi);
    msx_doc_add_boolean_term(doc, term, (size_t)tl, NULL);
    if (a->source)
        msx_doc_set_value(doc, MS_SLOT_SOURCE, b->src, b->src_len, NULL);
    msx_doc_set_value(doc, MS_SLOT_ARTICLE, art_id, strlen(art_id), NULL);
    ms_sbuf *j = &b->rec;
    j->n = 0;
    ms_sb_put(j, a->title, strlen(a->title) + 1);
    ms_sb_put(j, p->section, strlen(p->section));
    msx_doc_set_value(doc, MS_SLOT_HEADS, j->p, j->n, NULL);
    if (a->date)
        msx_doc_set_value(doc, MS_SLOT_DATE, a->date, strlen(a->date), NULL);

    /* the record with the passage text, in a value: no deflate for it */
    size_t n_seen = 0, n_men = 0;
    record_entities(b, &b->art, &n_seen, NULL);
    record_entities(b, &b->head, &n_seen, NULL);
    record_entities(b, &b->body, &n_seen, &n_men);
    ms_rec r = {.path = rel,
                .article = art_id,
                .title = a->title,
                .section = p->section,
                .source = a->source,
                .url = a->url,
                .date = a->date,
                .author = a->author,
                .start = (long long)p->start,
                .end = (long long)p->end,
                .line = (long long)p->line,
                .ents = b->seen,
                .n_ents = n_seen,
                .mentions = b->men,
                .n_mentions = n_men,
                .text = p->text,
                .text_len = p->text_len};
    j->n = 0;
    ms_rec_encode(&r, &j->p, &j->n, &j->cap);
    msx_doc_set_value(doc, MS_SLOT_PASSAGE, j->p, j->n, NULL);
    return doc;
}

/* ---- removing a file's passages ---- */

/* Remove the passages of rel; returns how many there were, or -1. */
static long remove_file(msx_wdb *db, const char *rel, ms_error *err)
{
    char term[4300];
    int tl = snprintf(term, sizeof term, "P%s", rel);
    if (tl > 240)
        tl = snprintf(term, sizeof term, "P#%016llx", hash64(rel, strlen(rel)));
    unsigned n = 0;
    msx_error xe;
    if (msx_wdb_termfreq(db, term, (size_t)tl, &n, &xe) != MSX_OK ||
        msx_wdb_delete_by_term(db, term, (size_t)tl, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s", xe.msg);
    return (long)n;
}

/* ---- the run ---- */

/* Open the index for writing. A dry run never creates or overwrites it: it
 * opens an existing index (*db stays NULL when there is none, or with
 * --rebuild, and the plan is made against an empty index).
 *
 * --rebuild opens the index as it is and clear_index() empties it in the
 * commit of the first batch: Xapian's DB_CREATE_OR_OVERWRITE truncates the
 * tables as it opens them, so readers would see an empty index and a kill at
 * that moment would leave one that cannot be opened. Only an index that cannot
 * be opened at all (or, with *fresh set on entry, one clear_index() cannot
 * empty) is overwritten; *fresh then tells the caller so. */
static int open_writer(const ms_index_opts *o, msx_wdb **db, int *fresh, ms_error *err)
{
    int nosync = o->scratch ? MSX_WDB_NO_SYNC : 0;
    int flags = o->dry_run ? MSX_WDB_OPEN
                : *fresh   ? MSX_WDB_OVERWRITE | nosync
                           : MSX_WDB_CREATE_OR_OPEN | nosync;
    struct stat sb;
    const char *path = o->write_to ? o->write_to : o->db_path;
    *db = NULL;
    if (stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return ms_fail(err, MS_EINDEX, "%s: not a database directory (it is a file)", o->db_path);
    int state = ms_dir_state(path);
    if (state == MS_DIR_OTHER || state == MS_DIR_SHARDED)
        return ms_fail(err, MS_EINDEX,
                       "%s: not a medsearch index (a directory of other files): use another --db",
                       o->db_path);
    if (o->dry_run && (o->rebuild || state == MS_DIR_NONE))
        return 0;
    for (;;) {
        msx_error xe;
        msx_status st = msx_wdb_open(path, flags, db, &xe);
        if (st == MSX_OK)
            return 0;
        if (st == MSX_LOCKED && o->wait_lock && !(o->stop && *o->stop)) {
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
            continue;
        }
        if (st == MSX_LOCKED && o->wait_lock)
            return ms_fail(err, MS_ELOCKED, "%s: interrupted while waiting for another indexer",
                           o->db_path);
        if (st == MSX_LOCKED)
            return ms_fail(err, MS_ELOCKED,
                           "%s: locked by another indexer (wait for it, or use --wait)",
                           o->db_path);
        if (o->rebuild && !o->dry_run && flags != (MSX_WDB_OVERWRITE | nosync)) {
            flags = MSX_WDB_OVERWRITE | nosync; /* corrupt or unreadable: nothing to keep */
            *fresh = 1;
            continue;
        }
        return ms_fail(err, MS_EINDEX, "%s: cannot open database: %s", o->db_path, xe.msg);
    }
}

typedef struct keys_ctx {
    char **v;
    size_t n, cap;
} keys_ctx;

static int collect_key(void *ctx, const char *key, size_t len)
{
    keys_ctx *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 256;
        k->v = ms_xrealloc(k->v, k->cap * sizeof *k->v);
    }
    char *s = ms_xrealloc(NULL, len + 1);
    memcpy(s, key, len);
    s[len] = '\0';
    k->v[k->n++] = s;
    return 0;
}

static int first_doc(void *ctx, msx_docid id)
{
    *(msx_docid *)ctx = id;
    return 1;
}

typedef struct term_buf {
    char t[256];
    size_t len;
} term_buf;

static int first_term(void *ctx, const char *t, size_t len, unsigned wdf)
{
    (void)wdf;
    term_buf *b = ctx;
    if (len < sizeof b->t) {
        memcpy(b->t, t, len);
        b->len = len;
    }
    return 1;
}

/* Empty the index for --rebuild, uncommitted: the first batch's commit swaps
 * the old index for the new. Records go first, then the settings are set,
 * then the documents: should Xapian flush part of this early (past its
 * threshold of changed documents), what is committed has no record of any
 * file and the next run re-indexes them all, removing leftover passages by
 * path (index_file). Returns 1 when a document cannot be deleted (it has no
 * term: not ours), then the caller overwrites the index instead. */
static int clear_index(msx_wdb *db, const ms_index_opts *o, const char *settings, ms_error *err)
{
    msx_error xe;
    keys_ctx keys = {0};
    int rc = 0;
    if (msx_wdb_metadata_keys(db, "", collect_key, &keys, &xe) != MSX_OK)
        rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    for (size_t i = 0; i < keys.n; i++) {
        if (rc == 0 && msx_wdb_set_metadata(db, keys.v[i], "", 0, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        free(keys.v[i]);
    }
    free(keys.v);
    if (rc == 0 &&
        msx_wdb_set_metadata(db, MS_SETTINGS_KEY, settings, strlen(settings), &xe) != MSX_OK)
        rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    /* our passages, by their format term; then anything else, by a term of its own */
    static const ms_format fmts[] = {MS_FMT_TEXT, MS_FMT_MARKDOWN, MS_FMT_HTML};
    for (size_t i = 0; rc == 0 && i < sizeof fmts / sizeof *fmts; i++) {
        char term[64];
        int tl = snprintf(term, sizeof term, "XFMT%s", ms_format_name(fmts[i]));
        if (msx_wdb_delete_by_term(db, term, (size_t)tl, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    }
    while (rc == 0) {
        unsigned n = 0;
        msx_docid id = 0;
        msx_doc *doc = NULL;
        term_buf tb = {.len = 0};
        if (msx_wdb_doccount(db, &n, &xe) != MSX_OK ||
            (n > 0 && msx_wdb_postings(db, "", 0, first_doc, &id, &xe) != MSX_OK)) {
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
            break;
        }
        if (n == 0)
            break;
        if (id == 0 || msx_wdb_get_document(db, id, &doc, &xe) != MSX_OK ||
            msx_doc_terms(doc, "", first_term, &tb, &xe) != MSX_OK || tb.len == 0) {
            msx_doc_free(doc);
            return 1;
        }
        msx_doc_free(doc);
        if (msx_wdb_delete_by_term(db, tb.t, tb.len, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    }
    return rc;
}

static int find_file(const walk *w, const char *rel)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w->v[mid].rel, rel);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void progress(const ms_index_opts *o, const ms_index_progress *p)
{
    if (o->progress)
        o->progress(o->progress_ctx, p);
}

static void article_id(const ms_article *a, const char *rel, char *out, size_t cap)
{
    if (a->id && a->id[0]) {
        snprintf(out, cap, "%s", a->id);
        return;
    }
    snprintf(out, cap, "%s", rel);
    char *dot = strrchr(out, '.');
    char *slash = strrchr(out, '/');
    if (dot && (!slash || dot > slash))
        *dot = '\0';
    fold_id(out);
}

/* Index one changed or new file; fills rec. Returns 0, or -1 on an index
 * error (a file that cannot be read or parsed is a failure, not an error). */
static int index_file(msx_wdb *db, builder *b, const ms_index_opts *o, const file_ent *f,
                      const ms_boilerplate *bp, ms_index_stats *st, ms_error *err)
{
    char abs[4200], reason[200] = "";
    snprintf(abs, sizeof abs, "%s/%s", o->corpus, f->rel);
    size_t max = o->max_file_bytes ? o->max_file_bytes : DEFAULT_MAX_FILE;
    size_t len = 0;
    char *data = ms_read_file(abs, max, &len, reason, sizeof reason);
    frec old_f, old_e, rec = {f->size, f->mtime, 0, 0, ""};
    int had = get_rec(db, "F:", f->rel, &old_f);
    int had_err = get_rec(db, "E:", f->rel, &old_e);
    if (data) {
        st->bytes_read += len;
        rec.hash = hash64(data, len);
        if (had && old_f.hash == rec.hash) {
            free(data);
            rec.passages = old_f.passages;
            st->files_unchanged++;
            return put_rec(db, "F:", f->rel, &rec, err); /* touched, same content */
        }
    } else if (strncmp(reason, "too large", 9) != 0) {
        /* It could not be read (permissions, I/O): that says nothing of its
         * content, and a chmod does not change its mtime. Keep what the index
         * has, and record the failure so that it is retried on every run. */
        warn(o, abs, reason);
        st->files_failed++;
        st->vanished += access(abs, F_OK) != 0 && errno == ENOENT;
        if (had)
            return 0; /* its F: record no longer matches: retried next run */
        rec.mtime = -1;
        snprintf(rec.reason, sizeof rec.reason, "%s", reason);
        return put_rec(db, "E:", f->rel, &rec, err);
    }
    ms_article a;
    ms_error perr;
    int parsed = 0;
    if (data) {
        char site[256];
        snprintf(site, sizeof site, "%s", f->rel);
        char *sl = strchr(site, '/');
        if (sl)
            *sl = '\0';
        else
            site[0] = '\0';
        ms_article_opts ao = {0, bp, site};
        parsed = ms_article_parse(data, len, f->fmt, &ao, &a, &perr) == 0;
        if (!parsed)
            snprintf(reason, sizeof reason, "%.180s", perr.msg);
    }
    {
        /* also without a record: a batch that Xapian flushed early may have
         * committed some of its passages before a kill */
        long n = remove_file(db, f->rel, err);
        if (n < 0) {
            if (parsed)
                ms_article_free(&a);
            free(data);
            return -1;
        }
        st->passages_removed += (size_t)n;
    }
    if (!parsed) {
        free(data);
        warn(o, abs, reason);
        st->files_failed++;
        if (had)
            del_rec(db, "F:", f->rel);
        snprintf(rec.reason, sizeof rec.reason, "%s", reason);
        return put_rec(db, "E:", f->rel, &rec, err);
    }
    if (had_err)
        del_rec(db, "E:", f->rel);
    char art[300];
    article_id(&a, f->rel, art, sizeof art);
    int rc = 0;
    b->invalid = 0;
    article_start(b, f->rel, art, &a);
    for (size_t i = 0; i < a.n_passages && rc == 0; i++) {
        msx_doc *doc = passage_doc(b, f->rel, art, &a, i);
        msx_error xe;
        if (!doc)
            rc = ms_fail(err, MS_ENOMEM, "out of memory");
        else if (msx_wdb_add_document(db, doc, NULL, &xe) != MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        msx_doc_free(doc);
    }
    rec.passages = (unsigned)a.n_passages;
    st->passages_added += a.n_passages;
    st->boiler_lines += a.boiler_lines;
    st->boiler_bytes += a.boiler_bytes;
    char top[64];
    snprintf(top, sizeof top, "%.*s", (int)strcspn(f->rel, "/"), f->rel);
    ms_stats_add_source(st,
                        a.source && a.source[0] ? a.source
                        : strchr(f->rel, '/')   ? top
                                                : "(top)",
                        1, a.boiler_lines, a.boiler_bytes);
    st->files_indexed++;
    if (b->invalid) {
        char msg[100];
        snprintf(msg, sizeof msg, "%zu invalid UTF-8 bytes skipped", b->invalid);
        warn(o, abs, msg);
        st->invalid_utf8 += b->invalid;
    }
    ms_article_free(&a);
    free(data);
    return rc ? rc : put_rec(db, "F:", f->rel, &rec, err);
}

static int commit(msx_wdb *db, const ms_index_opts *o, ms_error *err)
{
    msx_error xe;
    if (msx_wdb_commit(db, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: commit failed: %s", o->db_path, xe.msg);
    return 0;
}

/* Learn the lines that recur across each site from the files to index. */
/* Learn the lines that recur across each site from every file of the corpus
 * (of every shard: a shard's passages must be those of a single index). */
static ms_boilerplate *learn_boilerplate(const ms_index_opts *o, const walk *w)
{
    ms_boilerplate *bp = ms_boilerplate_new();
    if (!bp)
        return NULL;
    /* it reads the whole corpus: a signal stops it (the run then stops too) */
    for (size_t i = 0; i < w->n + w->n_other && !(o->stop && *o->stop); i++) {
        const file_ent *f = i < w->n ? &w->v[i] : &w->other[i - w->n];
        char abs[4200], reason[200], site[256];
        snprintf(abs, sizeof abs, "%s/%s", o->corpus, f->rel);
        size_t len;
        char *data = ms_read_file(abs, o->max_file_bytes ? o->max_file_bytes : DEFAULT_MAX_FILE,
                                  &len, reason, sizeof reason);
        if (!data)
            continue;
        snprintf(site, sizeof site, "%s", f->rel);
        char *sl = strchr(site, '/');
        if (sl)
            *sl = '\0';
        else
            site[0] = '\0';
        ms_boilerplate_learn(bp, site, data, len, f->fmt);
        free(data);
    }
    return bp;
}

static void free_walk(walk *w)
{
    for (size_t i = 0; i < w->n_other; i++)
        free(w->other[i].rel);
    free(w->other);
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].rel);
    free(w->v);
    for (size_t i = 0; i < w->n_bad; i++)
        free(w->bad_dirs[i]);
    free(w->bad_dirs);
    free(w->seen_dev);
    free(w->seen_ino);
    for (size_t i = 0; i < w->n_ignore; i++)
        free(w->ignore[i]);
    free(w->ignore);
    free(w->root);
}

static int check_settings(msx_wdb *db, const ms_index_opts *o, const char *want, ms_error *err)
{
    char *have = NULL;
    size_t hl = 0;
    unsigned docs = 0;
    msx_wdb_doccount(db, &docs, NULL);
    if (msx_wdb_get_metadata(db, MS_SETTINGS_KEY, &have, &hl, NULL) != MSX_OK) {
        free(have);
        return ms_fail(err, MS_EINDEX, "%s: cannot read the index settings", o->db_path);
    }
    int rc = 0;
    if (hl == 0 && docs > 0) {
        rc = ms_fail(err, MS_EINDEX,
                     "%s: not a medsearch index (documents but no settings): "
                     "use another --db, or --rebuild to replace it",
                     o->db_path);
    } else if (hl > 0) {
        char diff[600];
        if (ms_settings_diff(have, want, diff, sizeof diff))
            rc = ms_fail(err, MS_EINDEX,
                         "%s: index built with other settings (%s); run with --rebuild to "
                         "rebuild it with these",
                         o->db_path, diff);
    }
    free(have);
    return rc;
}

/* Refuse a run that would remove every file the index holds (an empty or
 * wrong corpus folder, a disk not mounted): that is almost never meant, and
 * cannot be undone. */
static int check_not_all_gone(msx_wdb *db, const ms_index_opts *o, const walk *w, ms_error *err)
{
    keys_ctx keys = {0};
    msx_error xe;
    if (msx_wdb_metadata_keys(db, "F:", collect_key, &keys, &xe) != MSX_OK)
        return ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    size_t kept = 0;
    for (size_t i = 0; i < keys.n; i++) {
        char *rel = rec_path(db, keys.v[i]);
        kept += find_file(w, rel) || under_bad_dir(w, rel);
        free(rel);
        free(keys.v[i]);
    }
    free(keys.v);
    if (keys.n == 0 || kept > 0)
        return 0;
    return ms_fail(err, MS_EUSAGE,
                   "%s: would remove all %zu files of the index %s: none of them is there any "
                   "more (check the folder; to start over, delete %s)",
                   o->corpus, keys.n, o->db_path, o->db_path);
}

int ms_index_run(const ms_index_opts *o, ms_index_stats *st, ms_error *err)
{
    memset(st, 0, sizeof *st);
    double t0 = ms_now();
    struct stat sb;
    if (stat(o->corpus, &sb) != 0)
        return ms_fail(err, MS_EIO, "%s: %s", o->corpus, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return ms_fail(err, MS_EIO, "%s: not a directory", o->corpus);

    ms_env env;
    ms_env_opts eo = {o->language, o->keep_accents, o->lexicon_dir, o->lexicon_files,
                      o->n_lexicon_files};
    if (ms_env_open(&env, &eo, err) < 0)
        return -1;

    walk w = {.o = o, .st = st, .report = o->n_shards <= 1 || o->shard == 0};
    load_ignore(&w);
    /* the root is on every path: a symlink back to it is a loop too */
    w.seen_dev = ms_xrealloc(NULL, sizeof *w.seen_dev);
    w.seen_ino = ms_xrealloc(NULL, sizeof *w.seen_ino);
    w.seen_dev[0] = sb.st_dev;
    w.seen_ino[0] = sb.st_ino;
    w.depth = 1;
    w.root = realpath(o->corpus, NULL);
    if (!w.root)
        w.root = ms_xstrdup(o->corpus);
    walk_dir(&w, o->corpus, "");
    if (o->n_shards > 1) {
        size_t keep = 0;
        w.other = ms_xrealloc(NULL, (w.n + 1) * sizeof *w.other);
        for (size_t i = 0; i < w.n; i++) {
            if (ms_shard_of(w.v[i].rel, o->n_shards) == o->shard)
                w.v[keep++] = w.v[i];
            else
                w.other[w.n_other++] = w.v[i];
        }
        w.n = keep;
    }
    if (w.n)
        qsort(w.v, w.n, sizeof *w.v, cmp_file);
    st->files_seen = w.n;

    msx_wdb *db = NULL;
    builder b = {.env = &env};
    ms_boilerplate *bp = NULL;
    keys_ctx keys = {0};
    int fresh = 0;
    int rc = open_writer(o, &db, &fresh, err);
    if (rc == 0 && db && o->rebuild && !fresh) {
        rc = clear_index(db, o, env.settings, err);
        if (rc == 1) {
            msx_wdb_free(db);
            db = NULL;
            fresh = 1;
            rc = open_writer(o, &db, &fresh, err);
        }
    }
    if (rc == 0 && db && !o->rebuild)
        rc = check_settings(db, o, env.settings, err);
    if (rc == 0 && !o->dry_run) {
        msx_error xe;
        if (msx_wdb_set_metadata(db, MS_SETTINGS_KEY, env.settings, strlen(env.settings), &xe) !=
            MSX_OK)
            rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
    }

    /* plan: which files need work */
    size_t *todo = NULL, n_todo = 0, bytes_total = 0;
    if (rc == 0) {
        todo = ms_xrealloc(NULL, (w.n + 1) * sizeof *todo);
        for (size_t i = 0; i < w.n; i++) {
            frec r;
            if (db && get_rec(db, "F:", w.v[i].rel, &r) && r.size == w.v[i].size &&
                r.mtime == w.v[i].mtime) {
                st->files_unchanged++;
                continue;
            }
            if (db && get_rec(db, "E:", w.v[i].rel, &r) && r.size == w.v[i].size &&
                r.mtime == w.v[i].mtime) {
                st->files_failed_kept++;
                continue;
            }
            todo[n_todo++] = i;
            bytes_total += (size_t)w.v[i].size;
        }
    }
    if (rc == 0 && db && !o->rebuild)
        rc = check_not_all_gone(db, o, &w, err);
    if (rc == 0 && o->dry_run) {
        for (size_t i = 0; i < n_todo; i++)
            warn(o, w.v[todo[i]].rel, "would be indexed");
        st->files_indexed = n_todo;
    }
    if (rc == 0 && !o->dry_run && n_todo) {
        bp = learn_boilerplate(o, &w);
        if (!bp)
            rc = ms_fail(err, MS_ENOMEM, "out of memory");
    }
    size_t batch = o->batch_files ? o->batch_files : DEFAULT_BATCH;
    ms_index_progress pr = {0, n_todo, 0, bytes_total, 0};
    if (o->n_shards > 1 && !o->dry_run)
        progress(o, &pr); /* its share of the total, before the first batch */
    for (size_t i = 0; rc == 0 && !o->dry_run && i < n_todo; i++) {
        if (o->stop && *o->stop) {
            st->interrupted = 1;
            break;
        }
        rc = index_file(db, &b, o, &w.v[todo[i]], bp, st, err);
        pr.files_done++;
        pr.bytes_done += (size_t)w.v[todo[i]].size;
        if (rc == 0 && pr.files_done % batch == 0) {
            rc = commit(db, o, err);
            pr.seconds = ms_now() - t0;
            progress(o, &pr);
        }
    }

    /* vanished files: only after a complete walk of their directory */
    if (rc == 0 && !st->interrupted && db) {
        msx_error xe;
        static const char *const prefixes[] = {"F:", "E:"};
        for (int p = 0; p < 2 && rc == 0; p++) {
            keys.n = 0;
            if (msx_wdb_metadata_keys(db, prefixes[p], collect_key, &keys, &xe) != MSX_OK) {
                rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
                break;
            }
            for (size_t i = 0; i < keys.n; i++) {
                char *rel = rec_path(db, keys.v[i]);
                if (rc == 0 && !find_file(&w, rel) && !under_bad_dir(&w, rel)) {
                    if (o->dry_run) {
                        warn(o, rel, "would be removed");
                    } else if (p == 0) {
                        long n = remove_file(db, rel, err);
                        if (n < 0)
                            rc = -1;
                        else
                            st->passages_removed += (size_t)n;
                    }
                    if (p == 0)
                        st->files_removed++;
                    if (!o->dry_run)
                        del_rec(db, prefixes[p], rel);
                }
                free(rel);
                free(keys.v[i]);
            }
        }
    }
    if (rc == 0 && !o->dry_run)
        rc = commit(db, o, err);
    if (db) {
        if (rc == 0 && !o->dry_run) {
            msx_error xe;
            if (msx_wdb_close(db, &xe) != MSX_OK)
                rc = ms_fail(err, MS_EINDEX, "%s: %s", o->db_path, xe.msg);
        } else {
            msx_wdb_free(db);
        }
    }
    pr.seconds = ms_now() - t0;
    if (rc == 0 && !o->dry_run)
        progress(o, &pr);
    free(keys.v);
    free(todo);
    builder_free(&b);
    ms_boilerplate_free(bp);
    free_walk(&w);
    ms_env_close(&env);
    st->seconds = ms_now() - t0;
    return rc;
}
