/* The benchmark maps (bench/east-asia-rail.json, bench/korea-rail.json) from
 * the GLOBAL Natural Earth 10m files: what the speed work must not cost.
 *
 * - Simplified vs full precision: the normal render (lon/lat and page
 *   simplification, coordinates on a 1/4 px grid, path data written by
 *   routemap) and a --full-precision render (every vertex, cairo's own
 *   coordinates) are rasterised at 1600x1000 by rsvg-convert, an SVG reader
 *   other than the one that wrote them, and compared pixel by pixel.
 * - Land and sea in the right places (the first ne_10m_land polygon holds
 *   Eurasia and Antarctica; a conic cannot project the south pole), read at
 *   known places from the rasterised map.
 * - The exact frame: the page is the peers' 1600x1000 and a city lands on
 *   the pixel its projected metres give.
 * - The SVG stays within the 450 KB.
 *
 * Needs the shared Natural Earth data and rsvg-convert; skipped without. */
#include <cairo.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "routemap/project.h"
#include "routemap/render.h"
#include "routemap/spec.h"

#define GLOBAL_DIR RM_SHARED_DATA "/global"

static int have_inputs(void)
{
    if (access(GLOBAL_DIR "/ne_10m_land.shp", R_OK) != 0 ||
        access(GLOBAL_DIR "/ne_10m_railroads.shp", R_OK) != 0)
        return 0;
    return system("rsvg-convert --version >/dev/null 2>&1") == 0;
}

/* The bench spec, reading the global files. */
static rm_spec *bench_spec(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/bench/%s", RM_SOURCE_DIR, name);
    rm_error err;
    rm_spec *s = rm_spec_parse_file(path, &err);
    if (!s)
        fail_msg("%s", err.message);
    assert_int_equal(rm_spec_set_string(&s->data_dir, GLOBAL_DIR), 0);
    return s;
}

/* Renders spec as SVG (full precision or not) into a temporary file and
 * rasterises it at 1600x1000 with rsvg-convert; returns the image and,
 * when svg_bytes is given, the SVG's size. */
static cairo_surface_t *render_png(const rm_spec *s, int full, size_t *svg_bytes)
{
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.full_precision = full;
    unsigned char *data = NULL;
    size_t len = 0;
    rm_error err;
    if (rm_render_buffer(s, RM_FORMAT_SVG, &o, &data, &len, &err) != RM_OK)
        fail_msg("render: %s", err.message);
    if (svg_bytes)
        *svg_bytes = len;
    char svg[] = "/tmp/rm_perfq_XXXXXX";
    int fd = mkstemp(svg);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    free(data);
    char png[64], cmd[256];
    snprintf(png, sizeof png, "%s.png", svg);
    snprintf(cmd, sizeof cmd, "rsvg-convert -w 1600 -h 1000 -o %s %s", png, svg);
    int rc = system(cmd);
    unlink(svg);
    assert_int_equal(rc, 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    unlink(png);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 1600);
    assert_int_equal(cairo_image_surface_get_height(img), 1000);
    return img;
}

typedef struct diff_stats {
    double mean;     /* mean |a-b| over pixels and channels, in levels of 255 */
    double share_64; /* share of pixels whose largest channel difference is > 64 */
    double blur_max; /* largest |a-b| after a Gaussian blur of sigma 1.5 px */
} diff_stats;

/* Compares two images of the same size, pixel by pixel and after a blur. */
static diff_stats compare(cairo_surface_t *a, cairo_surface_t *b)
{
    cairo_surface_flush(a);
    cairo_surface_flush(b);
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
    const unsigned char *pa = cairo_image_surface_get_data(a),
                        *pb = cairo_image_surface_get_data(b);
    float *d = malloc((size_t)w * h * 3 * sizeof *d), *t = malloc((size_t)w * h * 3 * sizeof *t);
    assert_non_null(d);
    assert_non_null(t);
    double sum = 0;
    long big = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int m = 0;
            for (int c = 0; c < 3; c++) {
                int v = (int)pa[y * sa + 4 * x + c] - (int)pb[y * sb + 4 * x + c];
                d[((size_t)y * w + x) * 3 + c] = (float)v;
                sum += abs(v);
                if (abs(v) > m)
                    m = abs(v);
            }
            big += m > 64;
        }
    /* separable Gaussian, sigma 1.5 px, radius 4 */
    float k[9], ks = 0;
    for (int i = -4; i <= 4; i++)
        ks += k[i + 4] = (float)exp(-(double)(i * i) / (2 * 1.5 * 1.5));
    for (int i = 0; i < 9; i++)
        k[i] /= ks;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int i = -4; i <= 4; i++) {
                    int xx = x + i < 0 ? 0 : x + i >= w ? w - 1 : x + i;
                    v += k[i + 4] * d[((size_t)y * w + xx) * 3 + c];
                }
                t[((size_t)y * w + x) * 3 + c] = v;
            }
    double bmax = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int i = -4; i <= 4; i++) {
                    int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
                    v += k[i + 4] * t[((size_t)yy * w + x) * 3 + c];
                }
                if (fabs(v) > bmax)
                    bmax = fabs(v);
            }
    free(d);
    free(t);
    diff_stats st = {sum / ((double)w * h * 3), (double)big / ((double)w * h), bmax};
    return st;
}

