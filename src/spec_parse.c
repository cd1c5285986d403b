/* routemap — reading the map spec from JSON (jansson) into an rm_spec.
 *
 * Every value is checked for its type and range, every object for unknown
 * keys (with the closest valid key suggested), and every error names the
 * file, the line:column of the offending key or value (found by
 * spec_locate.c, since jansson keeps no positions) and its key path:
 *   examples/x.json:12:7: routes[0].style.stroke: expected a colour "#rrggbb" ...
 * docs/spec.md documents the document's shape. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "routemap/markers.h"
#include "routemap/render.h"
#include "spec_internal.h"

#define MAX_PATH_STEPS (RM_SPEC_MAX_DEPTH + 4)

typedef struct ctx {
    const char *name; /* file name for messages */
    const char *text;
    size_t len;
    rm_path_step path[MAX_PATH_STEPS];
    size_t depth;
    rm_error *err;
} ctx;

static void push_key(ctx *c, const char *key)
{
    if (c->depth < MAX_PATH_STEPS) {
        c->path[c->depth].key = key;
        c->path[c->depth].index = 0;
    }
    c->depth++;
}

static void push_index(ctx *c, size_t i)
{
    if (c->depth < MAX_PATH_STEPS) {
        c->path[c->depth].key = NULL;
        c->path[c->depth].index = i;
    }
    c->depth++;
}

static void pop(ctx *c)
{
    c->depth--;
}

/* Writes the current key path ("routes[0].style.stroke") into buf. */
static void path_string(const ctx *c, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    size_t d = c->depth < MAX_PATH_STEPS ? c->depth : MAX_PATH_STEPS;
    for (size_t i = 0; i < d && n + 1 < cap; i++) {
        int w;
        if (c->path[i].key)
            w = snprintf(buf + n, cap - n, "%s%s", i ? "." : "", c->path[i].key);
        else
            w = snprintf(buf + n, cap - n, "[%zu]", c->path[i].index);
        if (w < 0)
            break;
        n += (size_t)w;
        if (n >= cap)
            n = cap - 1;
    }
}

/* Records "NAME:LINE:COL: key.path: message" for the current path. With
 * at_key the position is that of the key itself (for unknown keys). */
static rm_status fail_status(ctx *c, rm_status st, int at_key, const char *fmt, va_list ap)
{
    char msg[512], path[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    path_string(c, path, sizeof path);
    int line = 0, col = 0;
    size_t d = c->depth < MAX_PATH_STEPS ? c->depth : MAX_PATH_STEPS;
    if (rm_json_locate(c->text, c->len, c->path, d, at_key, &line, &col) == 0)
        return rm_error_set(c->err, st, "%s:%d:%d: %s%s%s", c->name, line, col, path,
                            path[0] ? ": " : "", msg);
    return rm_error_set(c->err, st, "%s: %s%s%s", c->name, path, path[0] ? ": " : "", msg);
}

static rm_status fail(ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static rm_status fail(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rm_status st = fail_status(c, RM_ERR_SPEC, 0, fmt, ap);
    va_end(ap);
    return st;
}

static rm_status fail_key(ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static rm_status fail_key(ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rm_status st = fail_status(c, RM_ERR_SPEC, 1, fmt, ap);
    va_end(ap);
    return st;
}

static rm_status fail_status_wrap(ctx *c, rm_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static rm_status fail_status_wrap(ctx *c, rm_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = fail_status(c, st, 0, fmt, ap);
    va_end(ap);
    return st;
}

static rm_status nomem(ctx *c)
{
    return rm_error_set(c->err, RM_ERR_NOMEM, "%s: out of memory", c->name);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "true/false";
    case JSON_NULL:
        return "null";
    }
    return "?";
}

/* Refuses keys of obj that are not in allowed (keys starting with '_' are
 * comments and ignored), suggesting the closest valid key. */
static rm_status check_keys(ctx *c, json_t *obj, const char *const *allowed, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        (void)v;
        if (key[0] == '_')
            continue;
        size_t i;
        for (i = 0; i < n; i++)
            if (!strcmp(key, allowed[i]))
                break;
        if (i < n)
            continue;
        push_key(c, key);
        const char *near = rm_closest_name(key, allowed, n);
        char known[512];
        size_t k = 0;
        known[0] = '\0';
        for (i = 0; i < n && k + 1 < sizeof known; i++) {
            int w = snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "", allowed[i]);
            if (w < 0)
                break;
            k += (size_t)w;
        }
        rm_status st = near ? fail_key(c, "unknown key '%s' (did you mean '%s'?)", key, near)
                            : fail_key(c, "unknown key '%s' (known keys: %s)", key, known);
        pop(c);
        return st;
    }
    return RM_OK;
}

/* The value at the current path must be a string of at most
 * RM_SPEC_MAX_STRING bytes; copies it into *dst (null clears *dst). */
static rm_status take_string(ctx *c, json_t *v, char **dst)
{
    if (json_is_null(v)) {
        free(*dst);
        *dst = NULL;
        return RM_OK;
    }
    if (!json_is_string(v))
        return fail(c, "expected a string, found %s", type_name(v));
    if (json_string_length(v) > RM_SPEC_MAX_STRING)
        return fail(c, "string of %zu bytes is too long (at most %d)", json_string_length(v),
                    RM_SPEC_MAX_STRING);
    if (rm_spec_set_string(dst, json_string_value(v)))
        return nomem(c);
    return RM_OK;
}

static rm_status get_string(ctx *c, json_t *obj, const char *key, char **dst)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = take_string(c, v, dst);
    pop(c);
    return st;
}

static rm_status take_number(ctx *c, json_t *v, double *dst, double lo, double hi)
{
    if (!json_is_number(v))
        return fail(c, "expected a number, found %s", type_name(v));
    double d = json_number_value(v);
    if (!(d >= lo && d <= hi))
        return fail(c, "%g is out of range (%g .. %g)", d, lo, hi);
    *dst = d;
    return RM_OK;
}

