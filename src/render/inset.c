/* routemap — insets: a locator map of the region, or a detail map zoomed on
 * the route when the main map spans a continent. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* Samples the outline of a page box, 32 points a side clockwise from the
 * top-left corner, into out (2 * 128 doubles). */
static void box_outline(rm_box b, double *out)
{
    size_t k = 0;
    for (int side = 0; side < 4; side++)
        for (int i = 0; i < 32; i++) {
            double t = i / 32.0, x, y;
            switch (side) {
            case 0:
                x = b.x0 + t * (b.x1 - b.x0), y = b.y0;
                break;
            case 1:
                x = b.x1, y = b.y0 + t * (b.y1 - b.y0);
                break;
            case 2:
                x = b.x1 - t * (b.x1 - b.x0), y = b.y1;
                break;
            default:
                x = b.x0, y = b.y1 - t * (b.y1 - b.y0);
                break;
            }
            out[k++] = x;
            out[k++] = y;
        }
}

/* The main map's projection and area, kept while an inset swaps in its own. */
typedef struct saved_view {
    rm_proj *proj;
    rm_affine aff;
    rm_bbox frame, frame_ll;
    rm_box map;
    double simplify_px;
} saved_view;

static saved_view view_save(const rm_render *r)
{
    saved_view v = {r->proj, r->aff, r->frame, r->frame_ll, r->map, r->simplify_px};
    return v;
}

static void view_restore(rm_render *r, const saved_view *v)
{
    r->proj = v->proj;
    r->aff = v->aff;
    r->frame = v->frame;
    r->frame_ll = v->frame_ll;
    r->map = v->map;
    r->simplify_px = v->simplify_px;
}

/* The far places in the locator (its view swapped in): a dot and the
 * place's name, or its trip number when it has one (the legend names it),
 * on the side of the dot with room in the inset. */
static void locator_places(rm_render *r, const rm_box *ib)
{
    rm_canvas *cv = r->cv;
    rm_box placed[64];
    size_t np = 0;
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->far)
            continue;
        double xy[2] = {k->lon, k->lat};
        rm_r_to_page(r, xy, 1);
        if (!isfinite(xy[0]) || xy[0] < ib->x0 + 3 || xy[0] > ib->x1 - 3 || xy[1] < ib->y0 + 3 ||
            xy[1] > ib->y1 - 3)
            continue;
        k->in_locator = 1;
        k->lx = xy[0], k->ly = xy[1];
        double rad = 3.2;
        rm_cv_new_path(cv);
        rm_cv_arc(cv, xy[0], xy[1], rad, 0, 2 * M_PI);
        rm_cv_fill(cv, &r->th.marker_stroke, 1);
        rm_cv_line ring = {r->th.casing, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &ring, 0);
        char text[400];
        const char *name = k->label ? k->label : "";
        k->locator_box = (rm_box){xy[0] - rad, xy[1] - rad, xy[0] + rad, xy[1] + rad};
        /* the number and the name; where that does not fit, the number
         * alone (the legend names it) */
        PangoLayout *l = NULL;
        rm_box best = {0, 0, 0, 0};
        int found = 0;
        /* without a legend on the page, a number names nothing: the name */
        int numbered = k->nnums > 0 && r->has_legend;
        for (int attempt = 0; attempt < 2 && !found; attempt++) {
            if (attempt == 1 && !numbered)
                break;
            if (numbered)
                snprintf(text, sizeof text, attempt ? "%d" : "%d %s", k->nums[0], name);
            else
                snprintf(text, sizeof text, "%s", name);
            if (l)
                g_object_unref(l);
            l = rm_r_layout(r, text, 10 * r->fs, 0);
            if (!l)
                break;
            double tw, th;
            rm_r_layout_size(l, &tw, &th);
            /* right of the dot, else left; then up or down a line when
             * another far place's name is there */
            for (int c = 0; c < 6 && !found; c++) {
                double x = c % 2 == 0 ? xy[0] + rad + 2 : xy[0] - rad - 2 - tw;
                double y = xy[1] - th / 2 + (c < 2 ? 0 : c < 4 ? -th * 0.8 : th * 0.8);
                rm_box b = {x, y, x + tw, y + th};
                int ok = b.x0 >= ib->x0 + 2 && b.x1 <= ib->x1 - 2 && b.y0 >= ib->y0 + 2 &&
                         b.y1 <= ib->y1 - 2;
                for (size_t q = 0; q < np && ok; q++)
                    ok = !rm_box_overlaps(&b, &placed[q]);
                if (ok || (c == 0 && attempt == 0))
                    best = b;
                found = ok;
            }
        }
        if (!l)
            continue;
        if (!found && numbered) {
            /* nowhere clear: the number alone, right of the dot */
            g_object_unref(l);
            snprintf(text, sizeof text, "%d", k->nums[0]);
            l = rm_r_layout(r, text, 10 * r->fs, 0);
            if (!l)
                continue;
            double tw, th;
            rm_r_layout_size(l, &tw, &th);
            best = (rm_box){xy[0] + rad + 2, xy[1] - th / 2, xy[0] + rad + 2 + tw, xy[1] + th / 2};
        }
        rm_r_draw_text(r, l, best.x0, best.y0, &r->th.text, &r->th.halo, 2.5);
        g_object_unref(l);
        if (np < 64)
            placed[np++] = best;
        k->locator_box.x0 = fmin(k->locator_box.x0, best.x0);
        k->locator_box.y0 = fmin(k->locator_box.y0, best.y0);
        k->locator_box.x1 = fmax(k->locator_box.x1, best.x1);
        k->locator_box.y1 = fmax(k->locator_box.y1, best.y1);
    }
}

