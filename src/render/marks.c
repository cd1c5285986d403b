/* routemap — markers: their page positions and clusters, the symbols
 * (origin, destination, crossing, city, numbered trip pills), flights, and
 * the labels they ask for. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render_priv.h"
#include "warn.h"

/* --------------------------------------------------------- marker symbols */

static double mark_radius(const rm_mark *k)
{
    if (rm_r_kind_is(k->kind, "destination"))
        return 8;
    if (rm_r_kind_is(k->kind, "origin"))
        return 7.5;
    if (rm_r_kind_is(k->kind, "crossing"))
        return 6.5;
    if (k->nnums > 0)
        return 9.5;
    if (rm_r_kind_is(k->kind, "capital"))
        return 4.5;
    return 3.5;
}

static int is_route_end_kind(const char *kind)
{
    return rm_r_kind_is(kind, "origin") || rm_r_kind_is(kind, "destination") ||
           rm_r_kind_is(kind, "crossing");
}

/* The numbers of a cluster as text, in ascending order: "1, 5, 6". */
static void nums_text(const rm_mark *k, char *out, size_t cap)
{
    int v[24];
    int n = k->nnums;
    memcpy(v, k->nums, sizeof v);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && v[i] == v[i - 1])
            continue; /* two trips to one place under one number */
        int w = snprintf(out + len, cap - len, len ? ",%d" : "%d", v[i]);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

/* Page positions, synthetic marks for unnamed route ends, and clusters of
 * marks whose symbols would touch (several trips to one city become one
 * symbol carrying all their numbers). */
/* No place is lost without a word: a mark merged into a neighbour's symbol
 * is named by it (its number rides on the symbol, and the legend names the
 * number; an unnumbered one has its name added to the symbol's label), and
 * -v says so; a mark that is neither on the map nor far (the locator shows
 * those) is reported. */
static void name_merges(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (k->cluster >= 0) {
            rm_mark *rep = &r->marks[k->cluster];
            int same = !k->label || !k->label[0] || (rep->label && strstr(rep->label, k->label));
            if (k->nnums == 0 && !same && rep->label) {
                size_t n = strlen(rep->label) + strlen(k->label) + 4;
                char *t = malloc(n);
                if (!t) {
                    r->oom = 1;
                    continue;
                }
                snprintf(t, n, "%s, %s", rep->label, k->label);
                free(rep->label);
                rep->label = t;
            }
            if (r->verbose)
                fprintf(r->verbose,
                        "routemap: '%s' merged into the symbol of '%s' (too close to tell "
                        "apart)%s\n",
                        k->label ? k->label : "?", rep->label ? rep->label : "?",
                        k->nnums ? ": its number rides on it" : "");
        }
    }
}

void rm_r_report_lost(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (k->cluster >= 0 || k->visible || k->in_locator)
            continue;
        const char *why =
            k->far ? "far from the route and no locator inset to show it" : "outside the map";
        rm_warn("place '%s' is not drawn: %s", k->label ? k->label : "?", why);
    }
}

