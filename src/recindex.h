/* routemap — private: a cache of the record boxes of a shapefile.
 *
 * To find the records that meet a view, the loader must know every record's
 * bounding box. Without an index that means reading the head of every record,
 * i.e. the whole .shp (the 15 MB of Natural Earth's railroads for a map of one
 * city). The first load of a large shapefile therefore writes, beside what it
 * draws, a small file with each record's box (as floats rounded outwards) and
 * its part and point counts: 24 bytes a record. Later loads read that instead
 * of the .shp and go to the .shp only for the records they keep.
 *
 * Where: $ROUTEMAP_CACHE_DIR, else $XDG_CACHE_HOME/routemap, else
 * $HOME/.cache/routemap; ROUTEMAP_CACHE=off (or 0, no) turns it off. One file
 * per shapefile, named by a hash of its real path, holding the identity of the
 * .shp and .shx it describes (device, inode, size, modification time to the
 * nanosecond) and a checksum: a file that does not match is not used.
 *
 * What is trusted: only which records to skip. Everything read from a kept
 * record is checked against the .shp as without the index, and a record that
 * disagrees with its index entry makes the loader drop the index and load
 * again from the .shp alone. Writing is best effort (a read-only home, a full
 * disk: no index, no error) and atomic (temporary file and rename), so
 * processes and threads loading the same file at once do no harm. */
#ifndef ROUTEMAP_RECINDEX_H
#define ROUTEMAP_RECINDEX_H

#include <stddef.h>
#include <stdint.h>

/* Files with fewer records are read whole: an index would not pay. */
#define RM_RECIDX_MIN_RECORDS 1024

typedef struct rm_recidx_rec {
    float minx, miny, maxx, maxy; /* contains the record's box */
    int32_t nparts, npoints;      /* npoints 0: a null or empty record */
} rm_recidx_rec;

typedef struct rm_recidx {
    rm_recidx_rec *rec; /* nrec entries */
    size_t nrec;
    void *block; /* what holds them */
    size_t block_bytes;
} rm_recidx;

/* The index of the shapefile shp_path (open as shp_fd, its .shx as shx_fd)
 * with nrec records of shape type type, when one is cached and matches: 0 and
 * idx filled, else -1. */
int rm_recidx_load(const char *shp_path, int shp_fd, int shx_fd, size_t nrec, int type,
                   rm_recidx *idx);
void rm_recidx_free(rm_recidx *idx);

/* Caches rec[0..nrec) as the index of shp_path (best effort). */
void rm_recidx_save(const char *shp_path, int shp_fd, int shx_fd, int type,
                    const rm_recidx_rec *rec, size_t nrec);

/* Removes the cached index of shp_path (when it proved wrong). */
void rm_recidx_drop(const char *shp_path);

/* An entry for a record with this box (floats rounded outwards). */
rm_recidx_rec rm_recidx_entry(double minx, double miny, double maxx, double maxy, int nparts,
                              int npoints);

#endif
