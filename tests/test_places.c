/* Tests for places: the gazetteer. A small places shapefile is written here
 * with shapelib; the shipped data/shapefiles/places.shp is checked too when it
 * exists. */
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

#include "routemap/places.h"

static char tmpdir[256];
static char base[512];

typedef struct row {
    const char *name, *aliases, *country, *kind;
    double lon, lat;
} row;

static const row rows[] = {
    {"Pyongyang", "평양|P'yŏngyang|Pjöngjang", "PRK", "capital", 125.7625, 39.0392},
    {"Vladivostok", "Владивосток", "RUS", "city", 131.8817, 43.1112},
    {"Khasan", "Хасан", "RUS", "station", 130.6453, 42.4281},
    {"Tumangang", "두만강", "PRK", "station", 130.6026, 42.4217},
    {"Hanoi", "Hà Nội|Ha Noi", "VNM", "capital", 105.8342, 21.0278},
    {"São Paulo", "", "BRA", "city", -46.63, -23.55},
    {"Komsomolsk-on-Amur", "Komsomolsk na Amure|Комсомольск-на-Амуре", "RUS", "city", 137.02,
     50.55},
    {"Beijing", "北京|Peking", "CHN", "capital", 116.39, 39.91},
    /* "Peking" is also the name of another (made-up) place: a name beats an alias */
    {"Peking", "", "XXX", "site", 1.0, 2.0},
};
#define NROWS (sizeof rows / sizeof rows[0])

static void write_places(const char *b, int with_aliases)
{
    SHPHandle h = SHPCreate(b, SHPT_POINT);
    DBFHandle d = DBFCreateEx(b, "UTF-8");
    assert_non_null(h);
    assert_non_null(d);
    DBFAddField(d, "NAME", FTString, 60, 0);
    if (with_aliases)
        DBFAddField(d, "ALIASES", FTString, 120, 0);
    DBFAddField(d, "COUNTRY", FTString, 3, 0);
    DBFAddField(d, "KIND", FTString, 20, 0);
    for (size_t i = 0; i < NROWS; i++) {
        SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &rows[i].lon, &rows[i].lat, NULL);
        int id = SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
        int f = 0;
        DBFWriteStringAttribute(d, id, f++, rows[i].name);
        if (with_aliases)
            DBFWriteStringAttribute(d, id, f++, rows[i].aliases);
        DBFWriteStringAttribute(d, id, f++, rows[i].country);
        DBFWriteStringAttribute(d, id, f++, rows[i].kind);
    }
    SHPClose(h);
    DBFClose(d);
}

static rm_gazetteer *load(void)
{
    rm_error err;
    rm_gazetteer *g = rm_gazetteer_load(base, &err);
    if (!g)
        fail_msg("%s", err.message);
    return g;
}

static void expect(const rm_gazetteer *g, const char *q, const char *name)
{
    rm_place p;
    rm_error err;
    rm_status st = rm_gazetteer_resolve(g, q, &p, &err);
    if (st != RM_OK)
        fail_msg("'%s': %s", q, err.message);
    assert_string_equal(p.name, name);
}

static void test_load_and_fields(void **state)
{
    (void)state;
    rm_gazetteer *g = load();
    assert_int_equal(rm_gazetteer_count(g), NROWS);
    const rm_place *p = rm_gazetteer_get(g, 0);
    assert_string_equal(p->name, "Pyongyang");
    assert_string_equal(p->country, "PRK");
    assert_string_equal(p->kind, "capital");
    assert_non_null(strstr(p->aliases, "평양"));
    assert_true(fabs(p->lon - 125.7625) < 1e-9 && fabs(p->lat - 39.0392) < 1e-9);
    assert_null(rm_gazetteer_get(g, NROWS));
    rm_gazetteer_free(g);
}

