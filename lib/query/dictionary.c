/*
 * dictionary.c - the words spelling must leave alone: an English word list
 * and a medical one.
 *
 * The corrections of query words come from the index's own terms (spelling.c),
 * and an index does not hold every correct word: "phytotherapy" was
 * "corrected" to phototherapy, and "attended" to attention. A word of
 * Debian's English word list (wamerican: with its plurals, inflections and
 * possessives) or of its medical one (hunspell-en-med: 90,000 medical words
 * and drug names) is never corrected. The lists are read at run time, the
 * first time a correction is about to be made, from the files named in
 * $MEDSEARCH_DICTIONARIES (colon-separated), else the two Debian installs;
 * a list that is missing is left out, and with none spelling goes on
 * without this check.
 *
 * A list is held as a set of 64-bit hashes of its words folded to lower
 * case: about 1 MB for both, built in a few milliseconds, and a word is
 * looked up with one hash. (Hunspell itself, with its affix rules, took 60
 * ms to open: more than a whole batch of queries.) medquery's batch workers
 * are threads: the set is made once, then only read.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "query/dictionary.h"

#define DEFAULT_LISTS "/usr/share/dict/american-english:/usr/share/hunspell/en_med_glut.dic"

static uint64_t *set; /* open addressing; 0: empty */
static size_t set_cap, set_n;
static pthread_once_t set_once = PTHREAD_ONCE_INIT;

/* The key of word[0..n), folded to lower case (ASCII letters). */
static uint64_t key_of(const char *word, size_t n)
{
    char w[256];
    if (n >= sizeof w)
        n = sizeof w - 1;
    for (size_t i = 0; i < n; i++)
        w[i] = word[i] >= 'A' && word[i] <= 'Z' ? (char)(word[i] - 'A' + 'a') : word[i];
    uint64_t h = ms_fnv1a(MS_FNV_BASIS, w, n);
    return h ? h : 1;
}

static void put(uint64_t k)
{
    if (2 * (set_n + 1) > set_cap) {
        size_t cap = set_cap ? set_cap * 2 : 1 << 19; /* both lists: 200,000 words */
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return; /* a smaller set: fewer words spared */
        for (size_t i = 0; i < set_cap; i++)
            for (size_t j = set[i] & (cap - 1); set[i]; j = (j + 1) & (cap - 1))
                if (!t[j]) {
                    t[j] = set[i];
                    break;
                }
        free(set);
        set = t;
        set_cap = cap;
    }
    size_t j = k & (set_cap - 1);
    while (set[j] && set[j] != k)
        j = (j + 1) & (set_cap - 1);
    if (!set[j]) {
        set[j] = k;
        set_n++;
    }
}

/* Add the words of one list: a word a line; hunspell's affix flags after a
 * '/' are dropped. */
static void load(const char *path)
{
    size_t len;
    char why[200];
    char *text = ms_read_file(path, 64 << 20, &len, why, sizeof why);
    if (!text)
        return;
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        size_t n = strcspn(p, "/\r\n");
        if (p + n > eol)
            n = (size_t)(eol - p);
        if (n)
            put(key_of(p, n));
        p = eol + 1;
    }
    free(text);
}

static void open_lists(void)
{
    const char *lists = getenv("MEDSEARCH_DICTIONARIES");
    if (!lists || !*lists)
        lists = DEFAULT_LISTS;
    char *copy = ms_xstrdup(lists), *save = NULL;
    for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save))
        load(p);
    free(copy);
}

int ms_dict_knows(const char *word, size_t n)
{
    pthread_once(&set_once, open_lists);
    if (!set_n || n == 0)
        return 0;
    uint64_t k = key_of(word, n);
    for (size_t j = k & (set_cap - 1); set[j]; j = (j + 1) & (set_cap - 1))
        if (set[j] == k)
            return 1;
    return 0;
}
