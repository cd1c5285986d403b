/* routemap — geometry: boxes, distances, great circles, growable paths,
 * simplification and clipping. Pure functions of their arguments. */
#include "routemap/geom.h"

#include <geodesic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG2RAD (M_PI / 180.0)
#define RAD2DEG (180.0 / M_PI)

rm_bbox rm_bbox_empty(void)
{
    rm_bbox b = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    return b;
}

void rm_bbox_add(rm_bbox *b, double x, double y)
{
    if (x < b->minx)
        b->minx = x;
    if (x > b->maxx)
        b->maxx = x;
    if (y < b->miny)
        b->miny = y;
    if (y > b->maxy)
        b->maxy = y;
}

int rm_bbox_is_empty(const rm_bbox *b)
{
    return !(b->minx <= b->maxx && b->miny <= b->maxy);
}

int rm_bbox_intersects(const rm_bbox *a, const rm_bbox *b)
{
    return a->minx <= b->maxx && b->minx <= a->maxx && a->miny <= b->maxy && b->miny <= a->maxy;
}

int rm_bbox_contains_point(const rm_bbox *b, double x, double y)
{
    return x >= b->minx && x <= b->maxx && y >= b->miny && y <= b->maxy;
}

void rm_bbox_union(rm_bbox *dst, const rm_bbox *src)
{
    if (rm_bbox_is_empty(src))
        return;
    rm_bbox_add(dst, src->minx, src->miny);
    rm_bbox_add(dst, src->maxx, src->maxy);
}

double rm_haversine_km(double lon1, double lat1, double lon2, double lat2)
{
    double p1 = lat1 * DEG2RAD, p2 = lat2 * DEG2RAD;
    double dp = p2 - p1, dl = (lon2 - lon1) * DEG2RAD;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    if (h > 1)
        h = 1;
    return 2 * RM_EARTH_RADIUS_KM * asin(sqrt(h));
}

/* WGS 84 geodesic through PROJ's geodesic.h (Karney's algorithms). The
 * struct geod_geodesic is built once per call: it is cheap and keeps this
 * function free of shared state. */
double rm_geodesic_km(double lon1, double lat1, double lon2, double lat2)
{
    struct geod_geodesic g;
    double s12 = 0;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12 / 1000.0;
}

/* Spherical interpolation (slerp) between the two unit vectors. */
size_t rm_great_circle(double lon1, double lat1, double lon2, double lat2, double max_step_km,
                       double *out, size_t cap)
{
    double d = rm_haversine_km(lon1, lat1, lon2, lat2);
    size_t steps = 1;
    if (max_step_km > 0 && d > max_step_km)
        steps = (size_t)ceil(d / max_step_km);
    if (steps > 100000)
        steps = 100000;
    size_t need = steps + 1;
    if (cap == 0 || !out)
        return need;
    double p1 = lat1 * DEG2RAD, l1 = lon1 * DEG2RAD, p2 = lat2 * DEG2RAD, l2 = lon2 * DEG2RAD;
    double a[3] = {cos(p1) * cos(l1), cos(p1) * sin(l1), sin(p1)};
    double b[3] = {cos(p2) * cos(l2), cos(p2) * sin(l2), sin(p2)};
    double omega = d / RM_EARTH_RADIUS_KM;
    for (size_t i = 0; i < need && i < cap; i++) {
        double t = (double)i / (double)steps;
        double x, y, z;
        if (omega < 1e-12) {
            x = a[0];
            y = a[1];
            z = a[2];
        } else {
            double s = sin(omega);
            double wa = sin((1 - t) * omega) / s, wb = sin(t * omega) / s;
            x = wa * a[0] + wb * b[0];
            y = wa * a[1] + wb * b[1];
            z = wa * a[2] + wb * b[2];
        }
        double lon = atan2(y, x) * RAD2DEG, lat = atan2(z, sqrt(x * x + y * y)) * RAD2DEG;
        if (i == 0)
            lon = lon1, lat = lat1; /* the start exactly */
        /* longitudes continuous along the arc (no jump at the antimeridian):
         * each point within 180 degrees of the one before */
        double prev = i == 0 ? lon1 : out[2 * (i - 1)];
        while (lon - prev > 180)
            lon -= 360;
        while (lon - prev < -180)
            lon += 360;
        out[2 * i] = lon;
        out[2 * i + 1] = lat;
    }
    if (cap >= need) {
        /* the end exactly, on the same side as the point before it */
        double lon = lon2, prev = steps > 0 ? out[2 * (steps - 1)] : lon1;
        while (lon - prev > 180)
            lon -= 360;
        while (lon - prev < -180)
            lon += 360;
        out[2 * steps] = lon;
        out[2 * steps + 1] = lat2;
    }
    return need;
}

