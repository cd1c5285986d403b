/* Tests of the projection module: the automatic choice, round trips, CRS
 * forms PROJ accepts and refuses, fitting content to a page, the lon/lat box
 * of a frame and the scale factor. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "routemap/project.h"

static double param(const char *def, const char *key)
{
    const char *p = strstr(def, key);
    return p ? atof(p + strlen(key)) : NAN;
}

/* Korea to Primorye: a mid-latitude box gets LCC with parallels at 1/6 and
 * 5/6 of the latitude span and the central meridian in the middle. */
static void test_auto_lcc(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {124, 37, 133, 46};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    const char *def = rm_proj_definition(p);
    assert_non_null(strstr(def, "+proj=lcc"));
    assert_float_equal(param(def, "+lat_1="), 37 + 9.0 / 6, 1e-3);
    assert_float_equal(param(def, "+lat_2="), 37 + 9.0 * 5 / 6, 1e-3);
    assert_float_equal(param(def, "+lon_0="), 128.5, 1e-3);
    rm_proj_free(p);
}

static void test_auto_mercator_and_polar(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox eq = {100, -6, 110, 8}; /* Singapore to Java: straddles the equator */
    rm_proj *p = rm_proj_new("auto", &eq, &err);
    assert_non_null(p);
    assert_non_null(strstr(rm_proj_definition(p), "+proj=merc"));
    rm_proj_free(p);
    rm_bbox arctic = {-40, 72, 60, 89};
    p = rm_proj_new("auto", &arctic, &err);
    assert_non_null(p);
    assert_non_null(strstr(rm_proj_definition(p), "+proj=stere"));
    assert_non_null(strstr(rm_proj_definition(p), "+lat_0=90"));
    rm_proj_free(p);
    rm_bbox ant = {-180, -89, 180, -65};
    p = rm_proj_new("auto", &ant, &err);
    assert_non_null(p);
    assert_non_null(strstr(rm_proj_definition(p), "+lat_0=-90"));
    rm_proj_free(p);
}

/* Forward then inverse gives the points back (to 1e-7 degrees). */
static void test_round_trip(void **state)
{
    (void)state;
    const char *crs[] = {"auto", "EPSG:3857", "+proj=lcc +lat_1=30 +lat_2=60 +lon_0=100",
                         "EPSG:32652"};
    rm_bbox box = {100, 20, 140, 55};
    for (size_t c = 0; c < sizeof crs / sizeof crs[0]; c++) {
        rm_error err;
        rm_proj *p = rm_proj_new(crs[c], &box, &err);
        assert_non_null(p);
        double xy[2 * 36], orig[2 * 36];
        for (int i = 0; i < 36; i++) {
            orig[2 * i] = xy[2 * i] = 100 + (i % 6) * 8;
            orig[2 * i + 1] = xy[2 * i + 1] = 20 + (i / 6) * 7;
        }
        assert_int_equal(rm_proj_forward(p, xy, 36), 0);
        /* projected coordinates are metres, not degrees */
        assert_true(fabs(xy[0]) > 1000 || fabs(xy[1]) > 1000);
        assert_int_equal(rm_proj_inverse(p, xy, 36), 0);
        for (int i = 0; i < 72; i++)
            assert_float_equal(xy[i], orig[i], 1e-7);
        rm_proj_free(p);
    }
}

/* Lon/lat order in and out, whatever the CRS's own axis order: EPSG:4326
 * as the map CRS gives lon,lat back. */
static void test_axis_order(void **state)
{
    (void)state;
    rm_error err;
    rm_proj *p = rm_proj_new("EPSG:4326", NULL, &err);
    assert_non_null(p);
    double xy[2] = {125.75, 39.02};
    assert_int_equal(rm_proj_forward(p, xy, 1), 0);
    assert_float_equal(xy[0], 125.75, 1e-9);
    assert_float_equal(xy[1], 39.02, 1e-9);
    rm_proj_free(p);
    /* a WKT CRS */
    const char *wkt = "GEOGCRS[\"WGS 84\",DATUM[\"World Geodetic System 1984\",ELLIPSOID["
                      "\"WGS 84\",6378137,298.257223563]],CS[ellipsoidal,2],AXIS[\"latitude\","
                      "north,ANGLEUNIT[\"degree\",0.0174532925199433]],AXIS[\"longitude\",east,"
                      "ANGLEUNIT[\"degree\",0.0174532925199433]]]";
    p = rm_proj_new(wkt, NULL, &err);
    assert_non_null(p);
    double q[2] = {131.88, 43.11};
    rm_proj_forward(p, q, 1);
    assert_float_equal(q[0], 131.88, 1e-9);
    rm_proj_free(p);
}

