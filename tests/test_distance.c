/* Tests of the railway km (src/distance.c):
 * - rm_distance_text: the railway km when there is one, "≈" and the
 *   measured km when not, rounded, with thousands separators;
 * - the facts tables: bad input is refused with file:line; press rows and
 *   stations without coordinates are not used; chainage rows give
 *   distances by difference;
 * - on a synthetic line: a route covered by facts gets their sum, a leg
 *   without facts makes the whole route "≈", a fact whose km disagrees with
 *   the measured length is not used;
 * - on the shipped data (issue 15): routemap's routes are within 2 % of the
 *   railway's km: Pyongyang→Vladivostok 1,162; via Ussuriysk 1,207;
 *   Pyongyang→Khasan 835; Khasan→Ussuriysk 260; Ussuriysk→Khabarovsk 654. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

#include "routemap/distance.h"
#include "routemap/geodata.h"
#include "routemap/places.h"
#include "routemap/railnet.h"

static void test_text(void **state)
{
    (void)state;
    char b[64];
    rm_distance_text(b, sizeof b, 1162.1, 1060.9);
    assert_string_equal(b, "1,162 km");
    rm_distance_text(b, sizeof b, NAN, 1005.6);
    assert_string_equal(b, "\xe2\x89\x88 1,006 km");
    rm_distance_text(b, sizeof b, 54, 47);
    assert_string_equal(b, "54 km");
    rm_distance_text(b, sizeof b, NAN, 999.5);
    assert_string_equal(b, "\xe2\x89\x88 1,000 km");
    rm_distance_text(b, sizeof b, 10267, 0);
    assert_string_equal(b, "10,267 km");
    rm_distance_text(b, sizeof b, 1234567, 0);
    assert_string_equal(b, "1,234,567 km");
    /* truncated safely */
    char s[4];
    size_t n = rm_distance_text(s, sizeof s, 1162, 0);
    assert_int_equal(n, strlen("1,162 km"));
    assert_string_equal(s, "1,1");
}

static const char *tmp_path(const char *name)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/rm_test_distance_%ld_%s", P_tmpdir, (long)getpid(), name);
    return p[k];
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static const char KM_HEADER[] =
    "from_station,to_station,line,km,km_source_kind,chainage,source_url,notes\n";

static void test_bad_tables(void **state)
{
    (void)state;
    const char *st = tmp_path("st.csv"), *km = tmp_path("km.csv");
    rm_error err;
    write_file(st, "name,lon,lat,source\nA,0,0,x\nB,1,oops,x\n");
    write_file(km, KM_HEADER);
    assert_null(rm_km_facts_load(km, st, &err));
    assert_non_null(strstr(err.message, "st.csv:3:"));
    write_file(st, "name,lon,lat,source\nA,0,0,x\nA,1,0,x\n");
    assert_null(rm_km_facts_load(km, st, &err));
    assert_non_null(strstr(err.message, "listed twice"));
    write_file(st, "name,lon,lat,source\nA,0,0,x\n");
    write_file(km, "from,to\n");
    assert_null(rm_km_facts_load(km, st, &err));
    assert_non_null(strstr(err.message, "km.csv:1: header"));
    char buf[512];
    snprintf(buf, sizeof buf, "%sA,B,l,-3,encyclopedia,,u,n\n", KM_HEADER);
    write_file(km, buf);
    assert_null(rm_km_facts_load(km, st, &err));
    assert_non_null(strstr(err.message, "km.csv:2:"));
    snprintf(buf, sizeof buf, "%s\"A,B,l,3,encyclopedia,,u,n\n", KM_HEADER);
    write_file(km, buf);
    assert_null(rm_km_facts_load(km, st, &err));
    assert_non_null(strstr(err.message, "unterminated quote"));
    assert_null(rm_km_facts_load(tmp_path("missing.csv"), st, &err));
    assert_int_equal(err.status, RM_ERR_IO);
    assert_non_null(strstr(err.message, "missing.csv"));
    unlink(st);
    unlink(km);
}

/* A straight line along the equator from 0E to 2E (222.6 km), stations A at
 * 0E, B at 1E, C at 2E, D at 1E 1N (off the line). */
