/* Tests of the map spec: defaults, presets, every key of the JSON document,
 * and the errors (file:line:col, key path, "did you mean"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routemap/markers.h"
#include "routemap/spec.h"

static rm_spec *parse(const char *text, rm_error *err)
{
    rm_error_clear(err);
    return rm_spec_parse_text(text, strlen(text), "t.json", err);
}

static void test_defaults(void **state)
{
    (void)state;
    rm_spec *s = rm_spec_new();
    assert_non_null(s);
    assert_true(s->width == 1600 && s->height == 1000 && s->dpi == 96);
    assert_string_equal(s->theme, "light");
    assert_string_equal(s->projection, "auto");
    assert_int_equal(s->extent_auto, 1);
    assert_true(fabs(s->margin - 0.06) < 1e-12);
    assert_true(s->legend && s->scale_bar && s->graticule);
    assert_false(s->north_arrow || s->inset || s->transparent || s->bilingual);
    assert_true(s->font_scale == 1);
    assert_int_equal(s->nlayers + s->nroutes + s->nmarkers, 0);
    assert_null(s->title);
    rm_error e;
    assert_int_equal(rm_spec_validate(s, &e), RM_OK);
    rm_spec_free(s);
    rm_spec_free(NULL);
}

static void test_presets(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = rm_spec_new();
    /* a 16:9 slide is 13.333 x 7.5 in: 1920 x 1080 px at its 144 dpi */
    assert_int_equal(rm_spec_apply_preset(s, "slide-16x9", &e), RM_OK);
    assert_true(s->width == 1920 && s->height == 1080 && s->dpi == 144);
    assert_true(fabs(s->width / s->dpi - 13.3333) < 1e-3 && s->height / s->dpi == 7.5);
    assert_string_equal(s->preset, "slide-16x9");
    /* a 4:3 slide is 10 x 7.5 in: 1600 x 1200 px at 160 dpi */
    s->dpi = 96;
    assert_int_equal(rm_spec_apply_preset(s, "slide-4x3", &e), RM_OK);
    assert_true(s->width == 1600 && s->height == 1200 && s->dpi == 160);
    s->dpi = 96;
    assert_int_equal(rm_spec_apply_preset(s, "square", &e), RM_OK);
    assert_true(s->width == 1200 && s->height == 1200);
    /* A4 is 297 x 210 mm: at 96 dpi 1123 x 794 px, at 300 dpi 3508 x 2480 px */
    assert_int_equal(rm_spec_apply_preset(s, "a4-landscape", &e), RM_OK);
    assert_true(s->width == 1123 && s->height == 794);
    assert_int_equal(rm_spec_apply_preset(s, "a4-portrait", &e), RM_OK);
    assert_true(s->width == 794 && s->height == 1123);
    assert_true(rm_spec_type_scale(s) == 1);
    assert_int_equal(rm_spec_apply_preset(s, "thumbnail", &e), RM_OK);
    assert_true(s->width == 640 && s->height == 400 && rm_spec_type_scale(s) == 1);
    /* the slides are a medium with larger type */
    assert_int_equal(rm_spec_apply_preset(s, "slide-16x9", &e), RM_OK);
    /* type 1.6 times the default in the pixels of a 1920 px slide: 16/15 at 144 dpi */
    assert_true(fabs(rm_spec_type_scale(s) * 144 / 96 - 1.6) < 1e-9);
    s->dpi = 300;
    assert_int_equal(rm_spec_apply_preset(s, "a4-landscape", &e), RM_OK);
    assert_true(s->width == 3508 && s->height == 2480);
    assert_true(rm_spec_type_scale(s) == 1);
    /* a preset in pixels is a size at 96 dpi too: the dpi changes the
     * pixels, not the layout */
    s->dpi = 192;
    assert_int_equal(rm_spec_apply_preset(s, "slide-16x9", &e), RM_OK);
    assert_true(s->width == 2560 && s->height == 1440 && s->dpi == 192);
    s->dpi = 300;
    assert_int_equal(rm_spec_apply_preset(s, "a4-landscape", &e), RM_OK);
    assert_int_equal(rm_spec_apply_preset(s, "slide-16x10", &e), RM_ERR_SPEC);
    assert_non_null(strstr(e.message, "did you mean 'slide-16x9'?"));
    assert_int_equal(rm_spec_apply_preset(s, "poster", &e), RM_ERR_SPEC);
    assert_non_null(strstr(e.message, "unknown size preset 'poster'"));
    /* a failed preset leaves the size alone */
    assert_true(s->width == 3508 && s->height == 2480);
    rm_spec_free(s);
}

