/* Where users put the output (issue 17): an unknown extension is refused
 * naming the known ones; a PNG says its physical size (pHYs) and what it is
 * (tEXt/iTXt); the slide presets have their true size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "routemap.h"

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* Runs the CLI with args (NULL-terminated, after "routemap"), stderr into
 * errf; returns its exit status. */
static int run_cli(const char *errf, const char *const *args)
{
    const char *argv[32] = {RM_CLI};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0)
            _exit(127);
        execv(RM_CLI, (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    fclose(f);
    b[got] = 0;
    if (len)
        *len = got;
    return b;
}

/* -o map.jpg, map.eps, a name without extension: exit 2, one line naming
 * the known extensions, no file; with --format the name is the user's. */
static void test_unknown_extension(void **state)
{
    (void)state;
    const char *names[] = {"map.jpg", "map.eps", "map"};
    for (size_t i = 0; i < 3; i++) {
        const char *out = tmp_path(names[i]);
        const char *args[] = {"render", "--size", "400x300", "-o", out, NULL};
        assert_int_equal(run_cli(tmp_path("err.txt"), args), 2);
        char *e = slurp(tmp_path("err.txt"), NULL);
        if (!strstr(e, ".svg, .pdf, .png") || !strstr(e, names[i]) ||
            strchr(e, '\n') != strrchr(e, '\n'))
            fail_msg("%s: %s", names[i], e);
        free(e);
        struct stat sb;
        assert_int_not_equal(stat(out, &sb), 0);
    }
    const char *args[] = {"render", "--size", "400x300",       "--format",
                          "png",    "-o",     tmp_path("map"), NULL};
    assert_int_equal(run_cli(tmp_path("err.txt"), args), 0);
    size_t n;
    char *b = slurp(tmp_path("map"), &n);
    assert_true(n > 8 && !memcmp(b, "\x89PNG", 4));
    free(b);
    /* the library refuses the same */
    rm_error err;
    rm_format f;
    assert_int_equal(rm_format_resolve(NULL, "x/map.JPG", &f, &err), RM_ERR_USAGE);
    assert_int_equal(rm_format_resolve(NULL, "x.d/map.PNG", &f, &err), RM_OK);
    assert_int_equal(f, RM_FORMAT_PNG);
    assert_int_equal(rm_format_resolve("pdf", "x.d/map", &f, &err), RM_OK);
    assert_int_equal(f, RM_FORMAT_PDF);
    assert_int_equal(rm_format_resolve(NULL, "-", &f, &err), RM_OK);
    assert_int_equal(f, RM_FORMAT_SVG);
}

/* The chunks of a PNG before IDAT: type -> body. */
static const unsigned char *png_chunk(const unsigned char *d, size_t n, const char *type,
                                      size_t *blen, int nth)
{
    size_t i = 8;
    while (i + 12 <= n) {
        uint32_t len =
            (uint32_t)d[i] << 24 | (uint32_t)d[i + 1] << 16 | (uint32_t)d[i + 2] << 8 | d[i + 3];
        if (!memcmp(d + i + 4, type, 4) && nth-- == 0) {
            *blen = len;
            return d + i + 8;
        }
        i += 12 + len;
    }
    return NULL;
}

/* An A4 map at 300 dpi says 300 dpi (11811 px per metre) and its title,
 * software, source and credits. */
static void test_png_metadata(void **state)
{
    (void)state;
    const char *text =
        "{\"size\": {\"preset\": \"a4-landscape\", \"dpi\": 300}, \"title\": \"Trip "
        "to Vladivostok\", \"attribution\": \"Data: Natural Earth \xc2\xb7 authored\", "
        "\"markers\": [{\"place\": \"Pyongyang\"}]}";
    rm_error err;
    rm_spec *s = rm_spec_parse_text(text, strlen(text), "dir/trip.json", &err);
    assert_non_null(s);
    unsigned char *png = NULL;
    size_t n = 0;
    if (rm_render_buffer(s, RM_FORMAT_PNG, NULL, &png, &n, &err) != RM_OK)
        fail_msg("%s", err.message);
    size_t bl;
    const unsigned char *p = png_chunk(png, n, "pHYs", &bl, 0);
    assert_non_null(p);
    assert_int_equal(bl, 9);
    uint32_t ppm = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    assert_int_equal(ppm, 11811);
    assert_int_equal(p[8], 1);
    /* 3508 px at 11811 px/m is 297 mm */
    const unsigned char *ih = png_chunk(png, n, "IHDR", &bl, 0);
    uint32_t w = (uint32_t)ih[0] << 24 | (uint32_t)ih[1] << 16 | (uint32_t)ih[2] << 8 | ih[3];
    assert_true(fabs(w / (double)ppm * 1000 - 297) < 0.5);
    const char *want[][2] = {{"Title", "Trip to Vladivostok"},
                             {"Software", "routemap " ROUTEMAP_VERSION},
                             {"Source", "trip.json"}};
    for (size_t k = 0; k < 3; k++) {
        int found = 0;
        for (int j = 0; (p = png_chunk(png, n, "tEXt", &bl, j)); j++)
            if (bl == strlen(want[k][0]) + 1 + strlen(want[k][1]) &&
                !memcmp(p, want[k][0], strlen(want[k][0]) + 1) &&
                !memcmp(p + strlen(want[k][0]) + 1, want[k][1], strlen(want[k][1])))
                found = 1;
        if (!found)
            fail_msg("no tEXt %s", want[k][0]);
    }
    /* UTF-8 credits: an iTXt chunk */
    p = png_chunk(png, n, "iTXt", &bl, 0);
    assert_non_null(p);
    assert_memory_equal(p, "Copyright\0\0\0\0\0Data: Natural Earth \xc2\xb7 authored", bl);
    free(png);
    rm_spec_free(s);
}

/* The 16:9 slide is 13.333 x 7.5 in: 1920 x 1080 px at 144 dpi in a PNG,
 * a 960 x 540 pt page in a PDF. */
static void test_slide_size(void **state)
{
    (void)state;
    const char *text = "{\"size\": \"slide-16x9\", \"markers\": [{\"place\": \"Pyongyang\"}]}";
    rm_error err;
    rm_spec *s = rm_spec_parse_text(text, strlen(text), "slide.json", &err);
    assert_non_null(s);
    assert_true(s->width == 1920 && s->height == 1080 && s->dpi == 144);
    unsigned char *png = NULL, *pdf = NULL;
    size_t n = 0, m = 0, bl;
    assert_int_equal(rm_render_buffer(s, RM_FORMAT_PNG, NULL, &png, &n, &err), RM_OK);
    const unsigned char *ih = png_chunk(png, n, "IHDR", &bl, 0);
    assert_true(ih[2] == 0x07 && ih[3] == 0x80 && ih[6] == 0x04 && ih[7] == 0x38); /* 1920 x 1080 */
    const unsigned char *ph = png_chunk(png, n, "pHYs", &bl, 0);
    uint32_t ppm = (uint32_t)ph[0] << 24 | (uint32_t)ph[1] << 16 | (uint32_t)ph[2] << 8 | ph[3];
    assert_int_equal(ppm, 5669); /* 144 dpi */
    assert_int_equal(rm_render_buffer(s, RM_FORMAT_PDF, NULL, &pdf, &m, &err), RM_OK);
    char *pdfs = malloc(m + 1);
    memcpy(pdfs, pdf, m);
    pdfs[m] = 0;
    for (size_t i = 0; i < m; i++)
        if (!pdfs[i])
            pdfs[i] = ' ';
    assert_non_null(strstr(pdfs, "/MediaBox [ 0 0 960 540 ]"));
    free(pdfs);
    free(png);
    free(pdf);
    rm_spec_free(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_traps_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"err.txt", "map"};
    for (size_t i = 0; i < 2; i++)
        unlink(tmp_path(names[i]));
    return rmdir(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_extension),
        cmocka_unit_test(test_png_metadata),
        cmocka_unit_test(test_slide_size),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
