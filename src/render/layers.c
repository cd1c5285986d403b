/* routemap — base layers: each layer's file read inside the frame, styled by
 * its role (land, countries, lakes, borders, coast, rail), drawn, and the
 * country names offered to the labels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render_priv.h"
#include "warn.h"

static rm_layer_role layer_role(const char *id, const char *file)
{
    const char *s = id && *id ? id : file;
    if (!s)
        return ROLE_OTHER;
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    if (strstr(base, "countr"))
        return ROLE_COUNTRIES;
    if (strstr(base, "border") || strstr(base, "boundar"))
        return ROLE_BORDERS;
    if (strstr(base, "coast"))
        return ROLE_COAST;
    if (strstr(base, "rail"))
        return ROLE_RAIL;
    if (strstr(base, "lake"))
        return ROLE_LAKES;
    if (strstr(base, "land"))
        return ROLE_LAND;
    return ROLE_OTHER;
}

/* The theme's style for a role, with the fields the spec gave laid over it. */
static rm_style layer_style(const rm_render *r, rm_layer_role ro, rm_geom_type gt,
                            const rm_style *given)
{
    const rm_theme *t = &r->th;
    rm_style s;
    memset(&s, 0, sizeof s);
    s.opacity = 1;
    switch (ro) {
    case ROLE_LAND:
        s.fill = t->land;
        break;
    case ROLE_COUNTRIES:
        s.fill = t->country[0];
        break;
    case ROLE_LAKES:
        s.fill = t->lake;
        s.stroke = t->coast;
        s.width = t->coast_w * 0.8;
        break;
    case ROLE_BORDERS:
        s.stroke = t->border;
        s.width = t->border_w;
        s.dash[0] = 4;
        s.dash[1] = 2.5;
        s.ndash = 2;
        break;
    case ROLE_COAST:
        s.stroke = t->coast;
        s.width = t->coast_w;
        break;
    case ROLE_RAIL:
        s.stroke = t->rail;
        s.width = t->rail_w;
        break;
    default:
        if (gt == RM_GEOM_POLYGON) {
            s.fill = t->country[1];
            s.stroke = t->border;
            s.width = 0.5;
        } else {
            s.stroke = t->text_muted;
            s.width = 0.8;
        }
        break;
    }
    if (given) {
        if (given->set & RM_STYLE_STROKE)
            s.stroke = rm_r_themed(r, given->stroke);
        if (given->set & RM_STYLE_FILL)
            s.fill = rm_r_themed_as(r, given->fill, 1);
        if (given->set & RM_STYLE_WIDTH)
            s.width = given->width;
        if (given->set & RM_STYLE_DASH) {
            s.ndash = given->ndash;
            memcpy(s.dash, given->dash, sizeof s.dash);
        }
        if (given->set & RM_STYLE_OPACITY)
            s.opacity = given->opacity;
    }
    return s;
}

static void country_label(rm_render *r, const rm_feature *f, const char *name);

rm_cv_line rm_r_style_line(const rm_style *s, rm_cv_cap cap, rm_cv_join join)
{
    rm_cv_line l = {s->stroke, s->width, s->ndash > 0 ? s->dash : NULL, s->ndash, 0, cap, join};
    l.color.a *= s->opacity;
    return l;
}

static int feature_kept(const rm_layer_spec *ls, const rm_feature *f, int field)
{
    if (!ls || !ls->filter_field || field < 0)
        return 1;
    const char *v = rm_feature_attr(f, field);
    for (size_t i = 0; i < ls->nfilter_values; i++)
        if (!strcmp(v, ls->filter_values[i]))
            return 1;
    return 0;
}

/* The land for a locator inset: the file of the spec's first land layer
 * (by the roles above: an id or file naming land, not a border, coast,
 * country or lake layer), else land.shp, resolved against the data
 * directory. 0, or -1 when the path does not fit in out. */
