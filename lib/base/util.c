/*
 * base/util.c - the few helpers every stage shares: allocation that aborts
 * when memory runs out, the one whole-file reader, removing a tree, the
 * monotonic clock, and escaping bytes for a terminal.
 *
 * One of each, so that a file is read, a tree removed and a run timed the
 * same way everywhere.
 */
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void *ms_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("medsearch: out of memory\n", stderr);
        abort();
    }
    return q;
}

void ms_put_escaped(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\')
            fputs("\\\\", f);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c == '\r')
            fputs("\\r", f);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

char *ms_xstrndup(const char *s, size_t n)
{
    char *d = ms_xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ms_xstrdup(const char *s)
{
    return ms_xstrndup(s, strlen(s));
}

int ms_word_in(const char *const *list, size_t nl, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < nl; i++) /* the first byte rules out most words */
        if (list[i][0] == s[0] && strncmp(list[i], s, n) == 0 && list[i][n] == '\0')
            return 1;
    return 0;
}

int ms_word_index(const char *words, const char *s, size_t n)
{
    int i = 0;
    for (const char *p = words; *p; i++) {
        size_t l = strcspn(p, " ");
        if (l == n && strncmp(p, s, n) == 0)
            return i;
        p += l + (p[l] == ' ');
    }
    return -1;
}

double ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

void ms_rm_tree(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *ms_read_file(const char *path, size_t max, size_t *len, char *reason, size_t rcap)
{
    /* O_NONBLOCK: a FIFO put in place of a file since the walk must not
     * block the run (it is refused below) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(reason, rcap, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        snprintf(reason, rcap, "not a regular file");
        close(fd);
        return NULL;
    }
    if (fstat(fd, &sb) != 0 || (size_t)sb.st_size > max) {
        snprintf(reason, rcap, "too large (%lld bytes, limit %zu)", (long long)sb.st_size, max);
        close(fd);
        return NULL;
    }
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *buf = ms_xrealloc(NULL, cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > max) {
                snprintf(reason, rcap, "too large (limit %zu bytes)", max);
                free(buf);
                close(fd);
                return NULL;
            }
            cap *= 2;
            buf = ms_xrealloc(buf, cap);
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            snprintf(reason, rcap, "read error: %s", strerror(errno));
            free(buf);
            close(fd);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *len = n;
    return buf;
}
