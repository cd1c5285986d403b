/* Tests for the clipping in geom: rings (rm_clip_ring and the streaming
 * rm_ring_clip_*) and polylines (rm_clip_polyline).
 *
 * What clipping promises is checked as a property, not against stored
 * output: inside the box, a clipped ring winds around every point exactly
 * as the original ring does (so it fills the same area under both fill
 * rules), and it never leaves the box. Rings come from a seeded generator:
 * star-shaped, self-intersecting, spiralling around the box, and lying
 * around a corner of it without touching it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "routemap/geom.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

/* Winding number of the closed ring xy[0..n) around (px, py). */
static int winding(const double *xy, size_t n, double px, double py)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = (i + 1) % n;
        double ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * j], by = xy[2 * j + 1];
        double cr = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
        if (ay <= py) {
            if (by > py && cr > 0)
                w++;
        } else if (by <= py && cr < 0) {
            w--;
        }
    }
    return w;
}

static int winding_path(const rm_path *p, double px, double py)
{
    int w = 0;
    for (size_t k = 0; k < p->nparts; k++)
        w += winding(p->xy + 2 * p->parts[k], rm_path_part_len(p, k), px, py);
    return w;
}

/* A random ring of n points around (cx, cy): kind 0 star-shaped, 1 random
 * points (self-intersecting), 2 a spiral that winds twice around the centre. */
static void make_ring(double *xy, size_t n, int kind, double cx, double cy, double r)
{
    for (size_t i = 0; i < n; i++) {
        double a = 2 * M_PI * (double)i / (double)n, rr = r * (0.3 + 0.7 * urand());
        if (kind == 1) {
            xy[2 * i] = cx + r * (2 * urand() - 1);
            xy[2 * i + 1] = cy + r * (2 * urand() - 1);
        } else {
            if (kind == 2)
                a *= 2;
            xy[2 * i] = cx + rr * cos(a);
            xy[2 * i + 1] = cy + rr * sin(a);
        }
    }
}

/* Checks a clipped ring against the original at a grid of points strictly
 * inside the box, and that every output point lies in the box. */
static void check_clip(const double *xy, size_t n, const rm_bbox *b, const rm_path *out)
{
    for (size_t i = 0; i < out->n; i++) {
        assert_true(out->xy[2 * i] >= b->minx - 1e-9 && out->xy[2 * i] <= b->maxx + 1e-9);
        assert_true(out->xy[2 * i + 1] >= b->miny - 1e-9 && out->xy[2 * i + 1] <= b->maxy + 1e-9);
    }
    for (int gy = 1; gy < 40; gy++)
        for (int gx = 1; gx < 40; gx++) {
            /* off the grid of the ring's own coordinates, so no sample sits on an edge */
            double px = b->minx + (b->maxx - b->minx) * (gx + 0.013) / 40.0;
            double py = b->miny + (b->maxy - b->miny) * (gy + 0.029) / 40.0;
            int w0 = winding(xy, n, px, py), w1 = winding_path(out, px, py);
            if (w0 != w1)
                fail_msg("winding at (%g, %g): %d before clipping, %d after", px, py, w0, w1);
        }
}

static void test_ring_winding_kept(void **state)
{
    (void)state;
    double xy[2 * 400];
    rm_path out, streamed;
    rm_path_init(&out);
    rm_path_init(&streamed);
    for (int t = 0; t < 600; t++) {
        int kind = t % 3;
        size_t n = 5 + (size_t)(urand() * 390);
        make_ring(xy, n, kind, 10 * urand(), 10 * urand(), 1 + 6 * urand());
        double x0 = 10 * urand(), y0 = 10 * urand();
        rm_bbox b = {x0, y0, x0 + 0.5 + 5 * urand(), y0 + 0.5 + 5 * urand()};
        rm_path_clear(&out);
        assert_int_equal(rm_clip_ring(xy, n, &b, &out), 0);
        assert_true(out.nparts <= 1);
        check_clip(xy, n, &b, &out);
        /* the streaming clipper, given the ring with its closing point repeated */
        rm_path_clear(&streamed);
        rm_ring_clipper c;
        rm_ring_clip_begin(&c, &b, &streamed);
        for (size_t i = 0; i <= n; i++)
            assert_int_equal(rm_ring_clip_push(&c, xy[2 * (i % n)], xy[2 * (i % n) + 1]), 0);
        assert_int_equal(rm_ring_clip_end(&c), 0);
        check_clip(xy, n, &b, &streamed);
        /* no point repeats the one before it, nor the last the first */
        for (size_t i = 0; i < streamed.n; i++) {
            size_t j = (i + 1) % streamed.n;
            assert_false(streamed.xy[2 * i] == streamed.xy[2 * j] &&
                         streamed.xy[2 * i + 1] == streamed.xy[2 * j + 1]);
        }
    }
    rm_path_free(&out);
    rm_path_free(&streamed);
}

