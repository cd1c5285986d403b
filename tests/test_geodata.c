/* Tests for geodata: the shapefile loader.
 *
 * - Real data (Natural Earth under RM_SHARED_DATA, skipped when absent): every
 *   record is compared with what shapelib's own SHPReadObject/DBFRead* return.
 * - The bbox filter keeps exactly the records a brute-force scan keeps.
 * - Small shapefiles written here with shapelib: multi-part lines, Z and M
 *   variants, polygons, points, null records, UTF-8 and Latin-1 text.
 * - Broken files made by patching a good one: each gives the right status and
 *   a message naming the file and record. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <shapefil.h>

#include "routemap/geodata.h"

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static int have_file(const char *p)
{
    return access(p, R_OK) == 0;
}

/* p = RM_SHARED_DATA/rel; skips the calling test when that file is absent. */
static void shared_or_skip(char *p, size_t n, const char *rel)
{
    snprintf(p, n, "%s/%s", RM_SHARED_DATA, rel);
    if (!have_file(p))
        skip();
}

/* ---- comparison with shapelib on real data ---- */

static void compare_with_shapelib(const char *path)
{
    rm_error err;
    rm_layer *L = rm_layer_load(path, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    SHPHandle h = SHPOpen(path, "rb");
    assert_non_null(h);
    DBFHandle d = DBFOpen(path, "rb");
    assert_non_null(d);
    int nrec = 0, type = 0;
    SHPGetInfo(h, &nrec, &type, NULL, NULL);
    size_t k = 0, verts = 0;
    for (int i = 0; i < nrec; i++) {
        SHPObject *o = SHPReadObject(h, i);
        assert_non_null(o);
        if (o->nSHPType == SHPT_NULL || o->nVertices == 0) {
            SHPDestroyObject(o);
            continue;
        }
        const rm_feature *f = rm_layer_feature(L, k++);
        assert_non_null(f);
        assert_int_equal(f->record, i);
        assert_int_equal(f->npoints, o->nVertices);
        int np = o->nParts ? o->nParts : 1;
        assert_int_equal(f->nparts, np);
        for (int p = 0; p < o->nParts; p++)
            assert_int_equal(f->part_start[p], o->panPartStart[p]);
        assert_int_equal(f->part_start[np], o->nVertices);
        for (int v = 0; v < o->nVertices; v++) {
            assert_true(f->xy[2 * v] == o->padfX[v]);
            assert_true(f->xy[2 * v + 1] == o->padfY[v]);
        }
        assert_true(f->bbox.minx == o->dfXMin && f->bbox.maxy == o->dfYMax);
        verts += (size_t)o->nVertices;
        /* attributes: same text as shapelib's, trimmed */
        int nf = DBFGetFieldCount(d);
        assert_int_equal(rm_layer_field_count(L), nf);
        if (i % 97 == 0) {
            for (int j = 0; j < nf; j++) {
                const char *s = DBFReadStringAttribute(d, i, j);
                while (*s == ' ')
                    s++;
                char want[512];
                snprintf(want, sizeof want, "%s", s);
                size_t n = strlen(want);
                while (n && want[n - 1] == ' ')
                    want[--n] = 0;
                DBFFieldType ft = DBFGetFieldInfo(d, j, NULL, NULL, NULL);
                if ((ft == FTInteger || ft == FTDouble) && want[0] == '*')
                    want[0] = 0;
                assert_string_equal(rm_feature_attr(f, j), want);
            }
        }
        SHPDestroyObject(o);
    }
    assert_int_equal(rm_layer_count(L), k);
    assert_int_equal(rm_layer_vertex_count(L), verts);
    assert_non_null(rm_layer_crs_wkt(L));
    assert_non_null(strstr(rm_layer_crs_wkt(L), "WGS"));
    /* past the last field: "" and no crash */
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), rm_layer_field_count(L) + 3), "");
    SHPClose(h);
    DBFClose(d);
    rm_layer_free(L);
}

static void test_real_region(void **state)
{
    (void)state;
    const char *names[] = {"ne_10m_railroads", "ne_10m_admin_0_countries", "ne_10m_coastline",
                           "ne_10m_populated_places", "ne_10m_land"};
    char p[512];
    shared_or_skip(p, sizeof p, "region/ne_10m_railroads.shp");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/region/%s.shp", RM_SHARED_DATA, names[i]);
        compare_with_shapelib(p);
    }
}

static void test_real_global_railroads(void **state)
{
    (void)state;
    char p[512];
    shared_or_skip(p, sizeof p, "global/ne_10m_railroads.shp");
    compare_with_shapelib(p);
    rm_error err;
    rm_layer *L = rm_layer_load(p, NULL, &err);
    assert_non_null(L);
    /* the figures the data README gives */
    assert_int_equal(rm_layer_count(L), 25383);
    assert_int_equal(rm_layer_vertex_count(L), 851948);
    assert_int_equal(rm_layer_geom_type(L), RM_GEOM_LINE);
    assert_true(rm_layer_field_index(L, "RWDB_RR_ID") >= 0);
    assert_true(rm_layer_field_index(L, "no_such_field") == -1);
    rm_bbox b = rm_layer_bbox(L);
    assert_true(fabs(b.minx - -150.11) < 0.01 && fabs(b.maxy - 69.60) < 0.01);
    rm_layer_free(L);
}

/* The filter keeps exactly the records whose bbox meets the box. */
static void test_filter(void **state)
{
    (void)state;
    char p[512];
    shared_or_skip(p, sizeof p, "region/ne_10m_railroads.shp");
    rm_error err;
    rm_layer *all = rm_layer_load(p, NULL, &err);
    assert_non_null(all);
    rm_bbox boxes[] = {{125.70, 38.98, 125.80, 39.08},
                       {130.58, 42.38, 130.68, 42.48},
                       {0, 0, 1, 1},
                       {100, 20, 140, 50}};
    for (size_t bi = 0; bi < 4; bi++) {
        rm_load_options o = {0};
        o.filter = &boxes[bi];
        rm_layer *L = rm_layer_load(p, &o, &err);
        assert_non_null(L);
        size_t k = 0;
        for (size_t i = 0; i < rm_layer_count(all); i++) {
            const rm_feature *f = rm_layer_feature(all, i);
            if (!rm_bbox_intersects(&f->bbox, &boxes[bi]))
                continue;
            const rm_feature *g = rm_layer_feature(L, k++);
            assert_non_null(g);
            assert_int_equal(g->record, f->record);
            assert_int_equal(g->npoints, f->npoints);
            assert_memory_equal(g->xy, f->xy, 2 * sizeof(double) * (size_t)f->npoints);
            assert_string_equal(rm_feature_attr(g, 2), rm_feature_attr(f, 2));
        }
        assert_int_equal(k, rm_layer_count(L));
        if (bi == 1) {
            /* Tumangang 17719 (DPRK) and Khasan 17705 (RU), per the data README */
            int idx = rm_layer_field_index(L, "rwdb_rr_id");
            int seen = 0;
            for (size_t i = 0; i < rm_layer_count(L); i++) {
                const char *id = rm_feature_attr(rm_layer_feature(L, i), idx);
                seen |= strcmp(id, "17719") == 0 ? 1 : strcmp(id, "17705") == 0 ? 2 : 0;
            }
            assert_int_equal(seen, 3);
        }
        if (bi == 2)
            assert_int_equal(rm_layer_count(L), 0);
        rm_layer_free(L);
    }
    rm_layer_free(all);
}

