/* libFuzzer target: the CSV marker reader (rm_markers_parse). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "routemap/markers.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rm_marker_spec *m = NULL;
    size_t n = 0;
    rm_error err;
    rm_error_clear(&err);
    rm_status st = rm_markers_parse((const char *)data, size, "fuzz.csv", 0, &m, &n, &err);
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
