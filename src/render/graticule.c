/* routemap — the graticule: lines at a round step of degrees and their
 * labels along the map's edge. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* ------------------------------------------------------------- graticule */

static double grat_step(const rm_bbox *ll)
{
    static const double steps[] = {0.5, 1, 2, 5, 10, 15, 20, 30, 45};
    double span = fmax(ll->maxx - ll->minx, ll->maxy - ll->miny);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 9)
            return steps[i];
    return 60;
}

void rm_r_draw_graticule(rm_render *r)
{
    const rm_bbox *b = &r->frame_ll;
    double step = grat_step(b);
    r->grat_step = step;
    rm_canvas *cv = r->cv;
    rm_cv_begin_group(cv, RM_CV_GRATICULE, "graticule");
    rm_cv_new_path(cv);
    double line[2 * 181];
    for (double lon = ceil(b->minx / step) * step; lon <= b->maxx; lon += step) {
        size_t n = 0;
        for (int i = 0; i <= 180; i++) {
            double lat = b->miny + (b->maxy - b->miny) * i / 180.0;
            if (fabs(lat) > 89.5)
                continue;
            line[2 * n] = lon;
            line[2 * n + 1] = lat;
            n++;
        }
        rm_r_path_lonlat(r, line, n, 0);
    }
    for (double lat = ceil(b->miny / step) * step; lat <= b->maxy; lat += step) {
        if (fabs(lat) > 89.5)
            continue;
        for (int i = 0; i <= 180; i++) {
            line[2 * i] = b->minx + (b->maxx - b->minx) * i / 180.0;
            line[2 * i + 1] = lat;
        }
        rm_r_path_lonlat(r, line, 181, 0);
    }
    rm_cv_line grid = {r->th.graticule, 0.6, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
    rm_cv_stroke(cv, &grid, 0);
    rm_cv_end_group(cv);
}

void rm_r_deg_text(char *out, size_t cap, double v, int is_lon)
{
    /* a longitude past 180 (a view across the antimeridian, geom.h) is
     * named as it is known: 195 is 165°W */
    if (is_lon && (v > 180 || v < -180))
        v = v - 360 * floor((v + 180) / 360);
    char hemi = is_lon ? (v < 0 ? 'W' : 'E') : (v < 0 ? 'S' : 'N');
    if (v == 0 || (is_lon && fabs(v) == 180))
        hemi = ' ';
    double a = fabs(v);
    if (a == floor(a))
        snprintf(out, cap, "%.0f°%c", a, hemi);
    else
        snprintf(out, cap, "%.1f°%c", a, hemi);
    size_t n = strlen(out);
    if (n && out[n - 1] == ' ')
        out[n - 1] = '\0';
}

/* Where each meridian meets the bottom edge and each parallel the left edge
 * of the map area: a label just inside, unless furniture is there. */
void rm_r_reserve_graticule_labels(rm_render *r)
{
    if (!(r->grat_step > 0))
        return;
    const rm_bbox *b = &r->frame_ll;
    double step = r->grat_step, fsz = 10.5 * r->fs;
    double cw = fsz * 0.62, h = fsz * 1.25;
    for (int pass = 0; pass < 2; pass++) {
        for (double v = ceil((pass ? b->miny : b->minx) / step) * step;
             v <= (pass ? b->maxy : b->maxx) && r->nglab < 64; v += step) {
            if (pass && fabs(v) > 89.5)
                continue;
            /* sample the line and find its crossing of the edge */
            double pts[2 * 241];
            for (int i = 0; i <= 240; i++) {
                double t = i / 240.0;
                pts[2 * i] = pass ? b->minx + (b->maxx - b->minx) * t : v;
                pts[2 * i + 1] = pass ? v : b->miny + (b->maxy - b->miny) * t;
            }
            rm_r_to_page(r, pts, 241);
            double ex = 0, ey = 0;
            int hit = 0;
            for (int i = 0; i < 240 && !hit; i++) {
                double *p = pts + 2 * i, *q = p + 2;
                if (!isfinite(p[0]) || !isfinite(q[0]))
                    continue;
                if (!pass) {
                    double e = r->map.y1;
                    if ((p[1] - e) * (q[1] - e) <= 0 && p[1] != q[1]) {
                        double t = (e - p[1]) / (q[1] - p[1]);
                        ex = p[0] + t * (q[0] - p[0]);
                        ey = e;
                        hit = ex > r->map.x0 + 20 && ex < r->map.x1 - 20;
                    }
                } else {
                    double e = r->map.x0;
                    if ((p[0] - e) * (q[0] - e) <= 0 && p[0] != q[0]) {
                        double t = (e - p[0]) / (q[0] - p[0]);
                        ey = p[1] + t * (q[1] - p[1]);
                        ex = e;
                        hit = ey > r->map.y0 + 14 && ey < r->map.y1 - 14;
                    }
                }
            }
            if (!hit)
                continue;
            char text[16];
            rm_r_deg_text(text, sizeof text, v, !pass);
            double w = cw * (double)strlen(text);
            rm_box bx = !pass ? (rm_box){ex - w / 2, ey - h - 2, ex + w / 2, ey - 2}
                              : (rm_box){ex + 3, ey - h / 2, ex + 3 + w, ey + h / 2};
            int clash = 0;
            for (size_t i = 0; i < r->nobst; i++)
                if (rm_box_overlaps(&bx, &r->obst[i]))
                    clash = 1;
            if (clash)
                continue;
            snprintf(r->glab[r->nglab].text, sizeof r->glab[0].text, "%s", text);
            r->glab[r->nglab].box = bx;
            r->nglab++;
            rm_r_add_obstacle(r, bx);
        }
    }
}
