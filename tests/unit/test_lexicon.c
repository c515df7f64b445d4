/* Unit tests of the lexicon: loading (and rejecting malformed lines) and
 * tagging drugs, symptoms and conditions, on sentences and on the look-alike
 * articles of tests/fixtures/lexicon/corpus. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lexicon/lexicon.h"

static ms_analyzer *an;
static ms_lexicon *lx; /* the shipped lexicon */
static ms_tokens toks;
static ms_entities ents;
static char tmpdir[] = "/tmp/medsearch-test-lexicon.XXXXXX";

static int setup(void **state)
{
    (void)state;
    ms_error err;
    an = ms_analyzer_new(NULL, &err);
    if (!an || !mkdtemp(tmpdir))
        return -1;
    lx = ms_lexicon_new(an, &err);
    if (!lx || ms_lexicon_load_dir(lx, LEXICON_DIR, &err) < 0) {
        fprintf(stderr, "loading %s: %s\n", LEXICON_DIR, err.msg);
        return -1;
    }
    ms_tokens_init(&toks);
    ms_entities_init(&ents);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ms_entities_free(&ents);
    ms_tokens_free(&toks);
    ms_lexicon_free(lx);
    ms_analyzer_free(an);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Tag text with l; the entities as "kind:name[mention]" joined by "; ", with
 * a '*' after the name of an inferred drug. */
static const char *tag_with(const ms_lexicon *l, const char *text)
{
    static char buf[8192];
    ms_tokens_reset(&toks);
    ms_analyze(an, text, strlen(text), 1, &toks);
    ents.n = 0;
    ms_lexicon_tag(l, text, &toks, &ents);
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ents.n && w < sizeof buf; i++) {
        const ms_entity *e = &ents.v[i];
        w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%s:%s%s[%.*s]", i ? "; " : "",
                              ms_entkind_name(e->kind), ms_entity_name(l, e, &toks),
                              e->inferred ? "*" : "", (int)(e->end - e->start), text + e->start);
    }
    return buf;
}

static const char *tag(const char *text)
{
    return tag_with(lx, text);
}

typedef struct tcase {
    const char *text, *want;
} tcase;

static void check_cases(const tcase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *got = tag(c[i].text);
        if (strcmp(got, c[i].want) != 0)
            fail_msg("tagging \"%s\"\n got: %s\nwant: %s", c[i].text, got, c[i].want);
    }
}

#define CHECK(cases) check_cases(cases, sizeof cases / sizeof *cases)

static void test_shipped_lexicon(void **state)
{
    (void)state;
    assert_true(ms_lexicon_count(lx, MS_ENT_DRUG) >= 1000);
    assert_true(ms_lexicon_count(lx, MS_ENT_SYMPTOM) >= 250);
    assert_true(ms_lexicon_count(lx, MS_ENT_CONDITION) >= 500);
    const char *d = ms_lexicon_digest(lx);
    assert_int_equal(strlen(d), 16);
    assert_int_equal(strspn(d, "0123456789abcdef"), 16);
}

/* Every drug of the seed articles, in sentences of our own. */
static void test_seed_drugs(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"Take cetirizine hydrochloride tablets at night.",
         "drug:cetirizine[cetirizine hydrochloride tablets]"},
        {"Hydrocortisone butyrate cream for two weeks.",
         "drug:hydrocortisone[Hydrocortisone butyrate cream]"},
        {"She used hydrocortisone cream.", "drug:hydrocortisone[hydrocortisone cream]"},
        {"Try compound acetic acid dexamethasone cream.",
         "drug:dexamethasone[compound acetic acid dexamethasone cream]"},
        {"Apply urea-vitamin E cream after the bath.",
         "drug:urea[urea-vitamin E cream]; drug:vitamin e[urea-vitamin E cream]"},
        {"tripterygium glycosides tablets are strong",
         "drug:tripterygium glycosides[tripterygium glycosides tablets]"},
        {"mometasone furoate cream", "drug:mometasone[mometasone furoate cream]"},
        {"halometasone cream", "drug:halometasone[halometasone cream]"},
        {"or fexofenadine hydrochloride tablets",
         "drug:fexofenadine[fexofenadine hydrochloride tablets]"},
        {"loratadine tablets", "drug:loratadine[loratadine tablets]"},
        {"desonide cream", "drug:desonide[desonide cream]"},
        {"prednisone acetate tablets", "drug:prednisone[prednisone acetate tablets]"},
        {"tacrolimus ointment", "drug:tacrolimus[tacrolimus ointment]"},
        {"cyclosporine capsules", "drug:cyclosporine[cyclosporine capsules]"},
        {"tretinoin cream", "drug:tretinoin[tretinoin cream]"},
        {"salicylic acid ointment", "drug:salicylic acid[salicylic acid ointment]"},
        {"calamine lotion", "drug:calamine[calamine lotion]"},
        {"petroleum jelly", "drug:petroleum jelly[petroleum jelly]"},
    };
    CHECK(cases);
}

