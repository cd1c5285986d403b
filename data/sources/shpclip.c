/* shpclip — reads an ESRI shapefile and writes the part of it inside a
 * lon/lat box as a GeoJSON FeatureCollection, with only the fields asked for.
 * A generic cutter for Natural Earth layers (railroads, populated places…):
 *   - lines are clipped to the box (each segment cut where it crosses the box
 *     edge, Liang–Barsky; a line that leaves and re-enters gives one part per
 *     stretch inside);
 *   - points are kept when inside the box;
 *   - polygons are kept whole when their bounding box meets the box (no
 *     clipping; routemap's shipped polygon layers are made by build.sh).
 * Text fields become JSON strings (trimmed), numeric fields JSON numbers.
 * Feature order is the input order; output is deterministic (no dates).
 *
 * Usage: shpclip IN.shp OUT.geojson MINLON MINLAT MAXLON MAXLAT [FIELD ...]
 * Part of routemap's data/sources; built by build.sh. */
#include <jansson.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "shpclip: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static double box[4]; /* minx, miny, maxx, maxy */

static int inside(double x, double y)
{
    return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

static json_t *pt(double x, double y)
{
    json_t *a = json_array();
    json_array_append_new(a, json_real(round(x * 1e7) / 1e7));
    json_array_append_new(a, json_real(round(y * 1e7) / 1e7));
    return a;
}

/* Liang–Barsky: clips segment (x0,y0)-(x1,y1) to the box; returns 0 when it
 * misses, else the parameters t0 <= t1 of the inside stretch. */
static int clip_seg(double x0, double y0, double x1, double y1, double *t0, double *t1)
{
    double dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {x0 - box[0], box[2] - x0, y0 - box[1], box[3] - y0};
    double a = 0, b = 1;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0) {
            if (r > b)
                return 0;
            if (r > a)
                a = r;
        } else {
            if (r < a)
                return 0;
            if (r < b)
                b = r;
        }
    }
    *t0 = a;
    *t1 = b;
    return 1;
}

/* Appends the clipped stretches of one part to parts (an array of arrays). */
static void clip_line(const double *x, const double *y, int n, json_t *parts)
{
    json_t *cur = NULL;
    for (int i = 0; i + 1 < n; i++) {
        double t0, t1;
        if (!clip_seg(x[i], y[i], x[i + 1], y[i + 1], &t0, &t1)) {
            if (cur) {
                if (json_array_size(cur) >= 2)
                    json_array_append(parts, cur);
                json_decref(cur);
                cur = NULL;
            }
            continue;
        }
        double ax = x[i] + t0 * (x[i + 1] - x[i]), ay = y[i] + t0 * (y[i + 1] - y[i]);
        double bx = x[i] + t1 * (x[i + 1] - x[i]), by = y[i] + t1 * (y[i + 1] - y[i]);
        if (!cur) {
            cur = json_array();
            json_array_append_new(cur, pt(ax, ay));
        }
        json_array_append_new(cur, pt(bx, by));
        if (t1 < 1) { /* leaves the box */
            if (json_array_size(cur) >= 2)
                json_array_append(parts, cur);
            json_decref(cur);
            cur = NULL;
        }
    }
    if (cur) {
        if (json_array_size(cur) >= 2)
            json_array_append(parts, cur);
        json_decref(cur);
    }
}

