/* routemap — plane and sphere geometry: bounding boxes, polylines,
 * simplification at output resolution, clipping to a view, great circles.
 * Knows nothing about files or cairo. Coordinates are interleaved x,y pairs. */
#ifndef ROUTEMAP_GEOM_H
#define ROUTEMAP_GEOM_H

#include <stddef.h>

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_bbox {
    double minx, miny, maxx, maxy;
} rm_bbox;

/* An empty box (min = +inf, max = -inf) that rm_bbox_add grows. */
rm_bbox rm_bbox_empty(void);
void rm_bbox_add(rm_bbox *b, double x, double y);
int rm_bbox_is_empty(const rm_bbox *b);
int rm_bbox_intersects(const rm_bbox *a, const rm_bbox *b);
int rm_bbox_contains_point(const rm_bbox *b, double x, double y);
void rm_bbox_union(rm_bbox *dst, const rm_bbox *src);

/* Mean Earth radius (IUGG, km) used by the spherical helpers below. */
#define RM_EARTH_RADIUS_KM 6371.0088

/* Great-circle distance in km on the mean sphere (haversine). */
double rm_haversine_km(double lon1, double lat1, double lon2, double lat2);

/* Geodesic distance on the WGS 84 ellipsoid in km (PROJ's geodesic code). */
double rm_geodesic_km(double lon1, double lat1, double lon2, double lat2);

/* Points along the great circle from (lon1,lat1) to (lon2,lat2), both ends
 * included, at most max_step_km apart. Writes up to cap points into out
 * (interleaved lon,lat) and returns the number needed (call with cap 0 to
 * size the buffer). The arc is the short way round, and its longitudes are
 * continuous: one that crosses the antimeridian goes on past 180 (or -180),
 * e.g. Petropavlovsk 158.6 to Anchorage as 210.1, never back through 0. */
size_t rm_great_circle(double lon1, double lat1, double lon2, double lat2, double max_step_km,
                       double *out, size_t cap);

/* The shortest longitude interval that holds every point: the complement of
 * the widest gap between the points' longitudes around the globe, so that
 * points on both sides of the antimeridian (Kamchatka and Alaska) give
 * [158, 210] rather than [-150, 158]. Reads the longitude of every stride-th
 * double from xy (stride 2 for interleaved lon,lat). Writes *minlon in
 * [-180, 180) and *maxlon in [*minlon, *minlon + 360): *maxlon > 180 means the
 * interval crosses the antimeridian. Returns 0, or -1 when there is no finite
 * longitude (or out of memory). */
int rm_lon_range(const double *xy, size_t n, size_t stride, double *minlon, double *maxlon);

/* Lon/lat boxes across the antimeridian: a box may have maxx > 180 (up to
 * minx + 360), its longitudes east of 180 written as lon + 360. Geometry
 * loaded for such a box (geodata.h) comes in the same shifted longitudes. */

/* A growable array of interleaved x,y pairs, with part boundaries. */
typedef struct rm_path {
    double *xy;    /* 2*n doubles */
    size_t n, cap; /* points used, points allocated */
    size_t *parts; /* start index (in points) of each part */
    size_t nparts, parts_cap;
} rm_path;

void rm_path_init(rm_path *p);
void rm_path_free(rm_path *p);
void rm_path_clear(rm_path *p);
int rm_path_begin_part(rm_path *p); /* 0 ok, -1 out of memory */
int rm_path_add(rm_path *p, double x, double y);
/* Number of points of part i. */
size_t rm_path_part_len(const rm_path *p, size_t i);

/* Simplification for drawing: keeps the first and last point of the run,
 * drops points closer than tol to the kept previous one, and drops points
 * whose removal moves the line less than tol (Douglas–Peucker within the
 * run). Works in place on n points (x,y interleaved) and returns the new
 * count. Deterministic: the same input gives the same output. */
size_t rm_simplify(double *xy, size_t n, double tol, int closed);

/* Clips an open polyline (n points) to the rectangle r, appending the pieces
 * inside as separate parts of out. Returns 0, or -1 out of memory. */
int rm_clip_polyline(const double *xy, size_t n, const rm_bbox *r, rm_path *out);

/* Clips a closed ring (n points, last may repeat first) to r
 * (Sutherland–Hodgman), appending the result as one part of out (nothing if
 * the ring lies outside). Returns 0, or -1 out of memory. */
int rm_clip_ring(const double *xy, size_t n, const rm_bbox *r, rm_path *out);

/* The same clipping, one point at a time, for rings too large to hold twice
 * (a loader clips a ring while it reads it): begin, push every point of the
 * ring (a repeated closing point is harmless), end. The result, appended to
 * out as one part when it keeps at least 3 points, is the ring of
 * rm_clip_ring up to where it starts and repeated points: the same area.
 * Memory: the output only. push and end return 0, or -1 out of memory. */
typedef struct rm_ring_clipper {
    rm_bbox r;
    rm_path *out;
    struct {
        double fx, fy, px, py; /* first and previous point seen by this stage */
        int fin, pin;          /* are they inside this stage's edge */
        size_t n;              /* points seen */
    } st[4];
    double hx, hy;    /* a point received but not yet fed: dropped when it and */
    int hold;         /* the points on either side lie outside one edge */
    int hcode, lcode; /* outside-edge bits of the held point and the last one fed */
    size_t start;     /* index in out of this ring's first point */
    int begun;        /* the part has been opened in out */
    int oom;
} rm_ring_clipper;

void rm_ring_clip_begin(rm_ring_clipper *c, const rm_bbox *r, rm_path *out);
int rm_ring_clip_push(rm_ring_clipper *c, double x, double y);
/* n points at once (x,y interleaved): the same as n calls of push, faster. */
int rm_ring_clip_push_n(rm_ring_clipper *c, const double *xy, size_t n);
int rm_ring_clip_end(rm_ring_clipper *c);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