static rm_layer *line_layer(void)
{
    const char *base = tmp_path("line");
    SHPHandle h = SHPCreate(base, SHPT_ARC);
    DBFHandle d = DBFCreateEx(base, "UTF-8");
    assert_non_null(h);
    assert_non_null(d);
    DBFAddField(d, "NAME", FTString, 10, 0);
    double x[] = {0, 0.5, 1, 1.5, 2}, y[] = {0, 0, 0, 0, 0};
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 5, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    DBFWriteStringAttribute(d, 0, 0, "L");
    SHPClose(h);
    DBFClose(d);
    rm_error err;
    rm_layer *L = rm_layer_load(base, NULL, &err);
    assert_non_null(L);
    return L;
}

static void route(const rm_railnet *net, const double *stops, size_t n, rm_route *r)
{
    rm_error err;
    if (rm_railnet_route(net, stops, n, r, &err) != RM_OK)
        fail_msg("%s", err.message);
}

static void test_synthetic(void **state)
{
    (void)state;
    const char *st = tmp_path("st2.csv"), *km = tmp_path("km2.csv");
    write_file(st, "name,lon,lat,source\nA,0,0,s\nB,1,0,s\nC,2,0,s\nD,1,1,s\n"
                   "A2,0,0,same place as A\n");
    char buf[2048];
    snprintf(buf, sizeof buf,
             "%s"
             "A,B,l,120,encyclopedia,,u1,n\n"
             "B,C,l,999,encyclopedia,,u2,too long for the line: not used\n"
             "B,C,l,115,press,,u3,a press figure: not used\n"
             "O,B,l,1000,km_post,posts,u4,km post of B\n"
             "O,C,l,1117,km_post,posts,u5,km post of C\n"
             "A2,D,l,150,encyclopedia,,u6,D is off the line\n"
             "A,Z,l,10,encyclopedia,,u7,Z has no coordinates\n",
             KM_HEADER);
    write_file(km, buf);
    rm_error err;
    rm_km_facts *F = rm_km_facts_load(km, st, &err);
    if (!F)
        fail_msg("%s", err.message);
    /* A-B, B-C (999), O-B and O-C posts give B-C 117, A2-D; press and Z out */
    assert_int_equal(rm_km_facts_count(F), 4);
    int diff = 0;
    for (size_t i = 0; i < rm_km_facts_count(F); i++) {
        const rm_km_fact *f = rm_km_facts_get(F, i);
        if (!strcmp(f->kind, "km_post difference")) {
            diff = 1;
            assert_true(fabs(f->km - 117) < 1e-9);
            assert_string_equal(f->source_url, "u4 ; u5");
        }
    }
    assert_true(diff);
    rm_layer *L = line_layer();
    rm_railnet *net = rm_railnet_build(L, NULL, &err);
    assert_non_null(net);
    rm_route r;
    rm_rail_km k;
    /* A -> C: A-B 120 + B-C 117 (by posts; the 999 km row disagrees with the
     * 111 km measured and is not used) */
    double ac[] = {0, 0, 2, 0};
    route(net, ac, 2, &r);
    assert_int_equal(rm_route_rail_km(F, &r, &k, &err), RM_OK);
    assert_true(fabs(k.official_km - 237) < 1e-9);
    assert_int_equal(k.nfacts, 2);
    assert_string_equal(k.facts[0]->from, "A");
    assert_string_equal(k.facts[1]->to, "C");
    assert_true(fabs(k.measured_km - r.km) < 1e-12);
    char t[64];
    rm_distance_text(t, sizeof t, k.official_km, k.measured_km);
    assert_string_equal(t, "237 km");
    rm_route_free(&r);
    /* C -> A via B: two legs, both covered (the facts are undirected) */
    double cba[] = {2, 0, 1, 0, 0, 0};
    route(net, cba, 3, &r);
    assert_int_equal(rm_route_rail_km(F, &r, &k, &err), RM_OK);
    assert_int_equal(k.nlegs, 2);
    assert_int_equal(k.nofficial, 2);
    assert_true(fabs(k.official_km - 237) < 1e-9);
    rm_route_free(&r);
    /* A -> 1.5E: the end is no station, so no railway km: "≈" */
    double ax[] = {0, 0, 1.5, 0};
    route(net, ax, 2, &r);
    assert_int_equal(rm_route_rail_km(F, &r, &k, &err), RM_OK);
    assert_true(isnan(k.official_km));
    assert_int_equal(k.nfacts, 0);
    rm_distance_text(t, sizeof t, k.official_km, k.measured_km);
    assert_string_equal(t, "\xe2\x89\x88 167 km");
    /* without facts: measured only */
    assert_int_equal(rm_route_rail_km(NULL, &r, &k, &err), RM_OK);
    assert_true(isnan(k.official_km) && k.measured_km == r.km);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
    rm_km_facts_free(F);
    unlink(st);
    unlink(km);
}