/* The winding numbers of all the rings of L around the points (xs[k], y),
 * k < nx, added into w: a ray to the right of each point counts the edges
 * crossing it upwards (+1) and downwards (-1). One pass over the edges per
 * row, so a 411,132-point ring costs a row, not a row per point. */
static void row_winding(const rm_layer *L, double y, const double *xs, int nx, int *w)
{
    for (int k = 0; k < nx; k++)
        w[k] = 0;
    for (size_t i = 0; i < rm_layer_count(L); i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        if (y < f->bbox.miny || y > f->bbox.maxy)
            continue;
        for (int p = 0; p < f->nparts; p++) {
            const double *xy = f->xy + 2 * f->part_start[p];
            int n = f->part_start[p + 1] - f->part_start[p];
            for (int e = 0; e < n; e++) {
                int j = (e + 1) % n;
                double ax = xy[2 * e], ay = xy[2 * e + 1], bx = xy[2 * j], by = xy[2 * j + 1];
                int s = ay <= y && by > y ? 1 : by <= y && ay > y ? -1 : 0;
                if (!s)
                    continue;
                double xc = ax + (y - ay) * (bx - ax) / (by - ay);
                for (int k = 0; k < nx; k++)
                    if (xc > xs[k])
                        w[k] += s;
            }
        }
    }
}

/* clip: the global land, whose first record is Eurasia with Antarctica
 * (411,132 points), loaded for East Asian boxes with its rings clipped as
 * they are read: land and sea are the same at every point of a fine grid
 * inside the box, and only a fraction of the points is kept. */
static void test_clip_real_land(void **state)
{
    (void)state;
    char p[512];
    shared_or_skip(p, sizeof p, "global/ne_10m_land.shp");
    setenv("ROUTEMAP_CACHE_DIR", tmp_path("landcache"), 1);
    rm_bbox boxes[] = {{116.2, 31.4, 139.1, 44.9}, {95.0, 15.0, 160.0, 58.0}, {-10, -89, 40, -60}};
    for (size_t bi = 0; bi < 3; bi++) {
        rm_error err;
        rm_load_options o = {0};
        o.filter = &boxes[bi];
        o.no_cache = 1;
        rm_layer *whole = rm_layer_load(p, &o, &err);
        assert_non_null(whole);
        o.clip = 1;
        /* v 0: read whole; v 1: through the record index, which lets the
         * clipper pass over the runs of Eurasia that lie beyond the box */
        for (int v = 0; v < 2; v++) {
            o.no_cache = v == 0;
            if (v == 1)
                rm_layer_free(rm_layer_load(p, &o, &err)); /* writes the index */
            rm_layer *cut = rm_layer_load(p, &o, &err);
            assert_non_null(cut);
            assert_int_equal(rm_layer_used_index(cut), v);
            rm_bbox lb = rm_layer_bbox(cut);
            assert_true(lb.minx >= boxes[bi].minx && lb.maxx <= boxes[bi].maxx &&
                        lb.miny >= boxes[bi].miny && lb.maxy <= boxes[bi].maxy);
            for (size_t i = 0; i < rm_layer_count(cut); i++) {
                const rm_feature *f = rm_layer_feature(cut, i);
                assert_true(f->nparts > 0 && f->npoints >= 3 * f->nparts);
                assert_int_equal(f->part_start[f->nparts], f->npoints);
            }
            size_t kept = rm_layer_vertex_count(cut), all = rm_layer_vertex_count(whole);
            assert_true(kept < all / 4);
            int land = 0, n = 0;
            enum { G = 150 };
            double xs[G];
            int w0[G], w1[G];
            for (int gx = 0; gx < G; gx++)
                xs[gx] =
                    boxes[bi].minx + (boxes[bi].maxx - boxes[bi].minx) * (gx + 1.0137) / (G + 1);
            for (int gy = 0; gy < G; gy++) {
                double py =
                    boxes[bi].miny + (boxes[bi].maxy - boxes[bi].miny) * (gy + 1.0291) / (G + 1);
                row_winding(whole, py, xs, G, w0);
                row_winding(cut, py, xs, G, w1);
                for (int gx = 0; gx < G; gx++) {
                    if (w0[gx] != w1[gx])
                        fail_msg("box %zu (%s) at (%g, %g): winding %d unclipped, %d clipped", bi,
                                 v ? "index" : "whole", xs[gx], py, w0[gx], w1[gx]);
                    land += w0[gx] != 0;
                    n++;
                }
            }
            /* the grid saw both land and sea (Antarctica's box: mostly land) */
            assert_true(land > n / 20 && land < n - n / 20);
            rm_layer_free(cut);
        }
        rm_layer_free(whole);
    }
    unsetenv("ROUTEMAP_CACHE_DIR");
}

/* A box across the antimeridian ([160, 55, 210, 72]: Chukotka, the Bering
 * Strait, Alaska) on the global land, clipped as it is read: every grid point
 * of the box is land or sea exactly as in the whole file at its real
 * longitude (x - 360 past 180), and the layer comes in the box's continuous
 * longitudes. The countries come with their attributes from both sides. */
