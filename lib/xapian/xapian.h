/*
 * medsearch/xapian.h - the C binding over libxapian.
 *
 * This is the only place where medsearch meets C++. Every handle is opaque and
 * has its own _free function (which accepts NULL). Every call that can fail
 * returns an msx_status and, when err is not NULL, fills *err with Xapian's
 * exception class name and message. No C++ exception ever crosses into C.
 *
 * Handles are independent: a query or document may be freed while a
 * compound query or database that used it lives on (Xapian's handles are
 * reference counted underneath).
 */
#ifndef MEDSEARCH_XAPIAN_H
#define MEDSEARCH_XAPIAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum msx_status {
    MSX_OK = 0,
    MSX_ERROR,       /* any Xapian error without a status of its own */
    MSX_NOT_FOUND,   /* DatabaseNotFoundError: no database at that path */
    MSX_OPENING,     /* DatabaseOpeningError: cannot open (e.g. not a database) */
    MSX_LOCKED,      /* DatabaseLockError: another writer holds the lock */
    MSX_MODIFIED,    /* DatabaseModifiedError: open again and retry */
    MSX_CORRUPT,     /* DatabaseCorruptError */
    MSX_VERSION,     /* DatabaseVersionError: format too new or too old */
    MSX_NETWORK,     /* NetworkError / NetworkTimeoutError (remote shards) */
    MSX_INVALID,     /* InvalidArgumentError, InvalidOperationError, bad stemmer name */
    MSX_DOC_MISSING, /* DocNotFoundError */
    MSX_NOMEM        /* std::bad_alloc */
} msx_status;

typedef struct msx_error {
    msx_status status;
    char type[64];  /* Xapian exception class, e.g. "DatabaseLockError" */
    char msg[1024]; /* Xapian's message (with context, if any) */
} msx_error;

/* Version string of the libxapian in use, e.g. "1.4.22". */
const char *msx_xapian_version(void);

typedef unsigned msx_docid;

/* ---- Read-only databases ------------------------------------------------ */

typedef struct msx_db msx_db;

/* Open a database, a stub database file (local and remote shards), or fail
 * with MSX_NOT_FOUND / MSX_OPENING. */
msx_status msx_db_open(const char *path, msx_db **out, msx_error *err);
/* Open a database served by xapian-tcpsrv at host:port; timeout_ms bounds
 * connecting and each request (0: no limit). */
msx_status msx_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, msx_db **out,
                              msx_error *err);
/* Add another database's shards to db, so both are searched as one. */
msx_status msx_db_add(msx_db *db, const msx_db *other, msx_error *err);
void msx_db_free(msx_db *db);

msx_status msx_db_doccount(const msx_db *db, unsigned *out, msx_error *err);
msx_status msx_db_termfreq(const msx_db *db, const char *term, size_t len, unsigned *out,
                           msx_error *err);
/* Every document indexed by term: fn gets each docid; stop when it returns non-zero. */
msx_status msx_db_postings(const msx_db *db, const char *term, size_t len,
                           int (*fn)(void *ctx, msx_docid id), void *ctx, msx_error *err);
/* Metadata value for key: *out is malloc'd (NUL-terminated, "" when unset). */
msx_status msx_db_get_metadata(const msx_db *db, const char *key, char **out, size_t *len,
                               msx_error *err);
/* Call fn for each metadata key starting with prefix; stop when it returns non-zero. */
msx_status msx_db_metadata_keys(const msx_db *db, const char *prefix,
                                int (*fn)(void *ctx, const char *key, size_t len), void *ctx,
                                msx_error *err);
/* Call fn for every term starting with prefix (in byte order), with its
 * term frequency. Stop early when fn returns non-zero. */
msx_status msx_db_allterms(const msx_db *db, const char *prefix,
                           int (*fn)(void *ctx, const char *term, size_t len, unsigned freq),
                           void *ctx, msx_error *err);

/* ---- Documents ---------------------------------------------------------- */

typedef struct msx_doc msx_doc;

msx_doc *msx_doc_new(void); /* NULL only when out of memory */
void msx_doc_free(msx_doc *doc);
/* Fetch document docid (with its values and terms, read lazily). */
msx_status msx_db_get_document(const msx_db *db, msx_docid docid, msx_doc **out, msx_error *err);
msx_status msx_doc_add_term(msx_doc *doc, const char *term, size_t len, unsigned wdfinc,
                            msx_error *err);