static const char full_spec[] =
    "{\n"
    "  \"size\": {\"width\": 1280, \"height\": 720, \"dpi\": 144},\n"
    "  \"theme\": \"dark\",\n"
    "  \"transparent\": true,\n"
    "  \"projection\": \"EPSG:3857\",\n"
    "  \"extent\": [120.5, 35, 140, 50.25],\n"
    "  \"margin\": 0.1,\n"
    "  \"data_dir\": \"/srv/data\",\n"
    "  \"layers\": [\n"
    "    {\"id\": \"rail\", \"file\": \"rail.shp\", \"kind\": \"line\", \"legend\": \"Railways\",\n"
    "     \"style\": {\"stroke\": \"#336699\", \"fill\": \"#ff000080\", \"width\": 1.5,\n"
    "               \"dash\": [4, 2], \"opacity\": 0.5},\n"
    "     \"filter\": {\"field\": \"COUNTRY\", \"values\": [\"PRK\", \"RUS\"]}},\n"
    "    {\"file\": \"sub/land.shp\", \"kind\": \"fill\"}\n"
    "  ],\n"
    "  \"routes\": [\n"
    "    {\"from\": \"Pyongyang\", \"to\": \"130.5,42.5\", \"via\": [\"Tumangang\", \"Khasan\"],\n"
    "     \"rail\": \"/x/rail.shp\", \"max_gap_km\": 12, \"label\": \"Route\", \"arrows\": false,\n"
    "     \"style\": {\"stroke\": \"#c8102e\", \"width\": 4}},\n"
    "    {\"from\": \"A\", \"to\": \"B\", \"via\": \"C\"}\n"
    "  ],\n"
    "  \"markers\": [\n"
    "    {\"label\": \"Home\", \"place\": \"Pyongyang\", \"kind\": \"origin\", \"priority\": 9},\n"
    "    {\"label\": \"Dalian\", \"lon\": 121.6, \"lat\": 38.9, \"kind\": \"trip\", \"date\": "
    "\"2018-05\",\n"
    "     \"number\": 3, \"group\": \"Trips\", \"mode\": \"plane\"}\n"
    "  ],\n"
    "  \"title\": \"T\", \"subtitle\": \"S\", \"attribution\": \"A\",\n"
    "  \"furniture\": {\"legend\": false, \"scale_bar\": false, \"graticule\": false,\n"
    "                \"north_arrow\": true, \"inset\": true},\n"
    "  \"labels\": {\"bilingual\": true, \"font_scale\": 1.25},\n"
    "  \"output\": {\"path\": \"out.png\", \"format\": \"png\"},\n"
    "  \"_comment\": \"keys starting with _ are ignored\"\n"
    "}\n";

