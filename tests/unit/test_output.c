/*
 * test_output.c - JSON Lines results: every line parses as JSON and gives
 * back each field as it was, whatever the strings hold (quotes, back
 * slashes, control characters, non-ASCII), with the keys in their order.
 * And the writers: one for each format name, and a batch's parts spliced
 * with TSV's header once and text's blank line between queries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "output/output.h"

static const ms_rec_entity ents[] = {{MS_ENT_DRUG, "cetirizine \"hydrochloride\""},
                                     {MS_ENT_CONDITION, "atopic dermatitis"}};

static char snippet[] =
    "\xE2\x80\xA6 Take \"Zyrtec\\\" at\tnight \x01\x1f \xE6\xB9\xBF\xE7\x96\xB9 \xE2\x80\xA6";

static ms_range hl[] = {{10, 18}, {31, 37}};

/* The lines written for r (one query), split into lines. */
static char *written(const ms_results *r, const char *qid, const char *partial, double time_ms)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ms_writer *w = ms_writer_new("json", f, 0);
    assert_non_null(w);
    ms_write_info q = {.qid = qid, .partial = partial, .time_ms = time_ms};
    ms_write_results(w, &q, r);
    ms_writer_free(w);
    fclose(f);
    return buf;
}

static ms_hit hit(unsigned rank, double score, const char *author, size_t n_ents, size_t n_hl)
{
    return (ms_hit){.rank = rank,
                    .score = score,
                    .rec = {.path = "drugs/a \"b\"\\c.md",
                            .article = "a-b",
                            .title = "Allergy \xE2\x80\x94 \"hay fever\"",
                            .section = "",
                            .source = "Example\nClinic",
                            .author = author,
                            .start = 0,
                            .end = 9007199254740993LL,
                            .line = -1,
                            .ents = ents,
                            .n_ents = n_ents},
                    .snippet = snippet,
                    .snippet_len = sizeof snippet - 1,
                    .hl = hl,
                    .n_hl = n_hl};
}

static void check_str(json_t *o, const char *key, const char *want)
{
    json_t *v = json_object_get(o, key);
    if (!want) {
        assert_null(v);
        return;
    }
    assert_true(json_is_string(v));
    assert_int_equal(json_string_length(v), strlen(want));
    assert_memory_equal(json_string_value(v), want, strlen(want));
}

static void test_lines_round_trip(void **state)
{
    (void)state;
    ms_hit hits[] = {hit(1, 12.5, NULL, 2, 2), hit(2, 1e-7, "Dr. \\ Who", 0, 0)};
    ms_results r = {.hits = hits, .n = 2};
    r.info.did_you_mean = "cetirizine";
    char *out = written(&r, "q\"1\"", "remote b:1", 1.25);
    char *line2 = strchr(out, '\n');
    assert_non_null(line2);
    *line2++ = '\0';
    assert_string_equal(line2 + strlen(line2) - 1, "\n");
    line2[strlen(line2) - 1] = '\0';

    const char *lines[] = {out, line2};
    for (size_t i = 0; i < 2; i++) {
        json_error_t e;
        json_t *o = json_loads(lines[i], JSON_REJECT_DUPLICATES, &e);
        assert_non_null(o);
        const ms_hit *h = &hits[i];
        check_str(o, "qid", "q\"1\"");
        assert_int_equal(json_integer_value(json_object_get(o, "rank")), h->rank);
        assert_true(json_real_value(json_object_get(o, "score")) == h->score);
        check_str(o, "path", h->rec.path);
        check_str(o, "title", h->rec.title);
        check_str(o, "section", "");
        check_str(o, "source", h->rec.source);
        check_str(o, "url", NULL);
        check_str(o, "author", h->rec.author);
        assert_true(json_integer_value(json_object_get(o, "end")) == h->rec.end);
        assert_int_equal(json_integer_value(json_object_get(o, "line")), -1);
        check_str(o, "snippet", snippet);
        json_t *a = json_object_get(o, "highlights");
        assert_int_equal(json_array_size(a), h->n_hl);
        for (size_t k = 0; k < h->n_hl; k++) {
            json_t *p = json_array_get(a, k);
            assert_int_equal(json_integer_value(json_array_get(p, 0)), hl[k].start);
            assert_int_equal(json_integer_value(json_array_get(p, 1)), hl[k].end);
        }
        a = json_object_get(o, "entities");
        assert_int_equal(json_array_size(a), h->rec.n_ents);
        for (size_t k = 0; k < h->rec.n_ents; k++) {
            check_str(json_array_get(a, k), "type", ms_entkind_name(ents[k].kind));
            check_str(json_array_get(a, k), "name", ents[k].name);
        }
        check_str(o, "did_you_mean", "cetirizine");
        check_str(o, "partial", "remote b:1");
        assert_true(json_real_value(json_object_get(o, "time_ms")) == 1.25);
        json_decref(o);
    }
    /* the keys in the documented order */
    const char *order[] = {"\"qid\"",     "\"rank\"",       "\"score\"",    "\"path\"",
                           "\"article\"", "\"title\"",      "\"section\"",  "\"start\"",
                           "\"end\"",     "\"line\"",       "\"source\"",   "\"author\"",
                           "\"snippet\"", "\"highlights\"", "\"entities\"", "\"did_you_mean\"",
                           "\"partial\"", "\"time_ms\""};
    const char *at = line2;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        const char *p = strstr(at, order[k]);
        assert_non_null(p);
        at = p;
    }
    free(out);
}