static void test_seed_symptoms_and_conditions(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"keratosis pilaris", "condition:keratosis pilaris[keratosis pilaris]"},
        {"Prurigo nodularis", "condition:prurigo nodularis[Prurigo nodularis]"},
        {"insect bite dermatitis", "condition:insect bite dermatitis[insect bite dermatitis]"},
        {"palmoplantar pustulosis", "condition:palmoplantar pustulosis[palmoplantar pustulosis]"},
        {"pustulosis plantaris et palmaris",
         "condition:palmoplantar pustulosis[pustulosis plantaris et palmaris]"},
        {"eczema", "condition:atopic dermatitis[eczema]"},
        {"psoriasis", "condition:psoriasis[psoriasis]"},
        {"contact dermatitis", "condition:contact dermatitis[contact dermatitis]"},
        {"urticaria", "condition:urticaria[urticaria]"},
        {"hives", "condition:urticaria[hives]; symptom:hives[hives]"},
        {"itching", "symptom:itching[itching]"},
        {"an itchy rash", "symptom:itching[itchy]; symptom:rash[rash]"},
        {"pruritus", "symptom:itching[pruritus]"},
        {"papules", "symptom:bumps[papules]"},
        {"blisters", "symptom:blisters[blisters]"},
        {"vesicles", "symptom:blisters[vesicles]"},
        {"redness", "symptom:redness[redness]"},
        {"swelling", "symptom:swelling[swelling]"},
        {"scales", "symptom:flaking[scales]"},
        {"skin dehydration", "symptom:dry skin[skin dehydration]"},
        {"bacterial infections", "condition:bacterial infection[bacterial infections]"},
        {"dental infections", "condition:dental infection[dental infections]"},
        {"soreness and a burning sensation",
         "symptom:soreness[soreness]; symptom:burning sensation[burning sensation]"},
    };
    CHECK(cases);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The look-alike articles: each kind:name must be tagged somewhere in it. */
static void test_fixture_articles(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        const char *want[40];
    } arts[] = {
        {"skin/hand-bumps.txt",
         {"condition:atopic dermatitis",
          "condition:hand eczema",
          "condition:urticaria",
          "condition:psoriasis",
          "symptom:bumps",
          "symptom:blisters",
          "symptom:redness",
          "symptom:itching",
          "symptom:swelling",
          "symptom:flaking",
          "drug:hydrocortisone",
          "drug:desonide",
          "drug:dexamethasone",
          "drug:cetirizine",
          "drug:loratadine",
          "drug:tripterygium glycosides",
          "drug:prednisone",
          "drug:tacrolimus",
          "drug:cyclosporine",
          NULL}},
        {"skin/leg-lumps.md",
         {"condition:keratosis pilaris",
          "condition:atopic dermatitis",
          "condition:insect bite dermatitis",
          "condition:prurigo nodularis",
          "symptom:dry skin",
          "symptom:itching",
          "symptom:bumps",
          "drug:petroleum jelly",
          "drug:urea",
          "drug:vitamin e",
          "drug:tretinoin",
          "drug:salicylic acid",
          "drug:desonide",
          "drug:hydrocortisone",
          "drug:loratadine",
          "drug:calamine",
          "drug:mometasone",
          "drug:cetirizine",
          "drug:halometasone",
          "drug:tacrolimus",
          "drug:fexofenadine",
          NULL}},
        {"skin/palm-pustules.txt",
         {"condition:palmoplantar pustulosis", "condition:tonsillitis",
          "condition:bacterial infection", "condition:dental infection",
          "condition:contact dermatitis", "condition:psoriasis", "symptom:blisters",
          "symptom:pustules", "symptom:flaking", "symptom:cracked skin", "symptom:itching",
          "symptom:soreness", "symptom:burning sensation", NULL}},
    };
    for (size_t a = 0; a < sizeof arts / sizeof *arts; a++) {
        char path[512];
        snprintf(path, sizeof path, "%s/lexicon/corpus/%s", FIXTURES_DIR, arts[a].file);
        const char *text = slurp(path);
        assert_non_null(text);
        const char *got = tag(text);
        for (const char *const *w = arts[a].want; *w; w++) {
            char needle[128];
            snprintf(needle, sizeof needle, "%s[", *w);
            int at_start = strncmp(got, needle, strlen(needle)) == 0;
            snprintf(needle, sizeof needle, "; %s[", *w);
            if (!at_start && !strstr(got, needle))
                fail_msg("%s: no %s in\n%s", arts[a].file, *w, got);
        }
        /* PPP is the abbreviation of the article's condition, and it names it */
        if (strstr(arts[a].file, "palm"))
            assert_non_null(strstr(got, "condition:palmoplantar pustulosis[PPP]"));
    }
}

static void test_longest_match(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"allergic contact dermatitis",
         "condition:allergic contact dermatitis[allergic contact dermatitis]"},
        {"irritant contact dermatitis",
         "condition:irritant contact dermatitis[irritant contact dermatitis]"},
        {"contact dermatitis", "condition:contact dermatitis[contact dermatitis]"},
        {"chronic spontaneous urticaria",
         "condition:chronic spontaneous urticaria[chronic spontaneous urticaria]"},
        /* a prefix of longer forms that goes nowhere: matching starts over
           at the next word */
        {"small cell cancer", "condition:cancer[cancer]"},
        {"chronic spontaneous hives", "condition:urticaria[hives]; symptom:hives[hives]"},
        {"insect bite", "condition:insect bite dermatitis[insect bite]"},
    };
    CHECK(cases);
}

static void test_case_accents_hyphens(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"CETIRIZINE", "drug:cetirizine[CETIRIZINE]"},
        {"Keratosis-Pilaris", "condition:keratosis pilaris[Keratosis-Pilaris]"},
        {"urea vitamin e cream",
         "drug:urea[urea vitamin e cream]; drug:vitamin e[urea vitamin e cream]"},
        {"Sjögren's syndrome", "condition:sjogren's syndrome[Sjögren's syndrome]"},
        {"SJOGREN SYNDROME", "condition:sjogren's syndrome[SJOGREN SYNDROME]"},
        {"Crohn’s disease", "condition:crohn's disease[Crohn’s disease]"},
        {"crohn disease", "condition:crohn's disease[crohn disease]"},
        {"atopic  dermatitis", "condition:atopic dermatitis[atopic  dermatitis]"},
    };
    CHECK(cases);
}

