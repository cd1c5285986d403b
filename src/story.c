/* routemap — private: framing and shared-track decisions (story.h). */
#include "story.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEG2RAD (M_PI / 180.0)

/* lon - lon0 in -180 .. 180 */
static double dlon(double lon, double lon0)
{
    double d = fmod(lon - lon0, 360.0);
    if (d >= 180)
        d -= 360;
    else if (d < -180)
        d += 360;
    return d;
}

typedef struct lbox {
    double x0, y0, x1, y1;
} lbox;

/* The share of a map area of aspect w/h (with margin) that core takes when
 * the map frames view. */
static double share_of(const lbox *core, const lbox *view, double aspect, double margin)
{
    double cw = core->x1 - core->x0, ch = core->y1 - core->y0;
    double w = view->x1 - view->x0, h = view->y1 - view->y0;
    if (w / h > aspect)
        h = w / aspect;
    else
        w = h * aspect;
    double k = 1 - 2 * margin;
    return cw * ch / (w * h / (k * k));
}

static double box_dist(const lbox *b, double x, double y)
{
    double dx = x < b->x0 ? b->x0 - x : x > b->x1 ? x - b->x1 : 0;
    double dy = y < b->y0 ? b->y0 - y : y > b->y1 ? y - b->y1 : 0;
    return hypot(dx, dy);
}

typedef struct cand_ord {
    double d;
    size_t i;
} cand_ord;

static int cmp_cand(const void *a, const void *b)
{
    const cand_ord *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

int rm_story_frame(const double *core, size_t ncore, const double *cand, size_t ncand,
                   double aspect, double margin, double min_share, int *keep, rm_bbox *box)
{
    for (size_t i = 0; i < ncand; i++)
        keep[i] = 1;
    double cmin, cmax;
    if (!core || ncore == 0 || rm_lon_range(core, ncore, 2, &cmin, &cmax) != 0)
        return -1;
    if (!(aspect > 0))
        aspect = 1;
    if (!(margin >= 0 && margin < 0.45))
        margin = 0;
    double lon0 = (cmin + cmax) / 2;
    double ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < ncore; i++)
        if (isfinite(core[2 * i + 1])) {
            ymin = fmin(ymin, core[2 * i + 1]);
            ymax = fmax(ymax, core[2 * i + 1]);
        }
    double kx = cos((ymin + ymax) / 2 * DEG2RAD);
    if (!(kx > 0.05))
        kx = 0.05;
    lbox c = {(cmin - lon0) * kx, ymin, (cmax - lon0) * kx, ymax};
    /* a point or a thin line still frames some area around it */
    if (c.x1 - c.x0 < 0.5) {
        double m = (c.x0 + c.x1) / 2;
        c.x0 = m - 0.25, c.x1 = m + 0.25;
    }
    if (c.y1 - c.y0 < 0.5) {
        double m = (c.y0 + c.y1) / 2;
        c.y0 = m - 0.25, c.y1 = m + 0.25;
    }
    lbox v = c;
    /* a candidate that costs little of what the core alone would have is
     * always fine, even when the core alone is below min_share (a long thin
     * route) */
    double s0 = share_of(&c, &v, aspect, margin);
    double need = fmin(min_share, 0.75 * s0);
    cand_ord *ord = malloc((ncand ? ncand : 1) * sizeof *ord);
    if (!ord)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < ncand; i++) {
        double lon = cand[2 * i], lat = cand[2 * i + 1];
        if (!isfinite(lon) || !isfinite(lat))
            continue; /* kept: nothing to decide */
        ord[n].d = box_dist(&c, dlon(lon, lon0) * kx, lat);
        ord[n].i = i;
        n++;
    }
    qsort(ord, n, sizeof *ord, cmp_cand);
    int far = 0;
    for (size_t q = 0; q < n; q++) {
        size_t i = ord[q].i;
        double x = dlon(cand[2 * i], lon0) * kx, y = cand[2 * i + 1];
        lbox t = v;
        t.x0 = fmin(t.x0, x), t.x1 = fmax(t.x1, x);
        t.y0 = fmin(t.y0, y), t.y1 = fmax(t.y1, y);
        if (ord[q].d == 0 || share_of(&c, &t, aspect, margin) >= need) {
            v = t;
        } else {
            keep[i] = 0;
            far++;
        }
    }
    free(ord);
    /* the lon/lat box of the core and the kept places */
    double bx0 = cmin, bx1 = cmax, by0 = ymin, by1 = ymax;
    for (size_t i = 0; i < ncand; i++) {
        if (!keep[i] || !isfinite(cand[2 * i]) || !isfinite(cand[2 * i + 1]))
            continue;
        double lon = lon0 + dlon(cand[2 * i], lon0);
        bx0 = fmin(bx0, lon), bx1 = fmax(bx1, lon);
        by0 = fmin(by0, cand[2 * i + 1]), by1 = fmax(by1, cand[2 * i + 1]);
    }
    while (bx0 < -180)
        bx0 += 360, bx1 += 360;
    while (bx0 >= 180)
        bx0 -= 360, bx1 -= 360;
    box->minx = bx0, box->maxx = bx1, box->miny = by0, box->maxy = by1;
    return far;
}

