/* Maps of the user's own data: layers from GeoJSON and CSV files beside
 * shapefiles, a layer's crs in the spec. Fixtures are written here (with
 * shapelib's C API and jansson) into a temporary directory. */
#include <jansson.h>
#include <math.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "routemap/geodata.h"
#include "routemap/render.h"
#include "routemap/spec.h"

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static void write_text(const char *name, const char *text)
{
    FILE *f = fopen(tmp_path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The features of a loaded layer as GeoJSON: polygons as a MultiPolygon of
 * one-ring polygons (the rings in the same order), lines as a
 * MultiLineString, points as a MultiPoint; attributes as properties. */
static void layer_to_geojson(const rm_layer *L, const char *out)
{
    json_t *fc = json_object(), *feats = json_array();
    json_object_set_new(fc, "type", json_string("FeatureCollection"));
    rm_geom_type t = rm_layer_geom_type(L);
    for (size_t i = 0; i < rm_layer_count(L); i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        json_t *coords = json_array();
        for (int p = 0; p < f->nparts; p++) {
            json_t *part = json_array();
            for (int k = f->part_start[p]; k < f->part_start[p + 1]; k++) {
                json_t *pos = json_array();
                json_array_append_new(pos, json_real(f->xy[2 * k]));
                json_array_append_new(pos, json_real(f->xy[2 * k + 1]));
                json_array_append_new(part, pos);
            }
            if (t == RM_GEOM_POLYGON) {
                json_t *poly = json_array();
                json_array_append_new(poly, part);
                json_array_append_new(coords, poly);
            } else if (t == RM_GEOM_LINE) {
                json_array_append_new(coords, part);
            } else {
                json_array_extend(coords, part);
                json_decref(part);
            }
        }
        json_t *geom = json_object(), *props = json_object(), *feat = json_object();
        json_object_set_new(geom, "type",
                            json_string(t == RM_GEOM_POLYGON ? "MultiPolygon"
                                        : t == RM_GEOM_LINE  ? "MultiLineString"
                                                             : "MultiPoint"));
        json_object_set_new(geom, "coordinates", coords);
        for (int j = 0; j < rm_layer_field_count(L); j++)
            json_object_set_new(props, rm_layer_field_name(L, j),
                                json_string(rm_feature_attr(f, j)));
        json_object_set_new(feat, "type", json_string("Feature"));
        json_object_set_new(feat, "geometry", geom);
        json_object_set_new(feat, "properties", props);
        json_array_append_new(feats, feat);
    }
    json_object_set_new(fc, "features", feats);
    assert_int_equal(json_dump_file(fc, tmp_path(out), JSON_COMPACT | JSON_REAL_PRECISION(17)), 0);
    json_decref(fc);
}

/* The features of a loaded layer written as a shapefile (lon/lat, no .prj). */
static void layer_to_shp(const rm_layer *L, const char *base)
{
    rm_geom_type t = rm_layer_geom_type(L);
    int st = t == RM_GEOM_POLYGON ? SHPT_POLYGON : t == RM_GEOM_LINE ? SHPT_ARC : SHPT_MULTIPOINT;
    SHPHandle h = SHPCreate(tmp_path(base), st);
    assert_non_null(h);
    for (size_t i = 0; i < rm_layer_count(L); i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        double *x = malloc((size_t)f->npoints * sizeof *x),
               *y = malloc((size_t)f->npoints * sizeof *y);
        for (int k = 0; k < f->npoints; k++) {
            x[k] = f->xy[2 * k];
            y[k] = f->xy[2 * k + 1];
        }
        SHPObject *o =
            SHPCreateObject(st, -1, f->nparts, f->part_start, NULL, f->npoints, x, y, NULL, NULL);
        SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
        free(x);
        free(y);
    }
    SHPClose(h);
}

static rm_status render_png(const char *spec_text, unsigned char **png, size_t *len, rm_error *err)
{
    rm_spec *s = rm_spec_parse_text(spec_text, strlen(spec_text), "test", err);
    if (!s)
        return err->status;
    rm_status st = rm_render_buffer(s, RM_FORMAT_PNG, NULL, png, len, err);
    rm_spec_free(s);
    return st;
}

#define FRAME                                                                                      \
    "\"attribution\": \"test data\", \"size\": {\"width\": 480, \"height\": 360}, \"extent\": "    \
    "[124, 37, 132, 43.5], "                                                                       \
    "\"furniture\": {\"legend\": false, \"scale_bar\": false, \"graticule\": false, "              \
    "\"north_arrow\": false, \"inset\": false}, "

static char *spec_two_layers(const char *land, const char *rail)
{
    static char buf[2048];
    snprintf(buf, sizeof buf,
             "{" FRAME "\"layers\": ["
             "{\"id\": \"land\", \"file\": \"%s\", \"kind\": \"fill\", \"style\": {\"fill\": "
             "\"#f2efe6\", \"stroke\": \"#333333\"}},"
             "{\"id\": \"rail\", \"file\": \"%s\", \"kind\": \"line\", \"style\": {\"stroke\": "
             "\"#aa0000\", \"width\": 1.5}}]}",
             land, rail);
    return buf;
}

/* A map whose layers are GeoJSON files renders the same pixels as the same
 * map from the shapefiles they were made from. */
static void test_geojson_same_pixels(void **state)
{
    (void)state;
    rm_error err;
    rm_layer *land = rm_layer_load(RM_SOURCE_DIR "/data/shapefiles/land.shp", NULL, &err);
    rm_layer *rail = rm_layer_load(RM_SOURCE_DIR "/data/shapefiles/rail.shp", NULL, &err);
    assert_non_null(land);
    assert_non_null(rail);
    layer_to_geojson(land, "land.geojson");
    layer_to_geojson(rail, "rail.json");
    /* the GeoJSON reads back as the same features */
    rm_layer *back = rm_layer_load(tmp_path("rail.json"), NULL, &err);
    if (!back)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_count(back), rm_layer_count(rail));
    assert_int_equal(rm_layer_vertex_count(back), rm_layer_vertex_count(rail));
    assert_int_equal(rm_layer_field_count(back), rm_layer_field_count(rail));
    const rm_feature *a = rm_layer_feature(back, 3), *b = rm_layer_feature(rail, 3);
    assert_memory_equal(a->xy, b->xy, 2 * sizeof(double) * (size_t)b->npoints);
    assert_string_equal(rm_feature_attr(a, 0), rm_feature_attr(b, 0));
    rm_layer_free(back);
    rm_layer_free(land);
    rm_layer_free(rail);

    unsigned char *p1 = NULL, *p2 = NULL, *p0 = NULL;
    size_t n1 = 0, n2 = 0, n0 = 0;
    char shp_land[512], shp_rail[512], gj_land[512], gj_rail[512];
    snprintf(shp_land, sizeof shp_land, "%s/data/shapefiles/land.shp", RM_SOURCE_DIR);
    snprintf(shp_rail, sizeof shp_rail, "%s/data/shapefiles/rail.shp", RM_SOURCE_DIR);
    snprintf(gj_land, sizeof gj_land, "%s", tmp_path("land.geojson"));
    snprintf(gj_rail, sizeof gj_rail, "%s", tmp_path("rail.json"));
    if (render_png(spec_two_layers(shp_land, shp_rail), &p1, &n1, &err) != RM_OK)
        fail_msg("%s", err.message);
    if (render_png(spec_two_layers(gj_land, gj_rail), &p2, &n2, &err) != RM_OK)
        fail_msg("%s", err.message);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1);
    /* and the layers are really drawn: without the rail the pixels differ */
    char *rail_empty = spec_two_layers(gj_land, gj_rail);
    char *cut = strstr(rail_empty, ",{\"id\": \"rail\"");
    assert_non_null(cut);
    strcpy(cut, "]}");
    if (render_png(rail_empty, &p0, &n0, &err) != RM_OK)
        fail_msg("%s", err.message);
    assert_false(n0 == n1 && memcmp(p0, p1, n0) == 0);
    free(p0);
    free(p1);
    free(p2);
}

