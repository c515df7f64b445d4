/*
 * medsearch/settings.h - what an index and its queries must agree on, and the
 * analysis environment (analyzer + lexicon) built from it.
 *
 * Stored in every index (and every shard) as metadata "ms:settings":
 * "schema=1 language=english accents=fold analyzer=1 lexicon=<digest>".
 */
#ifndef MEDSEARCH_SETTINGS_H
#define MEDSEARCH_SETTINGS_H

#include <stddef.h>

#include "analysis/analyze.h"
#include "base/error.h"
#include "lexicon/lexicon.h"

#define MS_SETTINGS_KEY "ms:settings"

typedef struct ms_env {
    ms_analyzer *an;
    ms_lexicon *lex;
    char settings[256]; /* the settings string this environment produces */
} ms_env;

typedef struct ms_env_opts {
    const char *language; /* NULL: english */
    int keep_accents;
    const char *lexicon_dir; /* NULL: ms_lexicon_default_dir() */
    const char *const *lexicon_files;
    size_t n_lexicon_files;
} ms_env_opts;

int ms_env_open(ms_env *env, const ms_env_opts *opts, ms_error *err);
void ms_env_close(ms_env *env);

/* Value of key in a settings string into buf ("" when absent). */
const char *ms_settings_get(const char *settings, const char *key, char *buf, size_t cap);

/* Describe how the settings have differ from want ("language: english ->
 * french, lexicon: 1a2b -> 3c4d") into buf; returns 0 when they agree. */
int ms_settings_diff(const char *have, const char *want, char *buf, size_t cap);

#endif