int rm_r_land_file(const rm_render *r, char *out, size_t cap)
{
    const char *file = "land.shp";
    for (size_t i = 0; r->spec && i < r->spec->nlayers; i++) {
        const rm_layer_spec *ls = &r->spec->layers[i];
        if (ls->file && (ls->kind == RM_LAYER_AUTO || ls->kind == RM_LAYER_FILL) &&
            layer_role(ls->id, ls->file) == ROLE_LAND) {
            file = ls->file;
            break;
        }
    }
    return rm_r_join_path(out, cap, r->data_dir, file);
}

/* Draws a layer's kept features: polygons filled (countries in four tints
 * when the layer has MAPCOLOR7), points as dots, lines stroked. */
/* Is lon on the 180th meridian (either side, or shifted past it)? */
static int on_seam(double lon)
{
    return fabs(fabs(lon) - 180) < 1e-7 || fabs(lon - 540) < 1e-7;
}

/* A ring's outline as open runs, without its edges along the 180th
 * meridian (where the data cut the polygon). */
static void stroke_without_seam(rm_render *r, const double *xy, size_t n)
{
    if (n < 2)
        return;
    /* start the walk just after a seam edge, so that no run wraps */
    size_t start = 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = (k + 1) % n;
        if (on_seam(xy[2 * k]) && on_seam(xy[2 * j])) {
            start = j;
            break;
        }
    }
    size_t run = 0; /* points in the current run */
    double *buf = malloc(2 * (n + 1) * sizeof *buf);
    if (!buf) {
        r->oom = 1;
        return;
    }
    for (size_t q = 0; q <= n; q++) {
        size_t k = (start + q) % n;
        int cut = q > 0 && on_seam(xy[2 * k]) && on_seam(buf[2 * (run - 1)]);
        if (cut || q == n) {
            if (q == n && !cut) {
                buf[2 * run] = xy[2 * k], buf[2 * run + 1] = xy[2 * k + 1];
                run++;
            }
            if (run >= 2)
                rm_r_path_lonlat(r, buf, run, 0);
            run = 0;
        }
        if (q < n) {
            buf[2 * run] = xy[2 * k], buf[2 * run + 1] = xy[2 * k + 1];
            run++;
        }
    }
    free(buf);
}