static void test_every_key(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = parse(full_spec, &e);
    if (!s)
        fail_msg("%s", e.message);
    assert_true(s->width == 1280 && s->height == 720 && s->dpi == 144);
    assert_string_equal(s->theme, "dark");
    assert_int_equal(s->transparent, 1);
    assert_string_equal(s->projection, "EPSG:3857");
    assert_int_equal(s->extent_auto, 0);
    assert_true(s->extent[0] == 120.5 && s->extent[1] == 35 && s->extent[2] == 140 &&
                s->extent[3] == 50.25);
    assert_true(s->margin == 0.1);
    assert_string_equal(s->data_dir, "/srv/data");
    assert_int_equal(s->nlayers, 2);
    rm_layer_spec *l = &s->layers[0];
    assert_string_equal(l->id, "rail");
    assert_string_equal(l->file, "rail.shp");
    assert_int_equal(l->kind, RM_LAYER_LINE);
    assert_string_equal(l->legend, "Railways");
    assert_true(fabs(l->style.stroke.r - 0x33 / 255.0) < 1e-9 &&
                fabs(l->style.stroke.g - 0x66 / 255.0) < 1e-9 &&
                fabs(l->style.stroke.b - 0x99 / 255.0) < 1e-9 && l->style.stroke.a == 1);
    assert_true(l->style.fill.r == 1 && l->style.fill.g == 0 &&
                fabs(l->style.fill.a - 128 / 255.0) < 1e-9);
    assert_true(l->style.width == 1.5 && l->style.ndash == 2 && l->style.dash[0] == 4 &&
                l->style.dash[1] == 2 && l->style.opacity == 0.5);
    assert_int_equal(l->style.set, RM_STYLE_STROKE | RM_STYLE_FILL | RM_STYLE_WIDTH |
                                       RM_STYLE_DASH | RM_STYLE_OPACITY);
    assert_string_equal(l->filter_field, "COUNTRY");
    assert_int_equal(l->nfilter_values, 2);
    assert_string_equal(l->filter_values[1], "RUS");
    /* id defaults to the file's base name; kind fill; nothing set in style */
    assert_string_equal(s->layers[1].id, "land");
    assert_int_equal(s->layers[1].kind, RM_LAYER_FILL);
    assert_int_equal(s->layers[1].style.set, 0);
    assert_null(s->layers[1].legend);
    assert_int_equal(s->nroutes, 2);
    rm_route_spec *r = &s->routes[0];
    assert_string_equal(r->from, "Pyongyang");
    assert_string_equal(r->to, "130.5,42.5");
    assert_int_equal(r->nvia, 2);
    assert_string_equal(r->via[0], "Tumangang");
    assert_string_equal(r->via[1], "Khasan");
    assert_string_equal(r->rail_file, "/x/rail.shp");
    assert_true(r->max_gap_km == 12);
    assert_string_equal(r->label, "Route");
    assert_int_equal(r->arrows, 0);
    assert_true(r->style.width == 4);
    assert_int_equal(r->style.set, RM_STYLE_STROKE | RM_STYLE_WIDTH);
    /* route defaults; a single "via" string is a list of one */
    assert_int_equal(s->routes[1].nvia, 1);
    assert_string_equal(s->routes[1].via[0], "C");
    assert_true(s->routes[1].max_gap_km == 5 && s->routes[1].arrows == 1);
    assert_null(s->routes[1].rail_file);
    assert_int_equal(s->nmarkers, 2);
    rm_marker_spec *m = &s->markers[0];
    assert_string_equal(m->label, "Home");
    assert_string_equal(m->place, "Pyongyang");
    assert_int_equal(m->has_lonlat, 0);
    assert_string_equal(m->kind, "origin");
    assert_int_equal(m->priority, 9);
    m = &s->markers[1];
    assert_null(m->place);
    assert_true(m->has_lonlat && m->lon == 121.6 && m->lat == 38.9);
    assert_string_equal(m->date, "2018-05");
    assert_int_equal(m->number, 3);
    assert_string_equal(m->group, "Trips");
    assert_string_equal(m->mode, "plane");
    assert_string_equal(s->title, "T");
    assert_string_equal(s->subtitle, "S");
    assert_string_equal(s->attribution, "A");
    assert_false(s->legend || s->scale_bar || s->graticule);
    assert_true(s->north_arrow && s->inset && s->bilingual);
    assert_true(s->font_scale == 1.25);
    assert_string_equal(s->output, "out.png");
    assert_string_equal(s->format, "png");
    rm_spec_free(s);
}

static void test_shorthands(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s =
        parse("{\"size\": \"slide-16x9\", \"extent\": \"auto\", \"output\": \"x.pdf\"}", &e);
    assert_non_null(s);
    assert_true(s->width == 1920 && s->height == 1080);
    assert_string_equal(s->output, "x.pdf");
    rm_spec_free(s);
    s = parse("{\"size\": \"800x600\"}", &e);
    assert_non_null(s);
    assert_true(s->width == 800 && s->height == 600);
    rm_spec_free(s);
    s = parse("{\"size\": {\"preset\": \"a4-portrait\", \"dpi\": 300}}", &e);
    assert_non_null(s);
    assert_true(s->width == 2480 && s->height == 3508 && s->dpi == 300);
    rm_spec_free(s);
    s = parse("{\"layers\": [{\"file\": \"x.shp\", \"style\": {\"stroke\": \"none\"}}]}", &e);
    assert_non_null(s);
    assert_true(s->layers[0].style.stroke.a == 0);
    rm_spec_free(s);
    s = parse("{}", &e);
    assert_non_null(s);
    assert_int_equal(s->has_frame, 0);
    assert_int_equal(s->has_background, 0);
    rm_spec_free(s);
    s = parse("{\"projection\": \"EPSG:3857\", \"frame\": [1e6, 2e6, 3e6, 4.5e6],"
              " \"background\": \"#102030\"}",
              &e);
    if (!s)
        fail_msg("%s", e.message);
    assert_true(s->has_frame && s->frame[0] == 1e6 && s->frame[3] == 4.5e6);
    assert_true(s->has_background && fabs(s->background.b - 0x30 / 255.0) < 1e-12);
    rm_spec_free(s);
}

typedef struct bad_case {
    const char *text;
    const char *expect; /* substring of the message */
} bad_case;

