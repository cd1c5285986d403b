/* routemap — the north arrow, turned to the map's north at its box. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

void rm_r_draw_north(rm_render *r)
{
    const rm_box *b = &r->north_box;
    double cx = (b->x0 + b->x1) / 2, cy = (b->y0 + b->y1) / 2 + 6 * r->fs;
    double ll[4] = {cx, cy, 0, 0};
    rm_r_from_page(r, ll, 1);
    double dx = 0, dy = -1;
    if (isfinite(ll[0])) {
        double q[4] = {ll[0], ll[1], ll[0], fmin(ll[1] + 0.2, 89.9)};
        rm_r_to_page(r, q, 2);
        double d = hypot(q[2] - q[0], q[3] - q[1]);
        if (d > 0) {
            dx = (q[2] - q[0]) / d;
            dy = (q[3] - q[1]) / d;
        }
    }
    cairo_t *cr = r->cr;
    double len = 15 * r->fs, wid = 6 * r->fs, px = -dy, py = dx;
    /* a classic two-tone needle: the left half dark, the right half light */
    double tipx = cx + dx * len, tipy = cy + dy * len;
    double tailx = cx - dx * len, taily = cy - dy * len;
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (int side = -1; side <= 1; side += 2) {
        cairo_new_path(cr);
        cairo_move_to(cr, tipx, tipy);
        cairo_line_to(cr, tailx + side * px * wid, taily + side * py * wid);
        cairo_line_to(cr, cx - dx * len * 0.45, cy - dy * len * 0.45);
        cairo_close_path(cr);
        rm_r_set_color(cr, side < 0 ? &r->th.text : &r->th.paper);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.text);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    PangoLayout *l = rm_r_layout(r, "N", 13 * r->fs, 1);
    if (l) {
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        rm_r_draw_text(r, l, cx + dx * (len + 9) - tw / 2, cy + dy * (len + 9) - th / 2,
                       &r->th.text, &r->th.halo, 3);
        g_object_unref(l);
    }
}