int main(int argc, char **argv)
{
    if (argc < 7)
        die("usage: shpclip IN.shp OUT.geojson MINLON MINLAT MAXLON MAXLAT [FIELD ...]", NULL);
    for (int i = 0; i < 4; i++) {
        char *end;
        box[i] = strtod(argv[3 + i], &end);
        if (end == argv[3 + i] || *end || !isfinite(box[i]))
            die("bad box value", argv[3 + i]);
    }
    if (box[0] >= box[2] || box[1] >= box[3])
        die("empty box", NULL);
    SHPHandle shp = SHPOpen(argv[1], "rb");
    if (!shp)
        die("cannot open", argv[1]);
    DBFHandle dbf = DBFOpen(argv[1], "rb");
    if (!dbf)
        die("cannot open the .dbf of", argv[1]);
    int nent, stype;
    SHPGetInfo(shp, &nent, &stype, NULL, NULL);
    if (DBFGetRecordCount(dbf) != nent)
        die(".shp and .dbf record counts differ", argv[1]);
    int nf = argc - 7;
    int *fi = malloc(sizeof(int) * (size_t)(nf ? nf : 1));
    if (!fi)
        die("out of memory", NULL);
    for (int k = 0; k < nf; k++) {
        fi[k] = DBFGetFieldIndex(dbf, argv[7 + k]);
        if (fi[k] < 0)
            die("no such field", argv[7 + k]);
    }
    int base = stype % 10; /* Z and M variants */
    json_t *feats = json_array();
    for (int i = 0; i < nent; i++) {
        SHPObject *o = SHPReadObject(shp, i);
        if (!o)
            die("unreadable record", argv[1]);
        json_t *geom = NULL;
        if (o->nVertices > 0 && (base == SHPT_POINT || base == SHPT_MULTIPOINT)) {
            if (inside(o->padfX[0], o->padfY[0])) {
                geom = json_object();
                json_object_set_new(geom, "type", json_string("Point"));
                json_object_set_new(geom, "coordinates", pt(o->padfX[0], o->padfY[0]));
            }
        } else if (o->nVertices > 0 && base == SHPT_ARC) {
            json_t *parts = json_array();
            for (int p = 0; p < o->nParts; p++) {
                int s = o->panPartStart[p];
                int e = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
                clip_line(o->padfX + s, o->padfY + s, e - s, parts);
            }
            if (json_array_size(parts) == 1) {
                geom = json_object();
                json_object_set_new(geom, "type", json_string("LineString"));
                json_object_set(geom, "coordinates", json_array_get(parts, 0));
            } else if (json_array_size(parts) > 1) {
                geom = json_object();
                json_object_set_new(geom, "type", json_string("MultiLineString"));
                json_object_set(geom, "coordinates", parts);
            }
            json_decref(parts);
        } else if (o->nVertices > 0 && base == SHPT_POLYGON) {
            if (o->dfXMax >= box[0] && o->dfXMin <= box[2] && o->dfYMax >= box[1] &&
                o->dfYMin <= box[3]) {
                json_t *rings = json_array();
                for (int p = 0; p < o->nParts; p++) {
                    int s = o->panPartStart[p];
                    int e = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
                    json_t *r = json_array();
                    for (int k = s; k < e; k++)
                        json_array_append_new(r, pt(o->padfX[k], o->padfY[k]));
                    json_t *poly = json_array();
                    json_array_append_new(poly, r);
                    json_array_append_new(rings, poly);
                }
                geom = json_object();
                json_object_set_new(geom, "type", json_string("MultiPolygon"));
                json_object_set_new(geom, "coordinates", rings);
            }
        }
        SHPDestroyObject(o);
        if (!geom)
            continue;
        json_t *props = json_object();
        for (int k = 0; k < nf; k++) {
            char type = DBFGetNativeFieldType(dbf, fi[k]);
            if (DBFIsAttributeNULL(dbf, i, fi[k])) {
                json_object_set_new(props, argv[7 + k], json_null());
            } else if (type == 'N' || type == 'F') {
                json_object_set_new(props, argv[7 + k],
                                    json_real(DBFReadDoubleAttribute(dbf, i, fi[k])));
            } else {
                const char *s = DBFReadStringAttribute(dbf, i, fi[k]);
                size_t n = strlen(s);
                while (n && s[n - 1] == ' ')
                    n--;
                while (n && *s == ' ')
                    s++, n--;
                json_object_set_new(props, argv[7 + k], json_stringn(s, n));
            }
        }
        json_t *f = json_object();
        json_object_set_new(f, "type", json_string("Feature"));
        json_object_set_new(f, "properties", props);
        json_object_set_new(f, "geometry", geom);
        json_array_append_new(feats, f);
    }
    json_t *fc = json_object();
    json_object_set_new(fc, "type", json_string("FeatureCollection"));
    json_object_set_new(fc, "features", feats);
    if (json_dump_file(fc, argv[2], JSON_COMPACT | JSON_REAL_PRECISION(10)) != 0)
        die("cannot write", argv[2]);
    json_decref(fc);
    SHPClose(shp);
    DBFClose(dbf);
    free(fi);
    return 0;
}