static void test_brands_and_combos(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"Zyrtec", "drug:cetirizine[Zyrtec]"},
        {"two Claritin tablets", "drug:loratadine[Claritin tablets]"},
        {"Telfast", "drug:fexofenadine[Telfast]"},
        {"Zyrtec-D", "drug:cetirizine[Zyrtec-D]; drug:pseudoephedrine[Zyrtec-D]"},
        {"Piyanping cream", "drug:dexamethasone[Piyanping cream]"},
        {"paracetamol", "drug:acetaminophen[paracetamol]"},
    };
    CHECK(cases);
}

static void test_salts_and_forms(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"cetirizine HCl", "drug:cetirizine[cetirizine HCl]"},
        {"betamethasone dipropionate ointment",
         "drug:betamethasone[betamethasone dipropionate ointment]"},
        {"hydrocortisone butyrate propionate cream",
         "drug:hydrocortisone[hydrocortisone butyrate propionate cream]"},
        {"fexofenadine film-coated tablets", "drug:fexofenadine[fexofenadine film-coated tablets]"},
        /* a dose is not a form: the mention stops before it */
        {"loratadine 10 mg tablets", "drug:loratadine[loratadine]"},
        /* form words alone are no entity */
        {"cream and tablets", ""},
    };
    CHECK(cases);
}

/* A mention never runs across punctuation or a line end (joinable()). */
static void test_no_match_across_punctuation(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"keratosis. Pilaris", ""},
        {"prurigo\nnodularis", ""},
        {"palmoplantar, pustulosis", ""},
        {"insect bite / dermatitis", "condition:insect bite dermatitis[insect bite]"},
        {"cetirizine, hydrochloride tablets", "drug:cetirizine[cetirizine]"},
        {"loratadine\ntablets", "drug:loratadine[loratadine]"},
        {"hydrocortisone (cream)", "drug:hydrocortisone[hydrocortisone]"},
        {"- atopic\n- dermatitis", ""},
    };
    CHECK(cases);
}

static void test_abbreviations_in_capitals(void **state)
{
    (void)state;
    static const tcase cases[] = {
        {"PPP", "condition:palmoplantar pustulosis[PPP]"},
        {"PPP of the soles", "condition:palmoplantar pustulosis[PPP]"},
        {"ppp", ""},
        {"Ppp", ""},
        {"KP", "condition:keratosis pilaris[KP]"},
        {"kp", ""},
    };
    CHECK(cases);
}

/* Drugs the list lacks, by INN ending and context. */
static void test_inn_inference(void **state)
{
    (void)state;
    static const tcase cases[] = {
        /* a dosage form or salt after it */
        {"zorbetasone cream", "drug:zorbetasone*[zorbetasone cream]"},
        {"Quxtadine hydrochloride tablets", "drug:quxtadine*[Quxtadine hydrochloride tablets]"},
        /* a verb of use before it */
        {"take fooprazole daily", "drug:fooprazole*[fooprazole]"},
        {"Doctors prescribe barlukast.", "drug:barlukast*[barlukast]"},
        /* with, after a treatment */
        {"treated with zanitinib", "drug:zanitinib*[zanitinib]"},
        {"chemotherapy with plorbicin", ""}, /* -bicin is no INN ending */
        {"immunotherapy with fizumab", "drug:fizumab*[fizumab]"},
        /* a drug noun */
        {"the drug quelvudine", "drug:quelvudine*[quelvudine]"},
        {"medicines such as traxolol", "drug:traxolol*[traxolol]"},
        {"a medicine called grelotinib", "drug:grelotinib*[grelotinib]"},
        /* a list that goes on from a drug, known or inferred */
        {"cetirizine, quxtadine and barlukast",
         "drug:cetirizine[cetirizine]; drug:quxtadine*[quxtadine]; drug:barlukast*[barlukast]"},
        {"take fooprazole or barlukast",
         "drug:fooprazole*[fooprazole]; drug:barlukast*[barlukast]"},
        /* no context, or context in another sentence: nothing */
        {"zorbetasone", ""},
        {"levels of fooprazole rose", ""},
        {"Take it. Fooprazole is new.", ""},
        {"use: fooprazole", ""},
        {"cetirizine. Quxtadine", "drug:cetirizine[cetirizine]"},
        {"cetirizine quxtadine", "drug:cetirizine[cetirizine]"},
        /* a hyphenated part is an adjective */
        {"treated with fooprazole-like agents", ""},
        /* too short, or too little before the ending */
        {"take azole", ""},
        {"take xyazole", ""},
        {"take xyzazole", "drug:xyzazole*[xyzazole]"},
        /* not all letters */
        {"take 4fooprazole", ""},
        /* a known drug is never inferred */
        {"take cetirizine", "drug:cetirizine[cetirizine]"},
    };
    CHECK(cases);
}

/* Without the drug list, the seed's halometasone cream is found by its INN
 * ending -asone and the cream after it. */
static void test_inn_halometasone(void **state)
{
    (void)state;
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_file(l, LEXICON_DIR "/modifiers.tsv", &err), 0);
    assert_int_equal(ms_lexicon_load_file(l, LEXICON_DIR "/stems.tsv", &err), 0);
    assert_string_equal(tag_with(l, "use halometasone cream or tacrolimus ointment."),
                        "drug:halometasone*[halometasone cream]; drug:tacrolimus*[tacrolimus "
                        "ointment]");
    assert_string_equal(tag_with(l, "halometasone"), "");
    ms_lexicon_free(l);
}

