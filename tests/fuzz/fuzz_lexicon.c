/*
 * fuzz_lexicon - ms_lexicon_load_file on an arbitrary file, then tagging.
 *
 * Lexicon files come from users (--lexicon FILE), so a malformed one must
 * fail with a message, never crash. The loader only takes a path: the input
 * is written to one temporary file, rewritten for each input. A lexicon that
 * loads is then used to tag a fixed sentence full of drug, symptom and
 * condition words, and the input itself, which by construction names the
 * entries it defines; every entity must point into the tokens and text.
 */
#include <unistd.h>

#include "fuzz_common.h"
#include "medsearch/lexicon.h"

static ms_analyzer *an;
static char path[4096];
static int fd = -1;

static const char sentence[] =
    "Take cetirizine hydrochloride 10 mg tablets (Zyrtec) or loratadine for hives and itchy "
    "skin; apply ketoconazole cream twice daily. Crohn's disease, GERD and atopic-dermatitis "
    "flare-ups cause heartburn, a runny nose and itching. Use fluconazole 150mg once.";

static void remove_tmp(void)
{
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ms_error err = {0};
    ms_analyzer_opts ao = {"english", 0};
    an = ms_analyzer_new(&ao, &err);
    FUZZ_SETUP(an, &err);
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/fuzz_lexicon.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);
    snprintf(err.msg, sizeof err.msg, "%s", path);
    FUZZ_SETUP(fd >= 0, &err);
    atexit(remove_tmp);
    return 0;
}

static void check_entities(const ms_lexicon *lx, size_t len, const ms_tokens *toks,
                           const ms_entities *e)
{
    for (size_t i = 0; i < e->n; i++) {
        const ms_entity *x = &e->v[i];
        FUZZ_CHECK(x->kind == MS_ENT_DRUG || x->kind == MS_ENT_SYMPTOM ||
                       x->kind == MS_ENT_CONDITION,
                   "entity %zu kind %d", i, (int)x->kind);
        FUZZ_CHECK(x->tok_first < x->tok_end && x->tok_end <= toks->n,
                   "entity %zu tokens [%zu,%zu) of %zu", i, x->tok_first, x->tok_end, toks->n);
        FUZZ_CHECK(x->start < x->end && x->end <= len, "entity %zu span [%zu,%zu) of %zu", i,
                   x->start, x->end, len);
        FUZZ_CHECK(i == 0 || x->start >= e->v[i - 1].start, "entity %zu not in text order", i);
        FUZZ_CHECK(x->inferred ? x->entry == -1 : x->entry >= 0, "entity %zu entry %d inferred %d",
                   i, x->entry, x->inferred);
        const char *name = ms_entity_name(lx, x, toks);
        FUZZ_CHECK(name != NULL, "entity %zu has no name", i);
        (void)strlen(name);
        if (x->entry >= 0) {
            FUZZ_CHECK(ms_lexicon_entry_name(lx, x->entry) != NULL, "entry %d has no name",
                       x->entry);
            (void)ms_lexicon_entry_class(lx, x->entry);
            const char *const *forms;
            size_t nf = ms_lexicon_entry_forms(lx, x->entry, &forms);
            for (size_t f = 0; f < nf; f++)
                FUZZ_CHECK(forms[f] != NULL, "entry %d form %zu is NULL", x->entry, f);
        }
        char term[256];
        size_t tl = ms_entity_term(x->kind, name, term, sizeof term);
        FUZZ_CHECK(tl < sizeof term && term[tl] == '\0', "entity term of %zu bytes", tl);
    }
}

static void tag(const ms_lexicon *lx, const char *text, size_t len)
{
    ms_tokens toks;
    ms_tokens_init(&toks);
    ms_analyze(an, text, len, 1, &toks);
    ms_entities e;
    ms_entities_init(&e);
    ms_lexicon_tag(lx, text, &toks, &e);
    check_entities(lx, len, &toks, &e);
    ms_entities_free(&e);
    ms_tokens_free(&toks);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size) {
        perror(path);
        abort();
    }
    ms_error err = {0};
    ms_lexicon *lx = ms_lexicon_new(an, &err);
    FUZZ_SETUP(lx, &err);
    if (ms_lexicon_load_file(lx, path, &err) == 0) {
        FUZZ_CHECK(ms_lexicon_digest(lx) != NULL, "no digest");
        for (int k = MS_ENT_DRUG; k <= MS_ENT_CONDITION; k++)
            (void)ms_lexicon_count(lx, (ms_entkind)k);
        tag(lx, sentence, sizeof sentence - 1);
        /* The input as text, exact size: ASan sees reads past its end. */
        char *text = malloc(size ? size : 1);
        if (!text)
            abort();
        if (size)
            memcpy(text, data, size);
        tag(lx, text, size);
        free(text);
    } else {
        fuzz_check_error(&err);
    }
    ms_lexicon_free(lx);
    return 0;
}