static rm_status get_number(ctx *c, json_t *obj, const char *key, double *dst, double lo, double hi)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = take_number(c, v, dst, lo, hi);
    pop(c);
    return st;
}

static rm_status get_int(ctx *c, json_t *obj, const char *key, int *dst, int lo, int hi)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (!json_is_integer(v))
        st = fail(c, "expected a whole number, found %s",
                  json_is_real(v) ? "a fraction" : type_name(v));
    else if (json_integer_value(v) < lo || json_integer_value(v) > hi)
        st = fail(c, "%lld is out of range (%d .. %d)", (long long)json_integer_value(v), lo, hi);
    else
        *dst = (int)json_integer_value(v);
    pop(c);
    return st;
}

static rm_status get_bool(ctx *c, json_t *obj, const char *key, int *dst)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (!json_is_boolean(v))
        st = fail(c, "expected true or false, found %s", type_name(v));
    else
        *dst = json_is_true(v);
    pop(c);
    return st;
}

static int hex2(const char *s)
{
    int v = 0;
    for (int i = 0; i < 2; i++) {
        char ch = s[i];
        int h = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Parses "#rrggbb", "#rrggbbaa" or "none"; returns 0 or -1. */
int rm_color_parse(const char *s, rm_color *out)
{
    if (!strcmp(s, "none")) {
        *out = (rm_color){0, 0, 0, 0};
        return 0;
    }
    size_t n = strlen(s);
    if (s[0] != '#' || (n != 7 && n != 9))
        return -1;
    int ch[4] = {0, 0, 0, 255};
    for (size_t i = 0; i < (n - 1) / 2; i++) {
        ch[i] = hex2(s + 1 + 2 * i);
        if (ch[i] < 0)
            return -1;
    }
    *out = (rm_color){ch[0] / 255.0, ch[1] / 255.0, ch[2] / 255.0, ch[3] / 255.0};
    return 0;
}

static rm_status get_color(ctx *c, json_t *obj, const char *key, rm_color *dst, int *given)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (!json_is_string(v))
        st = fail(c, "expected a colour \"#rrggbb\", \"#rrggbbaa\" or \"none\", found %s",
                  type_name(v));
    else if (rm_color_parse(json_string_value(v), dst))
        st = fail(c, "'%.40s' is not a colour (use \"#rrggbb\", \"#rrggbbaa\" or \"none\")",
                  json_string_value(v));
    else
        *given = 1;
    pop(c);
    return st;
}

static rm_status parse_style(ctx *c, json_t *v, rm_style *s)
{
    static const char *const keys[] = {"stroke", "fill", "width", "dash", "opacity"};
    if (!json_is_object(v))
        return fail(
            c,
            "expected an object {\"stroke\", \"fill\", \"width\", \"dash\", \"opacity\"}, found %s",
            type_name(v));
    rm_status st = check_keys(c, v, keys, 5);
    if (st)
        return st;
    int given = 0;
    if ((st = get_color(c, v, "stroke", &s->stroke, &given)))
        return st;
    if (given)
        s->set |= RM_STYLE_STROKE;
    given = 0;
    if ((st = get_color(c, v, "fill", &s->fill, &given)))
        return st;
    if (given)
        s->set |= RM_STYLE_FILL;
    if (json_object_get(v, "width")) {
        if ((st = get_number(c, v, "width", &s->width, 0, RM_SPEC_MAX_LINE_WIDTH)))
            return st;
        s->set |= RM_STYLE_WIDTH;
    }
    if (json_object_get(v, "opacity")) {
        if ((st = get_number(c, v, "opacity", &s->opacity, 0, 1)))
            return st;
        s->set |= RM_STYLE_OPACITY;
    }
    json_t *dash = json_object_get(v, "dash");
    if (dash) {
        push_key(c, "dash");
        if (!json_is_array(dash)) {
            st = fail(c, "expected an array of lengths in px, e.g. [6, 3], found %s",
                      type_name(dash));
        } else if (json_array_size(dash) > 8) {
            st = fail(c, "%zu lengths (at most 8)", json_array_size(dash));
        } else {
            size_t i;
            json_t *d;
            s->ndash = 0;
            json_array_foreach(dash, i, d)
            {
                push_index(c, i);
                st = take_number(c, d, &s->dash[i], 0, 1000);
                pop(c);
                if (st)
                    break;
                s->ndash = (int)i + 1;
            }
            if (!st && s->ndash > 0) {
                double sum = 0;
                for (int k = 0; k < s->ndash; k++)
                    sum += s->dash[k];
                if (sum <= 0)
                    st = fail(c, "all lengths are 0 (use [] for a solid line)");
            }
            s->set |= RM_STYLE_DASH;
        }
        pop(c);
    }
    return st;
}

static rm_status get_style(ctx *c, json_t *obj, rm_style *s)
{
    json_t *v = json_object_get(obj, "style");
    if (!v)
        return RM_OK;
    push_key(c, "style");
    rm_status st = parse_style(c, v, s);
    pop(c);
    return st;
}

/* A string or an array of strings (at most cap) into a new string array. */
static rm_status get_string_list(ctx *c, json_t *obj, const char *key, size_t cap, char ***out,
                                 size_t *n)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (json_is_string(v) || json_is_number(v)) {
        v = json_pack("[O]", v);
        if (!v) {
            pop(c);
            return nomem(c);
        }
    } else if (json_is_array(v)) {
        json_incref(v);
    } else {
        st = fail(c, "expected a string or an array of strings, found %s", type_name(v));
        pop(c);
        return st;
    }
    if (json_array_size(v) > cap) {
        st = fail(c, "%zu entries (at most %zu)", json_array_size(v), cap);
        json_decref(v);
        pop(c);
        return st;
    }
    char **arr = calloc(json_array_size(v) + 1, sizeof *arr);
    if (!arr) {
        json_decref(v);
        pop(c);
        return nomem(c);
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        push_index(c, i);
        if (json_is_integer(e)) {
            char num[32];
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(e));
            if (rm_spec_set_string(&arr[i], num))
                st = nomem(c);
        } else if (json_is_null(e)) {
            st = fail(c, "expected a string, found null");
        } else {
            st = take_string(c, e, &arr[i]);
        }
        pop(c);
        if (st)
            break;
    }
    if (st) {
        for (size_t k = 0; k < json_array_size(v); k++)
            free(arr[k]);
        free(arr);
    } else {
        for (size_t k = 0; k < *n; k++)
            free((*out)[k]);
        free(*out);
        *out = arr;
        *n = json_array_size(v);
    }
    json_decref(v);
    pop(c);
    return st;
}