static void paint_layer(rm_render *r, const rm_layer_spec *ls, const rm_layer *layer,
                        rm_layer_kind kind, rm_geom_type gt, rm_style st, int ffield,
                        int tint_field)
{
    rm_canvas *cv = r->cv;
    size_t n = rm_layer_count(layer);
    rm_cv_line line = rm_r_style_line(&st, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND);
    if (kind == RM_LAYER_FILL && gt == RM_GEOM_POLYGON) {
        int ntint = tint_field >= 0 ? 4 : 1;
        for (int tint = 0; tint < ntint; tint++) {
            rm_cv_new_path(cv);
            for (size_t i = 0; i < n; i++) {
                const rm_feature *f = rm_layer_feature(layer, i);
                if (!feature_kept(ls, f, ffield))
                    continue;
                if (tint_field >= 0 && atoi(rm_feature_attr(f, tint_field)) % 4 != tint)
                    continue;
                for (int p = 0; p < f->nparts; p++) {
                    int a = f->part_start[p], b = f->part_start[p + 1];
                    rm_r_path_lonlat(r, f->xy + 2 * a, (size_t)(b - a), 1);
                }
            }
            rm_color fill = tint_field >= 0 ? r->th.country[tint] : st.fill;
            fill.a *= st.opacity;
            int stroked = st.stroke.a > 0 && st.width > 0;
            /* across the antimeridian, the data's polygons are cut at 180:
             * their outlines are stroked without that cut (no false border
             * down the 180th meridian) */
            int seam = stroked && r->frame_ll.maxx > 180;
            if (fill.a > 0)
                rm_cv_fill(cv, &fill, stroked && !seam);
            if (seam) {
                rm_cv_new_path(cv);
                for (size_t i = 0; i < n; i++) {
                    const rm_feature *f = rm_layer_feature(layer, i);
                    if (!feature_kept(ls, f, ffield))
                        continue;
                    if (tint_field >= 0 && atoi(rm_feature_attr(f, tint_field)) % 4 != tint)
                        continue;
                    for (int p = 0; p < f->nparts; p++)
                        stroke_without_seam(r, f->xy + 2 * f->part_start[p],
                                            (size_t)(f->part_start[p + 1] - f->part_start[p]));
                }
            }
            if (stroked)
                rm_cv_stroke(cv, &line, 0);
            rm_cv_new_path(cv);
        }
    } else if (kind == RM_LAYER_POINT || gt == RM_GEOM_POINT) {
        rm_color fill = st.fill.a > 0 ? st.fill : r->th.marker_fill;
        for (size_t i = 0; i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (!feature_kept(ls, f, ffield))
                continue;
            for (int k = 0; k < f->npoints; k++) {
                double xy[2] = {f->xy[2 * k], f->xy[2 * k + 1]};
                if (!rm_bbox_contains_point(&r->frame_ll, xy[0], xy[1]))
                    continue;
                rm_r_to_page(r, xy, 1);
                if (!isfinite(xy[0]) || xy[0] < r->map.x0 || xy[0] > r->map.x1 ||
                    xy[1] < r->map.y0 || xy[1] > r->map.y1)
                    continue;
                rm_cv_new_sub_path(cv);
                rm_cv_arc(cv, xy[0], xy[1], 2.5, 0, 2 * M_PI);
            }
        }
        rm_cv_fill(cv, &fill, 1);
        rm_cv_stroke(cv, &line, 0);
    } else {
        rm_cv_new_path(cv);
        for (size_t i = 0; i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (!feature_kept(ls, f, ffield))
                continue;
            for (int p = 0; p < f->nparts; p++) {
                int a = f->part_start[p], b = f->part_start[p + 1];
                rm_r_path_lonlat(r, f->xy + 2 * a, (size_t)(b - a), gt == RM_GEOM_POLYGON);
            }
        }
        if (st.width > 0 && st.stroke.a > 0)
            rm_cv_stroke(cv, &line, 0);
        rm_cv_new_path(cv);
    }
}

/* Draws one layer: file resolved against the data directory, features in the
 * frame's lon/lat box only. ls is NULL for a built-in default layer. */
