/* routemap — routes on the page: casing, line, gaps and flights styled,
 * direction arrows, and the route's points kept for label costs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render_priv.h"
#include "routemap/distance.h"
#include "story.h"

/* "Rail route", "Road route" ... for the legend (the mode's name). */
static const char *route_noun(const char *mode)
{
    if (!mode)
        return "Route";
    if (!strcmp(mode, "rail"))
        return "Rail route";
    if (!strcmp(mode, "road"))
        return "Road route";
    if (!strcmp(mode, "river"))
        return "River route";
    if (!strcmp(mode, "sea"))
        return "Sea route";
    if (!strcmp(mode, "walk"))
        return "Walking route";
    return "Route";
}

/* Is page segment (ax,ay)-(bx,by) one of the route's bridged gaps? */
static int is_gap_segment(const rm_route *rt, const double *a, const double *b)
{
    for (size_t g = 0; g < rt->ngaps; g++) {
        const double *q = rt->gap_xy + 4 * g;
        double e = 1e-7;
        if ((fabs(a[0] - q[0]) < e && fabs(a[1] - q[1]) < e && fabs(b[0] - q[2]) < e &&
             fabs(b[1] - q[3]) < e) ||
            (fabs(a[0] - q[2]) < e && fabs(a[1] - q[3]) < e && fabs(b[0] - q[0]) < e &&
             fabs(b[1] - q[1]) < e))
            return 1;
    }
    return 0;
}

rm_style rm_r_route_style(const rm_render *r, const rm_route_spec *rs)
{
    rm_style s;
    memset(&s, 0, sizeof s);
    s.stroke = r->th.route;
    s.width = r->th.route_w;
    s.opacity = 1;
    if (rs->style.set & RM_STYLE_STROKE)
        s.stroke = rm_r_themed(r, rs->style.stroke);
    if (rs->style.set & RM_STYLE_WIDTH)
        s.width = rs->style.width;
    if (rs->style.set & RM_STYLE_DASH) {
        s.ndash = rs->style.ndash;
        memcpy(s.dash, rs->style.dash, sizeof s.dash);
    }
    if (rs->style.set & RM_STYLE_OPACITY)
        s.opacity = rs->style.opacity;
    return s;
}

/* Adds the route's solid pieces (all but bridged gaps) to the canvas path. */
static void route_solid_path(rm_render *r, const rm_route *rt)
{
    size_t start = 0;
    for (size_t i = 0; i + 1 <= rt->npoints; i++) {
        int cut = i + 1 == rt->npoints ||
                  (rt->ngaps && is_gap_segment(rt, rt->xy + 2 * i, rt->xy + 2 * i + 2));
        if (cut) {
            if (i + 1 - start >= 2)
                rm_r_path_lonlat(r, rt->xy + 2 * start, i + 1 - start, 0);
            start = i + 1;
        }
    }
}

/* An arrowhead pointing along the route at page point (x,y), direction (dx,dy). */
void rm_r_arrow(rm_canvas *cv, double x, double y, double dx, double dy, double size)
{
    double len = hypot(dx, dy);
    if (!(len > 0))
        return;
    dx /= len;
    dy /= len;
    double px = -dy, py = dx;
    rm_cv_move_to(cv, x + dx * size, y + dy * size);
    rm_cv_line_to(cv, x - dx * size * 0.6 + px * size * 0.75,
                  y - dy * size * 0.6 + py * size * 0.75);
    rm_cv_line_to(cv, x - dx * size * 0.2, y - dy * size * 0.2);
    rm_cv_line_to(cv, x - dx * size * 0.6 - px * size * 0.75,
                  y - dy * size * 0.6 - py * size * 0.75);
    rm_cv_close_path(cv);
}

/* The page length of a polyline, skipping its non-finite points. A route
 * shorter than a pixel gets no arrows: their spacing would be zero and the
 * placement loop would never advance. */
static double route_page_length(const double *pts, size_t n)
{
    double total = 0;
    for (size_t k = 0; k + 1 < n; k++)
        if (isfinite(pts[2 * k]) && isfinite(pts[2 * k + 2]))
            total += hypot(pts[2 * k + 2] - pts[2 * k], pts[2 * k + 3] - pts[2 * k + 1]);
    return total;
}

/* Colours for several journeys on one map, after the theme's route colour:
 * far apart in hue and in lightness, so that they stay apart in the print
 * theme's greys too. */
static const unsigned journey_palette[] = {0x1b6ca8, 0xe08214, 0x2e8b57, 0x7b3294,
                                           0x8c510a, 0xd01c8b, 0x404040};

static rm_color hexcolor(unsigned v)
{
    rm_color c = {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1};
    return c;
}

/* The style a route is drawn in: the spec's, else the theme's; with several
 * routes, those the spec gives no colour get one each (the first keeps the
 * theme's route colour). */
