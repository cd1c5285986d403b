/* routemap — markers from CSV (RFC 4180) and GeoJSON files.
 *
 * CSV: a header row names the columns; lon/lat come from "lon"/"lat" (or
 * "longitude"/"latitude", "lng"), the label from "label", else "name", else
 * "destination" (cut at " - " or " (" so that "Dalian (venue)" labels
 * "Dalian"); "date" or "date_start", "kind", "mode", "number", "priority" and
 * "group" are optional. A row's number comes from a "number" column, else
 * from the digits of an "id" column ("T10a" is 10), else rows with a date are
 * numbered 1, 2, ... in file order. Errors name FILE:LINE.
 *
 * GeoJSON: a FeatureCollection (or one Feature) of Point geometries;
 * properties label|name|title, date, kind, mode, number, priority, group. */
#include "routemap/markers.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec_internal.h"

#define CSV_MAX_FIELDS 256

void rm_markers_free(rm_marker_spec *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++)
        rm_marker_spec_clear(&m[i]);
    free(m);
}

/* A growable array of markers. */
typedef struct mlist {
    rm_marker_spec *v;
    size_t n, cap;
} mlist;

static rm_marker_spec *mlist_add(mlist *l)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        rm_marker_spec *nv = realloc(l->v, ncap * sizeof *nv);
        if (!nv)
            return NULL;
        l->v = nv;
        l->cap = ncap;
    }
    rm_marker_spec *m = &l->v[l->n++];
    memset(m, 0, sizeof *m);
    return m;
}

