/* Tests of the renderer on the default map and its variants: the three
 * formats, SVG sizes in px with a viewBox, labels that do not collide (read
 * from the layout dump), every trip destination drawn, the route through
 * Tumangang and Khasan (from the georeference dump, checked against PROJ),
 * determinism, themes, and the errors a bad spec gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_render_util.h"

#define LAYOUT "test_render_layout.json"
#define GEOREF "test_render_georef.json"

static void check_layout(json_t *lay, size_t *nlabels)
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

static rm_spec *default_spec(void)
{
    rm_error err;
    rm_spec *s = rm_spec_default(&err);
    if (!s)
        fail_msg("rm_spec_default: %s", err.message);
    return s;
}

static void test_formats(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_OK);
    assert_true(b.len > 10000);
    char *head = strndup((const char *)b.data, 600);
    assert_non_null(strstr(head, "<svg"));
    assert_non_null(strstr(head, "width=\"1600px\""));
    assert_non_null(strstr(head, "height=\"1000px\""));
    assert_non_null(strstr(head, "viewBox=\"0 0 1600 1000\""));
    free(head);
    free(b.data);
    assert_int_equal(tu_render(s, RM_FORMAT_PDF, NULL, &b, &err), RM_OK);
    assert_memory_equal(b.data, "%PDF-", 5);
    /* 1600 x 1000 px at 96 dpi is 1200 x 750 pt */
    assert_true(tu_contains(b.data, b.len, "/MediaBox [ 0 0 1200 750 ]"));
    free(b.data);
    /* width x height are the PNG's pixels; at 192 dpi the same page is
     * drawn twice as fine, with the same layout */
    s->width = 3200;
    s->height = 2000;
    s->dpi = 192;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &b, &err), RM_OK);
    assert_memory_equal(b.data, "\x89PNG", 4);
    cairo_surface_t *img = tu_png(b.data, b.len);
    assert_non_null(img);
    assert_int_equal(cairo_image_surface_get_width(img), 3200);
    assert_int_equal(cairo_image_surface_get_height(img), 2000);
    /* ... and its PDF has the same physical size as the 96 dpi one */
    free(b.data);
    assert_int_equal(tu_render(s, RM_FORMAT_PDF, NULL, &b, &err), RM_OK);
    assert_true(tu_contains(b.data, b.len, "/MediaBox [ 0 0 1200 750 ]"));
    cairo_surface_destroy(img);
    free(b.data);
    rm_spec_free(s);
}

/* The default map: labels do not collide; every trip destination and the
 * three named places are drawn; the route passes within 5 km of Tumangang
 * and Khasan; the georeference agrees with PROJ. */