static void test_resolve_names(void **state)
{
    (void)state;
    rm_gazetteer *g = load();
    expect(g, "Pyongyang", "Pyongyang");
    expect(g, "PYONGYANG", "Pyongyang");
    expect(g, "  pyongyang ", "Pyongyang");
    expect(g, "평양", "Pyongyang");
    expect(g, "P'yŏngyang", "Pyongyang");
    expect(g, "pyongyang", "Pyongyang");
    expect(g, "Pjongjang", "Pyongyang");     /* ö without its diaeresis */
    expect(g, "ВЛАДИВОСТОК", "Vladivostok"); /* Cyrillic upper case */
    expect(g, "владивосток", "Vladivostok");
    expect(g, "Ha Noi", "Hanoi");
    expect(g, "HÀ NỘI", "Hanoi");
    expect(g, "ha noi", "Hanoi");
    expect(g, "Sao Paulo", "São Paulo");
    expect(g, "komsomolsk on amur", "Komsomolsk-on-Amur");
    expect(g, "Komsomolsk na Amure", "Komsomolsk-on-Amur");
    expect(g, "北京", "Beijing");
    expect(g, "Peking", "Peking"); /* the name wins over Beijing's alias */
    rm_gazetteer_free(g);
}

static void test_literals(void **state)
{
    (void)state;
    rm_gazetteer *g = load();
    rm_place p;
    rm_error err;
    assert_int_equal(rm_gazetteer_resolve(g, "131.88,43.11", &p, &err), RM_OK);
    assert_true(p.lon == 131.88 && p.lat == 43.11);
    assert_int_equal(rm_gazetteer_resolve(NULL, " -46.5 , -23.25 ", &p, &err), RM_OK);
    assert_true(p.lon == -46.5 && p.lat == -23.25);
    assert_int_equal(rm_gazetteer_resolve(g, "200,40", &p, &err), RM_ERR_USAGE);
    assert_non_null(strstr(err.message, "longitude 200"));
    assert_int_equal(rm_gazetteer_resolve(g, "100,-95", &p, &err), RM_ERR_USAGE);
    assert_non_null(strstr(err.message, "latitude -95"));
    assert_int_equal(rm_gazetteer_resolve(g, "nan,4", &p, &err), RM_ERR_NOT_FOUND);
    /* without a gazetteer a name cannot resolve */
    assert_int_equal(rm_gazetteer_resolve(NULL, "Pyongyang", &p, &err), RM_ERR_NOT_FOUND);
    rm_gazetteer_free(g);
}

static void test_unknown(void **state)
{
    (void)state;
    rm_gazetteer *g = load();
    rm_place p;
    rm_error err;
    assert_int_equal(rm_gazetteer_resolve(g, "Pyongyng", &p, &err), RM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "'Pyongyng'"));
    /* the closest name comes first */
    const char *c = strstr(err.message, "closest: ");
    assert_non_null(c);
    assert_int_equal(strncmp(c + 9, "Pyongyang", 9), 0);
    assert_int_equal(rm_gazetteer_resolve(g, "Vladivostock", &p, &err), RM_ERR_NOT_FOUND);
    c = strstr(err.message, "closest: ");
    assert_non_null(c);
    assert_int_equal(strncmp(c + 9, "Vladivostok", 11), 0);
    /* each place is suggested once even if several of its names are close */
    assert_null(strstr(strstr(err.message, "Vladivostok") + 1, "Vladivostok"));
    assert_int_equal(rm_gazetteer_resolve(g, "", &p, &err), RM_ERR_USAGE);
    rm_gazetteer_free(g);
}

