/* Reliability beyond parsing (issue 19), at the library's entry points:
 * arguments that rm_spec_validate refuses or a format out of the enum never
 * reach the drawing code (a dpi of 1e-300 made the page infinite and the
 * arrow loop endless; format 99 returned RM_OK with 0 bytes), and degenerate
 * but valid maps end quickly. The CLI-level cases (special output files,
 * degenerate specs through `routemap render`) are in tests/e2e_output.sh and
 * the corpus (tests/corpus/make_corpus.py, degen_* cases). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <fcntl.h>
#include <shapefil.h>

#include "recindex.h"
#include "routemap.h"

#if defined(__SANITIZE_ADDRESS__)
#define CPU_LIMIT_S 10.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPU_LIMIT_S 10.0
#endif
#endif
#ifndef CPU_LIMIT_S
#define CPU_LIMIT_S 2.0 /* issue 19: every degenerate spec ends in < 2 s */
#endif

static rm_spec *parse(const char *json)
{
    rm_error err;
    rm_error_clear(&err);
    rm_spec *s = rm_spec_parse_text(json, strlen(json), "test.json", &err);
    if (!s)
        fail_msg("spec does not parse: %s", err.message);
    return s;
}

/* rm_render_buffer must refuse, with a one-line message and no output. */
static void refused(const rm_spec *s, rm_format fmt, const char *needle)
{
    unsigned char *data = (unsigned char *)1;
    size_t len = 7;
    rm_error err;
    rm_error_clear(&err);
    rm_status st = rm_render_buffer(s, fmt, NULL, &data, &len, &err);
    assert_int_not_equal(st, RM_OK);
    assert_null(data);
    assert_int_equal(len, 0);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' does not name '%s'", err.message, needle);
    assert_null(strchr(err.message, '\n'));
}

static void test_bad_arguments(void **state)
{
    (void)state;
    rm_spec *s = parse("{\"size\": \"300x200\", \"markers\": [{\"lon\": 127, \"lat\": 40}]}");
    refused(s, (rm_format)99, "format");
    refused(s, (rm_format)-1, "format");
    double keep = s->dpi;
    s->dpi = 1e-300;
    refused(s, RM_FORMAT_SVG, "dpi");
    s->dpi = NAN;
    refused(s, RM_FORMAT_PNG, "dpi");
    s->dpi = 0;
    refused(s, RM_FORMAT_PDF, "dpi");
    s->dpi = keep;
    s->width = NAN;
    refused(s, RM_FORMAT_SVG, "width");
    s->width = 300;
    s->font_scale = 0;
    refused(s, RM_FORMAT_SVG, "font_scale");
    s->font_scale = 1;
    s->margin = INFINITY;
    refused(s, RM_FORMAT_SVG, "margin");
    s->margin = 0.06;

    /* rm_render_file: refused before any file is made */
    char path[] = "/tmp/routemap-reliability-XXXXXX";
    assert_non_null(mkdtemp(path));
    char out[600];
    snprintf(out, sizeof out, "%s/map.svg", path);
    rm_error err;
    rm_error_clear(&err);
    assert_int_not_equal(rm_render_file(s, out, (rm_format)99, NULL, &err), RM_OK);
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
    /* and the same spec is drawn once the arguments are right */
    assert_int_equal(rm_render_file(s, out, RM_FORMAT_SVG, NULL, &err), RM_OK);
    assert_int_equal(stat(out, &st), 0);
    assert_true(st.st_size > 100);
    unlink(out);
    rmdir(path);
    rm_spec_free(s);
}

/* Renders json in a child whose CPU time is measured (and capped, so that
 * a hang fails instead of blocking the suite); returns the CPU seconds, or
 * fails. */
static double render_cpu(const char *json, int expect_ok)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {(rlim_t)(CPU_LIMIT_S * 5 + 5), (rlim_t)(CPU_LIMIT_S * 5 + 6)};
        setrlimit(RLIMIT_CPU, &rl);
        alarm((unsigned)(CPU_LIMIT_S * 20 + 30));
        rm_error err;
        rm_error_clear(&err);
        rm_spec *s = rm_spec_parse_text(json, strlen(json), "degenerate.json", &err);
        if (!s)
            _exit(3);
        unsigned char *data = NULL;
        size_t len = 0;
        rm_status st = rm_render_buffer(s, RM_FORMAT_SVG, NULL, &data, &len, &err);
        if (st == RM_OK && len < 100)
            _exit(4);
        if (st != RM_OK && (!err.message[0] || strchr(err.message, '\n')))
            _exit(5);
        free(data);
        rm_spec_free(s);
        rm_library_cleanup();
        _exit(st == RM_OK ? 0 : 1);
    }
    int status = 0;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    if (!WIFEXITED(status))
        fail_msg("render killed by signal %d after %.2f s of CPU: %s", WTERMSIG(status), cpu, json);
    if (WEXITSTATUS(status) != (expect_ok ? 0 : 1))
        fail_msg("render exit %d (expected %d): %s", WEXITSTATUS(status), expect_ok ? 0 : 1, json);
    if (cpu > CPU_LIMIT_S)
        fail_msg("render took %.2f s of CPU (limit %.0f): %s", cpu, CPU_LIMIT_S, json);
    return cpu;
}

