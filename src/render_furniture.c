/* routemap — map furniture: title and subtitle, attribution, graticule with
 * degree labels, a legend built from what was drawn, a scale bar in round
 * kilometres true at the map centre, an optional north arrow and an optional
 * locator inset.
 *
 * Furniture is placed before the labels (rm_r_furniture_reserve), in the
 * corners where it hides least of the route and the markers, and its boxes
 * become obstacles that labels avoid; it is drawn last, on top. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

#define DEFAULT_ATTRIBUTION                                                                        \
    "Data: Natural Earth (via world-atlas) · rail and places authored from public sources"

static double title_size(const rm_render *r)
{
    return 28 * r->fs;
}
static double subtitle_size(const rm_render *r)
{
    return 16 * r->fs;
}
static double small_size(const rm_render *r)
{
    return 11 * r->fs;
}

/* The width text may take across the page (the map area's width). */
static double text_width(const rm_render *r)
{
    double side = fmin(16, r->W * 0.02);
    return r->W - 2 * side - 4;
}

/* A layout for a title-band or footer line, wrapped (or, for one-line
 * text, ellipsized) at the page's text width. */
static PangoLayout *band_layout(rm_render *r, const char *text, double size, int bold, int wrap)
{
    PangoLayout *l = rm_r_layout(r, text, size, bold);
    if (!l)
        return NULL;
    pango_layout_set_width(l, (int)(text_width(r) * PANGO_SCALE));
    if (wrap)
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    else
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    return l;
}

/* The logical size of a layout's text (not of its wrap width). */
static void text_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

/* The title band holds the title and subtitle, wrapped to the page's width
 * (measured, so a long subtitle on a portrait page takes two lines); the
 * footer holds one line of attribution. */
void rm_r_page_bands(rm_render *r, double *top, double *bottom)
{
    const rm_spec *s = r->spec;
    double t = 10, w, h;
    if (s->title && *s->title) {
        PangoLayout *l = band_layout(r, s->title, title_size(r), 1, 1);
        h = title_size(r) * 1.25;
        if (l) {
            text_size(l, &w, &h);
            g_object_unref(l);
        }
        t += h + 2;
    }
    if (s->subtitle && *s->subtitle) {
        PangoLayout *l = band_layout(r, s->subtitle, subtitle_size(r), 0, 1);
        h = subtitle_size(r) * 1.3;
        if (l) {
            text_size(l, &w, &h);
            g_object_unref(l);
        }
        t += h;
    }
    if (t < 16)
        t = 16;
    else
        t += 8;
    *top = t;
    *bottom = small_size(r) * 1.3 + 12;
}

/* Draws one line of the title band (text may be NULL or empty: nothing) at
 * x, y, records it in the layout as name, and returns the y of the next
 * line. */
static double band_line(rm_render *r, const char *text, double size, int bold,
                        const rm_color *color, const char *name, double x, double y)
{
    if (!text || !*text)
        return y;
    PangoLayout *l = band_layout(r, text, size, bold, 1);
    if (!l)
        return y;
    rm_r_draw_text(r, l, x, y, color, NULL, 0);
    double w, h;
    text_size(l, &w, &h);
    rm_r_add_furniture(r, name, (rm_box){x, y, x + w, y + h});
    g_object_unref(l);
    return y + h + 2;
}

