/*
 * xapian/xapian.cc - the C binding over libxapian (declared in medsearch/xapian.h).
 *
 * medsearch is written in C; Xapian is C++ and reports every failure by
 * throwing. This file is the one place where C++ and Xapian's exceptions live:
 * nothing else includes <xapian.h>. Each handle wraps a Xapian object, and each
 * exported function catches whatever its body throws and maps it to an
 * msx_status (with the exception's class and message in msx_error), as
 * notmuch does behind its C API. Calls that return a status run their body
 * through guard(); calls that signal failure with a sentinel value (NULL, 0,
 * SIZE_MAX) through fallback(). No exception ever crosses into C.
 *
 * It holds only what lib/ uses: a Xapian feature joins when a caller needs it.
 */
#include "xapian/xapian.h"

#include <xapian.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

struct msx_db {
    Xapian::Database db;
};

struct msx_wdb {
    Xapian::WritableDatabase db;
};

struct msx_doc {
    Xapian::Document doc;
};

struct msx_query {
    Xapian::Query q;
};

struct msx_enquire {
    Xapian::Database db;
    Xapian::Enquire enq;
    explicit msx_enquire(const Xapian::Database &d) : db(d), enq(db) {}
};

struct msx_mset {
    Xapian::Database db;
    Xapian::Enquire enq;
    Xapian::MSet mset;
};

struct msx_stem {
    Xapian::Stem stem;
    std::string word; /* reused input buffer, so stemming allocates no more than Xapian does */
};

namespace
{

/* Status of the Xapian::Error being handled (Xapian's exception classes
 * are not polymorphic, so the handler rethrows to classify). */
msx_status status_of_current()
{
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &) {
        return MSX_NOT_FOUND;
    } catch (const Xapian::DatabaseVersionError &) {
        return MSX_VERSION;
    } catch (const Xapian::DatabaseOpeningError &) {
        return MSX_OPENING;
    } catch (const Xapian::DatabaseLockError &) {
        return MSX_LOCKED;
    } catch (const Xapian::DatabaseModifiedError &) {
        return MSX_MODIFIED;
    } catch (const Xapian::DatabaseCorruptError &) {
        return MSX_CORRUPT;
    } catch (const Xapian::NetworkError &) {
        return MSX_NETWORK;
    } catch (const Xapian::InvalidArgumentError &) {
        return MSX_INVALID;
    } catch (const Xapian::InvalidOperationError &) {
        return MSX_INVALID;
    } catch (const Xapian::DocNotFoundError &) {
        return MSX_DOC_MISSING;
    } catch (...) {
        return MSX_ERROR;
    }
}

msx_status report(msx_error *err, msx_status st, const char *type, const char *msg,
                  const std::string &context)
{
    if (err) {
        err->status = st;
        snprintf(err->type, sizeof err->type, "%s", type);
        if (context.empty())
            snprintf(err->msg, sizeof err->msg, "%s", msg);
        else
            snprintf(err->msg, sizeof err->msg, "%s (%s)", msg, context.c_str());
    }
    return st;
}

template <typename F> msx_status guard(msx_error *err, F body) noexcept
{
    try {
        body();
        return MSX_OK;
    } catch (const Xapian::Error &e) {
        return report(err, status_of_current(), e.get_type(), e.get_msg().c_str(), e.get_context());
    } catch (const std::bad_alloc &) {
        return report(err, MSX_NOMEM, "bad_alloc", "out of memory", std::string());
    } catch (const std::exception &e) {
        return report(err, MSX_ERROR, "exception", e.what(), std::string());
    } catch (...) {
        return report(err, MSX_ERROR, "exception", "unknown C++ exception", std::string());
    }
}

template <typename T, typename F> T fallback(T failed, F body) noexcept
{
    try {
        return body();
    } catch (...) {
        return failed;
    }
}

/* Run build() (which returns a new handle) into *out, leaving NULL on failure. */
template <typename T, typename F> msx_status create(T **out, msx_error *err, F build) noexcept
{
    *out = nullptr;
    return guard(err, [&] { *out = build(); });
}

char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* Copy the string get() returns into a malloc'd *out (NULL on failure). */
template <typename F> msx_status string_out(char **out, size_t *len, msx_error *err, F get) noexcept
{
    *out = nullptr;
    return guard(err, [&] {
        const std::string s = get();
        *out = dup_string(s);
        if (len)
            *len = s.size();
    });
}

