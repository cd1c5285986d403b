/* The renderer through the recording canvas (src/canvas/canvas_record.c):
 * what it draws, in which order, and that the legend shows the very symbols
 * the map draws. Real maps on the repository's data: the default map
 * (examples/kim-train-2023.json) and the Natural Earth example. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canvas/canvas.h"
#include "render/render_priv.h"
#include "test_render_util.h"

static rm_canvas *open_record(const rm_render *r, void *arg, rm_error *err)
{
    (void)r;
    (void)arg;
    rm_canvas *cv = rm_cv_record_new();
    if (!cv)
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    return cv;
}

/* Renders a spec file (NULL: the default map) into a recording canvas. */
static rm_canvas *record_map(const char *path)
{
    tu_data_dir();
    rm_error err = {0};
    rm_spec *spec = path ? rm_spec_parse_file(path, &err) : rm_spec_default(&err);
    if (!spec)
        fail_msg("spec: %s", err.message);
    rm_canvas *cv = NULL;
    rm_status st = rm_r_render_to(spec, RM_FORMAT_SVG, NULL, open_record, NULL, &cv, &err);
    if (st != RM_OK)
        fail_msg("render: %s", err.message);
    rm_spec_free(spec);
    return cv;
}

/* The index of the first operation at or after `from` that opens a group of
 * `role` (and id, when given); n when there is none. */
static size_t find_group(const rm_cv_record *ops, size_t n, size_t from, rm_cv_role role,
                         const char *id)
{
    for (size_t i = from; i < n; i++)
        if (ops[i].op == RM_CVOP_BEGIN_GROUP && ops[i].role == role &&
            (!id || (ops[i].id && !strcmp(ops[i].id, id))))
            return i;
    return n;
}

/* The end of the group opened at `at`. */
static size_t group_end(const rm_cv_record *ops, size_t n, size_t at)
{
    for (size_t i = at + 1; i < n; i++)
        if (ops[i].op == RM_CVOP_END_GROUP && ops[i].depth == ops[at].depth)
            return i;
    return n;
}

/* Back to front: paper, the clipped map area (layers in the spec's order,
 * graticule, routes, markers), the frame, the labels, the furniture. Groups
 * are balanced and the clip is popped inside the map group. */
static void test_layer_order(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_canvas *cv = record_map(NULL);
    size_t n;
    const rm_cv_record *ops = rm_cv_record_ops(cv, &n);
    assert_true(n > 50);
    assert_int_equal(ops[0].op, RM_CVOP_BEGIN_GROUP);
    assert_int_equal(ops[0].role, RM_CV_PAGE);
    assert_int_equal(ops[1].op, RM_CVOP_PAINT);

    size_t map = find_group(ops, n, 0, RM_CV_MAP, NULL);
    assert_true(map < n);
    size_t map_end = group_end(ops, n, map);
    assert_true(map_end < n);
    /* the map area is clipped, and the clip ends inside the group */
    assert_int_equal(ops[map + 1].op, RM_CVOP_PUSH_CLIP);
    assert_int_equal(ops[map_end - 1].op, RM_CVOP_POP_CLIP);

    /* the default map's layers, in the order the spec lists them */
    rm_error err = {0};
    rm_spec *spec = rm_spec_default(&err);
    assert_non_null(spec);
    assert_true(spec->nlayers >= 3);
    size_t at = map;
    for (size_t k = 0; k < spec->nlayers; k++) {
        const char *id = spec->layers[k].id;
        size_t g = find_group(ops, n, at, RM_CV_LAYER, id);
        if (g >= map_end)
            fail_msg("layer '%s' not drawn in order inside the map area", id);
        at = group_end(ops, n, g);
        /* something was painted in each layer */
        int painted = 0;
        for (size_t i = g; i < at; i++)
            painted |= ops[i].op == RM_CVOP_FILL || ops[i].op == RM_CVOP_STROKE;
        assert_true(painted);
    }
    rm_spec_free(spec);
    size_t grat = find_group(ops, n, at, RM_CV_GRATICULE, "graticule");
    size_t routes = find_group(ops, n, at, RM_CV_ROUTES, NULL);
    size_t markers = find_group(ops, n, at, RM_CV_MARKERS, NULL);
    assert_true(grat < routes && routes < markers && markers < map_end);
    /* the route is the boldest line on the map */
    double widest = 0, route_w = 0;
    for (size_t i = map; i < routes; i++)
        if (ops[i].op == RM_CVOP_STROKE && ops[i].width > widest)
            widest = ops[i].width;
    for (size_t i = routes; i < group_end(ops, n, routes); i++)
        if (ops[i].op == RM_CVOP_STROKE && ops[i].width > route_w)
            route_w = ops[i].width;
    assert_true(route_w > widest);

    size_t frame = find_group(ops, n, map_end, RM_CV_FRAME, NULL);
    size_t labels = find_group(ops, n, map_end, RM_CV_LABELS, NULL);
    size_t legend = find_group(ops, n, map_end, RM_CV_LEGEND, NULL);
    size_t scale = find_group(ops, n, map_end, RM_CV_SCALEBAR, NULL);
    assert_true(frame < labels && labels < legend && legend < n && scale < n);
    /* groups balance */
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].op == RM_CVOP_BEGIN_GROUP)
            depth++;
        if (ops[i].op == RM_CVOP_END_GROUP)
            depth--;
        assert_true(depth >= 0);
    }
    assert_int_equal(depth, 0);
    rm_cv_free(cv);
}