void rm_r_layout_marks(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        double xy[2] = {k->lon, k->lat};
        rm_r_to_page(r, xy, 1);
        k->x = xy[0];
        k->y = xy[1];
        k->visible = isfinite(xy[0]) && xy[0] >= r->map.x0 && xy[0] <= r->map.x1 &&
                     xy[1] >= r->map.y0 && xy[1] <= r->map.y1;
    }
    /* route ends that no marker stands on get their own start/end mark */
    for (size_t i = 0; i < r->nroutes; i++) {
        for (int end = 0; end < 2; end++) {
            const double *ll = end ? r->routes[i].to_ll : r->routes[i].from_ll;
            double xy[2] = {ll[0], ll[1]};
            rm_r_to_page(r, xy, 1);
            int found = 0;
            for (size_t j = 0; j < r->nmarks; j++)
                if (hypot(r->marks[j].x - xy[0], r->marks[j].y - xy[1]) < 8)
                    found = 1;
            if (found || !isfinite(xy[0]))
                continue;
            rm_mark *k = &r->marks[r->nmarks++];
            memset(k, 0, sizeof *k);
            k->lon = ll[0];
            k->lat = ll[1];
            k->x = xy[0];
            k->y = xy[1];
            k->visible = xy[0] >= r->map.x0 && xy[0] <= r->map.x1 && xy[1] >= r->map.y0 &&
                         xy[1] <= r->map.y1;
            k->label = rm_r_str_dup(end ? r->routes[i].to_name : r->routes[i].from_name);
            if (!k->label)
                r->oom = 1;
            k->kind = end ? "destination" : "origin";
            k->priority = 100;
            k->cluster = -1;
            k->synthetic = 1;
        }
    }
    for (size_t i = 0; i < r->nmarks; i++)
        r->marks[i].r = mark_radius(&r->marks[i]);
    /* clusters: visit by priority (stable), join the first representative
     * whose symbol this one would touch */
    size_t *ord = malloc(r->nmarks * sizeof *ord + 1);
    if (!ord) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < r->nmarks; i++)
        ord[i] = i;
    for (size_t i = 1; i < r->nmarks; i++)
        for (size_t j = i; j > 0 && r->marks[ord[j - 1]].priority < r->marks[ord[j]].priority;
             j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t a = 0; a < r->nmarks; a++) {
        rm_mark *k = &r->marks[ord[a]];
        if (!k->visible)
            continue;
        for (size_t b = 0; b < a; b++) {
            rm_mark *rep = &r->marks[ord[b]];
            if (!rep->visible || rep->cluster >= 0)
                continue;
            if (hypot(rep->x - k->x, rep->y - k->y) < 0.8 * (rep->r + k->r) + 2) {
                k->cluster = (int)ord[b];
                for (int q = 0; q < k->nnums && rep->nnums < 24; q++)
                    rep->nums[rep->nnums++] = k->nums[q];
                break;
            }
        }
    }
    free(ord);
    name_merges(r);
}

/* Width of the number pill for text. */
static double pill_width(rm_render *r, const char *text)
{
    PangoLayout *l = rm_r_layout(r, text, 11.5 * r->fs, 1);
    if (!l)
        return 19 * r->fs;
    double tw, th;
    rm_r_layout_size(l, &tw, &th);
    g_object_unref(l);
    return fmax(19 * r->fs, tw + 9);
}

