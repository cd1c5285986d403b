/* routemap — map furniture: title and subtitle, attribution, graticule with
 * degree labels, a legend built from what was drawn, a scale bar in round
 * kilometres true at the map centre, an optional north arrow and an optional
 * locator inset.
 *
 * Furniture is placed before the labels (rm_r_furniture_reserve), in the
 * corners where it hides least of the route and the markers, and its boxes
 * become obstacles that labels avoid; it is drawn last, on top. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

static rm_box corner_box(const rm_render *r, int corner, double w, double h, double inset)
{
    double x = corner & 1 ? r->map.x1 - inset - w : r->map.x0 + inset;
    double y = corner & 2 ? r->map.y1 - inset - h : r->map.y0 + inset;
    return (rm_box){x, y, x + w, y + h};
}

/* How much of the story a box would hide: route points and marker symbols
 * under it (a piece of furniture must never cover them). */
static int covers_story(const rm_render *r, const rm_box *b)
{
    for (size_t i = 0; i < r->nroute_pts; i++) {
        double x = r->route_pts[2 * i], y = r->route_pts[2 * i + 1];
        if (x >= b->x0 - 6 && x <= b->x1 + 6 && y >= b->y0 - 6 && y <= b->y1 + 6)
            return 1;
    }
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (k->visible && k->cluster < 0 && rm_box_overlaps(b, &k->box))
            return 1;
    }
    return 0;
}

/* Puts a piece of furniture of w x h where it hides none of the route and
 * the markers: the corners of pref first, then the middles of the map's
 * sides, then (when it may shrink: an inset) the same at 85 %, 70 % and
 * 55 % of its size. Never on another piece. Failing all, the piece is left
 * out (-v says so). Records the box in the layout; returns 1 when it found
 * room, 0 when the piece is left out. */
static int place_furniture(rm_render *r, const int *pref, double w, double h, int *taken,
                           rm_box *box, const char *name, int may_shrink)
{
    static const double scales[] = {1, 0.85, 0.7, 0.55};
    int nscale = may_shrink ? 4 : 1;
    double mw = r->map.x1 - r->map.x0, mh = r->map.y1 - r->map.y0;
    for (int si = 0; si < nscale; si++) {
        double sw = w * scales[si], sh = h * scales[si];
        for (int c = 0; c < 8; c++) {
            rm_box b;
            if (c < 4) {
                if (taken[pref[c]])
                    continue;
                b = corner_box(r, pref[c], sw, sh, 10);
            } else {
                /* the middles of the top, bottom, left and right sides */
                double x = c < 6    ? r->map.x0 + (mw - sw) / 2
                           : c == 6 ? r->map.x0 + 10
                                    : r->map.x1 - 10 - sw;
                double y = c == 4   ? r->map.y0 + 10
                           : c == 5 ? r->map.y1 - 10 - sh
                                    : r->map.y0 + (mh - sh) / 2;
                b = (rm_box){x, y, x + sw, y + sh};
            }
            int clash = 0;
            for (size_t f = 0; f < r->nfurn && !clash; f++)
                clash = rm_box_overlaps(&b, &r->furn[f]);
            if (clash || covers_story(r, &b))
                continue;
            if (c < 4)
                taken[pref[c]] = 1;
            *box = b;
            rm_r_add_furniture(r, name, *box);
            return 1;
        }
    }
    /* nowhere it would not hide the story: left out, and said so */
    if (r->verbose)
        fprintf(r->verbose,
                "routemap: %s left out: no room on the map where it would not cover the route "
                "or a marker\n",
                name);
    return 0;
}

/* -------------------------------------------------------------- reserve */