static void test_load_across_antimeridian(void **state)
{
    (void)state;
    char p[512];
    shared_or_skip(p, sizeof p, "global/ne_10m_land.shp");
    rm_bbox box = {160, 55, 210, 72};
    rm_error err;
    rm_load_options o = {0};
    o.no_cache = 1;
    rm_layer *whole = rm_layer_load(p, &o, &err);
    assert_non_null(whole);
    o.filter = &box;
    o.clip = 1;
    rm_layer *cut = rm_layer_load(p, &o, &err);
    if (!cut)
        fail_msg("%s", err.message);
    rm_bbox lb = rm_layer_bbox(cut);
    assert_true(lb.minx >= box.minx && lb.maxx <= box.maxx && lb.miny >= box.miny &&
                lb.maxy <= box.maxy);
    assert_true(lb.maxx > 200 && lb.minx < 170); /* both sides, continuous */
    for (size_t i = 0; i < rm_layer_count(cut); i++) {
        const rm_feature *f = rm_layer_feature(cut, i);
        assert_int_equal(f->part_start[f->nparts], f->npoints);
        for (int k = 0; k < f->npoints; k++)
            assert_true(f->xy[2 * k] >= box.minx && f->xy[2 * k] <= box.maxx);
    }
    enum { G = 120 };
    double xs[G], xw[G];
    int w0[G], w1[G], land_e = 0, land_w = 0, sea_e = 0, n = 0;
    for (int gx = 0; gx < G; gx++) {
        xs[gx] = box.minx + (box.maxx - box.minx) * (gx + 1.0137) / (G + 1);
        xw[gx] = xs[gx] > 180 ? xs[gx] - 360 : xs[gx];
    }
    for (int gy = 0; gy < G; gy++) {
        double py = box.miny + (box.maxy - box.miny) * (gy + 1.0291) / (G + 1);
        row_winding(cut, py, xs, G, w1);
        for (int gx = 0; gx < G; gx++) {
            /* the whole file, at the real longitude of the point */
            double one[1] = {xw[gx]};
            int w;
            row_winding(whole, py, one, 1, &w);
            w0[gx] = w;
            if ((w0[gx] != 0) != (w1[gx] != 0))
                fail_msg("(%g, %g): %s in the file, %s in the layer across 180", xs[gx], py,
                         w0[gx] ? "land" : "sea", w1[gx] ? "land" : "sea");
            if (xs[gx] > 180)
                land_e += w1[gx] != 0, sea_e += w1[gx] == 0;
            else
                land_w += w1[gx] != 0;
            n++;
        }
    }
    /* land and sea on both sides of 180 */
    assert_true(land_e > n / 20 && land_w > n / 20 && sea_e > n / 20);
    rm_layer_free(cut);
    rm_layer_free(whole);

    shared_or_skip(p, sizeof p, "global/ne_10m_admin_0_countries.shp");
    o.clip = 0;
    rm_layer *c = rm_layer_load(p, &o, &err);
    assert_non_null(c);
    int field = rm_layer_field_index(c, "ADMIN");
    assert_true(field >= 0);
    int usa_east = 0, rus_east = 0, rus_west = 0;
    for (size_t i = 0; i < rm_layer_count(c); i++) {
        const rm_feature *f = rm_layer_feature(c, i);
        const char *name = rm_feature_attr(f, field);
        int east = f->bbox.maxx > 180;
        if (!strcmp(name, "United States of America") && east)
            usa_east = 1;
        if (!strcmp(name, "Russia"))
            east ? (rus_east = 1) : (rus_west = 1);
    }
    assert_true(usa_east && rus_east && rus_west);
    rm_layer_free(c);
}

/* ---- small shapefiles written here ---- */

/* Writes base.shp/.shx/.dbf with the given objects and one NAME field. */
static void write_layer(const char *base, int type, SHPObject **objs, int n, const char **names)
{
    SHPHandle h = SHPCreate(base, type);
    assert_non_null(h);
    for (int i = 0; i < n; i++)
        assert_int_equal(SHPWriteObject(h, -1, objs[i]), i);
    SHPClose(h);
    if (names) {
        DBFHandle d = DBFCreate(base);
        assert_non_null(d);
        assert_int_equal(DBFAddField(d, "NAME", FTString, 40, 0), 0);
        assert_int_equal(DBFAddField(d, "NUM", FTInteger, 8, 0), 1);
        for (int i = 0; i < n; i++) {
            DBFWriteStringAttribute(d, i, 0, names[i]);
            if (i > 0)
                DBFWriteIntegerAttribute(d, i, 1, i * 10);
            else
                DBFWriteNULLAttribute(d, i, 1);
        }
        DBFClose(d);
    }
}

static void test_multipart_zm(void **state)
{
    (void)state;
    int types[] = {SHPT_ARC, SHPT_ARCZ, SHPT_ARCM};
    for (int t = 0; t < 3; t++) {
        char base[512];
        snprintf(base, sizeof base, "%s/mp%d", tmpdir, t);
        double x[] = {0, 1, 2, 10, 11, 20, 21, 22};
        double y[] = {0, 1, 0, 10, 11, 20, 21, 22};
        double z[] = {5, 5, 5, 5, 5, 5, 5, 5};
        int starts[] = {0, 3, 5};
        SHPObject *o[3];
        o[0] = SHPCreateObject(types[t], -1, 3, starts, NULL, 8, x, y, z, z);
        o[1] = SHPCreateObject(SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL, NULL);
        o[2] = SHPCreateSimpleObject(types[t], 2, x + 3, y + 3, z);
        const char *names[] = {"Trans-Siberian", "nothing", "Пхеньян 평양"};
        write_layer(base, types[t], o, 3, names);
        for (int i = 0; i < 3; i++)
            SHPDestroyObject(o[i]);
        rm_error err;
        rm_layer *L = rm_layer_load(base, NULL, &err);
        if (!L)
            fail_msg("%s", err.message);
        assert_int_equal(rm_layer_geom_type(L), RM_GEOM_LINE);
        assert_int_equal(rm_layer_count(L), 2); /* the null record is skipped */
        const rm_feature *f = rm_layer_feature(L, 0);
        assert_int_equal(f->nparts, 3);
        assert_int_equal(f->part_start[1], 3);
        assert_int_equal(f->part_start[2], 5);
        assert_int_equal(f->part_start[3], 8);
        assert_true(f->xy[2 * 7] == 22 && f->xy[2 * 7 + 1] == 22);
        assert_true(f->bbox.minx == 0 && f->bbox.maxx == 22);
        assert_string_equal(rm_feature_attr(f, 0), "Trans-Siberian");
        assert_string_equal(rm_feature_attr(f, 1), ""); /* NULL numeric */
        const rm_feature *g = rm_layer_feature(L, 1);
        assert_int_equal(g->record, 2);
        assert_string_equal(rm_feature_attr(g, 0), "Пхеньян 평양");
        assert_string_equal(rm_feature_attr(g, 1), "20");
        assert_int_equal(rm_layer_field_index(L, "name"), 0);
        assert_null(rm_layer_crs_wkt(L)); /* no .prj written */
        assert_int_equal(rm_layer_vertex_count(L), 10);
        rm_layer_free(L);
        /* skip_attributes: no .dbf read */
        rm_load_options opt = {0};
        opt.skip_attributes = 1;
        L = rm_layer_load(base, &opt, &err);
        assert_non_null(L);
        assert_null(rm_layer_feature(L, 0)->attrs);
        assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 0), "");
        rm_layer_free(L);
    }
}