std::string prefix_of(const char *prefix)
{
    return prefix ? prefix : "";
}

Xapian::Query::op xapian_op(msx_op op)
{
    switch (op) {
    case MSX_OP_AND:
        return Xapian::Query::OP_AND;
    case MSX_OP_OR:
        return Xapian::Query::OP_OR;
    case MSX_OP_AND_NOT:
        return Xapian::Query::OP_AND_NOT;
    case MSX_OP_AND_MAYBE:
        return Xapian::Query::OP_AND_MAYBE;
    case MSX_OP_FILTER:
        return Xapian::Query::OP_FILTER;
    case MSX_OP_PHRASE:
        return Xapian::Query::OP_PHRASE;
    case MSX_OP_NEAR:
        return Xapian::Query::OP_NEAR;
    case MSX_OP_SYNONYM:
        return Xapian::Query::OP_SYNONYM;
    case MSX_OP_ELITE_SET:
        return Xapian::Query::OP_ELITE_SET;
    }
    throw Xapian::InvalidArgumentError("unknown query operator " + std::to_string(op));
}

Xapian::MSetIterator mset_item(const msx_mset *m, unsigned i)
{
    if (i >= m->mset.size())
        throw Xapian::InvalidArgumentError("MSet index " + std::to_string(i) + " out of range");
    return m->mset[i];
}

size_t emit(const char *s, size_t len, char *out, size_t cap)
{
    if (len >= cap)
        return SIZE_MAX;
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

} // namespace

extern "C" {

const char *msx_xapian_version(void)
{
    return Xapian::version_string();
}

/* ---- Read-only databases ------------------------------------------------ */

msx_status msx_db_open(const char *path, msx_db **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_db{Xapian::Database(path)}; });
}

msx_status msx_db_open_remote(const char *host, unsigned port, unsigned timeout_ms, msx_db **out,
                              msx_error *err)
{
    return create(out, err, [&] {
        return new msx_db{Xapian::Remote::open(host, port, timeout_ms, timeout_ms)};
    });
}

msx_status msx_db_add(msx_db *db, const msx_db *other, msx_error *err)
{
    return guard(err, [&] { db->db.add_database(other->db); });
}

void msx_db_free(msx_db *db)
{
    delete db;
}

msx_status msx_db_doccount(const msx_db *db, unsigned *out, msx_error *err)
{
    return guard(err, [&] { *out = db->db.get_doccount(); });
}

msx_status msx_db_termfreq(const msx_db *db, const char *term, size_t len, unsigned *out,
                           msx_error *err)
{
    return guard(err, [&] { *out = db->db.get_termfreq(std::string(term, len)); });
}

/* Postings of any database, read-only or writable (as metadata_keys). */
static msx_status postings(const Xapian::Database &db, const char *term, size_t len,
                           int (*fn)(void *ctx, msx_docid id), void *ctx, msx_error *err)
{
    return guard(err, [&] {
        const std::string t(term, len);
        for (Xapian::PostingIterator it = db.postlist_begin(t); it != db.postlist_end(t); ++it) {
            if (fn(ctx, *it))
                break;
        }
    });
}

msx_status msx_db_postings(const msx_db *db, const char *term, size_t len,
                           int (*fn)(void *ctx, msx_docid id), void *ctx, msx_error *err)
{
    return postings(db->db, term, len, fn, ctx, err);
}

msx_status msx_db_get_metadata(const msx_db *db, const char *key, char **out, size_t *len,
                               msx_error *err)
{
    return string_out(out, len, err, [&] { return db->db.get_metadata(key); });
}

/* Metadata keys of any database, read-only or writable (the writable one
 * derives from Xapian::Database). */
static msx_status metadata_keys(const Xapian::Database &db, const char *prefix,
                                int (*fn)(void *ctx, const char *key, size_t len), void *ctx,
                                msx_error *err)
{
    return guard(err, [&] {
        const std::string pre = prefix_of(prefix);
        for (Xapian::TermIterator it = db.metadata_keys_begin(pre); it != db.metadata_keys_end(pre);
             ++it) {
            const std::string k = *it;
            if (fn(ctx, k.data(), k.size()))
                break;
        }
    });
}

msx_status msx_db_metadata_keys(const msx_db *db, const char *prefix,
                                int (*fn)(void *ctx, const char *key, size_t len), void *ctx,
                                msx_error *err)
{
    return metadata_keys(db->db, prefix, fn, ctx, err);
}