void rm_path_init(rm_path *p)
{
    memset(p, 0, sizeof *p);
}

void rm_path_free(rm_path *p)
{
    free(p->xy);
    free(p->parts);
    rm_path_init(p);
}

void rm_path_clear(rm_path *p)
{
    p->n = 0;
    p->nparts = 0;
}

int rm_path_begin_part(rm_path *p)
{
    if (p->nparts == p->parts_cap) {
        size_t cap = p->parts_cap ? 2 * p->parts_cap : 16;
        size_t *np = realloc(p->parts, cap * sizeof *np);
        if (!np)
            return -1;
        p->parts = np;
        p->parts_cap = cap;
    }
    p->parts[p->nparts++] = p->n;
    return 0;
}

int rm_path_add(rm_path *p, double x, double y)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        double *nx = realloc(p->xy, 2 * cap * sizeof *nx);
        if (!nx)
            return -1;
        p->xy = nx;
        p->cap = cap;
    }
    if (p->nparts == 0 && rm_path_begin_part(p) != 0)
        return -1;
    p->xy[2 * p->n] = x;
    p->xy[2 * p->n + 1] = y;
    p->n++;
    return 0;
}

size_t rm_path_part_len(const rm_path *p, size_t i)
{
    if (i >= p->nparts)
        return 0;
    size_t end = i + 1 < p->nparts ? p->parts[i + 1] : p->n;
    return end - p->parts[i];
}

/* Squared distance from point p to segment ab. */
static double seg_dist2(const double *p, const double *a, const double *b)
{
    double dx = b[0] - a[0], dy = b[1] - a[1];
    double len2 = dx * dx + dy * dy;
    double t = 0;
    if (len2 > 0) {
        t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
        if (t < 0)
            t = 0;
        else if (t > 1)
            t = 1;
    }
    double ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
    return ex * ex + ey * ey;
}

/* Douglas–Peucker over [lo, hi] with an explicit stack (no recursion depth
 * limit on long lines); marks kept points in keep[]. */
static void dp_mark(const double *xy, size_t lo, size_t hi, double tol2, unsigned char *keep,
                    size_t *stack)
{
    size_t sp = 0;
    stack[sp++] = lo;
    stack[sp++] = hi;
    while (sp) {
        size_t h = stack[--sp], l = stack[--sp];
        if (h <= l + 1)
            continue;
        double best = -1;
        size_t bi = l;
        for (size_t i = l + 1; i < h; i++) {
            double d = seg_dist2(xy + 2 * i, xy + 2 * l, xy + 2 * h);
            if (d > best) {
                best = d;
                bi = i;
            }
        }
        if (best > tol2) {
            keep[bi] = 1;
            stack[sp++] = l;
            stack[sp++] = bi;
            stack[sp++] = bi;
            stack[sp++] = h;
        }
    }
}