static void test_polygon_points(void **state)
{
    (void)state;
    char base[512];
    snprintf(base, sizeof base, "%s/poly", tmpdir);
    double x[] = {0, 0, 10, 10, 0, 2, 2, 3, 2};
    double y[] = {0, 10, 10, 0, 0, 2, 3, 3, 2};
    int starts[] = {0, 5};
    SHPObject *o = SHPCreateObject(SHPT_POLYGONZ, -1, 2, starts, NULL, 9, x, y, NULL, NULL);
    write_layer(base, SHPT_POLYGONZ, &o, 1, NULL);
    SHPDestroyObject(o);
    FILE *prj = fopen(tmp_path("poly.prj"), "w");
    assert_non_null(prj);
    fputs("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
          "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]\n",
          prj);
    fclose(prj);
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("poly.shp"), NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_int_equal(rm_layer_geom_type(L), RM_GEOM_POLYGON);
    assert_int_equal(rm_layer_feature(L, 0)->nparts, 2);
    assert_int_equal(rm_layer_field_count(L), 0); /* no .dbf: geometry only */
    assert_non_null(strstr(rm_layer_crs_wkt(L), "GEOGCS[\"GCS_WGS_1984\",DATUM"));
    rm_layer_free(L);

    snprintf(base, sizeof base, "%s/pts", tmpdir);
    SHPObject *p[3];
    double px[] = {125.75, 131.88, 116.4}, py[] = {39.03, 43.11, 39.9};
    for (int i = 0; i < 3; i++)
        p[i] = SHPCreateSimpleObject(SHPT_POINTM, 1, px + i, py + i, NULL);
    const char *names[] = {"Pyongyang", "Vladivostok", "Beijing"};
    write_layer(base, SHPT_POINTM, p, 3, names);
    for (int i = 0; i < 3; i++)
        SHPDestroyObject(p[i]);
    L = rm_layer_load(base, NULL, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_geom_type(L), RM_GEOM_POINT);
    assert_int_equal(rm_layer_count(L), 3);
    assert_true(rm_layer_feature(L, 1)->xy[0] == 131.88);
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 2), 0), "Beijing");
    rm_layer_free(L);

    snprintf(base, sizeof base, "%s/mpts", tmpdir);
    SHPObject *mp = SHPCreateSimpleObject(SHPT_MULTIPOINTZ, 3, px, py, NULL);
    write_layer(base, SHPT_MULTIPOINTZ, &mp, 1, NULL);
    SHPDestroyObject(mp);
    L = rm_layer_load(base, NULL, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_feature(L, 0)->npoints, 3);
    assert_true(rm_layer_feature(L, 0)->xy[5] == 39.9);
    rm_layer_free(L);
}

/* Latin-1 text: converted when the .cpg says so, refused otherwise. */
static void test_latin1(void **state)
{
    (void)state;
    char base[512];
    snprintf(base, sizeof base, "%s/lat", tmpdir);
    double x[] = {1, 2}, y[] = {1, 2};
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    const char *names[] = {"S\xe3o Paulo"};
    write_layer(base, SHPT_ARC, &o, 1, names);
    SHPDestroyObject(o);
    /* shapelib marks the DBF as Windows-1252 (LDID 87); a .cpg saying UTF-8 wins */
    FILE *c = fopen(tmp_path("lat.cpg"), "w");
    assert_non_null(c);
    fputs("UTF-8", c);
    fclose(c);
    rm_error err;
    rm_layer *L = rm_layer_load(base, NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_FORMAT);
    assert_non_null(strstr(err.message, "lat.dbf: record 0: field NAME"));
    c = fopen(tmp_path("lat.cpg"), "w");
    assert_non_null(c);
    fputs("ISO-8859-1", c);
    fclose(c);
    L = rm_layer_load(base, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 0), "S\xc3\xa3o Paulo");
    rm_layer_free(L);
    /* no .cpg: the DBF's own language byte (87 = Windows-1252) decides */
    unlink(tmp_path("lat.cpg"));
    L = rm_layer_load(base, NULL, &err);
    assert_non_null(L);
    assert_string_equal(rm_feature_attr(rm_layer_feature(L, 0), 0), "S\xc3\xa3o Paulo");
    rm_layer_free(L);
}

/* ---- broken files ---- */

static unsigned char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void spit(const char *p, const unsigned char *b, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void put_le32(unsigned char *p, int32_t v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)u;
    p[1] = (unsigned char)(u >> 8);
    p[2] = (unsigned char)(u >> 16);
    p[3] = (unsigned char)(u >> 24);
}

static void put_be32(unsigned char *p, uint32_t u)
{
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

static void put_dbl(unsigned char *p, double d)
{
    memcpy(p, &d, 8); /* the test machines are little-endian */
}

/* The good file: record 0 = a 2-part line of 5 points, record 1 = a line of 2. */
static void write_good(void)
{
    char base[512];
    snprintf(base, sizeof base, "%s/good", tmpdir);
    double x[] = {0, 1, 2, 5, 6}, y[] = {0, 1, 2, 5, 6};
    int starts[] = {0, 3};
    SHPObject *o[2];
    o[0] = SHPCreateObject(SHPT_ARC, -1, 2, starts, NULL, 5, x, y, NULL, NULL);
    o[1] = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    const char *names[] = {"a", "b"};
    write_layer(base, SHPT_ARC, o, 2, names);
    SHPDestroyObject(o[0]);
    SHPDestroyObject(o[1]);
}

typedef void (*patch_fn)(unsigned char *shp, size_t *n, unsigned char *shx, size_t *nx);

/* record 0 content starts at 108: type 108, bbox 112..143, nparts 144,
 * npoints 148, parts 152, 156, points 160.. */
static void p_truncate(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)s, (void)x, (void)nx;
    *n -= 20;
}
static void p_magic(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    s[3] = 0;
}
static void p_version(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 28, 999);
}
static void p_offset(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)s, (void)n, (void)nx;
    put_be32(x + 108, 0x7FFFFFF0u);
}
static void p_overlap(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)s, (void)n, (void)nx;
    put_be32(x + 108, 60); /* record 1 at byte 120, inside record 0 */
}
static void p_nparts_huge(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 144, 1 << 30);
}
static void p_npoints_neg(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 148, -5);
}
static void p_npoints_huge(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 148, 100000000);
}
static void p_part_order(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 152, 3);
    put_le32(s + 156, 0);
}
static void p_part_range(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 156, 7);
}
static void p_one_point_line(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 156, 4); /* second part: 1 point */
}
static void p_nan(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_dbl(s + 160 + 16, NAN);
}
static void p_inf(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_dbl(s + 160 + 8, INFINITY);
}
static void p_type(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_le32(s + 108, SHPT_POLYGON);
}
static void p_bbox_lies(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_dbl(s + 128, 3.0); /* maxx 3 while points reach 6 */
}
static void p_shx_len(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)s, (void)n, (void)x;
    *nx -= 3;
}
static void p_reclen(unsigned char *s, size_t *n, unsigned char *x, size_t *nx)
{
    (void)n, (void)x, (void)nx;
    put_be32(s + 104, 2); /* .shp record header disagrees with the .shx */
}

