#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("medsearch: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int ms_dir_state(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return MS_DIR_NONE;
    int other = 0, xapian = 0, sharded = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        size_t l = strlen(n);
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        if (strcmp(n, "iamglass") == 0 || strcmp(n, "iamchert") == 0 ||
            strcmp(n, "iamhoney") == 0 || strcmp(n, "flintlock") == 0 ||
            (l > 6 && strcmp(n + l - 6, ".glass") == 0))
            xapian = 1;
        else if (strcmp(n, "XAPIANDB") == 0 || strcmp(n, "XAPIANDB.tmp") == 0 ||
                 (strncmp(n, "shard-", 6) == 0 && n[6] && strspn(n + 6, "0123456789") == l - 6))
            sharded = 1;
        else
            other = 1;
    }
    closedir(d);
    return xapian ? MS_DIR_XAPIAN : other ? MS_DIR_OTHER : sharded ? MS_DIR_SHARDED : MS_DIR_NONE;
}