static void test_default_map_content(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.layout_path = LAYOUT;
    o.georef_path = GEOREF;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, &o, &b, &err), RM_OK);
    free(b.data);
    json_t *lay = tu_json(LAYOUT), *geo = tu_json(GEOREF);
    assert_non_null(lay);
    assert_non_null(geo);
    size_t nl;
    check_layout(lay, &nl);
    assert_true(nl >= 8);
    /* the origin, destination and crossing labels are never dropped */
    json_t *dropped = json_object_get(lay, "dropped");
    for (size_t i = 0; i < json_array_size(dropped); i++)
        assert_true(json_integer_value(json_object_get(json_array_get(dropped, i), "priority")) <
                    90);
    /* every numbered marker of the spec is drawn: its number appears on a
     * marker symbol */
    json_t *markers = json_object_get(lay, "markers");
    for (size_t i = 0; i < s->nmarkers; i++) {
        if (s->markers[i].number <= 0)
            continue;
        int seen = 0;
        for (size_t j = 0; j < json_array_size(markers); j++) {
            json_t *nums = json_object_get(json_array_get(markers, j), "numbers");
            for (size_t k = 0; k < json_array_size(nums); k++)
                if (json_integer_value(json_array_get(nums, k)) == s->markers[i].number)
                    seen = 1;
        }
        if (!seen)
            fail_msg("trip %d (%s) is not drawn", s->markers[i].number,
                     s->markers[i].label ? s->markers[i].label : "?");
    }
    /* every marker of the spec is on the page, where PROJ puts it */
    json_t *places = json_object_get(geo, "places");
    assert_true(json_array_size(places) >= s->nmarkers);
    for (size_t j = 0; j < json_array_size(places); j++) {
        json_t *p = json_array_get(places, j);
        double x = 0, y = 0;
        assert_int_equal(tu_page_xy(geo, json_real_value(json_object_get(p, "lon")),
                                    json_real_value(json_object_get(p, "lat")), &x, &y),
                         0);
        assert_float_equal(x, json_real_value(json_object_get(p, "x")), 1e-3);
        assert_float_equal(y, json_real_value(json_object_get(p, "y")), 1e-3);
        assert_true(x > 0 && x < 1600 && y > 0 && y < 1000);
    }
    /* the route: through Tumangang and Khasan, page positions per PROJ */
    json_t *route = json_array_get(json_object_get(geo, "routes"), 0);
    assert_non_null(route);
    json_t *verts = json_object_get(route, "vertices");
    assert_true(json_array_size(verts) > 50);
    double ends[2][2] = {{130.627, 42.401}, {130.659, 42.419}}; /* Tumangang, Khasan */
    double best[2] = {1e9, 1e9};
    for (size_t i = 0; i < json_array_size(verts); i++) {
        json_t *v = json_array_get(verts, i);
        double lon = json_real_value(json_array_get(v, 0)),
               lat = json_real_value(json_array_get(v, 1));
        for (int e = 0; e < 2; e++) {
            double d = rm_haversine_km(lon, lat, ends[e][0], ends[e][1]);
            if (d < best[e])
                best[e] = d;
        }
        if (i % 25 == 0) {
            double x = 0, y = 0;
            assert_int_equal(tu_page_xy(geo, lon, lat, &x, &y), 0);
            assert_float_equal(x, json_real_value(json_array_get(v, 2)), 1e-3);
            assert_float_equal(y, json_real_value(json_array_get(v, 3)), 1e-3);
        }
    }
    assert_true(best[0] < 5);
    assert_true(best[1] < 5);
    double km = json_real_value(json_object_get(route, "km"));
    assert_true(km > 700 && km < 1400);
    json_decref(lay);
    json_decref(geo);
    unlink(LAYOUT);
    unlink(GEOREF);
    rm_spec_free(s);
}

/* Same inputs, same bytes, in every format. */
static void test_determinism(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    rm_format f[3] = {RM_FORMAT_SVG, RM_FORMAT_PDF, RM_FORMAT_PNG};
    for (int i = 0; i < 3; i++) {
        tu_buf a, b;
        assert_int_equal(tu_render(s, f[i], NULL, &a, &err), RM_OK);
        assert_int_equal(tu_render(s, f[i], NULL, &b, &err), RM_OK);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        free(a.data);
        free(b.data);
    }
    rm_spec_free(s);
}

/* Land is land and sea is sea: sample the PNG at points known to be each. */
static void test_land_and_sea(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.georef_path = GEOREF;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, &o, &b, &err), RM_OK);
    cairo_surface_t *img = tu_png(b.data, b.len);
    assert_non_null(img);
    json_t *geo = tu_json(GEOREF);
    double x = 0, y = 0;
    /* Sea of Japan, and inland China */
    assert_int_equal(tu_page_xy(geo, 134.0, 40.0, &x, &y), 0);
    unsigned sea = tu_pixel(img, (int)x, (int)y);
    assert_int_equal(tu_page_xy(geo, 112.0, 34.0, &x, &y), 0);
    unsigned land = tu_pixel(img, (int)x, (int)y);
    assert_int_not_equal(sea, land);
    /* the sea is bluer than the land */
    assert_true((sea & 0xff) > ((sea >> 16) & 0xff));
    assert_true((land & 0xff) <= ((land >> 16) & 0xff));
    cairo_surface_destroy(img);
    free(b.data);
    json_decref(geo);
    unlink(GEOREF);
    rm_spec_free(s);
}