static void test_bad_crs(void **state)
{
    (void)state;
    rm_error err;
    memset(&err, 0, sizeof err);
    assert_null(rm_proj_new("+proj=nosuchprojection +lat_1=30", NULL, &err));
    assert_int_equal(err.status, RM_ERR_PROJ);
    assert_non_null(strstr(err.message, "nosuchprojection"));
    memset(&err, 0, sizeof err);
    assert_null(rm_proj_new("EPSG:999999", NULL, &err));
    assert_int_equal(err.status, RM_ERR_PROJ);
    memset(&err, 0, sizeof err);
    assert_null(rm_proj_new("auto", NULL, &err));
    assert_int_equal(err.status, RM_ERR_USAGE);
}

/* The south pole cannot be projected in a northern conic: it comes out NAN
 * and is counted, rather than landing somewhere absurd. */
static void test_unprojectable(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {120, 35, 135, 50};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    double xy[4] = {0, -90, 128, 40};
    assert_int_equal(rm_proj_forward(p, xy, 2), 1);
    assert_true(isnan(xy[0]) && isnan(xy[1]));
    assert_true(isfinite(xy[2]));
    rm_proj_free(p);
}

/* The fitted content stays inside the page area minus the margin, touches
 * it on at least one axis, and keeps its aspect (a = -d). */
static void test_fit(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {103.8, 1.2, 137.0, 51.9};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    rm_affine a;
    rm_bbox frame;
    double ox = 16, oy = 75, w = 1568, h = 898, m = 0.06;
    assert_int_equal(rm_proj_fit(p, &box, ox, oy, w, h, m, &a, &frame, &err), RM_OK);
    assert_float_equal(a.a, -a.d, 1e-12);
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (int i = 0; i <= 400; i++) {
        double t = i / 400.0, pts[8] = {box.minx + t * (box.maxx - box.minx),
                                        box.miny,
                                        box.minx + t * (box.maxx - box.minx),
                                        box.maxy,
                                        box.minx,
                                        box.miny + t * (box.maxy - box.miny),
                                        box.maxx,
                                        box.miny + t * (box.maxy - box.miny)};
        assert_int_equal(rm_proj_forward(p, pts, 4), 0);
        for (int k = 0; k < 4; k++) {
            double x = a.a * pts[2 * k] + a.c, y = a.d * pts[2 * k + 1] + a.f;
            minx = fmin(minx, x), maxx = fmax(maxx, x), miny = fmin(miny, y), maxy = fmax(maxy, y);
        }
    }
    double eps = 0.5;
    assert_true(minx >= ox + m * w - eps && maxx <= ox + w - m * w + eps);
    assert_true(miny >= oy + m * h - eps && maxy <= oy + h - m * h + eps);
    /* tight on one axis */
    assert_true(fabs((maxx - minx) - w * (1 - 2 * m)) < 1 ||
                fabs((maxy - miny) - h * (1 - 2 * m)) < 1);
    /* the frame maps onto the whole area */
    assert_float_equal(a.a * frame.minx + a.c, ox, 1e-3);
    assert_float_equal(a.a * frame.maxx + a.c, ox + w, 1e-3);
    assert_float_equal(a.d * frame.maxy + a.f, oy, 1e-3);
    assert_float_equal(a.d * frame.miny + a.f, oy + h, 1e-3);
    /* the lon/lat box of the frame covers the content, and every point of
     * the frame's border */
    rm_bbox ll = rm_proj_frame_lonlat(p, &frame);
    assert_true(ll.minx <= box.minx && ll.maxx >= box.maxx && ll.miny <= box.miny &&
                ll.maxy >= box.maxy);
    for (int i = 0; i <= 100; i++) {
        double t = i / 100.0;
        double pts[4] = {frame.minx + t * (frame.maxx - frame.minx), frame.miny,
                         frame.minx + t * (frame.maxx - frame.minx), frame.maxy};
        rm_proj_inverse(p, pts, 2);
        for (int k = 0; k < 2; k++) {
            double lon = pts[2 * k];
            if (lon < 0)
                lon += 360; /* past the antimeridian: the box stops at 180 */
            if (isfinite(lon) && lon <= 180)
                assert_true(rm_bbox_contains_point(&ll, lon, pts[2 * k + 1]));
        }
    }
    rm_proj_free(p);
}