/* UTM metres without a .prj: the map is refused with the file and the key
 * named; with the layer's crs it is drawn where it belongs (the same
 * pixels as the same shape written in lon/lat). */
static void test_utm_layer_crs(void **state)
{
    (void)state;
    /* a square near Pyongyang (125.3-126.5 E, 38.5-39.5 N) in UTM 51N metres */
    double x[] = {700000, 700000, 800000, 800000, 700000};
    double y[] = {4270000, 4370000, 4370000, 4270000, 4270000};
    SHPHandle h = SHPCreate(tmp_path("utm"), SHPT_POLYGON);
    SHPObject *o = SHPCreateSimpleObject(SHPT_POLYGON, 5, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    char spec[1024];
    const char *fmt = "{" FRAME "\"layers\": [{\"id\": \"area\", \"file\": \"%s\", \"kind\": "
                      "\"fill\", %s \"style\": {\"fill\": \"#3366cc\"}}]}";
    rm_error err;
    unsigned char *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    snprintf(spec, sizeof spec, fmt, tmp_path("utm.shp"), "");
    assert_int_not_equal(render_png(spec, &p1, &n1, &err), RM_OK);
    if (!strstr(err.message, "utm.shp") || !strstr(err.message, "\"crs\""))
        fail_msg("no-crs message: %s", err.message);
    snprintf(spec, sizeof spec, fmt, tmp_path("utm.shp"), "\"crs\": \"EPSG:32651\",");
    if (render_png(spec, &p1, &n1, &err) != RM_OK)
        fail_msg("%s", err.message);
    rm_load_options lo = {0};
    lo.crs = "EPSG:32651";
    rm_layer *L = rm_layer_load(tmp_path("utm.shp"), &lo, &err);
    assert_non_null(L);
    rm_bbox b = rm_layer_bbox(L);
    assert_true(b.minx > 124.5 && b.maxx < 127.5 && b.miny > 38.4 && b.maxy < 39.6);
    layer_to_shp(L, "utm_ll");
    rm_layer_free(L);
    snprintf(spec, sizeof spec, fmt, tmp_path("utm_ll.shp"), "");
    if (render_png(spec, &p2, &n2, &err) != RM_OK)
        fail_msg("%s", err.message);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1);
    free(p1);
    free(p2);
    /* a misspelt CRS: PROJ's words */
    snprintf(spec, sizeof spec, fmt, tmp_path("utm.shp"), "\"crs\": \"EPSG:99999\",");
    assert_int_not_equal(render_png(spec, &p1, &n1, &err), RM_OK);
    if (!strstr(err.message, "not found") || strstr(err.message, "Unknown error"))
        fail_msg("EPSG:99999: %s", err.message);
}