/* Token indices and byte spans, with alternatives between the primary
 * tokens, and entities appended after earlier ones. */
static void test_token_indices(void **state)
{
    (void)state;
    const char *text = "Urea-vitamin E cream, then Zyrtec.";
    ms_tokens_reset(&toks);
    ms_analyze(an, text, strlen(text), 1, &toks);
    ms_entities e;
    ms_entities_init(&e);
    ms_lexicon_tag(lx, text, &toks, &e);
    ms_lexicon_tag(lx, text, &toks, &e); /* appends */
    assert_int_equal(e.n, 6);
    assert_int_equal(e.v[0].kind, MS_ENT_DRUG);
    assert_string_equal(ms_entity_name(lx, &e.v[0], &toks), "urea");
    assert_string_equal(ms_entity_name(lx, &e.v[1], &toks), "vitamin e");
    assert_int_equal(e.v[0].start, 0);
    assert_int_equal(e.v[0].end, 20);
    assert_int_equal(e.v[0].tok_first, 0);
    /* urea, vitamin, urea-vitamin (alternative), e, cream */
    assert_string_equal(ms_token_term(&toks, &toks.v[e.v[0].tok_end - 1]), "cream");
    assert_int_equal(e.v[2].start, 27);
    assert_int_equal(e.v[2].end, 33);
    assert_string_equal(ms_token_term(&toks, &toks.v[e.v[2].tok_first]), "zyrtec");
    assert_int_equal(e.v[2].tok_end, e.v[2].tok_first + 1);
    assert_int_equal(e.v[3].start, 0);
    assert_int_equal(e.v[5].end, 33);
    for (size_t i = 0; i < e.n; i++)
        assert_int_equal(e.v[i].entry,
                         ms_lexicon_find(lx, MS_ENT_DRUG, ms_entity_name(lx, &e.v[i], &toks)));
    ms_entities_free(&e);

    /* an entity of an earlier call never starts a list for this one */
    ms_entities_init(&e);
    const char *a = "cetirizine,", *b = "quxtadine";
    ms_tokens_reset(&toks);
    ms_analyze(an, a, strlen(a), 1, &toks);
    ms_lexicon_tag(lx, a, &toks, &e);
    ms_tokens_reset(&toks);
    ms_analyze(an, b, strlen(b), 1, &toks);
    ms_lexicon_tag(lx, b, &toks, &e);
    assert_int_equal(e.n, 1);
    ms_entities_free(&e);

    /* nothing to tag */
    assert_string_equal(tag(""), "");
    assert_string_equal(tag("!!! ... ,,,"), "");
}

static void test_find_and_forms(void **state)
{
    (void)state;
    int c = ms_lexicon_find(lx, MS_ENT_DRUG, "cetirizine");
    assert_true(c >= 0);
    assert_string_equal(ms_lexicon_entry_name(lx, c), "cetirizine");
    assert_string_equal(ms_lexicon_entry_class(lx, c), "antihistamine");
    assert_int_equal(ms_lexicon_find(lx, MS_ENT_DRUG, "zyrtec"), c);
    assert_int_equal(ms_lexicon_find(lx, MS_ENT_SYMPTOM, "cetirizine"), -1);
    assert_int_equal(ms_lexicon_find(lx, MS_ENT_DRUG, "no such drug"), -1);
    /* a combination product: its first ingredient */
    assert_int_equal(ms_lexicon_find(lx, MS_ENT_DRUG, "zyrtec d"), c);
    int ad = ms_lexicon_find(lx, MS_ENT_CONDITION, "atopic eczema");
    assert_true(ad >= 0);
    assert_string_equal(ms_lexicon_entry_name(lx, ad), "atopic dermatitis");
    assert_null(ms_lexicon_entry_class(lx, ad));
    size_t n = ms_lexicon_entry_n_forms(lx, ad);
    assert_true(n >= 3);
    assert_string_equal(ms_lexicon_entry_form(lx, ad, 0), "atopic dermatitis");
    int eczema = 0;
    for (size_t i = 0; i < n; i++)
        eczema |= strcmp(ms_lexicon_entry_form(lx, ad, i), "eczema") == 0;
    assert_true(eczema);
    assert_string_equal(ms_lexicon_entry_form(lx, ad, n), "");
    /* forms are keys: folded, a trailing 's cut */
    int crohn = ms_lexicon_find(lx, MS_ENT_CONDITION, "crohn disease");
    assert_true(crohn >= 0);
    assert_string_equal(ms_lexicon_entry_form(lx, crohn, 0), "crohn disease");
}

static void test_entity_term(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(ms_entity_term(MS_ENT_CONDITION, "atopic dermatitis", buf, sizeof buf), 22);
    assert_string_equal(buf, "XCONDatopic_dermatitis");
    ms_entity_term(MS_ENT_DRUG, "vitamin e", buf, sizeof buf);
    assert_string_equal(buf, "XDRUGvitamin_e");
    ms_entity_term(MS_ENT_SYMPTOM, "dry-skin", buf, sizeof buf);
    assert_string_equal(buf, "XSYMdry_skin");
    assert_int_equal(ms_entity_term(MS_ENT_DRUG, "cetirizine", buf, 8), 7);
    assert_string_equal(buf, "XDRUGce");
    assert_string_equal(ms_entkind_prefix(MS_ENT_SYMPTOM), "XSYM");
    assert_string_equal(ms_entkind_name(MS_ENT_CONDITION), "condition");
}