void rm_r_furniture_reserve(rm_render *r)
{
    const rm_spec *s = r->spec;
    int taken[4] = {0, 0, 0, 0};
    if (s->legend && r->nlegend > 0) {
        double w, h;
        rm_r_legend_measure(r, &w, &h, &r->legend_cols);
        static const int pref[] = {2, 0, 3, 1};
        r->has_legend = place_furniture(r, pref, w, h, taken, &r->legend_box, "legend", 0);
    }
    if (s->scale_bar) {
        scalebar sb;
        if (rm_r_scalebar_compute(r, &sb) == 0) {
            char note[160];
            rm_r_scalebar_note(r, &sb, note, sizeof note);
            snprintf(r->scale_note, sizeof r->scale_note, "%s", note);
            double nw = strlen(note) * 6.0 * r->fs;
            double w = fmax(sb.px + 40 * r->fs, nw) + 16, h = 52 * r->fs;
            static const int pref[] = {3, 2, 1, 0};
            r->has_scale = place_furniture(r, pref, w, h, taken, &r->scale_box, "scale_bar", 0);
        }
    }
    if (s->north_arrow) {
        double w = 36 * r->fs, h = 54 * r->fs;
        static const int pref[] = {1, 0, 3, 2};
        r->has_north = place_furniture(r, pref, w, h, taken, &r->north_box, "north_arrow", 0);
    }
    /* a locator shows where a regional map lies; a map that already spans
     * a continent has nothing to locate */
    int inset_useful =
        r->frame_ll.maxx - r->frame_ll.minx < 45 && r->frame_ll.maxy - r->frame_ll.miny < 35;
    if (s->inset && !inset_useful && r->verbose)
        fprintf(r->verbose,
                "routemap: no locator inset: the map already spans %.0f x %.0f "
                "degrees\n",
                r->frame_ll.maxx - r->frame_ll.minx, r->frame_ll.maxy - r->frame_ll.miny);
    if (s->inset && !inset_useful && r->nroutes > 0 && r->nroute_pts > 1) {
        /* a map that spans a continent gets a detail inset of its route
         * instead, when the route is small on it */
        rm_bbox pb = rm_bbox_empty();
        for (size_t i = 0; i < r->nroute_pts; i++)
            rm_bbox_add(&pb, r->route_pts[2 * i], r->route_pts[2 * i + 1]);
        double mw = r->map.x1 - r->map.x0, mh = r->map.y1 - r->map.y0;
        rm_bbox ll = rm_bbox_empty();
        for (size_t i = 0; i < r->nroutes; i++)
            for (size_t k = 0; k < r->routes[i].route.npoints; k++)
                rm_bbox_add(&ll, r->routes[i].route.xy[2 * k], r->routes[i].route.xy[2 * k + 1]);
        if (pb.maxx - pb.minx < 0.3 * mw && pb.maxy - pb.miny < 0.3 * mh &&
            !rm_bbox_is_empty(&ll)) {
            double px = fmax(0.12 * (ll.maxx - ll.minx), 0.5);
            double py = fmax(0.12 * (ll.maxy - ll.miny), 0.4);
            ll.minx -= px, ll.maxx += px, ll.miny -= py, ll.maxy += py;
            double aspect = (ll.maxx - ll.minx) * cos((ll.miny + ll.maxy) / 2 * M_PI / 180) /
                            (ll.maxy - ll.miny);
            double w = fmin(0.34 * mw, 0.5 * mh * aspect), h = w / aspect;
            if (h > 0.5 * mh) {
                h = 0.5 * mh;
                w = h * aspect;
            }
            static const int pref[] = {1, 0, 3, 2};
            if (place_furniture(r, pref, w, h, taken, &r->inset_box, "inset", 1)) {
                r->has_inset = 1;
                r->inset_detail = 1;
                r->detail_ll = ll;
            }
        }
    }
    if (s->inset && inset_useful) {
        double mw = r->map.x1 - r->map.x0, mh = r->map.y1 - r->map.y0;
        double w = fmin(mw, mh) * 0.28, h = w * 0.8;
        static const int pref[] = {1, 0, 3, 2};
        r->has_inset = place_furniture(r, pref, w, h, taken, &r->inset_box, "inset", 1);
    }
    rm_r_reserve_graticule_labels(r);
}

/* ---------------------------------------------------------------- drawing */

void rm_r_rounded_rect(rm_canvas *cv, const rm_box *b, double rad)
{
    rm_cv_new_sub_path(cv);
    rm_cv_arc(cv, b->x1 - rad, b->y0 + rad, rad, -M_PI / 2, 0);
    rm_cv_arc(cv, b->x1 - rad, b->y1 - rad, rad, 0, M_PI / 2);
    rm_cv_arc(cv, b->x0 + rad, b->y1 - rad, rad, M_PI / 2, M_PI);
    rm_cv_arc(cv, b->x0 + rad, b->y0 + rad, rad, M_PI, 3 * M_PI / 2);
    rm_cv_close_path(cv);
}

void rm_r_panel(rm_render *r, const rm_box *b)
{
    rm_canvas *cv = r->cv;
    rm_cv_new_path(cv);
    rm_r_rounded_rect(cv, b, 4);
    rm_cv_fill(cv, &r->th.legend_bg, 1);
    rm_color fr = r->th.frame;
    fr.a = 0.5;
    rm_cv_line line = {fr, 0.8, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
    rm_cv_stroke(cv, &line, 0);
}

void rm_r_draw_furniture(rm_render *r)
{
    if (r->nglab > 0)
        rm_cv_begin_group(r->cv, RM_CV_GRATICULE, "graticule-labels");
    for (size_t i = 0; i < r->nglab; i++) {
        PangoLayout *l = rm_r_layout(r, r->glab[i].text, 10.5 * r->fs, 0);
        if (!l)
            continue;
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        const rm_box *b = &r->glab[i].box;
        rm_r_draw_text(r, l, (b->x0 + b->x1) / 2 - tw / 2, (b->y0 + b->y1) / 2 - th / 2,
                       &r->th.text_muted, &r->th.halo, 2.5);
        g_object_unref(l);
    }
    if (r->nglab > 0)
        rm_cv_end_group(r->cv);
    if (r->has_inset && r->inset_detail)
        rm_r_draw_detail_inset(r);
    else if (r->has_inset)
        rm_r_draw_inset(r);
    if (r->has_legend)
        rm_r_draw_legend(r);
    if (r->has_scale)
        rm_r_draw_scalebar(r);
    if (r->has_north)
        rm_r_draw_north(r);
}
