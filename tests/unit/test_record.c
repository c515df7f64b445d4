/*
 * test_record.c - the passage record's binary form: what is encoded is
 * decoded unchanged (entity mentions too), invalid UTF-8 is stored as
 * U+FFFD, and damaged bytes (every truncation, random corruption, a
 * mention of no entity) are refused without a crash.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "index/record.h"

static const ms_rec_entity ents[] = {{MS_ENT_DRUG, "cetirizine"},
                                     {MS_ENT_SYMPTOM, "itching"},
                                     {MS_ENT_CONDITION, "atopic dermatitis"}};

/* cetirizine (tokens 0-1) and itching (2-3) */
static const ms_rec_mention mentions[] = {{0, 0, 1}, {1, 2, 3}};

static const char text[] = "Cetirizine eases itching.\nTake it once a day \xE2\x80\x94 at night.";

static ms_rec sample(void)
{
    return (ms_rec){.path = "drugs/cetirizine.md",
                    .article = "cetirizine",
                    .title = "Cetirizine",
                    .section = "",
                    .url = "https://example.org/c",
                    .date = "2024-05-01",
                    .start = 120,
                    .end = 400000000000LL,
                    .line = 7,
                    .ents = ents,
                    .n_ents = 3,
                    .mentions = mentions,
                    .n_mentions = 2,
                    .text = text,
                    .text_len = sizeof text - 1};
}

static void encode(const ms_rec *r, char **buf, size_t *len)
{
    size_t cap = 0;
    *buf = NULL;
    *len = 0;
    ms_rec_encode(r, buf, len, &cap);
}

static void round_trip(void **state)
{
    (void)state;
    ms_rec in = sample(), out;
    char *buf;
    size_t len;
    encode(&in, &buf, &len);
    assert_int_equal(ms_rec_decode(buf, len, &out), 0);
    assert_string_equal(out.path, in.path);
    assert_string_equal(out.article, in.article);
    assert_string_equal(out.title, in.title);
    assert_string_equal(out.section, "");
    assert_null(out.source);
    assert_string_equal(out.url, in.url);
    assert_string_equal(out.date, in.date);
    assert_null(out.author);
    assert_int_equal(out.start, 120);
    assert_true(out.end == 400000000000LL);
    assert_int_equal(out.line, 7);
    assert_int_equal(out.n_ents, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(out.ents[i].kind, ents[i].kind);
        assert_string_equal(out.ents[i].name, ents[i].name);
    }
    assert_int_equal(out.n_mentions, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(out.mentions[i].ent, mentions[i].ent);
        assert_int_equal(out.mentions[i].first, mentions[i].first);
        assert_int_equal(out.mentions[i].end, mentions[i].end);
    }
    assert_int_equal(out.text_len, sizeof text - 1);
    assert_memory_equal(out.text, text, sizeof text - 1);
    assert_int_equal(out.text[out.text_len], '\0');
    ms_rec_free(&out);
    assert_null(out.mem);
    free(buf);
}

static void invalid_utf8_becomes_replacement(void **state)
{
    (void)state;
    ms_rec in = sample(), out;
    in.title = "Caf\xE9";
    in.text = "a\xFF"
              "b";
    in.text_len = 3;
    char *buf;
    size_t len;
    encode(&in, &buf, &len);
    assert_int_equal(ms_rec_decode(buf, len, &out), 0);
    assert_string_equal(out.title, "Caf\xEF\xBF\xBD");
    assert_string_equal(out.text, "a\xEF\xBF\xBD"
                                  "b");
    ms_rec_free(&out);
    free(buf);

    /* past a run of ASCII longer than 8 bytes, valid and invalid */
    in.title = "Seventeen bytes: \xE2\x80\x94 and \xFF";
    in.text = "A longer ASCII run, then \xC3\xA9 and a stray \x80!";
    in.text_len = strlen(in.text);
    encode(&in, &buf, &len);
    assert_int_equal(ms_rec_decode(buf, len, &out), 0);
    assert_string_equal(out.title, "Seventeen bytes: \xE2\x80\x94 and \xEF\xBF\xBD");
    assert_string_equal(out.text, "A longer ASCII run, then \xC3\xA9 and a stray \xEF\xBF\xBD!");
    ms_rec_free(&out);
    free(buf);
}

static void truncations_fail(void **state)
{
    (void)state;
    ms_rec in = sample(), out;
    in.text = "";
    in.text_len = 0;
    char *buf;
    size_t len;
    encode(&in, &buf, &len);
    /* without text, every proper prefix cuts a number or a string short */
    for (size_t n = 0; n < len; n++) {
        char *copy = malloc(n + 1);
        memcpy(copy, buf, n);
        assert_int_equal(ms_rec_decode(copy, n, &out), -1);
        assert_null(out.mem);
        assert_null(out.path);
        free(copy);
    }
    assert_int_equal(ms_rec_decode(buf, len, &out), 0);
    ms_rec_free(&out);
    free(buf);
}

static void damage_is_refused(void **state)
{
    (void)state;
    ms_rec in = sample(), out;
    char *buf;
    size_t len;
    encode(&in, &buf, &len);

    char *bad = malloc(len);
    memcpy(bad, buf, len);
    bad[0] = 9; /* an unknown format */
    assert_int_equal(ms_rec_decode(bad, len, &out), -1);

    /* an entity kind out of range: the first entity is a drug (kind 0),
       its name's length byte (11) follows */
    memcpy(bad, buf, len);
    char *k = memmem(bad, len,
                     "\x00\x0b"
                     "cetirizine",
                     12);
    assert_non_null(k);
    k[0] = 3;
    assert_int_equal(ms_rec_decode(bad, len, &out), -1);

    /* a string that runs past the end */
    memcpy(bad, buf, len);
    k[1] = 0x7f;
    assert_int_equal(ms_rec_decode(bad, (size_t)(k - bad) + 6, &out), -1);

    /* a mention of an entity that is not listed, or of no tokens: the
       mentions (entity, first token, count) follow the last name */
    memcpy(bad, buf, len);
    char *m = memmem(bad, len, "atopic dermatitis", 17);
    assert_non_null(m);
    m += 17;
    assert_memory_equal(m, "\x00\x00\x01\x01\x02\x01", 6);
    m[3] = 3;
    assert_int_equal(ms_rec_decode(bad, len, &out), -1);
    m[3] = 1;
    m[5] = 0;
    assert_int_equal(ms_rec_decode(bad, len, &out), -1);
    m[5] = 1;
    assert_int_equal(ms_rec_decode(bad, len, &out), 0);
    ms_rec_free(&out);

    /* text that is not UTF-8 anywhere: first block, later block, tail */
    size_t at[] = {len - (sizeof text - 1) + 1, len - (sizeof text - 1) + 9, len - 2};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        memcpy(bad, buf, len);
        bad[at[i]] = (char)0xFF;
        assert_int_equal(ms_rec_decode(bad, len, &out), -1);
    }

    /* random corruption: decoded or refused, never a crash (ASan in CI) */
    srand(7);
    for (int round = 0; round < 2000; round++) {
        memcpy(bad, buf, len);
        for (int f = 0; f < 1 + round % 4; f++)
            bad[(size_t)rand() % len] = (char)rand();
        if (ms_rec_decode(bad, len, &out) == 0) {
            assert_non_null(out.path);
            assert_non_null(out.text);
            assert_true(out.text_len <= len);
            ms_rec_free(&out);
        } else {
            assert_null(out.mem);
        }
    }
    free(bad);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(invalid_utf8_becomes_replacement),
        cmocka_unit_test(truncations_fail),
        cmocka_unit_test(damage_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