/* Write data[0..len) to a file of the test directory; returns its path. */
static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* Load text as a lexicon file; the error message, or "" if it loads. */
static const char *load_error(const char *data, size_t len, const char **path)
{
    static ms_error err;
    *path = write_file("t.tsv", data, len);
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_non_null(l);
    int rc = ms_lexicon_load_file(l, *path, &err);
    ms_lexicon_free(l);
    if (rc == 0)
        return "";
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, MS_EFORMAT);
    return err.msg;
}

static void test_loader_errors(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        const char *want; /* "LINE: message", or "" when the file is good */
    } cases[] = {
        {"drugg\tfoo\tclass=x\n",
         "1: unknown kind 'drugg' (drug, combo, symptom, condition, salt, form, stem)"},
        {"# a comment\n\ndrug\n", "3: missing name after 'drug'"},
        {"drug\t\tclass=x\n", "1: missing name after 'drug'"},
        {"drug\tfoo\tclassx\n", "1: field 3 is not key=value: 'classx'"},
        {"drug\tfoo\t=x\n", "1: field 3 is not key=value: '=x'"},
        {"drug\tfoo\tclass=x\t\n", "1: field 4 is not key=value: ''"},
        {"drug\tfoo\tclass=x\tcolour=red\n", "1: unknown key 'colour' for drug"},
        {"symptom\titch\tbrand=Itchex\n", "1: unknown key 'brand' for symptom"},
        {"stem\tazole\talias=x\n", "1: unknown key 'alias' for stem"},
        {"symptom\titch\talias=a||b\n", "1: empty item in alias="},
        {"symptom\titch\talias=\n", "1: empty item in alias="},
        {"drug\tfoo\tclass=\n", "1: empty item in class="},
        {"drug\tfoo\tbrand=Foo\n", "1: drug 'foo' has no class="},
        {"combo\tfoo bar\tbrand=Foobar\n", "1: combo 'foo bar' has no ingredients="},
        {"drug\tfoo\tclass=x\ncombo\tfoo bar\tingredients=foo|bar\n",
         "2: ingredient 'bar' is not a drug defined before it"},
        {"combo\tfoo bar\tingredients=foo\ndrug\tfoo\tclass=x\n",
         "1: ingredient 'foo' is not a drug defined before it"},
        {"drug\tfoo\tclass=x\nsymptom\tbar\ndrug\tfoo\tclass=y\n",
         "3: drug 'foo' is defined twice"},
        {"condition\tbar bee\ncondition\tBar-Bee\n", "2: condition 'Bar-Bee' is defined twice"},
        {"stem\tazole\nstem\tAZOLE\n", "2: stem 'AZOLE' is defined twice"},
        {"stem\taz-ole\n", "1: stem 'az-ole' is not a suffix of letters a-z"},
        {"drug\t---\tclass=x\n", "1: name '---' has no words"},
        {"symptom\titch\talias=!!\n", "1: item '!!' in alias= has no words"},
        /* good files: the same name in two kinds, CRLF, comments */
        {"drug\tfoo\tclass=x\r\nsymptom\tfoo\r\n# done\r\n", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *path;
        const char *got = load_error(cases[i].data, strlen(cases[i].data), &path);
        char want[512] = "";
        if (cases[i].want[0])
            snprintf(want, sizeof want, "%s:%s", path, cases[i].want);
        if (strcmp(got, want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, got, want);
    }

    /* a NUL byte */
    const char *path;
    static const char nul[] = "drug\tfoo\tclass=x\ndrug\tb\0r\tclass=x\n";
    char want[1300];
    const char *got = load_error(nul, sizeof nul - 1, &path);
    snprintf(want, sizeof want, "%s:2: NUL byte in line", path);
    assert_string_equal(got, want);

    /* a name too long for a key: ten words of sixty letters */
    char line[1024] = "condition\t";
    for (int w = 0; w < 10; w++) {
        size_t l = strlen(line);
        memset(line + l, 'a' + w, 60);
        line[l + 60] = w < 9 ? ' ' : '\0';
        line[l + 61] = '\0';
    }
    char name[sizeof line];
    snprintf(name, sizeof name, "%s", line + strlen("condition\t"));
    strcat(line, "\n");
    got = load_error(line, strlen(line), &path);
    snprintf(want, sizeof want, "%s:1: name '%s' is too long", path, name);
    assert_string_equal(got, want);

    /* a file that is not there */
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_file(l, "/nonexistent/x.tsv", &err), -1);
    assert_int_equal(err.code, MS_EIO);
    assert_string_equal(err.msg, "/nonexistent/x.tsv: cannot open: No such file or directory");
    ms_lexicon_free(l);
}

/* A malformed line adds nothing of itself; the lines before it stay. */
static void test_malformed_line_adds_nothing(void **state)
{
    (void)state;
    static const char data[] = "drug\tfoo\tclass=x\tbrand=Fooex\n"
                               "drug\tbar\tclass=x\tbrand=Barex|\n";
    const char *path = write_file("partial.tsv", data, sizeof data - 1);
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_file(l, path, &err), -1);
    assert_int_equal(ms_lexicon_count(l, MS_ENT_DRUG), 1);
    assert_true(ms_lexicon_find(l, MS_ENT_DRUG, "fooex") >= 0);
    assert_int_equal(ms_lexicon_find(l, MS_ENT_DRUG, "bar"), -1);
    assert_int_equal(ms_lexicon_find(l, MS_ENT_DRUG, "barex"), -1);
    assert_string_equal(tag_with(l, "bar and barex"), "");
    ms_lexicon_free(l);
}

