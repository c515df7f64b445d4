/*
 * image.c - the lexicon saved as a compiled image, and mapped back.
 *
 * Parsing the TSV files costs a one-query medquery most of its time, so a
 * loaded lexicon is saved as an image: its arrays as they are in memory.
 * They hold offsets into the block, never pointers, so reading an image back
 * is mapping the file and checking its header: the pages a query touches are
 * the only ones read, and they are shared with every other process that
 * maps the same image. An image is written whole under another name and
 * renamed into place, never changed where it lies, so a mapped image does not
 * change under its reader. Its numbers are checked where they are followed
 * (in_blk, table.c's slot_at, ms_lex_entry_at), so a damaged image can make a lookup miss but
 * never read outside the image. An image stands for a stamp (the files'
 * paths, sizes and times, the analyzer's settings) and is used only for the
 * very same stamp.
 */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "lexicon/image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lexicon/table.h"

#define IMAGE_MAGIC "MSLEXIMG"
/* 3: keys hashed with ms_fnv1a (64-bit) folded to 32 bits, not a 32-bit
 * FNV-1a of their own */
#define IMAGE_VERSION 3u
#define IMAGE_ALIGN 16

typedef struct image_header {
    char magic[8];
    uint32_t version;
    uint32_t layout; /* sizes of the structures, so that another build's image is refused */
    uint64_t digest;
    uint64_t stamp_len, n, n_slots, tab_size, n_stems, blk_len;
    uint64_t first_terms[1024];
} image_header;

static uint32_t image_layout(void)
{
    return (uint32_t)(sizeof(entry) | sizeof(slot) << 8 | sizeof(stem_node) << 16);
}

static size_t pad(size_t n)
{
    return (n + IMAGE_ALIGN - 1) & ~(size_t)(IMAGE_ALIGN - 1);
}

int ms_lexicon_save_image(const ms_lexicon *lx, const char *path, const char *stamp)
{
    if (lx->image)
        return 0; /* it came from one */
    /* the table at about 60% full: loading sized it for growth */
    size_t ts = 16;
    while (ts * 3 < lx->n_slots * 5)
        ts *= 2;
    /* the block gets a NUL after it, so that every string in it ends */
    image_header h = {
        IMAGE_MAGIC, IMAGE_VERSION, image_layout(), lx->digest, strlen(stamp), lx->n, lx->n_slots,
        ts,          lx->n_stems,   lx->blk.n + 1,  {0}};
    memcpy(h.first_terms, lx->first_terms, sizeof h.first_terms);
    uint32_t *th = ms_xrealloc(NULL, ts * sizeof *th), *ti = ms_xrealloc(NULL, ts * sizeof *ti);
    memset(th, 0, ts * sizeof *th);
    memset(ti, 0, ts * sizeof *ti); /* empty places too: an image is the same bytes every time */
    for (size_t i = 0; i < lx->tab_size; i++) {
        if (!lx->hashes[i])
            continue;
        size_t j = lx->hashes[i] & (ts - 1);
        while (th[j])
            j = (j + 1) & (ts - 1);
        th[j] = lx->hashes[i];
        ti[j] = lx->idx[i];
    }
    ms_sbuf out = {0};
    ms_lex_put(&out, &h, sizeof h, IMAGE_ALIGN);
    ms_lex_put(&out, stamp, h.stamp_len, IMAGE_ALIGN);
    ms_lex_put(&out, lx->e, lx->n * sizeof *lx->e, IMAGE_ALIGN);
    ms_lex_put(&out, lx->slots, lx->n_slots * sizeof *lx->slots, IMAGE_ALIGN);
    ms_lex_put(&out, th, ts * sizeof *th, IMAGE_ALIGN);
    ms_lex_put(&out, ti, ts * sizeof *ti, IMAGE_ALIGN);
    ms_lex_put(&out, lx->stems, lx->n_stems * sizeof *lx->stems, IMAGE_ALIGN);
    ms_lex_put(&out, lx->blk.p, lx->blk.n, IMAGE_ALIGN);
    ms_lex_put(&out, "", 1, 1);
    free(th);
    free(ti);
    /* written whole under another name, then renamed: a reader sees the old
       image or the new one, never half of one */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp); /* a new file of our own: never one planted at a known name */
    if (fd >= 0 && fchmod(fd, 0644) != 0) {
        close(fd);
        unlink(tmp);
        fd = -1;
    }
    int rc = fd < 0 ? -1 : 0;
    for (size_t w = 0; rc == 0 && w < out.n;) {
        ssize_t n = write(fd, out.p + w, out.n - w);
        if (n > 0)
            w += (size_t)n;
        else if (errno != EINTR)
            rc = -1;
    }
    if (fd >= 0 && close(fd) != 0)
        rc = -1;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = -1;
    if (rc != 0 && fd >= 0)
        unlink(tmp);
    free(out.p);
    return rc;
}