static rm_status parse_size(ctx *c, json_t *v, rm_spec *s)
{
    static const char *const keys[] = {"preset", "width", "height", "dpi"};
    rm_status st;
    if (json_is_string(v)) { /* "slide-16x9" or "1920x1080" */
        const char *t = json_string_value(v);
        double w, h;
        char tail;
        if (sscanf(t, "%lfx%lf%c", &w, &h, &tail) == 2) {
            if (!(w >= RM_SPEC_MIN_PX && w <= RM_SPEC_MAX_PX && h >= RM_SPEC_MIN_PX &&
                  h <= RM_SPEC_MAX_PX))
                return fail(c, "%s is out of range (each side %d .. %d px)", t, RM_SPEC_MIN_PX,
                            RM_SPEC_MAX_PX);
            s->width = w;
            s->height = h;
            return rm_spec_set_string(&s->preset, NULL) ? nomem(c) : RM_OK;
        }
        rm_error e;
        if (rm_spec_apply_preset(s, t, &e))
            return fail(c, "%s", e.message);
        return RM_OK;
    }
    if (!json_is_object(v))
        return fail(c,
                    "expected a preset name, \"WIDTHxHEIGHT\" or an object {\"preset\" | "
                    "\"width\", \"height\", \"dpi\"}, found %s",
                    type_name(v));
    if ((st = check_keys(c, v, keys, 4)))
        return st;
    if ((st = get_number(c, v, "dpi", &s->dpi, RM_SPEC_MIN_DPI, RM_SPEC_MAX_DPI)))
        return st;
    json_t *p = json_object_get(v, "preset");
    if (p) {
        push_key(c, "preset");
        if (json_object_get(v, "width") || json_object_get(v, "height")) {
            st = fail(c, "give either \"preset\" or \"width\"/\"height\", not both");
        } else if (!json_is_string(p)) {
            st = fail(c, "expected a preset name (%s), found %s", rm_spec_preset_names(),
                      type_name(p));
        } else {
            rm_error e;
            if (rm_spec_apply_preset(s, json_string_value(p), &e))
                st = fail(c, "%s", e.message);
        }
        pop(c);
        return st;
    }
    if ((st = get_number(c, v, "width", &s->width, RM_SPEC_MIN_PX, RM_SPEC_MAX_PX)))
        return st;
    if ((st = get_number(c, v, "height", &s->height, RM_SPEC_MIN_PX, RM_SPEC_MAX_PX)))
        return st;
    return rm_spec_set_string(&s->preset, NULL) ? nomem(c) : RM_OK;
}

static rm_status parse_extent(ctx *c, json_t *v, rm_spec *s)
{
    if (json_is_string(v)) {
        if (strcmp(json_string_value(v), "auto") != 0)
            return fail(c, "expected \"auto\" or [minlon, minlat, maxlon, maxlat], found '%.40s'",
                        json_string_value(v));
        s->extent_auto = 1;
        return RM_OK;
    }
    if (!json_is_array(v) || json_array_size(v) != 4)
        return fail(c, "expected \"auto\" or [minlon, minlat, maxlon, maxlat], found %s%s",
                    json_is_array(v) ? "an array of " : type_name(v),
                    json_is_array(v) ? (json_array_size(v) < 4 ? "fewer than 4" : "more than 4")
                                     : "");
    static const double lo[4] = {-180, -90, -180, -90}, hi[4] = {180, 90, 180, 90};
    double e[4];
    for (size_t i = 0; i < 4; i++) {
        push_index(c, i);
        rm_status st = take_number(c, json_array_get(v, i), &e[i], lo[i], hi[i]);
        pop(c);
        if (st)
            return st;
    }
    if (e[0] == e[2])
        return fail(c, "minlon %g must differ from maxlon %g", e[0], e[2]);
    /* minlon > maxlon: the box crosses the antimeridian ([160, 55, -150, 72]),
     * kept with maxlon past 180 (geom.h) */
    e[2] = rm_extent_maxlon(e[0], e[2]);
    if (!(e[1] < e[3]))
        return fail(c, "minlat %g must be less than maxlat %g", e[1], e[3]);
    memcpy(s->extent, e, sizeof e);
    s->extent_auto = 0;
    return RM_OK;
}

/* "frame": [minx, miny, maxx, maxy], the map CRS box the page shows. */
static rm_status parse_frame(ctx *c, json_t *v, rm_spec *s)
{
    if (!json_is_array(v) || json_array_size(v) != 4)
        return fail(c, "expected [minx, miny, maxx, maxy] in map CRS units, found %s",
                    json_is_array(v) ? "an array of another length" : type_name(v));
    double e[4];
    for (size_t i = 0; i < 4; i++) {
        push_index(c, i);
        rm_status st = take_number(c, json_array_get(v, i), &e[i], -1e9, 1e9);
        pop(c);
        if (st)
            return st;
    }
    if (!(e[0] < e[2]))
        return fail(c, "minx %g must be less than maxx %g", e[0], e[2]);
    if (!(e[1] < e[3]))
        return fail(c, "miny %g must be less than maxy %g", e[1], e[3]);
    memcpy(s->frame, e, sizeof e);
    s->has_frame = 1;
    return RM_OK;
}