static const bad_case bad[] = {
    /* unknown keys with suggestions, at the key's position */
    {"{\n  \"routes\": [\n    {\"from\": \"A\", \"to\": \"B\", \"stlye\": {}}\n  ]\n}",
     "t.json:3:30: routes[0].stlye: unknown key 'stlye' (did you mean 'style'?)"},
    {"{\"titel\": \"x\"}", "t.json:1:2: titel: unknown key 'titel' (did you mean 'title'?)"},
    {"{\"furniture\": {\"scalebar\": true}}",
     "furniture.scalebar: unknown key 'scalebar' (did you mean 'scale_bar'?)"},
    {"{\"layers\": [{\"file\": \"a.shp\", \"style\": {\"colour\": \"#000000\"}}]}",
     "layers[0].style.colour: unknown key 'colour'"},
    {"{\"qqqqqq\": 1}", "qqqqqq: unknown key 'qqqqqq' (known keys: size,"},
    /* types */
    {"{\"title\": 5}", "t.json:1:11: title: expected a string, found a number"},
    {"{\"margin\": \"wide\"}", "margin: expected a number, found a string"},
    {"{\"transparent\": 1}", "transparent: expected true or false, found a number"},
    {"{\"layers\": {}}", "t.json:1:12: layers: expected an array, found an object"},
    {"{\"markers\": [{\"place\": \"X\", \"number\": 1.5}]}",
     "markers[0].number: expected a whole number, found a fraction"},
    {"[1, 2]", "the spec must be a JSON object"},
    /* values */
    {"{\"routes\": [{\"from\": \"A\", \"to\": \"B\", \"style\": {\"stroke\": \"red\"}}]}",
     "routes[0].style.stroke: 'red' is not a colour"},
    {"{\"layers\": [{\"file\": \"a.shp\", \"style\": {\"fill\": \"#12345\"}}]}",
     "layers[0].style.fill: '#12345' is not a colour"},
    {"{\"size\": {\"width\": 100000, \"height\": 500}}",
     "t.json:1:20: size.width: 100000 is out of range (16 .. 20000)"},
    {"{\"size\": {\"width\": 1000, \"height\": 0}}", "size.height: 0 is out of range"},
    {"{\"size\": {\"dpi\": 5000}}", "size.dpi: 5000 is out of range"},
    {"{\"size\": \"99999x10\"}", "size: 99999x10 is out of range"},
    {"{\"size\": {\"width\": 20000, \"height\": 20000}}", "more than 100 million pixels"},
    {"{\"size\": {\"preset\": \"slide\", \"width\": 5}}", "size.preset: give either"},
    {"{\"size\": {\"preset\": \"sqare\"}}",
     "size.preset: unknown size preset 'sqare' (did you mean 'square'?)"},
    {"{\"theme\": \"drak\"}", "t.json:1:11: theme: unknown theme 'drak' (did you mean 'dark'?)"},
    {"{\"extent\": [1, 2, 3]}", "extent: expected \"auto\" or [minlon, minlat, maxlon, maxlat]"},
    {"{\"extent\": [10, 2, 10, 4]}", "extent: minlon 10 must differ from maxlon 10"},
    {"{\"extent\": [10, 2, 30, 95]}", "extent[3]: 95 is out of range (-90 .. 90)"},
    {"{\"margin\": 0.9}", "margin: 0.9 is out of range (0 .. 0.45)"},
    {"{\"labels\": {\"font_scale\": 10}}", "labels.font_scale: 10 is out of range"},
    {"{\"output\": {\"format\": \"jpg\"}}", "output.format: unknown format 'jpg'"},
    {"{\"output\": {\"format\": \"pnd\"}}", "(did you mean 'png'?)"},
    {"{\"layers\": [{\"file\": \"a.shp\", \"kind\": \"polygon\"}]}",
     "layers[0].kind: unknown kind 'polygon'"},
    {"{\"layers\": [{\"file\": \"a.shp\", \"style\": {\"dash\": [0, 0]}}]}",
     "layers[0].style.dash: all lengths are 0"},
    {"{\"layers\": [{\"file\": \"a.shp\", \"style\": {\"opacity\": 2}}]}",
     "layers[0].style.opacity: 2 is out of range"},
    {"{\"layers\": [{\"file\": \"x.shp\", \"filter\": {\"field\": \"a\", \"values\": []}}]}",
     "layers[0].filter.values: empty list"},
    {"{\"markers\": [{\"lon\": 200, \"lat\": 0}]}", "markers[0].lon: 200 is out of range"},
    {"{\"markers\": [{\"lon\": 20}]}", "markers[0]: missing required key 'lat'"},
    {"{\"markers\": [{\"label\": \"x\"}]}", "markers[0]: missing required key 'place'"},
    {"{\"markers\": [{\"place\": \"x\", \"lon\": 1, \"lat\": 2}]}",
     "markers[0].place: give either"},
    {"{\"frame\": [0, 0, 10, 10]}",
     "t.json:1:11: frame: a frame is in map CRS units: give a \"projection\" too"},
    {"{\"projection\": \"EPSG:3857\", \"frame\": [0, 0, -10, 10]}",
     "frame: minx 0 must be less than maxx -10"},
    {"{\"background\": \"blue\"}", "background: 'blue' is not a colour"},
    /* required keys */
    {"{\"routes\": [{\"to\": \"B\"}]}", "t.json:1:13: routes[0]: missing required key 'from'"},
    {"{\"layers\": [{\"id\": \"x\"}]}", "layers[0]: missing required key 'file'"},
    {"{\"routes\": [{\"from\": \"\", \"to\": \"B\"}]}", "routes[0].from: expected a place name"},
    /* JSON syntax and duplicates (jansson's own position) */
    {"{\"title\": \"a\",\n \"title\": \"b\"}", "t.json:2:"},
    {"{\"title\": }", "t.json:1:"},
    {"", "t.json:"},
    /* control characters in quoted keys and values do not break the line */
    {"{\"ti\\ntle\": 1}", "ti?tle: unknown key 'ti?tle' (did you mean 'title'?)"},
    {"{\"theme\": \"da\\nrk\"}", "theme: unknown theme 'da?rk'"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rm_error e;
        rm_spec *s = parse(bad[i].text, &e);
        if (s)
            fail_msg("case %zu accepted: %s", i, bad[i].text);
        assert_int_equal(e.status, RM_ERR_SPEC);
        if (!strstr(e.message, bad[i].expect))
            fail_msg("case %zu: message\n  %s\nlacks\n  %s", i, e.message, bad[i].expect);
        assert_null(strchr(e.message, '\n'));
    }
}

