/* routemap — collision-free label placement.
 *
 * Labels are placed one by one in decreasing priority. Each tries candidate
 * boxes around its anchor in the cartographer's order of preference (right,
 * upper right, lower right, left, ...), first close to its symbol, then
 * farther out with a leader line. A candidate is refused when it leaves the
 * map area or meets a placed label, a marker symbol or the furniture; among
 * the rest, the one that covers least of the route wins. A label with no
 * room is dropped (and reported when verbose), so lower priorities give way
 * to higher ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

int rm_r_label_add(rm_render *r, const char *text, double ax, double ay, double radius,
                   int priority, double size, int bold)
{
    if (r->nlabels == r->labels_cap) {
        size_t cap = r->labels_cap ? 2 * r->labels_cap : 32;
        rm_label *g = realloc(r->labels, cap * sizeof *g);
        if (!g)
            return -1;
        r->labels = g;
        r->labels_cap = cap;
    }
    rm_label *l = &r->labels[r->nlabels];
    memset(l, 0, sizeof *l);
    size_t n = strlen(text) + 1;
    l->text = malloc(n);
    if (!l->text)
        return -1;
    memcpy(l->text, text, n);
    l->ax = ax;
    l->ay = ay;
    l->r = radius;
    l->priority = priority;
    l->size = size;
    l->bold = bold;
    l->layout = rm_r_layout(r, text, size, bold);
    if (!l->layout) {
        free(l->text);
        return -1;
    }
    r->nlabels++;
    return 0;
}

int rm_r_label_add_area(rm_render *r, const char *text, double ax, double ay, double maxw,
                        int priority, double size)
{
    char *up = g_utf8_strup(text, -1);
    if (!up)
        return -1;
    int rc = rm_r_label_add(r, up, ax, ay, 0, priority, size, 0);
    g_free(up);
    if (rc != 0)
        return rc;
    rm_label *l = &r->labels[r->nlabels - 1];
    l->area = 1;
    l->maxw = maxw;
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(size * 0.18 * PANGO_SCALE)));
    pango_layout_set_attributes(l->layout, al);
    pango_attr_list_unref(al);
    return 0;
}

/* Does segment a-b meet box q? (Liang–Barsky on the box.) */
static int seg_hits_box(const double *a, const double *b, const rm_box *q)
{
    double t0 = 0, t1 = 1, dx = b[0] - a[0], dy = b[1] - a[1];
    double p[4] = {-dx, dx, -dy, dy};
    double v[4] = {a[0] - q->x0, q->x1 - a[0], a[1] - q->y0, q->y1 - a[1]};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (v[i] < 0)
                return 0;
        } else {
            double t = v[i] / p[i];
            if (p[i] < 0) {
                if (t > t1)
                    return 0;
                if (t > t0)
                    t0 = t;
            } else {
                if (t < t0)
                    return 0;
                if (t < t1)
                    t1 = t;
            }
        }
    }
    return 1;
}

/* How much of the route a box covers: the number of route segments it meets. */
static int route_cover(const rm_render *r, const rm_box *b)
{
    int hits = 0;
    for (size_t i = 0; i + 1 < r->nroute_pts; i++) {
        const double *a = r->route_pts + 2 * i, *c = a + 2;
        if ((a[0] < b->x0 && c[0] < b->x0) || (a[0] > b->x1 && c[0] > b->x1) ||
            (a[1] < b->y0 && c[1] < b->y0) || (a[1] > b->y1 && c[1] > b->y1))
            continue;
        if (hypot(c[0] - a[0], c[1] - a[1]) > 200)
            continue; /* a jump between two routes, not a drawn segment */
        if (seg_hits_box(a, c, b))
            hits++;
    }
    return hits;
}

static int box_free(const rm_render *r, const rm_box *b, const rm_label *self)
{
    const double inset = 3;
    if (b->x0 < r->map.x0 + inset || b->x1 > r->map.x1 - inset || b->y0 < r->map.y0 + inset ||
        b->y1 > r->map.y1 - inset)
        return 0;
    for (size_t i = 0; i < r->nobst; i++)
        if (rm_box_overlaps(b, &r->obst[i]))
            return 0;
    for (size_t i = 0; i < r->nlabels; i++) {
        const rm_label *o = &r->labels[i];
        if (o == self || !o->placed)
            continue;
        rm_box pad = {o->box.x0 - 2, o->box.y0 - 2, o->box.x1 + 2, o->box.y1 + 2};
        if (rm_box_overlaps(b, &pad))
            return 0;
    }
    return 1;
}

