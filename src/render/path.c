/* routemap — the geometry pipeline of one lon/lat polyline: densified,
 * clipped to the frame's lon/lat box, projected, simplified, clipped to the
 * map area and added to the current path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* Maximum length of a lon/lat segment before projecting (degrees): long
 * segments, such as the edges that clipping adds along the frame's box,
 * are split so that they follow the projection's curves. */
#define DENSIFY_DEG 0.25

static int buf_reserve(rm_render *r, size_t npoints)
{
    if (npoints <= r->bufcap)
        return 0;
    size_t cap = r->bufcap ? r->bufcap : 1024;
    while (cap < npoints)
        cap *= 2;
    double *g = realloc(r->buf, 2 * cap * sizeof *g);
    if (!g) {
        r->oom = 1;
        return -1;
    }
    r->buf = g;
    r->bufcap = cap;
    return 0;
}

/* Emits the points of one page-space part into the canvas path. Unless the
 * map is drawn at full precision, coordinates are rounded to 1/4 px (far
 * below what shows; a binary fraction, so an SVG carries at most two
 * decimals), repeats are dropped, and parts smaller than half a device
 * pixel are left out. */
static void emit(rm_render *r, const double *xy, size_t n, int closed)
{
    if (n < 2)
        return;
    if (r->simplify_px <= 0) {
        rm_cv_polyline(r->cv, xy, n, closed);
        return;
    }
    double bx0 = xy[0], bx1 = xy[0], by0 = xy[1], by1 = xy[1];
    for (size_t i = 1; i < n; i++) {
        bx0 = fmin(bx0, xy[2 * i]);
        bx1 = fmax(bx1, xy[2 * i]);
        by0 = fmin(by0, xy[2 * i + 1]);
        by1 = fmax(by1, xy[2 * i + 1]);
    }
    double tiny = 1.25 * r->simplify_px; /* half a device pixel */
    if (bx1 - bx0 < tiny && by1 - by0 < tiny)
        return;
    if (n > r->ebufcap) {
        double *g = realloc(r->ebuf, 2 * n * sizeof *g);
        if (!g) {
            r->oom = 1;
            return;
        }
        r->ebuf = g;
        r->ebufcap = n;
    }
    /* vector output: a 1/4 px grid; a PNG's own pixels may be finer
     * (at 300 dpi a CSS px is three of them), so it keeps every bit */
    double g = r->round_grid;
    double px = g > 0 ? round(xy[0] * g) / g : xy[0];
    double py = g > 0 ? round(xy[1] * g) / g : xy[1];
    size_t m = 0;
    r->ebuf[m++] = px;
    r->ebuf[m++] = py;
    for (size_t i = 1; i < n; i++) {
        double x = g > 0 ? round(xy[2 * i] * g) / g : xy[2 * i];
        double y = g > 0 ? round(xy[2 * i + 1] * g) / g : xy[2 * i + 1];
        if (x == px && y == py)
            continue;
        r->ebuf[m++] = x;
        r->ebuf[m++] = y;
        px = x;
        py = y;
    }
    rm_cv_polyline(r->cv, r->ebuf, m / 2, closed);
}

/* Densifies, projects, simplifies and page-clips one lon/lat part (already
 * clipped to the frame's lon/lat box, in scratch memory that may be
 * changed) and adds it to the cairo path. */