msx_status msx_db_allterms(const msx_db *db, const char *prefix,
                           int (*fn)(void *ctx, const char *term, size_t len, unsigned freq),
                           void *ctx, msx_error *err)
{
    return guard(err, [&] {
        const std::string pre = prefix_of(prefix);
        for (Xapian::TermIterator it = db->db.allterms_begin(pre); it != db->db.allterms_end(pre);
             ++it) {
            const std::string t = *it;
            if (fn(ctx, t.data(), t.size(), it.get_termfreq()))
                break;
        }
    });
}

/* ---- Documents ---------------------------------------------------------- */

msx_doc *msx_doc_new(void)
{
    return fallback<msx_doc *>(nullptr, [] { return new msx_doc(); });
}

void msx_doc_free(msx_doc *doc)
{
    delete doc;
}

msx_status msx_db_get_document(const msx_db *db, msx_docid docid, msx_doc **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_doc{db->db.get_document(docid)}; });
}

msx_status msx_doc_add_term(msx_doc *doc, const char *term, size_t len, unsigned wdfinc,
                            msx_error *err)
{
    return guard(err, [&] { doc->doc.add_term(std::string(term, len), wdfinc); });
}

msx_status msx_doc_add_posting(msx_doc *doc, const char *term, size_t len, unsigned pos,
                               unsigned wdfinc, msx_error *err)
{
    return guard(err, [&] { doc->doc.add_posting(std::string(term, len), pos, wdfinc); });
}

msx_status msx_doc_add_boolean_term(msx_doc *doc, const char *term, size_t len, msx_error *err)
{
    return guard(err, [&] { doc->doc.add_boolean_term(std::string(term, len)); });
}

msx_status msx_doc_set_value(msx_doc *doc, unsigned slot, const char *val, size_t len,
                             msx_error *err)
{
    return guard(err, [&] { doc->doc.add_value(slot, std::string(val, len)); });
}

msx_status msx_doc_get_value(const msx_doc *doc, unsigned slot, char **out, size_t *len,
                             msx_error *err)
{
    return string_out(out, len, err, [&] { return doc->doc.get_value(slot); });
}

msx_status msx_doc_terms(const msx_doc *doc, const char *prefix,
                         int (*fn)(void *ctx, const char *term, size_t len, unsigned wdf),
                         void *ctx, msx_error *err)
{
    return guard(err, [&] {
        const std::string pre = prefix_of(prefix);
        Xapian::TermIterator it = doc->doc.termlist_begin();
        it.skip_to(pre);
        for (; it != doc->doc.termlist_end(); ++it) {
            const std::string t = *it;
            if (t.compare(0, pre.size(), pre) != 0 || fn(ctx, t.data(), t.size(), it.get_wdf()))
                break;
        }
    });
}

/* ---- Writable databases ------------------------------------------------- */

msx_status msx_wdb_open(const char *path, int flags, msx_wdb **out, msx_error *err)
{
    return create(out, err, [&] {
        static const int actions[] = {Xapian::DB_CREATE_OR_OPEN, Xapian::DB_CREATE, Xapian::DB_OPEN,
                                      Xapian::DB_CREATE_OR_OVERWRITE};
        if (flags & ~(3 | MSX_WDB_NO_SYNC))
            throw Xapian::InvalidArgumentError("unknown writable database flags " +
                                               std::to_string(flags));
        const int xflags = actions[flags & 3] | (flags & MSX_WDB_NO_SYNC ? Xapian::DB_NO_SYNC : 0);
        return new msx_wdb{Xapian::WritableDatabase(path, xflags)};
    });
}

msx_status msx_wdb_close(msx_wdb *wdb, msx_error *err)
{
    if (!wdb)
        return MSX_OK;
    const msx_status st = guard(err, [&] {
        wdb->db.commit();
        wdb->db.close();
    });
    if (st == MSX_OK)
        delete wdb;
    else
        msx_wdb_free(wdb);
    return st;
}

void msx_wdb_free(msx_wdb *wdb)
{
    if (!wdb)
        return;
    /* An unflushed transaction that is cancelled discards everything pending,
     * where closing or destroying the handle would commit it. */
    guard(nullptr, [&] {
        wdb->db.begin_transaction(false);
        wdb->db.cancel_transaction();
    });
    guard(nullptr, [&] { wdb->db.close(); });
    delete wdb;
}