void rm_r_draw_title(rm_render *r)
{
    const rm_spec *s = r->spec;
    double y = 10, x = r->map.x0 + 2;
    y = band_line(r, s->title, title_size(r), 1, &r->th.text, "title", x, y);
    band_line(r, s->subtitle, subtitle_size(r), 0, &r->th.text_muted, "subtitle", x, y);
    /* footer: attribution left, projection right (none when the map
     * reaches the page's foot, as an exact frame without attribution does) */
    if (r->map.y1 + 6 >= r->H)
        return;
    const char *attr = s->attribution && *s->attribution ? s->attribution : DEFAULT_ATTRIBUTION;
    double fy = r->map.y1 + 6;
    PangoLayout *l = band_layout(r, attr, small_size(r), 0, 0);
    double aw = 0, ah = 0;
    if (l) {
        text_size(l, &aw, &ah);
        rm_r_draw_text(r, l, x, fy, &r->th.text_muted, NULL, 0);
        rm_r_add_furniture(r, "attribution", (rm_box){x, fy, x + aw, fy + ah});
        g_object_unref(l);
    }
    char pj[200];
    const char *def = rm_proj_definition(r->proj);
    double lat1, lat2;
    const char *p1 = def ? strstr(def, "+lat_1=") : NULL, *p2 = def ? strstr(def, "+lat_2=") : NULL;
    if (def && strstr(def, "+proj=lcc") && p1 && p2) {
        lat1 = atof(p1 + 7);
        lat2 = atof(p2 + 7);
        snprintf(pj, sizeof pj, "Lambert conformal conic, standard parallels %.0f°%c and %.0f°%c",
                 fabs(lat1), lat1 < 0 ? 'S' : 'N', fabs(lat2), lat2 < 0 ? 'S' : 'N');
    } else if (def && strstr(def, "+proj=merc")) {
        snprintf(pj, sizeof pj, "Mercator projection");
    } else if (def && strstr(def, "+proj=stere")) {
        snprintf(pj, sizeof pj, "Polar stereographic projection");
    } else {
        snprintf(pj, sizeof pj, "Projection: %.150s", def ? def : "?");
    }
    l = rm_r_layout(r, pj, small_size(r), 0);
    if (l) {
        double w, h;
        rm_r_layout_size(l, &w, &h);
        double px = r->map.x1 - 2 - w;
        if (px > x + aw + 20) {
            rm_r_draw_text(r, l, px, fy, &r->th.text_muted, NULL, 0);
            rm_r_add_furniture(r, "projection", (rm_box){px, fy, px + w, fy + h});
        }
        g_object_unref(l);
    }
}

/* ------------------------------------------------------------- graticule */

static double grat_step(const rm_bbox *ll)
{
    static const double steps[] = {0.5, 1, 2, 5, 10, 15, 20, 30, 45};
    double span = fmax(ll->maxx - ll->minx, ll->maxy - ll->miny);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 9)
            return steps[i];
    return 60;
}

void rm_r_draw_graticule(rm_render *r)
{
    const rm_bbox *b = &r->frame_ll;
    double step = grat_step(b);
    r->grat_step = step;
    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_new_path(cr);
    double line[2 * 181];
    for (double lon = ceil(b->minx / step) * step; lon <= b->maxx; lon += step) {
        size_t n = 0;
        for (int i = 0; i <= 180; i++) {
            double lat = b->miny + (b->maxy - b->miny) * i / 180.0;
            if (fabs(lat) > 89.5)
                continue;
            line[2 * n] = lon;
            line[2 * n + 1] = lat;
            n++;
        }
        rm_r_path_lonlat(r, line, n, 0);
    }
    for (double lat = ceil(b->miny / step) * step; lat <= b->maxy; lat += step) {
        if (fabs(lat) > 89.5)
            continue;
        for (int i = 0; i <= 180; i++) {
            line[2 * i] = b->minx + (b->maxx - b->minx) * i / 180.0;
            line[2 * i + 1] = lat;
        }
        rm_r_path_lonlat(r, line, 181, 0);
    }
    rm_r_set_color(cr, &r->th.graticule);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cairo_restore(cr);
}

static void deg_text(char *out, size_t cap, double v, int is_lon)
{
    char hemi = is_lon ? (v < 0 ? 'W' : 'E') : (v < 0 ? 'S' : 'N');
    if (v == 0 || (is_lon && fabs(v) == 180))
        hemi = ' ';
    double a = fabs(v);
    if (a == floor(a))
        snprintf(out, cap, "%.0f°%c", a, hemi);
    else
        snprintf(out, cap, "%.1f°%c", a, hemi);
    size_t n = strlen(out);
    if (n && out[n - 1] == ' ')
        out[n - 1] = '\0';
}

/* Where each meridian meets the bottom edge and each parallel the left edge
 * of the map area: a label just inside, unless furniture is there. */
