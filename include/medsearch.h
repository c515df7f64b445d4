/*
 * medsearch.h - the library of medsearch, for programs of your own.
 *
 * medsearch indexes health articles (plain text, Markdown, HTML) as
 * passages and answers queries with ranked, highlighted passages. This is
 * its one installed header: the indexer (ms_index_update), the searcher
 * (ms_db_open, ms_db_search, the ms_hits_* accessors) and the analyzer that
 * both share (ms_analyzer_new, ms_analyze). medindex and medquery are built
 * on the same code.
 *
 * Conventions, as for every function below:
 *  - Handles (ms_db, ms_hits, ms_analyzer) are opaque; each has one
 *    function that frees it, which accepts NULL.
 *  - A function that can fail takes an ms_error *err last. On failure it
 *    returns -1 or NULL and fills *err (when err is not NULL) with a code
 *    and a one-line message fit to print after a program's name. Nothing is
 *    allocated on failure.
 *  - Strings returned by an accessor belong to the handle and live until it
 *    is freed; NULL is never returned where a string is documented.
 *  - Nothing here is thread-safe on one handle: give each thread its own
 *    ms_db and ms_analyzer.
 *
 * Link with `pkg-config --cflags --libs --static medsearch`. The lexicon of
 * drugs, symptoms and conditions is read at run time from the installed
 * lexicon folder, or from $MEDSEARCH_LEXICON, or from the lexicon_dir the
 * options name.
 */
#ifndef MEDSEARCH_H
#define MEDSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MS_PUBLIC __attribute__((visibility("default")))

/* ---- errors ---- */

typedef enum ms_errcode {
    MS_OK = 0,
    MS_EUSAGE,  /* bad arguments or query syntax in strict mode */
    MS_EIO,     /* a file could not be read or written */
    MS_EFORMAT, /* malformed input (lexicon line, article, settings) */
    MS_EINDEX,  /* the index: missing, locked, corrupt, other settings */
    MS_ELOCKED, /* another indexer holds the write lock */
    MS_ENOMEM,  /* out of memory */
    MS_ESHARD,  /* a shard could not be reached */
    MS_ECHANGED /* the index changed while it was read: open it again and retry */
} ms_errcode;

typedef struct ms_error {
    ms_errcode code;
    char msg[1200]; /* "FILE:LINE: what is wrong" or "what is wrong" */
} ms_error;

/* The version of the library, as "0.1.0". */
MS_PUBLIC const char *ms_version(void);

/* ---- indexing ---- */

typedef struct ms_index_options {
    const char *lexicon_dir; /* NULL: $MEDSEARCH_LEXICON, else the installed lexicon */
    const char *language;    /* Snowball stemming language; NULL: "english" */
    unsigned jobs;           /* processes that read the corpus; 0: 1 */
    int rebuild;             /* build afresh; readers see the old index until done */
} ms_index_options;

typedef struct ms_index_summary {
    size_t files_indexed, files_unchanged, files_removed, files_failed;
    size_t passages_added, passages_removed;
} ms_index_summary;

/* Bring the index at db_path (created if missing) up to date with the
 * articles under corpus_dir: new and changed files are read, vanished ones
 * removed. opts may be NULL (the defaults); summary may be NULL. Returns 0,
 * also when some files failed (summary->files_failed counts them), or -1
 * when the run could not be made (err: MS_EIO for an unreadable corpus,
 * MS_ELOCKED when another indexer writes, MS_EINDEX, MS_EUSAGE). */
MS_PUBLIC int ms_index_update(const char *db_path, const char *corpus_dir,
                              const ms_index_options *opts, ms_index_summary *summary,
                              ms_error *err);

/* ---- searching ---- */

typedef struct ms_db ms_db;
typedef struct ms_hits ms_hits;

/* Open the index at path (as medindex wrote it, or a stub naming shards)
 * for searching, with the lexicon of lexicon_dir (NULL: $MEDSEARCH_LEXICON,
 * else the installed one). Returns the handle (free with ms_db_close), or
 * NULL (err: MS_EINDEX when path is no index or was built with other
 * settings, MS_ESHARD when a shard cannot be reached). */
MS_PUBLIC ms_db *ms_db_open(const char *path, const char *lexicon_dir, ms_error *err);
MS_PUBLIC void ms_db_close(ms_db *db);

typedef struct ms_search_options {
    unsigned limit;         /* results to return */
    unsigned offset;        /* results to skip (paging) */
    unsigned per_article;   /* at most this many passages per article; 0: no limit */
    unsigned snippet_words; /* snippet length in words */
    int no_expand;          /* do not expand drugs, symptoms and conditions */
    int no_spelling;        /* do not correct words the index does not know */
} ms_search_options;

/* The defaults of medquery: 10 results, no offset, 30-word snippets. */
MS_PUBLIC void ms_search_options_init(ms_search_options *o);

