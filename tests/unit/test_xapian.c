/* Tests for the C binding over libxapian (medsearch/xapian.h). */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cmocka.h>

#include "xapian/xapian.h"

#define BIT(n) (1u << (n))

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/test_xapian.XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *f = *state;
    int rc = nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return rc;
}

static const char *path_in(const fixture *f, const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", f->dir, name);
    return buf;
}

#define PATH(name) path_in(f, (name), (char[256]){0}, 256)

static void check_ok(msx_status st, const msx_error *err, const char *call)
{
    if (st != MSX_OK)
        fail_msg("%s: status %d [%s] %s", call, (int)st, err->type, err->msg);
}

/* Every test names its msx_error "err". */
#define OK(call) check_ok((call), &err, #call)

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* ---- helpers: building databases ---------------------------------------- */

static msx_wdb *open_writer(const char *path)
{
    msx_error err;
    msx_wdb *w = NULL;
    OK(msx_wdb_open(path, MSX_WDB_CREATE_OR_OPEN | MSX_WDB_NO_SYNC, &w, &err));
    return w;
}

/* Value slot that holds a document's label, so tests can tell documents apart
 * without adding terms (which would change document lengths and weights). */
#define LABEL_SLOT 0

/* A document labelled label whose space-separated words are postings at
 * positions 1, 2, ... */
static msx_doc *text_doc(const char *label, const char *text)
{
    msx_error err;
    msx_doc *doc = msx_doc_new();
    assert_non_null(doc);
    unsigned pos = 1;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            OK(msx_doc_add_posting(doc, p, n, pos++, 1, &err));
        p += n + (p[n] == ' ');
    }
    OK(msx_doc_set_value(doc, LABEL_SLOT, label, strlen(label), &err));
    return doc;
}

static msx_docid add_text(msx_wdb *w, const char *label, const char *text)
{
    msx_error err;
    msx_docid id = 0;
    msx_doc *doc = text_doc(label, text);
    OK(msx_wdb_add_document(w, doc, &id, &err));
    msx_doc_free(doc);
    return id;
}

/* doc carries the label want (see text_doc). */
static void assert_label(const msx_doc *doc, const char *want)
{
    msx_error err;
    char *s = NULL;
    size_t len = 0;
    OK(msx_doc_get_value(doc, LABEL_SLOT, &s, &len, &err));
    assert_string_equal(s, want);
    assert_int_equal(len, strlen(want));
    free(s);
}

static msx_db *open_reader(const char *path)
{
    msx_error err;
    msx_db *db = NULL;
    OK(msx_db_open(path, &db, &err));
    return db;
}

static unsigned db_count(const char *path)
{
    msx_error err;
    unsigned n = 0;
    msx_db *db = open_reader(path);
    OK(msx_db_doccount(db, &n, &err));
    msx_db_free(db);
    return n;
}

/* ---- helpers: queries and results --------------------------------------- */

static msx_query *term(const char *t)
{
    msx_query *q = msx_query_term(t, strlen(t), 1, 0);
    assert_non_null(q);
    return q;
}

/* Combine a and b, then free them: the result must not depend on them. */
static msx_query *combine2(msx_op op, msx_query *a, msx_query *b, unsigned window)
{
    msx_error err;
    msx_query *subs[2] = {a, b}, *q = NULL;
    OK(msx_query_combine(op, subs, 2, window, &q, &err));
    msx_query_free(a);
    msx_query_free(b);
    return q;
}

static msx_mset *run_query(const msx_db *db, const msx_query *q, unsigned first, unsigned max)
{
    msx_error err;
    msx_enquire *enq = NULL;
    msx_mset *m = NULL;
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    OK(msx_enquire_get_mset(enq, first, max, 0, &m, &err));
    msx_enquire_free(enq);
    return m;
}

/* Set of matching docids, as bits; frees q. */
static unsigned match_mask(const msx_db *db, msx_query *q)
{
    msx_mset *m = run_query(db, q, 0, 64);
    unsigned mask = 0;
    for (unsigned i = 0; i < msx_mset_size(m); i++) {
        msx_docid id = msx_mset_docid(m, i);
        assert_in_range(id, 1, 31);
        mask |= BIT(id);
    }
    msx_mset_free(m);
    msx_query_free(q);
    return mask;
}

/* Weight of docid under q, or -1 when it does not match; frees q. */
static double weight_of(const msx_db *db, msx_query *q, msx_docid id)
{
    msx_mset *m = run_query(db, q, 0, 64);
    double w = -1;
    for (unsigned i = 0; i < msx_mset_size(m); i++)
        if (msx_mset_docid(m, i) == id)
            w = msx_mset_weight(m, i);
    msx_mset_free(m);
    msx_query_free(q);
    return w;
}

typedef struct collector {
    char buf[512];
    int count;
    int limit; /* stop after this many (0: never) */
} collector;

static int collect(collector *c, const char *s, size_t len, const char *suffix)
{
    size_t used = strlen(c->buf);
    snprintf(c->buf + used, sizeof c->buf - used, "%.*s%s ", (int)len, s, suffix);
    c->count++;
    return c->limit && c->count >= c->limit;
}

static int collect_counted(void *ctx, const char *s, size_t len, unsigned n)
{
    char suffix[16];
    snprintf(suffix, sizeof suffix, ":%u", n);
    return collect(ctx, s, len, suffix);
}

static int collect_plain(void *ctx, const char *s, size_t len)
{
    return collect(ctx, s, len, "");
}