static void reserve_graticule_labels(rm_render *r)
{
    if (!(r->grat_step > 0))
        return;
    const rm_bbox *b = &r->frame_ll;
    double step = r->grat_step, fsz = 10.5 * r->fs;
    double cw = fsz * 0.62, h = fsz * 1.25;
    for (int pass = 0; pass < 2; pass++) {
        for (double v = ceil((pass ? b->miny : b->minx) / step) * step;
             v <= (pass ? b->maxy : b->maxx) && r->nglab < 64; v += step) {
            if (pass && fabs(v) > 89.5)
                continue;
            /* sample the line and find its crossing of the edge */
            double pts[2 * 241];
            for (int i = 0; i <= 240; i++) {
                double t = i / 240.0;
                pts[2 * i] = pass ? b->minx + (b->maxx - b->minx) * t : v;
                pts[2 * i + 1] = pass ? v : b->miny + (b->maxy - b->miny) * t;
            }
            rm_r_to_page(r, pts, 241);
            double ex = 0, ey = 0;
            int hit = 0;
            for (int i = 0; i < 240 && !hit; i++) {
                double *p = pts + 2 * i, *q = p + 2;
                if (!isfinite(p[0]) || !isfinite(q[0]))
                    continue;
                if (!pass) {
                    double e = r->map.y1;
                    if ((p[1] - e) * (q[1] - e) <= 0 && p[1] != q[1]) {
                        double t = (e - p[1]) / (q[1] - p[1]);
                        ex = p[0] + t * (q[0] - p[0]);
                        ey = e;
                        hit = ex > r->map.x0 + 20 && ex < r->map.x1 - 20;
                    }
                } else {
                    double e = r->map.x0;
                    if ((p[0] - e) * (q[0] - e) <= 0 && p[0] != q[0]) {
                        double t = (e - p[0]) / (q[0] - p[0]);
                        ey = p[1] + t * (q[1] - p[1]);
                        ex = e;
                        hit = ey > r->map.y0 + 14 && ey < r->map.y1 - 14;
                    }
                }
            }
            if (!hit)
                continue;
            char text[16];
            deg_text(text, sizeof text, v, !pass);
            double w = cw * (double)strlen(text);
            rm_box bx = !pass ? (rm_box){ex - w / 2, ey - h - 2, ex + w / 2, ey - 2}
                              : (rm_box){ex + 3, ey - h / 2, ex + 3 + w, ey + h / 2};
            int clash = 0;
            for (size_t i = 0; i < r->nobst; i++)
                if (rm_box_overlaps(&bx, &r->obst[i]))
                    clash = 1;
            if (clash)
                continue;
            snprintf(r->glab[r->nglab].text, sizeof r->glab[0].text, "%s", text);
            r->glab[r->nglab].box = bx;
            r->nglab++;
            rm_r_add_obstacle(r, bx);
        }
    }
}

/* ---------------------------------------------------------------- legend */

static double legend_text_size(const rm_render *r)
{
    return 12.5 * r->fs;
}

static const char *trip_group(const rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++)
        if (r->marks[i].spec && r->marks[i].spec->number > 0 && r->marks[i].spec->group)
            return r->marks[i].spec->group;
    return "Trips";
}

/* Rows in drawing order: lines first, then symbols, then the trips (with a
 * heading). Returns the number of rows including the heading. */
static size_t legend_rows(const rm_render *r, const rm_legend_item **rows, size_t cap,
                          int *heading_at)
{
    static const rm_legend_kind order[] = {RM_LEG_ROUTE,    RM_LEG_GAP,  RM_LEG_FLIGHT, RM_LEG_LINE,
                                           RM_LEG_DASHED,   RM_LEG_FILL, RM_LEG_ORIGIN, RM_LEG_DEST,
                                           RM_LEG_CROSSING, RM_LEG_CITY, RM_LEG_TRIP};
    size_t n = 0;
    *heading_at = -1;
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < r->nlegend && n < cap; i++)
            if (r->legend[i].kind == order[o]) {
                if (order[o] == RM_LEG_TRIP && *heading_at < 0) {
                    *heading_at = (int)n;
                    rows[n++] = NULL;
                    if (n >= cap)
                        break;
                }
                rows[n++] = &r->legend[i];
            }
    return n;
}