msx_status msx_wdb_commit(msx_wdb *wdb, msx_error *err)
{
    return guard(err, [&] { wdb->db.commit(); });
}

msx_status msx_wdb_add_document(msx_wdb *wdb, const msx_doc *doc, msx_docid *out, msx_error *err)
{
    return guard(err, [&] {
        const Xapian::docid id = wdb->db.add_document(doc->doc);
        if (out)
            *out = id;
    });
}

msx_status msx_wdb_delete_by_term(msx_wdb *wdb, const char *term, size_t len, msx_error *err)
{
    return guard(err, [&] { wdb->db.delete_document(std::string(term, len)); });
}

msx_status msx_wdb_set_metadata(msx_wdb *wdb, const char *key, const char *val, size_t len,
                                msx_error *err)
{
    return guard(err, [&] { wdb->db.set_metadata(key, std::string(val, len)); });
}

msx_status msx_wdb_get_metadata(const msx_wdb *wdb, const char *key, char **out, size_t *len,
                                msx_error *err)
{
    return string_out(out, len, err, [&] { return wdb->db.get_metadata(key); });
}

msx_status msx_wdb_metadata_keys(const msx_wdb *wdb, const char *prefix,
                                 int (*fn)(void *ctx, const char *key, size_t len), void *ctx,
                                 msx_error *err)
{
    return metadata_keys(wdb->db, prefix, fn, ctx, err);
}

msx_status msx_wdb_doccount(const msx_wdb *wdb, unsigned *out, msx_error *err)
{
    return guard(err, [&] { *out = wdb->db.get_doccount(); });
}

msx_status msx_wdb_termfreq(const msx_wdb *wdb, const char *term, size_t len, unsigned *out,
                            msx_error *err)
{
    return guard(err, [&] { *out = wdb->db.get_termfreq(std::string(term, len)); });
}

msx_status msx_wdb_get_document(const msx_wdb *wdb, msx_docid docid, msx_doc **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_doc{wdb->db.get_document(docid)}; });
}

msx_status msx_wdb_postings(const msx_wdb *wdb, const char *term, size_t len,
                            int (*fn)(void *ctx, msx_docid id), void *ctx, msx_error *err)
{
    return postings(wdb->db, term, len, fn, ctx, err);
}

msx_status msx_compact(const char *const *srcs, size_t n, const char *dest, msx_error *err)
{
    return guard(err, [&] {
        if (n == 0)
            throw Xapian::InvalidArgumentError("no databases to compact");
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest);
    });
}

/* ---- Queries ------------------------------------------------------------ */

msx_query *msx_query_term(const char *term, size_t len, unsigned wqf, unsigned pos)
{
    return fallback<msx_query *>(
        nullptr, [&] { return new msx_query{Xapian::Query(std::string(term, len), wqf, pos)}; });
}

msx_status msx_query_combine(msx_op op, msx_query *const *subs, size_t n, unsigned window,
                             msx_query **out, msx_error *err)
{
    return create(out, err, [&] {
        const Xapian::Query::op xop = xapian_op(op);
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i])
                throw Xapian::InvalidArgumentError("subquery " + std::to_string(i) + " is NULL");
            qs.push_back(subs[i]->q);
        }
        return new msx_query{Xapian::Query(xop, qs.begin(), qs.end(), window)};
    });
}

msx_status msx_query_scale(const msx_query *q, double factor, msx_query **out, msx_error *err)
{
    return create(out, err, [&] {
        return new msx_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
    });
}

msx_status msx_query_wildcard(const char *prefix, unsigned max_expansion, msx_query **out,
                              msx_error *err)
{
    /* Xapian 1.4 keeps no terms at all for LIMIT_MOST_FREQUENT with a limit
     * of 0; only LIMIT_ERROR treats 0 as "no limit". */
    const int limit = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                    : Xapian::Query::WILDCARD_LIMIT_ERROR;
    return create(out, err, [&] {
        return new msx_query{Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion, limit,
                                           Xapian::Query::OP_SYNONYM)};
    });
}

msx_query *msx_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    return fallback<msx_query *>(nullptr, [&] {
        if (lo && hi)
            return new msx_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi)};
        if (hi)
            return new msx_query{Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi)};
        return new msx_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo ? lo : "")};
    });
}

msx_query *msx_query_match_all(void)
{
    return fallback<msx_query *>(nullptr, [] { return new msx_query{Xapian::Query::MatchAll}; });
}

