/* routemap — the legend: rows gathered from what was drawn, measured into
 * columns, each row's symbol and text. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

int rm_r_legend_add(rm_render *r, rm_legend_kind kind, const char *text, const rm_style *style,
                    const char *number)
{
    /* one row per distinct kind and text */
    for (size_t i = 0; i < r->nlegend; i++)
        if (r->legend[i].kind == kind && !strcmp(r->legend[i].text, text) &&
            !strcmp(r->legend[i].number, number ? number : ""))
            return 0;
    if (rm_r_grow((void **)&r->legend, &r->legend_cap, r->nlegend + 1, sizeof *r->legend) != 0) {
        r->oom = 1;
        return -1;
    }
    rm_legend_item *it = &r->legend[r->nlegend++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->text, sizeof it->text, "%s", text);
    snprintf(it->number, sizeof it->number, "%s", number ? number : "");
    if (style)
        it->style = *style;
    return 0;
}

/* ---------------------------------------------------------------- legend */

static double legend_text_size(const rm_render *r)
{
    return 12.5 * r->fs;
}

/* Rows in drawing order: lines first, then symbols, then the trips, under
 * a heading per legend group, as the spec's markers give them (groups in
 * the order their first trip comes; trips with no group under "Trips").
 * heads[i] is the heading's text where rows[i] is NULL. Returns the number
 * of rows including the headings. */
static size_t legend_rows(const rm_render *r, const rm_legend_item **rows, const char **heads,
                          size_t cap)
{
    static const rm_legend_kind order[] = {RM_LEG_ROUTE,    RM_LEG_GAP,  RM_LEG_FLIGHT, RM_LEG_LINE,
                                           RM_LEG_DASHED,   RM_LEG_FILL, RM_LEG_ORIGIN, RM_LEG_DEST,
                                           RM_LEG_CROSSING, RM_LEG_CITY};
    size_t n = 0;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < r->nlegend && n < cap; i++)
            if (r->legend[i].kind == order[o]) {
                heads[n] = NULL;
                rows[n++] = &r->legend[i];
            }
    /* the trips, group by group */
    for (size_t i = 0; i < r->nlegend; i++) {
        const rm_legend_item *g = &r->legend[i];
        if (g->kind != RM_LEG_TRIP)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->legend[j].kind == RM_LEG_TRIP && !strcmp(r->legend[j].group, g->group);
        if (seen)
            continue;
        if (n < cap) {
            heads[n] = g->group[0] ? g->group : "Trips";
            rows[n++] = NULL;
        }
        for (size_t j = i; j < r->nlegend && n < cap; j++)
            if (r->legend[j].kind == RM_LEG_TRIP && !strcmp(r->legend[j].group, g->group)) {
                heads[n] = NULL;
                rows[n++] = &r->legend[j];
            }
    }
    return n;
}

void rm_r_legend_measure(rm_render *r, double *w, double *h, int *cols)
{
    const rm_legend_item *rows[256];
    const char *heads[256];
    size_t n = legend_rows(r, rows, heads, 256);
    double rh = 20 * r->fs, sw = 40 * r->fs, pad = 10 * r->fs;
    double maxw = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = rows[i] ? rows[i]->text : heads[i];
        PangoLayout *l = rm_r_layout(r, t, legend_text_size(r), rows[i] == NULL);
        if (!l)
            continue;
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        double rowsw = rows[i] ? sw : 0;
        if (tw + rowsw > maxw)
            maxw = tw + rowsw;
        g_object_unref(l);
    }
    double mh = r->map.y1 - r->map.y0;
    *cols = n * rh + 2 * pad > 0.6 * mh ? 2 : 1;
    size_t per = (n + (size_t)*cols - 1) / (size_t)*cols;
    *w = maxw * *cols + 2 * pad + (*cols - 1) * 14 * r->fs;
    *h = (double)per * rh + 2 * pad;
}

/* A row's symbol: lines as in the map, marker symbols as the map draws
 * them (symbols.c), numbered trips as a pill. */
