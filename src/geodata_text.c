/* routemap — layers from text formats: GeoJSON (RFC 7946, read with
 * jansson) and CSV point tables. They become the same rm_layer as a
 * shapefile (geodata_priv.h): one kind of geometry per layer, properties or
 * columns as attributes (text), lon/lat unless the file or the spec names a
 * CRS, and the loader's filter and clipping applied the same way, so that a
 * layer drawn from GeoJSON gives the same pixels as from the equivalent
 * shapefile. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "geodata_priv.h"
#include "spec_internal.h"

#define TEXT_LAYER_MAX (512u * 1024u * 1024u) /* bytes of a GeoJSON or CSV layer */

static const char *geom_name(rm_geom_type t)
{
    return t == RM_GEOM_POINT ? "point" : t == RM_GEOM_LINE ? "line" : "polygon";
}

static int draft_feature(rm_layer_draft *d, int record, size_t part0)
{
    if (d->nfeat == d->fcap) {
        size_t cap = d->fcap ? 2 * d->fcap : 64;
        struct rm_draft_feature *f = realloc(d->f, cap * sizeof *f);
        if (!f)
            return -1;
        d->f = f;
        d->fcap = cap;
    }
    d->f[d->nfeat].record = record;
    d->f[d->nfeat].part0 = part0;
    d->f[d->nfeat].nparts = d->geo.nparts - part0;
    d->nfeat++;
    return 0;
}

/* ---- GeoJSON ---- */

typedef struct gj {
    const char *path;
    rm_layer_draft *d;
    size_t feature; /* for messages */
    rm_error *err;
} gj;

static int gj_fail(gj *g, const char *what)
{
    rm_error_set(g->err, RM_ERR_FORMAT, "%s: feature %zu: %s", g->path, g->feature, what);
    return -1;
}

/* A position [x, y, ...] appended to the current part. */
static int gj_position(gj *g, json_t *p)
{
    if (!json_is_array(p) || json_array_size(p) < 2 || !json_is_number(json_array_get(p, 0)) ||
        !json_is_number(json_array_get(p, 1)))
        return gj_fail(g, "a position must be an array of two or more numbers [lon, lat]");
    double x = json_number_value(json_array_get(p, 0)), y = json_number_value(json_array_get(p, 1));
    if (!isfinite(x) || !isfinite(y))
        return gj_fail(g, "a coordinate is not finite");
    if (rm_path_add(&g->d->geo, x, y) != 0)
        return rm_error_set(g->err, RM_ERR_NOMEM, "%s: out of memory", g->path), -1;
    return 0;
}

/* An array of positions as one part (min: the fewest it may hold). */
static int gj_part(gj *g, json_t *a, size_t min, const char *what)
{
    if (!json_is_array(a) || json_array_size(a) < min) {
        char m[96];
        snprintf(m, sizeof m, "%s needs an array of at least %zu positions", what, min);
        return gj_fail(g, m);
    }
    if (rm_path_begin_part(&g->d->geo) != 0)
        return rm_error_set(g->err, RM_ERR_NOMEM, "%s: out of memory", g->path), -1;
    size_t i;
    json_t *p;
    json_array_foreach(a, i, p) if (gj_position(g, p) != 0) return -1;
    return 0;
}

static int gj_geometry(gj *g, json_t *geom, int depth);

static int gj_class(gj *g, rm_geom_type t)
{
    if (g->d->type == RM_GEOM_NONE)
        g->d->type = t;
    if (g->d->type != t) {
        char m[160];
        snprintf(m, sizeof m,
                 "a %s geometry in a layer of %s features (a layer holds one kind of geometry)",
                 geom_name(t), geom_name(g->d->type));
        return gj_fail(g, m);
    }
    return 0;
}

