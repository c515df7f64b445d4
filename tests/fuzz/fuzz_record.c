/*
 * fuzz_record - ms_rec_decode on arbitrary bytes, as if read from a damaged
 * index.
 *
 * A record that decodes must be sound: path, article, title and section
 * present, every string and the text NUL-terminated and valid UTF-8, the
 * entity kinds known, every mention of a listed entity and of some tokens. Encoding it again and
 * decoding that gives the same record. The input is also encoded as the text of a fixed record,
 * which must decode to the input (or to its U+FFFD-repaired form).
 */
#include "fuzz_common.h"
#include "index/record.h"

static void check(const ms_rec *r)
{
    const char *const s[] = {r->path,   r->article, r->title, r->section,
                             r->source, r->url,     r->date,  r->author};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        FUZZ_CHECK(i >= 4 || s[i], "field %zu missing", i);
        FUZZ_CHECK(!s[i] || fuzz_utf8_ok(s[i], strlen(s[i])), "field %zu not UTF-8", i);
    }
    for (size_t i = 0; i < r->n_ents; i++) {
        FUZZ_CHECK(r->ents[i].kind <= MS_ENT_CONDITION, "entity %zu kind %d", i,
                   (int)r->ents[i].kind);
        FUZZ_CHECK(fuzz_utf8_ok(r->ents[i].name, strlen(r->ents[i].name)), "entity %zu name", i);
    }
    for (size_t i = 0; i < r->n_mentions; i++)
        FUZZ_CHECK(r->mentions[i].ent < r->n_ents && r->mentions[i].first < r->mentions[i].end,
                   "mention %zu", i);
    FUZZ_CHECK(r->text && r->text[r->text_len] == '\0', "text not NUL-terminated");
    FUZZ_CHECK(fuzz_utf8_ok(r->text, r->text_len), "text not UTF-8");
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static void check_same(const ms_rec *a, const ms_rec *b)
{
    FUZZ_CHECK(same_str(a->path, b->path) && same_str(a->article, b->article) &&
                   same_str(a->title, b->title) && same_str(a->section, b->section) &&
                   same_str(a->source, b->source) && same_str(a->url, b->url) &&
                   same_str(a->date, b->date) && same_str(a->author, b->author),
               "strings differ after a round trip");
    FUZZ_CHECK(a->start == b->start && a->end == b->end && a->line == b->line,
               "numbers differ after a round trip");
    FUZZ_CHECK(a->n_ents == b->n_ents, "entity count differs");
    for (size_t i = 0; i < a->n_ents; i++)
        FUZZ_CHECK(a->ents[i].kind == b->ents[i].kind && !strcmp(a->ents[i].name, b->ents[i].name),
                   "entity %zu differs", i);
    FUZZ_CHECK(a->n_mentions == b->n_mentions, "mention count differs");
    for (size_t i = 0; i < a->n_mentions; i++)
        FUZZ_CHECK(a->mentions[i].ent == b->mentions[i].ent &&
                       a->mentions[i].first == b->mentions[i].first &&
                       a->mentions[i].end == b->mentions[i].end,
                   "mention %zu differs", i);
    FUZZ_CHECK(a->text_len == b->text_len && !memcmp(a->text, b->text, a->text_len),
               "text differs");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ms_rec r, again;
    if (ms_rec_decode((const char *)data, size, &r) == 0) {
        check(&r);
        ms_rec_encode(&r, &buf, &len, &cap);
        FUZZ_CHECK(ms_rec_decode(buf, len, &again) == 0, "a decoded record does not decode again");
        check_same(&r, &again);
        ms_rec_free(&again);
        ms_rec_free(&r);
    } else {
        FUZZ_CHECK(r.mem == NULL && r.path == NULL, "a refused record is not empty");
    }

    /* the input as the text of a record */
    ms_rec_entity ent = {MS_ENT_SYMPTOM, "itching"};
    ms_rec_mention men = {0, 2, 3};
    ms_rec t = {.path = "a.md",
                .article = "a",
                .title = "A",
                .section = "S",
                .line = 1,
                .ents = &ent,
                .n_ents = 1,
                .mentions = &men,
                .n_mentions = 1,
                .text = (const char *)data,
                .text_len = size};
    len = 0;
    ms_rec_encode(&t, &buf, &len, &cap);
    FUZZ_CHECK(ms_rec_decode(buf, len, &r) == 0, "an encoded record does not decode");
    check(&r);
    if (fuzz_utf8_ok((const char *)data, size))
        FUZZ_CHECK(r.text_len == size && !memcmp(r.text, data, size), "valid text changed");
    else
        FUZZ_CHECK(r.text_len >= size, "repaired text shorter than the input");
    ms_rec_free(&r);
    free(buf);
    return 0;
}