static void test_no_results_no_lines(void **state)
{
    (void)state;
    ms_results r = {0};
    char *out = written(&r, "1", NULL, -1);
    assert_string_equal(out, "");
    free(out);
}

/* Every name of MS_OUTPUT_FORMATS gives a writer, and no other name. */
static void test_writers_by_name(void **state)
{
    (void)state;
    char names[] = MS_OUTPUT_FORMATS;
    int n = 0;
    for (char *name = strtok(names, " "); name; name = strtok(NULL, " "), n++) {
        ms_writer *w = ms_writer_new(name, stdout, 0);
        assert_non_null(w);
        ms_writer_free(w);
    }
    assert_int_equal(n, 4);
    assert_null(ms_writer_new("yaml", stdout, 0));
    assert_null(ms_writer_new("", stdout, 0));
    assert_null(ms_writer_new("text json", stdout, 0));
}

/* What writer fmt writes for two queries answered into parts and spliced
 * (the second found nothing), as a batch does. */
static char *spliced(const char *fmt)
{
    char *buf = NULL, *p1 = NULL, *p2 = NULL;
    size_t len = 0, l1 = 0, l2 = 0;
    FILE *f = open_memstream(&buf, &len), *f1 = open_memstream(&p1, &l1),
         *f2 = open_memstream(&p2, &l2);
    assert_true(f && f1 && f2);
    ms_writer *w = ms_writer_new(fmt, f, 0);
    assert_non_null(w);
    ms_hit hits[] = {hit(1, 2.5, NULL, 0, 0)};
    ms_results r = {.hits = hits, .n = 1}, none = {0};
    ms_writer *a = ms_writer_part(w, f1), *b = ms_writer_part(w, f2);
    ms_write_results(a, &(ms_write_info){.qid = "a", .query = "fever", .time_ms = -1}, &r);
    ms_write_results(b, &(ms_write_info){.qid = "b", .query = "zz", .time_ms = -1}, &none);
    ms_writer_free(a);
    ms_writer_free(b);
    fclose(f1);
    fclose(f2);
    ms_writer_splice(w, p1, l1);
    ms_writer_splice(w, p2, l2);
    ms_writer_free(w);
    fclose(f);
    free(p1);
    free(p2);
    return buf;
}

/* TSV's header comes once, before the first part; text sets the queries
 * apart by a blank line; TREC writes results only. */
static void test_parts_spliced(void **state)
{
    (void)state;
    char *tsv = spliced("tsv");
    assert_int_equal(strncmp(tsv, "qid\trank\t", 9), 0);
    assert_null(strstr(tsv + 1, "qid\t"));
    assert_non_null(strstr(tsv, "\na\t1\t2.500000\t"));
    free(tsv);
    char *text = spliced("text");
    assert_non_null(strstr(text, "[a] fever\n1. "));
    assert_non_null(strstr(text, "\n\n[b] zz\n   (nothing found)\n"));
    free(text);
    char *trec = spliced("trec");
    assert_int_equal(strncmp(trec, "a Q0 drugs/a_", 13), 0);
    assert_non_null(strstr(trec, ":0 1 2.500000 medsearch\n"));
    free(trec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_round_trip),
        cmocka_unit_test(test_no_results_no_lines),
        cmocka_unit_test(test_writers_by_name),
        cmocka_unit_test(test_parts_spliced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