size_t rm_simplify(double *xy, size_t n, double tol, int closed)
{
    if (n < 3 || !(tol > 0))
        return n;
    /* 1. drop points within tol of the previous kept point (radial pass) */
    double tol2 = tol * tol;
    size_t m = 1;
    for (size_t i = 1; i < n; i++) {
        double dx = xy[2 * i] - xy[2 * (m - 1)], dy = xy[2 * i + 1] - xy[2 * (m - 1) + 1];
        if (dx * dx + dy * dy >= tol2 || i == n - 1) {
            xy[2 * m] = xy[2 * i];
            xy[2 * m + 1] = xy[2 * i + 1];
            m++;
        }
    }
    size_t minkeep = closed ? 4 : 2;
    if (m <= minkeep)
        return m;
    /* 2. Douglas–Peucker */
    unsigned char *keep = calloc(m, 1);
    size_t *stack = malloc(4 * m * sizeof *stack);
    if (!keep || !stack) {
        free(keep);
        free(stack);
        return m;
    }
    keep[0] = keep[m - 1] = 1;
    if (closed) {
        /* a ring: split at the point farthest from the first, so both halves
         * have distinct ends */
        size_t far = 1;
        double best = -1;
        for (size_t i = 1; i < m - 1; i++) {
            double dx = xy[2 * i] - xy[0], dy = xy[2 * i + 1] - xy[1];
            if (dx * dx + dy * dy > best) {
                best = dx * dx + dy * dy;
                far = i;
            }
        }
        keep[far] = 1;
        dp_mark(xy, 0, far, tol2, keep, stack);
        dp_mark(xy, far, m - 1, tol2, keep, stack);
    } else {
        dp_mark(xy, 0, m - 1, tol2, keep, stack);
    }
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (keep[i]) {
            xy[2 * k] = xy[2 * i];
            xy[2 * k + 1] = xy[2 * i + 1];
            k++;
        }
    }
    free(keep);
    free(stack);
    return k; /* a ring reduced below 4 points is sub-resolution: callers drop it */
}

/* Liang–Barsky clip of segment (x0,y0)-(x1,y1) to r; returns 1 and the
 * clipped parameters t0 <= t1 when some part lies inside. */
static int clip_segment(double x0, double y0, double x1, double y1, const rm_bbox *r, double *t0,
                        double *t1)
{
    double dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - r->minx, r->maxx - x0, y0 - r->miny, r->maxy - y0};
    double a = 0, b = 1;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
        } else {
            double t = q[i] / p[i];
            if (p[i] < 0) {
                if (t > b)
                    return 0;
                if (t > a)
                    a = t;
            } else {
                if (t < a)
                    return 0;
                if (t < b)
                    b = t;
            }
        }
    }
    *t0 = a;
    *t1 = b;
    return 1;
}

int rm_clip_polyline(const double *xy, size_t n, const rm_bbox *r, rm_path *out)
{
    int open = 0; /* a part is open in out and its last point is the previous end */
    for (size_t i = 0; i + 1 < n; i++) {
        double x0 = xy[2 * i], y0 = xy[2 * i + 1], x1 = xy[2 * i + 2], y1 = xy[2 * i + 3];
        double t0, t1;
        if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1) ||
            !clip_segment(x0, y0, x1, y1, r, &t0, &t1)) {
            open = 0;
            continue;
        }
        double ax = x0 + t0 * (x1 - x0), ay = y0 + t0 * (y1 - y0);
        double bx = x0 + t1 * (x1 - x0), by = y0 + t1 * (y1 - y0);
        if (!open || t0 > 0) {
            if (rm_path_begin_part(out) != 0 || rm_path_add(out, ax, ay) != 0)
                return -1;
        }
        if (rm_path_add(out, bx, by) != 0)
            return -1;
        open = t1 >= 1;
    }
    if (n == 1 && rm_bbox_contains_point(r, xy[0], xy[1])) {
        if (rm_path_begin_part(out) != 0 || rm_path_add(out, xy[0], xy[1]) != 0)
            return -1;
    }
    return 0;
}

/* One Sutherland–Hodgman pass against one edge of r. edge: 0 left, 1 right,
 * 2 bottom, 3 top. */
static int inside_edge(double x, double y, const rm_bbox *r, int edge)
{
    switch (edge) {
    case 0:
        return x >= r->minx;
    case 1:
        return x <= r->maxx;
    case 2:
        return y >= r->miny;
    default:
        return y <= r->maxy;
    }
}

static void intersect_edge(double ax, double ay, double bx, double by, const rm_bbox *r, int edge,
                           double *ox, double *oy)
{
    double t;
    switch (edge) {
    case 0:
        t = (r->minx - ax) / (bx - ax);
        *ox = r->minx;
        *oy = ay + t * (by - ay);
        break;
    case 1:
        t = (r->maxx - ax) / (bx - ax);
        *ox = r->maxx;
        *oy = ay + t * (by - ay);
        break;
    case 2:
        t = (r->miny - ay) / (by - ay);
        *ox = ax + t * (bx - ax);
        *oy = r->miny;
        break;
    default:
        t = (r->maxy - ay) / (by - ay);
        *ox = ax + t * (bx - ax);
        *oy = r->maxy;
        break;
    }
}

