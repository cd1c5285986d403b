/* libFuzzer target: the .prj of a valid three-line layer (the WKT check in
 * geodata.c and, for a projected CRS, PROJ's WKT parser and the transform to
 * lon/lat). The input is the .prj text. */
#include <stdint.h>
#include <string.h>

#include "routemap/geodata.h"
#include "common.h"

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* f.shp / f.shx: one PolyLine of three points; no .dbf. */
static int write_layer(void)
{
    static const double box[4] = {125.75, 39.02, 131.88, 43.12};
    static const double pts[6] = {125.75, 39.02, 127.44, 39.15, 131.88, 43.12};
    enum { CONTENT = 44 + 4 + 48, SHP = 100 + 8 + CONTENT, SHX = 108 };
    uint8_t shp[SHP], shx[SHX];
    memset(shp, 0, sizeof shp);
    be32(shp, 9994);
    be32(shp + 24, SHP / 2);
    le32(shp + 28, 1000);
    le32(shp + 32, 3);
    memcpy(shp + 36, box, sizeof box);
    memcpy(shx, shp, 100);
    be32(shx + 24, SHX / 2);
    uint8_t *r = shp + 100;
    be32(r, 1);
    be32(r + 4, CONTENT / 2);
    le32(r + 8, 3);
    memcpy(r + 12, box, sizeof box);
    le32(r + 44, 1);
    le32(r + 48, 3);
    le32(r + 52, 0);
    memcpy(r + 56, pts, sizeof pts);
    be32(shx + 100, 50);
    be32(shx + 104, CONTENT / 2);
    return fz_write("f.shp", shp, sizeof shp) || fz_write("f.shx", shx, sizeof shx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (write_layer())
            return 0;
        ready = 1;
    }
    if (fz_write("f.prj", data, size))
        return 0;
    rm_error err;
    rm_error_clear(&err);
    rm_layer *L = rm_layer_load(fz_path("f.shp"), NULL, &err);
    if (!L) {
        fz_check_message(&err);
        return 0;
    }
    volatile double sink = 0;
    for (size_t i = 0; i < rm_layer_count(L); i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        for (int k = 0; k < 2 * f->npoints; k++)
            sink += f->xy[k];
    }
    if (rm_layer_crs_wkt(L))
        sink += (double)strlen(rm_layer_crs_wkt(L));
    (void)sink;
    rm_layer_free(L);
    return 0;
}
