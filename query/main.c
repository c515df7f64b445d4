/*
 * medquery - search a medsearch index. Options, the batch loop and exit
 * codes; everything else is in libmedsearch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "medsearch/cli.h"
#include "medsearch/output.h"
#include "medsearch/search.h"

enum {
    O_DB = 1,
    O_LIMIT,
    O_OFFSET,
    O_FORMAT,
    O_BATCH,
    O_PER_ARTICLE,
    O_SNIPPET_WORDS,
    O_COLOR,
    O_NO_EXPAND,
    O_NO_SPELLING,
    O_STRICT,
    O_FACETS,
    O_EXPLAIN,
    O_TIMINGS,
    O_LEXICON,
    O_LEXICON_DIR,
    O_K1,
    O_B,
    O_ALLOW_PARTIAL,
};

static const ms_flag flags[] = {
    {O_DB, 0, "db", "PATH", "index to search (default $MEDSEARCH_DB, else ./medsearch.db)", NULL},
    {O_LIMIT, 'n', "limit", "N", "show at most N results (default 10)", NULL},
    {O_OFFSET, 0, "offset", "N", "skip the first N results", NULL},
    {O_FORMAT, 'f', "format", "FORMAT", "output format: text, json, tsv or trec",
     "text json tsv trec"},
    {O_BATCH, 0, "batch", "FILE",
     "read one query per line from FILE (- for stdin), "
     "optionally as qid<TAB>query",
     NULL},
    {O_PER_ARTICLE, 0, "per-article", "N",
     "at most N passages per article (default 0: no limit, best on the dev set)", NULL},
    {O_SNIPPET_WORDS, 0, "snippet-words", "N", "snippet length in words (default 30)", NULL},
    {O_COLOR, 0, "color", "WHEN", "highlight in bold: auto, always or never (NO_COLOR is honoured)",
     "auto always never"},
    {O_NO_EXPAND, 0, "no-expand", NULL, "do not expand drugs, symptoms and conditions to synonyms",
     NULL},
    {O_NO_SPELLING, 0, "no-spelling", NULL, "do not correct words the index does not know", NULL},
    {O_STRICT, 0, "strict", NULL,
     "report query syntax errors (exit 2) instead of reading the "
     "query as plain words",
     NULL},
    {O_FACETS, 0, "facets", "KINDS",
     "count the drugs, symptoms and conditions among the top 100 "
     "matches (comma-separated kinds)",
     "drug symptom condition"},
    {O_TIMINGS, 0, "timings", NULL,
     "report each query's time: time_ms in JSON results, a line on stderr otherwise", NULL},
    {O_EXPLAIN, 0, "explain", NULL,
     "print how the query was read and which terms each result "
     "matched (on stderr)",
     NULL},
    {O_LEXICON, 0, "lexicon", "FILE",
     "also load this lexicon file (repeatable; must match the "
     "index)",
     NULL},
    {O_LEXICON_DIR, 0, "lexicon-dir", "DIR",
     "lexicon directory (default $MEDSEARCH_LEXICON, else "
     "the installed one)",
     NULL},
    {O_K1, 0, "k1", "X", "BM25 k1 (default 2.0, tuned on the dev set)", NULL},
    {O_B, 0, "b", "X", "BM25 b (default 0.6, tuned on the dev set)", NULL},
    {O_ALLOW_PARTIAL, 0, "allow-partial", NULL,
     "when a shard cannot be reached, answer from the others (and say so)", NULL},
    MS_STANDARD_FLAGS,
};

static const ms_man_section sections[] = {
    {"QUERY SYNTAX",
     "Plain words are searched together, ranked with BM25; stopwords and filler are ignored "
     "outside phrases, and a pasted question works as it is.\n"
     "\n"
     "  \"exact phrase\"      words in this order, unstemmed\n"
     "  a AND b, a OR b    both / either (operators in capitals)\n"
     "  a NOT b, -b        without b\n"
     "  +a                 a is required\n"
     "  ( ... )            grouping\n"
     "  a NEAR/5 b         a within 5 words of b (NEAR alone: 10)\n"
     "  title:word         in the article title\n"
     "  section:word       in the section heading\n"
     "  source:name        only articles from this source\n"
     "  drug:name          passages naming the drug (brands map to generics)\n"
     "  symptom:name       passages naming the symptom (lay or medical word)\n"
     "  condition:name     passages naming the condition\n"
     "  loratad*           words starting with loratad\n"
     "\n"
     "Operators count only where they are meant: a query that reads as a sentence or a "
     "question (\"I do NOT have a fever\") treats them as words, and malformed syntax is read "
     "as plain words unless --strict is given. Drugs, symptoms and conditions expand to their "
     "synonyms and brands at a lower weight (--no-expand turns this off). A word the index "
     "does not know is also searched as its closest known word, with a \"did you mean\" note."},
    {"OUTPUT FORMATS",
     "text: rank, title and section, path:line, score and a snippet with matches in bold "
     "(on a terminal).\n"
     "\n"
     "json: JSON Lines, one object per result with qid, rank, score, path, article, title, "
     "section, start and end (byte offsets of the passage in the file), line, snippet, "
     "highlights (byte ranges [start, end) in the snippet), entities (objects with type and "
     "name), and source, url, date, author when known, did_you_mean when a word was "
     "corrected. With --facets, one more object per query: {\"qid\", \"facets\": {kind: "
     "[{\"name\", \"count\"}]}}.\n"
     "\n"
     "tsv: a header line, then qid, rank, score, path, article, title, section, start, end, "
     "line, snippet.\n"
     "\n"
     "trec: qid Q0 path:start rank score medsearch."},
    {"FILES", "The index (--db): a Xapian database directory written by medindex, or a sharded "
              "index (a directory with a XAPIANDB stub), or a stub file listing shards as \"auto "
              "PATH\" or \"remote HOST:PORT\" lines.\n"
              "\n"
              "The lexicon: every *.tsv file of the lexicon directory (--lexicon-dir, "
              "MEDSEARCH_LEXICON, else share/medsearch/lexicon beside the program). It must be the "
              "one the index was built with."},
    {"ENVIRONMENT", "MEDSEARCH_DB: the index when --db is not given.\n"
                    "MEDSEARCH_LEXICON: the lexicon directory when --lexicon-dir is not given.\n"
                    "NO_COLOR: when set, no colour unless --color always."},
    {"EXIT STATUS", "0: results were found\n1: nothing was found\n2: an error"},
};

static const ms_cli cli = {
    "medquery",
    "[OPTION]... QUERY...",
    "search medical articles indexed by medindex",
    "medquery searches an index built by medindex and prints the best-matching passages, "
    "best first, with snippets that show why they matched. Give a query as arguments, or "
    "many with --batch.",
    flags,
    sizeof flags / sizeof *flags,
    sections,
    sizeof sections / sizeof *sections};

typedef struct conf {
    const char *db;
    ms_search_opts so;
    ms_writer w;
    const char *batch;
    int explain;
    int timings;
    ms_env_opts eo;
} conf;

static int parse_uint(const char *s, const char *what, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v > max || s[0] == '-') {
        ms_cli_error(&cli, "%s must be a whole number from 0 to %u, not '%s'", what, max, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

static int parse_double(const char *s, const char *what, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || v < 0 || v > 100) {
        ms_cli_error(&cli, "%s must be a number from 0 to 100, not '%s'", what, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Run one query; returns 0 found, 1 none, 2 error in this query (reported),
 * 3 an error of the index or a shard, which later queries would meet too. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int one(ms_searcher *s, conf *c, const char *qid, const char *q, const char *where)
{
    ms_results r;
    ms_error err;
    double t0 = now_ms();
    int rc = ms_search(s, q, &c->so, &r, &err);
    c->w.time_ms = c->timings ? now_ms() - t0 : -1;
    if (c->timings && c->w.fmt != MS_OUT_JSON)
        fprintf(stderr, "%s: query %s took %.3f ms\n", cli.prog, qid, c->w.time_ms);
    if (rc < 0) {
        if (where)
            ms_cli_error(&cli, "%s: %s", where, err.msg);
        else
            ms_cli_error(&cli, "%s", err.msg);
        return err.code == MS_EINDEX || err.code == MS_ESHARD ? 3 : 2;
    }
    if (r.info.did_you_mean)
        fprintf(stderr, "%s: did you mean: %s\n", cli.prog, r.info.did_you_mean);
    if (c->explain) {
        fprintf(stderr, "%s: query %s read as %s%s\n", cli.prog, qid,
                r.info.natural ? "a question" : "keywords/operators",
                r.info.fallback ? " (syntax error: plain words)" : "");
        if (r.info.qtype)
            fprintf(stderr, "%s: question type: %s\n", cli.prog, r.info.qtype);
        for (size_t i = 0; i < r.info.n_ents; i++)
            fprintf(stderr, "%s: entity: %s %s\n", cli.prog, ms_entkind_name(r.info.ents[i].kind),
                    r.info.ents[i].name);
        if (r.explain_query)
            fprintf(stderr, "%s: xapian query: %s\n", cli.prog, r.explain_query);
        for (size_t i = 0; i < r.n; i++)
            fprintf(stderr, "%s: #%u score %.4f matched: %s\n", cli.prog, r.hits[i].rank,
                    r.hits[i].score, r.hits[i].explain ? r.hits[i].explain : "");
    }
    ms_write_results(&c->w, qid, &r);
    int found = r.n > 0;
    ms_results_free(&r);
    return found ? 0 : 1;
}

static int run_batch(ms_searcher *s, conf *c)
{
    FILE *in = strcmp(c->batch, "-") == 0 ? stdin : fopen(c->batch, "r");
    if (!in) {
        ms_cli_error(&cli, "%s: cannot open batch file", c->batch);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int any = 0, errors = 0, fatal = 0;
    const char *name = in == stdin ? "stdin" : c->batch;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char where[512];
        snprintf(where, sizeof where, "%s:%u", name, lineno);
        if ((size_t)n != strlen(line)) {
            ms_cli_error(&cli, "%s: NUL byte in query, line skipped", where);
            errors++;
            continue;
        }
        if (n == 0)
            continue;
        char qid[64];
        const char *q = line;
        char *tab = strchr(line, '\t');
        if (tab) {
            *tab = '\0';
            snprintf(qid, sizeof qid, "%s", line);
            q = tab + 1;
        } else {
            snprintf(qid, sizeof qid, "%u", lineno);
        }
        int rc = one(s, c, qid, q, where);
        if (rc == 0)
            any = 1;
        else if (rc == 2)
            errors++;
        else if (rc == 3)
            fatal = 1;
        fflush(c->w.f);
    }
    free(line);
    if (in != stdin)
        fclose(in);
    /* like grep: 2 when the index failed; a malformed line only when nothing
     * was found either */
    return fatal || (errors && !any) ? 2 : any ? 0 : 1;
}