int msx_query_empty(const msx_query *q)
{
    return !q || q->q.empty();
}

char *msx_query_describe(const msx_query *q)
{
    return fallback<char *>(nullptr, [&] { return dup_string(q->q.get_description()); });
}

void msx_query_free(msx_query *q)
{
    delete q;
}

/* ---- Searching ---------------------------------------------------------- */

msx_status msx_enquire_new(const msx_db *db, msx_enquire **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_enquire(db->db); });
}

void msx_enquire_free(msx_enquire *enq)
{
    delete enq;
}

msx_status msx_enquire_set_query(msx_enquire *enq, const msx_query *q, msx_error *err)
{
    return guard(err, [&] { enq->enq.set_query(q->q); });
}

msx_status msx_enquire_set_bm25(msx_enquire *enq, double k1, double k2, double k3, double b,
                                double min_normlen, msx_error *err)
{
    return guard(err, [&] {
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
    });
}

msx_status msx_enquire_set_collapse(msx_enquire *enq, unsigned slot, unsigned max, msx_error *err)
{
    return guard(err, [&] { enq->enq.set_collapse_key(max ? slot : Xapian::BAD_VALUENO, max); });
}

msx_status msx_enquire_set_ties_by_value(msx_enquire *enq, unsigned slot, msx_error *err)
{
    return guard(err, [&] { enq->enq.set_sort_by_relevance_then_value(slot, false); });
}

msx_status msx_enquire_set_sort_by_value_desc(msx_enquire *enq, unsigned slot, msx_error *err)
{
    return guard(err, [&] { enq->enq.set_sort_by_value_then_relevance(slot, true); });
}

msx_status msx_enquire_get_mset(msx_enquire *enq, unsigned first, unsigned maxitems,
                                unsigned checkatleast, msx_mset **out, msx_error *err)
{
    return create(out, err, [&] {
        return new msx_mset{enq->db, enq->enq, enq->enq.get_mset(first, maxitems, checkatleast)};
    });
}

msx_status msx_enquire_matching_terms(const msx_enquire *enq, msx_docid docid,
                                      int (*fn)(void *ctx, const char *term, size_t len), void *ctx,
                                      msx_error *err)
{
    return guard(err, [&] {
        for (Xapian::TermIterator it = enq->enq.get_matching_terms_begin(docid);
             it != enq->enq.get_matching_terms_end(docid); ++it) {
            const std::string t = *it;
            if (fn(ctx, t.data(), t.size()))
                break;
        }
    });
}

void msx_mset_free(msx_mset *mset)
{
    delete mset;
}

unsigned msx_mset_size(const msx_mset *mset)
{
    return mset->mset.size();
}

unsigned msx_mset_estimated(const msx_mset *mset)
{
    return mset->mset.get_matches_estimated();
}

int msx_mset_exact(const msx_mset *mset)
{
    return mset->mset.get_matches_lower_bound() == mset->mset.get_matches_upper_bound();
}

msx_docid msx_mset_docid(const msx_mset *mset, unsigned i)
{
    return fallback<msx_docid>(0, [&] { return *mset_item(mset, i); });
}

double msx_mset_weight(const msx_mset *mset, unsigned i)
{
    return fallback(0.0, [&] { return mset_item(mset, i).get_weight(); });
}

msx_status msx_mset_document(const msx_mset *mset, unsigned i, msx_doc **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_doc{mset_item(mset, i).get_document()}; });
}

/* ---- Stemming ----------------------------------------------------------- */

msx_status msx_stem_new(const char *language, msx_stem **out, msx_error *err)
{
    return create(out, err, [&] { return new msx_stem{Xapian::Stem(language), std::string()}; });
}

void msx_stem_free(msx_stem *stem)
{
    delete stem;
}

size_t msx_stem_apply(msx_stem *stem, const char *word, size_t len, char *out, size_t cap)
{
    return fallback<size_t>(SIZE_MAX, [&] {
        if (stem->stem.is_none())
            return emit(word, len, out, cap);
        stem->word.assign(word, len);
        const std::string s = stem->stem(stem->word);
        return emit(s.data(), s.size(), out, cap);
    });
}

const char *msx_stem_languages(void)
{
    return fallback<const char *>("", [] {
        static const std::string langs = Xapian::Stem::get_available_languages();
        return langs.c_str();
    });
}

} /* extern "C" */
