/*
 * medquery - search a medsearch index. Options, one query or an article
 * (--show), and exit codes; the batch loop is in batch.c, everything else
 * in libmedsearch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/util.h"
#include "medquery.h"

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
    O_JOBS,
    O_COUNT,
    O_FILES,
    O_FULL,
    O_SHOW,
    O_PATH,
    O_SINCE,
    O_UNTIL,
    O_UNDATED,
    O_SORT,
};

/* -c counts the matching passages exactly up to this many, as Xapian
 * checks them; beyond, it gives Xapian's estimate and says so */
#define COUNT_EXACT_UPTO 10000

static const ms_flag flags[] = {
    {O_DB, 0, "db", "PATH", "index to search (default $MEDSEARCH_DB, else ./medsearch.db)", NULL},
    {O_LIMIT, 'n', "limit", "N", "show at most N results (default 10)", NULL},
    {O_OFFSET, 0, "offset", "N", "skip the first N results", NULL},
    {O_FORMAT, 'f', "format", "FORMAT", "output format: text, json, tsv or trec",
     MS_OUTPUT_FORMATS},
    {O_BATCH, 0, "batch", "FILE",
     "read one query per line from FILE (- for stdin), "
     "optionally as qid<TAB>query",
     NULL},
    {O_JOBS, 'j', "jobs", "N",
     "answer a batch with N workers, results still in input order (default: the number of "
     "CPUs)",
     NULL},
    {O_PER_ARTICLE, 0, "per-article", "N", "at most N passages per article (default 0: no limit)",
     NULL},
    {O_COUNT, 'c', "count", NULL,
     "print how many passages match (\"about N\" when estimated) instead of results", NULL},
    {O_FILES, 'l', "files-with-matches", NULL,
     "print the paths of the matching files instead of results, each once, best first "
     "(-n counts files)",
     NULL},
    {O_FULL, 0, "full", NULL,
     "show each result's whole passage instead of a snippet (json: as text, besides the "
     "snippet)",
     NULL},
    {O_SHOW, 0, "show", "PATH[:LINE|#N]",
     "print the article at PATH as indexed (title, metadata, passages), or its passage "
     "holding LINE, or its Nth, from the index alone",
     NULL},
    {O_PATH, 0, "path", "GLOB",
     "only files whose path, or a folder above it, matches GLOB (repeatable: any of them)", NULL},
    {O_SINCE, 0, "since", "DATE", "only articles dated DATE or later (YYYY-MM-DD, YYYY-MM or YYYY)",
     NULL},
    {O_UNTIL, 0, "until", "DATE",
     "only articles dated DATE or earlier (YYYY-MM-DD, YYYY-MM or YYYY)", NULL},
    {O_UNDATED, 0, "undated", NULL, "with --since or --until, keep articles without a date too",
     NULL},
    {O_SORT, 0, "sort", "ORDER",
     "score (the default) or date: newest first, undated last, then by score", "score date"},
    {O_SNIPPET_WORDS, 0, "snippet-words", "N", "snippet length in words (default 30)", NULL},
    {O_COLOR, 0, "color", "WHEN",
     "colour matches, titles and paths: auto, always or never (NO_COLOR is honoured)",
     MS_OUTPUT_COLORS},
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
     MS_FACET_KINDS},
    {O_TIMINGS, 0, "timings", NULL,
     "report each query's time: time_ms in JSON results, a line on stderr otherwise", NULL},
    {O_EXPLAIN, 0, "explain", NULL,
     "print how the query was read and, for each result, the terms it matched and the "
     "parts of its score (on stderr)",
     NULL},
    {O_LEXICON, 0, "lexicon", "FILE",
     "also load this lexicon file (repeatable; must match the "
     "index)",
     NULL},
    {O_LEXICON_DIR, 0, "lexicon-dir", "DIR",
     "lexicon directory (default $MEDSEARCH_LEXICON, else "
     "the installed one)",
     NULL},
    {O_K1, 0, "k1", "X", "BM25 k1: how much a word's repeats count (default 1.5)", NULL},
    {O_B, 0, "b", "X", "BM25 b: how much a long passage is discounted (default 0.35)", NULL},
    {O_ALLOW_PARTIAL, 0, "allow-partial", NULL,
     "when a shard cannot be reached, answer from the others (and say so)", NULL},
    MS_STANDARD_FLAGS,
};