/* Per-argument arrays, owned by main so that every return of run frees them. */
typedef struct bufs {
    ms_opt *opts;
    char **args;
    const char **lexfiles;
} bufs;

static int run(int argc, char **argv, bufs *b)
{
    ms_opt *opts = b->opts;
    char **args = b->args;
    const char **lexfiles = b->lexfiles;
    size_t n_opts, n_args;
    if (ms_cli_parse(&cli, argc, argv, opts, &n_opts, args, &n_args) < 0)
        return 2;
    conf c = {0};
    ms_search_opts_default(&c.so);
    c.db = getenv("MEDSEARCH_DB");
    if (!c.db || !*c.db)
        c.db = "medsearch.db";
    c.w.f = stdout;
    c.eo.lexicon_files = lexfiles;
    const char *color = "auto";
    int allow_partial = 0;
    int rc = 0;
    for (size_t i = 0; i < n_opts && rc == 0; i++) {
        const char *a = opts[i].arg;
        int std =
            ms_cli_standard(&cli, &opts[i], "drug: symptom: condition: title: section: source:");
        if (std >= 0)
            return std;
        switch (opts[i].id) {
        case O_DB:
            c.db = a;
            break;
        case O_LIMIT:
            rc = parse_uint(a, "--limit", 10000, &c.so.limit);
            break;
        case O_OFFSET:
            rc = parse_uint(a, "--offset", 1000000, &c.so.offset);
            break;
        case O_FORMAT: {
            int f = ms_outfmt_from_name(a);
            if (f < 0) {
                ms_cli_error(&cli, "unknown format '%s' (text, json, tsv, trec)", a);
                rc = -1;
            }
            c.w.fmt = (ms_outfmt)f;
            break;
        }
        case O_BATCH:
            c.batch = a;
            break;
        case O_PER_ARTICLE:
            rc = parse_uint(a, "--per-article", 10000, &c.so.per_article);
            break;
        case O_SNIPPET_WORDS:
            rc = parse_uint(a, "--snippet-words", 1000, &c.so.snippet_words);
            if (rc == 0 && c.so.snippet_words == 0) {
                ms_cli_error(&cli, "--snippet-words must be at least 1");
                rc = -1;
            }
            break;
        case O_COLOR:
            if (strcmp(a, "auto") && strcmp(a, "always") && strcmp(a, "never")) {
                ms_cli_error(&cli, "--color takes auto, always or never, not '%s'", a);
                rc = -1;
            }
            color = a;
            break;
        case O_NO_EXPAND:
            c.so.q.expand = 0;
            break;
        case O_NO_SPELLING:
            c.so.q.spelling = 0;
            break;
        case O_STRICT:
            c.so.q.strict = 1;
            break;
        case O_FACETS:
            for (const char *p = a; *p;) {
                size_t n = strcspn(p, ",");
                if (!((n == 4 && !strncmp(p, "drug", 4)) || (n == 7 && !strncmp(p, "symptom", 7)) ||
                      (n == 9 && !strncmp(p, "condition", 9)))) {
                    ms_cli_error(&cli, "unknown facet '%.*s' (drug, symptom, condition)", (int)n,
                                 p);
                    rc = -1;
                    break;
                }
                p += n + (p[n] == ',');
            }
            c.so.facet_depth = 100;
            c.so.facet_kinds = a;
            break;
        case O_TIMINGS:
            c.timings = 1;
            break;
        case O_EXPLAIN:
            c.explain = 1;
            c.so.explain = 1;
            break;
        case O_LEXICON:
            lexfiles[c.eo.n_lexicon_files++] = a;
            break;
        case O_LEXICON_DIR:
            c.eo.lexicon_dir = a;
            break;
        case O_K1:
            rc = parse_double(a, "--k1", &c.so.k1);
            break;
        case O_B:
            rc = parse_double(a, "--b", &c.so.b);
            if (rc == 0 && c.so.b > 1) {
                ms_cli_error(&cli, "--b must be from 0 to 1");
                rc = -1;
            }
            break;
        case O_ALLOW_PARTIAL:
            allow_partial = 1;
            break;
        }
    }
    if (rc != 0)
        return 2;
    if (!c.batch && n_args == 0) {
        ms_cli_error(&cli, "no query given (see --help)");
        return 2;
    }
    if (c.batch && n_args > 0) {
        ms_cli_error(&cli, "give a query or --batch, not both");
        return 2;
    }
    const char *nc = getenv("NO_COLOR");
    c.w.color = strcmp(color, "always") == 0 ||
                (strcmp(color, "auto") == 0 && isatty(STDOUT_FILENO) && !(nc && *nc));

    ms_error err;
    ms_searcher *s = ms_searcher_open(c.db, &c.eo, allow_partial, &err);
    if (!s) {
        ms_cli_error(&cli, "%s", err.msg);
        return 2;
    }
    c.w.partial = ms_searcher_missing(s);
    if (c.w.partial)
        ms_cli_error(&cli, "warning: answering without shards that cannot be reached: %s",
                     c.w.partial);
    int status;
    if (c.batch) {
        status = run_batch(s, &c);
    } else {
        size_t len = 0;
        for (size_t i = 0; i < n_args; i++)
            len += strlen(args[i]) + 1;
        char *q = malloc(len + 1);
        if (!q)
            return 2;
        q[0] = '\0';
        for (size_t i = 0; i < n_args; i++) {
            if (i)
                strcat(q, " ");
            strcat(q, args[i]);
        }
        status = one(s, &c, "1", q, NULL);
        if (status == 3)
            status = 2;
        free(q);
    }
    if (fflush(stdout) != 0) {
        ms_cli_error(&cli, "write error on standard output");
        status = 2;
    }
    ms_searcher_free(s);
    return status;
}

int main(int argc, char **argv)
{
    bufs b = {calloc((size_t)argc + 1, sizeof *b.opts), calloc((size_t)argc + 1, sizeof *b.args),
              calloc((size_t)argc + 1, sizeof *b.lexfiles)};
    int rc = b.opts && b.args && b.lexfiles ? run(argc, argv, &b) : 2;
    free(b.opts);
    free(b.args);
    free(b.lexfiles);
    return rc;
}
