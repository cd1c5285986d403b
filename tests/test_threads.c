/* Two threads render different maps at the same time; each result must be
 * byte-identical to the same map rendered alone (no shared state between
 * rm_render calls), and rendering twice gives identical bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routemap.h"

typedef struct task {
    rm_spec *spec;
    rm_format fmt;
    unsigned char *data;
    size_t len;
    rm_status status;
    rm_error err;
} task;

static void *render_task(void *arg)
{
    task *t = arg;
    rm_error_clear(&t->err);
    t->status = rm_render_buffer(t->spec, t->fmt, NULL, &t->data, &t->len, &t->err);
    rm_thread_cleanup();
    return NULL;
}

static int have_data(void)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/rail.shp", rm_default_data_dir());
    return access(p, R_OK) == 0;
}

/* The default map at 900x600, in the light theme, as SVG; and a different
 * map: the dark theme, another projection and title, as PNG. */
static rm_spec *map_a(void)
{
    rm_error e;
    rm_spec *s = rm_spec_default(&e);
    assert_non_null(s);
    s->width = 900;
    s->height = 600;
    return s;
}

static rm_spec *map_b(void)
{
    rm_error e;
    rm_spec *s = rm_spec_default(&e);
    assert_non_null(s);
    s->width = 700;
    s->height = 700;
    assert_int_equal(rm_spec_set_string(&s->theme, "dark"), 0);
    assert_int_equal(rm_spec_set_string(&s->title, "Thread B"), 0);
    assert_int_equal(rm_spec_set_string(&s->projection, "EPSG:3857"), 0);
    return s;
}

static void test_two_threads(void **state)
{
    (void)state;
    if (!have_data())
        skip();
    task alone[2] = {{map_a(), RM_FORMAT_SVG, NULL, 0, RM_OK, {0}},
                     {map_b(), RM_FORMAT_PNG, NULL, 0, RM_OK, {0}}};
    for (int i = 0; i < 2; i++) {
        render_task(&alone[i]);
        if (alone[i].status)
            fail_msg("map %d alone: %s", i, alone[i].err.message);
        assert_true(alone[i].len > 1000);
    }
    /* the two maps really differ */
    assert_false(alone[0].len == alone[1].len &&
                 memcmp(alone[0].data, alone[1].data, alone[0].len) == 0);

    for (int round = 0; round < 2; round++) {
        task both[2] = {{alone[0].spec, RM_FORMAT_SVG, NULL, 0, RM_OK, {0}},
                        {alone[1].spec, RM_FORMAT_PNG, NULL, 0, RM_OK, {0}}};
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&th[i], NULL, render_task, &both[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(th[i], NULL), 0);
        for (int i = 0; i < 2; i++) {
            if (both[i].status)
                fail_msg("map %d in a thread: %s", i, both[i].err.message);
            if (both[i].len != alone[i].len || memcmp(both[i].data, alone[i].data, both[i].len))
                fail_msg("round %d: map %d rendered beside another differs from map %d alone "
                         "(%zu vs %zu bytes)",
                         round, i, i, both[i].len, alone[i].len);
            free(both[i].data);
        }
    }
    for (int i = 0; i < 2; i++) {
        free(alone[i].data);
        rm_spec_free(alone[i].spec);
    }
}

/* Four threads on the same (read-only) spec: a spec may be shared. */
static void test_shared_spec(void **state)
{
    (void)state;
    if (!have_data())
        skip();
    rm_spec *s = map_a();
    s->width = 500;
    s->height = 400;
    task t[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].spec = s;
        t[i].fmt = RM_FORMAT_SVG;
        assert_int_equal(pthread_create(&th[i], NULL, render_task, &t[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 4; i++) {
        if (t[i].status)
            fail_msg("thread %d: %s", i, t[i].err.message);
        assert_int_equal(t[i].len, t[0].len);
        assert_memory_equal(t[i].data, t[0].data, t[0].len);
    }
    for (int i = 0; i < 4; i++)
        free(t[i].data);
    rm_spec_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_shared_spec),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rm_library_cleanup();
    return rc;
}