/* An object or array member that must be present. */
static json_t *need(ctx *c, json_t *obj, const char *key, rm_status *st)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        *st = fail(c, "missing required key '%s'", key);
    return v;
}

static rm_status parse_layer(ctx *c, json_t *v, rm_layer_spec *l)
{
    static const char *const keys[] = {"id",     "file",   "kind", "style",
                                       "filter", "legend", "crs",  "attribution"};
    static const char *const kinds[] = {"auto", "fill", "line", "point"};
    rm_status st = RM_OK;
    rm_style_init_layer(&l->style);
    if (!json_is_object(v))
        return fail(c, "expected a layer object {\"file\", \"style\", ...}, found %s",
                    type_name(v));
    if ((st = check_keys(c, v, keys, 8)))
        return st;
    if (!need(c, v, "file", &st))
        return st;
    if ((st = get_string(c, v, "file", &l->file)) || (st = get_string(c, v, "id", &l->id)) ||
        (st = get_string(c, v, "legend", &l->legend)) || (st = get_string(c, v, "crs", &l->crs)) ||
        (st = get_string(c, v, "attribution", &l->attribution)))
        return st;
    if (l->crs && !l->crs[0]) {
        push_key(c, "crs");
        st = fail(c, "empty CRS (give e.g. \"EPSG:32614\", or leave the key out)");
        pop(c);
        return st;
    }
    if (!l->file || !l->file[0]) {
        push_key(c, "file");
        st = fail(c, "empty file name");
        pop(c);
        return st;
    }
    if (!l->id) { /* the file's base name without .shp (.geojson, .json, .csv) */
        const char *b = strrchr(l->file, '/');
        b = b ? b + 1 : l->file;
        size_t n = strlen(b);
        static const char *const exts[] = {".shp", ".geojson", ".json", ".csv"};
        for (size_t e = 0; e < 4; e++) {
            size_t en = strlen(exts[e]);
            if (n > en && !strcasecmp(b + n - en, exts[e])) {
                n -= en;
                break;
            }
        }
        l->id = strndup(b, n);
        if (!l->id)
            return nomem(c);
    }
    char *kind = NULL;
    if ((st = get_string(c, v, "kind", &kind)))
        return st;
    if (kind) {
        size_t i;
        for (i = 0; i < 4; i++)
            if (!strcmp(kind, kinds[i]))
                break;
        if (i == 4) {
            push_key(c, "kind");
            const char *near = rm_closest_name(kind, kinds, 4);
            st = near ? fail(c, "unknown kind '%.40s' (did you mean '%s'?)", kind, near)
                      : fail(c, "unknown kind '%.40s' (known: auto, fill, line, point)", kind);
            pop(c);
            free(kind);
            return st;
        }
        l->kind = (rm_layer_kind)i;
        free(kind);
    }
    if ((st = get_style(c, v, &l->style)))
        return st;
    json_t *f = json_object_get(v, "filter");
    if (f) {
        static const char *const fkeys[] = {"field", "values"};
        push_key(c, "filter");
        if (!json_is_object(f))
            st = fail(c, "expected an object {\"field\": NAME, \"values\": [...]}, found %s",
                      type_name(f));
        else if (!(st = check_keys(c, f, fkeys, 2)) && need(c, f, "field", &st) &&
                 need(c, f, "values", &st) && !(st = get_string(c, f, "field", &l->filter_field)))
            st = get_string_list(c, f, "values", 100000, &l->filter_values, &l->nfilter_values);
        if (!st && l->nfilter_values == 0) {
            push_key(c, "values");
            st = fail(c, "empty list (a filter with no values would hide every feature)");
            pop(c);
        }
        pop(c);
    }
    return st;
}

static rm_status parse_route(ctx *c, json_t *v, rm_route_spec *r)
{
    static const char *const keys[] = {"from",       "to",       "via",   "rail",
                                       "max_gap_km", "style",    "label", "arrows",
                                       "main_lines", "distance", "mode"};
    static const char *const modes[] = {"rail", "road", "river", "sea", "walk"};
    rm_status st = RM_OK;
    rm_style_init_route(&r->style);
    r->max_gap_km = 5;
    r->arrows = 1;
    if (!json_is_object(v))
        return fail(c, "expected a route object {\"from\", \"to\", ...}, found %s", type_name(v));
    if ((st = check_keys(c, v, keys, 11)))
        return st;
    /* "distance": true (default: the railway km, or "≈" and the measured
     * km), false (none) or a text shown instead */
    json_t *dv = json_object_get(v, "distance");
    if (json_is_boolean(dv)) {
        r->no_distance = !json_is_true(dv);
    } else if (dv && (st = get_string(c, v, "distance", &r->distance_text))) {
        return st;
    }
    if ((st = get_bool(c, v, "main_lines", &r->main_lines)))
        return st;
    if (!need(c, v, "from", &st) || !need(c, v, "to", &st))
        return st;
    if ((st = get_string(c, v, "from", &r->from)) || (st = get_string(c, v, "to", &r->to)) ||
        (st = get_string(c, v, "rail", &r->rail_file)) ||
        (st = get_string(c, v, "label", &r->label)) ||
        (st = get_string_list(c, v, "via", RM_SPEC_MAX_VIA, &r->via, &r->nvia)) ||
        (st = get_number(c, v, "max_gap_km", &r->max_gap_km, 0, 1000)) ||
        (st = get_bool(c, v, "arrows", &r->arrows)) || (st = get_style(c, v, &r->style)) ||
        (st = get_string(c, v, "mode", &r->mode)))
        return st;
    if (r->mode) {
        size_t k;
        for (k = 0; k < 5 && strcmp(r->mode, modes[k]); k++)
            ;
        if (k == 5) {
            push_key(c, "mode");
            const char *near = rm_closest_name(r->mode, modes, 5);
            st = near ? fail(c, "unknown mode '%.40s' (did you mean '%s'?)", r->mode, near)
                      : fail(c, "unknown mode '%.40s' (known: %s)", r->mode, rm_mode_names());
            pop(c);
            return st;
        }
    }
    const char *empty = !r->from      ? "from"
                        : !r->to      ? "to"
                        : !r->from[0] ? "from"
                        : !r->to[0]   ? "to"
                                      : NULL;
    if (empty) {
        push_key(c, empty);
        st = fail(c, "expected a place name or \"lon,lat\"");
        pop(c);
    }
    return st;
}