static int gj_geometry(gj *g, json_t *geom, int depth)
{
    if (json_is_null(geom))
        return 0; /* a feature without geometry: skipped, as a null shape */
    const char *type = json_string_value(json_object_get(geom, "type"));
    if (!json_is_object(geom) || !type)
        return gj_fail(g, "the geometry must be an object with a \"type\"");
    if (!strcmp(type, "GeometryCollection")) {
        json_t *gs = json_object_get(geom, "geometries");
        if (!json_is_array(gs) || depth > 8)
            return gj_fail(g, "a GeometryCollection needs a \"geometries\" array (nested 8 deep "
                              "at most)");
        size_t i;
        json_t *m;
        json_array_foreach(gs, i, m) if (gj_geometry(g, m, depth + 1) != 0) return -1;
        return 0;
    }
    json_t *c = json_object_get(geom, "coordinates");
    if (!json_is_array(c))
        return gj_fail(g, "the geometry has no \"coordinates\" array");
    size_t i, j;
    json_t *a, *b;
    if (!strcmp(type, "Point")) {
        if (gj_class(g, RM_GEOM_POINT) || rm_path_begin_part(&g->d->geo) != 0)
            return -1;
        return gj_position(g, c);
    }
    if (!strcmp(type, "MultiPoint")) {
        if (gj_class(g, RM_GEOM_POINT))
            return -1;
        if (json_array_size(c) == 0)
            return 0;
        return gj_part(g, c, 1, "a MultiPoint");
    }
    if (!strcmp(type, "LineString"))
        return gj_class(g, RM_GEOM_LINE) ? -1 : gj_part(g, c, 2, "a LineString");
    if (!strcmp(type, "MultiLineString")) {
        if (gj_class(g, RM_GEOM_LINE))
            return -1;
        json_array_foreach(c, i, a) if (gj_part(g, a, 2, "a line of a MultiLineString")) return -1;
        return 0;
    }
    if (!strcmp(type, "Polygon")) {
        if (gj_class(g, RM_GEOM_POLYGON))
            return -1;
        json_array_foreach(c, i, a) if (gj_part(g, a, 4, "a ring of a Polygon")) return -1;
        return 0;
    }
    if (!strcmp(type, "MultiPolygon")) {
        if (gj_class(g, RM_GEOM_POLYGON))
            return -1;
        json_array_foreach(c, i, a)
        {
            if (!json_is_array(a))
                return gj_fail(g, "a MultiPolygon holds arrays of rings");
            json_array_foreach(a, j, b) if (gj_part(g, b, 4, "a ring of a MultiPolygon")) return -1;
        }
        return 0;
    }
    char m[120];
    snprintf(m, sizeof m, "unknown geometry type '%.60s'", type);
    return gj_fail(g, m);
}

/* A property's value as text ("" for null). */
static char *gj_text(json_t *v)
{
    char buf[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        return strdup(json_string_value(v));
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return strdup(buf);
    case JSON_REAL:
        snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
        return strdup(buf);
    case JSON_TRUE:
        return strdup("true");
    case JSON_FALSE:
        return strdup("false");
    case JSON_NULL:
        return NULL;
    default:
        return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    }
}

static int field_of(rm_layer_draft *d, const char *name, int add)
{
    for (int j = 0; j < d->nfields; j++)
        if (!strcmp(d->names[j], name))
            return j;
    if (!add)
        return -1;
    char **n = realloc(d->names, ((size_t)d->nfields + 1) * sizeof *n);
    if (!n)
        return -2;
    d->names = n;
    if (!(n[d->nfields] = strdup(name)))
        return -2;
    return d->nfields++;
}

/* The CRS a (pre-RFC 7946) GeoJSON names: {"type": "name", "properties":
 * {"name": "urn:ogc:def:crs:EPSG::32614"}}; NULL when none. */
static const char *gj_crs(json_t *root)
{
    json_t *crs = json_object_get(root, "crs");
    json_t *props = json_object_get(crs, "properties");
    const char *name = json_string_value(json_object_get(props, "name"));
    return name && *name ? name : NULL;
}

