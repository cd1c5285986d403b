/* Tests of the story decisions (src/story.h): which places the main map
 * frames, and side-by-side offsets for routes on shared track. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "story.h"

/* The default map's story: the rail route Pyongyang - Chongjin - Tumangang -
 * Ussuriysk - Vladivostok (its stations, from data/facts/rail_route.csv),
 * and the destinations of the trips (data/facts/trips.csv). */
static const double route[] = {125.7430, 39.0290, 127.5300, 39.9200, 129.7760, 41.7870,
                               130.2970, 42.2520, 130.6026, 42.4217, 130.6453, 42.4281,
                               131.9272, 43.6456, 131.9808, 43.8017, 131.8817, 43.1112};
static const struct {
    const char *name;
    double lon, lat;
    int near; /* expected: framed by the main map */
} trips[] = {
    {"Panmunjom", 126.6767, 37.9558, 1},   {"Dalian", 121.6147, 38.9140, 1},
    {"Khasan", 130.6453, 42.4281, 1},      {"Artyom", 132.1480, 43.3990, 1},
    {"Vladivostok", 131.8920, 43.0245, 1}, {"Beijing", 116.3875, 39.9031, 1},
    {"Singapore", 103.8269, 1.2493, 0},    {"Hanoi", 105.8560, 21.0253, 0},
    {"Vostochny", 128.3340, 51.8844, 0},   {"Komsomolsk-on-Amur", 137.0200, 50.5500, 0},
};

static void test_frame_default_story(void **state)
{
    (void)state;
    enum { N = sizeof trips / sizeof trips[0] };
    double cand[2 * N];
    int keep[N];
    for (size_t i = 0; i < N; i++)
        cand[2 * i] = trips[i].lon, cand[2 * i + 1] = trips[i].lat;
    rm_bbox box;
    int far = rm_story_frame(route, sizeof route / sizeof route[0] / 2, cand, N, 1.6, 0.06, 0.15,
                             keep, &box);
    int want_far = 0;
    for (size_t i = 0; i < N; i++) {
        want_far += !trips[i].near;
        if (keep[i] != trips[i].near)
            fail_msg("%s: %s, expected %s", trips[i].name, keep[i] ? "framed" : "far",
                     trips[i].near ? "framed" : "far");
    }
    assert_int_equal(far, want_far);
    /* the box: the route and the kept places */
    assert_true(box.minx <= 116.3875 && box.minx > 116.38);
    assert_true(box.maxx >= 132.148 && box.maxx < 132.15);
    assert_true(box.miny <= 37.9558 && box.maxy >= 43.8017 && box.maxy < 43.81);
    /* at 0.2, Beijing too is far */
    assert_int_equal(rm_story_frame(route, 9, cand, N, 1.6, 0.06, 0.2, keep, &box), far + 1);
    assert_int_equal(keep[5], 0);
    /* a lower bar keeps more, a higher one fewer */
    int far_lo = rm_story_frame(route, 9, cand, N, 1.6, 0.06, 0.01, keep, &box);
    int far_hi = rm_story_frame(route, 9, cand, N, 1.6, 0.06, 0.4, keep, &box);
    assert_true(far_lo < far && far_hi > far);
    assert_int_equal(rm_story_frame(route, 9, cand, N, 1.6, 0.06, 0.001, keep, &box), 0);
}

/* Across 180: Petropavlovsk to Anchorage frames Anadyr and Nome (near), not
 * Moscow; the box runs on past 180. */
static void test_frame_antimeridian(void **state)
{
    (void)state;
    double core[] = {158.65, 53.02, -149.9, 61.22};
    double cand[] = {177.51, 64.73, -165.41, 64.5, 37.62, 55.75};
    int keep[3];
    rm_bbox box;
    assert_int_equal(rm_story_frame(core, 2, cand, 3, 1.5, 0.05, 0.15, keep, &box), 1);
    assert_true(keep[0] && keep[1] && !keep[2]);
    assert_float_equal(box.minx, 158.65, 1e-9);
    assert_float_equal(box.maxx, -149.9 + 360, 1e-9);
    assert_float_equal(box.maxy, 64.73, 1e-9);
    /* no core: nothing decided, every place kept */
    assert_int_equal(rm_story_frame(core, 0, cand, 3, 1.5, 0.05, 0.15, keep, &box), -1);
    assert_true(keep[0] && keep[1] && keep[2]);
}