/* Columns count characters, not bytes: a key after "Владивосток" is found at
 * the right column. */
static void test_utf8_column(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = parse("{\"title\": \"Владивосток\", \"sbutitle\": \"x\"}", &e);
    assert_null(s);
    assert_non_null(strstr(
        e.message, "t.json:1:26: sbutitle: unknown key 'sbutitle' (did you mean 'subtitle'?)"));
}

static void test_hostile_input(void **state)
{
    (void)state;
    rm_error e;
    /* deep nesting is refused before jansson sees it */
    size_t n = 200000;
    char *deep = malloc(n + 1);
    assert_non_null(deep);
    memset(deep, '[', n);
    deep[n] = '\0';
    assert_null(rm_spec_parse_text(deep, n, "deep.json", &e));
    assert_int_equal(e.status, RM_ERR_SPEC);
    assert_non_null(strstr(e.message, "nested more than"));
    /* deep nesting inside a string does not count */
    free(deep);
    /* a huge string */
    size_t big = 100000;
    char *t = malloc(big + 32);
    assert_non_null(t);
    strcpy(t, "{\"title\": \"");
    memset(t + 11, 'x', big);
    strcpy(t + 11 + big, "\"}");
    assert_null(parse(t, &e));
    assert_non_null(strstr(e.message, "title: string of 100000 bytes is too long"));
    free(t);
    /* an over-long text is refused without parsing */
    assert_null(rm_spec_parse_text("{}", (size_t)17 * 1024 * 1024, "huge.json", &e));
    assert_int_equal(e.status, RM_ERR_LIMIT);
    /* NUL inside the text is a syntax error, not a truncated string */
    assert_null(rm_spec_parse_text("{\"title\": \"a\0b\"}", 16, "nul.json", &e));
    /* invalid UTF-8 */
    assert_null(parse("{\"title\": \"\xff\xfe\"}", &e));
    assert_int_equal(e.status, RM_ERR_SPEC);
}

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_files_and_paths(void **state)
{
    (void)state;
    char path[256], csv[256];
    snprintf(csv, sizeof csv, "%s/pts.csv", tmpdir);
    write_file(csv, "name,lon,lat,date\r\n"
                    "\"Dalian, Liaoning\",121.6147,38.914,2018-05\r\n"
                    "\r\n"
                    "\"Say \"\"hi\"\"\",10,20,\r\n");
    snprintf(path, sizeof path, "%s/m.json", tmpdir);
    write_file(path, "{\"data_dir\": \"rel/data\",\n \"markers\": [{\"place\": \"Pyongyang\"}],\n"
                     " \"markers_file\": \"pts.csv\"}");
    rm_error e;
    rm_spec *s = rm_spec_parse_file(path, &e);
    if (!s)
        fail_msg("%s", e.message);
    char want[256];
    snprintf(want, sizeof want, "%s/rel/data", tmpdir);
    assert_string_equal(s->data_dir, want);
    assert_int_equal(s->nmarkers, 3);
    assert_string_equal(s->markers[0].place, "Pyongyang");
    assert_string_equal(s->markers[1].label, "Dalian, Liaoning");
    assert_true(s->markers[1].has_lonlat && s->markers[1].lon == 121.6147);
    assert_string_equal(s->markers[1].date, "2018-05");
    assert_string_equal(s->markers[1].kind, "trip");
    assert_int_equal(s->markers[1].number, 1);
    assert_string_equal(s->markers[2].label, "Say \"hi\"");
    assert_null(s->markers[2].date);
    assert_string_equal(s->markers[2].kind, "place");
    assert_int_equal(s->markers[2].number, 0);
    rm_spec_free(s);

    /* a bad markers file: the error names the spec key and the CSV line */
    write_file(csv, "name,lon,lat\nA,1,2\nB,abc,3\n");
    s = rm_spec_parse_file(path, &e);
    assert_null(s);
    assert_non_null(strstr(e.message, ":3:18: markers_file: "));
    assert_non_null(strstr(e.message, "pts.csv:3: longitude 'abc' is not a number"));

    /* a missing file */
    snprintf(path, sizeof path, "%s/none.json", tmpdir);
    assert_null(rm_spec_parse_file(path, &e));
    assert_int_equal(e.status, RM_ERR_IO);
    assert_non_null(strstr(e.message, "none.json: No such file"));
    /* a directory */
    assert_null(rm_spec_parse_file(tmpdir, &e));
    assert_int_equal(e.status, RM_ERR_IO);
}

