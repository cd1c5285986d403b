/* routemap — projection: one PROJ context per map, lon/lat -> map CRS, the
 * automatic choice of a projection for the content, and the affine that fits
 * the content onto the page.
 *
 * Every rm_proj owns its PJ_CONTEXT, so that maps rendered in separate
 * threads never share PROJ state. PROJ's own logging is silenced: the library
 * never prints; failures come back as RM_ERR_PROJ with PROJ's text. */
#include "routemap/project.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "projmsg.h"

struct rm_proj {
    PJ_CONTEXT *ctx;
    PJ *pj;         /* EPSG:4326 -> map CRS, normalised to lon,lat order */
    int bare;       /* pj is a bare projection of WGS 84 lon/lat in radians (see bare_wgs84) */
    char *def;      /* the definition used (PROJ string when PROJ can give one) */
    rm_projmsg msg; /* PROJ's last logged error (it never reaches stderr) */
};

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Chooses a conformal projection for a lon/lat box and writes its PROJ
 * string: polar stereographic when the box reaches far towards a pole,
 * Mercator when it straddles or hugs the equator, else a Lambert conformal
 * conic with standard parallels at 1/6 and 5/6 of the box's latitude span
 * (the classic rule that spreads the scale error evenly). */
static void choose_auto(const rm_bbox *b, char *out, size_t cap)
{
    double minlat = b->miny, maxlat = b->maxy;
    /* the centre of the box's longitudes; a box across the antimeridian
     * comes with maxx > 180 (geom.h), so its centre is the circular mean of
     * its ends, e.g. 184 = -176 for Kamchatka to Alaska, not 4 */
    double lon0 = (b->minx + b->maxx) / 2;
    lon0 = fmod(lon0, 360.0);
    if (lon0 >= 180)
        lon0 -= 360;
    else if (lon0 < -180)
        lon0 += 360;
    double span = maxlat - minlat;
    if (minlat >= 45 && maxlat >= 75) {
        snprintf(out, cap, "+proj=stere +lat_0=90 +lat_ts=%.4g +lon_0=%.10g +datum=WGS84 +units=m",
                 minlat + span / 2 > 80 ? 90.0 : 71.0, lon0);
        return;
    }
    if (maxlat <= -45 && minlat <= -75) {
        snprintf(out, cap, "+proj=stere +lat_0=-90 +lat_ts=%.4g +lon_0=%.10g +datum=WGS84 +units=m",
                 maxlat - span / 2 < -80 ? -90.0 : -71.0, lon0);
        return;
    }
    double lat1 = minlat + span / 6, lat2 = minlat + 5 * span / 6;
    int straddles = minlat < 0 && maxlat > 0;
    if ((straddles && span <= 40) || fabs(lat1 + lat2) < 2 ||
        (fabs(minlat) < 15 && fabs(maxlat) < 15)) {
        snprintf(out, cap, "+proj=merc +lon_0=%.10g +datum=WGS84 +units=m", lon0);
        return;
    }
    snprintf(out, cap,
             "+proj=lcc +lat_1=%.8g +lat_2=%.8g +lat_0=%.10g +lon_0=%.10g +datum=WGS84 +units=m",
             lat1, lat2, (minlat + maxlat) / 2, lon0);
}

static rm_status proj_fail(rm_proj *p, rm_error *err, const char *what, const char *crs)
{
    const char *text = rm_projmsg_text(p->ctx, &p->msg, "not a usable CRS");
    rm_error_set(err, RM_ERR_PROJ, "projection '%s': %s: %s", crs, what, text);
    return RM_ERR_PROJ;
}

/* A "+proj=..." string on the WGS 84 ellipsoid without datum shifts, axis
 * or unit changes projects WGS 84 lon/lat as they stand, so PROJ can run it
 * as a bare operation: no database lookup (PROJ's SQLite catalogue costs
 * ~15 ms a map) and no pipeline of unit and axis steps around each point. */
static int bare_wgs84(const char *def)
{
    static const char *const unsafe[] = {"+towgs84",      "+nadgrids",     "+geoidgrids",
                                         "+axis",         "+pm=",          "+init",
                                         "+to_meter",     "+vunits",       "+proj=pipeline",
                                         "+proj=longlat", "+proj=latlong", "+proj=lonlat",
                                         "+proj=latlon",  "+proj=geocent", "+proj=cart"};
    if (def[0] != '+' || strncmp(def, "+proj=", 6) != 0)
        return 0;
    if (!strstr(def, "+datum=WGS84") && !strstr(def, "+ellps=WGS84"))
        return 0;
    if (strstr(def, "+datum=") && !strstr(def, "+datum=WGS84"))
        return 0;
    if (strstr(def, "+ellps=") && !strstr(def, "+ellps=WGS84"))
        return 0;
    const char *u = strstr(def, "+units=");
    if (u && strncmp(u, "+units=m", 8) != 0)
        return 0;
    if (u && u[8] && u[8] != ' ')
        return 0;
    for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (strstr(def, unsafe[i]))
            return 0;
    return 1;
}

