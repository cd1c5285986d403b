/* Tests of the journeys (src/journeys.c, the spec's "journeys" key):
 * - data/facts/journeys.csv: 11 journeys J01..J11 with mode, dates and
 *   ordered stops, a source per row; the rail journeys are the trains of
 *   2018-03, 2019-01, 2019-02 (with the car leg Dong Dang-Hanoi), 2019-04,
 *   2023-09 and 2025-09;
 * - every rail journey routes on the shipped network through all its rail
 *   stops, in order, each within 5 km of a line, with no bridged gap;
 * - bad rows are refused with file:line;
 * - a spec's "journeys" key expands into routes and markers; an unknown id
 *   is an error naming the key. */
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

#include "routemap/geodata.h"
#include "routemap/journeys.h"
#include "routemap/railnet.h"
#include "routemap/spec.h"

#define JOURNEYS RM_SOURCE_DIR "/data/facts/journeys.csv"

static void test_read(void **state)
{
    (void)state;
    rm_error err;
    rm_journeys *js = rm_journeys_read(JOURNEYS, &err);
    if (!js)
        fail_msg("%s", err.message);
    assert_int_equal(js->n, 11);
    static const char *const rail[] = {"J01", "J06", "J07", "J08", "J10", "J11"};
    size_t nrail = 0;
    for (size_t i = 0; i < js->n; i++) {
        const rm_journey *j = &js->j[i];
        char want[32];
        snprintf(want, sizeof want, "J%02zu", i + 1);
        assert_string_equal(j->id, want);
        assert_true(j->nstops >= 5);
        assert_string_equal(j->stops[0].role, "start");
        assert_string_equal(j->stops[j->nstops - 1].role, "end");
        assert_true(strlen(j->date_out) == 10 && strlen(j->date_back) == 10);
        for (size_t k = 0; k < j->nstops; k++)
            assert_true(!strncmp(j->stops[k].source_url, "http", 4));
        if (rm_journey_is_rail(j)) {
            assert_true(nrail < 6);
            assert_string_equal(j->id, rail[nrail]);
            nrail++;
        }
    }
    assert_int_equal(nrail, 6);
    rm_journeys_free(js);
}

static void test_rail_journeys_route(void **state)
{
    (void)state;
    rm_error err;
    rm_journeys *js = rm_journeys_read(JOURNEYS, &err);
    assert_non_null(js);
    rm_layer *R = rm_layer_load(RM_SOURCE_DIR "/data/shapefiles/rail.shp", NULL, &err);
    assert_non_null(R);
    rm_railnet_options o = {0};
    o.max_gap_km = 5;
    o.weighting = RM_WEIGHT_MAIN;
    rm_railnet *net = rm_railnet_build(R, &o, &err);
    assert_non_null(net);
    for (size_t i = 0; i < js->n; i++) {
        const rm_journey *j = &js->j[i];
        if (!rm_journey_is_rail(j))
            continue;
        size_t idx[128];
        size_t n = rm_journey_rail_stops(j, idx, 128);
        assert_true(n >= 5 && n <= 128);
        double *xy = malloc(2 * n * sizeof *xy);
        assert_non_null(xy);
        for (size_t k = 0; k < n; k++) {
            xy[2 * k] = j->stops[idx[k]].lon;
            xy[2 * k + 1] = j->stops[idx[k]].lat;
        }
        rm_route r;
        if (rm_railnet_route(net, xy, n, &r, &err) != RM_OK)
            fail_msg("%s (%s): %s", j->id, j->title, err.message);
        double worst = 0;
        for (size_t k = 0; k < n; k++) {
            if (r.stop_snap_km[k] > 5)
                fail_msg("%s: stop %s lies %.1f km from the network", j->id, j->stops[idx[k]].name,
                         r.stop_snap_km[k]);
            worst = fmax(worst, r.stop_snap_km[k]);
        }
        assert_int_equal(r.ngaps, 0);
        print_message("%s %-26s %2zu rail stops, %6.0f km, farthest stop %.1f km from a line\n",
                      j->id, j->title, n, r.km, worst);
        rm_route_free(&r);
        free(xy);
    }
    rm_railnet_free(net);
    rm_layer_free(R);
    rm_journeys_free(js);
}