static const char *digest_of(const char *data)
{
    static char d[17];
    const char *path = write_text("digest.tsv", data);
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_file(l, path, &err), 0);
    snprintf(d, sizeof d, "%s", ms_lexicon_digest(l));
    ms_lexicon_free(l);
    return d;
}

/* The key the analyzer gives for text: its primary terms, a trailing 's
 * cut, joined by spaces ("" when it has none). */
static const char *analyzer_key(const char *text)
{
    static char key[2048];
    size_t w = 0;
    ms_tokens_reset(&toks);
    ms_analyze(an, text, strlen(text), 1, &toks);
    for (size_t i = 0; i < toks.n; i++) {
        const ms_token *k = &toks.v[i];
        if (k->flags & MS_TOK_ALT)
            continue;
        const char *s = ms_token_term(&toks, k);
        size_t n = k->len;
        if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's')
            n -= 2;
        w += (size_t)snprintf(key + w, sizeof key - w, "%s%.*s", w ? " " : "", (int)n, s);
    }
    key[w] = '\0';
    return key;
}

/* Every name and form is keyed by the analyzer's terms, whatever its case,
 * punctuation, spacing and length (plain ASCII names are keyed without the
 * analyzer, and must come out the same). */
static void test_keys_are_analyzed(void **state)
{
    (void)state;
    static char longword[80], longname[600];
    memset(longword, 'q', 70); /* longer than a term: the analyzer cuts it */
    for (size_t i = 0; i + 4 < 500; i += 4)
        memcpy(longname + i, "abc ", 4); /* many terms, just short of a key's limit */
    const char *names[] = {
        "Itchy Skin",
        "  spaced   out\x01words  ",
        "Foo (Bar) / baz, qux.",
        "ZYRTEC",
        "Crohn's disease",
        "Crohn\xe2\x80\x99s",
        "anti-itch cream",
        "10mg tablets",
        "vitamin B12",
        "Sj\xc3\xb6gren syndrome",
        "a.b.c",
        "x_y z",
        longword,
        longname,
    };
    char data[8192] = "";
    size_t w = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        w += (size_t)snprintf(data + w, sizeof data - w, "symptom\tname%zu\talias=%s\n", i,
                              names[i]);
    const char *path = write_text("keys.tsv", data);
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_file(l, path, &err), 0);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char name[32];
        snprintf(name, sizeof name, "name%zu", i);
        int e = ms_lexicon_find(l, MS_ENT_SYMPTOM, name);
        assert_true(e >= 0);
        assert_int_equal(ms_lexicon_entry_n_forms(l, e), 2);
        const char *form = ms_lexicon_entry_form(l, e, 1);
        if (strcmp(form, analyzer_key(names[i])) != 0)
            fail_msg("'%s': key '%s', analyzer '%s'", names[i], form, analyzer_key(names[i]));
        assert_int_equal(ms_lexicon_find(l, MS_ENT_SYMPTOM, form), e);
    }
    ms_lexicon_free(l);
}

static void test_digest(void **state)
{
    (void)state;
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_string_equal(ms_lexicon_digest(l), "empty");
    ms_lexicon_free(l);
    char a[17];
    snprintf(a, sizeof a, "%s", digest_of("drug\tfoo\tclass=x\nsymptom\titch\talias=itchy\n"));
    /* comments, blank lines and CRLF change nothing an index holds */
    assert_string_equal(
        digest_of("# the list\n\ndrug\tfoo\tclass=x\r\n\n# symptoms\nsymptom\titch\talias=itchy\n"),
        a);
    assert_string_not_equal(digest_of("drug\tfoo\tclass=x\nsymptom\titch\talias=itchy|itches\n"),
                            a);
    assert_string_not_equal(digest_of("symptom\titch\talias=itchy\ndrug\tfoo\tclass=x\n"), a);
}

static void test_load_dir(void **state)
{
    (void)state;
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    char dir[256];
    snprintf(dir, sizeof dir, "%s/empty", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(ms_lexicon_load_dir(l, dir, &err), -1);
    assert_non_null(strstr(err.msg, "no lexicon files"));
    assert_int_equal(ms_lexicon_load_dir(l, "/nonexistent", &err), -1);
    assert_int_equal(err.code, MS_EIO);
    ms_lexicon_free(l);

    /* files load in name order: a combo in b.tsv may use a drug of a.tsv */
    snprintf(dir, sizeof dir, "%s/two", tmpdir);
    assert_int_equal(mkdir(dir, 0700), 0);
    write_text("two/b.tsv", "combo\tfoo bar\tingredients=foo|bar\n");
    write_text("two/a.tsv", "drug\tfoo\tclass=x\ndrug\tbar\tclass=x\n");
    write_text("two/notes.txt", "not a lexicon\n");
    l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_dir(l, dir, &err), 0);
    assert_string_equal(tag_with(l, "foo bar"), "drug:foo[foo bar]; drug:bar[foo bar]");
    ms_lexicon_free(l);
}

static void test_default_dir(void **state)
{
    (void)state;
    setenv("MEDSEARCH_LEXICON", "/some/where", 1);
    assert_string_equal(ms_lexicon_default_dir(), "/some/where");
    unsetenv("MEDSEARCH_LEXICON");
    assert_true(strlen(ms_lexicon_default_dir()) > 0);
}

