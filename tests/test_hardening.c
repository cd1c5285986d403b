/* Hardening checks that need the library rather than the CLI (issue 8):
 * the loader's configurable caps fail with RM_ERR_LIMIT and a message naming
 * the file; a file whose counts lie is refused before anything large is
 * allocated (the process's address space is capped while it loads); error
 * messages stay one printable line whatever they quote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <shapefil.h>

#include "routemap.h"

static char dir[256];

static const char *tmp_path(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

/* A line layer of n features of k vertices each, written with shapelib. */
static void write_lines(const char *base, int n, int k)
{
    SHPHandle h = SHPCreate(tmp_path(base), SHPT_ARC);
    DBFHandle d = DBFCreate(tmp_path(base));
    assert_non_null(h);
    assert_non_null(d);
    assert_int_equal(DBFAddField(d, "NAME", FTString, 16, 0), 0);
    double *x = malloc(sizeof(double) * (size_t)k), *y = malloc(sizeof(double) * (size_t)k);
    assert_non_null(x);
    assert_non_null(y);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
            x[j] = 125.0 + i * 0.1 + j * 0.01;
            y[j] = 39.0 + j * 0.01;
        }
        SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, k, x, y, NULL);
        assert_int_equal(SHPWriteObject(h, -1, o), i);
        SHPDestroyObject(o);
        assert_true(DBFWriteStringAttribute(d, i, 0, "line"));
    }
    free(x);
    free(y);
    SHPClose(h);
    DBFClose(d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/routemap-hardening.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = {"caps.shp", "caps.shx", "caps.dbf",
                                        "lie.shp",  "lie.shx",  "lie.dbf"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        unlink(tmp_path(names[i]));
    rmdir(dir);
    return 0;
}

static void test_caps(void **state)
{
    (void)state;
    write_lines("caps", 5, 4);
    rm_error err;
    rm_load_options opt;
    memset(&opt, 0, sizeof opt);
    rm_layer *L = rm_layer_load(tmp_path("caps.shp"), &opt, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 5);
    assert_int_equal(rm_layer_vertex_count(L), 20);
    rm_layer_free(L);

    opt.max_features = 4; /* one fewer than the file has */
    rm_error_clear(&err);
    assert_null(rm_layer_load(tmp_path("caps.shp"), &opt, &err));
    assert_int_equal(err.status, RM_ERR_LIMIT);
    assert_non_null(strstr(err.message, "caps.shp"));

    opt.max_features = 5; /* exactly enough */
    assert_non_null(L = rm_layer_load(tmp_path("caps.shp"), &opt, &err));
    rm_layer_free(L);

    opt.max_vertices = 19;
    rm_error_clear(&err);
    assert_null(rm_layer_load(tmp_path("caps.shp"), &opt, &err));
    assert_int_equal(err.status, RM_ERR_LIMIT);
    assert_non_null(strstr(err.message, "caps.shp"));

    /* a box filter counts only the features kept */
    rm_bbox box = {124.9, 38.9, 125.05, 40.0};
    opt.filter = &box;
    opt.max_features = 1;
    opt.max_vertices = 4;
    assert_non_null(L = rm_layer_load(tmp_path("caps.shp"), &opt, &err));
    assert_int_equal(rm_layer_count(L), 1);
    rm_layer_free(L);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Patches bytes of a file in place. */
static void patch(const char *name, long off, const unsigned char *b, size_t n)
{
    FILE *f = fopen(tmp_path(name), "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, off, SEEK_SET), 0);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

/* Whether the address space may be capped: not under AddressSanitizer, which
 * reserves terabytes of it, nor under valgrind. */
static int cap_address_space(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 0;
#endif
#endif
    const char *pre = getenv("LD_PRELOAD");
    return !(pre && strstr(pre, "vgpreload"));
}

/* Loads path in a child whose address space is capped at 512 MB (far more
 * than these files need, far less than their lying counts ask for) and
 * returns the status it got, or -1 when the child died. The cap is skipped
 * under AddressSanitizer, which reserves terabytes of address space. */
static int load_capped(const char *path, char *msg, size_t cap)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (cap_address_space())
            setrlimit(RLIMIT_AS, &(struct rlimit){512u << 20, 512u << 20});
        rm_error err;
        rm_error_clear(&err);
        rm_layer *L = rm_layer_load(path, NULL, &err);
        int st = L ? 0 : (int)err.status;
        rm_layer_free(L);
        if (write(fds[1], err.message, strlen(err.message) + 1) < 0)
            _exit(100);
        _exit(st);
    }
    close(fds[1]);
    ssize_t r = read(fds[0], msg, cap - 1);
    msg[r > 0 ? r : 0] = 0;
    close(fds[0]);
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

static void test_lying_counts(void **state)
{
    (void)state;
    char msg[RM_ERROR_MAX];
    unsigned char b[4];
    /* record 1 claims 2^30 points (16 GB of coordinates) */
    write_lines("lie", 3, 4);
    long rec1 = 100 + (8 + 44 + 4 + 64); /* header, record 0 */
    put_le32(b, 1u << 30);
    patch("lie.shp", rec1 + 8 + 40, b, 4);
    assert_int_equal(load_capped(tmp_path("lie.shp"), msg, sizeof msg), RM_ERR_FORMAT);
    assert_non_null(strstr(msg, "lie.shp"));
    assert_non_null(strstr(msg, "record 1"));

    /* the .shx header says it is 4 GB long: its length is not trusted, the
     * file's size is (issue 20: read as shapelib and GDAL do, with a
     * warning; tests/test_userdata.c checks the records and the warning) */
    write_lines("lie", 3, 4);
    put_be32(b, 0x7FFFFFF0u);
    patch("lie.shx", 24, b, 4);
    assert_int_equal(load_capped(tmp_path("lie.shp"), msg, sizeof msg), RM_OK);

    /* the .dbf claims 100 million records of 60 000 bytes */
    write_lines("lie", 3, 4);
    put_le32(b, 100000000u);
    patch("lie.dbf", 4, b, 4);
    b[0] = 0x60;
    b[1] = 0xEA;
    patch("lie.dbf", 10, b, 2);
    assert_int_equal(load_capped(tmp_path("lie.shp"), msg, sizeof msg), RM_ERR_FORMAT);
    assert_non_null(strstr(msg, "lie.dbf"));
}

static void test_one_line_messages(void **state)
{
    (void)state;
    rm_error err;
    rm_error_set(&err, RM_ERR_FORMAT, "m.csv:2: longitude '%s' is not a number",
                 "12\n\n5\r\t\x1b[31m");
    for (const char *p = err.message; *p; p++)
        assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
    assert_non_null(strstr(err.message, "m.csv:2: longitude '12"));
    rm_error_prefix(&err, "spec.json:%d:%d: markers_file\n", 9, 18);
    for (const char *p = err.message; *p; p++)
        assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
    assert_non_null(strstr(err.message, "spec.json:9:18"));

    /* a message cut at the buffer's end keeps whole UTF-8 characters */
    char big[RM_ERROR_MAX * 2];
    size_t n = 0;
    while (n + 3 < sizeof big - 1) {
        memcpy(big + n, "\xed\x8f\x89", 3); /* 평 */
        n += 3;
    }
    big[n] = 0;
    rm_error_set(&err, RM_ERR_FORMAT, "x%s", big);
    size_t len = strlen(err.message);
    assert_true(len > RM_ERROR_MAX - 8);
    assert_int_equal((len - 1) % 3, 0);
}

/* umask() can only be read by setting it, and the mask is the process's:
 * a library call that sets it, even for a moment, races with every other
 * thread that creates a file (routemap batch renders in threads) and can
 * leave the process at umask 0, so that every later file is world-writable.
 * This program's umask() takes the place of libc's for the library linked
 * into it, and counts the calls. */
static int umask_calls;

mode_t umask(mode_t mask)
{
    umask_calls++;
    return (mode_t)syscall(SYS_umask, mask);
}

static void test_atomic_write_mode(void **state)
{
    (void)state;
    static const mode_t masks[] = {022, 077, 002};
    for (size_t i = 0; i < sizeof masks / sizeof masks[0]; i++) {
        mode_t old = (mode_t)syscall(SYS_umask, masks[i]);
        umask_calls = 0;
        rm_error err;
        const char *path = tmp_path("w.txt");
        assert_int_equal(rm_write_atomic(path, "x", 1, &err), RM_OK);
        assert_int_equal(umask_calls, 0);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0666 & ~masks[i]);
        assert_int_equal((mode_t)syscall(SYS_umask, old), masks[i]);
        unlink(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_lying_counts),
        cmocka_unit_test(test_one_line_messages),
        cmocka_unit_test(test_atomic_write_mode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