/* Thresholds for "no visible difference" at 1600x1000 (96 dpi: 1 px is
 * 0.26 mm, about 1.5 arcminutes at 60 cm):
 * - mean difference below 1 level of 255: on average less than one grey
 *   step, below what a viewer can tell even between two flat areas;
 * - at most 0.1 % of the pixels (1,600) differ by more than a quarter of
 *   the range: strong differences are isolated anti-aliasing pixels on the
 *   edges of 0.6 px hairlines that moved by a fraction of a pixel;
 * - after a Gaussian blur of sigma 1.5 px (about what the eye resolves of
 *   such a screen at arm's length) no difference reaches 20 levels (8 %).
 *   That bound sits between what simplification may do and the smallest
 *   real defect: a lone 0.6 px #333 rail on land, removed, changes the
 *   blurred image by ~30 levels (0.6 px x 190 levels x the blur's peak
 *   0.27), a missing coast by more; moving such a hairline by the
 *   tolerance (0.2 px in lon/lat + 0.4 px on the page) changes it by at
 *   most ~8 levels (190 x 0.6 x 0.6 x the blur's steepest slope 0.11), and
 *   where several tracks run on top of each other (Tokyo) their moves add
 *   up to ~18. The coastline check below shows a missing layer failing. */
#define MAX_MEAN 1.0
#define MAX_SHARE_64 0.001
#define MAX_BLUR 20.0

static void check_invisible(const char *name, size_t max_svg, int control)
{
    rm_spec *s = bench_spec(name);
    size_t bytes = 0, full_bytes = 0;
    cairo_surface_t *simp = render_png(s, 0, &bytes);
    cairo_surface_t *full = render_png(s, 1, &full_bytes);
    diff_stats st = compare(simp, full);
    print_message("%s: SVG %zu bytes (full precision %zu); vs full precision: mean %.3f, "
                  "pixels > 64: %.4f %%, blurred max %.1f\n",
                  name, bytes, full_bytes, st.mean, 100 * st.share_64, st.blur_max);
    assert_true(st.mean < MAX_MEAN);
    assert_true(st.share_64 <= MAX_SHARE_64);
    assert_true(st.blur_max < MAX_BLUR);
    assert_true(bytes <= max_svg);
    assert_true(bytes < full_bytes / 4); /* the simplification does save */

    /* the thresholds do catch a visible change: the same map without its
     * coastline layer fails the blurred check */
    if (!control) {
        cairo_surface_destroy(simp);
        cairo_surface_destroy(full);
        rm_spec_free(s);
        return;
    }
    rm_spec *nc = bench_spec(name);
    assert_true(nc->nlayers == 4 && strstr(nc->layers[2].file, "coastline"));
    nc->layers[2].style.stroke.a = 0;
    nc->layers[2].style.set |= RM_STYLE_STROKE;
    cairo_surface_t *nocoast = render_png(nc, 0, NULL);
    diff_stats bad = compare(nocoast, full);
    print_message("%s without coastline vs full precision: mean %.3f, pixels > 64: %.4f %%, "
                  "blurred max %.1f\n",
                  name, bad.mean, 100 * bad.share_64, bad.blur_max);
    assert_true(bad.blur_max >= MAX_BLUR);
    cairo_surface_destroy(nocoast);
    rm_spec_free(nc);
    cairo_surface_destroy(simp);
    cairo_surface_destroy(full);
    rm_spec_free(s);
}

static void test_east_asia_invisible(void **state)
{
    (void)state;
    if (!have_inputs())
        skip();
    check_invisible("east-asia-rail.json", 450000, 0);
}

static void test_korea_invisible(void **state)
{
    (void)state;
    if (!have_inputs())
        skip();
    check_invisible("korea-rail.json", 450000, 1);
}

/* The page pixel of lon/lat in an exact-frame map: PROJ's metres through
 * the frame's scale (the page is the frame). */
static void frame_px(const rm_spec *s, double lon, double lat, double *x, double *y)
{
    rm_error err;
    rm_proj *p = rm_proj_new(s->projection, NULL, &err);
    assert_non_null(p);
    double xy[2] = {lon, lat};
    assert_int_equal(rm_proj_forward(p, xy, 1), 0);
    rm_proj_free(p);
    double k = s->width / (s->frame[2] - s->frame[0]);
    *x = (xy[0] - s->frame[0]) * k;
    *y = (s->frame[3] - xy[1]) * k;
}