static const ms_man_section sections[] = {
    {"QUERY SYNTAX",
     "Plain words are searched together, ranked with BM25; stopwords and filler are ignored "
     "outside phrases, and a pasted question works as it is. The arguments are joined into "
     "one query; after the first query word, -word is part of the query (medquery asthma "
     "-smoking), an option there is written alone or with a number (-n 5, -n5), and -- ends "
     "the options.\n"
     "\n"
     "  \"exact phrase\"      words in this order, matched by stem\n"
     "  a AND b, a OR b    both / either (operators in capitals)\n"
     "  a NOT b, -b        without b\n"
     "  +a                 a is required\n"
     "  ( ... )            grouping\n"
     "  a NEAR/5 b         a within 5 words of b (NEAR alone: 10)\n"
     "  title:word         only passages whose article title holds it\n"
     "  section:word       only passages whose section heading holds it\n"
     "  source:name        only articles from this source\n"
     "  drug:name          passages naming the drug (brands map to generics)\n"
     "  symptom:name       passages naming the symptom (lay or medical word)\n"
     "  condition:name     passages naming the condition\n"
     "  path:GLOB          only files whose path matches GLOB, as --path\n"
     "  loratad*           words starting with loratad\n"
     "\n"
     "Operators count only where they are meant: a query that reads as a sentence or a "
     "question (\"I do NOT have a fever\") treats them as words, and malformed syntax is read "
     "as plain words unless --strict is given. Drugs, symptoms and conditions expand to their "
     "synonyms and brands at a lower weight (--no-expand turns this off). A symptom or "
     "condition the question says is absent (\"no fever\", \"I don't have a rash\", "
     "\"without itching\") is not searched as wanted; --explain lists it. A word the index "
     "does not know is also searched as its closest known word, with a \"did you mean\" note "
     "that gives the whole query; a word of the lexicon, of the English or medical word list, "
     "or a capitalised name inside a sentence is never corrected. A NAME: that is no field is "
     "read as words, with a note (with --strict, exit 2).\n"
     "\n"
     "Parentheses nest at most 100 levels deep (deeper is malformed syntax). A query holds at "
     "most 10,000 bytes and 2,000 words; a larger one is refused (exit 2; in a batch, that line "
     "is skipped)."},
    {"NARROWING",
     "--path GLOB (or path:GLOB in the query) keeps the files whose path (relative to the corpus "
     "folder), or a folder "
     "above it, matches GLOB (fnmatch(3); * also crosses /); given more than once, any of "
     "them. --since DATE and --until DATE keep the articles dated in that range, both ends "
     "included: a date is YYYY-MM-DD, YYYY-MM or YYYY (ISO 8601), and a shorter --until "
     "takes in its whole month or year. An article without a date, or with one that is not "
     "ISO, is in no range; --undated keeps those without a date too. --sort date ranks the "
     "newest first, the undated last, and passages of one date by score. The narrowing is "
     "part of the search: -n, --offset, -c and -l count only what it keeps."},
    {"OUTPUT FORMATS",
     "text: rank, title and section, path:line, the source, date and author when known, "
     "score and a snippet with matches in bold (on a terminal, where the path and line are "
     "in colour and a corrected query comes first instead of as a message). On a terminal the "
     "snippet is wrapped to its width at spaces, never "
     "inside a word; piped, it is one line. With --full, the whole passage takes its place, "
     "wrapped to the terminal's width, or to 80 columns when piped. With --batch, each query's "
     "results follow a line [qid] query, and a "
     "query with no results says (nothing found).\n"
     "\n"
     "json: JSON Lines, one object per result with v (the version of the output's schema, 1, "
     "on every line), qid, rank, score, path, article, title, "
     "section, start and end (byte offsets of the passage in the file), line, snippet, "
     "text (with --full: the whole passage), highlights (byte ranges [start, end) in the snippet), "
     "entities (objects with type and "
     "name), and source, url, date (ISO 8601, 2025-11-28), date_text (the date as the "
     "article writes it), author when known, did_you_mean when a word was "
     "corrected. With --facets, one more object per query: {\"v\", \"qid\", \"facets\": "
     "{kind: [{\"name\", \"count\"}]}}, the kinds in the order --facets names them. A field "
     "that changes meaning or goes away raises v; a new field does not.\n"
     "\n"
     "tsv: a header line, then qid, rank, score, path, article, title, section, start, end, "
     "line, snippet (with --full, the whole passage).\n"
     "\n"
     "trec: qid Q0 path:start rank score medsearch (a space in the path is written as _).\n"
     "\n"
     "With -c, each query's output is how many passages match: exactly up to 10,000 (and "
     "beyond when Xapian knows it), else Xapian's estimate. text: N, or about N for an "
     "estimate; in a batch, [qid] query: N. json: {\"v\", \"qid\", \"matches\", \"exact\": true or "
     "false}. tsv: a header line, then qid, matches, exact. A count of 0 is exit status 1.\n"
     "\n"
     "With --show PATH, the output is the article at PATH, from the index: text writes its "
     "title, its path with the source, date, author and url when known, then each passage "
     "with its number, section, first line and byte range, and its text, wrapped (to the "
     "terminal's width, else 80 columns); the other formats write its passages as results "
     "(rank: the passage's number; score 0; json with the text). PATH:LINE shows the passage "
     "holding that line, PATH#N the Nth passage.\n"
     "\n"
     "With -l, each query's output is the paths of its matching files, each once, in the order "
     "of their best passage (the files of --per-article 1; -n and --offset count files). text: "
     "a path a line. json: {\"v\", \"qid\", \"rank\", \"path\"}. tsv: a header line, then qid, "
     "rank, path. -c and -l have no trec form.\n"
     "\n"
     "In text, tsv and trec output and in messages, control characters in a path are written "
     "as C-style escapes: \\\\, \\n, \\t, \\r, or \\x and two hex digits (ESC is \\x1b)."},
    {"FILES", "The index (--db): a directory written by medindex (its current Xapian database, "
              "gen-N, named by a XAPIANDB stub), or a sharded "
              "index (a directory with a XAPIANDB stub), or a stub file listing shards as \"auto "
              "PATH\" or \"remote HOST:PORT\" lines.\n"
              "\n"
              "The lexicon: every *.tsv file of the lexicon directory (--lexicon-dir, "
              "MEDSEARCH_LEXICON, else share/medsearch/lexicon beside the program). It must be the "
              "one the index was built with."},
    {"ENVIRONMENT", "MEDSEARCH_DB: the index when --db is not given.\n"
                    "MEDSEARCH_LEXICON: the lexicon directory when --lexicon-dir is not given.\n"
                    "NO_COLOR: when set, no colour unless --color always.\n"
                    "MEDSEARCH_COLORS: the colours of text output, as NAME=SGR separated by "
                    "colons, for path, line, title, match and meta (source, date, author, "
                    "score); the defaults are path=35:line=32:title=1:match=1:meta=2.\n"
                    "XDG_CACHE_HOME: compiled lexicon images are kept in $XDG_CACHE_HOME/medsearch "
                    "(else ~/.cache/medsearch).\n"
                    "MEDSEARCH_DICTIONARIES: the word lists whose words spelling never corrects, "
                    "colon-separated (default /usr/share/dict/american-english and "
                    "/usr/share/hunspell/en_med_glut.dic, from the Debian packages wamerican and "
                    "hunspell-en-med)."},
    {"EXIT STATUS",
     "0: results (or, with -n 0 --facets, facets) were found\n1: nothing was found\n2: an error"},
};