static int collect_id(void *ctx, msx_docid id)
{
    char s[16];
    snprintf(s, sizeof s, "%u", id);
    return collect(ctx, s, strlen(s), "");
}

static int have_progsrv(void)
{
    return system("command -v xapian-progsrv >/dev/null 2>&1") == 0;
}

static int have_tcpsrv(void)
{
    return system("command -v xapian-tcpsrv >/dev/null 2>&1") == 0;
}

/* A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
static unsigned free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    close(fd);
    return ntohs(a.sin_port);
}

/* ---- tests -------------------------------------------------------------- */

static void test_version(void **state)
{
    (void)state;
    unsigned major, minor, patch;
    assert_int_equal(sscanf(msx_xapian_version(), "%u.%u.%u", &major, &minor, &patch), 3);
    assert_int_equal(major, 1);
    assert_true(minor >= 4);
}

static void test_open_errors(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_db *db = (msx_db *)f;

    assert_int_equal(msx_db_open(PATH("missing"), &db, &err), MSX_NOT_FOUND);
    assert_null(db);
    assert_int_equal(err.status, MSX_NOT_FOUND);
    assert_string_equal(err.type, "DatabaseNotFoundError");
    assert_non_null(strstr(err.msg, "missing"));
    assert_int_equal(msx_db_open(PATH("missing"), &db, NULL), MSX_NOT_FOUND);

    write_file(PATH("notdb"), "this is not a database\n");
    assert_int_equal(msx_db_open(PATH("notdb"), &db, &err), MSX_OPENING);
    assert_null(db);
    assert_string_equal(err.type, "DatabaseOpeningError");

    msx_wdb *w = (msx_wdb *)f;
    assert_int_equal(msx_wdb_open(PATH("missing"), MSX_WDB_OPEN, &w, &err), MSX_NOT_FOUND);
    assert_null(w);
    assert_int_equal(msx_wdb_open(PATH("db"), 4, &w, &err), MSX_INVALID);
    assert_null(w);
    assert_string_equal(err.type, "InvalidArgumentError");

    w = open_writer(PATH("db"));
    OK(msx_wdb_close(w, &err));
    assert_int_equal(msx_wdb_open(PATH("db"), MSX_WDB_CREATE, &w, &err), MSX_ERROR);
    assert_string_equal(err.type, "DatabaseCreateError");

    /* A C++ exception that is not a Xapian one is reported, not thrown. */
    char *val = (char *)f;
    db = open_reader(PATH("db"));
    assert_int_equal(msx_db_get_metadata(db, NULL, &val, NULL, &err), MSX_ERROR);
    assert_null(val);
    assert_string_equal(err.type, "exception");
    msx_db_free(db);
}

static void test_lock(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w1 = open_writer(PATH("db")), *w2 = NULL;

    assert_int_equal(msx_wdb_open(PATH("db"), MSX_WDB_OPEN, &w2, &err), MSX_LOCKED);
    assert_null(w2);
    assert_int_equal(err.status, MSX_LOCKED);
    assert_string_equal(err.type, "DatabaseLockError");

    OK(msx_wdb_close(w1, &err));
    OK(msx_wdb_open(PATH("db"), MSX_WDB_OPEN, &w2, &err));
    msx_wdb_free(w2);
}

static void test_document(void **state)
{
    (void)state;
    msx_error err;
    msx_doc *doc = msx_doc_new();
    assert_non_null(doc);

    OK(msx_doc_add_term(doc, "alpha", 5, 2, &err));
    OK(msx_doc_add_posting(doc, "beta", 4, 1, 1, &err));
    OK(msx_doc_add_posting(doc, "beta", 4, 5, 1, &err));
    OK(msx_doc_add_posting(doc, "bx", 2, 2, 3, &err));
    OK(msx_doc_add_boolean_term(doc, "Qid", 3, &err));
    OK(msx_doc_set_value(doc, 3, "v\0x", 3, &err));

    char *s = NULL;
    size_t len = 0;
    OK(msx_doc_get_value(doc, 3, &s, &len, &err));
    assert_int_equal(len, 3);
    assert_memory_equal(s, "v\0x", 4);
    free(s);
    OK(msx_doc_get_value(doc, 4, &s, &len, &err));
    assert_int_equal(len, 0);
    assert_string_equal(s, "");
    free(s);

    collector c = {0};
    OK(msx_doc_terms(doc, "", collect_counted, &c, &err));
    assert_string_equal(c.buf, "Qid:0 alpha:2 beta:2 bx:3 ");
    c = (collector){0};
    OK(msx_doc_terms(doc, NULL, collect_counted, &c, &err));
    assert_int_equal(c.count, 4);
    c = (collector){0};
    OK(msx_doc_terms(doc, "b", collect_counted, &c, &err));
    assert_string_equal(c.buf, "beta:2 bx:3 ");
    c = (collector){.limit = 1};
    OK(msx_doc_terms(doc, "b", collect_counted, &c, &err));
    assert_string_equal(c.buf, "beta:2 ");
    c = (collector){0};
    OK(msx_doc_terms(doc, "zz", collect_counted, &c, &err));
    assert_int_equal(c.count, 0);

    msx_doc_free(doc);
    msx_doc_free(NULL);
}