static rm_status parse_marker(ctx *c, json_t *v, rm_marker_spec *m)
{
    static const char *const keys[] = {"label", "place",  "lon",      "lat",   "kind",
                                       "date",  "number", "priority", "group", "mode"};
    rm_status st = RM_OK;
    if (!json_is_object(v))
        return fail(c, "expected a marker object {\"place\" | \"lon\", \"lat\", ...}, found %s",
                    type_name(v));
    if ((st = check_keys(c, v, keys, 10)))
        return st;
    if ((st = get_string(c, v, "label", &m->label)) ||
        (st = get_string(c, v, "place", &m->place)) || (st = get_string(c, v, "kind", &m->kind)) ||
        (st = get_string(c, v, "date", &m->date)) || (st = get_string(c, v, "group", &m->group)) ||
        (st = get_string(c, v, "mode", &m->mode)) ||
        (st = get_int(c, v, "number", &m->number, 0, 9999)) ||
        (st = get_int(c, v, "priority", &m->priority, -1000, 1000)))
        return st;
    json_t *lon = json_object_get(v, "lon"), *lat = json_object_get(v, "lat");
    if (lon || lat) {
        if (m->place) {
            push_key(c, "place");
            st = fail(c, "give either \"place\" or \"lon\"/\"lat\", not both");
            pop(c);
            return st;
        }
        if (!lon || !lat)
            return fail(c, "missing required key '%s' (\"lon\" and \"lat\" go together)",
                        lon ? "lat" : "lon");
        if ((st = get_number(c, v, "lon", &m->lon, -180, 180)) ||
            (st = get_number(c, v, "lat", &m->lat, -90, 90)))
            return st;
        m->has_lonlat = 1;
    } else if (!m->place || !m->place[0]) {
        return fail(c, "missing required key 'place' (or \"lon\" and \"lat\")");
    }
    return RM_OK;
}

/* Parses an array member into a freshly allocated array of n items of size
 * sz, calling item() for each; *out/ *n are replaced on success. */
typedef rm_status (*item_fn)(ctx *c, json_t *v, void *item);

static rm_status parse_list(ctx *c, json_t *obj, const char *key, size_t cap, size_t sz,
                            item_fn item, void (*clear)(void *), void **out, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (!json_is_array(v)) {
        st = fail(c, "expected an array, found %s", type_name(v));
        pop(c);
        return st;
    }
    size_t cnt = json_array_size(v);
    if (cnt > cap) {
        st = fail(c, "%zu entries (at most %zu)", cnt, cap);
        pop(c);
        return st;
    }
    char *arr = calloc(cnt ? cnt : 1, sz);
    if (!arr) {
        pop(c);
        return nomem(c);
    }
    size_t i, done = 0;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        push_index(c, i);
        st = item(c, e, arr + i * sz);
        pop(c);
        done = i + 1; /* a failed item may hold partial allocations: clear it too */
        if (st)
            break;
    }
    if (st) {
        for (size_t k = 0; k < done; k++)
            clear(arr + k * sz);
        free(arr);
    } else {
        *out = arr;
        *n = cnt;
    }
    pop(c);
    return st;
}

static rm_status layer_item(ctx *c, json_t *v, void *p)
{
    return parse_layer(c, v, p);
}
static rm_status route_item(ctx *c, json_t *v, void *p)
{
    return parse_route(c, v, p);
}
static rm_status marker_item(ctx *c, json_t *v, void *p)
{
    return parse_marker(c, v, p);
}
static void layer_clear(void *p)
{
    rm_layer_spec_clear(p);
}
static void route_clear(void *p)
{
    rm_route_spec_clear(p);
}
static void marker_clear(void *p)
{
    rm_marker_spec_clear(p);
}

static rm_status parse_object_section(ctx *c, json_t *root, const char *key,
                                      const char *const *keys, size_t nkeys, json_t **out)
{
    *out = json_object_get(root, key);
    if (!*out)
        return RM_OK;
    push_key(c, key);
    rm_status st = RM_OK;
    if (!json_is_object(*out))
        st = fail(c, "expected an object, found %s", type_name(*out));
    else
        st = check_keys(c, *out, keys, nkeys);
    if (st)
        pop(c);
    return st; /* on success the caller pops */
}

static int is_absolute(const char *p)
{
    return p[0] == '/';
}

/* dir + "/" + rel, or a copy of rel when it is absolute or dir is empty. */
static char *join_path(const char *dir, const char *rel)
{
    if (!dir || !dir[0] || is_absolute(rel))
        return strdup(rel);
    size_t a = strlen(dir), b = strlen(rel);
    char *out = malloc(a + b + 2);
    if (!out)
        return NULL;
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, rel, b + 1);
    return out;
}

/* "journeys": {"file": "journeys.csv", "ids": ["J08", "J10"], "markers": true,
 * "arrows": true, "style": {...}} (or just the list of ids): the journeys of
 * data/facts/journeys.csv become routes (every rail journey through its rail
 * stops) and markers (the stops each journey visited); see docs/spec.md. */
