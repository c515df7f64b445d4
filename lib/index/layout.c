/*
 * layout.c - where the current database of an index lives, and who may
 * write it.
 *
 * A single index is a directory of generations: gen-1, gen-2, ..., each a
 * Xapian database, and a XAPIANDB stub file naming the current one
 * ("auto gen-N"), which Xapian and medquery open as the index. A rebuild or
 * a compaction writes generation N+1 beside N, then replaces the stub with
 * rename(): a reader that opens the index meanwhile finds N or N+1 whole,
 * never parts of both, and a rebuild that does not complete leaves N as it
 * was. N is removed after the switch; readers that have its files open keep
 * reading them, and readers that come too late to open them read the stub
 * again (ms_searcher_open).
 *
 * Writers hold an exclusive lock on the file "lock" in the directory for
 * their whole run (an open file description lock, released when the last
 * process holding it dies). With it held no other medindex writes, so the
 * leftovers of a killed run (a generation never published, the parts of a
 * parallel build) can be removed without asking whose they are.
 *
 * An index made before generations (a Xapian database at the top of the
 * directory) is read and updated in place; its next rebuild or compaction
 * moves it to generation 1.
 */
#define _GNU_SOURCE /* F_OFD_SETLK */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "index/layout.h"

/* The glass database files of an index made before generations. */
static int is_legacy_file(const char *n)
{
    size_t l = strlen(n);
    return strcmp(n, "iamglass") == 0 || strcmp(n, "flintlock") == 0 ||
           (l > 6 && strcmp(n + l - 6, ".glass") == 0);
}

/* Whether name is prefix followed by digits ("shard-0", "gen-12"). */
static int is_numbered(const char *name, const char *prefix)
{
    size_t pl = strlen(prefix);
    return strncmp(name, prefix, pl) == 0 && name[pl] &&
           strspn(name + pl, "0123456789") == strlen(name + pl);
}

/* N when name is "<prefix>N" with N a positive number, else 0. */
static unsigned numbered(const char *name, const char *prefix)
{
    if (!is_numbered(name, prefix))
        return 0;
    unsigned long v = strtoul(name + strlen(prefix), NULL, 10);
    return v > 0 && v < 1000000000ul ? (unsigned)v : 0;
}

unsigned ms_layout_stub_gen(const char *text)
{
    /* exactly one line, "auto gen-N" */
    const char *nl = strchr(text, '\n');
    if (!nl || nl[1] != '\0' || strncmp(text, "auto ", 5) != 0)
        return 0;
    char name[64];
    size_t l = (size_t)(nl - text) - 5;
    if (l >= sizeof name)
        return 0;
    memcpy(name, text + 5, l);
    name[l] = '\0';
    return numbered(name, "gen-");
}

char *ms_layout_read_stub(const char *db)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/XAPIANDB", db);
    size_t len;
    char why[256];
    return ms_read_file(path, MS_STUB_MAX, &len, why, sizeof why);
}

void ms_layout_gen_path(const char *db, unsigned gen, char *path, size_t cap)
{
    snprintf(path, cap, "%s/gen-%u", db, gen);
}

unsigned ms_layout_shards(const char *db)
{
    char *stub = ms_layout_read_stub(db);
    unsigned n = 0;
    for (const char *l = stub; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : "")
        n += strncmp(l, "auto shard-", 11) == 0;
    free(stub);
    return n;
}

int ms_layout_current(const char *db, char *path, size_t cap)
{
    char *stub = ms_layout_read_stub(db);
    unsigned gen = stub ? ms_layout_stub_gen(stub) : 0;
    free(stub);
    if (gen) {
        ms_layout_gen_path(db, gen, path, cap);
        return (int)gen;
    }
    snprintf(path, cap, "%s", db);
    if (stub)
        return -1; /* a stub of some other kind: a sharded index */
    char glass[4200];
    snprintf(glass, sizeof glass, "%s/iamglass", db);
    return access(glass, F_OK) == 0 ? 0 : -1;
}

int ms_layout_lock(const char *db, int wait, volatile int *stop, int *fd, ms_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/lock", db);
    *fd = -1;
    if (mkdir(db, 0777) != 0 && errno != EEXIST)
        return ms_fail(err, MS_EIO, "%s: %s", db, strerror(errno));
    int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (f < 0)
        return ms_fail(err, MS_EIO, "%s: %s", path, strerror(errno));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    while (fcntl(f, F_OFD_SETLK, &fl) != 0) {
        if (errno != EAGAIN && errno != EACCES && errno != EINTR) {
            int e = errno;
            close(f);
            return ms_fail(err, MS_EIO, "%s: cannot lock: %s", path, strerror(e));
        }
        if (!wait) {
            close(f);
            return ms_fail(err, MS_ELOCKED,
                           "%s: locked by another indexer (wait for it, or use --wait)", db);
        }
        if (stop && *stop) {
            close(f);
            return ms_fail(err, MS_ELOCKED, "%s: interrupted while waiting for another indexer",
                           db);
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    *fd = f;
    return 0;
}

void ms_layout_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the lock */
}

/* fsync a directory, so that a rename in it survives a crash. */
static void sync_dir(const char *dir)
{
    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (d >= 0) {
        fsync(d);
        close(d);
    }
}

int ms_layout_write_stub(const char *db, const char *text, ms_error *err)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/XAPIANDB", db);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return ms_fail(err, MS_EIO, "%s: %s", tmp, strerror(errno));
    fputs(text, f);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ms_fail(err, MS_EIO, "%s: %s", path, strerror(e));
    }
    sync_dir(db);
    return 0;
}

int ms_layout_publish(const char *db, unsigned gen, ms_error *err)
{
    char text[64];
    snprintf(text, sizeof text, "auto gen-%u\n", gen);
    return ms_layout_write_stub(db, text, err);
}

void ms_layout_clean(const char *db, int keep)
{
    DIR *d = opendir(db);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *n = de->d_name;
        unsigned g = numbered(n, "gen-");
        int drop = (g && (int)g != keep) || numbered(n, "part-") ||
                   strcmp(n, "XAPIANDB.tmp") == 0 || (keep > 0 && is_legacy_file(n));
        if (drop) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", db, n);
            ms_rm_tree(path);
        }
    }
    closedir(d);
}

unsigned ms_layout_next_gen(const char *db)
{
    unsigned max = 0;
    DIR *d = opendir(db);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        unsigned g = numbered(de->d_name, "gen-");
        if (g > max)
            max = g;
    }
    if (d)
        closedir(d);
    return max + 1;
}

int ms_dir_state(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return MS_DIR_NONE;
    int other = 0, xapian = 0, stub = 0;
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
        else if (strcmp(n, "XAPIANDB") == 0)
            stub = 1;
        else if (strcmp(n, "XAPIANDB.tmp") != 0 && strcmp(n, "lock") != 0 &&
                 !is_numbered(n, "shard-") && !is_numbered(n, "gen-") && !is_numbered(n, "part-"))
            other = 1;
    }
    closedir(d);
    if (xapian)
        return MS_DIR_XAPIAN;
    if (other)
        return MS_DIR_OTHER;
    if (!stub)
        return MS_DIR_NONE;
    char *text = ms_layout_read_stub(path);
    int single = text && ms_layout_stub_gen(text);
    free(text);
    return single ? MS_DIR_XAPIAN : MS_DIR_SHARDED;
}