/* Parses a whole number or a decimal; returns 0 when the whole text is one. */
static int parse_double(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end || errno || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

/* 1 when s is well-formed UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF), else 0. */
static int utf8_valid(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s;
        int n;
        unsigned cp, min;
        if (c < 0x80) {
            s++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return 0;
        }
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct csv {
    const char *s;
    size_t len, pos;
    long line; /* line of the current position (1-based) */
    char *buf; /* field storage for one record */
    size_t bufcap;
    size_t off[CSV_MAX_FIELDS];
    int nfields;
} csv;

/* Reads one record into c->buf (fields NUL-separated, offsets in c->off).
 * Returns 1 for a record, 0 at the end, -1 on malformed input (with *why). */
static int csv_record(csv *c, const char **why)
{
    if (c->pos >= c->len)
        return 0;
    size_t n = 0;
    c->nfields = 0;
    int quoted = 0, field_start = 1;
    c->off[c->nfields++] = 0;
    while (c->pos < c->len) {
        char ch = c->s[c->pos];
        if (n + 2 > c->bufcap) {
            size_t ncap = c->bufcap ? c->bufcap * 2 : 256;
            char *nb = realloc(c->buf, ncap);
            if (!nb) {
                *why = "out of memory";
                return -1;
            }
            c->buf = nb;
            c->bufcap = ncap;
        }
        if (quoted) {
            c->pos++;
            if (ch == '"') {
                if (c->pos < c->len && c->s[c->pos] == '"') {
                    c->buf[n++] = '"';
                    c->pos++;
                } else {
                    quoted = 0;
                }
            } else {
                if (ch == '\n')
                    c->line++;
                c->buf[n++] = ch;
            }
            continue;
        }
        if (ch == '"' && field_start) {
            quoted = 1;
            field_start = 0;
            c->pos++;
            continue;
        }
        if (ch == ',') {
            c->buf[n++] = '\0';
            if (c->nfields == CSV_MAX_FIELDS) {
                *why = "more than 256 fields";
                return -1;
            }
            c->off[c->nfields++] = n;
            field_start = 1;
            c->pos++;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            c->pos++;
            if (ch == '\r' && c->pos < c->len && c->s[c->pos] == '\n')
                c->pos++;
            c->line++;
            c->buf[n] = '\0';
            return 1;
        }
        if (ch == '"') {
            *why = "a quote inside an unquoted field (quote the whole field and double the quote)";
            return -1;
        }
        field_start = 0;
        c->buf[n++] = ch;
        c->pos++;
    }
    if (quoted) {
        *why = "a quoted field is not closed before the end of the file";
        return -1;
    }
    c->buf[n] = '\0';
    return 1;
}

static const char *csv_field(const csv *c, int i)
{
    return i >= 0 && i < c->nfields ? c->buf + c->off[i] : "";
}

static int find_col(const csv *c, const char *const *names)
{
    for (const char *const *n = names; *n; n++)
        for (int i = 0; i < c->nfields; i++) {
            const char *f = csv_field(c, i);
            while (*f == ' ')
                f++;
            if (!strcasecmp(f, *n))
                return i;
        }
    return -1;
}

static int blank_record(const csv *c)
{
    return c->nfields == 1 && csv_field(c, 0)[0] == '\0';
}

/* The label for a "destination" value: the place name before " - " or " (". */
static char *short_name(const char *s)
{
    size_t n = strlen(s);
    const char *a = strstr(s, " - "), *b = strstr(s, " (");
    if (a && (size_t)(a - s) < n)
        n = (size_t)(a - s);
    if (b && (size_t)(b - s) < n)
        n = (size_t)(b - s);
    return strndup(s, n);
}

/* The number in an id such as "T10a" (10), or 0 when it holds none. */
static int id_number(const char *id)
{
    while (*id && !(*id >= '0' && *id <= '9'))
        id++;
    long v = 0;
    while (*id >= '0' && *id <= '9' && v < 10000)
        v = v * 10 + (*id++ - '0');
    return v > 0 && v <= 9999 ? (int)v : 0;
}

static int set_opt(char **dst, const csv *c, int col)
{
    if (col < 0 || !csv_field(c, col)[0])
        return 0;
    return rm_spec_set_string(dst, csv_field(c, col));
}

static rm_status parse_csv(const char *text, size_t len, const char *name, mlist *out,
                           rm_error *err)
{
    static const char *const lon_names[] = {"lon", "longitude", "lng", "long", NULL};
    static const char *const lat_names[] = {"lat", "latitude", NULL};
    static const char *const label_names[] = {"label", "name", NULL};
    static const char *const dest_names[] = {"destination", NULL};
    static const char *const date_names[] = {"date", "date_start", NULL};
    static const char *const kind_names[] = {"kind", NULL};
    static const char *const mode_names[] = {"mode", NULL};
    static const char *const num_names[] = {"number", NULL};
    static const char *const id_names[] = {"id", NULL};
    static const char *const prio_names[] = {"priority", NULL};
    static const char *const group_names[] = {"group", NULL};
    csv c = {text, len, 0, 1, NULL, 0, {0}, 0};
    const char *why = NULL;
    rm_status st = RM_OK;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        c.pos = 3;
    int r;
    do {
        r = csv_record(&c, &why);
    } while (r == 1 && blank_record(&c));
    if (r < 0) {
        st = rm_error_set(err, RM_ERR_FORMAT, "%s:%ld: %s", name, c.line, why);
        goto done;
    }
    if (r == 0) {
        st = rm_error_set(err, RM_ERR_FORMAT,
                          "%s: empty file (expected a header row with lon and lat columns)", name);
        goto done;
    }
    int ncols = c.nfields;
    int col_lon = find_col(&c, lon_names), col_lat = find_col(&c, lat_names);
    int col_label = find_col(&c, label_names), col_dest = find_col(&c, dest_names);
    int col_date = find_col(&c, date_names), col_kind = find_col(&c, kind_names);
    int col_mode = find_col(&c, mode_names), col_num = find_col(&c, num_names);
    int col_prio = find_col(&c, prio_names), col_group = find_col(&c, group_names);
    int col_id = find_col(&c, id_names);
    if (col_lon < 0 || col_lat < 0) {
        st = rm_error_set(
            err, RM_ERR_FORMAT,
            "%s:1: the header has no %s column (expected lon/lat or longitude/latitude)", name,
            col_lon < 0 ? "longitude" : "latitude");
        goto done;
    }
    if (col_label < 0 && col_dest < 0) {
        st = rm_error_set(
            err, RM_ERR_FORMAT,
            "%s:1: the header has no name column (expected label, name or destination)", name);
        goto done;
    }
    int seq = 0;
    for (;;) {
        long line = c.line;
        r = csv_record(&c, &why);
        if (r == 0)
            break;
        if (r < 0) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%ld: %s", name, line, why);
            goto done;
        }
        if (blank_record(&c))
            continue;
        for (int k = 0; k < c.nfields; k++)
            if (!utf8_valid(csv_field(&c, k))) {
                st = rm_error_set(err, RM_ERR_FORMAT, "%s:%ld: field %d is not valid UTF-8", name,
                                  line, k + 1);
                goto done;
            }
        if (c.nfields != ncols) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%ld: %d fields, but the header has %d", name,
                              line, c.nfields, ncols);
            goto done;
        }
        if (out->n >= RM_SPEC_MAX_MARKERS) {
            st = rm_error_set(err, RM_ERR_LIMIT, "%s:%ld: more than %d markers", name, line,
                              RM_SPEC_MAX_MARKERS);
            goto done;
        }
        double lon, lat;
        if (parse_double(csv_field(&c, col_lon), &lon) || !(lon >= -180 && lon <= 180)) {
            st = rm_error_set(err, RM_ERR_FORMAT,
                              "%s:%ld: longitude '%.40s' is not a number in -180 .. 180", name,
                              line, csv_field(&c, col_lon));
            goto done;
        }
        if (parse_double(csv_field(&c, col_lat), &lat) || !(lat >= -90 && lat <= 90)) {
            st = rm_error_set(err, RM_ERR_FORMAT,
                              "%s:%ld: latitude '%.40s' is not a number in -90 .. 90", name, line,
                              csv_field(&c, col_lat));
            goto done;
        }
        rm_marker_spec *m = mlist_add(out);
        if (!m)
            goto nomem;
        m->lon = lon;
        m->lat = lat;
        m->has_lonlat = 1;
        if (col_label >= 0 && csv_field(&c, col_label)[0]) {
            if (rm_spec_set_string(&m->label, csv_field(&c, col_label)))
                goto nomem;
        } else if (col_dest >= 0 && csv_field(&c, col_dest)[0]) {
            if (!(m->label = short_name(csv_field(&c, col_dest))))
                goto nomem;
        }
        if (!m->label) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%ld: the name is empty", name, line);
            goto done;
        }
        if (set_opt(&m->date, &c, col_date) || set_opt(&m->kind, &c, col_kind) ||
            set_opt(&m->mode, &c, col_mode) || set_opt(&m->group, &c, col_group))
            goto nomem;
        if (!m->kind && rm_spec_set_string(&m->kind, m->date ? "trip" : "place"))
            goto nomem;
        if (col_num >= 0 && csv_field(&c, col_num)[0]) {
            double d;
            if (parse_double(csv_field(&c, col_num), &d) || d != floor(d) || d < 0 || d > 9999) {
                st = rm_error_set(err, RM_ERR_FORMAT,
                                  "%s:%ld: number '%.40s' is not a whole number in 0 .. 9999", name,
                                  line, csv_field(&c, col_num));
                goto done;
            }
            m->number = (int)d;
        } else if (id_number(csv_field(&c, col_id)) > 0) {
            m->number = id_number(csv_field(&c, col_id));
        } else if (m->date) {
            m->number = ++seq;
        }
        if (col_prio >= 0 && csv_field(&c, col_prio)[0]) {
            double d;
            if (parse_double(csv_field(&c, col_prio), &d) || d != floor(d) || fabs(d) > 1000) {
                st = rm_error_set(err, RM_ERR_FORMAT,
                                  "%s:%ld: priority '%.40s' is not a whole number in -1000 .. 1000",
                                  name, line, csv_field(&c, col_prio));
                goto done;
            }
            m->priority = (int)d;
        }
    }
    goto done;
