/* libFuzzer target: a whole shapefile layer through rm_layer_load.
 *
 * Input layout (so that one input mutates all three files together):
 *   byte 0      flags: bit 0 write a .cpg saying LATIN1, bit 1 skip the .dbf,
 *               bit 2 load with a bounding-box filter, bit 3 no .dbf at all,
 *               bit 4 a .prj (the WGS 84 text), bit 5 clip polygon rings to
 *               the filter as they are read (with bit 2)
 *   bytes 1-4   length of the .shp part (little-endian, taken modulo what is left)
 *   bytes 5-8   length of the .shx part (the same)
 *   then        .shp bytes, .shx bytes, and the rest is the .dbf
 * tests/fuzz/make_seeds.py writes seeds in this layout. */
#include <stdint.h>
#include <string.h>

#include "routemap/geodata.h"
#include "common.h"

static uint32_t take_len(const uint8_t *p, size_t left)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return left ? (uint32_t)(v % (left + 1)) : 0;
}

/* Touches everything the layer hands out, so that ASan sees a bad pointer. */
static void walk(const rm_layer *L)
{
    volatile double sink = 0;
    size_t n = rm_layer_count(L);
    int nf = rm_layer_field_count(L);
    for (int j = 0; j < nf; j++)
        sink += (double)strlen(rm_layer_field_name(L, j));
    for (size_t i = 0; i < n; i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        for (int p = 0; p <= f->nparts; p++)
            sink += f->part_start[p];
        for (int k = 0; k < 2 * f->npoints; k++)
            sink += f->xy[k];
        for (int j = 0; j < nf; j++)
            sink += (double)strlen(rm_feature_attr(f, j));
    }
    sink += (double)rm_layer_vertex_count(L);
    if (rm_layer_crs_wkt(L))
        sink += (double)strlen(rm_layer_crs_wkt(L));
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    uint8_t flags = data[0];
    size_t left = size - 9;
    uint32_t nshp = take_len(data + 1, left);
    left -= nshp;
    uint32_t nshx = take_len(data + 5, left);
    left -= nshx;
    const uint8_t *shp = data + 9, *shx = shp + nshp, *dbf = shx + nshx;

    static const char prj[] = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID["
                              "\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"
                              "UNIT[\"Degree\",0.0174532925199433]]";
    if (fz_write("f.shp", shp, nshp) || fz_write("f.shx", shx, nshx))
        return 0;
    if (flags & 8)
        fz_remove("f.dbf");
    else if (fz_write("f.dbf", dbf, left))
        return 0;
    if (flags & 1) {
        if (fz_write("f.cpg", (const uint8_t *)"LATIN1", 6))
            return 0;
    } else {
        fz_remove("f.cpg");
    }
    if (flags & 16) {
        if (fz_write("f.prj", (const uint8_t *)prj, sizeof prj - 1))
            return 0;
    } else {
        fz_remove("f.prj");
    }

    rm_bbox box = {126.0, 38.5, 130.0, 42.0};
    rm_load_options opt;
    memset(&opt, 0, sizeof opt);
    opt.skip_attributes = (flags & 2) != 0;
    opt.filter = (flags & 4) ? &box : NULL;
    opt.clip = (flags & 32) != 0;
    opt.max_vertices = 1000000; /* keeps a single run small; the caps are tested too */
    rm_error err;
    rm_error_clear(&err);
    rm_layer *L = rm_layer_load(fz_path("f.shp"), &opt, &err);
    if (L) {
        walk(L);
        rm_layer_free(L);
    } else {
        fz_check_message(&err);
    }
    return 0;
}