static void test_bad_files(void **state)
{
    (void)state;
    write_good();
    struct {
        patch_fn fn;
        rm_status want;
        const char *msg;
    } cases[] = {
        {p_truncate, RM_ERR_FORMAT, "truncated"},
        {p_magic, RM_ERR_FORMAT, "not a shapefile"},
        {p_version, RM_ERR_FORMAT, "not a shapefile"},
        {p_offset, RM_ERR_FORMAT, "record 1: offset"},
        {p_overlap, RM_ERR_FORMAT, "record 1: overlaps"},
        {p_nparts_huge, RM_ERR_FORMAT, "record 0:"},
        {p_npoints_neg, RM_ERR_FORMAT, "record 0: negative"},
        {p_npoints_huge, RM_ERR_FORMAT, "record 0:"},
        {p_part_order, RM_ERR_FORMAT, "record 0:"},
        {p_part_range, RM_ERR_FORMAT, "record 0: part 1 starts at 7"},
        {p_one_point_line, RM_ERR_FORMAT, "record 0: line 1 has 1 point"},
        {p_nan, RM_ERR_FORMAT, "record 0: point 1 is not finite"},
        {p_inf, RM_ERR_FORMAT, "record 0: point 0 is not finite"},
        {p_type, RM_ERR_FORMAT, "record 0: shape type 5 differs"},
        {p_bbox_lies, RM_ERR_FORMAT, "record 0: points lie outside"},
        {p_shx_len, RM_ERR_FORMAT, "bad.shx"},
        {p_reclen, RM_ERR_FORMAT, "record 0: the .shp says"},
    };
    size_t n0, nx0;
    unsigned char *shp0 = slurp(tmp_path("good.shp"), &n0);
    unsigned char *shx0 = slurp(tmp_path("good.shx"), &nx0);
    unsigned char *dbf0;
    size_t nd;
    dbf0 = slurp(tmp_path("good.dbf"), &nd);
    spit(tmp_path("bad.dbf"), dbf0, nd);
    rm_error err;
    rm_layer *L = rm_layer_load(tmp_path("good.shp"), NULL, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 2);
    rm_layer_free(L);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned char *s = malloc(n0), *x = malloc(nx0);
        assert_non_null(s);
        assert_non_null(x);
        memcpy(s, shp0, n0);
        memcpy(x, shx0, nx0);
        size_t n = n0, nx = nx0;
        cases[c].fn(s, &n, x, &nx);
        spit(tmp_path("bad.shp"), s, n);
        spit(tmp_path("bad.shx"), x, nx);
        free(s);
        free(x);
        L = rm_layer_load(tmp_path("bad.shp"), NULL, &err);
        if (L)
            fail_msg("case %zu (%s) loaded", c, cases[c].msg);
        assert_int_equal(err.status, cases[c].want);
        if (!strstr(err.message, cases[c].msg) || !strstr(err.message, "bad."))
            fail_msg("case %zu: message '%s' lacks '%s'", c, err.message, cases[c].msg);
        assert_null(strchr(err.message, '\n'));
    }
    /* a polygon ring of 3 points */
    {
        double x[] = {0, 1, 0}, y[] = {0, 1, 0};
        char base[512];
        snprintf(base, sizeof base, "%s/tri", tmpdir);
        SHPObject *o = SHPCreateSimpleObject(SHPT_POLYGON, 3, x, y, NULL);
        write_layer(base, SHPT_POLYGON, &o, 1, NULL);
        SHPDestroyObject(o);
        /* shapelib closes the ring (4 points); cut it back to 3 by patching */
        size_t n, nx;
        unsigned char *s = slurp(tmp_path("tri.shp"), &n);
        unsigned char *xx = slurp(tmp_path("tri.shx"), &nx);
        int np = (int)(s[148] | s[149] << 8);
        put_le32(s + 148, np >= 4 ? 3 : np);
        spit(tmp_path("tri.shp"), s, n);
        free(s);
        free(xx);
        L = rm_layer_load(base, NULL, &err);
        assert_null(L);
        assert_int_equal(err.status, RM_ERR_FORMAT);
        assert_non_null(strstr(err.message, "record 0: ring 0 has 3 points"));
    }
    /* a DBF whose header lies about its record count */
    {
        spit(tmp_path("bad.shp"), shp0, n0);
        spit(tmp_path("bad.shx"), shx0, nx0);
        unsigned char *d = malloc(nd);
        assert_non_null(d);
        memcpy(d, dbf0, nd);
        put_le32(d + 4, 1000000);
        spit(tmp_path("bad.dbf"), d, nd);
        L = rm_layer_load(tmp_path("bad.shp"), NULL, &err);
        assert_null(L);
        assert_int_equal(err.status, RM_ERR_FORMAT);
        assert_non_null(strstr(err.message, "bad.dbf"));
        memcpy(d, dbf0, nd);
        d[10] = 200; /* record length */
        spit(tmp_path("bad.dbf"), d, nd);
        L = rm_layer_load(tmp_path("bad.shp"), NULL, &err);
        assert_null(L);
        assert_int_equal(err.status, RM_ERR_FORMAT);
        free(d);
        spit(tmp_path("bad.dbf"), dbf0, nd);
    }
    /* missing .shx */
    unlink(tmp_path("bad.shx"));
    L = rm_layer_load(tmp_path("bad.shp"), NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_IO);
    assert_non_null(strstr(err.message, "bad.shx: missing"));
    /* missing .dbf: geometry only */
    spit(tmp_path("bad.shx"), shx0, nx0);
    unlink(tmp_path("bad.dbf"));
    L = rm_layer_load(tmp_path("bad"), NULL, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_field_count(L), 0);
    rm_layer_free(L);
    /* caps */
    rm_load_options o = {0};
    o.max_features = 1;
    L = rm_layer_load(tmp_path("bad.shp"), &o, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_LIMIT);
    o.max_features = 0;
    o.max_vertices = 6;
    L = rm_layer_load(tmp_path("bad.shp"), &o, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_LIMIT);
    free(shp0);
    free(shx0);
    free(dbf0);
}