static rm_status parse_journeys(ctx *c, json_t *root, rm_spec *s, const char *base_dir)
{
    static const char *const keys[] = {"file", "ids", "markers", "arrows", "style"};
    json_t *v = json_object_get(root, "journeys");
    if (!v)
        return RM_OK;
    rm_status st = RM_OK;
    char *file = NULL, **ids = NULL;
    size_t nids = 0;
    int markers = 1, arrows = 1;
    rm_style style;
    rm_style_init_route(&style);
    push_key(c, "journeys");
    if (json_is_array(v)) {
        pop(c);
        st = get_string_list(c, root, "journeys", 1000, &ids, &nids);
        push_key(c, "journeys");
    } else if (!json_is_object(v)) {
        st = fail(c,
                  "expected an object {\"file\", \"ids\", ...} or a list of journey ids, found %s",
                  type_name(v));
    } else if (!(st = check_keys(c, v, keys, 5))) {
        if (!(st = get_string(c, v, "file", &file)) &&
            !(st = get_string_list(c, v, "ids", 1000, &ids, &nids)) &&
            !(st = get_bool(c, v, "markers", &markers)) &&
            !(st = get_bool(c, v, "arrows", &arrows)))
            st = get_style(c, v, &style);
    }
    if (!st) {
        char *path = NULL;
        if (file) {
            path = join_path(base_dir, file);
        } else {
            const char *dd = s->data_dir ? s->data_dir : rm_default_data_dir();
            size_t n = strlen(dd) + 32;
            path = malloc(n);
            if (path)
                snprintf(path, n, "%s/../facts/journeys.csv", dd);
        }
        rm_error e;
        if (!path)
            st = nomem(c);
        else if ((st = rm_spec_expand_journeys(s, path, (const char *const *)ids, nids, markers,
                                               arrows, &style, &e)))
            st = fail_status_wrap(c, st, "%s", e.message);
        free(path);
    }
    pop(c);
    free(file);
    for (size_t i = 0; i < nids; i++)
        free(ids[i]);
    free(ids);
    return st;
}