static void legend_measure(rm_render *r, double *w, double *h, int *cols)
{
    const rm_legend_item *rows[256];
    int head;
    size_t n = legend_rows(r, rows, 256, &head);
    double rh = 20 * r->fs, sw = 40 * r->fs, pad = 10 * r->fs;
    double maxw = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = rows[i] ? rows[i]->text : trip_group(r);
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

/* Route points and markers inside a box: how much a corner would hide. */
static double corner_cost(const rm_render *r, const rm_box *b)
{
    double c = 0;
    for (size_t i = 0; i < r->nroute_pts; i++) {
        double x = r->route_pts[2 * i], y = r->route_pts[2 * i + 1];
        if (x >= b->x0 - 10 && x <= b->x1 + 10 && y >= b->y0 - 10 && y <= b->y1 + 10)
            c += 1;
    }
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (k->visible && k->x >= b->x0 - 40 && k->x <= b->x1 + 40 && k->y >= b->y0 - 20 &&
            k->y <= b->y1 + 20)
            c += 50;
    }
    for (size_t i = 0; i < r->nobst; i++)
        if (rm_box_overlaps(b, &r->obst[i]))
            c += 1000;
    return c;
}

static rm_box corner_box(const rm_render *r, int corner, double w, double h, double inset)
{
    double x = corner & 1 ? r->map.x1 - inset - w : r->map.x0 + inset;
    double y = corner & 2 ? r->map.y1 - inset - h : r->map.y0 + inset;
    return (rm_box){x, y, x + w, y + h};
}

/* Picks the cheapest free corner (0 TL, 1 TR, 2 BL, 3 BR) in order of
 * preference; returns -1 when every corner is taken. */
static int pick_corner(const rm_render *r, const int *pref, int npref, double w, double h,
                       const int *taken, rm_box *out)
{
    int best = -1;
    double bc = INFINITY;
    for (int i = 0; i < npref; i++) {
        int c = pref[i];
        if (taken[c])
            continue;
        rm_box b = corner_box(r, c, w, h, 10);
        double cost = corner_cost(r, &b) + i * 0.5;
        if (cost < bc) {
            bc = cost;
            best = c;
            *out = b;
        }
    }
    return best;
}

/* Puts a piece of furniture of w x h in the first free corner of pref,
 * marks the corner taken and records the box in the layout; returns 1 when
 * it found room, 0 when the piece is left out. */
static int place_furniture(rm_render *r, const int *pref, double w, double h, int *taken,
                           rm_box *box, const char *name)
{
    int c = pick_corner(r, pref, 4, w, h, taken, box);
    if (c < 0)
        return 0;
    taken[c] = 1;
    rm_r_add_furniture(r, name, *box);
    return 1;
}

/* ------------------------------------------------------------- scale bar */

typedef struct scalebar {
    double km, px, kmpp;
    double center_lat;
    double vary; /* largest relative departure of scale across the map */
} scalebar;