static rm_style journey_style(const rm_render *r, size_t i)
{
    const rm_rroute *rr = &r->routes[i];
    rm_style st = rm_r_route_style(r, rr->spec);
    if (r->nroutes > 1 && !(rr->spec->style.set & RM_STYLE_STROKE) && i > 0) {
        size_t np = sizeof journey_palette / sizeof journey_palette[0];
        st.stroke = rm_r_themed(r, hexcolor(journey_palette[(i - 1) % np]));
    }
    return st;
}

/* The solid pieces of a route (all but bridged gaps) from its page points,
 * moved side by side where routes share track. */
static void route_solid_page(rm_render *r, const rm_route *rt, const double *pts)
{
    rm_canvas *cv = r->cv;
    int pen = 0;
    for (size_t k = 0; k < rt->npoints; k++) {
        int ok = isfinite(pts[2 * k]) && isfinite(pts[2 * k + 1]);
        int gap = k > 0 && rt->ngaps && is_gap_segment(rt, rt->xy + 2 * (k - 1), rt->xy + 2 * k);
        if (!ok) {
            pen = 0;
            continue;
        }
        if (pen && !gap)
            rm_cv_line_to(cv, pts[2 * k], pts[2 * k + 1]);
        else
            rm_cv_move_to(cv, pts[2 * k], pts[2 * k + 1]);
        pen = 1;
    }
}