static void write_prj(const char *name, const char *text)
{
    FILE *f = fopen(tmp_path(name), "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A projected layer (UTM 52N) comes back in lon/lat; bad .prj files are
 * refused with the .prj named. */
static void test_prj(void **state)
{
    (void)state;
    char base[512];
    snprintf(base, sizeof base, "%s/utm", tmpdir);
    /* (500000, 4300000) in UTM 52N is 129 E, 38.85 N; 100 km east of it */
    double x[] = {500000, 600000}, y[] = {4300000, 4300000};
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    const char *names[] = {"east"};
    write_layer(base, SHPT_ARC, &o, 1, names);
    SHPDestroyObject(o);
    write_prj("utm.prj", "PROJCS[\"WGS 84 / UTM zone 52N\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\","
                         "SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],"
                         "UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"
                         "PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",129],"
                         "PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],"
                         "PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]\n");
    rm_error err;
    rm_layer *L = rm_layer_load(base, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    const rm_feature *f = rm_layer_feature(L, 0);
    assert_true(fabs(f->xy[0] - 129.0) < 1e-6);
    assert_true(fabs(f->xy[1] - 38.85) < 0.01);
    assert_true(f->xy[2] > 130.1 && f->xy[2] < 130.2); /* 100 km east */
    assert_true(f->bbox.minx == f->xy[0] && rm_layer_bbox(L).maxx == f->xy[2]);
    assert_string_equal(rm_feature_attr(f, 0), "east");
    assert_non_null(strstr(rm_layer_crs_wkt(L), "UTM zone 52N"));
    rm_layer_free(L);
    /* the filter is in lon/lat */
    rm_bbox near = {128.9, 38.8, 129.1, 38.9}, far = {10, 10, 11, 11};
    rm_load_options opt = {0};
    opt.filter = &near;
    L = rm_layer_load(base, &opt, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 1);
    rm_layer_free(L);
    opt.filter = &far;
    L = rm_layer_load(base, &opt, &err);
    assert_non_null(L);
    assert_int_equal(rm_layer_count(L), 0);
    assert_int_equal(rm_layer_vertex_count(L), 0);
    rm_layer_free(L);

    struct {
        const char *text, *msg;
    } bad[] = {
        {"hello garbage", "not a CRS in WKT"},
        {"GEOGCS[\"x\",DATUM[\"y\",SPHEROID[\"z\",-1,0]]]", "ellipsoid"},
        {"GEOGCS[\"x\",DATUM[\"y\",SPHEROID[\"z\",6378137,298.2]]", "do not close"},
        {"GEOGCS[\"x\",DATUM[\"y\",SPHEROID[\"z\",6378137,298.2]]] trailing", "after the end"},
        {"PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS["
         "PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS["
         "PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[PROJCS[",
         "nested"},
        {"PROJCS[\"nonsense\",GEOGCS[\"x\",DATUM[\"y\",SPHEROID[\"z\",6378137,298.2]]],"
         "PROJECTION[\"No_Such_Projection\"]]",
         "PROJ cannot"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_prj("utm.prj", bad[i].text);
        L = rm_layer_load(base, NULL, &err);
        if (L)
            fail_msg("bad .prj %zu loaded", i);
        assert_int_equal(err.status, RM_ERR_PROJ);
        if (!strstr(err.message, bad[i].msg) || !strstr(err.message, "utm.prj"))
            fail_msg(".prj %zu: '%s' lacks '%s'", i, err.message, bad[i].msg);
    }
    /* an empty .prj is no .prj */
    write_prj("utm.prj", "\n");
    snprintf(base, sizeof base, "%s/mp0", tmpdir);
}

#define UTM52N_WKT                                                                                 \
    "PROJCS[\"WGS_1984_UTM_Zone_52N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","               \
    "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],"                   \
    "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],"                    \
    "PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"                     \
    "PARAMETER[\"Central_Meridian\",129.0],PARAMETER[\"Scale_Factor\",0.9996],"                    \
    "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"

/* One point (x, y) in a layer named base with the .prj text (NULL: none),
 * loaded with crs (NULL: none). */
static rm_layer *load_point(const char *name, double x, double y, const char *prj, const char *crs,
                            rm_error *err)
{
    char base[512], prjname[128];
    snprintf(base, sizeof base, "%s/%s", tmpdir, name);
    snprintf(prjname, sizeof prjname, "%s.prj", name);
    SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL);
    write_layer(base, SHPT_POINT, &o, 1, NULL);
    SHPDestroyObject(o);
    if (prj)
        write_prj(prjname, prj);
    else
        unlink(tmp_path(prjname));
    rm_load_options opt = {0};
    opt.crs = crs;
    return rm_layer_load(base, &opt, err);
}

/* A geographic .prj goes through PROJ: prime meridian, unit and datum are
 * applied, another body is refused; without a .prj the spec's crs says what
 * the coordinates are, and projected coordinates with neither are refused. */
static void test_crs_meaning(void **state)
{
    (void)state;
    rm_error err;
    /* Paris meridian, grads: 0 gr, 50 gr is 2.33722917 E, 45 N */
    rm_layer *L = load_point(
        "paris", 0, 50,
        "GEOGCS[\"GCS_NTF_Paris\",DATUM[\"D_NTF\",SPHEROID[\"Clarke_1880_IGN\",6378249.2,"
        "293.4660212936265]],PRIMEM[\"Paris\",2.337229166666667],UNIT[\"Grad\",0.01570796326794897]"
        "]",
        NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    const rm_feature *f = rm_layer_feature(L, 0);
    if (fabs(f->xy[0] - 2.33722917) > 0.01 || fabs(f->xy[1] - 45) > 0.01)
        fail_msg("Paris grads: %.6f %.6f", f->xy[0], f->xy[1]);
    rm_layer_free(L);
    /* Ferro meridian, degrees: 20 E of Ferro is 2.333 E of Greenwich */
    L = load_point("ferro", 20, 50,
                   "GEOGCS[\"GCS_MGI_Ferro\",DATUM[\"D_MGI\",SPHEROID[\"Bessel_1841\",6377397.155,"
                   "299.1528128]],PRIMEM[\"Ferro\",-17.66666666666667],UNIT[\"Degree\","
                   "0.0174532925199433]]",
                   NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    f = rm_layer_feature(L, 0);
    if (fabs(f->xy[0] - 2.3333) > 0.01 || fabs(f->xy[1] - 50) > 0.01)
        fail_msg("Ferro: %.6f %.6f", f->xy[0], f->xy[1]);
    rm_layer_free(L);
    /* Tokyo datum: shifted by some hundred metres, not taken as WGS 84 */
    L = load_point("tokyo", 139.7, 35.7,
                   "GEOGCS[\"GCS_Tokyo\",DATUM[\"D_Tokyo\",SPHEROID[\"Bessel_1841\",6377397.155,"
                   "299.1528128]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
                   NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    f = rm_layer_feature(L, 0);
    double shift = fabs(f->xy[0] - 139.7) + fabs(f->xy[1] - 35.7);
    if (shift < 0.002 || shift > 0.02)
        fail_msg("Tokyo datum: %.6f %.6f (shift %.5f deg)", f->xy[0], f->xy[1], shift);
    rm_layer_free(L);
    /* Mars: refused with the reason */
    L = load_point("mars", 10, 10,
                   "GEOGCS[\"Mars 2000\",DATUM[\"D_Mars_2000\",SPHEROID[\"Mars_2000_IAU_IAG\","
                   "3396190.0,169.894447223612]],PRIMEM[\"Reference_Meridian\",0.0],"
                   "UNIT[\"Degree\",0.0174532925199433]]",
                   NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_PROJ);
    if (!strstr(err.message, "mars.prj") || !strstr(err.message, "Mars") ||
        !strstr(err.message, "not of the Earth"))
        fail_msg("Mars: %s", err.message);

    /* UTM metres without a .prj: refused, naming the file and the key */
    L = load_point("utm_noprj", 500000, 4300000, NULL, NULL, &err);
    assert_null(L);
    if (!strstr(err.message, "utm_noprj.shp") || !strstr(err.message, "\"crs\"") ||
        !strstr(err.message, "not lon/lat"))
        fail_msg("UTM without .prj: %s", err.message);
    /* ... and right with the crs */
    L = load_point("utm_noprj", 500000, 4300000, NULL, "EPSG:32652", &err);
    if (!L)
        fail_msg("%s", err.message);
    f = rm_layer_feature(L, 0);
    assert_true(fabs(f->xy[0] - 129.0) < 1e-6 && fabs(f->xy[1] - 38.85) < 0.01);
    assert_null(rm_layer_crs_wkt(L));
    rm_layer_free(L);
    /* a crs PROJ does not know: PROJ's own words, not "Unknown error" */
    L = load_point("utm_noprj", 500000, 4300000, NULL, "EPSG:99999", &err);
    assert_null(L);
    if (!strstr(err.message, "EPSG:99999") || !strstr(err.message, "not found") ||
        strstr(err.message, "Unknown error"))
        fail_msg("EPSG:99999: %s", err.message);
    /* a .prj and a crs that agree, and that disagree */
    L = load_point("utm_prj", 500000, 4300000, UTM52N_WKT, "EPSG:32652", &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_true(fabs(rm_layer_feature(L, 0)->xy[0] - 129.0) < 1e-6);
    rm_layer_free(L);
    L = load_point("utm_prj", 500000, 4300000, UTM52N_WKT, "EPSG:32614", &err);
    assert_null(L);
    if (!strstr(err.message, "utm_prj.prj") || !strstr(err.message, "EPSG:32614"))
        fail_msg("disagreeing crs: %s", err.message);
    /* lon/lat without .prj or crs still loads as it did */
    L = load_point("ll_noprj", 129.5, 38.5, NULL, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    assert_true(rm_layer_feature(L, 0)->xy[0] == 129.5);
    rm_layer_free(L);
}

/* UTF-8 text cut by the field width in the middle of a character (shapelib
 * and others truncate byte-wise) loads without the broken character; an
 * invalid byte elsewhere is refused. */
static void test_truncated_utf8(void **state)
{
    (void)state;
    char base[512];
    snprintf(base, sizeof base, "%s/trunc8", tmpdir);
    double x[] = {1, 2}, y[] = {1, 2};
    SHPHandle h = SHPCreate(base, SHPT_ARC);
    SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    DBFHandle d = DBFCreateEx(base, "UTF-8");
    assert_int_equal(DBFAddField(d, "NOTE", FTString, 255, 0), 0);
    static char good[401], bad[401];
    for (int i = 0; i < 400; i += 2)
        memcpy(good + i, "\xc3\xa9", 2); /* 200 times é: 400 bytes */
    good[400] = 0;
    memcpy(bad, good, sizeof bad);
    bad[101] = 'x'; /* breaks the 51st é */
    DBFWriteStringAttribute(d, 0, 0, good);
    DBFWriteStringAttribute(d, 1, 0, good);
    DBFClose(d);
    rm_error err;
    rm_layer *L = rm_layer_load(base, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    /* 255 bytes were stored: 127 é and half of the 128th */
    assert_int_equal(strlen(rm_feature_attr(rm_layer_feature(L, 1), 0)), 254);
    assert_int_equal(strncmp(rm_feature_attr(rm_layer_feature(L, 0), 0), good, 254), 0);
    rm_layer_free(L);
    d = DBFOpen(base, "r+b");
    assert_non_null(d);
    DBFWriteStringAttribute(d, 1, 0, bad);
    DBFClose(d);
    L = rm_layer_load(base, NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_FORMAT);
    assert_non_null(strstr(err.message, "record 1: field NOTE: text is not UTF-8"));
}

static void test_not_files(void **state)
{
    (void)state;
    rm_error err;
    const char *paths[] = {tmpdir, "/dev/zero", "/no/such/file.shp"};
    for (int i = 0; i < 3; i++) {
        rm_layer *L = rm_layer_load(paths[i], NULL, &err);
        assert_null(L);
        assert_int_equal(err.status, RM_ERR_IO);
        assert_non_null(strstr(err.message, paths[i]));
    }
    /* a text file in place of a .shp */
    FILE *f = fopen(tmp_path("text.shp"), "w");
    assert_non_null(f);
    for (int i = 0; i < 50; i++)
        fputs("hello world\n", f);
    fclose(f);
    rm_layer *L = rm_layer_load(tmp_path("text.shp"), NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_FORMAT);
    L = rm_layer_load("", NULL, &err);
    assert_null(L);
    assert_int_equal(err.status, RM_ERR_USAGE);
}

/* ---- the record index (src/recindex.h) ---- */

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A grid of n short lines, 50 to a row 0.5 degrees apart from (100, 20),
 * each moved by dx. */
static void write_grid(const char *base, int n, double dx)
{
    SHPObject **o = malloc((size_t)n * sizeof *o);
    assert_non_null(o);
    for (int i = 0; i < n; i++) {
        double x[2] = {100 + (i % 50) * 0.5 + dx, 100.2 + (i % 50) * 0.5 + dx};
        double y[2] = {20 + (i / 50) * 0.5, 20.1 + (i / 50) * 0.5};
        o[i] = SHPCreateSimpleObject(SHPT_ARC, 2, x, y, NULL);
    }
    write_layer(base, SHPT_ARC, o, n, NULL);
    for (int i = 0; i < n; i++)
        SHPDestroyObject(o[i]);
    free(o);
}

/* L and ref hold the same records with the same points. */
static void same_layer(const rm_layer *L, const rm_layer *ref)
{
    assert_int_equal(rm_layer_count(L), rm_layer_count(ref));
    for (size_t i = 0; i < rm_layer_count(ref); i++) {
        const rm_feature *f = rm_layer_feature(L, i), *g = rm_layer_feature(ref, i);
        assert_int_equal(f->record, g->record);
        assert_int_equal(f->nparts, g->nparts);
        assert_int_equal(f->npoints, g->npoints);
        assert_memory_equal(f->xy, g->xy, 2 * sizeof(double) * (size_t)g->npoints);
    }
}

static rm_layer *load_box(const char *p, const rm_bbox *box, int no_cache)
{
    rm_load_options o = {0};
    o.filter = box;
    o.no_cache = no_cache;
    rm_error err;
    rm_layer *L = rm_layer_load(p, &o, &err);
    if (!L)
        fail_msg("%s", err.message);
    return L;
}

static int count_files(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' 2>/dev/null | wc -l", dir);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    int n = -1;
    assert_int_equal(fscanf(f, "%d", &n), 1);
    pclose(f);
    return n;
}

/* index: the first filtered load of a large file writes the index, the next
 * one reads it and keeps the same records; a file changed in place with its
 * size and times kept (the index now lies) is caught and read again whole;
 * a file written anew, a damaged index and ROUTEMAP_CACHE=off are not
 * trusted either. */
static void test_record_index(void **state)
{
    (void)state;
    const char *cache = tmp_path("cache");
    setenv("ROUTEMAP_CACHE_DIR", cache, 1);
    char base[300];
    snprintf(base, sizeof base, "%s/grid", tmpdir);
    const char *shp = tmp_path("grid.shp");
    write_grid(base, 2000, 0);
    rm_bbox box = {110, 25, 115, 30};
    rm_layer *ref = load_box(shp, &box, 1);
    assert_int_equal(rm_layer_count(ref), 121); /* 11 columns x 11 rows meet the box */
    assert_int_equal(count_files(cache), 0);
    rm_layer *L = load_box(shp, &box, 0);
    assert_false(rm_layer_used_index(L));
    same_layer(L, ref);
    rm_layer_free(L);
    assert_int_equal(count_files(cache), 1);
    L = load_box(shp, &box, 0);
    assert_true(rm_layer_used_index(L));
    same_layer(L, ref);
    rm_layer_free(L);
    rm_bbox none = {0, 0, 1, 1};
    L = load_box(shp, &none, 0);
    assert_true(rm_layer_used_index(L));
    assert_int_equal(rm_layer_count(L), 0);
    rm_layer_free(L);
    setenv("ROUTEMAP_CACHE", "off", 1);
    L = load_box(shp, &box, 0);
    assert_false(rm_layer_used_index(L));
    rm_layer_free(L);
    unsetenv("ROUTEMAP_CACHE");

    /* in place: record 1021 (in the box) moves 0.1 degrees east; size and
     * times stay, so only its head can tell */
    struct stat st;
    assert_int_equal(stat(shp, &st), 0);
    size_t n, nx;
    unsigned char *b = slurp(shp, &n), *x = slurp(tmp_path("grid.shx"), &nx);
    size_t c = (size_t)get_be32(x + 100 + 8 * 1021) * 2 + 8;
    double v;
    const size_t at[] = {4, 20, 48, 64}; /* bbox minx, maxx, the two x */
    for (int k = 0; k < 4; k++) {
        memcpy(&v, b + c + at[k], 8);
        put_dbl(b + c + at[k], v + 0.1);
    }
    spit(shp, b, n);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, shp, times, 0), 0);
    free(b);
    free(x);
    rm_layer *moved = load_box(shp, &box, 1);
    L = load_box(shp, &box, 0);
    assert_false(rm_layer_used_index(L)); /* read again without it */
    same_layer(L, moved);
    rm_layer_free(L);
    L = load_box(shp, &box, 0); /* and the index made anew */
    assert_true(rm_layer_used_index(L));
    same_layer(L, moved);
    rm_layer_free(L);
    rm_layer_free(moved);

    /* written anew (new times): the old index is not used */
    write_grid(base, 2000, 0.25);
    rm_layer *shifted = load_box(shp, &box, 1);
    L = load_box(shp, &box, 0);
    assert_false(rm_layer_used_index(L));
    same_layer(L, shifted);
    rm_layer_free(L);

    /* a damaged index is not used */
    char cmd[700];
    snprintf(cmd, sizeof cmd,
             "for f in '%s'/*.rmx; do printf 'XXXXXXXX' | dd of=\"$f\" bs=1 seek=500 conv=notrunc "
             "2>/dev/null; done",
             cache);
    assert_int_equal(system(cmd), 0);
    L = load_box(shp, &box, 0);
    assert_false(rm_layer_used_index(L));
    same_layer(L, shifted);
    rm_layer_free(L);
    rm_layer_free(shifted);
    rm_layer_free(ref);

    /* Natural Earth's railroads: the same records through the index */
    char p[512];
    snprintf(p, sizeof p, "%s/global/ne_10m_railroads.shp", RM_SHARED_DATA);
    if (have_file(p)) {
        rm_bbox boxes[] = {{116.2, 31.4, 139.1, 44.9}, {-10, 35, 30, 60}, {0, -80, 10, -70}};
        rm_layer_free(load_box(p, &boxes[0], 0));
        for (int k = 0; k < 3; k++) {
            rm_layer *r0 = load_box(p, &boxes[k], 1), *r1 = load_box(p, &boxes[k], 0);
            assert_true(rm_layer_used_index(r1));
            same_layer(r1, r0);
            rm_layer_free(r0);
            rm_layer_free(r1);
        }
    }
    unsetenv("ROUTEMAP_CACHE_DIR");
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_geodata_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_region),
        cmocka_unit_test(test_real_global_railroads),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_clip_real_land),
        cmocka_unit_test(test_load_across_antimeridian),
        cmocka_unit_test(test_multipart_zm),
        cmocka_unit_test(test_polygon_points),
        cmocka_unit_test(test_latin1),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_prj),
        cmocka_unit_test(test_crs_meaning),
        cmocka_unit_test(test_truncated_utf8),
        cmocka_unit_test(test_not_files),
        cmocka_unit_test(test_record_index),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