static int scalebar_compute(rm_render *r, scalebar *sb)
{
    double cx = (r->map.x0 + r->map.x1) / 2, cy = (r->map.y0 + r->map.y1) / 2;
    double xy[6] = {cx - 50, cy, cx + 50, cy, cx, cy};
    if (rm_r_from_page(r, xy, 3) != 0)
        return -1;
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

static void scalebar_note(const rm_render *r, const scalebar *sb, char *out, size_t cap)
{
    char lat[16];
    deg_text(lat, sizeof lat, round(sb->center_lat), 0);
    if (sb->vary >= 0.03)
        snprintf(out, cap, "true at %s; scale varies by up to %.0f%% across the map", lat,
                 100 * sb->vary);
    else
        snprintf(out, cap, "true at %s", lat);
    (void)r;
}

static void km_text(char *out, size_t cap, double km)
{
    if (km >= 1)
        snprintf(out, cap, "%.0f", km);
    else
        snprintf(out, cap, "%g", km);
}

/* -------------------------------------------------------------- reserve */

void rm_r_furniture_reserve(rm_render *r)
{
    const rm_spec *s = r->spec;
    int taken[4] = {0, 0, 0, 0};
    if (s->legend && r->nlegend > 0) {
        double w, h;
        legend_measure(r, &w, &h, &r->legend_cols);
        static const int pref[] = {2, 0, 3, 1};
        r->has_legend = place_furniture(r, pref, w, h, taken, &r->legend_box, "legend");
    }
    if (s->scale_bar) {
        scalebar sb;
        if (scalebar_compute(r, &sb) == 0) {
            char note[160];
            scalebar_note(r, &sb, note, sizeof note);
            double nw = strlen(note) * 6.0 * r->fs;
            double w = fmax(sb.px + 40 * r->fs, nw) + 16, h = 52 * r->fs;
            static const int pref[] = {3, 2, 1, 0};
            r->has_scale = place_furniture(r, pref, w, h, taken, &r->scale_box, "scale_bar");
        }
    }
    if (s->north_arrow) {
        double w = 36 * r->fs, h = 54 * r->fs;
        static const int pref[] = {1, 0, 3, 2};
        r->has_north = place_furniture(r, pref, w, h, taken, &r->north_box, "north_arrow");
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
            if (place_furniture(r, pref, w, h, taken, &r->inset_box, "inset")) {
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
        r->has_inset = place_furniture(r, pref, w, h, taken, &r->inset_box, "inset");
    }
    reserve_graticule_labels(r);
}

/* ---------------------------------------------------------------- drawing */

static void rounded_rect(cairo_t *cr, const rm_box *b, double rad)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, b->x1 - rad, b->y0 + rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, b->x1 - rad, b->y1 - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, b->x0 + rad, b->y1 - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, b->x0 + rad, b->y0 + rad, rad, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static void panel(rm_render *r, const rm_box *b)
{
    cairo_t *cr = r->cr;
    cairo_new_path(cr);
    rounded_rect(cr, b, 4);
    rm_r_set_color(cr, &r->th.legend_bg);
    cairo_fill_preserve(cr);
    rm_color fr = r->th.frame;
    fr.a = 0.5;
    rm_r_set_color(cr, &fr);
    cairo_set_line_width(cr, 0.8);
    cairo_stroke(cr);
}

static void legend_symbol(rm_render *r, const rm_legend_item *it, double x, double y, double w)
{
    cairo_t *cr = r->cr;
    double cy = y, x0 = x + 2, x1 = x + w - 8;
    rm_color rc = r->th.route;
    for (size_t i = 0; i < r->nlegend; i++)
        if (r->legend[i].kind == RM_LEG_ROUTE) {
            rc = r->legend[i].style.stroke;
            break;
        }
    cairo_save(cr);
    cairo_new_path(cr);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    switch (it->kind) {
    case RM_LEG_ROUTE:
    case RM_LEG_GAP:
        cairo_move_to(cr, x0, cy);
        cairo_line_to(cr, x1, cy);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, it->style.width + 3.2);
        cairo_stroke_preserve(cr);
        rm_r_set_color(cr, &it->style.stroke);
        if (it->kind == RM_LEG_GAP) {
            double d[2] = {it->style.width * 1.2, it->style.width};
            cairo_set_dash(cr, d, 2, 0);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
            cairo_set_line_width(cr, it->style.width * 0.8);
        } else {
            cairo_set_line_width(cr, it->style.width);
        }
        cairo_stroke(cr);
        break;
    case RM_LEG_FLIGHT:
    case RM_LEG_LINE:
    case RM_LEG_DASHED: {
        cairo_move_to(cr, x0, cy);
        cairo_line_to(cr, x1, cy);
        rm_color c = it->style.stroke;
        c.a *= it->style.opacity > 0 ? it->style.opacity : 1;
        rm_r_set_color(cr, &c);
        cairo_set_line_width(cr, fmax(it->style.width, 0.8));
        if (it->style.ndash > 0) {
            cairo_set_dash(cr, it->style.dash, it->style.ndash, 0);
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        }
        cairo_stroke(cr);
        break;
    }
    case RM_LEG_FILL: {
        cairo_rectangle(cr, x0, cy - 6, x1 - x0, 12);
        rm_r_set_color(cr, &it->style.fill);
        cairo_fill_preserve(cr);
        rm_color c = it->style.stroke.a > 0 ? it->style.stroke : r->th.frame;
        rm_r_set_color(cr, &c);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        break;
    }
    case RM_LEG_ORIGIN:
        cairo_arc(cr, (x0 + x1) / 2, cy, 6, 0, 2 * M_PI);
        rm_r_set_color(cr, &r->th.marker_fill);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &rc);
        cairo_set_line_width(cr, 3);
        cairo_stroke(cr);
        break;
    case RM_LEG_DEST:
        cairo_arc(cr, (x0 + x1) / 2, cy, 7, 0, 2 * M_PI);
        rm_r_set_color(cr, &rc);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, 2);
        cairo_stroke(cr);
        break;
    case RM_LEG_CROSSING: {
        double mx = (x0 + x1) / 2, rad = 6.5;
        cairo_move_to(cr, mx, cy - rad);
        cairo_line_to(cr, mx + rad, cy);
        cairo_line_to(cr, mx, cy + rad);
        cairo_line_to(cr, mx - rad, cy);
        cairo_close_path(cr);
        rm_r_set_color(cr, &r->th.crossing);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
        break;
    }
    case RM_LEG_CITY:
        cairo_arc(cr, (x0 + x1) / 2, cy, 3.5, 0, 2 * M_PI);
        rm_r_set_color(cr, &r->th.marker_fill);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.marker_stroke);
        cairo_set_line_width(cr, 1.4);
        cairo_stroke(cr);
        break;
    case RM_LEG_TRIP: {
        PangoLayout *l = rm_r_layout(r, it->number, 11.5 * r->fs, 1);
        if (l) {
            double tw, th;
            rm_r_layout_size(l, &tw, &th);
            double h = 17 * r->fs, pw = fmax(h, tw + 8), mx = (x0 + x1) / 2;
            rm_box b = {mx - pw / 2, cy - h / 2, mx + pw / 2, cy + h / 2};
            cairo_new_path(cr);
            rounded_rect(cr, &b, h / 2 - 0.01);
            rm_r_set_color(cr, &r->th.trip_fill);
            cairo_fill(cr);
            rm_r_draw_text(r, l, mx - tw / 2, cy - th / 2, &r->th.marker_text, NULL, 0);
            g_object_unref(l);
        }
        break;
    }
    }
    cairo_restore(cr);
}