/* Distance from (x,y) to segment a-b; writes the segment's unit direction. */
static double seg_dist(double x, double y, const double *a, const double *b, double *ux, double *uy)
{
    double dx = b[0] - a[0], dy = b[1] - a[1], L = dx * dx + dy * dy;
    double t = L > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / L : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double l = sqrt(L);
    *ux = l > 0 ? dx / l : 0;
    *uy = l > 0 ? dy / l : 0;
    return hypot(a[0] + t * dx - x, a[1] + t * dy - y);
}

static void tangent(const double *pts, size_t n, size_t k, double *tx, double *ty);

/* Nearest distance from (x,y) to polyline pts, and its direction there (the
 * tangent at the nearer end of the nearest segment, over a few px). */
static double poly_dist(double x, double y, const double *pts, size_t n, double *ux, double *uy)
{
    double best = INFINITY;
    size_t at = n;
    *ux = *uy = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        const double *a = pts + 2 * k, *b = pts + 2 * k + 2;
        if (!isfinite(a[0]) || !isfinite(a[1]) || !isfinite(b[0]) || !isfinite(b[1]))
            continue;
        double vx, vy, d = seg_dist(x, y, a, b, &vx, &vy);
        if (d < best && (vx != 0 || vy != 0)) {
            best = d;
            *ux = vx, *uy = vy;
            at = hypot(x - a[0], y - a[1]) <= hypot(x - b[0], y - b[1]) ? k : k + 1;
        }
    }
    if (at < n) {
        double tx, ty;
        tangent(pts, n, at, &tx, &ty);
        if (tx != 0 || ty != 0)
            *ux = tx, *uy = ty;
    }
    return best;
}

double rm_point_polyline_dist(double x, double y, const double *pts, size_t n)
{
    double ux, uy;
    return poly_dist(x, y, pts, n, &ux, &uy);
}

/* The unit tangent of a polyline at vertex k: from the points a few px
 * before and after it (finite, along the line), so that a zigzag of tiny
 * segments does not turn the normal about. */
static void tangent(const double *pts, size_t n, size_t k, double *tx, double *ty)
{
    const double span = 6;
    const double *p = pts + 2 * k, *a = p, *b = p;
    for (size_t j = k; j > 0; j--) {
        const double *q = pts + 2 * (j - 1);
        if (!isfinite(q[0]) || !isfinite(q[1]))
            break;
        a = q;
        if (hypot(q[0] - p[0], q[1] - p[1]) >= span)
            break;
    }
    for (size_t j = k + 1; j < n; j++) {
        const double *q = pts + 2 * j;
        if (!isfinite(q[0]) || !isfinite(q[1]))
            break;
        b = q;
        if (hypot(q[0] - p[0], q[1] - p[1]) >= span)
            break;
    }
    double dx = b[0] - a[0], dy = b[1] - a[1], l = hypot(dx, dy);
    *tx = l > 0 ? dx / l : 0;
    *ty = l > 0 ? dy / l : 0;
}

/* A uniform grid over the routes' segments, each listed in every cell its
 * box (grown by tol) meets, so that the routes near a vertex are found
 * without walking every segment of every route. */
typedef struct seg_grid {
    double x0, y0, cell;
    size_t nx, ny;
    size_t *start; /* nx * ny + 1 */
    size_t *route, *seg;
} seg_grid;

static void grid_free(seg_grid *g)
{
    free(g->start), free(g->route), free(g->seg);
}