static void draw_pill(rm_render *r, double cx, double cy, const char *text, rm_box *box)
{
    rm_canvas *cv = r->cv;
    PangoLayout *l = rm_r_layout(r, text, 11.5 * r->fs, 1);
    if (!l)
        return;
    double tw, th;
    rm_r_layout_size(l, &tw, &th);
    double h = 19 * r->fs, w = fmax(h, tw + 9);
    double x0 = cx - w / 2, y0 = cy - h / 2, rad = h / 2;
    rm_cv_new_path(cv);
    rm_cv_arc(cv, x0 + w - rad, y0 + rad, rad, -M_PI / 2, M_PI / 2);
    rm_cv_arc(cv, x0 + rad, y0 + rad, rad, M_PI / 2, 3 * M_PI / 2);
    rm_cv_close_path(cv);
    rm_cv_fill(cv, &r->th.trip_fill, 1);
    rm_cv_line edge = {r->th.casing, 1.5, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
    rm_cv_stroke(cv, &edge, 0);
    rm_r_draw_text(r, l, cx - tw / 2, cy - th / 2, &r->th.marker_text, NULL, 0);
    g_object_unref(l);
    box->x0 = x0 - 1;
    box->y0 = y0 - 1;
    box->x1 = x0 + w + 1;
    box->y1 = y0 + h + 1;
}

/* Draws the symbol of a representative mark and records its box. */
static void draw_mark(rm_render *r, rm_mark *k, const rm_color *route_color)
{
    double x = k->x, y = k->y, rad = k->r;
    char nums[128];
    nums_text(k, nums, sizeof nums);
    k->box = (rm_box){x - rad - 1, y - rad - 1, x + rad + 1, y + rad + 1};
    rm_symbol sym;
    if (k->nnums > 0 && !rm_r_kind_is(k->kind, "destination") && !rm_r_kind_is(k->kind, "origin") &&
        !rm_r_kind_is(k->kind, "crossing")) {
        draw_pill(r, x, y, nums, &k->box);
        nums[0] = '\0';
    } else {
        rm_sym_kind kind = rm_r_kind_is(k->kind, "destination") ? RM_SYM_DEST
                           : rm_r_kind_is(k->kind, "origin")    ? RM_SYM_ORIGIN
                           : rm_r_kind_is(k->kind, "crossing")  ? RM_SYM_CROSSING
                                                                : RM_SYM_CITY;
        rm_r_symbol_init(&sym, r, kind, rad, route_color, RM_CV_CAP_BUTT);
        rm_r_symbol_use(r, &sym, x, y);
    }
    if (nums[0]) {
        /* a route-end symbol that also stands for numbered trips: the
         * numbers ride beside it, on the side away from the page edge */
        rm_box pb;
        double side = x > (r->map.x0 + r->map.x1) / 2 ? -1 : 1;
        double off = rad + 1 + pill_width(r, nums) / 2;
        draw_pill(r, x + side * off, y - rad, nums, &pb);
        if (pb.x0 < k->box.x0)
            k->box.x0 = pb.x0;
        if (pb.x1 > k->box.x1)
            k->box.x1 = pb.x1;
        if (pb.y0 < k->box.y0)
            k->box.y0 = pb.y0;
        if (pb.y1 > k->box.y1)
            k->box.y1 = pb.y1;
    }
}

void rm_r_draw_flights(rm_render *r)
{
    int have_origin = 0;
    double o[2] = {0, 0};
    for (size_t i = 0; i < r->nmarks && !have_origin; i++)
        if (rm_r_kind_is(r->marks[i].kind, "origin")) {
            o[0] = r->marks[i].lon;
            o[1] = r->marks[i].lat;
            have_origin = 1;
        }
    if (!have_origin && r->nroutes > 0) {
        o[0] = r->routes[0].from_ll[0];
        o[1] = r->routes[0].from_ll[1];
        have_origin = 1;
    }
    if (!have_origin)
        return;
    rm_canvas *cv = r->cv;
    int any = 0;
    rm_cv_begin_group(cv, RM_CV_FLIGHTS, "flights");
    rm_cv_new_path(cv);
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->is_flight)
            continue;
        size_t n = rm_great_circle(o[0], o[1], k->lon, k->lat, 25, NULL, 0);
        double *gc = malloc(2 * n * sizeof *gc + 1);
        if (!gc) {
            r->oom = 1;
            break;
        }
        rm_great_circle(o[0], o[1], k->lon, k->lat, 25, gc, n);
        rm_r_path_lonlat(r, gc, n, 0);
        free(gc);
        any = 1;
    }
    if (any) {
        double dash[2] = {7, 5};
        rm_cv_line casing = {r->th.casing, 4, NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_MITER};
        rm_cv_line line = {r->th.flight, 2, dash, 2, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &casing, 1);
        rm_cv_stroke(cv, &line, 0);
        rm_style fs;
        memset(&fs, 0, sizeof fs);
        fs.stroke = r->th.flight;
        fs.width = 2;
        fs.dash[0] = 7;
        fs.dash[1] = 5;
        fs.ndash = 2;
        rm_r_legend_add(r, RM_LEG_FLIGHT, "Flight (great-circle arc)", &fs, NULL);
    }
    rm_cv_new_path(cv);
    rm_cv_end_group(cv);
}