static void test_ring_cases(void **state)
{
    (void)state;
    rm_path out;
    rm_path_init(&out);
    rm_bbox b = {0, 0, 10, 10};
    /* a ring around the box becomes the box */
    double around[] = {-5, -5, 15, -5, 15, 15, -5, 15};
    assert_int_equal(rm_clip_ring(around, 4, &b, &out), 0);
    assert_int_equal(out.nparts, 1);
    assert_int_equal(out.n, 4);
    check_clip(around, 4, &b, &out);
    /* an L around the corner (its box meets the box, it does not): nothing */
    rm_path_clear(&out);
    double ell[] = {-5, -5, 5, -5, 5, -1, -1, -1, -1, 5, -5, 5};
    assert_int_equal(rm_clip_ring(ell, 6, &b, &out), 0);
    assert_int_equal(out.nparts, 0);
    assert_int_equal(out.n, 0);
    /* a ring inside is kept as it is */
    rm_path_clear(&out);
    double in[] = {1, 1, 2, 1, 2, 2, 1, 2, 1, 1};
    assert_int_equal(rm_clip_ring(in, 5, &b, &out), 0);
    assert_int_equal(out.n, 4);
    for (size_t i = 0; i < 8; i++)
        assert_true(out.xy[i] == in[i]);
    /* rings after a first part each become a part of their own */
    assert_int_equal(rm_clip_ring(around, 4, &b, &out), 0);
    assert_int_equal(out.nparts, 2);
    assert_int_equal(rm_path_part_len(&out, 0), 4);
    assert_int_equal(rm_path_part_len(&out, 1), 4);
    /* a streamed ring of one or two points leaves nothing */
    rm_path_clear(&out);
    rm_ring_clipper c;
    rm_ring_clip_begin(&c, &b, &out);
    assert_int_equal(rm_ring_clip_push(&c, 1, 1), 0);
    assert_int_equal(rm_ring_clip_push(&c, 2, 2), 0);
    assert_int_equal(rm_ring_clip_end(&c), 0);
    assert_int_equal(out.nparts, 0);
    rm_path_free(&out);
}

/* Distance from (px, py) to the segment a-b. */
static double seg_dist(double px, double py, double ax, double ay, double bx, double by)
{
    double dx = bx - ax, dy = by - ay, l = dx * dx + dy * dy;
    double t = l > 0 ? ((px - ax) * dx + (py - ay) * dy) / l : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(px - ax - t * dx, py - ay - t * dy);
}

static void test_polyline(void **state)
{
    (void)state;
    double xy[2 * 200];
    rm_path out;
    rm_path_init(&out);
    for (int t = 0; t < 300; t++) {
        size_t n = 2 + (size_t)(urand() * 190);
        for (size_t i = 0; i < n; i++) {
            xy[2 * i] = 12 * urand() - 1;
            xy[2 * i + 1] = 12 * urand() - 1;
        }
        rm_bbox b = {2 * urand(), 2 * urand(), 5 + 5 * urand(), 5 + 5 * urand()};
        rm_path_clear(&out);
        assert_int_equal(rm_clip_polyline(xy, n, &b, &out), 0);
        for (size_t i = 0; i < out.n; i++) {
            assert_true(out.xy[2 * i] >= b.minx - 1e-9 && out.xy[2 * i] <= b.maxx + 1e-9);
            assert_true(out.xy[2 * i + 1] >= b.miny - 1e-9 && out.xy[2 * i + 1] <= b.maxy + 1e-9);
        }
        /* every point of the line inside the box lies on an output piece */
        for (size_t i = 0; i + 1 < n; i++)
            for (int s = 0; s <= 8; s++) {
                double px = xy[2 * i] + (xy[2 * i + 2] - xy[2 * i]) * s / 8.0;
                double py = xy[2 * i + 1] + (xy[2 * i + 3] - xy[2 * i + 1]) * s / 8.0;
                if (!rm_bbox_contains_point(&b, px, py))
                    continue;
                double best = INFINITY;
                for (size_t k = 0; k < out.nparts; k++) {
                    const double *q = out.xy + 2 * out.parts[k];
                    size_t m = rm_path_part_len(&out, k);
                    for (size_t j = 0; j + 1 < m; j++)
                        best = fmin(best, seg_dist(px, py, q[2 * j], q[2 * j + 1], q[2 * j + 2],
                                                   q[2 * j + 3]));
                }
                if (best > 1e-9)
                    fail_msg("point (%g, %g) of segment %zu is %g from the clipped line", px, py, i,
                             best);
            }
    }
    rm_path_free(&out);
}

