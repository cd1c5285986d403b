/* The default map looks the same in SVG, PDF and PNG: the SVG rasterised by
 * rsvg-convert and the PDF by pdftoppm (other programs than the one that
 * wrote them) are compared with routemap's own PNG. And the simplified map
 * differs from a full-precision, unsimplified render by no visible amount. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "routemap/cleanup.h"
#include "test_render_util.h"

/* The largest difference of 8x8-pixel block means (0..255): catches a
 * missing line or label that a whole-image mean would hide. */
static double block_max_diff(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    const unsigned char *da = cairo_image_surface_get_data(a),
                        *db = cairo_image_surface_get_data(b);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    double worst = 0;
    for (int by = 0; by + 8 <= h; by += 8)
        for (int bx = 0; bx + 8 <= w; bx += 8)
            for (int c = 0; c < 3; c++) {
                double ma = 0, mb = 0;
                for (int y = by; y < by + 8; y++)
                    for (int x = bx; x < bx + 8; x++) {
                        const unsigned char *pa = da + (size_t)y * (size_t)sa + 4 * (size_t)x;
                        const unsigned char *pb = db + (size_t)y * (size_t)sb + 4 * (size_t)x;
                        ma += pa[c] + 255 - pa[3];
                        mb += pb[c] + 255 - pb[3];
                    }
                double d = fabs(ma - mb) / 64;
                if (d > worst)
                    worst = d;
            }
    return worst;
}

static int have(const char *tool)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

static void write_file(const char *path, const tu_buf *b)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
    fclose(f);
}

static void test_svg_pdf_png_agree(void **state)
{
    (void)state;
    if (!tu_have_data() || !have("rsvg-convert") || !have("pdftoppm"))
        skip();
    rm_error err;
    rm_spec *s = rm_spec_default(&err);
    assert_non_null(s);
    tu_buf svg, pdf, png;
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &svg, &err), RM_OK);
    assert_int_equal(tu_render(s, RM_FORMAT_PDF, NULL, &pdf, &err), RM_OK);
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &png, &err), RM_OK);
    write_file("fmt_map.svg", &svg);
    write_file("fmt_map.pdf", &pdf);
    assert_int_equal(system("rsvg-convert -w 1600 -h 1000 -o fmt_svg.png fmt_map.svg"), 0);
    assert_int_equal(system("pdftoppm -r 96 -png -singlefile fmt_map.pdf fmt_pdf"), 0);
    cairo_surface_t *ref = tu_png(png.data, png.len);
    cairo_surface_t *a = cairo_image_surface_create_from_png("fmt_svg.png");
    cairo_surface_t *b = cairo_image_surface_create_from_png("fmt_pdf.png");
    assert_int_equal(cairo_surface_status(a), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_surface_status(b), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(a), 1600);
    assert_int_equal(cairo_image_surface_get_width(b), 1600);
    assert_int_equal(cairo_image_surface_get_height(b), 1000);
    double msvg = tu_mean_diff(ref, a), mpdf = tu_mean_diff(ref, b);
    double bsvg = block_max_diff(ref, a), bpdf = block_max_diff(ref, b);
    print_message("SVG vs PNG: mean %.3f, worst 8x8 block %.1f; PDF vs PNG: mean %.3f, worst "
                  "block %.1f\n",
                  msvg, bsvg, mpdf, bpdf);
    /* poppler antialiases hairlines its own way: a small mean difference,
     * and no block where something is missing (a missing label or symbol
     * makes a block differ by 60 and more) */
    assert_true(msvg < 1.5);
    assert_true(mpdf < 3);
    assert_true(bsvg < 45);
    assert_true(bpdf < 45);
    /* and a different map is far from them: the comparison can fail */
    assert_int_equal(rm_spec_set_string(&s->theme, "dark"), 0);
    tu_buf dark;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &dark, &err), RM_OK);
    cairo_surface_t *d = tu_png(dark.data, dark.len);
    assert_true(tu_mean_diff(ref, d) > 20);
    cairo_surface_destroy(d);
    cairo_surface_destroy(ref);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
    free(svg.data);
    free(pdf.data);
    free(png.data);
    free(dark.data);
    unlink("fmt_map.svg");
    unlink("fmt_map.pdf");
    unlink("fmt_svg.png");
    unlink("fmt_pdf.png");
    rm_spec_free(s);
}

/* Simplification and coordinate rounding cost nothing visible, and they
 * make the SVG smaller. */
static void test_simplification_invisible(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_error err;
    rm_spec *s = rm_spec_default(&err);
    assert_non_null(s);
    rm_render_options full;
    memset(&full, 0, sizeof full);
    full.full_precision = 1;
    tu_buf a, b, sa, sb;
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, NULL, &a, &err), RM_OK);
    assert_int_equal(tu_render(s, RM_FORMAT_PNG, &full, &b, &err), RM_OK);
    cairo_surface_t *ia = tu_png(a.data, a.len), *ib = tu_png(b.data, b.len);
    double mean = tu_mean_diff(ia, ib), block = block_max_diff(ia, ib);
    print_message("simplified vs full precision: mean %.4f, worst 8x8 block %.2f\n", mean, block);
    assert_true(mean < 0.6); /* of 255: far below what an eye can tell */
    assert_true(block < 12);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, NULL, &sa, &err), RM_OK);
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, &full, &sb, &err), RM_OK);
    print_message("SVG: %zu bytes simplified, %zu at full precision\n", sa.len, sb.len);
    assert_true(sa.len * 10 < sb.len * 8);
    cairo_surface_destroy(ia);
    cairo_surface_destroy(ib);
    free(a.data);
    free(b.data);
    free(sa.data);
    free(sb.data);
    rm_spec_free(s);
}

int main(void)
{
    tu_data_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_pdf_png_agree),
        cmocka_unit_test(test_simplification_invisible),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rm_library_cleanup(); /* the font caches, for leak checkers */
    return failed;
}