static void check_bad(const char *rows, const char *want)
{
    char path[512];
    snprintf(path, sizeof path, "%s/rm_test_journeys_%ld.csv", P_tmpdir, (long)getpid());
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("journey_id,trip_id,title,date_out,date_back,mode,order,stop,country,lon,lat,role,"
          "reached_by,source_url,notes\n",
          fp);
    fputs(rows, fp);
    fclose(fp);
    rm_error err;
    rm_journeys *js = rm_journeys_read(path, &err);
    unlink(path);
    if (js)
        fail_msg("accepted: %s", rows);
    if (!strstr(err.message, want))
        fail_msg("'%s' lacks '%s'", err.message, want);
    assert_non_null(strstr(err.message, "rm_test_journeys_"));
}

static void test_bad_rows(void **state)
{
    (void)state;
    check_bad("J1,T,t,2020-01-01,2020-01-02,train,1,A,X,1,2,start,,http://a,\n"
              "J1,T,t,2020-01-01,2020-01-02,train,3,B,X,1,2,end,train,http://a,\n",
              ":3: journey J1: stop 3, expected 2");
    check_bad("J1,T,t,2020-01-01,2020-01-02,train,1,A,X,1,2,begin,,http://a,\n",
              ":2: role 'begin'");
    check_bad("J1,T,t,2020-01-01,2020-01-02,train,1,A,X,1,north,start,,http://a,\n", ":2:");
    check_bad("J1,T,t,2020-01-01,2020-01-02,train,1,A,X,1,2,start\n", ":2: 12 fields");
    check_bad("", "no journeys");
}

static void test_spec_key(void **state)
{
    (void)state;
    rm_error err;
    char text[512];
    snprintf(text, sizeof text, "{\"journeys\": {\"file\": \"%s\", \"ids\": [\"J08\", \"J03\"]}}",
             JOURNEYS);
    rm_spec *s = rm_spec_parse_text(text, strlen(text), "j.json", &err);
    if (!s)
        fail_msg("%s", err.message);
    /* J08: 14 stops, FEFU by car: 13 rail stops, from + 11 via + to; J03 is
     * a flight: markers only */
    assert_int_equal(s->nroutes, 1);
    assert_int_equal(s->routes[0].nvia, 11);
    assert_string_equal(s->routes[0].label, "2019-04 Vladivostok (train)");
    assert_string_equal(s->routes[0].from, "125.743000,39.029000");
    /* markers: J03 Dalian airport and Dalian; J08 Khasan, Vladivostok, FEFU */
    assert_int_equal(s->nmarkers, 5);
    int fefu = 0;
    for (size_t i = 0; i < s->nmarkers; i++)
        if (!strcmp(s->markers[i].label, "Russky Island")) {
            fefu = 1;
            assert_string_equal(s->markers[i].mode, "car");
            assert_string_equal(s->markers[i].date, "2019-04");
        }
    assert_true(fefu);
    rm_spec_free(s);
    /* markers off; all journeys: six rail routes */
    snprintf(text, sizeof text, "{\"journeys\": {\"file\": \"%s\", \"markers\": false}}", JOURNEYS);
    s = rm_spec_parse_text(text, strlen(text), "j.json", &err);
    assert_non_null(s);
    assert_int_equal(s->nroutes, 6);
    assert_int_equal(s->nmarkers, 0);
    rm_spec_free(s);
    /* an unknown journey */
    snprintf(text, sizeof text, "{\"journeys\": {\"file\": \"%s\", \"ids\": [\"J99\"]}}", JOURNEYS);
    assert_null(rm_spec_parse_text(text, strlen(text), "j.json", &err));
    assert_non_null(strstr(err.message, "journeys"));
    assert_non_null(strstr(err.message, "no journey 'J99'"));
    /* a missing file */
    const char *bad = "{\"journeys\": {\"file\": \"/nonexistent/j.csv\"}}";
    assert_null(rm_spec_parse_text(bad, strlen(bad), "j.json", &err));
    assert_non_null(strstr(err.message, "/nonexistent/j.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_rail_journeys_route),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_spec_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