static int seg_cells(const seg_grid *g, const double *a, const double *b, double tol, size_t *cx0,
                     size_t *cy0, size_t *cx1, size_t *cy1)
{
    if (!isfinite(a[0]) || !isfinite(a[1]) || !isfinite(b[0]) || !isfinite(b[1]))
        return 0;
    double lx = fmin(a[0], b[0]) - tol, hx = fmax(a[0], b[0]) + tol;
    double ly = fmin(a[1], b[1]) - tol, hy = fmax(a[1], b[1]) + tol;
    *cx0 = (size_t)fmax(0, floor((lx - g->x0) / g->cell));
    *cy0 = (size_t)fmax(0, floor((ly - g->y0) / g->cell));
    *cx1 = (size_t)fmin((double)g->nx - 1, floor((hx - g->x0) / g->cell));
    *cy1 = (size_t)fmin((double)g->ny - 1, floor((hy - g->y0) / g->cell));
    return 1;
}

static int grid_build(seg_grid *g, const double *const *pts, const size_t *npts, size_t nroutes,
                      double tol)
{
    memset(g, 0, sizeof *g);
    rm_bbox all = rm_bbox_empty();
    size_t nseg = 0;
    for (size_t i = 0; i < nroutes; i++)
        for (size_t k = 0; k < npts[i]; k++)
            if (isfinite(pts[i][2 * k]) && isfinite(pts[i][2 * k + 1])) {
                rm_bbox_add(&all, pts[i][2 * k], pts[i][2 * k + 1]);
                nseg++;
            }
    if (rm_bbox_is_empty(&all))
        return 0;
    g->x0 = all.minx - 2 * tol, g->y0 = all.miny - 2 * tol;
    double w = all.maxx - all.minx + 4 * tol, h = all.maxy - all.miny + 4 * tol;
    g->cell = fmax(4 * tol, 1);
    while ((w / g->cell + 1) * (h / g->cell + 1) > 1e6 + 4.0 * (double)nseg)
        g->cell *= 2;
    g->nx = (size_t)(w / g->cell) + 1, g->ny = (size_t)(h / g->cell) + 1;
    g->start = calloc(g->nx * g->ny + 1, sizeof *g->start);
    if (!g->start)
        return -1;
    size_t cx0, cy0, cx1, cy1, total = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nroutes; i++)
            for (size_t k = 0; k + 1 < npts[i]; k++) {
                if (!seg_cells(g, pts[i] + 2 * k, pts[i] + 2 * k + 2, tol, &cx0, &cy0, &cx1, &cy1))
                    continue;
                for (size_t cy = cy0; cy <= cy1; cy++)
                    for (size_t cx = cx0; cx <= cx1; cx++) {
                        size_t c = cy * g->nx + cx;
                        if (pass == 0) {
                            g->start[c + 1]++;
                        } else {
                            size_t at = g->start[c]++;
                            g->route[at] = i, g->seg[at] = k;
                        }
                    }
            }
        if (pass == 0) {
            for (size_t c = 0; c < g->nx * g->ny; c++)
                g->start[c + 1] += g->start[c];
            total = g->start[g->nx * g->ny];
            g->route = malloc((total ? total : 1) * sizeof *g->route);
            g->seg = malloc((total ? total : 1) * sizeof *g->seg);
            if (!g->route || !g->seg)
                return -1;
        }
    }
    /* the fill moved each start to the next cell's: back by one cell */
    for (size_t c = g->nx * g->ny; c > 0; c--)
        g->start[c] = g->start[c - 1];
    g->start[0] = 0;
    return 0;
}