int rm_r_label_add_along(rm_render *r, const char *text, const double *pts, size_t n, int priority,
                         double size, rm_color color)
{
    if (n < 2)
        return 0;
    /* candidates every ~25 px of the line */
    double *c = malloc(4 * n * sizeof *c + 1);
    if (!c)
        return -1;
    size_t k = 0;
    double since = 1e9;
    for (size_t i = 0; i + 1 < n; i++) {
        const double *a = pts + 2 * i, *b = a + 2;
        if (!isfinite(a[0]) || !isfinite(b[0]))
            continue;
        double seg = hypot(b[0] - a[0], b[1] - a[1]);
        since += seg;
        if (since >= 25 && seg > 0) {
            /* the point, and the line's direction there */
            c[4 * k] = a[0];
            c[4 * k + 1] = a[1];
            c[4 * k + 2] = (b[0] - a[0]) / seg;
            c[4 * k + 3] = (b[1] - a[1]) / seg;
            k++;
            since = 0;
        }
    }
    if (k == 0 || rm_r_label_add(r, text, pts[0], pts[1], 0, priority, size, 1) != 0) {
        free(c);
        return k == 0 ? 0 : -1;
    }
    rm_label *l = &r->labels[r->nlabels - 1];
    l->along = c;
    l->nalong = k;
    l->color = color;
    return 0;
}

/* Places a route's label beside its line: candidates from the middle of
 * the line outwards, on either side, the box just clear of the line. */
static int place_along(rm_render *r, rm_label *l, double w, double h)
{
    size_t k = l->nalong, mid = k / 2;
    for (size_t step = 0; step <= mid + 1; step++) {
        for (int dir = -1; dir <= 1; dir += 2) {
            long i = (long)mid + dir * (long)step;
            if (i < 0 || (size_t)i >= k || (step == 0 && dir > 0))
                continue;
            const double *c = l->along + 4 * i;
            double nx = -c[3], ny = c[2]; /* normal to the line */
            for (int side = -1; side <= 1; side += 2) {
                /* the box's centre, far enough along the normal that the
                 * box clears the line (half its extent along the normal) */
                double ext = fabs(nx) * w / 2 + fabs(ny) * h / 2;
                double cx = c[0] + side * nx * (ext + 7), cy = c[1] + side * ny * (ext + 7);
                rm_box b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
                if (box_free(r, &b, l) && route_cover(r, &b) == 0) {
                    l->box = b;
                    l->ax = c[0];
                    l->ay = c[1];
                    return 1;
                }
            }
        }
    }
    return 0;
}

/* The box of a w x h label at direction (ux, uy) (unit-ish offsets in
 * -1..1) at distance d from the anchor. */
static rm_box candidate(const rm_label *l, double w, double h, double ux, double uy, double d)
{
    double cx = l->ax + ux * (d + w / 2), cy = l->ay + uy * (d + h / 2);
    if (ux != 0 && uy != 0) { /* diagonals: corner near the anchor */
        cx = l->ax + ux * (d * 0.75 + w / 2);
        cy = l->ay + uy * (d * 0.75 + h / 2);
    }
    rm_box b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    return b;
}