static void test_markers_csv_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *expect;
    } cases[] = {
        {"", "m.csv: empty file"},
        {"name,x,y\nA,1,2\n", "m.csv:1: the header has no longitude column"},
        {"lon,lat\n1,2\n", "m.csv:1: the header has no name column"},
        {"name,lon,lat\nA,1,2\nB,1\n", "m.csv:3: 2 fields, but the header has 3"},
        {"name,lon,lat\nA,1,95\n", "m.csv:2: latitude '95' is not a number in -90 .. 90"},
        {"name,lon,lat\n\"A,1,2\n", "m.csv:2: a quoted field is not closed"},
        {"name,lon,lat\nA\"b,1,2\n", "m.csv:2: a quote inside an unquoted field"},
        {"name,lon,lat\n\"multi\nline\",1,2\nC,x,2\n", "m.csv:4: longitude 'x'"},
        {"name,lon,lat\n,1,2\n", "m.csv:2: the name is empty"},
        {"name,lon,lat\n\xff\xfe"
         "A,1,2\n",
         "m.csv:2: field 1 is not valid UTF-8"},
        {"name,lon,lat\nA,1,2\n\"x\xc0\xaf\",1,2\n", "m.csv:3: field 1 is not valid UTF-8"},
        {"name,lon,lat,date\nA,1,2,2019\xed\xa0\x80\n", "m.csv:2: field 4 is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rm_marker_spec *m = NULL;
        size_t n = 0;
        rm_error e;
        rm_status st =
            rm_markers_parse(cases[i].text, strlen(cases[i].text), "m.csv", 0, &m, &n, &e);
        if (st == RM_OK)
            fail_msg("case %zu accepted", i);
        if (!strstr(e.message, cases[i].expect))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.message, cases[i].expect);
    }
}

static void test_markers_csv_utf8(void **state)
{
    (void)state;
    const char *t = "\xef\xbb\xbfname,lat,"
                    "lon\n\"\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xb2\xd0\xbe\xd1\x81\xd1"
                    "\x82\xd0\xbe\xd0\xba\","
                    "43.1,131.9\n";
    rm_marker_spec *m = NULL;
    size_t n = 0;
    rm_error e;
    assert_int_equal(rm_markers_parse(t, strlen(t), "u.csv", 0, &m, &n, &e), RM_OK);
    assert_int_equal(n, 1);
    assert_string_equal(
        m[0].label,
        "\xd0\x92\xd0\xbb\xd0\xb0\xd0\xb4\xd0\xb8\xd0\xb2\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe\xd0\xba");
    /* columns found by name, not position: lat before lon */
    assert_true(m[0].lon == 131.9 && m[0].lat == 43.1);
    rm_markers_free(m, n);
}