int rm_shared_offsets(const double *const *pts, const size_t *npts, size_t nroutes, double tol,
                      double spacing, double *const *off)
{
    double *tmp = NULL, *bestd = NULL;
    size_t *bests = NULL;
    size_t maxn = 1;
    seg_grid g;
    for (size_t i = 0; i < nroutes; i++)
        if (npts[i] > maxn)
            maxn = npts[i];
    tmp = malloc(2 * maxn * sizeof *tmp);
    bestd = malloc((nroutes + 1) * sizeof *bestd);
    bests = malloc((nroutes + 1) * sizeof *bests);
    if (!tmp || !bestd || !bests || grid_build(&g, pts, npts, nroutes, tol) != 0) {
        free(tmp), free(bestd), free(bests);
        grid_free(&g);
        return -1;
    }
    for (size_t i = 0; i < nroutes; i++) {
        for (size_t k = 0; k < npts[i]; k++) {
            off[i][k] = 0;
            double x = pts[i][2 * k], y = pts[i][2 * k + 1];
            if (!isfinite(x) || !isfinite(y) || !g.start)
                continue;
            double tx, ty;
            tangent(pts[i], npts[i], k, &tx, &ty);
            size_t count = 1, slot = 0, ref = i;
            double rx = tx, ry = ty;
            for (size_t j = 0; j < nroutes; j++)
                bestd[j] = INFINITY;
            double fx = floor((x - g.x0) / g.cell), fy = floor((y - g.y0) / g.cell);
            if (fx < 0 || fy < 0 || fx >= (double)g.nx || fy >= (double)g.ny)
                continue;
            size_t c = (size_t)fy * g.nx + (size_t)fx;
            for (size_t e = g.start[c]; e < g.start[c + 1]; e++) {
                size_t j = g.route[e], q = g.seg[e];
                if (j == i)
                    continue;
                double ux, uy;
                double d = seg_dist(x, y, pts[j] + 2 * q, pts[j] + 2 * q + 2, &ux, &uy);
                if (d < bestd[j] && (ux != 0 || uy != 0)) {
                    const double *a = pts[j] + 2 * q, *b = a + 2;
                    bestd[j] = d;
                    bests[j] = hypot(x - a[0], y - a[1]) <= hypot(x - b[0], y - b[1]) ? q : q + 1;
                }
            }
            for (size_t j = 0; j < nroutes; j++) {
                if (j == i || bestd[j] > tol)
                    continue;
                double ux, uy;
                tangent(pts[j], npts[j], bests[j], &ux, &uy);
                /* a route that crosses this one shares a point, not track */
                if (fabs(tx * ux + ty * uy) < 0.8 && (tx != 0 || ty != 0))
                    continue;
                count++;
                if (j < i)
                    slot++;
                if (j < ref) {
                    ref = j;
                    rx = ux, ry = uy;
                }
            }
            if (count < 2)
                continue;
            /* stacked across the lowest route's direction; a route that
             * runs the other way has its left normal the other way */
            double o = ((double)slot - (double)(count - 1) / 2) * spacing;
            off[i][k] = tx * rx + ty * ry >= 0 ? o : -o;
        }
        /* the ends of a shared stretch: the vertices just off it ease in
         * and out ((1 2 1) / 4 over finite neighbours, twice), while the
         * vertices on it keep their full offset, so that where routes part
         * they are still apart */
        size_t n = npts[i];
        double *shared = tmp + maxn;
        for (size_t k = 0; k < n; k++)
            shared[k] = off[i][k] != 0;
        for (int pass = 0; pass < 2; pass++) {
            for (size_t k = 0; k < n; k++) {
                double s = 2 * off[i][k], w = 4;
                if (k > 0 && isfinite(pts[i][2 * k - 2]))
                    s += off[i][k - 1];
                if (k + 1 < n && isfinite(pts[i][2 * k + 2]))
                    s += off[i][k + 1];
                tmp[k] = s / w;
            }
            for (size_t k = 0; k < n; k++)
                if (!shared[k])
                    off[i][k] = tmp[k];
        }
    }
    free(tmp), free(bestd), free(bests);
    grid_free(&g);
    return 0;
}

void rm_offset_polyline(const double *pts, size_t n, const double *off, double *out)
{
    double *res = malloc((n ? n : 1) * 2 * sizeof *res);
    int inplace = out == pts;
    double *dst = inplace && res ? res : out;
    if (inplace && !res)
        return; /* out of memory: the line stays where it is */
    for (size_t k = 0; k < n; k++) {
        double x = pts[2 * k], y = pts[2 * k + 1];
        double tx, ty;
        if (isfinite(x) && isfinite(y) && off[k] != 0) {
            tangent(pts, n, k, &tx, &ty);
            x += -ty * off[k];
            y += tx * off[k];
        }
        dst[2 * k] = x;
        dst[2 * k + 1] = y;
    }
    if (inplace)
        memcpy(out, res, n * 2 * sizeof *res);
    free(res);
}
