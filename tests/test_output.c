/* Tests of atomic output: the bytes arrive whole, an existing file is
 * replaced only on success, and a failure leaves nothing behind. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "routemap/output.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rm_test_output_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[600];
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            struct stat st;
            if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
                rmdir(p);
            else
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
    return 0;
}

static size_t read_all(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return (size_t)-1;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void test_write_and_replace(void **state)
{
    (void)state;
    char path[512], buf[4096];
    snprintf(path, sizeof path, "%s/map.svg", dir);
    rm_error err;
    assert_int_equal(rm_write_atomic(path, "first version", 13, &err), RM_OK);
    assert_int_equal(read_all(path, buf, sizeof buf), 13);
    assert_memory_equal(buf, "first version", 13);
    /* a large second version replaces it whole */
    static char big[300000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    assert_int_equal(rm_write_atomic(path, big, sizeof big, &err), RM_OK);
    static char back[300001];
    assert_int_equal(read_all(path, back, sizeof back), sizeof big);
    assert_memory_equal(back, big, sizeof big);
    /* no temporary file is left beside it */
    assert_int_equal(count_entries(), 1);
    /* the file gets ordinary permissions, not mkstemp's 0600 */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    unlink(path);
}

/* A target that cannot be replaced (a directory) fails cleanly: the
 * directory is untouched and no temporary file remains. */
static void test_failure_leaves_nothing(void **state)
{
    (void)state;
    char path[512], inner[600];
    snprintf(path, sizeof path, "%s/out", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(inner, sizeof inner, "%s/keep.txt", path);
    rm_error err;
    assert_int_equal(rm_write_atomic(inner, "keep", 4, &err), RM_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(rm_write_atomic(path, "data", 4, &err), RM_ERR_IO);
    assert_non_null(strstr(err.message, "out"));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_entries(), 1); /* just the directory */
    char buf[16];
    assert_int_equal(read_all(inner, buf, sizeof buf), 4);
    unlink(inner);
    rmdir(path);
}

static void test_missing_directory(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/no/such/dir/map.png", dir);
    rm_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(rm_write_atomic(path, "x", 1, &err), RM_ERR_IO);
    assert_non_null(strstr(err.message, "map.png"));
    assert_int_equal(count_entries(), 0);
    assert_int_equal(rm_write_atomic("", "x", 1, &err), RM_ERR_USAGE);
    assert_int_equal(rm_write_atomic(path, NULL, 5, &err), RM_ERR_USAGE);
}

/* A relative path (no directory part) writes into the current directory. */
static void test_relative(void **state)
{
    (void)state;
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    rm_error err;
    assert_int_equal(rm_write_atomic("rel.txt", "relative", 8, &err), RM_OK);
    char buf[16];
    assert_int_equal(read_all("rel.txt", buf, sizeof buf), 8);
    unlink("rel.txt");
    assert_int_equal(chdir(cwd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_and_replace),
        cmocka_unit_test(test_failure_leaves_nothing),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_relative),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
