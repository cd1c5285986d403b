/* routemap — compact SVG path data under cairo's SVG surface (svgdata.c);
 * private to the cairo back-end. */
#ifndef ROUTEMAP_SVGDATA_H
#define ROUTEMAP_SVGDATA_H

#include <cairo.h>
#include <stddef.h>

/* A growable memory buffer that cairo writes into. */
typedef struct rm_membuf {
    unsigned char *data;
    size_t len, cap;
    int failed;
} rm_membuf;

typedef struct rm_svgdata {
    int ok;  /* compact path data allowed (SVG on the 1/4 px grid) */
    int on;  /* a path is being collected */
    char *d; /* the path data being built */
    size_t len, cap;
    char **paths; /* finished path data, by placeholder number */
    size_t n;
    double x, y; /* where the placeholders sit on the page */
    int oom;
} rm_svgdata;

int rm_svgdata_put(rm_svgdata *w, const char *t, size_t n);
/* Appends q/4 (a coordinate in quarter pixels). */
void rm_svgdata_num(rm_svgdata *w, long q);
/* Starts collecting a path's data (when allowed). */
void rm_svgdata_begin(rm_svgdata *w);
/* Ends a path's data and puts its placeholder into cr's path. */
void rm_svgdata_end(rm_svgdata *w, cairo_t *cr);
/* Swaps each placeholder's d="..." in the finished SVG for its data; -1
 * when memory ran out. */
int rm_svgdata_fill(rm_svgdata *w, rm_membuf *m);
/* Renumbers cairo's process-wide surface ids in order of appearance. */
void rm_svgdata_stable_ids(rm_membuf *m);
void rm_svgdata_free(rm_svgdata *w);

#endif
