/* routemap — the scale bar, in round kilometres true at the map centre, or
 * along a conic's standard parallel where one crosses the map. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* ------------------------------------------------------------- scale bar */

/* The standard parallels of a conic projection (+lat_1, +lat_2 of an lcc,
 * eqdc or aea PROJ string); returns how many it found. */
static int std_parallels(const char *def, double *p)
{
    if (!def ||
        !(strstr(def, "+proj=lcc") || strstr(def, "+proj=eqdc") || strstr(def, "+proj=aea")))
        return 0;
    int n = 0;
    const char *keys[2] = {"+lat_1=", "+lat_2="};
    for (int i = 0; i < 2; i++) {
        const char *q = strstr(def, keys[i]);
        if (q && sscanf(q + 7, "%lf", &p[n]) == 1)
            n++;
    }
    return n;
}

int rm_r_scalebar_compute(rm_render *r, scalebar *sb)
{
    double cx = (r->map.x0 + r->map.x1) / 2, cy = (r->map.y0 + r->map.y1) / 2;
    double xy[6] = {cx - 50, cy, cx + 50, cy, cx, cy};
    if (rm_r_from_page(r, xy, 3) != 0)
        return -1;
    /* a conic is true to scale along its standard parallels: where one
     * crosses the map, the bar is measured on it (the one nearest the
     * centre), so that the note names a parallel the map shows, not the
     * latitude of its centre (a polar map's 88N on a 55N/64N conic) */
    sb->on_parallel = 0;
    double sp[2];
    int nsp = std_parallels(rm_proj_definition(r->proj), sp);
    double best = INFINITY;
    for (int i = 0; i < nsp; i++) {
        double q[2] = {xy[4], sp[i]};
        rm_r_to_page(r, q, 1);
        if (!isfinite(q[1]) || q[0] < r->map.x0 + 60 || q[0] > r->map.x1 - 60 ||
            q[1] < r->map.y0 + 10 || q[1] > r->map.y1 - 10 || fabs(q[1] - cy) >= best)
            continue;
        double t[6] = {q[0] - 50, q[1], q[0] + 50, q[1], q[0], q[1]};
        if (rm_r_from_page(r, t, 3) != 0)
            continue;
        best = fabs(q[1] - cy);
        memcpy(xy, t, sizeof t);
        xy[5] = sp[i];
        sb->on_parallel = 1;
    }
    double km = rm_geodesic_km(xy[0], xy[1], xy[2], xy[3]);
    if (!(km > 0))
        return -1;
    sb->kmpp = km / 100;
    sb->center_lat = xy[5];
    double target = 170 * r->fs * sb->kmpp;
    double p = pow(10, floor(log10(target)));
    double nice = p;
    if (5 * p <= target)
        nice = 5 * p;
    else if (2 * p <= target)
        nice = 2 * p;
    sb->km = nice;
    sb->px = nice / sb->kmpp;
    /* how much the scale departs from the centre's across the map */
    double kc = rm_proj_scale_at(r->proj, xy[4], xy[5]);
    double vary = 0;
    double probe[10] = {r->map.x0 + 5, r->map.y0 + 5, r->map.x1 - 5,
                        r->map.y0 + 5, r->map.x0 + 5, r->map.y1 - 5,
                        r->map.x1 - 5, r->map.y1 - 5, cx,
                        r->map.y0 + 5};
    rm_r_from_page(r, probe, 5);
    for (int i = 0; i < 5; i++) {
        if (!isfinite(probe[2 * i]))
            continue;
        double k = rm_proj_scale_at(r->proj, probe[2 * i], probe[2 * i + 1]);
        if (isfinite(k) && isfinite(kc) && kc > 0 && fabs(k / kc - 1) > vary)
            vary = fabs(k / kc - 1);
    }
    sb->vary = vary;
    return 0;
}

void rm_r_scalebar_note(const rm_render *r, const scalebar *sb, char *out, size_t cap)
{
    char lat[16];
    rm_r_deg_text(lat, sizeof lat, round(sb->center_lat), 0);
    const char *where = sb->on_parallel ? "true along" : "true at";
    const char *what = sb->on_parallel ? " (standard parallel)" : "";
    if (sb->vary >= 0.03)
        snprintf(out, cap, "%s %s%s; scale varies by up to %.0f%% across the map", where, lat, what,
                 100 * sb->vary);
    else
        snprintf(out, cap, "%s %s%s", where, lat, what);
    (void)r;
}

static void km_text(char *out, size_t cap, double km)
{
    if (km >= 1)
        snprintf(out, cap, "%.0f", km);
    else
        snprintf(out, cap, "%g", km);
}

void rm_r_draw_scalebar(rm_render *r)
{
    scalebar sb;
    if (rm_r_scalebar_compute(r, &sb) != 0)
        return;
    rm_canvas *cv = r->cv;
    const rm_box *b = &r->scale_box;
    rm_cv_begin_group(cv, RM_CV_SCALEBAR, "scalebar");
    rm_r_panel(r, b);
    double x0 = b->x0 + 10, y = b->y0 + 22 * r->fs, bh = 6;
    int seg = 4;
    for (int i = 0; i < seg; i++) {
        rm_cv_rectangle(cv, x0 + sb.px * i / seg, y, sb.px / seg, bh);
        rm_cv_fill(cv, i % 2 ? &r->th.paper : &r->th.text, 0);
    }
    rm_cv_rectangle(cv, x0, y, sb.px, bh);
    rm_cv_line edge = {r->th.text, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
    rm_cv_stroke(cv, &edge, 0);
    double fsz = 11 * r->fs;
    char t[64], u[32];
    for (int i = 0; i <= 2; i++) {
        double km = sb.km * i / 2;
        km_text(u, sizeof u, km);
        if (i == 2)
            snprintf(t, sizeof t, "%s km", u);
        else
            snprintf(t, sizeof t, "%s", u);
        PangoLayout *l = rm_r_layout(r, t, fsz, 0);
        if (!l)
            continue;
        double tw, th;
        rm_r_layout_size(l, &tw, &th);
        double x = x0 + sb.px * i / 2 - (i == 2 ? 14 * r->fs : tw / 2);
        if (i == 0)
            x = x0 - 3;
        rm_r_draw_text(r, l, x, y - th - 1, &r->th.text, NULL, 0);
        g_object_unref(l);
    }
    char note[160];
    rm_r_scalebar_note(r, &sb, note, sizeof note);
    PangoLayout *l = rm_r_layout(r, note, 10.5 * r->fs, 0);
    if (l) {
        rm_r_draw_text(r, l, x0 - 2, y + bh + 4, &r->th.text_muted, NULL, 0);
        g_object_unref(l);
    }
    rm_cv_end_group(cv);
}