nomem:
    st = rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
done:
    free(c.buf);
    return st;
}

/* ---- GeoJSON ------------------------------------------------------------ */

static int prop_string(json_t *props, const char *key, char **dst)
{
    json_t *v = json_object_get(props, key);
    if (json_is_string(v))
        return rm_spec_set_string(dst, json_string_value(v));
    if (json_is_integer(v)) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        return rm_spec_set_string(dst, num);
    }
    return 0;
}

static rm_status geojson_feature(json_t *f, const char *name, size_t i, mlist *out, rm_error *err)
{
    if (!json_is_object(f) || !json_is_string(json_object_get(f, "type")) ||
        strcmp(json_string_value(json_object_get(f, "type")), "Feature") != 0)
        return rm_error_set(err, RM_ERR_FORMAT, "%s: features[%zu]: not a GeoJSON Feature", name,
                            i);
    json_t *g = json_object_get(f, "geometry");
    json_t *gt = json_object_get(g, "type");
    if (!json_is_object(g) || !json_is_string(gt) || strcmp(json_string_value(gt), "Point") != 0)
        return rm_error_set(err, RM_ERR_FORMAT, "%s: features[%zu]: geometry is not a Point", name,
                            i);
    json_t *co = json_object_get(g, "coordinates");
    if (!json_is_array(co) || json_array_size(co) < 2 || !json_is_number(json_array_get(co, 0)) ||
        !json_is_number(json_array_get(co, 1)))
        return rm_error_set(err, RM_ERR_FORMAT, "%s: features[%zu]: coordinates must be [lon, lat]",
                            name, i);
    double lon = json_number_value(json_array_get(co, 0));
    double lat = json_number_value(json_array_get(co, 1));
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
        return rm_error_set(err, RM_ERR_FORMAT, "%s: features[%zu]: lon/lat %g,%g out of range",
                            name, i, lon, lat);
    if (out->n >= RM_SPEC_MAX_MARKERS)
        return rm_error_set(err, RM_ERR_LIMIT, "%s: more than %d markers", name,
                            RM_SPEC_MAX_MARKERS);
    rm_marker_spec *m = mlist_add(out);
    if (!m)
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
    m->lon = lon;
    m->lat = lat;
    m->has_lonlat = 1;
    json_t *p = json_object_get(f, "properties");
    if (json_is_object(p)) {
        if (prop_string(p, "label", &m->label) ||
            (!m->label && prop_string(p, "name", &m->label)) ||
            (!m->label && prop_string(p, "title", &m->label)) || prop_string(p, "date", &m->date) ||
            prop_string(p, "kind", &m->kind) || prop_string(p, "mode", &m->mode) ||
            prop_string(p, "group", &m->group))
            return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
        json_t *num = json_object_get(p, "number");
        if (num) {
            if (!json_is_integer(num) || json_integer_value(num) < 0 ||
                json_integer_value(num) > 9999)
                return rm_error_set(
                    err, RM_ERR_FORMAT,
                    "%s: features[%zu]: properties.number must be a whole number in 0 .. 9999",
                    name, i);
            m->number = (int)json_integer_value(num);
        }
        json_t *pr = json_object_get(p, "priority");
        if (pr) {
            if (!json_is_integer(pr) || json_integer_value(pr) < -1000 ||
                json_integer_value(pr) > 1000)
                return rm_error_set(err, RM_ERR_FORMAT,
                                    "%s: features[%zu]: properties.priority must be a whole number "
                                    "in -1000 .. 1000",
                                    name, i);
            m->priority = (int)json_integer_value(pr);
        }
    }
    if (!m->kind && rm_spec_set_string(&m->kind, m->date ? "trip" : "place"))
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
    if (!m->label) {
        char ll[64];
        snprintf(ll, sizeof ll, "%.4f,%.4f", lon, lat);
        if (rm_spec_set_string(&m->place, ll))
            return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
    }
    return RM_OK;
}