/* The streaming Sutherland–Hodgman pipeline: stage k clips against edge k
 * and feeds stage k+1; stage 4 is the sink, which appends to out, dropping
 * a point equal to the one before it. */
static void clip_sink(rm_ring_clipper *c, double x, double y)
{
    rm_path *o = c->out;
    if (!c->begun) {
        if (rm_path_begin_part(o) != 0) {
            c->oom = 1;
            return;
        }
        c->start = o->n;
        c->begun = 1;
    } else if (o->n > c->start && o->xy[2 * o->n - 2] == x && o->xy[2 * o->n - 1] == y) {
        return;
    }
    if (rm_path_add(o, x, y) != 0)
        c->oom = 1;
}

static void clip_feed(rm_ring_clipper *c, int k, double x, double y);

/* Stage k's edge from (px, py) to (x, y): where it crosses the stage's line
 * and where it ends, when that is inside, go on to stage k+1. */
static void clip_edge(rm_ring_clipper *c, int k, double px, double py, int pin, double x, double y,
                      int in)
{
    if (in != pin) {
        double ix, iy;
        intersect_edge(px, py, x, y, &c->r, k, &ix, &iy);
        clip_feed(c, k + 1, ix, iy);
    }
    if (in)
        clip_feed(c, k + 1, x, y);
}

static void clip_feed(rm_ring_clipper *c, int k, double x, double y)
{
    if (k == 4) {
        clip_sink(c, x, y);
        return;
    }
    int in = inside_edge(x, y, &c->r, k);
    if (c->st[k].n++ == 0) {
        /* the edge that ends here (from the last point) is handled by end */
        c->st[k].fx = c->st[k].px = x;
        c->st[k].fy = c->st[k].py = y;
        c->st[k].fin = c->st[k].pin = in;
        return;
    }
    double px = c->st[k].px, py = c->st[k].py;
    int pin = c->st[k].pin;
    c->st[k].px = x;
    c->st[k].py = y;
    c->st[k].pin = in;
    clip_edge(c, k, px, py, pin, x, y, in);
}

void rm_ring_clip_begin(rm_ring_clipper *c, const rm_bbox *r, rm_path *out)
{
    memset(c, 0, sizeof *c);
    c->r = *r;
    c->out = out;
}

/* Bit k set: (x, y) lies outside edge k of r. */
static inline int outcode(const rm_bbox *r, double x, double y)
{
    return (x < r->minx) | (x > r->maxx) << 1 | (y < r->miny) << 2 | (y > r->maxy) << 3;
}

/* A point outside an edge between two points outside the same edge can go:
 * the triangle the three make lies beyond that edge, so leaving the point out
 * changes no winding number inside the box, and the long runs of a big ring
 * that lie beyond one side cost a comparison each, not a trip through the
 * four stages. */
int rm_ring_clip_push(rm_ring_clipper *c, double x, double y)
{
    int code = outcode(&c->r, x, y);
    if (c->hold) {
        if (c->hcode & c->lcode & code) {
            c->hx = x;
            c->hy = y;
            c->hcode = code;
            return 0;
        }
        clip_feed(c, 0, c->hx, c->hy);
        c->lcode = c->hcode;
        c->hx = x;
        c->hy = y;
        c->hcode = code;
    } else if (c->st[0].n == 0) {
        clip_feed(c, 0, x, y);
        c->lcode = code;
    } else {
        c->hold = 1;
        c->hx = x;
        c->hy = y;
        c->hcode = code;
    }
    return c->oom ? -1 : 0;
}