/* A CSV point layer: lon/lat columns, the other columns as attributes;
 * errors with file:line. */
static void test_csv_layer(void **state)
{
    (void)state;
    write_text("cities.csv", "name,Longitude,lat,pop\n"
                             "Pyongyang,125.7625,39.0392,2870000\n"
                             "\"Vladivostok, RU\",131.8869,43.1155,\n"
                             "\n"
                             "Seoul,126.978,37.5665,9776000\n");
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("cities.csv"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_geom_type(L), RM_GEOM_POINT);
    assert_int_equal(rm_layer_count(L), 3);
    assert_int_equal(rm_layer_field_count(L), 2);
    assert_int_equal(rm_layer_field_index(L, "pop"), 1);
    const rm_feature *f = rm_layer_feature(L, 1);
    assert_true(f->xy[0] == 131.8869 && f->xy[1] == 43.1155);
    assert_string_equal(rm_feature_attr(f, 0), "Vladivostok, RU");
    assert_string_equal(rm_feature_attr(f, 1), "");
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 2), 0), "Seoul");
    rm_layer_free(L);
    /* the filter applies */
    rm_bbox box = {125, 38, 127, 40};
    rm_load_options lo = {0};
    lo.filter = &box;
    L = rm_layer_load(tmp_path("cities.csv"), &lo, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 1);
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 0), "Pyongyang");
    rm_layer_free(L);

    struct {
        const char *text, *msg;
    } bad[] = {
        {"name,x\nA,1\n", "bad.csv:1: the header has no latitude column"},
        {"lon,lat\n1,2\n3,north\n", "bad.csv:3: 'north' is not a latitude"},
        {"lon,lat,name\n1,2\n", "bad.csv:2: 2 fields, the header has 3"},
        {"lon,lat,name\n1,2,\"open\n", "bad.csv:2: a quote does not close"},
        {"lon,lat\n500000,4300000\n", "\"crs\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_text("bad.csv", bad[i].text);
        L = rm_layer_load(tmp_path("bad.csv"), NULL, &err);
        if (L)
            fail_msg("bad CSV %zu loaded", i);
        if (!strstr(err.message, bad[i].msg))
            fail_msg("bad CSV %zu: '%s' lacks '%s'", i, err.message, bad[i].msg);
    }
}