/* Fills s from the parsed document root. */
static rm_status parse_root(ctx *c, json_t *root, rm_spec *s, const char *base_dir)
{
    static const char *const keys[] = {
        "size",       "theme",       "transparent", "projection", "extent",       "margin",
        "data_dir",   "layers",      "routes",      "markers",    "markers_file", "title",
        "subtitle",   "attribution", "furniture",   "labels",     "output",       "frame",
        "background", "label_field", "journeys"};
    static const char *const fkeys[] = {"legend", "scale_bar", "graticule", "north_arrow", "inset"};
    static const char *const lkeys[] = {"bilingual", "font_scale"};
    static const char *const okeys[] = {"path", "format"};
    static const char *const themes[] = {"light", "dark", "print"};
    static const char *const formats[] = {"svg", "pdf", "png"};
    rm_status st;
    if (!json_is_object(root))
        return fail(c, "the spec must be a JSON object {...}, found %s", type_name(root));
    if ((st = check_keys(c, root, keys, sizeof keys / sizeof keys[0])))
        return st;
    json_t *v = json_object_get(root, "size");
    if (v) {
        push_key(c, "size");
        st = parse_size(c, v, s);
        pop(c);
        if (st)
            return st;
    }
    if ((st = get_string(c, root, "theme", &s->theme)))
        return st;
    if (!s->theme && rm_spec_set_string(&s->theme, "light"))
        return nomem(c);
    if (!(s->theme[0] && (!strcmp(s->theme, "light") || !strcmp(s->theme, "dark") ||
                          !strcmp(s->theme, "print")))) {
        push_key(c, "theme");
        const char *near = rm_closest_name(s->theme, themes, 3);
        st = near ? fail(c, "unknown theme '%.40s' (did you mean '%s'?)", s->theme, near)
                  : fail(c, "unknown theme '%.40s' (known: light, dark, print)", s->theme);
        pop(c);
        return st;
    }
    if ((st = get_bool(c, root, "transparent", &s->transparent)) ||
        (st = get_string(c, root, "projection", &s->projection)) ||
        (st = get_number(c, root, "margin", &s->margin, 0, 0.45)))
        return st;
    if (!s->projection || !s->projection[0]) {
        push_key(c, "projection");
        st = fail(c, "expected \"auto\", \"EPSG:n\" or a PROJ string");
        pop(c);
        return st;
    }
    if ((v = json_object_get(root, "extent"))) {
        push_key(c, "extent");
        st = parse_extent(c, v, s);
        pop(c);
        if (st)
            return st;
    }
    if ((v = json_object_get(root, "frame"))) {
        push_key(c, "frame");
        st = parse_frame(c, v, s);
        if (!st && !strcmp(s->projection, "auto"))
            st = fail(c, "a frame is in map CRS units: give a \"projection\" too");
        pop(c);
        if (st)
            return st;
    }
    if ((st = get_color(c, root, "background", &s->background, &s->has_background)))
        return st;
    if ((st = get_string(c, root, "data_dir", &s->data_dir)))
        return st;
    if (s->data_dir) {
        if (!s->data_dir[0]) {
            push_key(c, "data_dir");
            st = fail(c, "empty directory name");
            pop(c);
            return st;
        }
        char *abs = join_path(base_dir, s->data_dir);
        if (!abs)
            return nomem(c);
        free(s->data_dir);
        s->data_dir = abs;
    }
    if ((st = parse_list(c, root, "layers", RM_SPEC_MAX_LAYERS, sizeof(rm_layer_spec), layer_item,
                         layer_clear, (void **)&s->layers, &s->nlayers)) ||
        (st = parse_list(c, root, "routes", RM_SPEC_MAX_ROUTES, sizeof(rm_route_spec), route_item,
                         route_clear, (void **)&s->routes, &s->nroutes)) ||
        (st = parse_list(c, root, "markers", RM_SPEC_MAX_MARKERS, sizeof(rm_marker_spec),
                         marker_item, marker_clear, (void **)&s->markers, &s->nmarkers)))
        return st;
    if ((st = get_string(c, root, "title", &s->title)) ||
        (st = get_string(c, root, "subtitle", &s->subtitle)) ||
        (st = get_string(c, root, "attribution", &s->attribution)))
        return st;
    json_t *sec;
    if ((st = parse_object_section(c, root, "furniture", fkeys, 5, &sec)))
        return st;
    if (sec) {
        st = get_bool(c, sec, "legend", &s->legend);
        if (!st)
            st = get_bool(c, sec, "scale_bar", &s->scale_bar);
        if (!st)
            st = get_bool(c, sec, "graticule", &s->graticule);
        if (!st)
            st = get_bool(c, sec, "north_arrow", &s->north_arrow);
        if (!st)
            st = get_bool(c, sec, "inset", &s->inset);
        pop(c);
        if (st)
            return st;
    }
    if ((st = parse_object_section(c, root, "labels", lkeys, 2, &sec)))
        return st;
    if (sec) {
        st = get_bool(c, sec, "bilingual", &s->bilingual);
        if (!st)
            st = get_number(c, sec, "font_scale", &s->font_scale, 0.25, 4);
        pop(c);
        if (st)
            return st;
    }
    v = json_object_get(root, "output");
    if (v && json_is_string(v)) {
        if ((st = get_string(c, root, "output", &s->output)))
            return st;
    } else if (v) {
        if ((st = parse_object_section(c, root, "output", okeys, 2, &sec)))
            return st;
        st = get_string(c, sec, "path", &s->output);
        if (!st)
            st = get_string(c, sec, "format", &s->format);
        if (!st && s->format && strcmp(s->format, "svg") && strcmp(s->format, "pdf") &&
            strcmp(s->format, "png")) {
            push_key(c, "format");
            const char *near = rm_closest_name(s->format, formats, 3);
            st = near ? fail(c, "unknown format '%.40s' (did you mean '%s'?)", s->format, near)
                      : fail(c, "unknown format '%.40s' (known: svg, pdf, png)", s->format);
            pop(c);
        }
        pop(c);
        if (st)
            return st;
    }
    /* "markers_file": "cities.shp" with "label_field": "NAME" beside it, or
     * {"file": "cities.shp", "label_field": "NAME"} */
    json_t *mf = json_object_get(root, "markers_file");
    if (json_is_object(mf)) {
        static const char *const mkeys[] = {"file", "label_field"};
        push_key(c, "markers_file");
        if ((st = check_keys(c, mf, mkeys, 2)) || !need(c, mf, "file", &st) ||
            (st = get_string(c, mf, "file", &s->markers_file)) ||
            (st = get_string(c, mf, "label_field", &s->markers_label_field))) {
            pop(c);
            return st;
        }
        pop(c);
    } else if ((st = get_string(c, root, "markers_file", &s->markers_file))) {
        return st;
    }
    if (!s->markers_label_field &&
        (st = get_string(c, root, "label_field", &s->markers_label_field)))
        return st;
    if (s->markers_file) {
        push_key(c, "markers_file");
        char *abs = join_path(base_dir, s->markers_file);
        if (!abs) {
            pop(c);
            return nomem(c);
        }
        free(s->markers_file);
        s->markers_file = abs;
        rm_marker_spec *more = NULL;
        size_t nmore = 0;
        rm_error e;
        size_t an = strlen(abs);
        if (an > 4 && !strcasecmp(abs + an - 4, ".shp"))
            st = rm_markers_read_layer(abs, s->markers_label_field, &more, &nmore, &e);
        else
            st = rm_markers_read(abs, &more, &nmore, &e);
        if (st) {
            st = fail_status_wrap(c, st, "%s", e.message);
        } else if (s->nmarkers + nmore > RM_SPEC_MAX_MARKERS) {
            rm_markers_free(more, nmore);
            st = fail(c, "%zu markers in all (at most %d)", s->nmarkers + nmore,
                      RM_SPEC_MAX_MARKERS);
        } else if (nmore) {
            rm_marker_spec *all = realloc(s->markers, (s->nmarkers + nmore) * sizeof *all);
            if (!all) {
                rm_markers_free(more, nmore);
                st = nomem(c);
            } else {
                memcpy(all + s->nmarkers, more, nmore * sizeof *more);
                s->markers = all;
                s->nmarkers += nmore;
                free(more); /* the entries now belong to s */
            }
        } else {
            free(more);
        }
        pop(c);
        if (st)
            return st;
    }
    return parse_journeys(c, root, s, base_dir);
}

/* Parses a spec document held in memory. base_dir (may be NULL) is where
 * relative data_dir and markers_file resolve. */
/* What a file that is no JSON document seems to be, from its first bytes
 * (a shapefile given where the spec goes, an image, an archive), or NULL. */
static const char *looks_like(const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 100 && u[0] == 0 && u[1] == 0 && u[2] == 0x27 && u[3] == 0x0A)
        return "a shapefile: give it as a layer, {\"layers\": [{\"file\": ...}]}";
    if (len >= 32 &&
        (u[0] == 0x03 || u[0] == 0x83 || u[0] == 0x8B || u[0] == 0xF5 || u[0] == 0x30) &&
        u[1] <= 200 && u[2] >= 1 && u[2] <= 12 && u[3] >= 1 && u[3] <= 31)
        return "a dBASE table (.dbf): give its shapefile as a layer";
    if (len >= 8 && !memcmp(u, "\x89PNG\r\n\x1a\n", 8))
        return "a PNG image";
    if (len >= 5 && !memcmp(u, "%PDF-", 5))
        return "a PDF document";
    if (len >= 4 && !memcmp(u, "PK\x03\x04", 4))
        return "a zip archive: unpack it first";
    size_t i = 0;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    if (len - i >= 5 && (!memcmp(text + i, "<?xml", 5) || !memcmp(text + i, "<svg", 4)))
        return "an SVG or XML document";
    return NULL;
}