static void legend_symbol(rm_render *r, const rm_legend_item *it, double x, double y, double w)
{
    rm_canvas *cv = r->cv;
    double cy = y, x0 = x + 2, x1 = x + w - 8;
    rm_color rc = r->th.route;
    for (size_t i = 0; i < r->nlegend; i++)
        if (r->legend[i].kind == RM_LEG_ROUTE) {
            rc = r->legend[i].style.stroke;
            break;
        }
    rm_cv_new_path(cv);
    rm_symbol sym;
    switch (it->kind) {
    case RM_LEG_ROUTE:
    case RM_LEG_GAP: {
        rm_cv_move_to(cv, x0, cy);
        rm_cv_line_to(cv, x1, cy);
        rm_cv_line casing = {r->th.casing,    it->style.width + 3.2, NULL, 0, 0,
                             RM_CV_CAP_ROUND, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &casing, 1);
        double d[2] = {it->style.width * 1.2, it->style.width};
        rm_cv_line line = {it->style.stroke, it->style.width, NULL, 0, 0,
                           RM_CV_CAP_ROUND,  RM_CV_JOIN_MITER};
        if (it->kind == RM_LEG_GAP) {
            line.dash = d;
            line.ndash = 2;
            line.cap = RM_CV_CAP_BUTT;
            line.width = it->style.width * 0.8;
        }
        rm_cv_stroke(cv, &line, 0);
        break;
    }
    case RM_LEG_FLIGHT:
    case RM_LEG_LINE:
    case RM_LEG_DASHED: {
        rm_cv_move_to(cv, x0, cy);
        rm_cv_line_to(cv, x1, cy);
        rm_color c = it->style.stroke;
        c.a *= it->style.opacity > 0 ? it->style.opacity : 1;
        rm_cv_line line = {
            c, fmax(it->style.width, 0.8), NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_MITER};
        if (it->style.ndash > 0) {
            line.dash = it->style.dash;
            line.ndash = it->style.ndash;
            line.cap = RM_CV_CAP_BUTT;
        }
        rm_cv_stroke(cv, &line, 0);
        break;
    }
    case RM_LEG_FILL: {
        rm_cv_rectangle(cv, x0, cy - 6, x1 - x0, 12);
        rm_cv_fill(cv, &it->style.fill, 1);
        rm_color c = it->style.stroke.a > 0 ? it->style.stroke : r->th.frame;
        rm_cv_line line = {c, 0.8, NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &line, 0);
        break;
    }
    case RM_LEG_ORIGIN:
        rm_r_symbol_init(&sym, r, RM_SYM_ORIGIN, 7.5, &rc, RM_CV_CAP_ROUND);
        rm_r_symbol_use(r, &sym, (x0 + x1) / 2, cy);
        break;
    case RM_LEG_DEST:
        rm_r_symbol_init(&sym, r, RM_SYM_DEST, 8, &rc, RM_CV_CAP_ROUND);
        rm_r_symbol_use(r, &sym, (x0 + x1) / 2, cy);
        break;
    case RM_LEG_CROSSING:
        rm_r_symbol_init(&sym, r, RM_SYM_CROSSING, 6.5, &rc, RM_CV_CAP_ROUND);
        rm_r_symbol_use(r, &sym, (x0 + x1) / 2, cy);
        break;
    case RM_LEG_CITY:
        rm_r_symbol_init(&sym, r, RM_SYM_CITY, 3.5, &rc, RM_CV_CAP_ROUND);
        rm_r_symbol_use(r, &sym, (x0 + x1) / 2, cy);
        break;
    case RM_LEG_TRIP: {
        PangoLayout *l = rm_r_layout(r, it->number, 11.5 * r->fs, 1);
        if (l) {
            double tw, th;
            rm_r_layout_size(l, &tw, &th);
            double h = 17 * r->fs, pw = fmax(h, tw + 8), mx = (x0 + x1) / 2;
            rm_box b = {mx - pw / 2, cy - h / 2, mx + pw / 2, cy + h / 2};
            rm_cv_new_path(cv);
            rm_r_rounded_rect(cv, &b, h / 2 - 0.01);
            rm_cv_fill(cv, &r->th.trip_fill, 0);
            rm_r_draw_text(r, l, mx - tw / 2, cy - th / 2, &r->th.marker_text, NULL, 0);
            g_object_unref(l);
        }
        break;
    }
    }
}

void rm_r_draw_legend(rm_render *r)
{
    const rm_legend_item *rows[256];
    const char *heads[256];
    size_t n = legend_rows(r, rows, heads, 256);
    rm_cv_begin_group(r->cv, RM_CV_LEGEND, "legend");
    rm_r_panel(r, &r->legend_box);
    double rh = 20 * r->fs, sw = 40 * r->fs, pad = 10 * r->fs;
    int cols = r->legend_cols > 0 ? r->legend_cols : 1;
    size_t per = (n + (size_t)cols - 1) / (size_t)cols;
    double colw = (r->legend_box.x1 - r->legend_box.x0 - 2 * pad - (cols - 1) * 14 * r->fs) / cols;
    for (size_t i = 0; i < n; i++) {
        size_t col = i / per, row = i % per;
        double x = r->legend_box.x0 + pad + (double)col * (colw + 14 * r->fs);
        double cy = r->legend_box.y0 + pad + ((double)row + 0.5) * rh;
        const char *t = rows[i] ? rows[i]->text : heads[i];
        PangoLayout *l = rm_r_layout(r, t, legend_text_size(r), rows[i] == NULL);
        if (!l)
            continue;
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        if (rows[i]) {
            legend_symbol(r, rows[i], x, cy, sw);
            rm_r_draw_text(r, l, x + sw, cy - th / 2, &r->th.text, NULL, 0);
        } else {
            rm_r_draw_text(r, l, x, cy - th / 2, &r->th.text, NULL, 0);
        }
        g_object_unref(l);
    }
    rm_cv_end_group(r->cv);
}