static rm_status draw_layer(rm_render *r, const rm_layer_spec *ls, const char *id, const char *file,
                            int optional, rm_error *err)
{
    char path[4200];
    rm_r_join_path(path, sizeof path, r->data_dir, file);
    if (optional && !rm_r_file_exists(path)) {
        if (r->verbose)
            fprintf(r->verbose, "routemap: layer '%s' skipped: %s not found\n", id, path);
        return RM_OK;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rm_layer_role ro = layer_role(id, file);
    int want_attrs = (ls && ls->filter_field) || ro == ROLE_COUNTRIES;
    rm_load_options lo = {&r->frame_ll, !want_attrs, 0, 0, 1, 0, ls ? ls->crs : NULL};
    rm_layer *layer = rm_layer_load(path, &lo, err);
    if (!layer) {
        rm_error_prefix(err, "layer '%s'", id);
        return err ? err->status : RM_ERR_IO;
    }
    if (rm_layer_warning(layer))
        rm_warn("layer '%s': %s", id, rm_layer_warning(layer));
    /* its credit: the spec's, else the shipped data's */
    if (ls && ls->attribution)
        rm_r_credit_user(r, ls->attribution);
    else if (rm_layer_count(layer) > 0 && rm_r_is_shipped(path)) {
        if (ro == ROLE_RAIL)
            r->credit_rail = 1;
        else
            r->credit_ne = 1;
    }
    rm_geom_type gt = rm_layer_geom_type(layer);
    rm_layer_kind kind = ls ? ls->kind : RM_LAYER_AUTO;
    if (kind == RM_LAYER_AUTO)
        kind = gt == RM_GEOM_POLYGON ? RM_LAYER_FILL
               : gt == RM_GEOM_POINT ? RM_LAYER_POINT
                                     : RM_LAYER_LINE;
    rm_style st = layer_style(r, ro, gt, ls ? &ls->style : NULL);
    int ffield = ls && ls->filter_field ? rm_layer_field_index(layer, ls->filter_field) : -1;
    if (ls && ls->filter_field && ffield < 0) {
        rm_status s = rm_error_set(err, RM_ERR_NOT_FOUND, "layer '%s': %s has no field '%s'", id,
                                   path, ls->filter_field);
        rm_layer_free(layer);
        return s;
    }
    int tint_field = -1;
    if (ro == ROLE_COUNTRIES && !(ls && (ls->style.set & RM_STYLE_FILL))) {
        tint_field = rm_layer_field_index(layer, "MAPCOLOR7");
        if (tint_field < 0)
            tint_field = rm_layer_field_index(layer, "mapcolor7");
    }
    size_t n = rm_layer_count(layer);
    rm_cv_begin_group(r->cv, RM_CV_LAYER, id);
    paint_layer(r, ls, layer, kind, gt, st, ffield, tint_field);
    rm_cv_end_group(r->cv);
    if (ro == ROLE_RAIL)
        r->rail_drawn = 1;
    if (ro == ROLE_COUNTRIES && !r->in_inset) {
        int nf = rm_layer_field_index(layer, "NAME");
        if (nf < 0)
            nf = rm_layer_field_index(layer, "ADMIN");
        for (size_t i = 0; nf >= 0 && i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (feature_kept(ls, f, ffield))
                country_label(r, f, rm_feature_attr(f, nf));
        }
    }
    /* legend rows for layers that carry meaning */
    const char *legend = ls ? ls->legend : NULL;
    if (!legend && ro == ROLE_RAIL)
        legend = "Railway";
    if (!legend && ro == ROLE_BORDERS)
        legend = "International border";
    if (legend && *legend && !r->in_inset)
        rm_r_legend_add(r,
                        kind == RM_LAYER_FILL ? RM_LEG_FILL
                        : st.ndash            ? RM_LEG_DASHED
                                              : RM_LEG_LINE,
                        legend, &st, NULL);
    if (r->verbose && !r->in_inset) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(r->verbose, "routemap: layer '%s': %zu features, %zu vertices read, %.3f s%s\n", id,
                n, rm_layer_vertex_count(layer),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                rm_layer_used_index(layer) ? " (record index)" : "");
    }
    rm_layer_free(layer);
    if (r->oom)
        return rm_error_set(err, RM_ERR_NOMEM, "layer '%s': out of memory", id);
    return RM_OK;
}

/* Where to write a country's name: on its largest ring as it appears on the
 * page (clipped to the map area), at the centroid when that lies inside,
 * else in the middle of the widest stretch of the ring along the
 * centroid's row. Small countries get no name. */