static void test_write_and_read(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));

    assert_int_equal(add_text(w, "one", "a b"), 1);
    assert_int_equal(add_text(w, "two", "a b b c"), 2);
    msx_doc *doc = text_doc("three", "a c");
    OK(msx_doc_set_value(doc, 1, "v3", 2, &err));
    OK(msx_wdb_add_document(w, doc, NULL, &err));
    msx_doc_free(doc);

    unsigned n = 0;
    OK(msx_wdb_doccount(w, &n, &err));
    assert_int_equal(n, 3);
    OK(msx_wdb_termfreq(w, "c", 1, &n, &err));
    assert_int_equal(n, 2);
    OK(msx_wdb_get_document(w, 2, &doc, &err));
    assert_label(doc, "two");
    collector c = {0};
    OK(msx_doc_terms(doc, "", collect_counted, &c, &err));
    assert_string_equal(c.buf, "a:1 b:2 c:1 ");
    msx_doc_free(doc);

    c = (collector){0};
    OK(msx_wdb_postings(w, "c", 1, collect_id, &c, &err));
    assert_string_equal(c.buf, "2 3 ");
    c = (collector){.limit = 2};
    OK(msx_wdb_postings(w, "a", 1, collect_id, &c, &err));
    assert_string_equal(c.buf, "1 2 ");
    OK(msx_wdb_commit(w, &err));

    msx_db *db = open_reader(PATH("db"));
    OK(msx_db_doccount(db, &n, &err));
    assert_int_equal(n, 3);
    OK(msx_db_termfreq(db, "b", 1, &n, &err));
    assert_int_equal(n, 2);
    OK(msx_db_termfreq(db, "zzz", 3, &n, &err));
    assert_int_equal(n, 0);

    c = (collector){0};
    OK(msx_db_postings(db, "c", 1, collect_id, &c, &err));
    assert_string_equal(c.buf, "2 3 ");
    c = (collector){.limit = 1};
    OK(msx_db_postings(db, "c", 1, collect_id, &c, &err));
    assert_string_equal(c.buf, "2 ");
    c = (collector){0};
    OK(msx_db_postings(db, "zzz", 3, collect_id, &c, &err));
    assert_string_equal(c.buf, "");

    OK(msx_db_get_document(db, 3, &doc, &err));
    assert_label(doc, "three");
    char *s = NULL;
    size_t len = 0;
    OK(msx_doc_get_value(doc, 1, &s, &len, &err));
    assert_string_equal(s, "v3");
    assert_int_equal(len, 2);
    free(s);
    c = (collector){0};
    OK(msx_doc_terms(doc, "", collect_counted, &c, &err));
    assert_string_equal(c.buf, "a:1 c:1 ");
    msx_doc_free(doc);

    doc = (msx_doc *)f;
    assert_int_equal(msx_db_get_document(db, 99, &doc, &err), MSX_DOC_MISSING);
    assert_null(doc);
    assert_string_equal(err.type, "DocNotFoundError");
    assert_int_equal(msx_db_get_document(db, 0, &doc, &err), MSX_INVALID);
    assert_int_equal(msx_wdb_get_document(w, 99, &doc, &err), MSX_DOC_MISSING);

    msx_db_free(db);
    msx_db_free(NULL);
    OK(msx_wdb_close(w, &err));
}

static void test_close_and_free(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "kept", "x");
    OK(msx_wdb_close(w, &err));
    assert_int_equal(db_count(PATH("db")), 1);

    w = open_writer(PATH("db"));
    add_text(w, "dropped", "x");
    msx_wdb_free(w);
    assert_int_equal(db_count(PATH("db")), 1);

    assert_int_equal(msx_wdb_close(NULL, &err), MSX_OK);
    msx_wdb_free(NULL);
}

static void test_delete_by_term(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    unsigned n = 0;

    add_text(w, "a1", "Qa XFMTmd x");
    add_text(w, "b", "Qb XFMTmd x");
    add_text(w, "a2", "Qa XFMThtml y");
    add_text(w, "c", "Qc XFMThtml");

    /* Every document with the term goes, and only those. */
    OK(msx_wdb_delete_by_term(w, "Qa", 2, &err));
    OK(msx_wdb_doccount(w, &n, &err));
    assert_int_equal(n, 2);
    OK(msx_wdb_termfreq(w, "Qa", 2, &n, &err));
    assert_int_equal(n, 0);
    OK(msx_wdb_termfreq(w, "x", 1, &n, &err));
    assert_int_equal(n, 1);
    OK(msx_wdb_termfreq(w, "y", 1, &n, &err));
    assert_int_equal(n, 0);
    collector c = {0};
    OK(msx_wdb_postings(w, "", 0, collect_id, &c, &err));
    assert_string_equal(c.buf, "2 4 ");

    /* A term that indexes nothing deletes nothing, without error. */
    OK(msx_wdb_delete_by_term(w, "Qnone", 5, &err));
    OK(msx_wdb_doccount(w, &n, &err));
    assert_int_equal(n, 2);

    /* Only the first len bytes are the term. */
    OK(msx_wdb_delete_by_term(w, "XFMThtmlzz", 8, &err));
    OK(msx_wdb_doccount(w, &n, &err));
    assert_int_equal(n, 1);
    msx_doc *doc = NULL;
    OK(msx_wdb_get_document(w, 2, &doc, &err));
    assert_label(doc, "b");
    msx_doc_free(doc);
    OK(msx_wdb_close(w, &err));
    assert_int_equal(db_count(PATH("db")), 1);
}

