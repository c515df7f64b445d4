/*
 * query/message.c - reading a pasted message for its question.
 *
 * People paste what they would write to a doctor: a greeting, the
 * question, a sign-off with their name, a phone number, "Sent from my
 * iPhone". None of that is what they ask, and a name or a phone brand
 * searched as a word can outweigh the question's focus. The rules are
 * those of letters and e-mail, not of medicine: a greeting is the first
 * few words up to a comma or the end of a sentence, when they open with a
 * greeting word; a sign-off starts at a closing word at the start of a
 * sentence after the first ("Thanks", "Kind regards", not "Best") or at
 * "sent from", and runs to the end unless a question mark follows; contact details are the chunks
 * of text that hold an "@", start a web address, or are mostly the digits of a phone number.
 */
#include "query/message.h"

#include <ctype.h>
#include <string.h>

#include "base/util.h"

/* Words that open a greeting, and words that close a message. */
static const char *const greetings[] = {"hi", "hello", "hey", "dear", "greetings", "good", "to"};
static const char *const closings[] = {"thanks", "thank", "thx",       "regards",
                                       "cheers", "yours", "sincerely", "respectfully"};
/* Closings of two words, whose first word alone is no closing ("best"). */
static const char *const closing_pairs[][2] = {
    {"best", "regards"}, {"best", "wishes"}, {"kind", "regards"}, {"warm", "regards"},
    {"warm", "wishes"},  {"many", "thanks"}, {"god", "bless"}};

/* Whether the token at i is the word w. */
static int is_word(const ms_tokens *t, size_t i, const char *w)
{
    return i < t->n && t->v[i].len == strlen(w) &&
           memcmp(ms_token_term(t, &t->v[i]), w, t->v[i].len) == 0;
}

/* Whether text[at] starts a sentence: only spaces between it and the start
 * of text or the end of a sentence (. ? ! : ; a line break). */
static int sentence_start(const char *text, size_t at)
{
    while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t'))
        at--;
    return at == 0 || strchr(".?!:;\n\r", text[at - 1]) != NULL;
}

/* Mark tokens from first on whose span starts before end. */
static void mark_until(const ms_tokens *t, size_t first, size_t end, char *skip)
{
    for (size_t i = first; i < t->n && t->v[i].start < end; i++)
        skip[i] = 1;
}

/* The greeting: the opening words up to a comma, colon or sentence end,
 * when the first is a greeting word and there are at most six. */
static void greeting(const char *text, size_t len, const ms_tokens *t, char *skip)
{
    if (t->n == 0 || !MS_WORD_IN(greetings, ms_token_term(t, &t->v[0]), t->v[0].len))
        return;
    if (is_word(t, 0, "to") && !is_word(t, 1, "whom"))
        return;
    if (is_word(t, 0, "good") && !is_word(t, 1, "morning") && !is_word(t, 1, "afternoon") &&
        !is_word(t, 1, "evening") && !is_word(t, 1, "day"))
        return;
    size_t end = t->v[0].end;
    while (end < len && !strchr(",:.!?\n", text[end]))
        end++;
    size_t words = 0;
    for (size_t i = 0; i < t->n && t->v[i].start < end; i++)
        words += !(t->v[i].flags & MS_TOK_ALT);
    if (end < len && words <= 6)
        mark_until(t, 0, end, skip);
}

/* The sign-off: from a closing word that starts a sentence, or from "sent
 * from", to the end of the text, unless a question mark comes after it. */
static void sign_off(const char *text, size_t len, const ms_tokens *t, char *skip)
{
    for (size_t i = 1; i < t->n; i++) { /* (a message is more than its sign-off) */
        const ms_token *k = &t->v[i];
        int closing = MS_WORD_IN(closings, ms_token_term(t, k), k->len);
        for (size_t p = 0; p < sizeof closing_pairs / sizeof *closing_pairs; p++)
            closing |= is_word(t, i, closing_pairs[p][0]) && is_word(t, i + 1, closing_pairs[p][1]);
        closing = closing && sentence_start(text, k->start);
        int sent = is_word(t, i, "sent") && is_word(t, i + 1, "from");
        if (!closing && !sent)
            continue;
        if (memchr(text + k->start, '?', len - k->start))
            continue;
        mark_until(t, i, len, skip);
        return;
    }
}

/* The chunks between white space that are contact details: with an "@"
 * (e-mail), starting a web address, or phone numbers (a run of chunks of
 * digits and + ( ) - . holding seven digits or more). */
static void contacts(const char *text, size_t len, const ms_tokens *t, char *skip)
{
    size_t run = 0, digits = 0; /* a run of phone-like chunks: its start, its digits */
    for (size_t s = 0; s <= len;) {
        while (s < len && isspace((unsigned char)text[s]))
            s++;
        size_t e = s;
        while (e < len && !isspace((unsigned char)text[e]))
            e++;
        int at = memchr(text + s, '@', e - s) != NULL;
        int web = (e - s > 4 && strncmp(text + s, "www.", 4) == 0) ||
                  (e - s > 7 && strncmp(text + s, "http", 4) == 0 && memchr(text + s, ':', e - s));
        size_t d = 0, other = 0;
        for (size_t i = s; i < e; i++) {
            if (isdigit((unsigned char)text[i]))
                d++;
            else if (!strchr("+()-.,", text[i]))
                other++;
        }
        if (at || web)
            for (size_t i = 0; i < t->n; i++)
                if (t->v[i].start >= s && t->v[i].end <= e)
                    skip[i] = 1;
        if (e > s && d > 0 && other == 0) {
            if (!digits)
                run = s;
            digits += d;
        } else {
            if (digits >= 7)
                for (size_t i = 0; i < t->n; i++)
                    if (t->v[i].start >= run && t->v[i].end <= s)
                        skip[i] = 1;
            digits = 0;
        }
        if (e >= len) {
            if (digits >= 7)
                for (size_t i = 0; i < t->n; i++)
                    if (t->v[i].start >= run)
                        skip[i] = 1;
            break;
        }
        s = e;
    }
}

void ms_message_chrome(const char *text, size_t len, const ms_tokens *t, ms_entities *ents,
                       char *skip)
{
    greeting(text, len, t, skip);
    sign_off(text, len, t, skip);
    contacts(text, len, t, skip);
    size_t kept = 0;
    for (size_t e = 0; e < ents->n; e++) {
        int all = 1;
        for (size_t i = ents->v[e].tok_first; i < ents->v[e].tok_end && all; i++)
            all = skip[i];
        if (!all)
            ents->v[kept++] = ents->v[e];
    }
    ents->n = kept;
}