static void test_degenerate_maps_end(void **state)
{
    (void)state;
    static const char *const ok[] = {
        /* the case: a route 0 px long */
        "{\"size\": \"800x500\", \"routes\": [{\"from\": \"Pyongyang\", \"to\": \"Pyongyang\"}]}",
        /* a 1 cm and a 0.1 mm frame around the default route, all furniture */
        "{\"size\": \"800x500\", \"projection\": \"EPSG:3857\", \"frame\": [14200000, 5000000, "
        "14200000.01, 5000000.00625], \"routes\": [{\"from\": \"Pyongyang\", \"to\": "
        "\"Vladivostok\"}], \"furniture\": {\"legend\": true, \"scale_bar\": true, \"graticule\": "
        "true, \"north_arrow\": true, \"inset\": true}}",
        "{\"size\": \"800x500\", \"projection\": \"EPSG:3857\", \"frame\": [14200000, 5000000, "
        "14200000.0001, 5000000.0001], \"routes\": [{\"from\": \"Pyongyang\", \"to\": "
        "\"Vladivostok\"}]}",
        /* an extent of 1e-9 degrees, and the whole world in Mercator */
        "{\"size\": \"800x500\", \"extent\": [127, 39, 127.000000001, 39.000000001], \"routes\": "
        "[{\"from\": \"Pyongyang\", \"to\": \"Vladivostok\"}], \"furniture\": {\"inset\": true}}",
        "{\"size\": \"800x500\", \"extent\": [-180, -90, 179.999, 90], \"projection\": "
        "\"EPSG:3857\", "
        "\"routes\": [{\"from\": \"Pyongyang\", \"to\": \"Vladivostok\"}]}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double cpu = render_cpu(ok[i], 1);
        print_message("degenerate map %zu: %.2f s of CPU\n", i, cpu);
    }
}

/* A cache entry with a valid checksum that lies (record 500, inside the view,
 * said to lie far away) must not drop the record: records skipped on the
 * entry's word have their head checked against the .shp, and the
 * disagreement drops the entry (issue 19: Korea's and Japan's coasts
 * vanished). */
static void test_lying_cache_entry(void **state)
{
    (void)state;
    char dir[] = "/tmp/routemap-cache-lie-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char cache[600], base[600], shp[640], shx[640];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(base, sizeof base, "%s/lines", dir);
    snprintf(shp, sizeof shp, "%s.shp", base);
    snprintf(shx, sizeof shx, "%s.shx", base);
    setenv("ROUTEMAP_CACHE_DIR", cache, 1);
    SHPHandle h = SHPCreate(base, SHPT_ARC);
    DBFHandle d = DBFCreate(base);
    assert_non_null(h);
    assert_non_null(d);
    assert_true(DBFAddField(d, "NAME", FTString, 8, 0) >= 0);
    for (int i = 0; i < 1200; i++) { /* the index is kept for 1024 records and more */
        double x[2] = {100.0 + 0.06 * i, 100.02 + 0.06 * i}, y[2] = {39.0, 39.5};
        SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
        assert_int_equal(SHPWriteObject(h, -1, o), i);
        SHPDestroyObject(o);
        assert_true(DBFWriteStringAttribute(d, i, 0, "line"));
    }
    SHPClose(h);
    DBFClose(d);
    rm_bbox box = {129.99, 38.5, 130.03, 40}; /* record 500 only (x 130.00 .. 130.02) */
    rm_load_options o = {0};
    o.filter = &box;
    rm_error err;
    for (int pass = 0; pass < 2; pass++) { /* the first writes the index, the second uses it */
        rm_layer *L = rm_layer_load(shp, &o, &err);
        assert_non_null(L);
        assert_int_equal(rm_layer_count(L), 1);
        assert_int_equal(rm_layer_used_index(L), pass);
        rm_layer_free(L);
    }
    /* the lie: record 500 is said to lie at 0,0 (checksum recomputed) */
    int fs = open(shp, O_RDONLY), fx = open(shx, O_RDONLY);
    assert_true(fs >= 0 && fx >= 0);
    rm_recidx idx;
    assert_int_equal(rm_recidx_load(shp, fs, fx, 1200, SHPT_ARC, &idx), 0);
    idx.rec[500].minx = idx.rec[500].maxx = 0;
    idx.rec[500].miny = idx.rec[500].maxy = 0;
    rm_recidx_save(shp, fs, fx, SHPT_ARC, &idx);
    rm_recidx_free(&idx);
    assert_int_equal(rm_recidx_load(shp, fs, fx, 1200, SHPT_ARC, &idx), 0); /* believed */
    assert_true(idx.rec[500].maxx == 0);
    rm_recidx_free(&idx);
    close(fs);
    close(fx);
    rm_layer *L = rm_layer_load(shp, &o, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 1); /* the record is still there */
    assert_false(rm_layer_used_index(L));   /* the lying entry was dropped */
    assert_true(fabs(rm_layer_feature(L, 0)->xy[0] - 130.0) < 1e-9);
    rm_layer_free(L);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    unsetenv("ROUTEMAP_CACHE_DIR");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_degenerate_maps_end),
        cmocka_unit_test(test_lying_cache_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