static void test_themes(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    const char *themes[] = {"dark", "print"};
    unsigned corner[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(rm_spec_set_string(&s->theme, themes[i]), 0);
        s->dpi = 48; /* small and quick: 800 x 500 px for the 1600 x 1000 page */
        s->width = 800;
        s->height = 500;
        tu_buf b;
        assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &b, &err), RM_OK);
        cairo_surface_t *img = tu_png(b.data, b.len);
        corner[i] = tu_pixel(img, 2, 2);
        /* print: every pixel is grey */
        if (i == 1) {
            int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
            for (int yy = 0; yy < h; yy += 3)
                for (int xx = 0; xx < w; xx += 3) {
                    unsigned p = tu_pixel(img, xx, yy);
                    int r = (p >> 16) & 255, g = (p >> 8) & 255, bl = p & 255;
                    if (abs(r - g) > 2 || abs(g - bl) > 2)
                        fail_msg("print theme pixel (%d,%d) is coloured: %06x", xx, yy, p);
                }
        }
        cairo_surface_destroy(img);
        free(b.data);
    }
    assert_true((corner[0] & 0xff) < 0x40); /* dark paper */
    assert_int_equal(corner[1], 0xffffff);  /* white paper */
    /* transparent: the corner pixel has no alpha at all */
    assert_int_equal(rm_spec_set_string(&s->theme, "light"), 0);
    s->transparent = 1;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &b, &err), RM_OK);
    cairo_surface_t *img = tu_png(b.data, b.len);
    unsigned char *d = cairo_image_surface_get_data(img);
    assert_int_equal(d[3], 0);
    cairo_surface_destroy(img);
    free(b.data);
    rm_spec_free(s);
}

static void test_errors(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    tu_buf b;
    assert_int_equal(rm_spec_set_string(&s->theme, "neon"), 0);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_ERR_SPEC);
    assert_non_null(strstr(err.message, "neon"));
    assert_int_equal(rm_spec_set_string(&s->theme, "light"), 0);
    assert_int_equal(rm_spec_set_string(&s->projection, "+proj=nonsense"), 0);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_ERR_PROJ);
    assert_int_equal(rm_spec_set_string(&s->projection, "EPSG:3857"), 0);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_OK);
    free(b.data);
    assert_int_equal(rm_spec_set_string(&s->routes[0].to, "Atlantis"), 0);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "Atlantis"));
    assert_null(b.data);
    rm_spec_free(s);
    /* a missing layer file names the file */
    s = default_spec();
    assert_int_equal(rm_spec_set_string(&s->layers[0].file, "no_such_layer.shp"), 0);
    assert_int_not_equal(tu_render(s, RM_FORMAT_SVG, NULL, &b, &err), RM_OK);
    assert_non_null(strstr(err.message, "no_such_layer"));
    rm_spec_free(s);
}

/* Rendering to a file goes through the atomic writer, and the format
 * follows the extension. */
static void test_render_file(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    rm_error err;
    assert_int_equal(rm_render_file(s, "test_render_out.pdf", RM_FORMAT_AUTO, NULL, &err), RM_OK);
    FILE *f = fopen("test_render_out.pdf", "rb");
    assert_non_null(f);
    char head[5];
    assert_int_equal(fread(head, 1, 5, f), 5);
    fclose(f);
    assert_memory_equal(head, "%PDF-", 5);
    unlink("test_render_out.pdf");
    assert_int_equal(rm_format_from(NULL, "a/b.PNG"), RM_FORMAT_PNG);
    assert_int_equal(rm_format_from("pdf", "x.svg"), RM_FORMAT_PDF);
    assert_int_equal(rm_format_from(NULL, "dir.png/map"), RM_FORMAT_SVG);
    rm_spec_free(s);
}

int main(void)
{
    tu_data_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),     cmocka_unit_test(test_default_map_content),
        cmocka_unit_test(test_determinism), cmocka_unit_test(test_land_and_sea),
        cmocka_unit_test(test_themes),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_render_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