/* The lexicon of the image mapped at buf (taken over on success), or NULL
 * when its header or the places of its sections are not sound. */
ms_lexicon *ms_lex_from_image(ms_analyzer *a, char *buf, size_t len, const char *stamp)
{
    image_header h;
    if (len < sizeof h)
        return NULL;
    memcpy(&h, buf, sizeof h);
    if (memcmp(h.magic, IMAGE_MAGIC, 8) || h.version != IMAGE_VERSION ||
        h.layout != image_layout() || h.stamp_len != strlen(stamp) || h.n > INT32_MAX ||
        h.n_slots >= h.tab_size || (h.tab_size & (h.tab_size - 1)) || h.tab_size > (1u << 30) ||
        h.n_stems == 0 || h.n_stems > 65536 || h.blk_len < 2 || h.blk_len > UINT32_MAX)
        return NULL;
    /* the sections, each where the writer put it */
    size_t off = pad(sizeof h), at[7];
    const uint64_t sizes[7] = {h.stamp_len,
                               h.n * sizeof(entry),
                               h.n_slots * sizeof(slot),
                               h.tab_size * sizeof(uint32_t),
                               h.tab_size * sizeof(uint32_t),
                               h.n_stems * sizeof(stem_node),
                               h.blk_len};
    for (int i = 0; i < 7; i++) {
        if (sizes[i] > len || off > len - sizes[i])
            return NULL;
        at[i] = off;
        off = i < 6 ? pad(off + sizes[i]) : off + sizes[i];
    }
    /* the block ends with a NUL: a string at any offset in it ends too */
    if (off != len || memcmp(buf + at[0], stamp, h.stamp_len) || buf[len - 1] != '\0')
        return NULL;
    ms_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx)
        return NULL;
    lx->an = a;
    lx->e = (entry *)(void *)(buf + at[1]);
    lx->n = lx->cap = h.n;
    lx->slots = (slot *)(void *)(buf + at[2]);
    lx->n_slots = lx->slots_cap = h.n_slots;
    lx->hashes = (uint32_t *)(void *)(buf + at[3]);
    lx->idx = (uint32_t *)(void *)(buf + at[4]);
    lx->tab_size = h.tab_size;
    memcpy(lx->first_terms, h.first_terms, sizeof lx->first_terms);
    lx->stems = (stem_node *)(void *)(buf + at[5]);
    lx->n_stems = h.n_stems;
    lx->blk.p = buf + at[6];
    lx->blk.n = lx->blk.cap = h.blk_len;
    lx->digest = h.digest;
    snprintf(lx->digest_hex, sizeof lx->digest_hex, "%016llx", (unsigned long long)h.digest);
    lx->image = buf;
    lx->image_len = len;
    return lx;
}

ms_lexicon *ms_lexicon_read_image(ms_analyzer *a, const char *data, size_t len, const char *stamp)
{
    void *buf =
        mmap(NULL, len ? len : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        return NULL;
    memcpy(buf, data, len);
    ms_lexicon *lx = ms_lex_from_image(a, buf, len, stamp);
    if (!lx)
        munmap(buf, len ? len : 1);
    return lx;
}

int ms_lexicon_from_image(const ms_lexicon *lx)
{
    return lx->image != NULL;
}