/* GeoJSON that cannot be a layer: refused naming the file and where. */
static void test_geojson_errors(void **state)
{
    (void)state;
    struct {
        const char *text, *msg;
    } bad[] = {
        {"{\"type\": \"FeatureCollection\", \"features\": [", "bad.geojson:1:"},
        {"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"geometry\": "
         "{\"type\": \"Point\", \"coordinates\": [1, 2]}, \"properties\": {}}, {\"type\": "
         "\"Feature\", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, "
         "4]]}, \"properties\": {}}]}",
         "feature 1: a line geometry in a layer of point features"},
        {"{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [\"a\", "
         "2]}}",
         "feature 0: a position must be an array of two or more numbers"},
        {"{\"type\": \"Feature\", \"geometry\": {\"type\": \"Curve\", \"coordinates\": []}}",
         "unknown geometry type 'Curve'"},
        {"[1, 2]", "not GeoJSON"},
    };
    rm_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_text("bad.geojson", bad[i].text);
        rm_layer *L = rm_layer_load(tmp_path("bad.geojson"), NULL, &err);
        if (L)
            fail_msg("bad GeoJSON %zu loaded", i);
        if (!strstr(err.message, bad[i].msg))
            fail_msg("bad GeoJSON %zu: '%s' lacks '%s'", i, err.message, bad[i].msg);
    }
    /* a Polygon with a hole, a null geometry skipped, a named CRS used */
    write_text("ok.geojson",
               "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
               "{\"name\": \"urn:ogc:def:crs:EPSG::32652\"}}, \"features\": [{\"type\": "
               "\"Feature\", \"geometry\": null, \"properties\": {\"n\": 1}}, {\"type\": "
               "\"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[400000, "
               "4200000], [600000, 4200000], [600000, 4400000], [400000, 4200000]], [[450000, "
               "4250000], [500000, 4300000], [550000, 4250000], [450000, 4250000]]]}, "
               "\"properties\": {\"n\": 2, \"name\": \"tri\"}}]}");
    rm_layer *L = rm_layer_load(tmp_path("ok.geojson"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_count(L), 1);
    const rm_feature *f = rm_layer_feature(L, 0);
    assert_int_equal(f->record, 1);
    assert_int_equal(f->nparts, 2);
    assert_string_equal(rm_feature_attr(f, rm_layer_field_index(L, "n")), "2");
    assert_string_equal(rm_feature_attr(f, rm_layer_field_index(L, "name")), "tri");
    assert_true(f->bbox.minx > 127.5 && f->bbox.maxx < 130.5 && f->bbox.miny > 37.5 &&
                f->bbox.maxy < 40);
    rm_layer_free(L);
}

