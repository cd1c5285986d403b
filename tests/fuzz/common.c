/* routemap fuzz targets — scratch files (see common.h). /dev/shm is used
 * when present so that writing the inputs costs no disk I/O. */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <math.h>
#include "routemap/markers.h"
#include "common.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "routemap/error.h"

static char dir[256];
static char path[512];

static void cleanup(void)
{
    if (!dir[0])
        return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

const char *fz_dir(void)
{
    if (dir[0])
        return dir;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(dir, sizeof dir, "%s/routemap-fuzz.XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    atexit(cleanup);
    return dir;
}

const char *fz_path(const char *name)
{
    snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
    return path;
}

int fz_write(const char *name, const uint8_t *data, size_t len)
{
    FILE *f = fopen(fz_path(name), "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

void fz_remove(const char *name)
{
    unlink(fz_path(name));
}

void fz_check_message(const struct rm_error *err)
{
    static int check = -1;
    if (check < 0) {
        const char *e = getenv("ROUTEMAP_FUZZ_MESSAGES");
        check = !(e && !strcmp(e, "0"));
    }
    if (!check)
        return;
    if (!err->message[0])
        __builtin_trap(); /* a failure must say what failed */
    for (const unsigned char *p = (const unsigned char *)err->message; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            __builtin_trap(); /* one line, printable: the CLI prints it as is */
}

/* The CSV and GeoJSON targets share this driver. */
int fz_markers(const uint8_t *data, size_t size, const char *name, int geojson)
{
    rm_marker_spec *m = NULL;
    size_t n = 0;
    rm_error err;
    rm_error_clear(&err);
    rm_status st = rm_markers_parse((const char *)data, size, name, geojson, &m, &n, &err);
    if (st != RM_OK) {
        fz_check_message(&err);
        return 0;
    }
    volatile size_t sink = 0;
    for (size_t i = 0; i < n; i++) {
        if (!m[i].has_lonlat || !isfinite(m[i].lon) || !isfinite(m[i].lat))
            __builtin_trap(); /* the reader promises a usable lon/lat */
        if (m[i].label)
            sink += strlen(m[i].label);
        if (m[i].kind)
            sink += strlen(m[i].kind);
        if (m[i].date)
            sink += strlen(m[i].date);
    }
    (void)sink;
    rm_markers_free(m, n);
    return 0;
}