static int path_part(rm_render *r, double *ll, size_t n, int closed)
{
    /* simplify in lon/lat first: PROJ and the SVG writer then see only the
     * vertices that can show (a 10m coastline has ~10 per pixel here) */
    if (r->simplify_ll > 0) {
        n = rm_simplify(ll, n, r->simplify_ll, closed);
        if (n < (closed ? 3u : 2u))
            return 0;
    }
    /* densify into r->buf */
    size_t need = n;
    for (size_t i = 0; i + 1 < n; i++) {
        double d = fmax(fabs(ll[2 * i + 2] - ll[2 * i]), fabs(ll[2 * i + 3] - ll[2 * i + 1]));
        if (d > DENSIFY_DEG)
            need += (size_t)(d / DENSIFY_DEG);
    }
    if (closed && n > 2) {
        double d = fmax(fabs(ll[0] - ll[2 * n - 2]), fabs(ll[1] - ll[2 * n - 1]));
        if (d > DENSIFY_DEG)
            need += (size_t)(d / DENSIFY_DEG);
    }
    if (buf_reserve(r, need + 1) != 0)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        r->buf[2 * m] = ll[2 * i];
        r->buf[2 * m + 1] = ll[2 * i + 1];
        m++;
        size_t j = i + 1;
        if (j == n) {
            if (!closed || n < 3)
                break;
            j = 0;
        }
        double dx = ll[2 * j] - ll[2 * i], dy = ll[2 * j + 1] - ll[2 * i + 1];
        double d = fmax(fabs(dx), fabs(dy));
        if (d > DENSIFY_DEG) {
            size_t k = (size_t)(d / DENSIFY_DEG);
            for (size_t s = 1; s <= k; s++) {
                double t = (double)s / (double)(k + 1);
                r->buf[2 * m] = ll[2 * i] + t * dx;
                r->buf[2 * m + 1] = ll[2 * i + 1] + t * dy;
                m++;
            }
        }
    }
    rm_r_to_page(r, r->buf, m);
    /* split lines at unprojectable points; rings just lose them */
    double *xy = r->buf;
    size_t start = 0;
    rm_bbox clip = {r->map.x0 - 4, r->map.y0 - 4, r->map.x1 + 4, r->map.y1 + 4};
    if (closed) {
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (isfinite(xy[2 * i])) {
                xy[2 * k] = xy[2 * i];
                xy[2 * k + 1] = xy[2 * i + 1];
                k++;
            }
        if (r->simplify_px > 0)
            k = rm_simplify(xy, k, r->simplify_px, 1);
        if (k < 3)
            return 0;
        rm_path_clear(&r->s2);
        if (rm_clip_ring(xy, k, &clip, &r->s2) != 0) {
            r->oom = 1;
            return -1;
        }
        for (size_t p = 0; p < r->s2.nparts; p++)
            emit(r, r->s2.xy + 2 * r->s2.parts[p], rm_path_part_len(&r->s2, p), 1);
        return 0;
    }
    for (size_t i = 0; i <= m; i++) {
        if (i == m || !isfinite(xy[2 * i])) {
            size_t len = i - start;
            if (len >= 2) {
                double *seg = xy + 2 * start;
                if (r->simplify_px > 0)
                    len = rm_simplify(seg, len, r->simplify_px, 0);
                rm_path_clear(&r->s2);
                if (rm_clip_polyline(seg, len, &clip, &r->s2) != 0) {
                    r->oom = 1;
                    return -1;
                }
                for (size_t p = 0; p < r->s2.nparts; p++)
                    emit(r, r->s2.xy + 2 * r->s2.parts[p], rm_path_part_len(&r->s2, p), 0);
            }
            start = i + 1;
        }
    }
    return 0;
}

int rm_r_path_lonlat(rm_render *r, const double *ll, size_t n, int closed)
{
    if (n < 2)
        return 0;
    /* a view across the antimeridian has longitudes past 180 (geom.h): a
     * line given in -180 .. 180 (a route, a flight) is moved there */
    double *moved = NULL;
    if (r->frame_ll.maxx > 180) {
        for (size_t i = 0; i < n && !moved; i++)
            if (ll[2 * i] < r->frame_ll.minx && ll[2 * i] + 360 <= r->frame_ll.maxx + 1) {
                moved = malloc(2 * n * sizeof *moved);
                if (!moved) {
                    r->oom = 1;
                    return -1;
                }
            }
        if (moved) {
            for (size_t i = 0; i < n; i++) {
                double lon = ll[2 * i];
                moved[2 * i] =
                    lon < r->frame_ll.minx && lon + 360 <= r->frame_ll.maxx + 1 ? lon + 360 : lon;
                moved[2 * i + 1] = ll[2 * i + 1];
            }
            ll = moved;
        }
    }
    rm_path_clear(&r->s1);
    int rc = closed ? rm_clip_ring(ll, n, &r->frame_ll, &r->s1)
                    : rm_clip_polyline(ll, n, &r->frame_ll, &r->s1);
    free(moved);
    if (rc != 0) {
        r->oom = 1;
        return -1;
    }
    for (size_t p = 0; p < r->s1.nparts; p++)
        if (path_part(r, r->s1.xy + 2 * r->s1.parts[p], rm_path_part_len(&r->s1, p), closed) != 0)
            return -1;
    return 0;
}
