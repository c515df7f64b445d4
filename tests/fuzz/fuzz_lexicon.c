/*
 * fuzz_lexicon - ms_lexicon_load_file on an arbitrary file, then tagging.
 *
 * Lexicon files come from users (--lexicon FILE), so a malformed one must
 * fail with a message, never crash. The loader only takes a path: the input
 * is written to one temporary file, rewritten for each input. A lexicon that
 * loads is then used to tag a fixed sentence full of drug, symptom and
 * condition words, and the input itself, which by construction names the
 * entries it defines; every entity must point into the tokens and text.
 * It is also saved as a compiled image and read back, which must tag just as
 * the loaded lexicon does; then the image is damaged at places the input
 * picks, and reading that must refuse it or give a lexicon that tags safely.
 */
#include <unistd.h>

#include "base/util.h"
#include "fuzz_common.h"
#include "lexicon/lexicon.h"

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
            /* an entry may have no form of its own (a name that folds to
               nothing): lexicon.h allows n_forms 0 */
            size_t nf = ms_lexicon_entry_n_forms(lx, x->entry);
            for (size_t f = 0; f < nf; f++)
                (void)strlen(ms_lexicon_entry_form(lx, x->entry, f));
        }
        char term[256];
        size_t tl = ms_entity_term(x->kind, name, term, sizeof term);
        FUZZ_CHECK(tl < sizeof term && term[tl] == '\0', "entity term of %zu bytes", tl);
    }
}

/* Tag text with lx and check the entities; with out, also their (kind,
 * entry, start, end) into *out (to free), and their number is returned. */
static size_t tag(const ms_lexicon *lx, const char *text, size_t len, size_t **out)
{
    ms_tokens toks;
    ms_tokens_init(&toks);
    ms_analyze(an, text, len, 1, &toks);
    ms_entities e;
    ms_entities_init(&e);
    ms_lexicon_tag(lx, text, &toks, &e);
    check_entities(lx, len, &toks, &e);
    size_t n = e.n;
    if (out) {
        size_t *v = malloc((4 * n + 1) * sizeof *v);
        if (!v)
            abort();
        for (size_t i = 0; i < n; i++) {
            v[4 * i] = (size_t)e.v[i].kind;
            v[4 * i + 1] = (size_t)e.v[i].entry;
            v[4 * i + 2] = e.v[i].start;
            v[4 * i + 3] = e.v[i].end;
        }
        *out = v;
    }
    ms_entities_free(&e);
    ms_tokens_free(&toks);
    return n;
}

static void image_checks(const ms_lexicon *lx, const char *text, size_t len)
{
    char ipath[4200];
    snprintf(ipath, sizeof ipath, "%s.img", path);
    ms_error err = {0};
    snprintf(err.msg, sizeof err.msg, "writing %s", ipath);
    FUZZ_SETUP(ms_lexicon_save_image(lx, ipath, "fuzz") == 0, &err);
    FILE *f = fopen(ipath, "rb");
    FUZZ_SETUP(f, &err);
    fseek(f, 0, SEEK_END);
    size_t n = (size_t)ftell(f);
    rewind(f);
    char *img = malloc(n ? n : 1);
    FUZZ_SETUP(img && fread(img, 1, n, f) == n, &err);
    fclose(f);
    unlink(ipath);

    ms_lexicon *back = ms_lexicon_read_image(an, img, n, "fuzz");
    FUZZ_CHECK(back != NULL, "the image of a loaded lexicon is refused");
    FUZZ_CHECK(strcmp(ms_lexicon_digest(back), ms_lexicon_digest(lx)) == 0, "digest %s, not %s",
               ms_lexicon_digest(back), ms_lexicon_digest(lx));
    const char *texts[] = {sentence, text};
    const size_t lens[] = {sizeof sentence - 1, len};
    for (int t = 0; t < 2; t++) {
        size_t *a, *b;
        size_t na = tag(lx, texts[t], lens[t], &a);
        size_t nb = tag(back, texts[t], lens[t], &b);
        FUZZ_CHECK(na == nb && memcmp(a, b, 4 * na * sizeof *a) == 0,
                   "text %d: %zu entities loaded, %zu from the image", t, na, nb);
        free(a);
        free(b);
    }
    ms_lexicon_free(back);

    /* damage at places the input picks */
    uint64_t h = ms_fnv1a(MS_FNV_BASIS, text, len);
    for (int k = 0; k < 4 && n; k++) {
        img[h % n] ^= (char)(h >> 56 | 1);
        h = h * 6364136223846793005ull + 1442695040888963407ull;
    }
    back = ms_lexicon_read_image(an, img, n, "fuzz");
    if (back) {
        tag(back, sentence, sizeof sentence - 1, NULL);
        tag(back, text, len, NULL);
        ms_lexicon_free(back);
    }
    free(img);
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
        tag(lx, sentence, sizeof sentence - 1, NULL);
        /* The input as text, exact size: ASan sees reads past its end. */
        char *text = malloc(size ? size : 1);
        if (!text)
            abort();
        if (size)
            memcpy(text, data, size);
        tag(lx, text, size, NULL);
        image_checks(lx, text, size);
        free(text);
    } else {
        fuzz_check_error(&err);
    }
    ms_lexicon_free(lx);
    return 0;
}