void rm_r_draw_marks(rm_render *r)
{
    rm_color rc = r->th.route;
    if (r->nroutes > 0)
        rc = rm_r_route_style(r, r->routes[0].spec).stroke;
    /* lower priority first, so the important symbols sit on top */
    rm_cv_begin_group(r->cv, RM_CV_MARKERS, "markers");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->nmarks; i++) {
            rm_mark *k = &r->marks[i];
            if (!k->visible || k->cluster >= 0)
                continue;
            int top = is_route_end_kind(k->kind);
            if (top != pass)
                continue;
            draw_mark(r, k, &rc);
            rm_r_add_obstacle(r, k->box);
        }
    rm_cv_end_group(r->cv);
    int has[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->visible)
            continue;
        if (rm_r_kind_is(k->kind, "origin"))
            has[0] = 1;
        else if (rm_r_kind_is(k->kind, "destination"))
            has[1] = 1;
        else if (rm_r_kind_is(k->kind, "crossing"))
            has[2] = 1;
        else if (k->nnums == 0 && k->cluster < 0)
            has[3] = 1;
    }
    if (has[0])
        rm_r_legend_add(r, RM_LEG_ORIGIN, "Start", NULL, NULL);
    if (has[1])
        rm_r_legend_add(r, RM_LEG_DEST, "Destination", NULL, NULL);
    if (has[2])
        rm_r_legend_add(r, RM_LEG_CROSSING, "Border crossing", NULL, NULL);
    if (has[3])
        rm_r_legend_add(r, RM_LEG_CITY, "City", NULL, NULL);
    /* numbered trips, in number order */
    int lastnum = 0;
    for (;;) {
        int best = 0;
        const rm_mark *bk = NULL;
        for (size_t i = 0; i < r->nmarks; i++) {
            const rm_mark *k = &r->marks[i];
            if (!k->spec || k->spec->number <= lastnum)
                continue;
            if (!bk || k->spec->number < best) {
                best = k->spec->number;
                bk = k;
            }
        }
        if (!bk)
            break;
        char num[16], text[300];
        snprintf(num, sizeof num, "%d", best);
        const char *label = bk->spec->label ? bk->spec->label : bk->label;
        if (bk->spec->date && *bk->spec->date)
            snprintf(text, sizeof text, "%s  %s%s", bk->spec->date, label,
                     bk->is_flight ? " (flight)" : "");
        else
            snprintf(text, sizeof text, "%s%s", label, bk->is_flight ? " (flight)" : "");
        if (rm_r_legend_add(r, RM_LEG_TRIP, text, NULL, num) == 0 && bk->spec->group)
            snprintf(r->legend[r->nlegend - 1].group, sizeof r->legend[r->nlegend - 1].group, "%s",
                     bk->spec->group);
        lastnum = best;
    }
}

void rm_r_add_mark_labels(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->visible || k->cluster >= 0 || !k->label || !k->label[0])
            continue;
        double size = 12.5;
        int bold = 0;
        if (rm_r_kind_is(k->kind, "origin") || rm_r_kind_is(k->kind, "destination")) {
            size = 16;
            bold = 1;
        } else if (rm_r_kind_is(k->kind, "crossing")) {
            size = 13;
            bold = 1;
        }
        /* few distinct sizes: each size of a font is one more set of glyph
         * outlines in an SVG or PDF */
        double cx = (k->box.x0 + k->box.x1) / 2, cy = (k->box.y0 + k->box.y1) / 2;
        double rad = fmax(k->box.x1 - k->box.x0, k->box.y1 - k->box.y0) / 2;
        if (rm_r_label_add(r, k->label, cx, cy, rad, k->priority, size * r->fs, bold) != 0)
            r->oom = 1;
    }
}

/* The routes (casing and line) and the route-end and crossing symbols with
 * the current projection: the detail inset draws these. */