static void test_metadata(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    OK(msx_wdb_set_metadata(w, "cfg.stem", "english", 7, &err));
    OK(msx_wdb_set_metadata(w, "cfg.lang", "en", 2, &err));
    OK(msx_wdb_set_metadata(w, "other", "x\0y", 3, &err));

    char *s = NULL;
    size_t len = 0;
    OK(msx_wdb_get_metadata(w, "other", &s, &len, &err));
    assert_int_equal(len, 3);
    assert_memory_equal(s, "x\0y", 4);
    free(s);

    collector c = {0};
    OK(msx_wdb_metadata_keys(w, "cfg.", collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang cfg.stem ");
    c = (collector){0};
    OK(msx_wdb_metadata_keys(w, NULL, collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang cfg.stem other ");
    c = (collector){.limit = 1};
    OK(msx_wdb_metadata_keys(w, "", collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang ");

    OK(msx_wdb_set_metadata(w, "other", "", 0, &err));
    c = (collector){0};
    OK(msx_wdb_metadata_keys(w, "o", collect_plain, &c, &err));
    assert_int_equal(c.count, 0);
    OK(msx_wdb_commit(w, &err));

    msx_db *db = open_reader(PATH("db"));
    OK(msx_db_get_metadata(db, "cfg.stem", &s, &len, &err));
    assert_string_equal(s, "english");
    assert_int_equal(len, 7);
    free(s);
    OK(msx_db_get_metadata(db, "unset", &s, &len, &err));
    assert_string_equal(s, "");
    assert_int_equal(len, 0);
    free(s);

    c = (collector){0};
    OK(msx_db_metadata_keys(db, "cfg.", collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang cfg.stem ");
    c = (collector){0};
    OK(msx_db_metadata_keys(db, NULL, collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang cfg.stem ");
    c = (collector){.limit = 1};
    OK(msx_db_metadata_keys(db, "", collect_plain, &c, &err));
    assert_string_equal(c.buf, "cfg.lang ");
    c = (collector){0};
    OK(msx_db_metadata_keys(db, "z", collect_plain, &c, &err));
    assert_int_equal(c.count, 0);
    msx_db_free(db);
    OK(msx_wdb_close(w, &err));
}

static void test_allterms(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "Dheart apple Xa");
    add_text(w, "2", "Dheart Dlung");
    OK(msx_wdb_close(w, &err));

    msx_db *db = open_reader(PATH("db"));
    collector c = {0};
    OK(msx_db_allterms(db, "D", collect_counted, &c, &err));
    assert_string_equal(c.buf, "Dheart:2 Dlung:1 ");
    c = (collector){0};
    OK(msx_db_allterms(db, NULL, collect_counted, &c, &err));
    assert_string_equal(c.buf, "Dheart:2 Dlung:1 Xa:1 apple:1 ");
    c = (collector){.limit = 3};
    OK(msx_db_allterms(db, "", collect_counted, &c, &err));
    assert_string_equal(c.buf, "Dheart:2 Dlung:1 Xa:1 ");
    c = (collector){0};
    OK(msx_db_allterms(db, "Q", collect_counted, &c, &err));
    assert_int_equal(c.count, 0);
    msx_db_free(db);
}

static void test_positional_queries(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "heart attack risk");
    add_text(w, "2", "attack heart");
    add_text(w, "3", "heart x y z w attack");
    add_text(w, "4", "heart");
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    assert_int_equal(match_mask(db, combine2(MSX_OP_PHRASE, term("heart"), term("attack"), 0)),
                     BIT(1));
    assert_int_equal(match_mask(db, combine2(MSX_OP_PHRASE, term("attack"), term("heart"), 0)),
                     BIT(2));
    assert_int_equal(match_mask(db, combine2(MSX_OP_PHRASE, term("heart"), term("attack"), 6)),
                     BIT(1) | BIT(3));
    assert_int_equal(match_mask(db, combine2(MSX_OP_NEAR, term("heart"), term("attack"), 2)),
                     BIT(1) | BIT(2));
    assert_int_equal(match_mask(db, combine2(MSX_OP_NEAR, term("heart"), term("attack"), 10)),
                     BIT(1) | BIT(2) | BIT(3));
    assert_int_equal(match_mask(db, combine2(MSX_OP_AND, term("heart"), term("attack"), 0)),
                     BIT(1) | BIT(2) | BIT(3));
    msx_db_free(db);
}

static void test_boolean_queries(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "aspirin fever");
    add_text(w, "2", "aspirin");
    add_text(w, "3", "fever");
    add_text(w, "4", "ibuprofen fever");
    add_text(w, "5", "cetirizine");
    add_text(w, "6", "cetirizine");
    add_text(w, "7", "cetrimide");
    add_text(w, "8", "cefalexin");
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    assert_int_equal(match_mask(db, combine2(MSX_OP_AND, term("aspirin"), term("fever"), 0)),
                     BIT(1));
    assert_int_equal(match_mask(db, combine2(MSX_OP_OR, term("aspirin"), term("fever"), 0)),
                     BIT(1) | BIT(2) | BIT(3) | BIT(4));
    assert_int_equal(match_mask(db, combine2(MSX_OP_AND_NOT, term("fever"), term("aspirin"), 0)),
                     BIT(3) | BIT(4));
    assert_int_equal(match_mask(db, combine2(MSX_OP_AND_MAYBE, term("aspirin"), term("fever"), 0)),
                     BIT(1) | BIT(2));
    assert_int_equal(match_mask(db, combine2(MSX_OP_FILTER, term("aspirin"), term("fever"), 0)),
                     BIT(1));

    /* AND_MAYBE adds the optional term's weight, FILTER does not. */
    double plain = weight_of(db, term("aspirin"), 1);
    assert_true(plain > 0);
    double maybe = weight_of(db, combine2(MSX_OP_AND_MAYBE, term("aspirin"), term("fever"), 0), 1);
    double filter = weight_of(db, combine2(MSX_OP_FILTER, term("aspirin"), term("fever"), 0), 1);
    assert_true(maybe > plain + 1e-6);
    assert_true(fabs(filter - plain) < 1e-9);

    /* A synonym weighs its members as one term; OR favours the rarer one. */
    assert_int_equal(
        match_mask(db, combine2(MSX_OP_SYNONYM, term("aspirin"), term("ibuprofen"), 0)),
        BIT(1) | BIT(2) | BIT(4));
    double syn1 = weight_of(db, combine2(MSX_OP_SYNONYM, term("aspirin"), term("ibuprofen"), 0), 1);
    double syn4 = weight_of(db, combine2(MSX_OP_SYNONYM, term("aspirin"), term("ibuprofen"), 0), 4);
    double or1 = weight_of(db, combine2(MSX_OP_OR, term("aspirin"), term("ibuprofen"), 0), 1);
    double or4 = weight_of(db, combine2(MSX_OP_OR, term("aspirin"), term("ibuprofen"), 0), 4);
    assert_true(fabs(syn1 - syn4) < 1e-9);
    assert_true(or4 > or1 + 1e-6);

    /* The elite set keeps the terms with the highest possible weight. */
    msx_query *three[3] = {term("fever"), term("aspirin"), term("ibuprofen")}, *q = NULL;
    OK(msx_query_combine(MSX_OP_ELITE_SET, three, 3, 1, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(4));
    OK(msx_query_combine(MSX_OP_ELITE_SET, three, 3, 2, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(1) | BIT(2) | BIT(4));
    OK(msx_query_combine(MSX_OP_ELITE_SET, three, 3, 3, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(1) | BIT(2) | BIT(3) | BIT(4));
    for (int i = 0; i < 3; i++)
        msx_query_free(three[i]);

    /* Scaling multiplies every weight. */
    msx_query *base = term("aspirin");
    OK(msx_query_scale(base, 2.5, &q, &err));
    assert_true(fabs(weight_of(db, q, 2) - 2.5 * weight_of(db, term("aspirin"), 2)) < 1e-9);
    OK(msx_query_scale(base, 0, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(1) | BIT(2));
    OK(msx_query_scale(base, 0, &q, &err));
    assert_true(weight_of(db, q, 1) == 0.0);
    q = (msx_query *)f;
    assert_int_equal(msx_query_scale(base, -1, &q, &err), MSX_INVALID);
    assert_null(q);
    msx_query_free(base);

    OK(msx_query_wildcard("cet", 0, &q, &err));
    char *desc = msx_query_describe(q);
    assert_non_null(strstr(desc, "WILDCARD"));
    free(desc);
    assert_int_equal(match_mask(db, q), BIT(5) | BIT(6) | BIT(7));
    OK(msx_query_wildcard("cet", 1, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(5) | BIT(6));
    OK(msx_query_wildcard("ce", 0, &q, &err));
    assert_int_equal(match_mask(db, q), BIT(5) | BIT(6) | BIT(7) | BIT(8));
    OK(msx_query_wildcard("cez", 0, &q, &err));
    assert_int_equal(match_mask(db, q), 0);
    msx_db_free(db);
}

static void test_query_misc(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "aspirin");
    add_text(w, "2", "aspirin dose");
    add_text(w, "3", "dose");
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_query *all = msx_query_match_all();
    assert_non_null(all);
    assert_int_equal(msx_query_empty(all), 0);
    assert_int_equal(match_mask(db, all), BIT(1) | BIT(2) | BIT(3));

    msx_query *q = NULL, *t = term("aspirin");
    assert_int_equal(msx_query_empty(t), 0);
    char *desc = msx_query_describe(t);
    assert_string_equal(desc, "Query(aspirin)");
    free(desc);
    OK(msx_query_combine(MSX_OP_OR, NULL, 0, 0, &q, &err));
    assert_int_equal(msx_query_empty(q), 1);
    msx_query_free(q);
    assert_int_equal(msx_query_empty(NULL), 1);

    /* The within-query frequency raises a term's weight. */
    msx_query *t2 = msx_query_term("aspirin", 7, 2, 0);
    assert_non_null(t2);
    assert_true(weight_of(db, t2, 1) > weight_of(db, term("aspirin"), 1) + 1e-6);

    msx_query *subs[2] = {t, NULL};
    q = (msx_query *)f;
    assert_int_equal(msx_query_combine(MSX_OP_AND, subs, 2, 0, &q, &err), MSX_INVALID);
    assert_null(q);
    assert_non_null(strstr(err.msg, "NULL"));
    subs[1] = t;
    assert_int_equal(msx_query_combine((msx_op)(MSX_OP_ELITE_SET + 1), subs, 2, 0, &q, &err),
                     MSX_INVALID);
    assert_int_equal(msx_query_combine((msx_op)(MSX_OP_ELITE_SET + 1), subs, 0, 0, &q, &err),
                     MSX_INVALID);
    assert_int_equal(msx_query_combine(MSX_OP_AND, subs, 2, 3, &q, &err), MSX_INVALID);
    msx_query_free(t);
    msx_query_free(NULL);

    /* An enquire without a query matches nothing. */
    msx_enquire *enq = NULL;
    msx_mset *m = NULL;
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_get_mset(enq, 0, 10, 0, &m, &err));
    assert_int_equal(msx_mset_size(m), 0);
    msx_mset_free(m);
    msx_enquire_free(enq);
    msx_enquire_free(NULL);
    msx_mset_free(NULL);
    msx_db_free(db);
}

static void test_bm25(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "dose a b c");
    add_text(w, "2", "dose dose dose a");
    add_text(w, "3", "dose a b c d e f g");
    add_text(w, "4", "other");
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_enquire *enq = NULL;
    msx_query *q = term("dose");
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    msx_query_free(q);

    double wt[3][5];
    const double params[3][5] = {{1, 0, 1, 0.5, 0.5}, {0, 0, 1, 0.5, 0.5}, {1, 0, 1, 0, 0.5}};
    for (int run = 0; run < 3; run++) {
        if (run > 0)
            OK(msx_enquire_set_bm25(enq, params[run][0], params[run][1], params[run][2],
                                    params[run][3], params[run][4], &err));
        msx_mset *m = NULL;
        OK(msx_enquire_get_mset(enq, 0, 10, 0, &m, &err));
        assert_int_equal(msx_mset_size(m), 3);
        for (unsigned i = 0; i < 3; i++)
            wt[run][msx_mset_docid(m, i)] = msx_mset_weight(m, i);
        msx_mset_free(m);
    }
    /* Default: more occurrences and shorter documents weigh more. */
    assert_true(wt[0][2] > wt[0][1] + 1e-6);
    assert_true(wt[0][1] > wt[0][3] + 1e-6);
    /* k1 = 0 ignores the within-document frequency. */
    assert_true(fabs(wt[1][2] - wt[1][1]) < 1e-9);
    /* b = 0 ignores the document length. */
    assert_true(fabs(wt[2][1] - wt[2][3]) < 1e-9);
    assert_true(wt[2][2] > wt[2][1] + 1e-6);

    msx_enquire_free(enq);
    msx_db_free(db);
}

static void test_collapse(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    const char *vals[] = {"A", "A", "B", "A"};
    for (int i = 0; i < 4; i++) {
        msx_doc *doc = text_doc("d", "x");
        OK(msx_doc_set_value(doc, 1, vals[i], 1, &err));
        OK(msx_wdb_add_document(w, doc, NULL, &err));
        msx_doc_free(doc);
    }
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_enquire *enq = NULL;
    msx_query *q = term("x");
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    msx_query_free(q);

    const unsigned cases[][3] = {{1, 1, 2}, {1, 2, 3}, {1, 3, 4}, {1, 0, 4}, {2, 1, 4}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        OK(msx_enquire_set_collapse(enq, cases[k][0], cases[k][1], &err));
        msx_mset *m = NULL;
        OK(msx_enquire_get_mset(enq, 0, 10, 0, &m, &err));
        assert_int_equal(msx_mset_size(m), cases[k][2]);
        msx_mset_free(m);
    }

    OK(msx_enquire_set_collapse(enq, 1, 1, &err));
    msx_mset *m = NULL;
    OK(msx_enquire_get_mset(enq, 0, 10, 0, &m, &err));
    char seen[3] = {0};
    for (unsigned i = 0; i < 2; i++) {
        msx_doc *doc = NULL;
        char *v = NULL;
        OK(msx_mset_document(m, i, &doc, &err));
        OK(msx_doc_get_value(doc, 1, &v, NULL, &err));
        seen[i] = v[0];
        free(v);
        msx_doc_free(doc);
    }
    assert_true((seen[0] == 'A' && seen[1] == 'B') || (seen[0] == 'B' && seen[1] == 'A'));
    msx_mset_free(m);
    msx_enquire_free(enq);
    msx_db_free(db);
}

static void test_ties_by_value(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    /* Four documents of equal weight, and one that outweighs them all. */
    const char *vals[] = {"c", "a", "d", "b"};
    for (int i = 0; i < 4; i++) {
        msx_doc *doc = text_doc("tie", "x y");
        OK(msx_doc_set_value(doc, 1, vals[i], 1, &err));
        OK(msx_wdb_add_document(w, doc, NULL, &err));
        msx_doc_free(doc);
    }
    msx_doc *doc = text_doc("heavy", "x x");
    OK(msx_doc_set_value(doc, 1, "z", 1, &err));
    OK(msx_wdb_add_document(w, doc, NULL, &err));
    msx_doc_free(doc);
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_enquire *enq = NULL;
    msx_query *q = term("x");
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    msx_query_free(q);

    /* Xapian breaks ties by docid; by value, they come in value order, and
     * the heavier document still comes first. */
    for (int by_value = 0; by_value < 2; by_value++) {
        if (by_value)
            OK(msx_enquire_set_ties_by_value(enq, 1, &err));
        msx_mset *m = NULL;
        OK(msx_enquire_get_mset(enq, 0, 10, 0, &m, &err));
        char order[16] = {0};
        assert_int_equal(msx_mset_size(m), 5);
        for (unsigned i = 0; i < 5; i++)
            order[i] = (char)('0' + msx_mset_docid(m, i));
        assert_string_equal(order, by_value ? "52413" : "51234");
        msx_mset_free(m);
    }
    msx_enquire_free(enq);
    msx_db_free(db);
}

static void test_mset(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "doc1", "pain");
    add_text(w, "doc2", "pain pain pain other");
    add_text(w, "doc3", "pain a b c d e");
    add_text(w, "doc4", "pain pain other");
    add_text(w, "doc5", "pain a b");
    for (int i = 0; i < 200; i++)
        add_text(w, "filler", i % 2 ? (i % 3 ? "odd" : "odd third") : (i % 3 ? "" : "third"));
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_query *q = term("pain");
    msx_mset *m = run_query(db, q, 0, 10);
    assert_int_equal(msx_mset_size(m), 5);
    assert_int_equal(msx_mset_estimated(m), 5);
    unsigned seen = 0;
    for (unsigned i = 0; i < 5; i++) {
        msx_docid id = msx_mset_docid(m, i);
        assert_in_range(id, 1, 5);
        seen |= BIT(id);
        if (i > 0)
            assert_true(msx_mset_weight(m, i - 1) >= msx_mset_weight(m, i));
        /* Item i's document is the one with docid id. */
        char want[8];
        msx_doc *doc = NULL;
        OK(msx_mset_document(m, i, &doc, &err));
        snprintf(want, sizeof want, "doc%u", id);
        assert_label(doc, want);
        msx_doc_free(doc);
    }
    assert_int_equal(seen, BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(5));
    assert_int_equal(msx_mset_docid(m, 0), 2);
    assert_true(msx_mset_weight(m, 0) > msx_mset_weight(m, 4));

    msx_doc *doc = NULL;
    OK(msx_mset_document(m, 0, &doc, &err));
    assert_label(doc, "doc2");
    msx_doc_free(doc);

    assert_int_equal(msx_mset_docid(m, 5), 0);
    assert_true(msx_mset_weight(m, 5) == 0.0);
    doc = (msx_doc *)f;
    assert_int_equal(msx_mset_document(m, 5, &doc, &err), MSX_INVALID);
    assert_null(doc);

    msx_mset *page = run_query(db, q, 1, 2);
    assert_int_equal(msx_mset_size(page), 2);
    assert_int_equal(msx_mset_docid(page, 0), msx_mset_docid(m, 1));
    assert_int_equal(msx_mset_docid(page, 1), msx_mset_docid(m, 2));
    msx_mset_free(page);
    msx_mset_free(m);
    msx_query_free(q);

    /* checkatleast makes the estimate exact: 33 documents have both terms. */
    msx_enquire *enq = NULL;
    q = combine2(MSX_OP_AND, term("odd"), term("third"), 0);
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    msx_query_free(q);
    OK(msx_enquire_get_mset(enq, 0, 1, 200, &m, &err));
    assert_int_equal(msx_mset_size(m), 1);
    assert_int_equal(msx_mset_estimated(m), 33);
    msx_mset_free(m);
    msx_enquire_free(enq);
    msx_db_free(db);
}

static void test_matching_terms(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_wdb *w = open_writer(PATH("db"));
    add_text(w, "1", "alpha mid zeta");
    add_text(w, "2", "alpha");
    OK(msx_wdb_close(w, &err));
    msx_db *db = open_reader(PATH("db"));

    msx_query *subs[3] = {msx_query_term("zeta", 4, 1, 1), msx_query_term("mid", 3, 1, 2),
                          msx_query_term("alpha", 5, 1, 3)},
              *q = NULL;
    OK(msx_query_combine(MSX_OP_OR, subs, 3, 0, &q, &err));
    for (int i = 0; i < 3; i++)
        msx_query_free(subs[i]);
    msx_enquire *enq = NULL;
    OK(msx_enquire_new(db, &enq, &err));
    OK(msx_enquire_set_query(enq, q, &err));
    msx_query_free(q);

    collector c = {0};
    OK(msx_enquire_matching_terms(enq, 1, collect_plain, &c, &err));
    assert_string_equal(c.buf, "zeta mid alpha ");
    c = (collector){0};
    OK(msx_enquire_matching_terms(enq, 2, collect_plain, &c, &err));
    assert_string_equal(c.buf, "alpha ");
    c = (collector){.limit = 1};
    OK(msx_enquire_matching_terms(enq, 1, collect_plain, &c, &err));
    assert_string_equal(c.buf, "zeta ");
    msx_enquire_free(enq);
    msx_db_free(db);
}

/* Two databases: "a" with two documents, "b" with three. */
static void make_two_dbs(fixture *f)
{
    msx_error err;
    msx_wdb *w = open_writer(PATH("a"));
    add_text(w, "a1", "shared onlya");
    add_text(w, "a2", "shared onlya");
    OK(msx_wdb_close(w, &err));
    w = open_writer(PATH("b"));
    add_text(w, "b1", "shared onlyb");
    add_text(w, "b2", "shared onlyb");
    add_text(w, "b3", "shared onlyb");
    OK(msx_wdb_close(w, &err));
}

static void assert_combined(const msx_db *db)
{
    msx_error err;
    unsigned n = 0;
    OK(msx_db_doccount(db, &n, &err));
    assert_int_equal(n, 5);
    OK(msx_db_termfreq(db, "shared", 6, &n, &err));
    assert_int_equal(n, 5);
    OK(msx_db_termfreq(db, "onlya", 5, &n, &err));
    assert_int_equal(n, 2);
    OK(msx_db_termfreq(db, "onlyb", 5, &n, &err));
    assert_int_equal(n, 3);
}

static void test_compact(void **state)
{
    fixture *f = *state;
    msx_error err;
    make_two_dbs(f);

    const char *srcs[2] = {PATH("a"), PATH("b")};
    OK(msx_compact(srcs, 2, PATH("out"), &err));
    struct stat st;
    assert_int_equal(stat(PATH("out"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    msx_db *db = open_reader(PATH("out"));
    assert_combined(db);
    msx_db_free(db);

    assert_int_equal(msx_compact(srcs, 0, PATH("out2"), &err), MSX_INVALID);
    srcs[1] = PATH("missing");
    assert_int_equal(msx_compact(srcs, 2, PATH("out3"), &err), MSX_NOT_FOUND);
}

static void test_stub_and_add(void **state)
{
    fixture *f = *state;
    msx_error err;
    make_two_dbs(f);

    char stub[600];
    snprintf(stub, sizeof stub, "auto %s\nauto %s\n", PATH("a"), PATH("b"));
    write_file(PATH("stub"), stub);
    msx_db *db = open_reader(PATH("stub"));
    assert_combined(db);
    msx_db_free(db);

    db = open_reader(PATH("a"));
    msx_db *b = open_reader(PATH("b"));
    OK(msx_db_add(db, b, &err));
    msx_db_free(b);
    assert_combined(db);
    assert_int_equal(msx_db_add(db, db, &err), MSX_INVALID);
    msx_db_free(db);
}

static void test_remote_shard(void **state)
{
    fixture *f = *state;
    if (!have_progsrv())
        skip();
    make_two_dbs(f);

    char stub[600];
    snprintf(stub, sizeof stub, "auto %s\nremote :xapian-progsrv %s\n", PATH("a"), PATH("b"));
    write_file(PATH("stub"), stub);
    msx_db *db = open_reader(PATH("stub"));
    assert_combined(db);
    msx_db_free(db);
}

static void test_remote_tcp(void **state)
{
    fixture *f = *state;
    msx_error err;
    msx_db *db = (msx_db *)f;

    /* Nobody listening: a network error, and no handle. */
    assert_int_equal(msx_db_open_remote("127.0.0.1", free_port(), 2000, &db, &err), MSX_NETWORK);
    assert_null(db);
    assert_int_equal(err.status, MSX_NETWORK);
    assert_non_null(strstr(err.type, "NetworkError"));

    if (!have_tcpsrv())
        skip();
    make_two_dbs(f);
    /* One connection, then the server exits (timeout bounds it if we never
     * connect). */
    unsigned port = free_port();
    char cmd[700];
    snprintf(cmd, sizeof cmd,
             "timeout 30 xapian-tcpsrv --one-shot --quiet --interface 127.0.0.1 --port %u %s "
             ">/dev/null 2>&1 &",
             port, PATH("b"));
    assert_int_equal(system(cmd), 0);
    msx_status st = MSX_NETWORK;
    for (int tries = 0; st == MSX_NETWORK && tries < 100; tries++) {
        nanosleep(&(struct timespec){.tv_nsec = 50 * 1000 * 1000}, NULL);
        st = msx_db_open_remote("127.0.0.1", port, 2000, &db, &err);
    }
    check_ok(st, &err, "msx_db_open_remote");

    unsigned n = 0;
    OK(msx_db_doccount(db, &n, &err));
    assert_int_equal(n, 3);
    OK(msx_db_termfreq(db, "onlyb", 5, &n, &err));
    assert_int_equal(n, 3);
    OK(msx_db_termfreq(db, "onlya", 5, &n, &err));
    assert_int_equal(n, 0);

    /* A remote database joins a local one as another shard. */
    msx_db *all = open_reader(PATH("a"));
    OK(msx_db_add(all, db, &err));
    msx_db_free(db);
    assert_combined(all);
    msx_db_free(all);
}

static void test_stemmer(void **state)
{
    (void)state;
    msx_error err;
    msx_stem *st = NULL;
    char out[64];

    OK(msx_stem_new("english", &st, &err));
    assert_int_equal(msx_stem_apply(st, "running", 7, out, sizeof out), 3);
    assert_string_equal(out, "run");
    assert_int_equal(msx_stem_apply(st, "internationalization", 20, out, sizeof out), 11);
    assert_string_equal(out, "internation");
    assert_int_equal(msx_stem_apply(st, "cats and dogs", 4, out, sizeof out), 3);
    assert_string_equal(out, "cat");
    assert_int_equal(msx_stem_apply(st, "", 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(msx_stem_apply(st, "running", 7, out, 4), 3);
    assert_int_equal(msx_stem_apply(st, "running", 7, out, 3), SIZE_MAX);
    msx_stem_free(st);

    OK(msx_stem_new("fr", &st, &err));
    assert_int_equal(msx_stem_apply(st, "chevaux", 7, out, sizeof out), 6);
    assert_string_equal(out, "cheval");
    msx_stem_free(st);

    OK(msx_stem_new("none", &st, &err));
    assert_int_equal(msx_stem_apply(st, "Running", 7, out, sizeof out), 7);
    assert_string_equal(out, "Running");
    assert_int_equal(msx_stem_apply(st, "Running", 7, out, 7), SIZE_MAX);
    msx_stem_free(st);
    msx_stem_free(NULL);

    st = (msx_stem *)&err;
    assert_int_equal(msx_stem_new("klingon", &st, &err), MSX_INVALID);
    assert_null(st);
    assert_int_equal(err.status, MSX_INVALID);
    assert_string_equal(err.type, "InvalidArgumentError");
    assert_non_null(strstr(err.msg, "klingon"));

    const char *langs = msx_stem_languages();
    assert_non_null(strstr(langs, "english"));
    assert_non_null(strstr(langs, "french"));
    assert_ptr_equal(msx_stem_languages(), langs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
        cmocka_unit_test(test_document),
        cmocka_unit_test_setup_teardown(test_write_and_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_and_free, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_by_term, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allterms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positional_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boolean_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_query_misc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bm25, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collapse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties_by_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matching_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stub_and_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_shard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_tcp, setup, teardown),
        cmocka_unit_test(test_stemmer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