msx_status msx_doc_add_posting(msx_doc *doc, const char *term, size_t len, unsigned pos,
                               unsigned wdfinc, msx_error *err);
msx_status msx_doc_add_boolean_term(msx_doc *doc, const char *term, size_t len, msx_error *err);
msx_status msx_doc_set_value(msx_doc *doc, unsigned slot, const char *val, size_t len,
                             msx_error *err);
/* *out malloc'd, NUL-terminated. */
msx_status msx_doc_get_value(const msx_doc *doc, unsigned slot, char **out, size_t *len,
                             msx_error *err);
/* Call fn for each term of the document that starts with prefix, with its wdf. */
msx_status msx_doc_terms(const msx_doc *doc, const char *prefix,
                         int (*fn)(void *ctx, const char *term, size_t len, unsigned wdf),
                         void *ctx, msx_error *err);

/* ---- Writable databases ------------------------------------------------- */

typedef struct msx_wdb msx_wdb;

enum {
    MSX_WDB_CREATE_OR_OPEN = 0,
    MSX_WDB_CREATE = 1,    /* fail if it exists */
    MSX_WDB_OPEN = 2,      /* fail if it does not exist */
    MSX_WDB_OVERWRITE = 3, /* create anew, replacing what is there */
    MSX_WDB_NO_SYNC = 16   /* or'd in: skip fsync (faster, less safe) */
};

msx_status msx_wdb_open(const char *path, int flags, msx_wdb **out, msx_error *err);
/* Commit pending changes, close and free (freed even when this fails). */
msx_status msx_wdb_close(msx_wdb *wdb, msx_error *err);
/* Free without committing anything pending (for error paths). */
void msx_wdb_free(msx_wdb *wdb);
msx_status msx_wdb_commit(msx_wdb *wdb, msx_error *err);
msx_status msx_wdb_add_document(msx_wdb *wdb, const msx_doc *doc, msx_docid *out, msx_error *err);
/* Delete every document indexed by term. */
msx_status msx_wdb_delete_by_term(msx_wdb *wdb, const char *term, size_t len, msx_error *err);
msx_status msx_wdb_set_metadata(msx_wdb *wdb, const char *key, const char *val, size_t len,
                                msx_error *err);
msx_status msx_wdb_get_metadata(const msx_wdb *wdb, const char *key, char **out, size_t *len,
                                msx_error *err);
/* Call fn for each metadata key starting with prefix. */
msx_status msx_wdb_metadata_keys(const msx_wdb *wdb, const char *prefix,
                                 int (*fn)(void *ctx, const char *key, size_t len), void *ctx,
                                 msx_error *err);
msx_status msx_wdb_doccount(const msx_wdb *wdb, unsigned *out, msx_error *err);
msx_status msx_wdb_termfreq(const msx_wdb *wdb, const char *term, size_t len, unsigned *out,
                            msx_error *err);
/* Fetch a document through the writer (sees uncommitted changes). */
msx_status msx_wdb_get_document(const msx_wdb *wdb, msx_docid docid, msx_doc **out, msx_error *err);
/* Every document indexed by term: fn gets each docid; stop when it returns non-zero. */
msx_status msx_wdb_postings(const msx_wdb *wdb, const char *term, size_t len,
                            int (*fn)(void *ctx, msx_docid id), void *ctx, msx_error *err);

/* Merge the databases srcs[0..n) into a new compacted database at dest. */
msx_status msx_compact(const char *const *srcs, size_t n, const char *dest, msx_error *err);

/* ---- Queries ------------------------------------------------------------ */

typedef struct msx_query msx_query;

typedef enum msx_op {
    MSX_OP_AND,
    MSX_OP_OR,
    MSX_OP_AND_NOT,
    MSX_OP_AND_MAYBE,
    MSX_OP_FILTER,
    MSX_OP_PHRASE,
    MSX_OP_NEAR,
    MSX_OP_SYNONYM,
    MSX_OP_ELITE_SET
} msx_op;

/* A term; wqf is the within-query frequency, pos the query position (0: none).
 * NULL only when out of memory. */