/* Two routes share a stretch of track, one of them running it the other way
 * (a return leg); a third crosses it. On the shared stretch the drawn lines
 * are side by side, spacing apart; off it they stay on their track; the
 * crossing route is not moved. */
static void test_shared_offsets(void **state)
{
    (void)state;
    enum { NA = 41, NB = 31, NC = 21 };
    double a[2 * NA], b[2 * NB], c[2 * NC];
    /* A: x 0..400 along y = 100 */
    for (int k = 0; k < NA; k++)
        a[2 * k] = 10.0 * k, a[2 * k + 1] = 100;
    /* B: from (300, 100) back west to (100, 100), then away up to (100, -100) */
    for (int k = 0; k < NB; k++) {
        if (k <= 20)
            b[2 * k] = 300 - 10.0 * k, b[2 * k + 1] = 100;
        else
            b[2 * k] = 100, b[2 * k + 1] = 100 - 20.0 * (k - 20);
    }
    /* C: crosses at x = 350 from y = 0 to 200 */
    for (int k = 0; k < NC; k++)
        c[2 * k] = 350, c[2 * k + 1] = 10.0 * k;
    const double *pts[3] = {a, b, c};
    size_t n[3] = {NA, NB, NC};
    double oa[NA], ob[NB], oc[NC];
    double *off[3] = {oa, ob, oc};
    const double spacing = 4.5;
    assert_int_equal(rm_shared_offsets(pts, n, 3, 1.5, spacing, off), 0);
    double da[2 * NA], db[2 * NB], dc[2 * NC];
    rm_offset_polyline(a, NA, oa, da);
    rm_offset_polyline(b, NB, ob, db);
    rm_offset_polyline(c, NC, oc, dc);
    /* inside the shared stretch (x 140..280): both lines spacing apart,
     * each spacing/2 off the track */
    for (int k = 14; k <= 28; k++) {
        double d = rm_point_polyline_dist(da[2 * k], da[2 * k + 1], db, NB);
        if (fabs(d - spacing) > 0.05)
            fail_msg("A at x %g: %g px from B, expected %g", a[2 * k], d, spacing);
        assert_float_equal(fabs(da[2 * k + 1] - 100), spacing / 2, 0.05);
    }
    /* the same side: B's offset, read along its own (westward) normal, puts
     * it on the other side of the track from A */
    assert_true((da[2 * 20 + 1] - 100) * (db[2 * 10 + 1] - 100) < 0);
    /* off the shared stretch, A stays on its track */
    for (int k = 33; k < NA; k++)
        assert_float_equal(da[2 * k + 1], 100, 1e-9);
    /* the crossing route is nowhere moved by more than a touch */
    for (int k = 0; k < NC; k++)
        assert_true(fabs(dc[2 * k] - 350) < 1e-9);
    /* nowhere along A do the two drawn lines run on top of each other: B,
     * on the south side, crosses A once where it turns north */
    int touching = 0;
    for (int k = 0; k < NA; k++)
        touching += rm_point_polyline_dist(da[2 * k], da[2 * k + 1], db, NB) < 0.45 * spacing;
    assert_true(touching <= 1);
    /* one route alone: no offsets */
    assert_int_equal(rm_shared_offsets(pts, n, 1, 1.5, spacing, off), 0);
    for (int k = 0; k < NA; k++)
        assert_true(oa[k] == 0);
    /* in place */
    double e[2 * NA];
    memcpy(e, a, sizeof e);
    for (int k = 0; k < NA; k++)
        oa[k] = 2;
    rm_offset_polyline(e, NA, oa, e);
    assert_float_equal(fabs(e[2 * 5 + 1] - 100), 2, 1e-9);
    assert_true(isinf(rm_point_polyline_dist(0, 0, a, 1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_default_story),
        cmocka_unit_test(test_frame_antimeridian),
        cmocka_unit_test(test_shared_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