static void patch_bytes(const char *name, long off, const unsigned char *b, size_t n)
{
    FILE *f = fopen(tmp_path(name), "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* Runs the CLI (no shell): routemap render SPEC -o OUT, stderr into ERR.
 * Returns its exit status. */
static int run_cli_stderr(const char *spec, const char *out, const char *errf)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0)
            _exit(127);
        execl(RM_CLI, RM_CLI, "render", spec, "-o", out, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A PointZ file whose .shx header length disagrees with the file's size
 * (as shapelib's shpdump reads it): the records are read from the size,
 * with one warning naming the .shx. */
static void test_shx_length(void **state)
{
    (void)state;
    SHPHandle h = SHPCreate(tmp_path("pz"), SHPT_POINTZ);
    for (int i = 0; i < 8; i++) {
        double x = 125 + i, y = 38 + 0.5 * i, z = 10 * i;
        SHPObject *o = SHPCreateSimpleObject(SHPT_POINTZ, 1, &x, &y, &z);
        SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
    }
    SHPClose(h);
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("pz.shp"), NULL, &err);
    assert_non_null(L);
    assert_null(rm_layer_warning(L));
    rm_layer_free(L);
    const unsigned char words[4] = {0, 0, 0, 200}; /* 400 bytes, the file has 164 */
    patch_bytes("pz.shx", 24, words, 4);
    L = rm_layer_load(tmp_path("pz.shp"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_count(L), 8);
    assert_true(rm_layer_feature(L, 7)->xy[0] == 132 && rm_layer_feature(L, 7)->xy[1] == 41.5);
    const char *w = rm_layer_warning(L);
    if (!w || !strstr(w, "pz.shx") || !strstr(w, "400") || !strstr(w, "8 records"))
        fail_msg("warning: %s", w ? w : "(none)");
    rm_layer_free(L);
    /* the CLI draws it and says so once */
    char spec[1024];
    snprintf(spec, sizeof spec, "{" FRAME "\"layers\": [{\"id\": \"pts\", \"file\": \"%s\"}]}",
             tmp_path("pz.shp"));
    write_text("pz.json", spec);
    assert_int_equal(run_cli_stderr(tmp_path("pz.json"), tmp_path("pz.svg"), tmp_path("pz.err")),
                     0);
    FILE *ef = fopen(tmp_path("pz.err"), "r");
    assert_non_null(ef);
    char line[1024];
    int nwarn = 0;
    while (fgets(line, sizeof line, ef))
        nwarn += strstr(line, "routemap: warning: layer 'pts': ") && strstr(line, "pz.shx");
    fclose(ef);
    assert_int_equal(nwarn, 1);
    /* still strict where it is ambiguous: an index cut inside an entry */
    FILE *f = fopen(tmp_path("pz.shx"), "ab");
    fputs("xyz", f);
    fclose(f);
    assert_null(rm_layer_load(tmp_path("pz.shp"), NULL, &err));
    assert_non_null(strstr(err.message, "pz.shx"));
}

/* A MultiPatch layer is drawn as footprints: a polygon layer whose rings are
 * the patches, a triangle strip turned into its outline. */
static void test_multipatch(void **state)
{
    (void)state;
    /* a strip of 4 triangles along a wall: 0 2 4 on one side, 1 3 5 on the other */
    double x[] = {0, 0, 1, 1, 2, 2, 5, 6, 6, 5};
    double y[] = {0, 1, 0, 1, 0, 1, 5, 5, 6, 5};
    double z[] = {0, 0, 0, 0, 0, 0, 3, 3, 3, 3};
    int starts[] = {0, 6}, types[] = {SHPP_TRISTRIP, SHPP_RING};
    SHPHandle h = SHPCreate(tmp_path("patch"), SHPT_MULTIPATCH);
    SHPObject *o = SHPCreateObject(SHPT_MULTIPATCH, -1, 2, starts, types, 10, x, y, z, NULL);
    assert_int_equal(SHPWriteObject(h, -1, o), 0);
    SHPDestroyObject(o);
    SHPClose(h);
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("patch.shp"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_geom_type(L), RM_GEOM_POLYGON);
    const rm_feature *f = rm_layer_feature(L, 0);
    assert_int_equal(f->nparts, 2);
    assert_int_equal(f->npoints, 10);
    /* the strip's outline: (0,0) (1,0) (2,0) (2,1) (1,1) (0,1) */
    const double outline[] = {0, 0, 1, 0, 2, 0, 2, 1, 1, 1, 0, 1};
    assert_memory_equal(f->xy, outline, sizeof outline);
    assert_true(f->xy[12] == 5 && f->xy[13] == 5);
    rm_layer_free(L);
}

/* A DBF whose header lacks the 0x0D terminator (older writers): the field
 * descriptors fill the header exactly, and the attributes read. */
static void test_dbf_no_terminator(void **state)
{
    (void)state;
    double x = 126.5, y = 37.5;
    SHPHandle h = SHPCreate(tmp_path("noterm"), SHPT_POINT);
    SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    DBFHandle d = DBFCreate(tmp_path("noterm"));
    DBFAddField(d, "NAME", FTString, 20, 0);
    DBFAddField(d, "POP", FTInteger, 9, 0);
    DBFWriteStringAttribute(d, 0, 0, "Seoul");
    DBFWriteIntegerAttribute(d, 0, 1, 9776000);
    DBFClose(d);
    /* rewrite it without the terminator byte at 32 + 2 * 32 */
    FILE *f = fopen(tmp_path("noterm.dbf"), "rb");
    assert_non_null(f);
    unsigned char buf[1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_true(n > 97 && buf[96] == 0x0D && buf[8] == 97);
    memmove(buf + 96, buf + 97, n - 97);
    n--;
    buf[8] = 96;
    f = fopen(tmp_path("noterm.dbf"), "wb");
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("noterm.shp"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_field_count(L), 2);
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 0), "Seoul");
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 1), "9776000");
    rm_layer_free(L);
}