msx_query *msx_query_term(const char *term, size_t len, unsigned wqf, unsigned pos);
/* Combine subs[0..n) with op (they stay owned by the caller). window is the
 * PHRASE/NEAR window (0: number of subqueries) or the ELITE_SET size. */
msx_status msx_query_combine(msx_op op, msx_query *const *subs, size_t n, unsigned window,
                             msx_query **out, msx_error *err);
/* q with every weight multiplied by factor (>= 0). */
msx_status msx_query_scale(const msx_query *q, double factor, msx_query **out, msx_error *err);
/* Every term starting with prefix (at most max_expansion of them, 0: no limit),
 * combined as a synonym. */
msx_status msx_query_wildcard(const char *prefix, unsigned max_expansion, msx_query **out,
                              msx_error *err);
msx_query *msx_query_match_all(void);
/* The documents whose value in slot lies in [lo, hi] (byte order; lo or hi
 * NULL: open), a boolean filter; documents without a value are not. NULL
 * only when out of memory. */
msx_query *msx_query_value_range(unsigned slot, const char *lo, const char *hi);
int msx_query_empty(const msx_query *q);
/* Xapian's description of the query, malloc'd. */
char *msx_query_describe(const msx_query *q);
void msx_query_free(msx_query *q);

/* ---- Searching ---------------------------------------------------------- */

typedef struct msx_enquire msx_enquire;
typedef struct msx_mset msx_mset;

msx_status msx_enquire_new(const msx_db *db, msx_enquire **out, msx_error *err);
void msx_enquire_free(msx_enquire *enq);
msx_status msx_enquire_set_query(msx_enquire *enq, const msx_query *q, msx_error *err);
msx_status msx_enquire_set_bm25(msx_enquire *enq, double k1, double k2, double k3, double b,
                                double min_normlen, msx_error *err);
/* At most max documents with the same value in slot (0 turns collapsing off). */
msx_status msx_enquire_set_collapse(msx_enquire *enq, unsigned slot, unsigned max, msx_error *err);
/* Rank matches of equal weight by value slot (ascending), not by document
 * id (set_sort_by_relevance_then_value). */
msx_status msx_enquire_set_ties_by_value(msx_enquire *enq, unsigned slot, msx_error *err);
/* Rank by value slot, descending (byte order: an ISO date newest first, no
 * value last), then by relevance (set_sort_by_value_then_relevance). */
msx_status msx_enquire_set_sort_by_value_desc(msx_enquire *enq, unsigned slot, msx_error *err);
msx_status msx_enquire_get_mset(msx_enquire *enq, unsigned first, unsigned maxitems,
                                unsigned checkatleast, msx_mset **out, msx_error *err);
/* The query terms that match docid, in query order. */
msx_status msx_enquire_matching_terms(const msx_enquire *enq, msx_docid docid,
                                      int (*fn)(void *ctx, const char *term, size_t len), void *ctx,
                                      msx_error *err);

void msx_mset_free(msx_mset *mset);
unsigned msx_mset_size(const msx_mset *mset);
unsigned msx_mset_estimated(const msx_mset *mset);
/* Whether the estimate is the exact number of matches (its bounds meet). */
int msx_mset_exact(const msx_mset *mset);
msx_docid msx_mset_docid(const msx_mset *mset, unsigned i);
double msx_mset_weight(const msx_mset *mset, unsigned i);
msx_status msx_mset_document(const msx_mset *mset, unsigned i, msx_doc **out, msx_error *err);

/* ---- Stemming ----------------------------------------------------------- */

typedef struct msx_stem msx_stem;

/* Snowball stemmer for language ("english", "en", "french", ...; "none" for no
 * stemming). Unknown names give MSX_INVALID. */
msx_status msx_stem_new(const char *language, msx_stem **out, msx_error *err);
void msx_stem_free(msx_stem *stem);
/* Stem word[0..len) into out (capacity cap, NUL-terminated). Returns the stem's
 * length, or (size_t)-1 when it does not fit or on error. */
size_t msx_stem_apply(msx_stem *stem, const char *word, size_t len, char *out, size_t cap);
/* Space-separated list of the stemmer languages libxapian offers. */
const char *msx_stem_languages(void);

#ifdef __cplusplus
}
#endif

#endif