int rm_ring_clip_push_n(rm_ring_clipper *c, const double *xy, size_t n)
{
    size_t i = 0;
    while (i < n && (!c->hold || c->st[0].n == 0))
        if (rm_ring_clip_push(c, xy[2 * i], xy[2 * i + 1]) != 0)
            return -1;
        else
            i++;
    /* the loop of push with a point held, its fast case inline */
    const rm_bbox r = c->r;
    double hx = c->hx, hy = c->hy;
    int hcode = c->hcode, lcode = c->lcode;
    for (; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        int code = outcode(&r, x, y);
        if (!(hcode & lcode & code)) {
            clip_feed(c, 0, hx, hy);
            if (c->oom)
                return -1;
            lcode = hcode;
        }
        hx = x;
        hy = y;
        hcode = code;
    }
    c->hx = hx;
    c->hy = hy;
    c->hcode = hcode;
    c->lcode = lcode;
    return 0;
}

int rm_ring_clip_end(rm_ring_clipper *c)
{
    if (c->hold) {
        clip_feed(c, 0, c->hx, c->hy);
        c->hold = 0;
    }
    for (int k = 0; k < 4; k++) {
        if (c->st[k].n < 2)
            continue;
        /* the closing edge, last → first */
        clip_edge(c, k, c->st[k].px, c->st[k].py, c->st[k].pin, c->st[k].fx, c->st[k].fy,
                  c->st[k].fin);
    }
    rm_path *o = c->out;
    if (c->begun && !c->oom) {
        size_t len = o->n - c->start;
        if (len >= 2 && o->xy[2 * c->start] == o->xy[2 * o->n - 2] &&
            o->xy[2 * c->start + 1] == o->xy[2 * o->n - 1])
            len--, o->n--;
        if (len < 3) { /* nothing with an area is left: take the part back */
            o->n = c->start;
            o->nparts--;
        }
    }
    c->begun = 0;
    return c->oom ? -1 : 0;
}

int rm_clip_ring(const double *xy, size_t n, const rm_bbox *r, rm_path *out)
{
    if (n >= 2 && xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
        n--; /* work on the open ring */
    if (n < 3)
        return 0;
    /* quick accept / reject on the ring's box */
    rm_bbox b = rm_bbox_empty();
    for (size_t i = 0; i < n; i++)
        rm_bbox_add(&b, xy[2 * i], xy[2 * i + 1]);
    if (!rm_bbox_intersects(&b, r))
        return 0;
    if (b.minx >= r->minx && b.maxx <= r->maxx && b.miny >= r->miny && b.maxy <= r->maxy) {
        if (rm_path_begin_part(out) != 0)
            return -1;
        for (size_t i = 0; i < n; i++)
            if (rm_path_add(out, xy[2 * i], xy[2 * i + 1]) != 0)
                return -1;
        return 0;
    }
    rm_ring_clipper c;
    rm_ring_clip_begin(&c, r, out);
    for (size_t i = 0; i < n; i++)
        if (rm_ring_clip_push(&c, xy[2 * i], xy[2 * i + 1]) != 0)
            return -1;
    return rm_ring_clip_end(&c);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int rm_lon_range(const double *xy, size_t n, size_t stride, double *minlon, double *maxlon)
{
    if (!xy || n == 0 || stride < 1)
        return -1;
    double *l = malloc(n * sizeof *l);
    if (!l)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double lon = xy[i * stride];
        if (!isfinite(lon))
            continue;
        lon = fmod(lon, 360.0);
        if (lon >= 180)
            lon -= 360;
        else if (lon < -180)
            lon += 360;
        l[m++] = lon;
    }
    if (m == 0) {
        free(l);
        return -1;
    }
    qsort(l, m, sizeof *l, cmp_double);
    /* the widest gap between neighbours, the wrap-around gap included; the
     * range is everything but that gap. Ties keep the gap across 180, so that
     * a range that does not need to cross the antimeridian does not. */
    double gap = l[0] + 360 - l[m - 1];
    size_t at = m; /* the gap after l[at-1]; m: the wrap-around one */
    for (size_t i = 1; i < m; i++)
        if (l[i] - l[i - 1] > gap + 1e-9) {
            gap = l[i] - l[i - 1];
            at = i;
        }
    if (at == m) {
        *minlon = l[0];
        *maxlon = l[m - 1];
    } else {
        *minlon = l[at];
        *maxlon = l[at - 1] + 360;
    }
    free(l);
    return 0;
}