rm_layer *rm_layer_load_geojson(const char *path, const rm_load_options *opt, rm_error *err)
{
    char *text = NULL;
    size_t len = 0;
    if (rm_read_regular_capped(path, TEXT_LAYER_MAX, &text, &len, err) != RM_OK)
        return NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!root) {
        rm_error_set(err, RM_ERR_FORMAT, "%s:%d:%d: not GeoJSON: %s", path, je.line, je.column,
                     je.text);
        return NULL;
    }
    rm_layer_draft d;
    rm_layer_draft_init(&d);
    gj g = {path, &d, 0, err};
    rm_layer *L = NULL;
    const char *type = json_string_value(json_object_get(root, "type"));
    json_t *feats = NULL, *single = NULL;
    if (type && !strcmp(type, "FeatureCollection")) {
        feats = json_object_get(root, "features");
        if (!json_is_array(feats)) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: a FeatureCollection needs a \"features\" array",
                         path);
            goto out;
        }
    } else if (type && !strcmp(type, "Feature")) {
        single = root;
    } else if (type && json_object_get(root, "coordinates")) {
        single = root; /* a bare geometry */
    } else {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s: not GeoJSON (a FeatureCollection, a Feature or a geometry expected)",
                     path);
        goto out;
    }
    size_t n = feats ? json_array_size(feats) : 1;
    /* the fields: every property name, in order of first appearance */
    for (size_t i = 0; i < n; i++) {
        json_t *f = feats ? json_array_get(feats, i) : single;
        json_t *props = json_object_get(f, "properties");
        const char *k;
        json_t *v;
        json_object_foreach(props, k, v) if (field_of(&d, k, 1) == -2)
        {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    d.rowcap = n;
    d.vals = calloc(n * (size_t)d.nfields + 1, sizeof *d.vals);
    if (!d.vals) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *f = feats ? json_array_get(feats, i) : single;
        g.feature = i;
        d.nrows = i + 1;
        json_t *geom = f;
        if (json_is_object(f) && json_string_value(json_object_get(f, "type")) &&
            !strcmp(json_string_value(json_object_get(f, "type")), "Feature")) {
            geom = json_object_get(f, "geometry");
            if (!geom) {
                gj_fail(&g, "a Feature needs a \"geometry\" (null when it has none)");
                goto out;
            }
        } else if (feats) {
            gj_fail(&g, "the features of a FeatureCollection must be Feature objects");
            goto out;
        }
        size_t part0 = d.geo.nparts;
        if (gj_geometry(&g, geom, 0) != 0)
            goto out;
        if (d.geo.nparts > part0 && draft_feature(&d, (int)i, part0) != 0) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
        json_t *props = json_object_get(f, "properties");
        const char *k;
        json_t *v;
        json_object_foreach(props, k, v)
        {
            char *t = gj_text(v);
            if (!t && !json_is_null(v)) {
                rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
                goto out;
            }
            d.vals[i * (size_t)d.nfields + (size_t)field_of(&d, k, 0)] = t;
        }
    }
    if (d.type == RM_GEOM_NONE)
        d.type = RM_GEOM_POINT; /* no geometry at all: an empty layer */
    L = rm_layer_from_draft(path, &d, gj_crs(root), opt, err);
out:
    rm_layer_draft_free(&d);
    json_decref(root);
    return L;
}

/* ---- CSV point tables ---- */

/* One record of RFC 4180 CSV from *p (fields into cells, at most cap): the
 * number of fields, or -1 for a quote that does not close. The text is
 * unquoted in place; *p moves past the record's line end; *lines counts the
 * line ends crossed. */
static int csv_record(char **p, char *end, char **cells, int cap, size_t *lines)
{
    int n = 0;
    char *s = *p;
    for (;;) {
        char *w = s, *start = s;
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end)
                    return -1;
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        *w++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                if (*s == '\n')
                    (*lines)++;
                *w++ = *s++;
            }
            while (s < end && *s != ',' && *s != '\n' && *s != '\r')
                *w++ = *s++; /* text after the closing quote: kept */
        } else {
            while (s < end && *s != ',' && *s != '\n' && *s != '\r')
                s++;
            w = s;
        }
        char sep = s < end ? *s : 0;
        *w = 0; /* may overwrite the separator, read above */
        if (n < cap)
            cells[n] = start;
        n++;
        if (sep == ',') {
            s++;
            continue;
        }
        if (sep == '\r') {
            s++;
            if (s < end && *s == '\n')
                s++;
        } else if (sep == '\n') {
            s++;
        }
        (*lines)++;
        *p = s;
        return n;
    }
}

static int col_named(char **cells, int n, const char *const *names)
{
    for (const char *const *q = names; *q; q++)
        for (int j = 0; j < n; j++) {
            const char *c = cells[j];
            while (*c == ' ')
                c++;
            if (!strcasecmp(c, *q))
                return j;
        }
    return -1;
}

