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
    rm_canvas *cv = r->cv;
    rm_cv_begin_group(cv, RM_CV_NORTH, "north");
    double len = 15 * r->fs, wid = 6 * r->fs, px = -dy, py = dx;
    /* a classic two-tone needle: the left half dark, the right half light */
    double tipx = cx + dx * len, tipy = cy + dy * len;
    double tailx = cx - dx * len, taily = cy - dy * len;
    rm_cv_line edge = {r->th.text, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_ROUND};
    for (int side = -1; side <= 1; side += 2) {
        rm_cv_new_path(cv);
        rm_cv_move_to(cv, tipx, tipy);
        rm_cv_line_to(cv, tailx + side * px * wid, taily + side * py * wid);
        rm_cv_line_to(cv, cx - dx * len * 0.45, cy - dy * len * 0.45);
        rm_cv_close_path(cv);
        rm_cv_fill(cv, side < 0 ? &r->th.text : &r->th.paper, 1);
        rm_cv_stroke(cv, &edge, 0);
    }
    PangoLayout *l = rm_r_layout(r, "N", 13 * r->fs, 1);
    if (l) {
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        rm_r_draw_text(r, l, cx + dx * (len + 9) - tw / 2, cy + dy * (len + 9) - th / 2,
                       &r->th.text, &r->th.halo, 3);
        g_object_unref(l);
    }
    rm_cv_end_group(cv);
}
