/* Variants of the default map: the dark and print themes and a transparent
 * background, the errors a bad spec gives, rendering to a file, and the
 * optional furniture (north arrow, inset). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "routemap/cleanup.h"
#include "test_render_util.h"

#define LAYOUT "test_render_variants_layout.json"

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

static int has_furniture(json_t *lay, const char *kind)
{
    json_t *furn = json_object_get(lay, "furniture");
    for (size_t j = 0; j < json_array_size(furn); j++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(furn, j), "kind")), kind))
            return 1;
    return 0;
}

/* The optional furniture: a north arrow and an inset, which labels avoid;
 * in SVG and PNG alike. On the continent-wide default map the inset is the
 * route's detail; on a regional map it locates the region. */
static void test_inset_and_north_arrow(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_spec *s = default_spec();
    s->inset = 1;
    s->north_arrow = 1;
    rm_error err;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.layout_path = LAYOUT;
    tu_buf b;
    for (int f = 0; f < 2; f++) {
        assert_int_equal(tu_render(s, f ? RM_FORMAT_PNG : RM_FORMAT_SVG, &o, &b, &err), RM_OK);
        free(b.data);
        json_t *lay = tu_json(LAYOUT);
        assert_true(has_furniture(lay, "inset"));
        assert_true(has_furniture(lay, "north_arrow"));
        size_t n;
        check_layout(lay, &n);
        json_decref(lay);
    }
    /* a regional map: the inset locates it */
    s->extent_auto = 0;
    s->extent[0] = 124;
    s->extent[1] = 37.5;
    s->extent[2] = 133;
    s->extent[3] = 44;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, &o, &b, &err), RM_OK);
    free(b.data);
    json_t *lay = tu_json(LAYOUT);
    assert_true(has_furniture(lay, "inset"));
    size_t n;
    check_layout(lay, &n);
    json_decref(lay);
    unlink(LAYOUT);
    rm_spec_free(s);
}

/* A locator inset takes its land from the spec's land layer: the
 * east-asia-rail benchmark narrowed to Korea draws Natural Earth's global
 * files, with no land.shp among them, and its inset must still show land
 * around the sea. Measured on the PNG inside the inset's box (from the
 * layout dump): the commonest colour (the sea) covers at most 85 % of it
 * and the next one (the land) at least 10 %. */
static void test_inset_land_from_spec(void **state)
{
    (void)state;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/global", RM_SHARED_DATA);
    char land[700];
    snprintf(land, sizeof land, "%s/ne_10m_land.shp", dir);
    if (access(land, R_OK) != 0)
        skip();
    rm_error err;
    rm_spec *s = rm_spec_parse_file(RM_SOURCE_DIR "/bench/korea-rail.json", &err);
    if (!s)
        fail_msg("%s", err.message);
    assert_int_equal(rm_spec_set_string(&s->data_dir, dir), 0);
    s->inset = 1;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.layout_path = LAYOUT;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, &o, &b, &err), RM_OK);
    cairo_surface_t *img = tu_png(b.data, b.len);
    free(b.data);
    json_t *lay = tu_json(LAYOUT);
    json_t *furn = json_object_get(lay, "furniture");
    tu_box ib = {0, 0, 0, 0};
    for (size_t j = 0; j < json_array_size(furn); j++) {
        json_t *f = json_array_get(furn, j);
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "inset"))
            ib = tu_box_of(json_object_get(f, "box"));
    }
    json_decref(lay);
    unlink(LAYOUT);
    assert_true(ib.x1 - ib.x0 > 40 && ib.y1 - ib.y0 > 40);
    /* the PNG is at the page's px size (96 dpi) */
    enum { K = 4096 };
    static unsigned col[K];
    static size_t cnt[K];
    size_t ncol = 0, n = 0;
    for (int y = (int)ib.y0 + 3; y < (int)ib.y1 - 3; y++)
        for (int x = (int)ib.x0 + 3; x < (int)ib.x1 - 3; x++) {
            unsigned v = tu_pixel(img, x, y);
            size_t k = 0;
            while (k < ncol && col[k] != v)
                k++;
            if (k == ncol && ncol < K) {
                col[ncol] = v;
                cnt[ncol++] = 0;
            }
            if (k < ncol)
                cnt[k]++;
            n++;
        }
    size_t first = 0, second = 0;
    for (size_t k = 0; k < ncol; k++)
        if (cnt[k] > first) {
            second = first;
            first = cnt[k];
        } else if (cnt[k] > second) {
            second = cnt[k];
        }
    if (!(first <= n * 85 / 100 && second >= n / 10))
        fail_msg("inset colours: commonest %.1f %%, next %.1f %% of %zu px", 100.0 * first / n,
                 100.0 * second / n, n);
    cairo_surface_destroy(img);
    rm_spec_free(s);
}

int main(void)
{
    tu_data_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_themes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_render_file),
        cmocka_unit_test(test_inset_and_north_arrow),
        cmocka_unit_test(test_inset_land_from_spec),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rm_library_cleanup(); /* the font caches, for leak checkers */
    return failed;
}