const ms_cli cli = {
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
    if (!*s || *end || !(v >= 0 && v <= 100)) { /* (false for NaN too) */
        ms_cli_error(&cli, "%s must be a number from 0 to 100, not '%s'", what, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* The width of the terminal that is the output: its own, else $COLUMNS,
 * else 80; 0 when the output is no terminal. */
static unsigned terminal_width(void)
{
    if (!isatty(STDOUT_FILENO))
        return 0;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *cols = getenv("COLUMNS");
    long n = cols ? strtol(cols, NULL, 10) : 0;
    return n > 0 && n < 10000 ? (unsigned)n : 80;
}

/* Whether s is an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD. */
static int iso_date(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++)
        if ((i == 4 || i == 7) != (s[i] == '-') || (s[i] != '-' && (s[i] < '0' || s[i] > '9')))
            return 0;
    if (n != 4 && n != 7 && n != 10)
        return 0;
    int month = n >= 7 ? atoi(s + 5) : 1, day = n == 10 ? atoi(s + 8) : 1;
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* The query q without its path:GLOB words (outside quotes), malloc'd;
 * their globs, after those of --path, in so->paths (in *globs, malloc'd,
 * and *paths, which the caller frees). */
static char *take_paths(const char *q, ms_search_opts *so, char **globs, const char ***paths)
{
    size_t n = strlen(q);
    char *out = ms_xrealloc(NULL, n + 1), *g = ms_xrealloc(NULL, n + 1);
    const char **v = ms_xrealloc(NULL, (so->n_paths + n / 6 + 1) * sizeof *v);
    memcpy(v, so->paths, so->n_paths * sizeof *v);
    size_t o = 0, gl = 0, nv = so->n_paths;
    int quoted = 0;
    for (size_t i = 0; i < n;) {
        int start = !quoted && (i == 0 || q[i - 1] == ' ' || q[i - 1] == '\t');
        if (start && strncmp(q + i, "path:", 5) == 0 && q[i + 5] && !strchr(" \t\"", q[i + 5])) {
            size_t e = i + 5 + strcspn(q + i + 5, " \t");
            v[nv++] = g + gl;
            memcpy(g + gl, q + i + 5, e - i - 5);
            gl += e - i - 5;
            g[gl++] = '\0';
            i = e;
            continue;
        }
        quoted ^= q[i] == '"';
        out[o++] = q[i++];
    }
    out[o] = '\0';
    so->paths = v;
    so->n_paths = nv;
    *globs = g;
    *paths = v;
    return out;
}

int one(ms_searcher *s, const conf *c, ms_writer *w, FILE *err_f, const char *qid, const char *q,
        const char *where)
{
    ms_results r;
    ms_error err;
    double t0 = ms_now();
    const char *m = ms_searcher_missing(s);
    char *missing_before = strdup(m ? m : "");
    /* path:GLOB narrows as --path does */
    ms_search_opts so = c->so;
    char *globs;
    const char **paths;
    char *words = take_paths(q, &so, &globs, &paths);
    int rc = ms_search(s, words, &so, &r, &err);
    free(words);
    ms_write_info wi = {qid, where ? q : NULL, NULL, -1};
    /* shards left out since (a shard that stopped answering, --allow-partial) */
    wi.partial = ms_searcher_missing(s);
    if (wi.partial && missing_before && strcmp(wi.partial, missing_before) != 0)
        ms_cli_say(&cli, err_f, "warning: answering without shards that cannot be reached: %s",
                   wi.partial);
    free(missing_before);
    wi.time_ms = c->timings ? (ms_now() - t0) * 1e3 : -1;
    if (c->timings && !ms_writer_shows_time(w))
        ms_cli_say(&cli, err_f, "query %s took %.3f ms", qid, wi.time_ms);
    if (rc < 0) {
        if (where)
            ms_cli_say(&cli, err_f, "%s: %s", where, err.msg);
        else
            ms_cli_say(&cli, err_f, "%s", err.msg);
        ms_results_free(&r); /* what the query's reading left */
        free(globs);
        free(paths);
        return err.code == MS_EINDEX || err.code == MS_ESHARD ? 3 : 2;
    }
    if (r.info.unknown_field)
        ms_cli_say(&cli, err_f,
                   "%s%sunknown field '%s:', read as words (fields: title, section, source, drug, "
                   "symptom, condition, path)",
                   where ? where : "", where ? ": " : "", r.info.unknown_field);
    if (r.info.unknown_entity)
        ms_cli_say(&cli, err_f, "%s%s%s: not in the lexicon, searched as words", where ? where : "",
                   where ? ": " : "", r.info.unknown_entity);
    /* (text on a terminal notes it at the top of the query's output) */
    const char *dym = c->correction_shown ? NULL : r.info.did_you_mean;
    if (dym && where) /* a batch: which query it belongs to */
        ms_cli_say(&cli, err_f, "%s: did you mean: %s", where, dym);
    else if (dym)
        ms_cli_say(&cli, err_f, "did you mean: %s", r.info.did_you_mean);
    if (c->explain) {
        ms_cli_say(&cli, err_f, "query %s read as %s%s", qid,
                   r.info.natural ? "a question" : "keywords/operators",
                   r.info.fallback ? " (syntax error: plain words)" : "");
        if (r.info.qtype)
            ms_cli_say(&cli, err_f, "question type: %s", r.info.qtype);
        for (size_t i = 0; i < r.info.n_ents; i++)
            ms_cli_say(&cli, err_f, "entity: %s %s", ms_entkind_name(r.info.ents[i].kind),
                       r.info.ents[i].name);
        for (size_t i = 0; i < r.info.n_negated; i++)
            ms_cli_say(&cli, err_f, "negated, not searched: %s", r.info.negated[i]);
        if (r.explain_query)
            ms_cli_say(&cli, err_f, "xapian query: %s", r.explain_query);
        for (size_t i = 0; i < r.n; i++)
            ms_cli_say(&cli, err_f, "#%u score %.4f matched: %s", r.hits[i].rank, r.hits[i].score,
                       r.hits[i].explain ? r.hits[i].explain : "");
    }
    ms_write_results(w, &wi, &r);
    /* (-n 0 --facets asks for facets only) */
    int found = r.n > 0 || r.n_facets > 0 || (c->count && r.estimated > 0);
    ms_results_free(&r);
    free(globs);
    free(paths);
    return found ? 0 : 1;
}

/* --show PATH[:LINE|#N]: the article, or one passage of it. Returns 0, 1
 * when the index has no such file or passage (said), 2 on error. */
static int show(ms_searcher *s, const conf *c, const char *arg)
{
    char *path = strdup(arg);
    if (!path)
        return 2;
    long long line = 0;
    unsigned nth = 0;
    /* a suffix :LINE or #N (of digits only); else all of arg is the path */
    char *colon = strrchr(path, ':'), *hash = strrchr(path, '#');
    char *num = colon && (!hash || colon > hash) ? colon : hash;
    if (num && num[1] && strspn(num + 1, "0123456789") == strlen(num + 1) && strlen(num + 1) < 10) {
        if (*num == ':')
            line = atoll(num + 1);
        else
            nth = (unsigned)atol(num + 1);
        if (line == 0 && nth == 0) {
            ms_cli_error(&cli, "--show %s: lines and passages count from 1", arg);
            free(path);
            return 2;
        }
        *num = '\0';
    }
    ms_results r;
    ms_error err;
    int rc = 0;
    if (ms_show(s, path, line, nth, &r, &err) < 0) {
        ms_cli_error(&cli, "%s", err.msg);
        rc = 2;
    } else if (r.n == 0) {
        ms_cli_error(&cli, "%s: %s", arg,
                     line || nth ? "no such passage in the index" : "no such file in the index");
        rc = 1;
    } else {
        ms_write_info wi = {"1", NULL, NULL, -1};
        ms_write_results(c->w, &wi, &r);
    }
    ms_results_free(&r);
    free(path);
    return rc;
}

/* Per-argument arrays, owned by main so that every return of run frees them. */
typedef struct bufs {
    ms_opt *opts;
    char **args;
    const char **lexfiles;
    const char **paths;
} bufs;

static int run(int argc, char **argv, bufs *b)
{
    ms_opt *opts = b->opts;
    char **args = b->args;
    const char **lexfiles = b->lexfiles;
    const char **paths = b->paths;
    size_t n_opts, n_args;
    if (ms_cli_parse(&cli, argc, argv, opts, &n_opts, args, &n_args) < 0)
        return 2;
    conf c = {0};
    ms_search_opts_default(&c.so);
    c.db = getenv("MEDSEARCH_DB");
    if (!c.db || !*c.db)
        c.db = "medsearch.db";
    c.eo.lexicon_files = lexfiles;
    c.so.paths = paths;
    const char *format = "text", *color = "auto";
    int allow_partial = 0, files = 0, full = 0;
    const char *show_arg = NULL;
    int rc = 0;
    for (size_t i = 0; i < n_opts && rc == 0; i++) {
        const char *a = opts[i].arg;
        int std = ms_cli_standard(&cli, &opts[i],
                                  "drug: symptom: condition: title: section: source: path:");
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
        case O_FORMAT:
            rc = ms_cli_choice(&cli, &opts[i], "format", 0);
            format = a;
            break;
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
            rc = ms_cli_choice(&cli, &opts[i], NULL, 0);
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
            rc = ms_cli_choice(&cli, &opts[i], "facet", 1);
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
        case O_PATH:
            paths[c.so.n_paths++] = a;
            break;
        case O_SINCE:
        case O_UNTIL:
            if (!iso_date(a)) {
                ms_cli_error(&cli, "--%s takes a date YYYY-MM-DD (or YYYY-MM, YYYY), not '%s'",
                             opts[i].id == O_SINCE ? "since" : "until", a);
                rc = -1;
            }
            *(opts[i].id == O_SINCE ? &c.so.since : &c.so.until) = a;
            break;
        case O_UNDATED:
            c.so.undated = 1;
            break;
        case O_SORT:
            rc = ms_cli_choice(&cli, &opts[i], NULL, 0);
            c.so.sort_date = strcmp(a, "date") == 0;
            break;
        case O_SHOW:
            show_arg = a;
            break;
        case O_FULL:
            full = 1;
            break;
        case O_COUNT:
            c.count = 1;
            break;
        case O_FILES:
            files = 1;
            break;
        case O_ALLOW_PARTIAL:
            allow_partial = 1;
            break;
        case O_JOBS:
            rc = parse_uint(a, "--jobs", 64, &c.jobs);
            if (rc == 0 && c.jobs == 0) {
                ms_cli_error(&cli, "--jobs must be at least 1");
                rc = -1;
            }
            break;
        }
    }
    if (rc != 0)
        return 2;
    if (show_arg && (n_args || c.batch || c.count || files || c.so.facet_depth)) {
        ms_cli_error(&cli, "--show prints an article: no query, --batch, -c, -l or --facets");
        return 2;
    }
    if (c.so.undated && !c.so.since && !c.so.until) {
        ms_cli_error(&cli, "--undated goes with --since or --until");
        return 2;
    }
    if (c.so.since && c.so.until && strncmp(c.so.since, c.so.until, strlen(c.so.until)) > 0) {
        ms_cli_error(&cli, "--since %s is after --until %s", c.so.since, c.so.until);
        return 2;
    }
    if (!show_arg && !c.batch && n_args == 0) {
        ms_cli_error(&cli, "no query given (see --help)");
        return 2;
    }
    if (c.batch && n_args > 0) {
        ms_cli_error(&cli, "give a query or --batch, not both");
        return 2;
    }
    if (c.count && files) {
        ms_cli_error(&cli, "give -c (--count) or -l (--files-with-matches), not both");
        return 2;
    }
    if ((c.count || files) && c.so.facet_depth) {
        ms_cli_error(&cli, "--facets goes with results, not with -c or -l");
        return 2;
    }
    if (c.count) {
        c.so.limit = 0;
        c.so.count_at_least = COUNT_EXACT_UPTO;
    }
    if (files)
        c.so.per_article = 1; /* an article is a file */
    int json = strcmp(format, "json") == 0;
    if (full && !json) /* (JSON keeps its snippet, and gives the text besides) */
        c.so.snippet_words = MS_SNIPPET_WHOLE;
    c.w = ms_writer_new(format, stdout, ms_output_color(color, STDOUT_FILENO));
    char bad[256];
    if (c.w && ms_writer_set_colors(c.w, getenv("MEDSEARCH_COLORS"), bad, sizeof bad) < 0) {
        ms_cli_error(&cli, "MEDSEARCH_COLORS: %s", bad);
        ms_writer_free(c.w);
        return 2;
    }
    if (c.w) {
        ms_writer_set_full(c.w, full || show_arg);
        /* on a terminal, text output notes a corrected query itself */
        unsigned width = strcmp(format, "text") == 0 ? terminal_width() : 0;
        ms_writer_set_terminal(c.w, width);
        c.correction_shown = width > 0;
        if (show_arg)
            ms_writer_set_mode(c.w, MS_WRITE_ARTICLE);
    }
    if (c.w && (c.count || files) &&
        ms_writer_set_mode(c.w, c.count ? MS_WRITE_COUNT : MS_WRITE_FILES) < 0) {
        ms_cli_error(&cli, "-f %s lists ranked passages only: no -c or -l", format);
        ms_writer_free(c.w);
        return 2;
    }

    if (!c.batch)
        c.jobs = 1;
    else if (!c.jobs) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        c.jobs = cpus > 1 ? (unsigned)(cpus < 64 ? cpus : 64) : 1;
    }
    /* one searcher per worker: a Xapian database handle and the analyzer's
       caches are not shared between threads */
    ms_searcher **s = calloc(c.jobs, sizeof *s);
    if (!s || !c.w) {
        free(s);
        ms_writer_free(c.w);
        return 2;
    }
    int status = 0;
    for (unsigned i = 0; i < c.jobs && status == 0; i++) {
        ms_error err;
        s[i] = ms_searcher_open(c.db, &c.eo, allow_partial, &err);
        if (!s[i]) {
            ms_cli_error(&cli, "%s", err.msg);
            status = 2;
        }
    }
    if (status == 0) {
        const char *partial = ms_searcher_missing(s[0]);
        if (partial)
            ms_cli_error(&cli, "warning: answering without shards that cannot be reached: %s",
                         partial);
        if (show_arg) {
            status = show(s[0], &c, show_arg);
        } else if (c.batch) {
            status = run_batch(s, c.jobs, &c);
        } else {
            size_t len = 0;
            for (size_t i = 0; i < n_args; i++)
                len += strlen(args[i]) + 1;
            char *q = malloc(len + 1);
            if (q) {
                q[0] = '\0';
                for (size_t i = 0; i < n_args; i++) {
                    if (i)
                        strcat(q, " ");
                    strcat(q, args[i]);
                }
                status = one(s[0], &c, c.w, stderr, "1", q, NULL);
            }
            if (!q || status == 3)
                status = 2;
            free(q);
        }
        if (fflush(stdout) != 0) {
            ms_cli_error(&cli, "write error on standard output");
            status = 2;
        }
    }
    for (unsigned i = 0; i < c.jobs; i++)
        ms_searcher_free(s[i]);
    free(s);
    ms_writer_free(c.w);
    return status;
}

int main(int argc, char **argv)
{
    bufs b = {calloc((size_t)argc + 1, sizeof *b.opts), calloc((size_t)argc + 1, sizeof *b.args),
              calloc((size_t)argc + 1, sizeof *b.lexfiles),
              calloc((size_t)argc + 1, sizeof *b.paths)};
    int rc = b.opts && b.args && b.lexfiles && b.paths ? run(argc, argv, &b) : 2;
    free(b.opts);
    free(b.args);
    free(b.lexfiles);
    free(b.paths);
    return rc;
}
