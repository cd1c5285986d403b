/* Tests of the renderer on the default map: the three formats, SVG sizes in
 * px with a viewBox, labels that do not collide (read from the layout dump),
 * every trip destination drawn, the route through Tumangang and Khasan (from
 * the georeference dump, checked against PROJ), determinism, land and sea.
 * test_render_variants.c has the themes, errors and optional furniture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "routemap/cleanup.h"
#include "test_render_util.h"

#define LAYOUT "test_render_layout.json"
#define GEOREF "test_render_georef.json"

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
     * marker symbol, or (far from the route: issue 16) beside its dot in the
     * locator inset */
    json_t *markers = json_object_get(lay, "markers");
    json_t *elsewhere = json_object_get(lay, "elsewhere");
    size_t nlocated = 0;
    for (size_t j = 0; j < json_array_size(elsewhere); j++)
        nlocated += !strcmp(json_string_value(json_object_get(json_array_get(elsewhere, j), "how")),
                            "locator");
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
        for (size_t j = 0; j < json_array_size(elsewhere); j++) {
            json_t *e = json_array_get(elsewhere, j);
            json_t *nums = json_object_get(e, "numbers");
            if (strcmp(json_string_value(json_object_get(e, "how")), "locator") != 0)
                continue;
            for (size_t k = 0; k < json_array_size(nums); k++)
                if (json_integer_value(json_array_get(nums, k)) == s->markers[i].number)
                    seen = 1;
        }
        if (!seen)
            fail_msg("trip %d (%s) is not drawn", s->markers[i].number,
                     s->markers[i].label ? s->markers[i].label : "?");
    }
    /* every marker of the spec is on the page, where PROJ puts it (or in the
     * locator inset) */
    json_t *places = json_object_get(geo, "places");
    assert_true(json_array_size(places) + nlocated >= s->nmarkers);
    assert_true(nlocated >= 2 && nlocated <= 6);
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
    /* the Sea of Japan off North Korea, and inland China (Liaoning) */
    assert_int_equal(tu_page_xy(geo, 130.5, 40.0, &x, &y), 0);
    unsigned sea = tu_pixel(img, (int)x, (int)y);
    assert_int_equal(tu_page_xy(geo, 122.5, 42.3, &x, &y), 0);
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

int main(void)
{
    tu_data_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_default_map_content),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_land_and_sea),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rm_library_cleanup(); /* the font caches, for leak checkers */
    return failed;
}
