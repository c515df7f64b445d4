/*
 * fuzz_common.h - what the libFuzzer targets share.
 *
 * An invariant that does not hold calls abort(): libFuzzer reports that as a
 * crash, saves the input and makes the run fail, just like a sanitizer
 * report. The message names the target's check so that a saved input can be
 * triaged without a debugger.
 */
#ifndef MEDSEARCH_FUZZ_COMMON_H
#define MEDSEARCH_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "base/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant violated: %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Setting up (lexicon, analyzer) must work: failing there is not a finding
 * of the input but a broken build or checkout, so stop at once. */
#define FUZZ_SETUP(cond, err)                                                                      \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz setup failed: %s: %s\n", #cond, (err)->msg);                     \
            exit(2);                                                                               \
        }                                                                                          \
    } while (0)

/* Whether s[0..n) is valid UTF-8. */
static inline int fuzz_utf8_ok(const char *s, size_t n)
{
    return u8_check((const uint8_t *)s, n) == NULL;
}

/* A NUL-terminated copy of the input, for the APIs that take C strings. The
 * exact size (no slack) lets ASan see a read past the terminator. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A failed call must say why: code set and a one-line, NUL-terminated message. */
static inline void fuzz_check_error(const ms_error *err)
{
    FUZZ_CHECK(err->code != MS_OK, "failure without an error code");
    FUZZ_CHECK(memchr(err->msg, '\0', sizeof err->msg) != NULL, "error message not terminated");
    FUZZ_CHECK(err->msg[0] != '\0', "empty error message");
    FUZZ_CHECK(strchr(err->msg, '\n') == NULL, "error message is not one line: %s", err->msg);
}

#endif
