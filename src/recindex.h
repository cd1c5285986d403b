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

/* Smaller files (fewer records and fewer bytes) are read whole: an index
 * would not pay. */
#define RM_RECIDX_MIN_RECORDS 1024
#define RM_RECIDX_MIN_BYTES (1u << 20)

typedef struct rm_recidx_rec {
    float minx, miny, maxx, maxy; /* contains the record's box */
    int32_t nparts, npoints;      /* npoints 0: a null or empty record */
} rm_recidx_rec;

/* A record of at least RM_RECIDX_BIG points (Natural Earth's first land
 * polygon, Eurasia with Antarctica, has 411,132) also gets a box for each
 * run of RM_RECIDX_CHUNK points: chunk j covers points [jC, (j+1)C], the
 * next run's first point included, and keeps its own first point exactly.
 * A clipper can then pass over a run that lies beyond one edge of its box
 * without reading it: the run and the straight line between its ends enclose
 * nothing inside the box. */
#define RM_RECIDX_BIG 8192
#define RM_RECIDX_CHUNK 1024

typedef struct rm_recidx_chunk {
    double x0, y0;                /* point jC */
    float minx, miny, maxx, maxy; /* contains points jC .. (j+1)C */
} rm_recidx_chunk;

typedef struct rm_recidx_big {
    int32_t record, nchunks; /* nchunks = ceil(npoints / RM_RECIDX_CHUNK) */
    uint64_t first;          /* its first entry in the chunk array */
} rm_recidx_big;

typedef struct rm_recidx {
    rm_recidx_rec *rec; /* nrec entries */
    size_t nrec;
    rm_recidx_big *big; /* nbig entries, by record */
    size_t nbig;
    rm_recidx_chunk *chunk; /* nchunk entries */
    size_t nchunk;
    void *block; /* what holds them */
    size_t block_bytes;
} rm_recidx;

/* The chunks of record i, or NULL (*n = 0) when it has none. */
const rm_recidx_chunk *rm_recidx_chunks(const rm_recidx *idx, int record, int *n);

/* The index of the shapefile shp_path (open as shp_fd, its .shx as shx_fd)
 * with nrec records of shape type type, when one is cached and matches: 0 and
 * idx filled, else -1. */
int rm_recidx_load(const char *shp_path, int shp_fd, int shx_fd, size_t nrec, int type,
                   rm_recidx *idx);
void rm_recidx_free(rm_recidx *idx);

/* Caches idx (rec, big and chunk arrays) as the index of shp_path (best
 * effort). */
void rm_recidx_save(const char *shp_path, int shp_fd, int shx_fd, int type, const rm_recidx *idx);

/* Removes the cached index of shp_path (when it proved wrong). */
void rm_recidx_drop(const char *shp_path);

/* An entry for a record with this box (floats rounded outwards). */
rm_recidx_rec rm_recidx_entry(double minx, double miny, double maxx, double maxy, int nparts,
                              int npoints);

#endif
