/* libFuzzer target: the attribute table (.dbf) of a valid three-point layer.
 * The input is the .dbf; each input is loaded twice, once as UTF-8 and once
 * with a .cpg that says Windows-1252 (the conversion path). */
#include <stdint.h>
#include <string.h>

#include "routemap/geodata.h"
#include "common.h"

/* f.shp / f.shx: three points, written once. */
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

static void header(uint8_t *h, uint32_t bytes)
{
    static const double box[4] = {125.0, 39.0, 132.0, 43.0};
    memset(h, 0, 100);
    be32(h, 9994);
    be32(h + 24, bytes / 2);
    le32(h + 28, 1000);
    le32(h + 32, 1); /* Point */
    memcpy(h + 36, box, sizeof box);
}

static int write_points(void)
{
    static const double pts[3][2] = {{125.75, 39.02}, {127.44, 39.15}, {131.88, 43.12}};
    uint8_t shp[100 + 3 * 28], shx[100 + 3 * 8];
    header(shp, sizeof shp);
    header(shx, sizeof shx);
    for (int i = 0; i < 3; i++) {
        uint8_t *r = shp + 100 + 28 * i;
        be32(r, (uint32_t)i + 1);
        be32(r + 4, 10);
        le32(r + 8, 1);
        memcpy(r + 12, pts[i], 16);
        be32(shx + 100 + 8 * i, (uint32_t)(100 + 28 * i) / 2);
        be32(shx + 104 + 8 * i, 10);
    }
    return fz_write("f.shp", shp, sizeof shp) || fz_write("f.shx", shx, sizeof shx);
}

static void load(void)
{
    rm_error err;
    rm_error_clear(&err);
    rm_layer *L = rm_layer_load(fz_path("f.shp"), NULL, &err);
    if (!L) {
        fz_check_message(&err);
        return;
    }
    volatile size_t sink = 0;
    int nf = rm_layer_field_count(L);
    for (int j = 0; j < nf; j++) {
        const char *name = rm_layer_field_name(L, j);
        sink += strlen(name);
        if (rm_layer_field_index(L, name) < 0)
            __builtin_trap();
    }
    for (size_t i = 0; i < rm_layer_count(L); i++)
        for (int j = 0; j <= nf; j++)
            sink += strlen(rm_feature_attr(rm_layer_feature(L, i), j));
    (void)sink;
    rm_layer_free(L);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (write_points())
            return 0;
        ready = 1;
    }
    if (fz_write("f.dbf", data, size))
        return 0;
    fz_remove("f.cpg");
    load();
    if (fz_write("f.cpg", (const uint8_t *)"1252", 4) == 0)
        load();
    return 0;
}
