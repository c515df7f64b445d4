/*
 * lexicon.c - the lexicon a program opens: the *.tsv files of a directory
 * and any extra files, read from a cached image when one was saved from the
 * very same files (image.c), else loaded (load.c) and saved as an image for
 * the next program; and where the lexicon shipped with medsearch is.
 */
#include "lexicon/lexicon.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "lexicon/image.h"
#include "lexicon/load.h"

/* Append path's line of an image stamp (path, device, inode, size, time) to
 * *st; 0 when path cannot be read (then no image is used). */
static int stamp_file(ms_sbuf *st, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return 0;
    char line[4400];
    int n = snprintf(line, sizeof line, "%s\t%llu\t%llu\t%lld\t%lld.%09ld\n", path,
                     (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
                     (long long)sb.st_size, (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec);
    if (n < 0 || (size_t)n >= sizeof line)
        return 0;
    ms_sb_put(st, line, (size_t)n);
    return 1;
}

ms_lexicon *ms_lexicon_open(ms_analyzer *a, const char *dir, const char *const *files, size_t n,
                            const char *cache_dir, ms_error *err)
{
    char **names;
    size_t nn;
    if (ms_lex_list_tsv(dir, &names, &nn, err) < 0)
        return NULL;
    char **paths = ms_xrealloc(NULL, (nn + n + 1) * sizeof *paths);
    for (size_t i = 0; i < nn; i++) {
        size_t l = strlen(dir) + strlen(names[i]) + 2;
        paths[i] = ms_xrealloc(NULL, l);
        snprintf(paths[i], l, "%s/%s", dir, names[i]);
        free(names[i]);
    }
    free(names);
    for (size_t i = 0; i < n; i++)
        paths[nn + i] = ms_xstrdup(files[i]);
    size_t np = nn + n;

    /* the stamp, and the image's name: one per lexicon directory, file list
       and analyzer, so that a changed lexicon replaces its old image */
    ms_sbuf st = {0};
    const char *as = ms_analyzer_settings(a);
    ms_sb_put(&st, as, strlen(as));
    ms_sb_put(&st, "\n", 1);
    uint64_t name_hash = MS_FNV_BASIS;
    int stamped = 1;
    for (size_t i = 0; i < np; i++) {
        stamped &= stamp_file(&st, paths[i]);
        name_hash = ms_fnv1a(ms_fnv1a(name_hash, paths[i], strlen(paths[i])), "\n", 1);
    }
    name_hash = ms_fnv1a(name_hash, as, strlen(as));
    ms_sb_put(&st, "", 1);
    char img[4200] = "";
    if (cache_dir && stamped)
        snprintf(img, sizeof img, "%s/lexicon-%016llx.img", cache_dir,
                 (unsigned long long)name_hash);

    ms_lexicon *lx = NULL;
    int fd = img[0] ? open(img, O_RDONLY) : -1;
    struct stat sb;
    if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0 && sb.st_size < (1 << 30)) {
        size_t len = (size_t)sb.st_size;
        void *buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (buf != MAP_FAILED && !(lx = ms_lex_from_image(a, buf, len, st.p)))
            munmap(buf, len);
    }
    if (fd >= 0)
        close(fd);
    if (!lx) {
        lx = ms_lexicon_new(a, err);
        for (size_t i = 0; lx && i < np; i++)
            if (ms_lexicon_load_file(lx, paths[i], err) < 0) {
                ms_lexicon_free(lx);
                lx = NULL;
            }
        if (lx && img[0])
            ms_lexicon_save_image(lx, img, st.p); /* a cache: failing to write it is no error */
    }
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(paths);
    free(st.p);
    return lx;
}

static int is_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d)
        closedir(d);
    return d != NULL;
}

/* The lexicon installed with the running program: a copy installed under
 * another prefix than the configured one (cmake --install --prefix P, a
 * relocated package) has its lexicon at the same place relative to the
 * prefix. The configured install path says where that is below the prefix,
 * but not where the prefix ends, so each of its tails that holds
 * medsearch/lexicon is tried, longest first, under the parent directory of
 * the program's own directory (bin/..). */
static const char *exe_relative_dir(void)
{
    static char found[4096];
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    for (int up = 0; up < 2; up++) { /* the program, then its directory */
        char *slash = strrchr(exe, '/');
        if (!slash)
            return NULL;
        *slash = '\0';
    }
    const char *conf = MEDSEARCH_INSTALL_LEXICON_DIR;
    for (const char *tail = strchr(conf, '/'); tail; tail = strchr(tail + 1, '/')) {
        if (!strstr(tail, "/medsearch/lexicon"))
            break;
        int n = snprintf(found, sizeof found, "%s%s", exe, tail);
        if (n > 0 && (size_t)n < sizeof found && is_dir(found))
            return found;
    }
    return NULL;
}

const char *ms_lexicon_default_dir(void)
{
    const char *env = getenv("MEDSEARCH_LEXICON");
    if (env && *env)
        return env;
    const char *rel = exe_relative_dir();
    if (rel)
        return rel;
    if (is_dir(MEDSEARCH_INSTALL_LEXICON_DIR))
        return MEDSEARCH_INSTALL_LEXICON_DIR;
    return MEDSEARCH_SOURCE_LEXICON_DIR;
}