/* A frame that reaches past the antimeridian keeps a sensible longitude
 * range instead of becoming the whole world. */
static void test_frame_antimeridian(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {150, 40, 178, 65};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    rm_affine a;
    rm_bbox frame;
    assert_int_equal(rm_proj_fit(p, &box, 0, 0, 1600, 800, 0.1, &a, &frame, &err), RM_OK);
    rm_bbox ll = rm_proj_frame_lonlat(p, &frame);
    assert_true(ll.minx > 90 && ll.minx < 150);
    /* the frame shows a little of the far side of 180: the box goes on past
     * 180 (continuous longitudes), it does not stop there nor wrap */
    assert_true(ll.maxx > 180 && ll.maxx < 240);
    rm_proj_free(p);
}

/* Kamchatka to Alaska, as the box [158, 50, 210, 72] across 180: the
 * automatic projection is centred on 176W (the circular mean of the box's
 * ends), not on 4E (the mean of 158 and -150), and the frame's lon/lat box
 * is continuous across 180. */
static void test_auto_across_antimeridian(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {158, 50, 210, 72};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    const char *def = rm_proj_definition(p);
    assert_non_null(strstr(def, "+lon_0=-176 "));
    rm_affine a;
    rm_bbox frame;
    assert_int_equal(rm_proj_fit(p, &box, 0, 0, 1400, 900, 0.02, &a, &frame, &err), RM_OK);
    /* both ends of the box on the page, west to east */
    double xy[4] = {158, 60, -150, 60};
    assert_int_equal(rm_proj_forward(p, xy, 2), 0);
    double x0 = a.a * xy[0] + a.c, x1 = a.a * xy[2] + a.c;
    if (!(x0 >= 0 && x0 < 300 && x1 > 1100 && x1 <= 1400))
        fail_msg("158E at x %g, 150W at x %g", x0, x1);
    rm_bbox ll = rm_proj_frame_lonlat(p, &frame);
    assert_true(ll.minx >= -180 && ll.minx < 158 && ll.minx > 120);
    assert_true(ll.maxx > 210 && ll.maxx < 260);
    rm_proj_free(p);
}

/* LCC is true to scale on its standard parallels and smaller between. */
static void test_scale(void **state)
{
    (void)state;
    rm_error err;
    rm_proj *p =
        rm_proj_new("+proj=lcc +lat_1=35 +lat_2=45 +lat_0=40 +lon_0=128 +datum=WGS84", NULL, &err);
    assert_non_null(p);
    assert_float_equal(rm_proj_scale_at(p, 128, 35), 1.0, 2e-3);
    assert_float_equal(rm_proj_scale_at(p, 130, 45), 1.0, 2e-3);
    double mid = rm_proj_scale_at(p, 128, 40);
    assert_true(mid < 0.999 && mid > 0.98);
    assert_true(rm_proj_scale_at(p, 128, 55) > 1.01);
    rm_proj_free(p);
}

/* A single point (one marker) still gets an area around it. */
static void test_fit_point(void **state)
{
    (void)state;
    rm_error err;
    rm_bbox box = {125.75, 39.02, 125.75, 39.02};
    rm_proj *p = rm_proj_new("auto", &box, &err);
    assert_non_null(p);
    rm_affine a;
    rm_bbox frame;
    assert_int_equal(rm_proj_fit(p, &box, 0, 0, 800, 600, 0.05, &a, &frame, &err), RM_OK);
    assert_true(isfinite(a.a) && a.a > 0);
    rm_proj_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_lcc),
        cmocka_unit_test(test_auto_mercator_and_polar),
        cmocka_unit_test(test_auto_across_antimeridian),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_axis_order),
        cmocka_unit_test(test_bad_crs),
        cmocka_unit_test(test_unprojectable),
        cmocka_unit_test(test_fit),
        cmocka_unit_test(test_frame_antimeridian),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_fit_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