static void test_search(void **state)
{
    (void)state;
    rm_gazetteer *g = load();
    const rm_place *out[10];
    /* "king": Peking by name, Beijing by its alias Peking */
    size_t n = rm_gazetteer_search(g, "KING", out, 10);
    assert_int_equal(n, 2);
    int beijing = 0, peking = 0;
    for (size_t i = 0; i < n; i++) {
        beijing |= strcmp(out[i]->name, "Beijing") == 0;
        peking |= strcmp(out[i]->name, "Peking") == 0;
    }
    assert_true(beijing && peking);
    assert_int_equal(rm_gazetteer_search(g, "владив", out, 10), 1);
    assert_string_equal(out[0]->name, "Vladivostok");
    assert_int_equal(rm_gazetteer_search(g, "an", out, 1), 1); /* cap respected */
    assert_int_equal(rm_gazetteer_search(g, "zzz", out, 10), 0);
    rm_gazetteer_free(g);
}

static void test_bad_layers(void **state)
{
    (void)state;
    rm_error err;
    /* without ALIASES it still loads */
    char b2[600];
    snprintf(b2, sizeof b2, "%s/noalias", tmpdir);
    write_places(b2, 0);
    rm_gazetteer *g = rm_gazetteer_load(b2, &err);
    assert_non_null(g);
    rm_place p;
    assert_int_equal(rm_gazetteer_resolve(g, "hanoi", &p, &err), RM_OK);
    assert_int_equal(rm_gazetteer_resolve(g, "평양", &p, &err), RM_ERR_NOT_FOUND);
    rm_gazetteer_free(g);
    /* a line layer is not a gazetteer */
    snprintf(b2, sizeof b2, "%s/lines", tmpdir);
    SHPHandle h = SHPCreate(b2, SHPT_ARC);
    double x[] = {0, 1}, y[] = {0, 1};
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    assert_null(rm_gazetteer_load(b2, &err));
    assert_int_equal(err.status, RM_ERR_FORMAT);
    assert_non_null(strstr(err.message, "needs points"));
    /* points without NAME */
    snprintf(b2, sizeof b2, "%s/noname", tmpdir);
    h = SHPCreate(b2, SHPT_POINT);
    o = SHPCreateSimpleObject(SHPT_POINT, 1, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    DBFHandle d = DBFCreate(b2);
    DBFAddField(d, "LABEL", FTString, 10, 0);
    DBFWriteStringAttribute(d, 0, 0, "x");
    DBFClose(d);
    assert_null(rm_gazetteer_load(b2, &err));
    assert_int_equal(err.status, RM_ERR_FORMAT);
    assert_non_null(strstr(err.message, "no NAME field"));
    assert_null(rm_gazetteer_load("/no/such/places.shp", &err));
    assert_int_equal(err.status, RM_ERR_IO);
}

/* The shipped gazetteer, when it exists: the places of the story resolve. */
static void test_shipped(void **state)
{
    (void)state;
    char p[600];
    snprintf(p, sizeof p, "%s/data/shapefiles/places.shp", RM_SOURCE_DIR);
    if (access(p, R_OK) != 0)
        skip();
    rm_error err;
    rm_gazetteer *g = rm_gazetteer_load(p, &err);
    if (!g)
        fail_msg("%s", err.message);
    const char *names[] = {"Pyongyang", "Vladivostok", "Khasan", "Tumangang", "Beijing", "Hanoi"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        rm_place pl;
        if (rm_gazetteer_resolve(g, names[i], &pl, &err) != RM_OK)
            fail_msg("%s", err.message);
        /* all of them lie in east Asia */
        assert_true(pl.lon > 100 && pl.lon < 140 && pl.lat > 15 && pl.lat < 50);
    }
    rm_place pl;
    assert_int_equal(rm_gazetteer_resolve(g, "pyongyang", &pl, &err), RM_OK);
    assert_true(fabs(pl.lon - 125.75) < 0.2 && fabs(pl.lat - 39.03) < 0.2);
    rm_gazetteer_free(g);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_places_XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(base, sizeof base, "%s/places", tmpdir);
    write_places(base, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_fields), cmocka_unit_test(test_resolve_names),
        cmocka_unit_test(test_literals),        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_search),          cmocka_unit_test(test_bad_layers),
        cmocka_unit_test(test_shipped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
