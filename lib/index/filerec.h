/*
 * filerec.h - the index's record of each file it has read (filerec.c).
 */
#ifndef MEDSEARCH_INDEX_FILEREC_H
#define MEDSEARCH_INDEX_FILEREC_H

#include "base/error.h"
#include "xapian/xapian.h"

/* What the F: record of an indexed file, or the E: record of a failed
 * one, says of it. */
typedef struct frec {
    long long size, mtime;
    unsigned long long hash;
    unsigned passages;
    char reason[200]; /* E: records */
} frec;

/* The record of file rel under prefix ("F:" or "E:") into r; 0 when there
 * is none. */
int ms_frec_get(msx_wdb *db, const char *prefix, const char *rel, frec *r);

/* Write r as the record of file rel under prefix. */
int ms_frec_put(msx_wdb *db, const char *prefix, const char *rel, const frec *r, ms_error *err);

/* Remove the record of file rel under prefix. */
int ms_frec_del(msx_wdb *db, const char *prefix, const char *rel);

/* The path of the file whose record is at key (malloc'd). */
char *ms_frec_path(msx_wdb *db, const char *key);

/* Other records of a file, of any bytes, under prefix ("K:", learn.c):
 * get gives a malloc'd value and 1, or 0 when there is none; putting an
 * empty value removes the record. */
int ms_frec_get_raw(msx_wdb *db, const char *prefix, const char *rel, char **val, size_t *len);
int ms_frec_put_raw(msx_wdb *db, const char *prefix, const char *rel, const char *val, size_t len,
                    ms_error *err);

#endif