rm_status rm_r_draw_routes(rm_render *r, rm_error *err)
{
    rm_canvas *cv = r->cv;
    rm_cv_begin_group(cv, RM_CV_ROUTES, "routes");
    /* page points of every route first: routes that share track are drawn
     * side by side (story.h), each in its own colour */
    double **all = calloc(r->nroutes + 1, sizeof *all);
    double **offs = calloc(r->nroutes + 1, sizeof *offs);
    size_t *ns = calloc(r->nroutes + 1, sizeof *ns);
    int moved_any = 0;
    if (!all || !offs || !ns) {
        free(all), free(offs), free(ns);
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    double spacing = 0;
    for (size_t i = 0; i < r->nroutes; i++) {
        const rm_route *rt = &r->routes[i].route;
        all[i] = malloc(2 * (rt->npoints + 1) * sizeof **all);
        offs[i] = calloc(rt->npoints + 1, sizeof **offs);
        if (!all[i] || !offs[i]) {
            for (size_t j = 0; j <= i; j++)
                free(all[j]), free(offs[j]);
            free(all), free(offs), free(ns);
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        }
        memcpy(all[i], rt->xy, 2 * rt->npoints * sizeof **all);
        rm_r_to_page(r, all[i], rt->npoints);
        ns[i] = rt->npoints;
        spacing = fmax(spacing, journey_style(r, i).width + 1.5);
    }
    if (r->nroutes > 1) {
        if (rm_shared_offsets((const double *const *)all, ns, r->nroutes, 1.5, spacing, offs) != 0)
            r->oom = 1;
        for (size_t i = 0; i < r->nroutes; i++) {
            int any = 0;
            for (size_t k = 0; k < ns[i]; k++)
                any |= offs[i][k] != 0;
            if (any) {
                rm_offset_polyline(all[i], ns[i], offs[i], all[i]);
                r->routes[i].offset = 1;
                moved_any = 1;
                if (r->verbose && i > 0)
                    fprintf(r->verbose,
                            "routemap: route %zu shares track with another: drawn beside it\n",
                            i + 1);
            }
        }
    }
    (void)moved_any;
    for (size_t i = 0; i < r->nroutes; i++) {
        rm_rroute *rr = &r->routes[i];
        const rm_route *rt = &rr->route;
        rm_style st = journey_style(r, i);
        /* page points of the whole route (as drawn), for arrows, label
         * costs and the layout dump */
        double *pts = all[i];
        all[i] = NULL;
        free(offs[i]);
        offs[i] = NULL;
        rr->color = st.stroke;
        rr->width = st.width;
        free(rr->drawn);
        rr->drawn = malloc(2 * (rt->npoints + 1) * sizeof *rr->drawn);
        if (rr->drawn) {
            memcpy(rr->drawn, pts, 2 * rt->npoints * sizeof *pts);
            rr->ndrawn = rt->npoints;
        }
        rm_cv_line casing = {r->th.casing,    st.width + 3.2,  NULL, 0, 0,
                             RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND};
        rm_cv_line line = rm_r_style_line(&st, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND);
        /* casing under the line */
        rm_cv_new_path(cv);
        if (rr->offset)
            route_solid_page(r, rt, pts);
        else
            route_solid_path(r, rt);
        rm_cv_stroke(cv, &casing, 1);
        rm_cv_stroke(cv, &line, 0);
        /* bridged gaps: dashed */
        int gap_visible = 0;
        for (size_t g = 0; g < rt->ngaps; g++) {
            double q[4];
            memcpy(q, rt->gap_xy + 4 * g, sizeof q);
            rm_cv_new_path(cv);
            rm_r_path_lonlat(r, rt->gap_xy + 4 * g, 2, 0);
            rm_cv_stroke(cv, &casing, 1);
            rm_style gs = st;
            gs.width = st.width * 0.8;
            gs.dash[0] = st.width * 1.2;
            gs.dash[1] = st.width * 1.0;
            gs.ndash = 2;
            rm_cv_line gap = rm_r_style_line(&gs, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND);
            rm_cv_stroke(cv, &gap, 0);
            rm_r_to_page(r, q, 2);
            if (hypot(q[2] - q[0], q[3] - q[1]) >= 3)
                gap_visible = 1;
        }
        /* direction arrows every ~170 px of page length */
        if (rr->spec->arrows && route_page_length(pts, rt->npoints) >= 1) {
            /* evenly spread along the route's page length: one arrow per
             * ~170 px, at least one */
            double total = route_page_length(pts, rt->npoints);
            double narrows = floor(total / 170);
            if (narrows < 1)
                narrows = 1;
            if (narrows > 4096) /* bounded whatever the page coordinates */
                narrows = 4096;
            double step = total / narrows, next = step / 2, along = 0;
            rm_color ac = st.stroke;
            rm_cv_new_path(cv);
            for (size_t k = 0; k + 1 < rt->npoints; k++) {
                double *a = pts + 2 * k, *b = pts + 2 * k + 2;
                if (!isfinite(a[0]) || !isfinite(b[0]))
                    continue;
                double seg = hypot(b[0] - a[0], b[1] - a[1]);
                while (isfinite(seg) && along + seg >= next) {
                    double t = (next - along) / seg;
                    double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
                    /* direction from a longer stretch, so kinks do not twist arrows */
                    size_t k2 = k + 1;
                    double ex = b[0], ey = b[1];
                    while (k2 + 1 < rt->npoints && hypot(ex - x, ey - y) < 12) {
                        k2++;
                        ex = pts[2 * k2];
                        ey = pts[2 * k2 + 1];
                    }
                    if (x > r->map.x0 + 10 && x < r->map.x1 - 10 && y > r->map.y0 + 10 &&
                        y < r->map.y1 - 10 && isfinite(ex))
                        rm_r_arrow(cv, x, y, ex - x, ey - y, st.width * 2.3);
                    next += step;
                }
                along += seg;
            }
            rm_cv_line edge = {r->th.casing, 1.6, NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND};
            rm_cv_stroke(cv, &edge, 1);
            rm_cv_fill(cv, &ac, 0);
        }
        /* the route's length beside its line, in its colour */
        char dist[160] = "";
        if (rr->spec->distance_text)
            snprintf(dist, sizeof dist, "%s", rr->spec->distance_text);
        else if (!rr->spec->no_distance && rt->km > 0)
            rm_distance_text(dist, sizeof dist, rr->rail_km, rt->km);
        if (*dist) {
            char km[200];
            const char *by = rm_mode_phrase(rm_route_mode(rr->spec));
            snprintf(km, sizeof km, "%s%s%s", dist, rr->spec->distance_text || !*by ? "" : " ",
                     rr->spec->distance_text ? "" : by);
            if (rm_r_label_add_along(r, km, pts, rt->npoints, 70, 13 * r->fs, st.stroke) != 0)
                r->oom = 1;
        }
        /* keep the page points for label placement */
        for (size_t k = 0; k < rt->npoints; k++) {
            if (!isfinite(pts[2 * k]))
                continue;
            if (rm_r_grow((void **)&r->route_pts, &r->route_pts_cap, r->nroute_pts + 1,
                          2 * sizeof *r->route_pts) != 0) {
                free(pts);
                return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            }
            r->route_pts[2 * r->nroute_pts] = pts[2 * k];
            r->route_pts[2 * r->nroute_pts + 1] = pts[2 * k + 1];
            r->nroute_pts++;
        }
        free(pts);
        char text[300];
        const char *lab = rr->spec->label;
        if (lab && *lab)
            snprintf(text, sizeof text, *dist ? "%s (%s)" : "%s", lab, dist);
        else
            snprintf(text, sizeof text, *dist ? "%s %s – %s (%s)" : "%s %s – %s",
                     route_noun(rm_route_mode(rr->spec)), rr->from_name, rr->to_name, dist);
        free(rr->legend_text);
        rr->legend_text = rm_r_str_dup(text);
        rm_r_legend_add(r, RM_LEG_ROUTE, text, &st, NULL);
        if (gap_visible)
            rm_r_legend_add(r, RM_LEG_GAP, "Gap in the rail data, bridged", &st, NULL);
    }
    free(all), free(offs), free(ns);
    rm_cv_end_group(cv);
    return RM_OK;
}