static rm_status parse_geojson(const char *text, size_t len, const char *name, mlist *out,
                               rm_error *err)
{
    if (rm_json_depth(text, len, RM_SPEC_MAX_DEPTH) > RM_SPEC_MAX_DEPTH)
        return rm_error_set(err, RM_ERR_FORMAT, "%s: nested more than %d levels deep", name,
                            RM_SPEC_MAX_DEPTH);
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root)
        return rm_error_set(err, RM_ERR_FORMAT, "%s:%d:%d: %s", name, je.line, je.column, je.text);
    rm_status st = RM_OK;
    json_t *type = json_object_get(root, "type");
    const char *t = json_is_string(type) ? json_string_value(type) : "";
    if (!strcmp(t, "FeatureCollection")) {
        json_t *fs = json_object_get(root, "features");
        if (!json_is_array(fs)) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s: \"features\" is not an array", name);
        } else {
            size_t i;
            json_t *f;
            json_array_foreach(fs, i, f)
            {
                if ((st = geojson_feature(f, name, i, out, err)))
                    break;
            }
        }
    } else if (!strcmp(t, "Feature")) {
        st = geojson_feature(root, name, 0, out, err);
    } else {
        st = rm_error_set(err, RM_ERR_FORMAT,
                          "%s: not a GeoJSON FeatureCollection or Feature (type '%.40s')", name, t);
    }
    json_decref(root);
    return st;
}

rm_status rm_markers_parse(const char *text, size_t len, const char *name, int is_geojson,
                           rm_marker_spec **out, size_t *n, rm_error *err)
{
    if (!out || !n || !text)
        return rm_error_set(err, RM_ERR_USAGE, "rm_markers_parse: NULL argument");
    if (!name)
        name = "<markers>";
    *out = NULL;
    *n = 0;
    mlist l = {NULL, 0, 0};
    rm_status st =
        is_geojson ? parse_geojson(text, len, name, &l, err) : parse_csv(text, len, name, &l, err);
    if (st) {
        rm_error_one_line(err);
        rm_markers_free(l.v, l.n);
        return st;
    }
    *out = l.v;
    *n = l.n;
    return RM_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

rm_status rm_markers_read(const char *path, rm_marker_spec **out, size_t *n, rm_error *err)
{
    if (!path)
        return rm_error_set(err, RM_ERR_USAGE, "rm_markers_read: no path");
    char *text;
    size_t len;
    rm_status st = rm_read_regular_capped(path, RM_SPEC_MAX_FILE, &text, &len, err);
    if (st) {
        rm_error_one_line(err);
        return st;
    }
    int geo;
    if (ends_with(path, ".csv"))
        geo = 0;
    else if (ends_with(path, ".geojson") || ends_with(path, ".json"))
        geo = 1;
    else {
        size_t i = 0;
        while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t'))
            i++;
        geo = i < len && text[i] == '{';
    }
    st = rm_markers_parse(text, len, path, geo, out, n, err);
    free(text);
    return st;
}