/* proj_create() of a "+proj=" operation opens PROJ's SQLite database
 * (pj_obj_create asks for it to format the operation back as a PROJ string),
 * although a bare projection on WGS 84 needs nothing from it: opening it
 * costs ~14 ms of CPU, as much as the rest of a small map. While the object
 * is made, the context's search path names a directory that does not exist,
 * so PROJ finds no proj.db, goes on without it and gives the same operation;
 * then the default search path is restored, so that anything later that
 * needs the database still finds it. proj.ini is read first (asking whether
 * networking is on loads it), so its settings (e.g. tmerc_default_algo)
 * still apply. */
static PJ *create_without_db(PJ_CONTEXT *ctx, const char *def)
{
    static const char *const nowhere[] = {"/nonexistent/routemap: no proj.db"};
    (void)proj_context_is_network_enabled(ctx);
    proj_context_set_search_paths(ctx, 1, nowhere);
    PJ *pj = proj_create(ctx, def);
    proj_context_set_search_paths(ctx, 0, NULL);
    if (pj)
        proj_errno_reset(pj);
    return pj;
}

rm_proj *rm_proj_new(const char *crs, const rm_bbox *content, rm_error *err)
{
    char autodef[256];
    const char *def = crs;
    if (!crs || !*crs || !strcmp(crs, "auto")) {
        if (!content || rm_bbox_is_empty(content) || !isfinite(content->minx) ||
            !isfinite(content->maxy)) {
            rm_error_set(err, RM_ERR_USAGE, "projection 'auto' needs a content box");
            return NULL;
        }
        choose_auto(content, autodef, sizeof autodef);
        def = autodef;
    }
    rm_proj *p = calloc(1, sizeof *p);
    if (!p) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    p->ctx = proj_context_create();
    if (!p->ctx) {
        free(p);
        rm_error_set(err, RM_ERR_NOMEM, "out of memory (PROJ context)");
        return NULL;
    }
    rm_projmsg_attach(p->ctx, &p->msg);

    /* A bare "+proj=..." string names an operation, not a CRS: say it is one. */
    char *target = NULL;
    if (def[0] == '+' && !strstr(def, "type=crs")) {
        size_t n = strlen(def) + 16;
        target = malloc(n);
        if (target)
            snprintf(target, n, "%s +type=crs", def);
    } else {
        target = dup_str(def);
    }
    if (!target) {
        rm_proj_free(p);
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (bare_wgs84(def)) {
        /* the same string without "+type=crs" is the projection itself; the
         * definition reported is the string given (PROJ's normalised form
         * would need its database) */
        char *op_def = dup_str(def);
        char *tc = op_def ? strstr(op_def, "+type=crs") : NULL;
        if (tc)
            memset(tc, ' ', 9);
        PJ *bare = op_def ? create_without_db(p->ctx, op_def) : NULL;
        free(op_def);
        if (bare && proj_angular_input(bare, PJ_FWD) && !proj_angular_output(bare, PJ_FWD)) {
            p->pj = bare;
            p->bare = 1;
            p->def = target;
            return p;
        }
        proj_destroy(bare); /* not what it seemed: the general way below */
        rm_projmsg_clear(&p->msg);
    }
    PJ *dst = proj_create(p->ctx, target);
    if (!dst) {
        proj_fail(p, err, "cannot parse", def);
        free(target);
        rm_proj_free(p);
        return NULL;
    }
    PJ_TYPE t = proj_get_type(dst);
    int is_crs = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
                 t == PJ_TYPE_PROJECTED_CRS || t == PJ_TYPE_COMPOUND_CRS ||
                 t == PJ_TYPE_BOUND_CRS || t == PJ_TYPE_OTHER_CRS;
    if (!is_crs) {
        proj_destroy(dst);
        free(target);
        rm_error_set(err, RM_ERR_PROJ, "projection '%s': not a coordinate reference system", def);
        rm_proj_free(p);
        return NULL;
    }
    const char *ps = proj_as_proj_string(p->ctx, dst, PJ_PROJ_5, NULL);
    p->def = dup_str(ps ? ps : def);
    PJ *src = proj_create(p->ctx, "EPSG:4326");
    PJ *op = src ? proj_create_crs_to_crs_from_pj(p->ctx, src, dst, NULL, NULL) : NULL;
    proj_destroy(src);
    proj_destroy(dst);
    free(target);
    if (!op || !p->def) {
        if (!p->def)
            rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        else
            proj_fail(p, err, "no transformation from WGS 84", def);
        proj_destroy(op);
        rm_proj_free(p);
        return NULL;
    }
    p->pj = proj_normalize_for_visualization(p->ctx, op);
    proj_destroy(op);
    if (!p->pj) {
        proj_fail(p, err, "cannot normalise axis order", def);
        rm_proj_free(p);
        return NULL;
    }
    return p;
}

void rm_proj_free(rm_proj *p)
{
    if (!p)
        return;
    if (p->pj)
        proj_destroy(p->pj);
    if (p->ctx)
        proj_context_destroy(p->ctx);
    free(p->def);
    free(p);
}

const char *rm_proj_definition(const rm_proj *p)
{
    return p ? p->def : NULL;
}

/* Runs PROJ over n interleaved points in one call; points that fail (or were
 * NAN on input) come out NAN. */
static size_t trans(rm_proj *p, PJ_DIRECTION dir, double *xy, size_t n)
{
    if (!p || n == 0)
        return 0;
    proj_errno_reset(p->pj);
    if (p->bare && dir == PJ_FWD)
        for (size_t i = 0; i < 2 * n; i++)
            xy[i] *= M_PI / 180;
    proj_trans_generic(p->pj, dir, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n, NULL,
                       0, 0, NULL, 0, 0);
    if (p->bare && dir == PJ_INV)
        for (size_t i = 0; i < 2 * n; i++)
            xy[i] *= 180 / M_PI;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!isfinite(x) || !isfinite(y) || fabs(x) >= 1e30 || fabs(y) >= 1e30) {
            xy[2 * i] = xy[2 * i + 1] = NAN;
            bad++;
        }
    }
    proj_errno_reset(p->pj);
    return bad;
}