static int parse_coord(const char *s, double *out)
{
    while (*s == ' ')
        s++;
    char *e;
    *out = strtod(s, &e);
    while (*e == ' ')
        e++;
    return e != s && !*e && isfinite(*out);
}

#define CSV_MAX_COLS 256

rm_layer *rm_layer_load_csv(const char *path, const rm_load_options *opt, rm_error *err)
{
    static const char *const lon_names[] = {"lon", "lng", "long", "longitude", "x", NULL};
    static const char *const lat_names[] = {"lat", "latitude", "y", NULL};
    char *text = NULL;
    size_t len = 0;
    if (rm_read_regular_capped(path, TEXT_LAYER_MAX, &text, &len, err) != RM_OK)
        return NULL;
    rm_layer_draft d;
    rm_layer_draft_init(&d);
    d.type = RM_GEOM_POINT;
    rm_layer *L = NULL;
    char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if (memchr(text, 0, len)) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: contains a NUL byte: not a CSV file", path);
        goto out;
    }
    char *cells[CSV_MAX_COLS];
    size_t line = 1, lines = 0;
    int nh = csv_record(&p, end, cells, CSV_MAX_COLS, &lines);
    if (nh < 0 || nh > CSV_MAX_COLS) {
        rm_error_set(err, RM_ERR_FORMAT, "%s:1: %s", path,
                     nh < 0 ? "a quote does not close" : "more than 256 columns");
        goto out;
    }
    int cx = col_named(cells, nh, lon_names), cy = col_named(cells, nh, lat_names);
    if (cx < 0 || cy < 0) {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s:1: the header has no %s column (name one lon, lng, longitude or x, and "
                     "one lat, latitude or y)",
                     path, cx < 0 ? "longitude" : "latitude");
        goto out;
    }
    d.names = calloc((size_t)nh, sizeof *d.names);
    if (!d.names) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    for (int j = 0; j < nh; j++) {
        if (j == cx || j == cy)
            continue;
        if (!(d.names[d.nfields++] = strdup(cells[j]))) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    line += lines;
    size_t row = 0;
    while (p < end) {
        size_t at = line;
        lines = 0;
        int n = csv_record(&p, end, cells, CSV_MAX_COLS, &lines);
        line += lines;
        if (n < 0) {
            rm_error_set(err, RM_ERR_FORMAT, "%s:%zu: a quote does not close", path, at);
            goto out;
        }
        if (n == 1 && !cells[0][0])
            continue; /* a blank line */
        if (n != nh) {
            rm_error_set(err, RM_ERR_FORMAT, "%s:%zu: %d fields, the header has %d", path, at, n,
                         nh);
            goto out;
        }
        double x, y;
        if (!parse_coord(cells[cx], &x) || !parse_coord(cells[cy], &y)) {
            rm_error_set(err, RM_ERR_FORMAT, "%s:%zu: '%.40s' is not a %s", path, at,
                         parse_coord(cells[cx], &x) ? cells[cy] : cells[cx],
                         parse_coord(cells[cx], &x) ? "latitude" : "longitude");
            goto out;
        }
        if (d.nrows == d.rowcap) {
            size_t cap = d.rowcap ? 2 * d.rowcap : 64;
            char **v = realloc(d.vals, cap * ((size_t)d.nfields + 1) * sizeof *v);
            if (!v) {
                rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
                goto out;
            }
            d.vals = v;
            d.rowcap = cap;
        }
        char **vr = d.vals + d.nrows * (size_t)d.nfields;
        d.nrows++;
        int k = 0;
        for (int j = 0; j < nh; j++) {
            if (j == cx || j == cy)
                continue;
            vr[k] = cells[j][0] ? strdup(cells[j]) : NULL;
            if (cells[j][0] && !vr[k]) {
                for (int q = k + 1; q < d.nfields; q++)
                    vr[q] = NULL;
                rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
                goto out;
            }
            k++;
        }
        size_t part0 = d.geo.nparts;
        if (rm_path_begin_part(&d.geo) != 0 || rm_path_add(&d.geo, x, y) != 0 ||
            draft_feature(&d, (int)row, part0) != 0) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
        row++;
    }
    L = rm_layer_from_draft(path, &d, NULL, opt, err);
out:
    rm_layer_draft_free(&d);
    free(text);
    return L;
}