/* The symbol the legend shows for "Start" and "Destination" is the very
 * symbol the map draws at the route's ends (same id: kind, radius, fill,
 * edge), and it is drawn inside the legend's box. */
static void test_legend_symbol_equals_map_symbol(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_canvas *cv = record_map(NULL);
    size_t n;
    const rm_cv_record *ops = rm_cv_record_ops(cv, &n);
    size_t markers = find_group(ops, n, 0, RM_CV_MARKERS, NULL);
    size_t legend = find_group(ops, n, 0, RM_CV_LEGEND, NULL);
    assert_true(markers < n && legend < n);
    const char *kinds[] = {"origin ", "destination "};
    for (int k = 0; k < 2; k++) {
        const rm_cv_record *on_map = NULL, *in_legend = NULL;
        for (size_t i = markers; i < group_end(ops, n, markers); i++)
            if (ops[i].op == RM_CVOP_SYMBOL && !strncmp(ops[i].id, kinds[k], strlen(kinds[k])))
                on_map = &ops[i];
        for (size_t i = legend; i < group_end(ops, n, legend); i++)
            if (ops[i].op == RM_CVOP_SYMBOL && !strncmp(ops[i].id, kinds[k], strlen(kinds[k])))
                in_legend = &ops[i];
        if (!on_map || !in_legend)
            fail_msg("no %s symbol on the map or in the legend", kinds[k]);
        assert_string_equal(on_map->id, in_legend->id);
        assert_true(on_map->x != in_legend->x || on_map->y != in_legend->y);
    }
    /* the start and the destination look different */
    rm_cv_free(cv);
}

/* Every label the map places is one text run in the labels group, with a
 * halo, and the Natural Earth example's layers are all there. */
static void test_labels_and_layers_ne(void **state)
{
    (void)state;
    if (!tu_have_data())
        skip();
    rm_canvas *cv = record_map(RM_SOURCE_DIR "/examples/ne-route.json");
    size_t n;
    const rm_cv_record *ops = rm_cv_record_ops(cv, &n);
    size_t labels = find_group(ops, n, 0, RM_CV_LABELS, NULL);
    assert_true(labels < n);
    size_t runs = 0;
    for (size_t i = labels; i < group_end(ops, n, labels); i++)
        if (ops[i].op == RM_CVOP_TEXT) {
            runs++;
            assert_non_null(ops[i].id);
            assert_true(ops[i].size > 5);
        }
    assert_true(runs >= 2);
    size_t layers = 0;
    for (size_t i = 0; i < n; i++)
        layers += ops[i].op == RM_CVOP_BEGIN_GROUP && ops[i].role == RM_CV_LAYER;
    assert_true(layers >= 3);
    rm_cv_free(cv);
}

/* The recording back-end on its own: a path's points and box go with the
 * fill that paints it, keep=1 keeps them for the stroke, groups nest. */
static void test_record_backend(void **state)
{
    (void)state;
    rm_canvas *cv = rm_cv_record_new();
    assert_non_null(cv);
    rm_color red = {1, 0, 0, 1};
    rm_cv_begin_group(cv, RM_CV_LEGEND, "legend");
    rm_cv_rectangle(cv, 10, 20, 30, 40);
    rm_cv_fill(cv, &red, 1);
    rm_cv_line line = {red, 2, NULL, 0, 0, RM_CV_CAP_ROUND, RM_CV_JOIN_ROUND};
    rm_cv_stroke(cv, &line, 0);
    rm_cv_stroke(cv, &line, 0); /* the path is gone */
    rm_cv_end_group(cv);
    rm_error err = {0};
    assert_int_equal(rm_cv_finish(cv, &err), RM_OK);
    size_t n;
    const rm_cv_record *ops = rm_cv_record_ops(cv, &n);
    assert_int_equal(n, 5);
    assert_string_equal(ops[0].id, "legend");
    assert_string_equal(rm_cv_role_name(ops[0].role), "legend");
    assert_int_equal(ops[1].op, RM_CVOP_FILL);
    assert_int_equal(ops[1].depth, 1);
    assert_int_equal(ops[1].npoints, 2);
    assert_true(ops[1].bx0 == 10 && ops[1].by0 == 20 && ops[1].bx1 == 40 && ops[1].by1 == 60);
    assert_int_equal(ops[2].npoints, 2);
    assert_true(ops[2].width == 2);
    assert_int_equal(ops[3].npoints, 0);
    assert_int_equal(ops[4].op, RM_CVOP_END_GROUP);
    assert_int_equal(ops[4].depth, 0);
    rm_cv_free(cv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_backend),
        cmocka_unit_test(test_layer_order),
        cmocka_unit_test(test_legend_symbol_equals_map_symbol),
        cmocka_unit_test(test_labels_and_layers_ne),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