/* ---- the shipped data ---- */

static void test_shipped_routes(void **state)
{
    (void)state;
    rm_error err;
    const char *dd = RM_SOURCE_DIR "/data/shapefiles";
    rm_km_facts *F = rm_km_facts_load_default(dd, &err);
    if (!F)
        fail_msg("%s", err.message);
    rm_layer *R = rm_layer_load(RM_SOURCE_DIR "/data/shapefiles/rail.shp", NULL, &err);
    assert_non_null(R);
    rm_gazetteer *g = rm_gazetteer_load(RM_SOURCE_DIR "/data/shapefiles/places.shp", &err);
    assert_non_null(g);
    rm_railnet_options o = {0};
    o.max_gap_km = 5;
    o.weighting = RM_WEIGHT_MAIN;
    rm_railnet *net = rm_railnet_build(R, &o, &err);
    assert_non_null(net);
    static const struct {
        const char *stops[3];
        double km;
    } want[] = {
        {{"Pyongyang", "Vladivostok", NULL}, 1162},
        {{"Pyongyang", "Ussuriysk", "Vladivostok"}, 1207},
        {{"Pyongyang", "Khasan", NULL}, 835},
        {{"Khasan", "Ussuriysk", NULL}, 260},
        {{"Ussuriysk", "Khabarovsk", NULL}, 654},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        double xy[6];
        size_t n = 0;
        for (; n < 3 && want[i].stops[n]; n++) {
            rm_place p;
            if (rm_gazetteer_resolve(g, want[i].stops[n], &p, &err) != RM_OK)
                fail_msg("%s", err.message);
            xy[2 * n] = p.lon;
            xy[2 * n + 1] = p.lat;
        }
        rm_route r;
        route(net, xy, n, &r);
        rm_rail_km k;
        assert_int_equal(rm_route_rail_km(F, &r, &k, &err), RM_OK);
        print_message("%s → %s%s: railway %.1f km (want %.0f, %+.2f%%), measured %.1f km, %zu "
                      "facts\n",
                      want[i].stops[0], want[i].stops[n - 1], n == 3 ? " via Ussuriysk" : "",
                      k.official_km, want[i].km, 100 * (k.official_km / want[i].km - 1),
                      k.measured_km, k.nfacts);
        if (!(fabs(k.official_km / want[i].km - 1) <= 0.02))
            fail_msg("%s → %s: %.1f km, want %.0f within 2%%", want[i].stops[0],
                     want[i].stops[n - 1], k.official_km, want[i].km);
        /* the JSON carries both figures */
        char *gj = rm_route_geojson_km(&r, want[i].stops[0], want[i].stops[n - 1], &k);
        assert_non_null(gj);
        assert_non_null(strstr(gj, "\"rail_km\":"));
        assert_non_null(strstr(gj, "\"length_km\":"));
        assert_non_null(strstr(gj, "\"rail_km_facts\":[{"));
        free(gj);
        rm_route_free(&r);
    }
    /* Pyongyang -> Vostochny Cosmodrome: no fact reaches the cosmodrome */
    double pv[] = {125.7625, 39.0392, 128.3340, 51.8844};
    rm_route r;
    route(net, pv, 2, &r);
    rm_rail_km k;
    assert_int_equal(rm_route_rail_km(F, &r, &k, &err), RM_OK);
    assert_true(isnan(k.official_km));
    char *gj = rm_route_geojson_km(&r, "a", "b", &k);
    assert_non_null(strstr(gj, "\"rail_km\":null"));
    assert_non_null(strstr(gj, "\"distance_text\":\"\xe2\x89\x88 "));
    free(gj);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_gazetteer_free(g);
    rm_layer_free(R);
    rm_km_facts_free(F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_bad_tables),
        cmocka_unit_test(test_synthetic),
        cmocka_unit_test(test_shipped_routes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