void rm_r_draw_route_detail(rm_render *r, rm_box *label_boxes, size_t *nlabel_boxes, size_t cap)
{
    rm_canvas *cv = r->cv;
    rm_color rc = r->th.route;
    for (size_t i = 0; i < r->nroutes; i++) {
        const rm_route *rt = &r->routes[i].route;
        rm_style st = rm_r_route_style(r, r->routes[i].spec);
        if (i == 0)
            rc = st.stroke;
        rm_cv_new_path(cv);
        rm_r_path_lonlat(r, rt->xy, rt->npoints, 0);
        rm_cv_line casing = {r->th.casing,    st.width + 2.4,  NULL, 0, 0,
                             RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND};
        rm_cv_line line = rm_r_style_line(&st, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND);
        line.width = st.width * 0.8;
        rm_cv_stroke(cv, &casing, 1);
        rm_cv_stroke(cv, &line, 0);
        /* direction arrows, one per ~150 px of line */
        double *pts = r->routes[i].spec->arrows ? malloc(2 * rt->npoints * sizeof *pts + 1) : NULL;
        if (pts) {
            memcpy(pts, rt->xy, 2 * rt->npoints * sizeof *pts);
            rm_r_to_page(r, pts, rt->npoints);
            double total = 0;
            for (size_t k = 0; k + 1 < rt->npoints; k++)
                if (isfinite(pts[2 * k]) && isfinite(pts[2 * k + 2]))
                    total += hypot(pts[2 * k + 2] - pts[2 * k], pts[2 * k + 3] - pts[2 * k + 1]);
            /* at most 4096 arrows, none on a route without a finite length */
            double step = total / fmin(4096, fmax(1, floor(total / 150))), next = step / 2,
                   along = 0;
            size_t np = step > 0 && isfinite(step) ? rt->npoints : 0;
            rm_cv_new_path(cv);
            for (size_t k = 0; k + 1 < np; k++) {
                double *a = pts + 2 * k, *b = a + 2;
                if (!isfinite(a[0]) || !isfinite(b[0]))
                    continue;
                double seg = hypot(b[0] - a[0], b[1] - a[1]);
                while (seg > 0 && isfinite(seg) && along + seg >= next) {
                    double t = (next - along) / seg;
                    double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
                    if (x > r->map.x0 + 8 && x < r->map.x1 - 8 && y > r->map.y0 + 8 &&
                        y < r->map.y1 - 8)
                        rm_r_arrow(cv, x, y, b[0] - a[0], b[1] - a[1], st.width * 1.9);
                    next += step;
                }
                along += seg;
            }
            rm_cv_line edge = {r->th.casing, 1.4, NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND};
            rm_cv_stroke(cv, &edge, 1);
            rm_cv_fill(cv, &st.stroke, 0);
            free(pts);
        }
    }
    /* the symbols and names of the route's ends and crossings */
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark k = r->marks[i];
        if (!is_route_end_kind(k.kind))
            continue;
        double xy[2] = {k.lon, k.lat};
        rm_r_to_page(r, xy, 1);
        if (!isfinite(xy[0]) || xy[0] < r->map.x0 + 4 || xy[0] > r->map.x1 - 4 ||
            xy[1] < r->map.y0 + 4 || xy[1] > r->map.y1 - 4)
            continue;
        k.x = xy[0];
        k.y = xy[1];
        k.r = mark_radius(&k) * 0.8;
        k.nnums = 0;
        draw_mark(r, &k, &rc);
        if (!k.label || !k.label[0] || *nlabel_boxes >= cap)
            continue;
        PangoLayout *l = rm_r_layout(r, k.label, 11.5 * r->fs, 1);
        if (!l)
            continue;
        double w, h;
        rm_r_layout_size(l, &w, &h);
        /* right, left, above, below: the first that stays inside and
         * clear of the names already written */
        double cand[4][2] = {{k.x + k.r + 3, k.y - h / 2},
                             {k.x - k.r - 3 - w, k.y - h / 2},
                             {k.x - w / 2, k.y - k.r - 2 - h},
                             {k.x - w / 2, k.y + k.r + 2}};
        for (int c = 0; c < 4; c++) {
            rm_box b = {cand[c][0], cand[c][1], cand[c][0] + w, cand[c][1] + h};
            int ok = b.x0 >= r->map.x0 + 2 && b.x1 <= r->map.x1 - 2 && b.y0 >= r->map.y0 + 2 &&
                     b.y1 <= r->map.y1 - 2;
            for (size_t q = 0; ok && q < *nlabel_boxes; q++)
                if (rm_box_overlaps(&b, &label_boxes[q]))
                    ok = 0;
            if (!ok)
                continue;
            rm_r_draw_text(r, l, b.x0, b.y0, &r->th.text, &r->th.halo, 3);
            label_boxes[(*nlabel_boxes)++] = b;
            break;
        }
        g_object_unref(l);
    }
}
