/*
 * fuzz_query - ms_query_parse on arbitrary strings, without an index.
 *
 * The parser is the part of medsearch that takes what anybody types, so it
 * runs with the real lexicon (expansion on) in both modes. The contract of
 * query.h: a query over the size limits (MS_QUERY_MAX_BYTES,
 * MS_QUERY_MAX_WORDS) fails in both modes with one message; any other never
 * fails in non-strict mode (malformed syntax, nesting too deep included,
 * falls back to plain words); strict mode fails exactly when non-strict had
 * to fall back, and when it succeeds both modes build the same query.
 */
#include "fuzz_common.h"
#include "medsearch/query.h"
#include "medsearch/settings.h"

static ms_env env;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_error err = {0};
    ms_env_opts eo = {.lexicon_dir = FUZZ_LEXICON_DIR};
    FUZZ_SETUP(ms_env_open(&env, &eo, &err) == 0, &err);
    return 0;
}

static void check_info(const ms_qinfo *info)
{
    FUZZ_CHECK(info->n_terms == 0 || info->terms, "terms missing");
    for (size_t i = 0; i < info->n_terms; i++)
        FUZZ_CHECK(info->terms[i] && info->terms[i][0], "term %zu empty", i);
    FUZZ_CHECK(info->n_stems == 0 || info->stems, "stems missing");
    for (size_t i = 0; i < info->n_stems; i++)
        FUZZ_CHECK(info->stems[i] && info->stems[i][0], "stem %zu empty", i);
    FUZZ_CHECK(info->n_ents == 0 || info->ents, "entities missing");
    for (size_t i = 0; i < info->n_ents; i++) {
        const ms_qent *e = &info->ents[i];
        FUZZ_CHECK(memchr(e->name, '\0', sizeof e->name) != NULL, "entity %zu name unterminated",
                   i);
        FUZZ_CHECK(e->kind == MS_ENT_DRUG || e->kind == MS_ENT_SYMPTOM ||
                       e->kind == MS_ENT_CONDITION,
                   "entity %zu kind %d", i, (int)e->kind);
        if (e->entry >= 0)
            FUZZ_CHECK(ms_lexicon_entry_name(env.lex, e->entry) != NULL, "entity %zu entry %d", i,
                       e->entry);
    }
    if (info->did_you_mean)
        (void)strlen(info->did_you_mean);
    if (info->qtype)
        (void)strlen(info->qtype);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = fuzz_strndup(data, size);

    /* db is NULL: spelling must then be a no-op, not a crash. */
    ms_qopts strict = {.expand = 1, .spelling = 1, .strict = 1};
    ms_qopts loose = {.expand = 1, .spelling = 1, .strict = 0};

    ms_error err = {0};
    ms_qinfo si, li;
    msx_query *sq = NULL, *lq = NULL;
    int src = ms_query_parse(&env, NULL, q, &strict, &sq, &si, &err);
    if (src != 0) {
        FUZZ_CHECK(src == -1, "strict parse returned %d", src);
        fuzz_check_error(&err);
        FUZZ_CHECK(err.code == MS_EUSAGE, "strict parse failed with code %d: %s", (int)err.code,
                   err.msg);
        FUZZ_CHECK(sq == NULL, "a failed parse still gave a query");
    } else {
        check_info(&si);
    }

    ms_error lerr = {0};
    int lrc = ms_query_parse(&env, NULL, q, &loose, &lq, &li, &lerr);
    if (lrc != 0) {
        FUZZ_CHECK(lrc == -1 && lerr.code == MS_EUSAGE &&
                       (strncmp(lerr.msg, "query too long (", 16) == 0 ||
                        strncmp(lerr.msg, "query has too many words (", 26) == 0),
                   "non-strict parse failed: %s", lerr.msg);
        FUZZ_CHECK(src != 0 && strcmp(err.msg, lerr.msg) == 0,
                   "over the size limits, but strict mode said: %s", src ? err.msg : "(nothing)");
        FUZZ_CHECK(lq == NULL, "a failed parse still gave a query");
    }
    check_info(&li);
    /* strict mode fails on malformed syntax (read as words otherwise) and
       on a name: that is no field or a field name the lexicon lacks (said
       otherwise) */
    if (lrc == 0) {
        int said = li.fallback || li.unknown_field || li.unknown_entity;
        FUZZ_CHECK(said == (src != 0), "fallback=%d unknown=%s%s but strict mode %s", li.fallback,
                   li.unknown_field ? li.unknown_field : "",
                   li.unknown_entity ? li.unknown_entity : "", src ? "failed" : "succeeded");
    }

    char *ld = lq ? msx_query_describe(lq) : NULL;
    if (lq)
        FUZZ_CHECK(ld != NULL, "no description of the query");
    if (src == 0) {
        char *sd = sq ? msx_query_describe(sq) : NULL;
        FUZZ_CHECK((sd == NULL) == (ld == NULL) && (!sd || strcmp(sd, ld) == 0),
                   "strict and non-strict queries differ:\n  %s\n  %s", sd ? sd : "(none)",
                   ld ? ld : "(none)");
        free(sd);
    }
    free(ld);

    msx_query_free(sq);
    msx_query_free(lq);
    /* Freed on failure too: the parse zeroes info first, and nothing in
     * query.h says a failed parse leaves nothing to free. */
    ms_qinfo_free(&si);
    ms_qinfo_free(&li);
    free(q);
    return 0;
}