/* A user lexicon on top of the shipped one adds a drug and its brand. */
static void test_user_lexicon(void **state)
{
    (void)state;
    ms_error err;
    ms_lexicon *l = ms_lexicon_new(an, &err);
    assert_int_equal(ms_lexicon_load_dir(l, LEXICON_DIR, &err), 0);
    char before[17];
    snprintf(before, sizeof before, "%s", ms_lexicon_digest(l));
    assert_int_equal(ms_lexicon_load_file(l, FIXTURES_DIR "/lexicon/user.tsv", &err), 0);
    assert_string_not_equal(ms_lexicon_digest(l), before);
    assert_string_equal(tag_with(l, "Apply velutrin gel, or Calmora."),
                        "drug:velutrin[velutrin gel]; drug:velutrin[Calmora]");
    assert_string_equal(tag("Apply velutrin gel."), "");
    ms_lexicon_free(l);
}

/* Long and odd input: many tokens, long words, invalid UTF-8. */
static void test_odd_input(void **state)
{
    (void)state;
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    static const char unit[] = "itchy papules, cetirizine tablets\n";
    for (size_t i = 0; i < n; i++)
        big[i] = unit[i % (sizeof unit - 1)];
    big[n] = '\0';
    ms_tokens_reset(&toks);
    ms_analyze(an, big, n, 1, &toks);
    ents.n = 0;
    ms_lexicon_tag(lx, big, &toks, &ents);
    size_t units = n / (sizeof unit - 1);
    assert_true(ents.n >= 3 * units && ents.n <= 3 * units + 3);
    for (size_t i = 0; i < ents.n; i++)
        assert_true(ents.v[i].start < ents.v[i].end && ents.v[i].end <= n);
    memset(big, 'a', 5000);
    big[5000] = '\0';
    assert_string_equal(tag(big), "");
    free(big);
    assert_string_equal(tag("\xff\xfe itch\xc3"), "symptom:itching[itch]");
}

/* ---- the compiled image ---- */

/* The fixture articles' and some sentences' tags with l, joined. */
static char *tags_of(const ms_lexicon *l)
{
    static const char *const files[] = {"skin/hand-bumps.txt", "skin/leg-lumps.md",
                                        "skin/palm-pustules.txt"};
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    for (size_t i = 0; i < sizeof files / sizeof *files + 1; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/lexicon/corpus/%s", FIXTURES_DIR,
                 i < 3 ? files[i] : files[0]);
        const char *text = i < 3 ? slurp(path) : NULL; /* (slurp's buffer is its own) */
        const char *t = text ? text
                             : "Take Zyrtec or cetirizine hydrochloride 10 mg tablets; GERD, PPP "
                               "and fluconazole 150mg; voriconazole tablets were given.";
        const char *got = tag_with(l, t);
        size_t gl = strlen(got);
        while (len + gl + 2 > cap)
            out = realloc(out, cap *= 2);
        memcpy(out + len, got, gl);
        len += gl;
        out[len++] = '\n';
        out[len] = '\0';
    }
    return out;
}

static void same_lexicon(const ms_lexicon *a, const ms_lexicon *b)
{
    assert_string_equal(ms_lexicon_digest(a), ms_lexicon_digest(b));
    for (int k = 0; k < 3; k++)
        assert_int_equal(ms_lexicon_count(a, (ms_entkind)k), ms_lexicon_count(b, (ms_entkind)k));
    assert_int_equal(ms_lexicon_size(a), ms_lexicon_size(b));
    for (int i = 0; (size_t)i < ms_lexicon_size(a); i++) {
        assert_string_equal(ms_lexicon_entry_name(a, i), ms_lexicon_entry_name(b, i));
        const char *ca = ms_lexicon_entry_class(a, i), *cb = ms_lexicon_entry_class(b, i);
        assert_true(ca ? cb && strcmp(ca, cb) == 0 : !cb);
        size_t na = ms_lexicon_entry_n_forms(a, i);
        assert_int_equal(na, ms_lexicon_entry_n_forms(b, i));
        for (size_t j = 0; j < na; j++) {
            const char *fa = ms_lexicon_entry_form(a, i, j), *fb = ms_lexicon_entry_form(b, i, j);
            assert_string_equal(fa, fb);
            for (int k = 0; k < 3; k++)
                assert_int_equal(ms_lexicon_find(a, (ms_entkind)k, fa),
                                 ms_lexicon_find(b, (ms_entkind)k, fb));
        }
    }
    char *ta = tags_of(a), *tb = tags_of(b);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *b = malloc(*len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *len, f), *len);
    fclose(f);
    return b;
}

/* The image a lexicon of dir leaves in cache (the one file there). */
static char *image_path(const char *cache)
{
    static char path[4200];
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "ls %s/lexicon-*.img", cache);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(path, sizeof path, p));
    pclose(p);
    path[strcspn(path, "\n")] = '\0';
    return path;
}