/* A point shapefile as markers_file: one marker per point, labelled from
 * label_field (beside markers_file, or in its object form). */
static void test_markers_from_shapefile(void **state)
{
    (void)state;
    double x[] = {125.7625, 131.8869}, y[] = {39.0392, 43.1155};
    SHPHandle h = SHPCreate(tmp_path("cities"), SHPT_POINT);
    DBFHandle d = DBFCreate(tmp_path("cities"));
    DBFAddField(d, "CITY_NAME", FTString, 30, 0);
    DBFAddField(d, "POP", FTInteger, 9, 0);
    const char *names[] = {"Pyongyang", "Vladivostok"};
    for (int i = 0; i < 2; i++) {
        SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &x[i], &y[i], NULL);
        SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
        DBFWriteStringAttribute(d, i, 0, names[i]);
        DBFWriteIntegerAttribute(d, i, 1, 1000 * (i + 1));
    }
    SHPClose(h);
    DBFClose(d);
    const char *specs[] = {
        "{\"markers_file\": \"%s\", \"label_field\": \"CITY_NAME\"}",
        "{\"markers_file\": {\"file\": \"%s\", \"label_field\": \"CITY_NAME\"}}",
    };
    rm_error err;
    for (size_t k = 0; k < 2; k++) {
        char text[1024];
        snprintf(text, sizeof text, specs[k], tmp_path("cities.shp"));
        rm_spec *s = rm_spec_parse_text(text, strlen(text), "spec.json", &err);
        if (!s)
            fail_msg("%s", err.message);
        assert_int_equal(s->nmarkers, 2);
        assert_string_equal(s->markers[1].label, "Vladivostok");
        assert_true(s->markers[1].has_lonlat && s->markers[1].lon == 131.8869 &&
                    s->markers[1].lat == 43.1155);
        /* and the map draws them */
        unsigned char *svg = NULL;
        size_t len = 0;
        if (rm_render_buffer(s, RM_FORMAT_SVG, NULL, &svg, &len, &err) != RM_OK)
            fail_msg("%s", err.message);
        free(svg);
        rm_spec_free(s);
    }
    /* a field that is not there: named, with the fields there are */
    char text[1024];
    snprintf(text, sizeof text, "{\"markers_file\": \"%s\", \"label_field\": \"NAME\"}",
             tmp_path("cities.shp"));
    assert_null(rm_spec_parse_text(text, strlen(text), "spec.json", &err));
    if (!strstr(err.message, "spec.json") || !strstr(err.message, "no field 'NAME'") ||
        !strstr(err.message, "CITY_NAME, POP"))
        fail_msg("%s", err.message);
    /* a line layer is no source of markers */
    double lx[] = {1, 2}, ly[] = {1, 2};
    h = SHPCreate(tmp_path("aline"), SHPT_ARC);
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, lx, ly, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    snprintf(text, sizeof text, "{\"markers_file\": \"%s\"}", tmp_path("aline.shp"));
    assert_null(rm_spec_parse_text(text, strlen(text), "spec.json", &err));
    assert_non_null(strstr(err.message, "markers come from points"));
}