void rm_r_labels_place(rm_render *r)
{
    static const double dirs[8][2] = {{1, 0},   {1, -1}, {1, 1},  {-1, 0},
                                      {-1, -1}, {-1, 1}, {0, -1}, {0, 1}};
    size_t n = r->nlabels;
    size_t *ord = malloc(n * sizeof *ord + 1);
    if (!ord) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        ord[i] = i;
    for (size_t i = 1; i < n; i++) /* stable: insertion sort by priority */
        for (size_t j = i; j > 0 && r->labels[ord[j - 1]].priority < r->labels[ord[j]].priority;
             j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t k = 0; k < n; k++) {
        rm_label *l = &r->labels[ord[k]];
        double w, h;
        rm_r_layout_size(l->layout, &w, &h);
        int found = 0;
        double best_cost = INFINITY;
        rm_box best = {0, 0, 0, 0};
        int best_ring = 0;
        if (l->along) {
            if (place_along(r, l, w, h))
                l->placed = 1;
            else if (r->verbose)
                fprintf(r->verbose, "routemap: route label '%s' dropped: no room beside the line\n",
                        l->text);
            continue;
        }
        if (l->area) {
            /* an area name sits on its anchor or just beside it, never on a
             * leader, and gives way to everything placed before it */
            static const double shift[5][2] = {{0, 0}, {0, -1}, {0, 1}, {-0.5, 0}, {0.5, 0}};
            if (w <= l->maxw)
                for (int c = 0; c < 5 && !found; c++) {
                    double cx = l->ax + shift[c][0] * w * 0.5, cy = l->ay + shift[c][1] * h;
                    rm_box b = {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
                    if (box_free(r, &b, l) && route_cover(r, &b) == 0) {
                        best = b;
                        found = 1;
                    }
                }
            if (found) {
                l->placed = 1;
                l->box = best;
            } else if (r->verbose) {
                fprintf(r->verbose, "routemap: area name '%s' left out: no room\n", l->text);
            }
            continue;
        }
        static const double ring_gap[] = {3, 16, 34, 60};
        /* cost: the order of preference, then distance, and heavily the
         * route: a label never hides the route while another spot is free */
        for (int ring = 0; ring < 4 && best_cost >= 60; ring++) {
            double d = l->r + ring_gap[ring];
            for (int c = 0; c < 8; c++) {
                rm_box b = candidate(l, w, h, dirs[c][0], dirs[c][1], d);
                if (!box_free(r, &b, l))
                    continue;
                double cost = c + 12.0 * ring + 60.0 * route_cover(r, &b);
                if (cost < best_cost) {
                    best_cost = cost;
                    best = b;
                    best_ring = ring;
                    found = 1;
                }
            }
        }
        if (found) {
            l->placed = 1;
            l->box = best;
            l->leader = best_ring >= 2;
        } else if (r->verbose) {
            fprintf(r->verbose, "routemap: label '%s' dropped (priority %d): no room\n", l->text,
                    l->priority);
        }
    }
    free(ord);
}

/* The point of box b nearest to (x, y). */
static void nearest_on_box(const rm_box *b, double x, double y, double *ox, double *oy)
{
    *ox = x < b->x0 ? b->x0 : x > b->x1 ? b->x1 : x;
    *oy = y < b->y0 ? b->y0 : y > b->y1 ? b->y1 : y;
}

void rm_r_labels_draw(rm_render *r)
{
    rm_canvas *cv = r->cv;
    rm_cv_begin_group(cv, RM_CV_LABELS, "labels");
    for (size_t i = 0; i < r->nlabels; i++) {
        rm_label *l = &r->labels[i];
        if (!l->placed || !l->leader)
            continue;
        double bx, by;
        nearest_on_box(&l->box, l->ax, l->ay, &bx, &by);
        double dx = bx - l->ax, dy = by - l->ay, d = hypot(dx, dy);
        if (d <= l->r + 1)
            continue;
        double sx = l->ax + dx / d * (l->r + 1), sy = l->ay + dy / d * (l->r + 1);
        rm_cv_move_to(cv, sx, sy);
        rm_cv_line_to(cv, bx, by);
        rm_cv_line halo = {r->th.halo, 3, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_line line = {r->th.text_muted, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &halo, 1);
        rm_cv_stroke(cv, &line, 0);
    }
    for (size_t i = 0; i < r->nlabels; i++) {
        rm_label *l = &r->labels[i];
        if (!l->placed)
            continue;
        if (l->along) {
            rm_r_draw_text(r, l->layout, l->box.x0, l->box.y0, &l->color, &r->th.halo, 3.2);
            continue;
        }
        if (l->area) {
            rm_color c = r->th.text_muted;
            c.a = 0.8;
            rm_r_draw_text(r, l->layout, l->box.x0, l->box.y0, &c, NULL, 0);
            continue;
        }
        rm_r_draw_text(r, l->layout, l->box.x0, l->box.y0, &r->th.text, &r->th.halo, 3.2);
    }
    rm_cv_end_group(cv);
}

void rm_r_labels_free(rm_render *r)
{
    for (size_t i = 0; i < r->nlabels; i++) {
        free(r->labels[i].text);
        free(r->labels[i].along);
        if (r->labels[i].layout)
            g_object_unref(r->labels[i].layout);
    }
    free(r->labels);
    r->labels = NULL;
    r->nlabels = r->labels_cap = 0;
}