/* The locator inset: a wider view around the map, with the map's frame,
 * and the places too far from the story for the main map. */
void rm_r_draw_inset(rm_render *r)
{
    const rm_box ib = r->inset_box;
    double cx = (r->frame_ll.minx + r->frame_ll.maxx) / 2;
    double cy = (r->frame_ll.miny + r->frame_ll.maxy) / 2;
    /* three times the map's span (at least ~30 by 20 degrees) */
    double sx = fmax(r->frame_ll.maxx - r->frame_ll.minx, 10) * 1.5;
    double sy = fmax(r->frame_ll.maxy - r->frame_ll.miny, 7) * 1.5;
    rm_bbox wide = {cx - sx, fmax(cy - sy, -80), cx + sx, fmin(cy + sy, 84)};
    /* and the places far from the story, which the locator shows */
    int nfar = 0;
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (!k->far || !isfinite(k->lon) || !isfinite(k->lat))
            continue;
        double lon = k->lon;
        while (lon - cx > 180)
            lon -= 360;
        while (lon - cx < -180)
            lon += 360;
        wide.minx = fmin(wide.minx, lon - 2), wide.maxx = fmax(wide.maxx, lon + 2);
        wide.miny = fmax(fmin(wide.miny, k->lat - 2), -80);
        wide.maxy = fmin(fmax(wide.maxy, k->lat + 2), 84);
        nfar++;
    }
    if (wide.maxx - wide.minx >= 360)
        wide.minx = -180, wide.maxx = 180;
    while (wide.minx < -180)
        wide.minx += 360, wide.maxx += 360;
    rm_error e;
    rm_proj *ip = rm_proj_new("auto", &wide, &e);
    if (!ip)
        return;
    /* swap in the inset's projection and area, draw, swap back */
    saved_view sv = view_save(r);
    /* the main frame's outline in lon/lat, before the swap */
    double outline[2 * 4 * 32];
    box_outline(sv.map, outline);
    rm_r_from_page(r, outline, 128);
    r->proj = ip;
    r->map = ib;
    if (rm_proj_fit(ip, &wide, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0, 0.0, &r->aff, &r->frame,
                    &e) == RM_OK) {
        r->frame_ll = rm_proj_frame_lonlat(ip, &r->frame);
        r->simplify_px = 0.6;
        rm_canvas *cv = r->cv;
        rm_cv_begin_group(cv, RM_CV_INSET, "locator");
        rm_cv_rectangle(cv, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_cv_push_clip(cv);
        rm_cv_paint(cv, &r->th.sea);
        char path[4200];
        rm_load_options lo = {&r->frame_ll, 1, 0, 0, 1, 0, NULL};
        rm_layer *land =
            rm_r_land_file(r, path, sizeof path) == 0 ? rm_layer_load(path, &lo, &e) : NULL;
        if (land) {
            rm_cv_new_path(cv);
            for (size_t i = 0; i < rm_layer_count(land); i++) {
                const rm_feature *f = rm_layer_feature(land, i);
                for (int p = 0; p < f->nparts; p++)
                    rm_r_path_lonlat(r, f->xy + 2 * f->part_start[p],
                                     (size_t)(f->part_start[p + 1] - f->part_start[p]), 1);
            }
            rm_cv_fill(cv, &r->th.land, 0);
            rm_layer_free(land);
        }
        rm_cv_new_path(cv);
        rm_r_path_lonlat(r, outline, 128, 1);
        rm_cv_line mapline = {r->th.route, 1.8, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &mapline, 0);
        if (nfar > 0)
            locator_places(r, &ib);
        rm_cv_pop_clip(cv);
        rm_cv_rectangle(cv, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_cv_line edge = {r->th.frame, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &edge, 0);
        rm_cv_end_group(cv);
    }
    view_restore(r, &sv);
    rm_proj_free(ip);
}

/* The detail inset: the route's area at a larger scale, with the base
 * layers, the route and its named ends; its outline on the main map. */
void rm_r_draw_detail_inset(rm_render *r)
{
    const rm_box ib = r->inset_box;
    rm_error e;
    rm_proj *ip = rm_proj_new("auto", &r->detail_ll, &e);
    if (!ip)
        return;
    saved_view sv = view_save(r);
    const rm_box sm = sv.map;
    r->proj = ip;
    /* no clip (the cairo SVG back-end's path placeholders must stay
     * visible to cairo): the geometry itself is clipped to the inset, whose
     * edge rm_r_path_lonlat extends by 4 px */
    r->map = (rm_box){ib.x0 + 4, ib.y0 + 4, ib.x1 - 4, ib.y1 - 4};
    r->in_inset = 1;
    double outline[2 * 4 * 32];
    int have_outline = 0;
    if (rm_proj_fit(ip, &r->detail_ll, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0, 0.02, &r->aff,
                    &r->frame, &e) == RM_OK) {
        rm_bbox fr = r->frame; /* the whole inset box, for the lon/lat read */
        r->frame_ll = rm_proj_frame_lonlat(ip, &fr);
        rm_canvas *cv = r->cv;
        rm_cv_begin_group(cv, RM_CV_INSET, "detail");
        rm_cv_rectangle(cv, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_cv_fill(cv, &r->th.sea, 0);
        rm_r_draw_layers(r, &e);
        rm_box names[16];
        size_t nnames = 0;
        rm_r_draw_route_detail(r, names, &nnames, 16);
        /* the inset's outline in lon/lat, for the main map */
        box_outline(ib, outline);
        have_outline = rm_r_from_page(r, outline, 128) == 0;
        rm_cv_rectangle(cv, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_cv_line edge = {r->th.frame, 1.2, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &edge, 0);
        PangoLayout *l = rm_r_layout(r, "Route detail", 11.5 * r->fs, 1);
        if (l) {
            rm_r_draw_text(r, l, ib.x0 + 6, ib.y0 + 4, &r->th.text_muted, &r->th.halo, 3);
            g_object_unref(l);
        }
        rm_cv_end_group(cv);
    }
    view_restore(r, &sv);
    r->in_inset = 0;
    rm_proj_free(ip);
    if (have_outline) {
        rm_canvas *cv = r->cv;
        rm_cv_begin_group(cv, RM_CV_INSET, "detail-outline");
        rm_cv_rectangle(cv, sm.x0, sm.y0, sm.x1 - sm.x0, sm.y1 - sm.y0);
        rm_cv_push_clip(cv);
        rm_cv_new_path(cv);
        rm_r_path_lonlat(r, outline, 128, 1);
        rm_cv_line edge = {r->th.frame, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &edge, 0);
        rm_cv_pop_clip(cv);
        rm_cv_end_group(cv);
    }
}