/* A great circle across the antimeridian goes the short way, with
 * continuous longitudes: Petropavlovsk-Kamchatsky to Anchorage stays in the
 * North Pacific (158.6 .. 210.1), never swings back through Europe. */
static void test_great_circle_antimeridian(void **state)
{
    (void)state;
    double lon1 = 158.65, lat1 = 53.02, lon2 = -149.9, lat2 = 61.22;
    size_t n = rm_great_circle(lon1, lat1, lon2, lat2, 50, NULL, 0);
    assert_true(n > 20 && n < 200);
    double *xy = malloc(2 * n * sizeof *xy);
    assert_non_null(xy);
    assert_int_equal(rm_great_circle(lon1, lat1, lon2, lat2, 50, xy, n), n);
    assert_true(xy[0] == lon1 && xy[1] == lat1);
    assert_float_equal(xy[2 * (n - 1)], lon2 + 360, 1e-9);
    assert_float_equal(xy[2 * (n - 1) + 1], lat2, 1e-9);
    double len = 0;
    for (size_t i = 1; i < n; i++) {
        assert_true(fabs(xy[2 * i] - xy[2 * (i - 1)]) < 5);
        assert_true(xy[2 * i] >= lon1 - 1e-9 && xy[2 * i] <= lon2 + 360 + 1e-9);
        len += rm_haversine_km(xy[2 * (i - 1)], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1]);
    }
    /* the polyline is as long as the arc: the short way (about 3,250 km) */
    double d = rm_haversine_km(lon1, lat1, lon2, lat2);
    assert_true(d > 3000 && d < 3500);
    assert_float_equal(len, d, 1);
    /* and westward across 180 too */
    assert_int_equal(rm_great_circle(lon2, lat2, lon1, lat1, 50, xy, n), n);
    assert_float_equal(xy[2 * (n - 1)], lon1 - 360, 1e-9);
    free(xy);
}

/* The shortest longitude range of a set of points. */
static void test_lon_range(void **state)
{
    (void)state;
    double mn, mx;
    /* Kamchatka, Chukotka, Alaska: across 180 */
    double bering[] = {158.65, 53.0, 177.5, 64.7, -173.2, 64.4, -149.9, 61.2};
    assert_int_equal(rm_lon_range(bering, 4, 2, &mn, &mx), 0);
    assert_float_equal(mn, 158.65, 1e-9);
    assert_float_equal(mx, -149.9 + 360, 1e-9);
    /* Korea to Singapore: an ordinary range */
    double asia[] = {125.7, 39.0, 103.8, 1.2, 131.9, 43.1};
    assert_int_equal(rm_lon_range(asia, 3, 2, &mn, &mx), 0);
    assert_float_equal(mn, 103.8, 1e-9);
    assert_float_equal(mx, 131.9, 1e-9);
    /* points already past 180 (a continuous arc) are read modulo 360 */
    double arc[] = {170, 0, 190, 0, 200, 0};
    assert_int_equal(rm_lon_range(arc, 3, 2, &mn, &mx), 0);
    assert_float_equal(mn, 170, 1e-9);
    assert_float_equal(mx, 200, 1e-9);
    /* one point; none */
    assert_int_equal(rm_lon_range(arc, 1, 2, &mn, &mx), 0);
    assert_true(mn == 170 && mx == 170);
    double nan_only[] = {NAN, 0};
    assert_int_equal(rm_lon_range(nan_only, 1, 2, &mn, &mx), -1);
    assert_int_equal(rm_lon_range(NULL, 0, 2, &mn, &mx), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_winding_kept), cmocka_unit_test(test_ring_cases),
        cmocka_unit_test(test_polyline),          cmocka_unit_test(test_great_circle_antimeridian),
        cmocka_unit_test(test_lon_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
