/*
 * settings.c - the analysis environment (analyzer and lexicon) of an index
 * and its queries, and the settings string that names it.
 *
 * An index stores the settings it was built with (settings.h), and a run or
 * a query with other settings must not use it: its terms would not be the
 * ones they look for. The lexicon is opened through its image cache, kept
 * in a folder of the user's own.
 */
#include "index/settings.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "index/index.h"

/* Where compiled lexicon images are kept: $XDG_CACHE_HOME/medsearch, else
 * $HOME/.cache/medsearch, made if missing; NULL when neither can be had. */
static const char *cache_dir(char *buf, size_t cap)
{
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (x && x[0] == '/')
        n = snprintf(buf, cap, "%s", x);
    else if (home && home[0] == '/')
        n = snprintf(buf, cap, "%s/.cache", home);
    else
        return NULL;
    if (n < 0 || (size_t)n + sizeof "/medsearch" > cap)
        return NULL;
    mkdir(buf, 0700);
    strcat(buf, "/medsearch");
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return NULL;
    /* Images are mapped and trusted to be what this user wrote: a folder
     * that is not a real one of this user's, or that others may write to
     * (where they could plant a file or a symbolic link), is not used. */
    struct stat sb;
    if (lstat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
        (sb.st_mode & (S_IWGRP | S_IWOTH)))
        return NULL;
    return buf;
}

/* Whether dir can be read and holds a *.tsv file. */
static int holds_tsv(const char *dir)
{
    DIR *d = opendir(dir);
    int found = 0;
    struct dirent *de;
    while (d && !found && (de = readdir(d))) {
        size_t l = strlen(de->d_name);
        found = l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0;
    }
    if (d)
        closedir(d);
    return found;
}

int ms_env_open(ms_env *env, const ms_env_opts *opts, ms_error *err)
{
    memset(env, 0, sizeof *env);
    ms_analyzer_opts ao = {opts->language, opts->keep_accents};
    env->an = ms_analyzer_new(&ao, err);
    if (!env->an)
        return -1;
    const char *dir = opts->lexicon_dir ? opts->lexicon_dir : ms_lexicon_default_dir();
    char cache[4096];
    env->lex = ms_lexicon_open(env->an, dir, opts->lexicon_files, opts->n_lexicon_files,
                               cache_dir(cache, sizeof cache), err);
    if (!env->lex) {
        /* a program that is neither installed nor built here (one linked
           against libmedsearch elsewhere) finds no lexicon of its own */
        const char *var = getenv("MEDSEARCH_LEXICON");
        if (err && !opts->lexicon_dir && !(var && *var) && !holds_tsv(dir)) {
            size_t l = strlen(err->msg);
            snprintf(err->msg + l, sizeof err->msg - l,
                     " (no lexicon beside the program or installed: set MEDSEARCH_LEXICON to "
                     "the lexicon directory)");
        }
        goto fail;
    }
    snprintf(env->settings, sizeof env->settings, "schema=%d %s lexicon=%s", MS_SCHEMA_VERSION,
             ms_analyzer_settings(env->an), ms_lexicon_digest(env->lex));
    return 0;
fail:
    ms_env_close(env);
    return -1;
}

void ms_env_close(ms_env *env)
{
    ms_lexicon_free(env->lex);
    ms_analyzer_free(env->an);
    memset(env, 0, sizeof *env);
}

const char *ms_settings_get(const char *s, const char *key, char *buf, size_t cap)
{
    size_t kl = strlen(key);
    buf[0] = '\0';
    for (const char *p = s; p && *p;) {
        while (*p == ' ')
            p++;
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n > kl && p[kl] == '=' && strncmp(p, key, kl) == 0) {
            size_t vl = n - kl - 1;
            if (vl >= cap)
                vl = cap - 1;
            memcpy(buf, p + kl + 1, vl);
            buf[vl] = '\0';
            break;
        }
        p = e;
    }
    return buf;
}

int ms_settings_diff(const char *have, const char *want, char *buf, size_t cap)
{
    static const char *const keys[] = {"schema", "language", "accents", "analyzer", "lexicon"};
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char a[80], b[80];
        ms_settings_get(have, keys[i], a, sizeof a);
        ms_settings_get(want, keys[i], b, sizeof b);
        if (strcmp(a, b) != 0 && w < cap) {
            w += (size_t)snprintf(buf + w, cap - w, "%s%s: %s -> %s", w ? ", " : "", keys[i],
                                  a[0] ? a : "(none)", b);
        }
    }
    return w != 0;
}