/* Answer query (words, "phrases", AND OR NOT NEAR, field:word, or a pasted
 * question) with opts (NULL: the defaults). Returns the results (free with
 * ms_hits_free; none found is a result with count 0), or NULL (err:
 * MS_EUSAGE for a query too long, MS_ESHARD, MS_EINDEX). */
MS_PUBLIC ms_hits *ms_db_search(ms_db *db, const char *query, const ms_search_options *opts,
                                ms_error *err);

/* How many results the handle holds (at most opts->limit). */
MS_PUBLIC size_t ms_hits_count(const ms_hits *h);
/* Xapian's estimate of how many passages match in all. */
MS_PUBLIC size_t ms_hits_estimated(const ms_hits *h);
/* The query as corrected by spelling, or NULL when nothing was corrected. */
MS_PUBLIC const char *ms_hits_corrected(const ms_hits *h);

/* Result i (0 <= i < ms_hits_count): the article's file, relative to the
 * corpus; its title; the section heading of the passage ("" when none); its
 * score; the passage's byte range [start, end) in the file; and its snippet
 * (UTF-8, len bytes, the matched words not marked). */
MS_PUBLIC const char *ms_hits_path(const ms_hits *h, size_t i);
MS_PUBLIC const char *ms_hits_title(const ms_hits *h, size_t i);
MS_PUBLIC const char *ms_hits_section(const ms_hits *h, size_t i);
MS_PUBLIC double ms_hits_score(const ms_hits *h, size_t i);
MS_PUBLIC void ms_hits_span(const ms_hits *h, size_t i, size_t *start, size_t *end);
MS_PUBLIC const char *ms_hits_snippet(const ms_hits *h, size_t i, size_t *len);
MS_PUBLIC void ms_hits_free(ms_hits *h);

/* ---- text analysis: the words as the index holds them ---- */

#define MS_TERM_MAX 64

enum {
    MS_TOK_NUMBER = 1, /* digits, maybe with . , % */
    MS_TOK_CJK = 2,    /* a CJK bigram or single character */
    MS_TOK_ALT = 4,    /* an alternative form at the previous primary token's position */
    MS_TOK_JOINED = 8, /* a part of a hyphenated or number+unit group */
    MS_TOK_CAPS = 16   /* a word of 2 to 6 ASCII letters written in capitals: an abbreviation */
};

typedef struct ms_token {
    uint32_t off;   /* term bytes at tokens->buf + off, NUL-terminated */
    uint16_t len;   /* term length in bytes */
    uint16_t flags; /* MS_TOK_* */
    uint32_t pos;   /* term position (primary tokens count up from first_pos) */
    size_t start;   /* byte span in the original text */
    size_t end;
} ms_token;

/* A list of tokens and their terms: zero it with ms_tokens_init, free it
 * with ms_tokens_free. */
typedef struct ms_tokens {
    ms_token *v;
    size_t n, cap;
    char *buf; /* term bytes */
    size_t blen, bcap;
    size_t invalid_bytes; /* invalid UTF-8 bytes skipped */
    size_t capped;        /* terms cut to MS_TERM_MAX */
} ms_tokens;

static inline const char *ms_token_term(const ms_tokens *t, const ms_token *k)
{
    return t->buf + k->off;
}

MS_PUBLIC void ms_tokens_init(ms_tokens *t);
MS_PUBLIC void ms_tokens_reset(ms_tokens *t); /* empty, keeping the memory */
MS_PUBLIC void ms_tokens_free(ms_tokens *t);

typedef struct ms_analyzer ms_analyzer;

typedef struct ms_analyzer_opts {
    const char *language; /* Snowball language; NULL: "english"; "none": no stemming */
    int keep_accents;     /* 0 (default): fold accents so `sjögren` = `sjogren` */
} ms_analyzer_opts;

/* An analyzer (opts may be NULL: english, accents folded); NULL with err
 * (MS_EUSAGE naming the known languages) for an unknown language. */
MS_PUBLIC ms_analyzer *ms_analyzer_new(const ms_analyzer_opts *opts, ms_error *err);
MS_PUBLIC void ms_analyzer_free(ms_analyzer *a);

/* Append the tokens of text[0..len) to out; primary tokens get positions
 * first_pos, first_pos + 1, ... Returns the position after the last one.
 * Never fails: out of memory aborts. */
MS_PUBLIC uint32_t ms_analyze(ms_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                              ms_tokens *out);

/* Fold one word as the analyzer does (case, accents) into out (capacity
 * cap, not NUL-terminated); returns its length. */
MS_PUBLIC size_t ms_analyzer_fold(ms_analyzer *a, const char *word, size_t len, char *out,
                                  size_t cap);

/* The stem of a folded term into out (capacity cap, NUL-terminated);
 * returns its length. */
MS_PUBLIC size_t ms_analyzer_stem(ms_analyzer *a, const char *term, size_t len, char *out,
                                  size_t cap);

#ifdef __cplusplus
}
#endif

#endif