/* A shapefile given as the spec says what it looks like; a misspelt place
 * in a spec is reported at its FILE:LINE:COL. */
static void test_spec_traps(void **state)
{
    (void)state;
    rm_error err;
    assert_null(rm_spec_parse_file(RM_SOURCE_DIR "/data/shapefiles/land.shp", &err));
    if (!strstr(err.message, "land.shp: not a JSON spec (looks like a shapefile") ||
        strstr(err.message, "nested"))
        fail_msg("%s", err.message);
    write_text("fc.json", "{\"type\": \"FeatureCollection\", \"features\": []}");
    assert_null(rm_spec_parse_file(tmp_path("fc.json"), &err));
    assert_non_null(strstr(err.message, "looks like GeoJSON"));

    const char *text = "{\n"
                       "  \"routes\": [\n"
                       "    {\"from\": \"Pyongyang\",\n"
                       "     \"to\": \"Vladivostokk\"}\n"
                       "  ],\n"
                       "  \"markers\": [{\"place\": \"Pyongyang\"}, {\"place\": \"Sinuijuu\"}]\n"
                       "}\n";
    rm_spec *s = rm_spec_parse_text(text, strlen(text), "trip.json", &err);
    assert_non_null(s);
    unsigned char *out = NULL;
    size_t len = 0;
    assert_int_not_equal(rm_render_buffer(s, RM_FORMAT_SVG, NULL, &out, &len, &err), RM_OK);
    rm_spec_locate_error(s, &err);
    const char *want = "trip.json:6:49: markers[1].place: unknown place 'Sinuijuu'";
    if (strncmp(err.message, want, strlen(want)))
        fail_msg("%s", err.message);
    /* the route, once the marker is right */
    free(s->markers[1].place);
    s->markers[1].place = strdup("Sinuiju");
    assert_int_not_equal(rm_render_buffer(s, RM_FORMAT_SVG, NULL, &out, &len, &err), RM_OK);
    rm_spec_locate_error(s, &err);
    want = "trip.json:4:12: routes[0].to: unknown place 'Vladivostokk'";
    if (strncmp(err.message, want, strlen(want)))
        fail_msg("%s", err.message);
    rm_spec_free(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_userdata_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geojson_same_pixels), cmocka_unit_test(test_utm_layer_crs),
        cmocka_unit_test(test_csv_layer),           cmocka_unit_test(test_geojson_errors),
        cmocka_unit_test(test_shx_length),          cmocka_unit_test(test_multipatch),
        cmocka_unit_test(test_dbf_no_terminator),   cmocka_unit_test(test_markers_from_shapefile),
        cmocka_unit_test(test_spec_traps),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