static void country_label(rm_render *r, const rm_feature *f, const char *name)
{
    if (!name || !*name)
        return;
    int best = -1;
    double best_a = 0;
    for (int p = 0; p < f->nparts; p++) {
        const double *xy = f->xy + 2 * f->part_start[p];
        int n = f->part_start[p + 1] - f->part_start[p];
        double a = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        a = fabs(a / 2) * cos(xy[1] * M_PI / 180);
        if (a > best_a) {
            best_a = a;
            best = p;
        }
    }
    if (best < 0)
        return;
    size_t n = (size_t)(f->part_start[best + 1] - f->part_start[best]);
    rm_path lonlat, page;
    rm_path_init(&lonlat);
    rm_path_init(&page);
    if (rm_clip_ring(f->xy + 2 * f->part_start[best], n, &r->frame_ll, &lonlat) != 0 ||
        lonlat.nparts == 0)
        goto out;
    rm_r_to_page(r, lonlat.xy, lonlat.n);
    size_t k = 0;
    for (size_t i = 0; i < lonlat.n; i++)
        if (isfinite(lonlat.xy[2 * i])) {
            lonlat.xy[2 * k] = lonlat.xy[2 * i];
            lonlat.xy[2 * k + 1] = lonlat.xy[2 * i + 1];
            k++;
        }
    rm_bbox area = {r->map.x0 + 4, r->map.y0 + 4, r->map.x1 - 4, r->map.y1 - 4};
    if (k < 3 || rm_clip_ring(lonlat.xy, k, &area, &page) != 0 || page.nparts == 0 || page.n < 3)
        goto out;
    const double *q = page.xy;
    size_t m = page.n;
    double A = 0, cx = 0, cy = 0, minx = INFINITY, maxx = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        size_t j = (i + 1) % m;
        double c = q[2 * i] * q[2 * j + 1] - q[2 * j] * q[2 * i + 1];
        A += c;
        cx += (q[2 * i] + q[2 * j]) * c;
        cy += (q[2 * i + 1] + q[2 * j + 1]) * c;
        minx = fmin(minx, q[2 * i]);
        maxx = fmax(maxx, q[2 * i]);
    }
    if (fabs(A) < 1e-9)
        goto out;
    cx /= 3 * A;
    cy /= 3 * A;
    A = fabs(A) / 2;
    if (A < 5000)
        goto out;
    /* crossings of the centroid's row with the ring, sorted */
    double xs[256];
    int nx = 0;
    for (size_t i = 0; i < m && nx < 256; i++) {
        size_t j = (i + 1) % m;
        double y0 = q[2 * i + 1], y1 = q[2 * j + 1];
        if ((y0 <= cy && y1 > cy) || (y1 <= cy && y0 > cy))
            xs[nx++] = q[2 * i] + (cy - y0) / (y1 - y0) * (q[2 * j] - q[2 * i]);
    }
    for (int i = 1; i < nx; i++)
        for (int j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
            double t = xs[j];
            xs[j] = xs[j - 1];
            xs[j - 1] = t;
        }
    int inside = 0;
    double wbest = 0, lx = cx, maxw = maxx - minx;
    for (int i = 0; i + 1 < nx; i += 2) {
        if (cx >= xs[i] && cx <= xs[i + 1])
            inside = 1;
        if (xs[i + 1] - xs[i] > wbest) {
            wbest = xs[i + 1] - xs[i];
            lx = (xs[i] + xs[i + 1]) / 2;
        }
    }
    if (!inside) {
        cx = lx;
        maxw = wbest;
    }
    double size = (A > 40000 ? 12.5 : 11) * r->fs;
    if (rm_r_label_add_area(r, name, cx, cy, maxw * 0.9, 1, size) != 0)
        r->oom = 1;
out:
    rm_path_free(&lonlat);
    rm_path_free(&page);
}

static const struct {
    const char *id, *file;
} default_layers[] = {
    {"land", "land.shp"},       {"countries", "countries.shp"}, {"lakes", "lakes.shp"},
    {"borders", "borders.shp"}, {"coastline", "coastline.shp"}, {"rail", "rail.shp"},
};

/* Draws every layer of the spec (or the built-in base layers) with the
 * current projection, frame and map area. */
rm_status rm_r_draw_layers(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    rm_status st = RM_OK;
    if (spec->nlayers > 0) {
        for (size_t i = 0; i < spec->nlayers && st == RM_OK; i++) {
            const rm_layer_spec *ls = &spec->layers[i];
            if (!ls->file)
                return rm_error_set(err, RM_ERR_SPEC, "layer %zu: no file", i + 1);
            st = draw_layer(r, ls, ls->id ? ls->id : ls->file, ls->file, 0, err);
        }
    } else {
        for (size_t i = 0; i < sizeof default_layers / sizeof default_layers[0] && st == RM_OK; i++)
            st = draw_layer(r, NULL, default_layers[i].id, default_layers[i].file, 1, err);
    }
    return st;
}
