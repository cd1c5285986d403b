/* routemap — marker symbols: one drawing for each kind, used by the map's
 * markers and by the legend's rows alike (so that the legend shows exactly
 * what the map shows). A symbol is a canvas symbol: the recording canvas
 * keeps its id, the cairo canvas draws it. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render_priv.h"

/* The colours and line widths of a symbol's kind. */
static void symbol_paint(const rm_symbol *s, rm_color *fill, rm_color *edge, double *edge_w,
                         double *rad)
{
    const rm_theme *th = s->th;
    switch (s->kind) {
    case RM_SYM_DEST: /* a solid disc (the start is a ring): told apart without colour */
        *fill = s->route, *edge = th->casing, *edge_w = 2, *rad = s->rad - 1;
        break;
    case RM_SYM_ORIGIN:
        *fill = th->marker_fill, *edge = s->route, *edge_w = 3, *rad = s->rad - 1.5;
        break;
    case RM_SYM_CROSSING:
        *fill = th->crossing, *edge = th->casing, *edge_w = 1.5, *rad = s->rad;
        break;
    default:
        *fill = th->marker_fill, *edge = th->marker_stroke, *edge_w = 1.4, *rad = s->rad;
        break;
    }
}

static void symbol_draw(rm_canvas *cv, const void *arg, double x, double y)
{
    const rm_symbol *s = arg;
    rm_color fill, edge;
    double edge_w, rad;
    symbol_paint(s, &fill, &edge, &edge_w, &rad);
    rm_cv_new_path(cv);
    if (s->kind == RM_SYM_CROSSING) {
        rm_cv_move_to(cv, x, y - rad);
        rm_cv_line_to(cv, x + rad, y);
        rm_cv_line_to(cv, x, y + rad);
        rm_cv_line_to(cv, x - rad, y);
        rm_cv_close_path(cv);
    } else {
        rm_cv_arc(cv, x, y, rad, 0, 2 * M_PI);
    }
    rm_cv_fill(cv, &fill, 1);
    rm_cv_line line = {edge, edge_w, NULL, 0, 0, s->cap, RM_CV_JOIN_MITER};
    rm_cv_stroke(cv, &line, 0);
}

static const char *const sym_names[] = {"origin", "destination", "crossing", "city"};

void rm_r_symbol_init(rm_symbol *s, const rm_render *r, rm_sym_kind kind, double rad,
                      const rm_color *route, rm_cv_cap cap)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->rad = rad;
    s->route = *route;
    s->th = &r->th;
    s->cap = cap;
    rm_color fill, edge;
    double edge_w, rr;
    symbol_paint(s, &fill, &edge, &edge_w, &rr);
    /* the id names everything the symbol looks like */
    snprintf(s->id, sizeof s->id, "%s r=%g fill=%02x%02x%02x%02x edge=%02x%02x%02x%02x/%g",
             sym_names[kind], rad, (int)lround(fill.r * 255), (int)lround(fill.g * 255),
             (int)lround(fill.b * 255), (int)lround(fill.a * 255), (int)lround(edge.r * 255),
             (int)lround(edge.g * 255), (int)lround(edge.b * 255), (int)lround(edge.a * 255),
             edge_w);
    s->cv = (rm_cv_symbol){s->id, symbol_draw, s};
}

void rm_r_symbol_use(rm_render *r, const rm_symbol *s, double x, double y)
{
    rm_cv_use_symbol(r->cv, &s->cv, x, y);
}