static unsigned rgb_at(cairo_surface_t *img, double x, double y)
{
    int ix = (int)floor(x), iy = (int)floor(y);
    assert_true(ix >= 0 && iy >= 0 && ix < 1600 && iy < 1000);
    const unsigned char *p = cairo_image_surface_get_data(img) +
                             (size_t)iy * cairo_image_surface_get_stride(img) + 4 * (size_t)ix;
    return (unsigned)p[2] << 16 | (unsigned)p[1] << 8 | p[0];
}

/* Land where land is, sea where sea is, in both frames, and the frame is
 * exact: the 1600x1000 page shows frame[] at one scale, so a marker
 * symbol sits on its city's pixel. */
static void check_land_sea(const char *name, const double (*land)[2], size_t nland,
                           const double (*sea)[2], size_t nsea)
{
    rm_spec *s = bench_spec(name);
    assert_true(s->has_frame);
    assert_true(fabs((s->frame[2] - s->frame[0]) / (s->frame[3] - s->frame[1]) - 1.6) < 1e-9);
    cairo_surface_t *img = render_png(s, 0, NULL);
    for (size_t i = 0; i < nland; i++) {
        double x, y;
        frame_px(s, land[i][0], land[i][1], &x, &y);
        unsigned c = rgb_at(img, x, y);
        if (c != 0xf3f0e8)
            fail_msg("%s: %g,%g (page %.0f,%.0f) should be land #f3f0e8, is #%06x", name,
                     land[i][0], land[i][1], x, y, c);
    }
    for (size_t i = 0; i < nsea; i++) {
        double x, y;
        frame_px(s, sea[i][0], sea[i][1], &x, &y);
        unsigned c = rgb_at(img, x, y);
        if (c != 0xd6e6f2)
            fail_msg("%s: %g,%g (page %.0f,%.0f) should be sea #d6e6f2, is #%06x", name, sea[i][0],
                     sea[i][1], x, y, c);
    }
    /* Pyongyang's marker is drawn on its pixel: not the land colour there */
    double x, y;
    frame_px(s, 125.7625, 39.0392, &x, &y);
    assert_true(rgb_at(img, x, y) != 0xf3f0e8);
    cairo_surface_destroy(img);
    rm_spec_free(s);
}

static void test_land_and_sea(void **state)
{
    (void)state;
    if (!have_inputs())
        skip();
    /* inland: Mongolia/Inner Mongolia, Manchuria, central Korea, Honshu */
    static const double land_ea[][2] = {{112, 44}, {126, 46}, {127.5, 38.5}, {139.5, 36.5}};
    /* open water: Sea of Japan, Yellow Sea, the Pacific east of Japan, East China Sea */
    static const double sea_ea[][2] = {{134, 40}, {123.5, 35.5}, {147, 35}, {126, 30}};
    check_land_sea("east-asia-rail.json", land_ea, 4, sea_ea, 4);
    static const double land_ko[][2] = {{127.5, 38.5}, {128, 36}, {124.5, 41.5}};
    static const double sea_ko[][2] = {{131, 39}, {124, 36}, {126.5, 33.9}};
    check_land_sea("korea-rail.json", land_ko, 3, sea_ko, 3);
}

/* The "frame" and "background" keys: parsed, checked, and a frame needs an
 * explicit projection (it is in that projection's units). */
static void test_frame_spec(void **state)
{
    (void)state;
    rm_error err;
    const char *ok = "{\"projection\": \"+proj=lcc +lat_1=30 +lat_2=50 +lon_0=125 "
                     "+datum=WGS84\", \"frame\": [-2700000, -1690000, 2160000, 1347500], "
                     "\"background\": \"#d6e6f2\"}";
    rm_spec *s = rm_spec_parse_text(ok, strlen(ok), "ok.json", &err);
    assert_non_null(s);
    assert_true(s->has_frame && s->frame[0] == -2700000 && s->frame[3] == 1347500);
    assert_true(s->has_background && fabs(s->background.b - 0xf2 / 255.0) < 1e-9);
    rm_spec_free(s);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"{\"frame\": [0, 0, 1, 1]}", "projection"},
        {"{\"projection\": \"EPSG:3857\", \"frame\": [0, 0, 1]}", "frame"},
        {"{\"projection\": \"EPSG:3857\", \"frame\": [5, 0, 1, 1]}", "minx"},
        {"{\"projection\": \"EPSG:3857\", \"frame\": [0, 0, 1, \"x\"]}", "frame[3]"},
        {"{\"background\": \"blue\"}", "background"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = rm_spec_parse_text(bad[i].text, strlen(bad[i].text), "bad.json", &err);
        if (s)
            fail_msg("accepted: %s", bad[i].text);
        if (!strstr(err.message, bad[i].want))
            fail_msg("%s: error '%s' does not name '%s'", bad[i].text, err.message, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_spec),
        cmocka_unit_test(test_land_and_sea),
        cmocka_unit_test(test_east_asia_invisible),
        cmocka_unit_test(test_korea_invisible),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