static void test_image(void **state)
{
    (void)state;
    ms_error err;
    char cache[512], dir[512], cmd[1200];
    snprintf(cache, sizeof cache, "%s/cache", tmpdir);
    snprintf(dir, sizeof dir, "%s/imglex", tmpdir);
    assert_int_equal(mkdir(cache, 0700), 0);
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s/*.tsv %s/", dir, LEXICON_DIR, dir);
    assert_int_equal(system(cmd), 0);
    char user[600];
    snprintf(user, sizeof user, "%s/user.tsv", tmpdir);
    FILE *f = fopen(user, "w");
    assert_non_null(f);
    fputs("drug\tzorbexamine\tclass=test drug\tbrand=Zorbex\n", f);
    fclose(f);
    const char *files[] = {user};

    /* the first open parses and saves; the second reads the image */
    ms_lexicon *parsed = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_non_null(parsed);
    assert_false(ms_lexicon_from_image(parsed));
    ms_lexicon *img = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_non_null(img);
    assert_true(ms_lexicon_from_image(img));
    same_lexicon(parsed, img);
    assert_non_null(strstr(tag_with(img, "Zorbex helps."), "drug:zorbexamine"));
    assert_int_equal(ms_lexicon_load_file(img, user, &err), -1);
    ms_lexicon_free(img);

    /* a file that changed makes the image stale: parsed again, and saved */
    f = fopen(user, "w");
    assert_non_null(f);
    fputs("drug\tzorbexamine\tclass=test drug\tbrand=Zorbex|Zorbexa\n", f);
    fclose(f);
    img = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_non_null(img);
    assert_false(ms_lexicon_from_image(img));
    assert_non_null(strstr(tag_with(img, "Zorbexa helps."), "drug:zorbexamine"));
    assert_string_not_equal(ms_lexicon_digest(img), ms_lexicon_digest(parsed));
    ms_lexicon_free(img);
    img = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_true(ms_lexicon_from_image(img));
    assert_non_null(strstr(tag_with(img, "Zorbexa helps."), "drug:zorbexamine"));
    ms_lexicon_free(img);
    char path[4200]; /* the one image so far */
    snprintf(path, sizeof path, "%s", image_path(cache));
    /* so does another analyzer (its image is another file) */
    ms_analyzer_opts keep = {"english", 1};
    ms_analyzer *an2 = ms_analyzer_new(&keep, &err);
    img = ms_lexicon_open(an2, dir, files, 1, cache, &err);
    assert_non_null(img);
    assert_false(ms_lexicon_from_image(img));
    ms_lexicon_free(img);
    ms_analyzer_free(an2);

    /* an image with a damaged header is refused and replaced; damage
       anywhere else is never followed outside the image */
    size_t len;
    char *good = read_file(path, &len);
    char stamp_probe[64];
    snprintf(stamp_probe, sizeof stamp_probe, "no such stamp");
    assert_null(ms_lexicon_read_image(an, good, len, stamp_probe));
    for (size_t cut = 0; cut < len; cut += len / 97 + 1)
        assert_null(ms_lexicon_read_image(an, good, cut, "")); /* truncated */
    srand(7);
    char *bad = malloc(len);
    assert_non_null(bad);
    for (int round = 0; round < 300; round++) {
        memcpy(bad, good, len);
        for (int k = 0; k < 1 + round % 4; k++)
            bad[(size_t)rand() % len] ^= (char)(1 + rand() % 255);
        f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(bad, 1, len, f);
        fclose(f);
        /* whatever the damage, opening works: from the image if it still
           checks out (a changed letter in a name, say), else from the files */
        img = ms_lexicon_open(an, dir, files, 1, cache, &err);
        assert_non_null(img);
        tag_with(img, "Zorbexa or cetirizine for hives, GERD and PPP; fluconazole 150mg.");
        ms_lexicon_free(img);
    }
    memcpy(bad, good, len);
    bad[0] ^= 1; /* the magic */
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(bad, 1, len, f);
    fclose(f);
    img = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_false(ms_lexicon_from_image(img));
    ms_lexicon_free(img);
    size_t len2;
    char *again = read_file(path, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(again, good, len);
    free(again);
    img = ms_lexicon_open(an, dir, files, 1, cache, &err);
    assert_true(ms_lexicon_from_image(img));
    ms_lexicon *fresh = ms_lexicon_open(an, dir, files, 1, NULL, &err);
    assert_non_null(fresh);
    same_lexicon(fresh, img);
    ms_lexicon_free(fresh);
    ms_lexicon_free(img);
    free(bad);
    free(good);
    ms_lexicon_free(parsed);

    /* no cache directory, or one that cannot be written: still a lexicon */
    img = ms_lexicon_open(an, dir, files, 1, NULL, &err);
    assert_non_null(img);
    assert_false(ms_lexicon_from_image(img));
    ms_lexicon_free(img);
    img = ms_lexicon_open(an, dir, files, 1, "/nonexistent/cache", &err);
    assert_non_null(img);
    ms_lexicon_free(img);
    /* and errors are the files' own */
    img = ms_lexicon_open(an, "/nonexistent/lexicon", NULL, 0, cache, &err);
    assert_null(img);
    assert_non_null(strstr(err.msg, "/nonexistent/lexicon"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_lexicon),
        cmocka_unit_test(test_seed_drugs),
        cmocka_unit_test(test_seed_symptoms_and_conditions),
        cmocka_unit_test(test_fixture_articles),
        cmocka_unit_test(test_longest_match),
        cmocka_unit_test(test_case_accents_hyphens),
        cmocka_unit_test(test_brands_and_combos),
        cmocka_unit_test(test_salts_and_forms),
        cmocka_unit_test(test_no_match_across_punctuation),
        cmocka_unit_test(test_abbreviations_in_capitals),
        cmocka_unit_test(test_inn_inference),
        cmocka_unit_test(test_inn_halometasone),
        cmocka_unit_test(test_token_indices),
        cmocka_unit_test(test_find_and_forms),
        cmocka_unit_test(test_entity_term),
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_malformed_line_adds_nothing),
        cmocka_unit_test(test_keys_are_analyzed),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_default_dir),
        cmocka_unit_test(test_user_lexicon),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_image),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