static void test_markers_geojson(void **state)
{
    (void)state;
    const char *gj =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        " {\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [131.88, "
        "43.11]},\n"
        "  \"properties\": {\"name\": \"Vladivostok\", \"date\": \"2019-04\", \"number\": 8, "
        "\"mode\": \"train\"}},\n"
        " {\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [125.75, "
        "39.03]},\n"
        "  \"properties\": {\"label\": \"Pyongyang\", \"kind\": \"origin\", \"priority\": 5}}]}";
    rm_marker_spec *m = NULL;
    size_t n = 0;
    rm_error e;
    assert_int_equal(rm_markers_parse(gj, strlen(gj), "p.geojson", 1, &m, &n, &e), RM_OK);
    assert_int_equal(n, 2);
    assert_string_equal(m[0].label, "Vladivostok");
    assert_true(m[0].lon == 131.88 && m[0].lat == 43.11 && m[0].number == 8);
    assert_string_equal(m[0].kind, "trip");
    assert_string_equal(m[0].mode, "train");
    assert_string_equal(m[1].kind, "origin");
    assert_int_equal(m[1].priority, 5);
    rm_markers_free(m, n);
    const char *bad1 = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", "
                       "\"geometry\": {\"type\": \"LineString\", \"coordinates\": []}}]}";
    assert_int_equal(rm_markers_parse(bad1, strlen(bad1), "p.geojson", 1, &m, &n, &e),
                     RM_ERR_FORMAT);
    assert_non_null(strstr(e.message, "p.geojson: features[0]: geometry is not a Point"));
    const char *bad2 = "{\"type\": \"Topology\"}";
    assert_int_equal(rm_markers_parse(bad2, strlen(bad2), "p.geojson", 1, &m, &n, &e),
                     RM_ERR_FORMAT);
}

/* The trips of data/facts/trips.csv (the repository's copy of the facts)
 * read as markers: every row, numbered by trip id, with its date and mode. */
static void test_trips_csv(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/data/facts/trips.csv", RM_SOURCE_DIR);
    if (access(path, R_OK) != 0)
        skip();
    rm_marker_spec *m = NULL;
    size_t n = 0;
    rm_error e;
    if (rm_markers_read(path, &m, &n, &e))
        fail_msg("%s", e.message);
    assert_true(n >= 10);
    int beijing = 0, singapore = 0, t10 = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(m[i].has_lonlat);
        assert_non_null(m[i].date);
        assert_true(m[i].number >= 1);
        if (!strcmp(m[i].label, "Beijing"))
            beijing++;
        if (!strcmp(m[i].label, "Singapore")) {
            singapore++;
            assert_true(fabs(m[i].lat - 1.25) < 0.1 && fabs(m[i].lon - 103.8) < 0.1);
            assert_string_equal(m[i].mode, "plane");
        }
        if (m[i].number == 10)
            t10++;
    }
    assert_true(beijing >= 3);
    assert_int_equal(singapore, 1);
    assert_true(t10 >= 2); /* the Sept 2023 trip's stops all carry number 10 */
    rm_markers_free(m, n);
}

/* The built-in default map: the route Pyongyang -> Vladivostok, the layers of
 * the shipped data, and a marker at (or naming) every trip destination. */
static void test_default_spec(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = rm_spec_default(&e);
    if (!s)
        fail_msg("%s", e.message);
    assert_non_null(s->title);
    assert_non_null(strstr(s->title, "Kim Jong Un"));
    assert_int_equal(s->nroutes, 1);
    assert_string_equal(s->routes[0].from, "Pyongyang");
    assert_string_equal(s->routes[0].to, "Vladivostok");
    static const char *const files[] = {"land.shp", "countries.shp", "borders.shp", "coastline.shp",
                                        "rail.shp"};
    for (size_t k = 0; k < 5; k++) {
        size_t i;
        for (i = 0; i < s->nlayers; i++)
            if (!strcmp(s->layers[i].file, files[k]))
                break;
        if (i == s->nlayers)
            fail_msg("the default map has no layer %s", files[k]);
    }
    /* destinations of /work/shared/facts/trips.csv (lon, lat) within 15 km */
    static const double dest[][2] = {{116.3875, 39.9031}, {126.6767, 37.9558}, {121.6147, 38.9140},
                                     {103.8269, 1.2493},  {105.8560, 21.0253}, {128.3340, 51.8844},
                                     {137.0200, 50.5500}, {132.1480, 43.3990}};
    for (size_t k = 0; k < sizeof dest / sizeof dest[0]; k++) {
        int found = 0;
        for (size_t i = 0; i < s->nmarkers; i++) {
            const rm_marker_spec *m = &s->markers[i];
            if (!m->has_lonlat)
                continue;
            double dx = (m->lon - dest[k][0]) * 111.2 * cos(dest[k][1] * M_PI / 180);
            double dy = (m->lat - dest[k][1]) * 111.2;
            if (sqrt(dx * dx + dy * dy) < 15)
                found = 1;
        }
        if (!found)
            fail_msg("no marker at %g,%g", dest[k][0], dest[k][1]);
    }
    int pyongyang = 0, vladivostok = 0, crossing = 0;
    for (size_t i = 0; i < s->nmarkers; i++) {
        const rm_marker_spec *m = &s->markers[i];
        if (m->place && !strcmp(m->place, "Pyongyang") && !strcmp(m->kind, "origin"))
            pyongyang = 1;
        if (m->place && !strcmp(m->place, "Vladivostok") && !strcmp(m->kind, "destination"))
            vladivostok = 1;
        if (m->kind && !strcmp(m->kind, "crossing"))
            crossing = 1;
    }
    assert_true(pyongyang && vladivostok && crossing);
    assert_int_equal(rm_spec_validate(s, &e), RM_OK);
    rm_spec_free(s);
}