static rm_spec *parse_text_inner(const char *text, size_t len, const char *name,
                                 const char *base_dir, rm_error *err)
{
    if (!name)
        name = "<spec>";
    if (!text) {
        rm_error_set(err, RM_ERR_USAGE, "%s: no text", name);
        return NULL;
    }
    if (len > RM_SPEC_MAX_FILE) {
        rm_error_set(err, RM_ERR_LIMIT, "%s: %zu bytes is too large for a map spec (at most %u MB)",
                     name, len, RM_SPEC_MAX_FILE / (1024u * 1024u));
        return NULL;
    }
    const char *looks = looks_like(text, len);
    if (looks) {
        rm_error_set(err, RM_ERR_SPEC, "%s: not a JSON spec (looks like %s)", name, looks);
        return NULL;
    }
    int depth = rm_json_depth(text, len, RM_SPEC_MAX_DEPTH);
    if (depth > RM_SPEC_MAX_DEPTH) {
        rm_error_set(err, RM_ERR_SPEC, "%s: nested more than %d levels deep (a map spec needs 4)",
                     name, RM_SPEC_MAX_DEPTH);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
        else
            rm_error_set(err, RM_ERR_SPEC, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    const char *gt = json_string_value(json_object_get(root, "type"));
    if (gt && (!strcmp(gt, "FeatureCollection") || !strcmp(gt, "Feature"))) {
        json_decref(root);
        rm_error_set(err, RM_ERR_SPEC,
                     "%s: not a map spec (looks like GeoJSON: give it as a layer, {\"layers\": "
                     "[{\"file\": ...}]}, or as \"markers_file\")",
                     name);
        return NULL;
    }
    rm_spec *s = rm_spec_new();
    if (!s) {
        json_decref(root);
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", name);
        return NULL;
    }
    ctx c = {.name = name, .text = text, .len = len, .depth = 0, .err = err};
    rm_status st = parse_root(&c, root, s, base_dir);
    json_decref(root);
    if (!st) {
        rm_error e;
        st = rm_spec_validate(s, &e);
        if (st)
            rm_error_set(err, st, "%s: %s", name, e.message);
    }
    if (!st) { /* kept so that later errors (an unknown place) can say where */
        s->source_name = strdup(name);
        s->source_text = malloc(len + 1);
        if (s->source_text) {
            memcpy(s->source_text, text, len);
            s->source_text[len] = 0;
            s->source_len = len;
        }
    }
    if (st) {
        rm_spec_free(s);
        return NULL;
    }
    return s;
}

/* Every error message stays one line, whatever the document's keys, values
 * or file name hold. */
static rm_spec *parse_text(const char *text, size_t len, const char *name, const char *base_dir,
                           rm_error *err)
{
    rm_spec *s = parse_text_inner(text, len, name, base_dir, err);
    if (!s)
        rm_error_one_line(err);
    return s;
}

rm_spec *rm_spec_parse_text(const char *text, size_t len, const char *name, rm_error *err)
{
    return parse_text(text, len, name, NULL, err);
}

rm_spec *rm_spec_parse_text_at(const char *text, size_t len, const char *name, const char *base_dir,
                               rm_error *err)
{
    return parse_text(text, len, name, base_dir, err);
}

static rm_status read_capped(const char *path, size_t max, int regular_only, char **out,
                             size_t *len, rm_error *err)
{
    *out = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO that no one writes must not wait forever */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return rm_error_set(err, RM_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        close(fd);
        return rm_error_set(err, RM_ERR_IO, "%s: is a directory", path);
    }
    if (regular_only && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
        close(fd);
        return rm_error_set(err, RM_ERR_IO, "%s: not a regular file (a %s), refused", path,
                            S_ISFIFO(sb.st_mode)  ? "FIFO"
                            : S_ISCHR(sb.st_mode) ? "character device"
                            : S_ISBLK(sb.st_mode) ? "block device"
                                                  : "socket");
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                free(buf);
                fclose(f);
                return rm_error_set(err, RM_ERR_LIMIT, "%s: larger than %zu MB, refused", path,
                                    max / (1024 * 1024));
            }
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return rm_error_set(err, RM_ERR_IO, "%s: read error", path);
    }
    if (n > max) {
        free(buf);
        return rm_error_set(err, RM_ERR_LIMIT, "%s: larger than %zu MB, refused", path,
                            max / (1024 * 1024));
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return RM_OK;
}

rm_status rm_read_file_capped(const char *path, size_t max, char **out, size_t *len, rm_error *err)
{
    return read_capped(path, max, 0, out, len, err);
}

rm_status rm_read_regular_capped(const char *path, size_t max, char **out, size_t *len,
                                 rm_error *err)
{
    return read_capped(path, max, 1, out, len, err);
}

rm_spec *rm_spec_parse_file(const char *path, rm_error *err)
{
    if (!path) {
        rm_error_set(err, RM_ERR_USAGE, "no spec file given");
        return NULL;
    }
    char *text;
    size_t len;
    if (rm_read_file_capped(path, RM_SPEC_MAX_FILE, &text, &len, err)) {
        rm_error_one_line(err);
        return NULL;
    }
    /* relative paths inside the spec resolve against the spec's directory */
    char *dir = strdup(path);
    if (!dir) {
        free(text);
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        return NULL;
    }
    char *slash = strrchr(dir, '/');
    if (slash)
        slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
    else
        dir[0] = '\0';
    rm_spec *s = parse_text(text, len, path, dir, err);
    free(dir);
    free(text);
    return s;
}
