/* Label placement under pressure: the default map plus every trip of
 * data/facts/trips.csv plus 50 cities of the gazetteer. No two placed labels
 * overlap, none covers a marker or the furniture or leaves the map area;
 * what cannot be placed is dropped lowest priority first and reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "routemap/cleanup.h"
#include "test_render_util.h"

#define LAYOUT "test_labels_layout.json"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = (size_t)n;
    }
    return b;
}

/* The default spec with trips.csv as a markers file and n cities added. */
static rm_spec *crowded_spec(size_t ncities, size_t *added)
{
    size_t len = 0;
    char *text = slurp(RM_SOURCE_DIR "/examples/kim-train-2023.json", &len);
    assert_non_null(text);
    char *brace = strchr(text, '{');
    assert_non_null(brace);
    const char *ins = "\"markers_file\": \"" RM_SOURCE_DIR "/data/facts/trips.csv\",";
    char *doc = malloc(len + strlen(ins) + 1);
    size_t pre = (size_t)(brace - text) + 1;
    memcpy(doc, text, pre);
    strcpy(doc + pre, ins);
    strcat(doc, text + pre);
    rm_error err;
    rm_spec *s = rm_spec_parse_text(doc, strlen(doc), "crowded", &err);
    if (!s)
        fail_msg("spec: %s", err.message);
    free(text);
    free(doc);
    char gp[4200];
    snprintf(gp, sizeof gp, "%s/places.shp", tu_data_dir());
    rm_gazetteer *g = rm_gazetteer_load(gp, &err);
    assert_non_null(g);
    rm_marker_spec *m = realloc(s->markers, (s->nmarkers + ncities) * sizeof *m);
    assert_non_null(m);
    s->markers = m;
    *added = 0;
    for (size_t i = 0; i < rm_gazetteer_count(g) && *added < ncities; i++) {
        const rm_place *p = rm_gazetteer_get(g, i);
        if (strcmp(p->kind, "city") && strcmp(p->kind, "capital"))
            continue;
        rm_marker_spec *k = &s->markers[s->nmarkers++];
        memset(k, 0, sizeof *k);
        k->place = strdup(p->name);
        k->kind = strdup(p->kind);
        k->priority = !strcmp(p->kind, "capital") ? 30 : 10;
        (*added)++;
    }
    rm_gazetteer_free(g);
    return s;
}

static void check_no_overlaps(json_t *lay)
{
    json_t *labels = json_object_get(lay, "labels");
    json_t *markers = json_object_get(lay, "markers");
    json_t *furn = json_object_get(lay, "furniture");
    tu_box map = tu_box_of(json_object_get(lay, "map_area"));
    size_t n = json_array_size(labels);
    for (size_t i = 0; i < n; i++) {
        json_t *li = json_array_get(labels, i);
        const char *ti = json_string_value(json_object_get(li, "text"));
        tu_box a = tu_box_of(json_object_get(li, "box"));
        if (a.x0 < map.x0 || a.x1 > map.x1 || a.y0 < map.y0 || a.y1 > map.y1)
            fail_msg("label '%s' leaves the map area", ti);
        for (size_t j = i + 1; j < n; j++) {
            tu_box b = tu_box_of(json_object_get(json_array_get(labels, j), "box"));
            if (tu_overlap(&a, &b))
                fail_msg("labels '%s' and '%s' overlap", ti,
                         json_string_value(json_object_get(json_array_get(labels, j), "text")));
        }
        for (size_t j = 0; j < json_array_size(markers); j++) {
            tu_box b = tu_box_of(json_object_get(json_array_get(markers, j), "box"));
            if (tu_overlap(&a, &b))
                fail_msg("label '%s' covers marker '%s'", ti,
                         json_string_value(json_object_get(json_array_get(markers, j), "label")));
        }
        for (size_t j = 0; j < json_array_size(furn); j++) {
            tu_box b = tu_box_of(json_object_get(json_array_get(furn, j), "box"));
            if (tu_overlap(&a, &b))
                fail_msg("label '%s' covers furniture", ti);
        }
    }
}

static void test_crowded_map(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    size_t added;
    rm_spec *s = crowded_spec(50, &added);
    assert_int_equal(added, 50);
    assert_true(s->nmarkers >= 50 + 14);
    rm_error err;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.layout_path = LAYOUT;
    char *vbuf = NULL;
    size_t vlen = 0;
    o.verbose = open_memstream(&vbuf, &vlen);
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, &o, &b, &err), RM_OK);
    fclose(o.verbose);
    free(b.data);
    if (getenv("RM_KEEP_OUTPUT")) { /* for a look at the map: RM_KEEP_OUTPUT=1 */
        rm_render_file(s, "test_labels_crowded.png", RM_FORMAT_PNG, NULL, &err);
        fputs(vbuf, stderr);
    }
    json_t *lay = tu_json(LAYOUT);
    assert_non_null(lay);
    check_no_overlaps(lay);
    json_t *labels = json_object_get(lay, "labels"), *dropped = json_object_get(lay, "dropped");
    assert_true(json_array_size(labels) >= 30);
    /* dropping goes lowest priority first: no dropped label outranks a
     * placed one of the same kind of anchor (a marker label, not an area
     * name), beyond what room decides; and the top priorities are all in */
    for (size_t i = 0; i < json_array_size(dropped); i++) {
        json_t *d = json_array_get(dropped, i);
        int pr = (int)json_integer_value(json_object_get(d, "priority"));
        assert_true(pr < 90);
        /* each dropped label is reported on the verbose stream */
        const char *t = json_string_value(json_object_get(d, "text"));
        assert_non_null(strstr(vbuf, t));
    }
    int placed_top = 0;
    for (size_t i = 0; i < json_array_size(labels); i++)
        if (json_integer_value(json_object_get(json_array_get(labels, i), "priority")) >= 90)
            placed_top++;
    assert_true(placed_top >= 3); /* Pyongyang, Vladivostok, the crossing */
    json_decref(lay);
    unlink(LAYOUT);
    free(vbuf);
    rm_spec_free(s);
}

/* Bilingual labels carry the native-script name and still do not collide. */
static void test_bilingual(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    size_t added;
    rm_spec *s = crowded_spec(12, &added);
    s->bilingual = 1;
    /* markers named by place (not by label) get the native alias */
    for (size_t i = 0; i < s->nmarkers; i++)
        if (s->markers[i].place && !strcmp(s->markers[i].place, "Vladivostok")) {
            free(s->markers[i].label);
            s->markers[i].label = NULL;
        }
    rm_error err;
    rm_render_options o;
    memset(&o, 0, sizeof o);
    o.layout_path = LAYOUT;
    tu_buf b;
    assert_int_equal(tu_render(s, RM_FORMAT_SVG, &o, &b, &err), RM_OK);
    free(b.data);
    json_t *lay = tu_json(LAYOUT);
    check_no_overlaps(lay);
    json_t *labels = json_object_get(lay, "labels");
    int found = 0;
    for (size_t i = 0; i < json_array_size(labels); i++) {
        const char *t = json_string_value(json_object_get(json_array_get(labels, i), "text"));
        if (strstr(t, "Vladivostok · Владивосток"))
            found = 1;
    }
    assert_true(found);
    json_decref(lay);
    unlink(LAYOUT);
    rm_spec_free(s);
}

int main(void)
{
    tu_data_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crowded_map),
        cmocka_unit_test(test_bilingual),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rm_library_cleanup(); /* the font caches, for leak checkers */
    return failed;
}