size_t rm_proj_forward(rm_proj *p, double *xy, size_t n)
{
    return trans(p, PJ_FWD, xy, n);
}

size_t rm_proj_inverse(rm_proj *p, double *xy, size_t n)
{
    return trans(p, PJ_INV, xy, n);
}

#define BORDER_SAMPLES 64

/* The projected box of a lon/lat box: its border sampled densely (the
 * extremes of a continuous map of a box lie on the border; in a conic they
 * sit mid-edge, so the corners alone are not enough). */
static rm_bbox projected_box(rm_proj *p, const rm_bbox *b)
{
    double xy[2 * 4 * BORDER_SAMPLES];
    size_t k = 0;
    for (int i = 0; i < BORDER_SAMPLES; i++) {
        double t = (double)i / BORDER_SAMPLES;
        double x = b->minx + t * (b->maxx - b->minx), y = b->miny + t * (b->maxy - b->miny);
        xy[k++] = x, xy[k++] = b->miny;
        xy[k++] = b->maxx, xy[k++] = y;
        xy[k++] = b->maxx - (x - b->minx), xy[k++] = b->maxy;
        xy[k++] = b->minx, xy[k++] = b->maxy - (y - b->miny);
    }
    rm_proj_forward(p, xy, 4 * BORDER_SAMPLES);
    rm_bbox out = rm_bbox_empty();
    for (size_t i = 0; i < 4 * BORDER_SAMPLES; i++)
        if (isfinite(xy[2 * i]))
            rm_bbox_add(&out, xy[2 * i], xy[2 * i + 1]);
    return out;
}

rm_status rm_proj_fit(rm_proj *p, const rm_bbox *content, double ox, double oy, double w, double h,
                      double margin, rm_affine *out, rm_bbox *frame, rm_error *err)
{
    if (!p || !content || rm_bbox_is_empty(content) || !(w > 0) || !(h > 0))
        return rm_error_set(err, RM_ERR_USAGE, "fit: empty content or page area");
    if (!(margin >= 0) || margin >= 0.45)
        margin = margin >= 0.45 ? 0.45 : 0;
    rm_bbox c = *content;
    /* a single point (or a very thin box) still gets a sensible area around it */
    double minspan = 0.5;
    if (c.maxx - c.minx < minspan) {
        double m = (c.minx + c.maxx) / 2;
        c.minx = m - minspan / 2, c.maxx = m + minspan / 2;
    }
    if (c.maxy - c.miny < minspan) {
        double m = (c.miny + c.maxy) / 2;
        c.miny = m - minspan / 2, c.maxy = m + minspan / 2;
    }
    if (c.miny < -89.9)
        c.miny = -89.9;
    if (c.maxy > 89.9)
        c.maxy = 89.9;
    rm_bbox pb = projected_box(p, &c);
    if (rm_bbox_is_empty(&pb) || !(pb.maxx > pb.minx) || !(pb.maxy > pb.miny))
        return rm_error_set(err, RM_ERR_PROJ,
                            "fit: the content box (%.4g,%.4g)-(%.4g,%.4g) cannot be projected "
                            "in '%s'",
                            content->minx, content->miny, content->maxx, content->maxy, p->def);
    double aw = w * (1 - 2 * margin), ah = h * (1 - 2 * margin);
    double sx = aw / (pb.maxx - pb.minx), sy = ah / (pb.maxy - pb.miny);
    double s = sx < sy ? sx : sy;
    double pcx = (pb.minx + pb.maxx) / 2, pcy = (pb.miny + pb.maxy) / 2;
    double cx = ox + w / 2, cy = oy + h / 2;
    out->a = s;
    out->c = cx - s * pcx;
    out->d = -s;
    out->f = cy + s * pcy;
    if (frame) {
        frame->minx = pcx - w / (2 * s);
        frame->maxx = pcx + w / (2 * s);
        frame->miny = pcy - h / (2 * s);
        frame->maxy = pcy + h / (2 * s);
    }
    return RM_OK;
}