static void draw_legend(rm_render *r)
{
    const rm_legend_item *rows[256];
    int head;
    size_t n = legend_rows(r, rows, 256, &head);
    panel(r, &r->legend_box);
    double rh = 20 * r->fs, sw = 40 * r->fs, pad = 10 * r->fs;
    int cols = r->legend_cols > 0 ? r->legend_cols : 1;
    size_t per = (n + (size_t)cols - 1) / (size_t)cols;
    double colw = (r->legend_box.x1 - r->legend_box.x0 - 2 * pad - (cols - 1) * 14 * r->fs) / cols;
    for (size_t i = 0; i < n; i++) {
        size_t col = i / per, row = i % per;
        double x = r->legend_box.x0 + pad + (double)col * (colw + 14 * r->fs);
        double cy = r->legend_box.y0 + pad + ((double)row + 0.5) * rh;
        const char *t = rows[i] ? rows[i]->text : trip_group(r);
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
}

static void draw_scalebar(rm_render *r)
{
    scalebar sb;
    if (scalebar_compute(r, &sb) != 0)
        return;
    cairo_t *cr = r->cr;
    const rm_box *b = &r->scale_box;
    panel(r, b);
    double x0 = b->x0 + 10, y = b->y0 + 22 * r->fs, bh = 6;
    int seg = 4;
    cairo_save(cr);
    for (int i = 0; i < seg; i++) {
        cairo_rectangle(cr, x0 + sb.px * i / seg, y, sb.px / seg, bh);
        rm_r_set_color(cr, i % 2 ? &r->th.paper : &r->th.text);
        cairo_fill(cr);
    }
    cairo_rectangle(cr, x0, y, sb.px, bh);
    rm_r_set_color(cr, &r->th.text);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    cairo_restore(cr);
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
    scalebar_note(r, &sb, note, sizeof note);
    PangoLayout *l = rm_r_layout(r, note, 10.5 * r->fs, 0);
    if (l) {
        rm_r_draw_text(r, l, x0 - 2, y + bh + 4, &r->th.text_muted, NULL, 0);
        g_object_unref(l);
    }
}

static void draw_north(rm_render *r)
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

/* The locator inset: a wider view around the map, with the map's frame. */
static void draw_inset(rm_render *r)
{
    const rm_box ib = r->inset_box;
    double cx = (r->frame_ll.minx + r->frame_ll.maxx) / 2;
    double cy = (r->frame_ll.miny + r->frame_ll.maxy) / 2;
    /* three times the map's span (at least ~30 by 20 degrees) */
    double sx = fmax(r->frame_ll.maxx - r->frame_ll.minx, 10) * 1.5;
    double sy = fmax(r->frame_ll.maxy - r->frame_ll.miny, 7) * 1.5;
    rm_bbox wide = {fmax(cx - sx, -180), fmax(cy - sy, -80), fmin(cx + sx, 180), fmin(cy + sy, 84)};
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
        cairo_t *cr = r->cr;
        cairo_save(cr);
        cairo_rectangle(cr, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        cairo_clip(cr);
        rm_r_set_color(cr, &r->th.sea);
        cairo_paint(cr);
        char path[4200];
        rm_load_options lo = {&r->frame_ll, 1, 0, 0, 1, 0, NULL};
        rm_layer *land =
            rm_r_land_file(r, path, sizeof path) == 0 ? rm_layer_load(path, &lo, &e) : NULL;
        if (land) {
            cairo_new_path(cr);
            for (size_t i = 0; i < rm_layer_count(land); i++) {
                const rm_feature *f = rm_layer_feature(land, i);
                for (int p = 0; p < f->nparts; p++)
                    rm_r_path_lonlat(r, f->xy + 2 * f->part_start[p],
                                     (size_t)(f->part_start[p + 1] - f->part_start[p]), 1);
            }
            rm_r_set_color(cr, &r->th.land);
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
            cairo_fill(cr);
            rm_layer_free(land);
        }
        cairo_new_path(cr);
        rm_r_path_lonlat(r, outline, 128, 1);
        rm_r_set_color(cr, &r->th.route);
        cairo_set_line_width(cr, 1.8);
        cairo_stroke(cr);
        cairo_restore(cr);
        cairo_save(cr);
        cairo_rectangle(cr, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_r_set_color(cr, &r->th.frame);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    view_restore(r, &sv);
    rm_proj_free(ip);
}

/* The detail inset: the route's area at a larger scale, with the base
 * layers, the route and its named ends; its outline on the main map. */
static void draw_detail_inset(rm_render *r)
{
    const rm_box ib = r->inset_box;
    rm_error e;
    rm_proj *ip = rm_proj_new("auto", &r->detail_ll, &e);
    if (!ip)
        return;
    saved_view sv = view_save(r);
    const rm_box sm = sv.map;
    r->proj = ip;
    /* no cairo clip (the SVG path writer's placeholders must stay
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
        cairo_t *cr = r->cr;
        cairo_save(cr);
        cairo_rectangle(cr, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_r_set_color(cr, &r->th.sea);
        cairo_fill(cr);
        rm_r_draw_layers(r, &e);
        rm_box names[16];
        size_t nnames = 0;
        rm_r_draw_route_detail(r, names, &nnames, 16);
        cairo_restore(cr);
        /* the inset's outline in lon/lat, for the main map */
        box_outline(ib, outline);
        have_outline = rm_r_from_page(r, outline, 128) == 0;
        cairo_save(cr);
        cairo_rectangle(cr, ib.x0, ib.y0, ib.x1 - ib.x0, ib.y1 - ib.y0);
        rm_r_set_color(cr, &r->th.frame);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
        cairo_restore(cr);
        PangoLayout *l = rm_r_layout(r, "Route detail", 11.5 * r->fs, 1);
        if (l) {
            rm_r_draw_text(r, l, ib.x0 + 6, ib.y0 + 4, &r->th.text_muted, &r->th.halo, 3);
            g_object_unref(l);
        }
    }
    view_restore(r, &sv);
    r->in_inset = 0;
    rm_proj_free(ip);
    if (have_outline) {
        cairo_t *cr = r->cr;
        cairo_save(cr);
        cairo_rectangle(cr, sm.x0, sm.y0, sm.x1 - sm.x0, sm.y1 - sm.y0);
        cairo_clip(cr);
        cairo_new_path(cr);
        rm_r_path_lonlat(r, outline, 128, 1);
        rm_r_set_color(cr, &r->th.frame);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
}

void rm_r_draw_furniture(rm_render *r)
{
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
    if (r->has_inset && r->inset_detail)
        draw_detail_inset(r);
    else if (r->has_inset)
        draw_inset(r);
    if (r->has_legend)
        draw_legend(r);
    if (r->has_scale)
        draw_scalebar(r);
    if (r->has_north)
        draw_north(r);
}
