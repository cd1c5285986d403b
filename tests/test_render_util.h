/* Helpers shared by the renderer's tests: rendering a spec to memory,
 * reading the layout and georeference dumps, decoding a PNG, and finding a
 * lon/lat on the page. */
#ifndef RM_TEST_RENDER_UTIL_H
#define RM_TEST_RENDER_UTIL_H

#include <cairo.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routemap/places.h"
#include "routemap/project.h"
#include "routemap/render.h"
#include "routemap/spec.h"

/* The repository's data directory; the tests point ROUTEMAP_DATA at it when
 * ctest did not. */
static inline const char *tu_data_dir(void)
{
    const char *env = getenv("ROUTEMAP_DATA");
    if (env && *env)
        return env;
    setenv("ROUTEMAP_DATA", RM_SOURCE_DIR "/data/shapefiles", 1);
    return getenv("ROUTEMAP_DATA");
}

static inline int tu_have_data(void)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/places.shp", tu_data_dir());
    return access(p, R_OK) == 0;
}

typedef struct tu_buf {
    unsigned char *data;
    size_t len;
} tu_buf;

static inline rm_status tu_render(const rm_spec *s, rm_format fmt, const rm_render_options *o,
                                  tu_buf *out, rm_error *err)
{
    out->data = NULL;
    out->len = 0;
    return rm_render_buffer(s, fmt, o, &out->data, &out->len, err);
}

static inline json_t *tu_json(const char *path)
{
    json_error_t je;
    return json_load_file(path, 0, &je);
}

typedef struct tu_box {
    double x0, y0, x1, y1;
} tu_box;

static inline tu_box tu_box_of(json_t *arr)
{
    tu_box b = {json_real_value(json_array_get(arr, 0)), json_real_value(json_array_get(arr, 1)),
                json_real_value(json_array_get(arr, 2)), json_real_value(json_array_get(arr, 3))};
    return b;
}

static inline int tu_overlap(const tu_box *a, const tu_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Decodes a PNG held in memory into an ARGB32 image surface. */
typedef struct tu_reader {
    const unsigned char *p;
    size_t left;
} tu_reader;

static inline cairo_status_t tu_read(void *closure, unsigned char *data, unsigned int len)
{
    tu_reader *r = closure;
    if (len > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, len);
    r->p += len;
    r->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

static inline cairo_surface_t *tu_png(const unsigned char *data, size_t len)
{
    tu_reader r = {data, len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(tu_read, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* The colour of pixel (x, y) as 0xRRGGBB (alpha ignored). */
static inline unsigned tu_pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    unsigned v = *(unsigned *)(d + (size_t)y * (size_t)stride + 4 * (size_t)x);
    return v & 0xffffff;
}

/* Does haystack hold needle? */
static inline int tu_contains(const unsigned char *h, size_t hl, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= hl; i++)
        if (!memcmp(h + i, needle, nl))
            return 1;
    return 0;
}

/* Page position of lon/lat according to a georef dump. */
static inline int tu_page_xy(json_t *georef, double lon, double lat, double *x, double *y)
{
    rm_error err;
    const char *crs = json_string_value(json_object_get(georef, "crs"));
    rm_proj *p = rm_proj_new(crs, NULL, &err);
    if (!p)
        return -1;
    double xy[2] = {lon, lat};
    size_t bad = rm_proj_forward(p, xy, 1);
    rm_proj_free(p);
    if (bad)
        return -1;
    json_t *a = json_object_get(georef, "affine");
    *x =
        json_real_value(json_object_get(a, "a")) * xy[0] + json_real_value(json_object_get(a, "c"));
    *y =
        json_real_value(json_object_get(a, "d")) * xy[1] + json_real_value(json_object_get(a, "f"));
    return 0;
}

/* Mean absolute difference per channel (0..255) of two same-size images,
 * composited over white. */
static inline double tu_mean_diff(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    if (w != cairo_image_surface_get_width(b) || h != cairo_image_surface_get_height(b))
        return 1e9;
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *da = cairo_image_surface_get_data(a),
                        *db = cairo_image_surface_get_data(b);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    double sum = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const unsigned char *pa = da + (size_t)y * (size_t)sa + 4 * (size_t)x;
            const unsigned char *pb = db + (size_t)y * (size_t)sb + 4 * (size_t)x;
            for (int c = 0; c < 3; c++) {
                /* premultiplied over white: c + (255 - alpha) */
                int va = pa[c] + 255 - pa[3], vb = pb[c] + 255 - pb[3];
                sum += abs(va - vb);
            }
        }
    return sum / ((double)w * h * 3);
}

/* No placed label overlaps another, a marker or the furniture, or leaves
 * the map area. */
static inline void check_layout(json_t *lay, size_t *nlabels)
{
    json_t *labels = json_object_get(lay, "labels");
    json_t *markers = json_object_get(lay, "markers");
    json_t *furn = json_object_get(lay, "furniture");
    tu_box map = tu_box_of(json_object_get(lay, "map_area"));
    size_t n = json_array_size(labels);
    for (size_t i = 0; i < n; i++) {
        json_t *li = json_array_get(labels, i);
        tu_box a = tu_box_of(json_object_get(li, "box"));
        const char *ti = json_string_value(json_object_get(li, "text"));
        /* inside the map area, so never over the page edge */
        if (!(a.x0 >= map.x0 && a.x1 <= map.x1 && a.y0 >= map.y0 && a.y1 <= map.y1))
            fail_msg("label '%s' leaves the map area", ti);
        for (size_t j = i + 1; j < n; j++) {
            json_t *lj = json_array_get(labels, j);
            tu_box b = tu_box_of(json_object_get(lj, "box"));
            if (tu_overlap(&a, &b))
                fail_msg("labels '%s' and '%s' overlap", ti,
                         json_string_value(json_object_get(lj, "text")));
        }
        for (size_t j = 0; j < json_array_size(markers); j++) {
            tu_box b = tu_box_of(json_object_get(json_array_get(markers, j), "box"));
            if (tu_overlap(&a, &b))
                fail_msg("label '%s' covers a marker", ti);
        }
        for (size_t j = 0; j < json_array_size(furn); j++) {
            tu_box b = tu_box_of(json_object_get(json_array_get(furn, j), "box"));
            if (tu_overlap(&a, &b))
                fail_msg("label '%s' covers the %s", ti,
                         json_string_value(json_object_get(json_array_get(furn, j), "kind")));
        }
    }
    *nlabels = n;
}

static inline rm_spec *default_spec(void)
{
    rm_error err;
    rm_spec *s = rm_spec_default(&err);
    if (!s)
        fail_msg("rm_spec_default: %s", err.message);
    return s;
}

#endif