/* Every example spec in examples/ parses. */
static void test_examples_parse(void **state)
{
    (void)state;
    static const char *const names[] = {"kim-train-2023.json", "kim-train-2019.json",
                                        "kim-trips-2018-2023.json", "ne-route.json"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/%s", RM_SOURCE_DIR, names[i]);
        rm_error e;
        rm_spec *s = rm_spec_parse_file(path, &e);
        if (!s)
            fail_msg("%s", e.message);
        assert_true(s->nroutes + s->nmarkers > 0);
        rm_spec_free(s);
    }
}

/* An extent across the 180th meridian is given min > max and kept with
 * maxlon past 180, so that the box is continuous; an ordinary one is kept
 * as given. */
static void test_extent_antimeridian(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = parse("{\"extent\": [160, 55, -150, 72]}", &e);
    if (!s)
        fail_msg("%s", e.message);
    assert_int_equal(s->extent_auto, 0);
    assert_true(s->extent[0] == 160 && s->extent[1] == 55 && s->extent[2] == 210 &&
                s->extent[3] == 72);
    assert_int_equal(rm_spec_validate(s, &e), RM_OK);
    rm_spec_free(s);
    s = parse("{\"extent\": [-150, 55, 160, 72]}", &e);
    assert_non_null(s);
    assert_true(s->extent[0] == -150 && s->extent[2] == 160);
    rm_spec_free(s);
    assert_true(rm_extent_maxlon(155, -145) == 215);
    assert_true(rm_extent_maxlon(-145, 155) == 155);
}

static void test_validate_edits(void **state)
{
    (void)state;
    rm_error e;
    rm_spec *s = rm_spec_new();
    s->width = 30000;
    assert_int_equal(rm_spec_validate(s, &e), RM_ERR_SPEC);
    assert_non_null(strstr(e.message, "size.width"));
    s->width = 800;
    assert_int_equal(rm_spec_set_string(&s->theme, "neon"), 0);
    assert_int_equal(rm_spec_validate(s, &e), RM_ERR_SPEC);
    assert_non_null(strstr(e.message, "theme"));
    assert_int_equal(rm_spec_set_string(&s->theme, "print"), 0);
    s->extent_auto = 0;
    s->extent[0] = 10;
    s->extent[2] = 5;
    assert_int_equal(rm_spec_validate(s, &e), RM_ERR_SPEC);
    /* across the antimeridian: stored with maxlon past 180, at most a turn */
    s->extent[2] = 10 + 359;
    assert_int_equal(rm_spec_validate(s, &e), RM_OK);
    s->extent[2] = 10 + 360;
    assert_int_equal(rm_spec_validate(s, &e), RM_ERR_SPEC);
    s->extent_auto = 1;
    assert_int_equal(rm_spec_validate(s, &e), RM_OK);
    rm_color c;
    assert_int_equal(rm_color_parse("#FFa000", &c), 0);
    assert_true(c.r == 1 && fabs(c.g - 160 / 255.0) < 1e-12 && c.b == 0 && c.a == 1);
    assert_int_equal(rm_color_parse("#ffa00", &c), -1);
    assert_int_equal(rm_color_parse("ffa000", &c), -1);
    assert_int_equal(rm_color_parse("#gga000", &c), -1);
    rm_spec_free(s);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_spec.XXXXXX");
    if (!mkdtemp(tmpdir))
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_shorthands),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_utf8_column),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_files_and_paths),
        cmocka_unit_test(test_markers_csv_errors),
        cmocka_unit_test(test_markers_csv_utf8),
        cmocka_unit_test(test_markers_geojson),
        cmocka_unit_test(test_trips_csv),
        cmocka_unit_test(test_default_spec),
        cmocka_unit_test(test_examples_parse),
        cmocka_unit_test(test_validate_edits),
        cmocka_unit_test(test_extent_antimeridian),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        rc = rc ? rc : 1;
    return rc;
}