rm_bbox rm_proj_frame_lonlat(rm_proj *p, const rm_bbox *frame)
{
    enum { N = 128 };
    double xy[2 * 4 * N + 2 * 25 + 2];
    size_t k = 0;
    for (int i = 0; i < N; i++) {
        double t = (double)i / N;
        double x = frame->minx + t * (frame->maxx - frame->minx);
        double y = frame->miny + t * (frame->maxy - frame->miny);
        xy[k++] = x, xy[k++] = frame->miny;
        xy[k++] = frame->maxx, xy[k++] = y;
        xy[k++] = frame->maxx - (x - frame->minx), xy[k++] = frame->maxy;
        xy[k++] = frame->minx, xy[k++] = frame->maxy - (y - frame->miny);
    }
    /* a coarse interior grid too, for frames whose border misses the extremes */
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            xy[k++] = frame->minx + (i + 0.5) / 5 * (frame->maxx - frame->minx);
            xy[k++] = frame->miny + (j + 0.5) / 5 * (frame->maxy - frame->miny);
        }
    xy[k++] = (frame->minx + frame->maxx) / 2;
    xy[k++] = (frame->miny + frame->maxy) / 2;
    size_t n = k / 2;
    rm_proj_inverse(p, xy, n);
    /* longitudes unwrapped around the frame's centre, so that a frame that
     * reaches past the antimeridian does not turn into the whole world */
    double lonc = xy[2 * (n - 1)];
    rm_bbox b = rm_bbox_empty();
    for (size_t i = 0; i < n; i++)
        if (isfinite(xy[2 * i])) {
            double lon = xy[2 * i];
            if (isfinite(lonc)) {
                while (lon - lonc > 180)
                    lon -= 360;
                while (lon - lonc < -180)
                    lon += 360;
            }
            rm_bbox_add(&b, lon, xy[2 * i + 1]);
        }
    if (rm_bbox_is_empty(&b)) {
        rm_bbox all = {-180, -90, 180, 90};
        return all;
    }
    /* a pole inside the frame: the box reaches it and spans every longitude */
    double poles[4] = {0, 90, 0, -90};
    rm_proj_forward(p, poles, 2);
    for (int i = 0; i < 2; i++) {
        double x = poles[2 * i], y = poles[2 * i + 1];
        if (isfinite(x) && x >= frame->minx && x <= frame->maxx && y >= frame->miny &&
            y <= frame->maxy) {
            b.minx = -180, b.maxx = 180;
            if (i == 0)
                b.maxy = 90;
            else
                b.miny = -90;
        }
    }
    double px = 0.02 * (b.maxx - b.minx) + 0.1, py = 0.02 * (b.maxy - b.miny) + 0.1;
    b.minx -= px, b.maxx += px, b.miny -= py, b.maxy += py;
    if (b.maxx - b.minx >= 360) {
        b.minx = -180;
        b.maxx = 180;
    } else {
        /* a frame across the antimeridian keeps its longitudes continuous,
         * written with minx in [-180, 180) and maxx past 180 (geom.h) */
        while (b.minx < -180)
            b.minx += 360, b.maxx += 360;
        while (b.minx >= 180)
            b.minx -= 360, b.maxx -= 360;
    }
    if (b.miny < -90)
        b.miny = -90;
    if (b.maxy > 90)
        b.maxy = 90;
    return b;
}

double rm_proj_scale_at(rm_proj *p, double lon, double lat)
{
    /* k along the parallel: projected length of a short step east over its
     * length on the ellipsoid */
    double d = 0.01;
    double xy[4] = {lon - d / 2, lat, lon + d / 2, lat};
    if (rm_proj_forward(p, xy, 2) != 0)
        return NAN;
    double proj_m = hypot(xy[2] - xy[0], xy[3] - xy[1]);
    double true_m = rm_geodesic_km(lon - d / 2, lat, lon + d / 2, lat) * 1000.0;
    if (!(true_m > 0))
        return NAN;
    return proj_m / true_m;
}
