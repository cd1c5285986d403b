/* geojson2shp — writes a GeoJSON FeatureCollection as an ESRI shapefile
 * (.shp .shx .dbf .prj .cpg) in EPSG:4326, deterministically: no dates or
 * host data go into the files (shapelib writes a fixed DBF date), the field
 * widths are the smallest that hold the data, coordinates are rounded to
 * 1e-7 degree (about 1 cm), polygon outer rings are written clockwise and
 * holes counter-clockwise as the shapefile format wants.
 *
 * Usage: geojson2shp IN.geojson OUTBASE point|line|polygon FIELD:C|FIELD:N ...
 *   FIELD:C is a text field, FIELD:N an integer field, both read from the
 *   feature's properties (missing or null gives an empty value).
 * Geometry collections (as made by GEOS make-valid / clipping) are flattened:
 * only the parts that match the layer type are kept; a feature with no such
 * part is dropped. Part of routemap's data/sources; built by build.sh. */
#include <jansson.h>
#include <math.h>
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_POINT, T_LINE, T_POLYGON };

typedef struct {
    int nparts, capparts;
    int *start;
    int npts, cappts;
    double *x, *y;
} parts;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "geojson2shp: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        die("out of memory", NULL);
    return q;
}

static double round7(double v)
{
    return round(v * 1e7) / 1e7;
}

static void add_point(parts *p, double x, double y)
{
    if (p->npts == p->cappts) {
        p->cappts = p->cappts ? 2 * p->cappts : 256;
        p->x = xrealloc(p->x, sizeof(double) * (size_t)p->cappts);
        p->y = xrealloc(p->y, sizeof(double) * (size_t)p->cappts);
    }
    p->x[p->npts] = round7(x);
    p->y[p->npts] = round7(y);
    p->npts++;
}

static void begin_part(parts *p)
{
    if (p->nparts == p->capparts) {
        p->capparts = p->capparts ? 2 * p->capparts : 16;
        p->start = xrealloc(p->start, sizeof(int) * (size_t)p->capparts);
    }
    p->start[p->nparts++] = p->npts;
}

/* Appends a ring or line; for rings, orients it (outer clockwise). Drops
 * consecutive duplicate points. Returns 0 when too short and removed. */
static int add_path(parts *p, json_t *coords, int ring, int outer)
{
    size_t i, n = json_array_size(coords);
    int first;
    begin_part(p);
    first = p->npts;
    for (i = 0; i < n; i++) {
        json_t *c = json_array_get(coords, i);
        double x = json_number_value(json_array_get(c, 0));
        double y = json_number_value(json_array_get(c, 1));
        if (p->npts > first && round7(x) == p->x[p->npts - 1] && round7(y) == p->y[p->npts - 1])
            continue;
        add_point(p, x, y);
    }
    if (p->npts - first < (ring ? 4 : 2)) {
        p->npts = first;
        p->nparts--;
        return 0;
    }
    if (ring) {
        double a = 0;
        int k, m = p->npts - first;
        for (k = first; k < p->npts - 1; k++)
            a += p->x[k] * p->y[k + 1] - p->x[k + 1] * p->y[k];
        /* a > 0: counter-clockwise. Outer must be clockwise (a < 0). */
        if ((outer && a > 0) || (!outer && a < 0)) {
            for (k = 0; k < m / 2; k++) {
                double tx = p->x[first + k], ty = p->y[first + k];
                p->x[first + k] = p->x[first + m - 1 - k];
                p->y[first + k] = p->y[first + m - 1 - k];
                p->x[first + m - 1 - k] = tx;
                p->y[first + m - 1 - k] = ty;
            }
        }
    }
    return 1;
}

static void add_geometry(parts *p, json_t *g, int type)
{
    const char *t = json_string_value(json_object_get(g, "type"));
    json_t *c = json_object_get(g, "coordinates");
    size_t i, j;
    if (!t)
        return;
    if (!strcmp(t, "GeometryCollection")) {
        json_t *gs = json_object_get(g, "geometries");
        for (i = 0; i < json_array_size(gs); i++)
            add_geometry(p, json_array_get(gs, i), type);
    } else if (type == T_POINT && !strcmp(t, "Point")) {
        begin_part(p);
        add_point(p, json_number_value(json_array_get(c, 0)),
                  json_number_value(json_array_get(c, 1)));
    } else if (type == T_LINE && !strcmp(t, "LineString")) {
        add_path(p, c, 0, 0);
    } else if (type == T_LINE && !strcmp(t, "MultiLineString")) {
        for (i = 0; i < json_array_size(c); i++)
            add_path(p, json_array_get(c, i), 0, 0);
    } else if (type == T_POLYGON && !strcmp(t, "Polygon")) {
        for (i = 0; i < json_array_size(c); i++)
            if (!add_path(p, json_array_get(c, i), 1, i == 0) && i == 0)
                return; /* degenerate outer ring: drop its holes too */
    } else if (type == T_POLYGON && !strcmp(t, "MultiPolygon")) {
        for (j = 0; j < json_array_size(c); j++) {
            json_t *poly = json_array_get(c, j);
            for (i = 0; i < json_array_size(poly); i++)
                if (!add_path(p, json_array_get(poly, i), 1, i == 0) && i == 0)
                    break;
        }
    }
}

typedef struct {
    char name[12];
    int numeric;
    int width;
    int index;
} field;

static const char *prop_text(json_t *props, const char *name, char *buf, size_t cap)
{
    json_t *v = json_object_get(props, name);
    if (!v || json_is_null(v))
        return "";
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, cap, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, cap, "%.0f", json_real_value(v));
        return buf;
    }
    return "";
}

int main(int argc, char **argv)
{
    json_error_t jerr;
    json_t *root, *feats;
    int type, nf = argc - 4, i;
    size_t k;
    field *fields;
    SHPHandle shp;
    DBFHandle dbf;
    char path[4096], buf[64];
    FILE *f;
    int written = 0;

    if (argc < 4)
        die("usage: geojson2shp IN.geojson OUTBASE point|line|polygon FIELD:C|FIELD:N ...", NULL);
    if (!strcmp(argv[3], "point"))
        type = T_POINT;
    else if (!strcmp(argv[3], "line"))
        type = T_LINE;
    else if (!strcmp(argv[3], "polygon"))
        type = T_POLYGON;
    else
        die("unknown geometry type", argv[3]);
    root = json_load_file(argv[1], 0, &jerr);
    if (!root)
        die(jerr.text, argv[1]);
    feats = json_object_get(root, "features");
    if (!json_is_array(feats))
        die("not a FeatureCollection", argv[1]);

    fields = calloc((size_t)(nf > 0 ? nf : 1), sizeof(field));
    if (!fields)
        die("out of memory", NULL);
    for (i = 0; i < nf; i++) {
        const char *colon = strchr(argv[4 + i], ':');
        size_t len = colon ? (size_t)(colon - argv[4 + i]) : 0;
        if (!colon || len == 0 || len > 10 || (colon[1] != 'C' && colon[1] != 'N'))
            die("bad field spec (NAME:C or NAME:N, name up to 10 chars)", argv[4 + i]);
        memcpy(fields[i].name, argv[4 + i], len);
        fields[i].numeric = colon[1] == 'N';
        fields[i].width = 1;
    }
    /* Pass 1: field widths. */
    for (k = 0; k < json_array_size(feats); k++) {
        json_t *props = json_object_get(json_array_get(feats, k), "properties");
        for (i = 0; i < nf; i++) {
            int w = (int)strlen(prop_text(props, fields[i].name, buf, sizeof buf));
            if (w > fields[i].width)
                fields[i].width = w;
        }
    }

    snprintf(path, sizeof path, "%s.shp", argv[2]);
    shp = SHPCreate(path, type == T_POINT ? SHPT_POINT : type == T_LINE ? SHPT_ARC : SHPT_POLYGON);
    if (!shp)
        die("cannot create", path);
    snprintf(path, sizeof path, "%s.dbf", argv[2]);
    dbf = DBFCreateEx(path, "UTF-8");
    if (!dbf)
        die("cannot create", path);
    for (i = 0; i < nf; i++) {
        if (fields[i].width > 254)
            die("field too wide", fields[i].name);
        fields[i].index = DBFAddField(dbf, fields[i].name, fields[i].numeric ? FTInteger : FTString,
                                      fields[i].width, 0);
        if (fields[i].index < 0)
            die("cannot add field", fields[i].name);
    }
    if (nf == 0 && DBFAddField(dbf, "ID", FTInteger, 9, 0) < 0)
        die("cannot add field", "ID");

    for (k = 0; k < json_array_size(feats); k++) {
        json_t *feat = json_array_get(feats, k);
        json_t *props = json_object_get(feat, "properties");
        parts p = {0};
        SHPObject *obj;
        int rec;
        add_geometry(&p, json_object_get(feat, "geometry"), type);
        if (p.nparts == 0) {
            free(p.start);
            free(p.x);
            free(p.y);
            continue;
        }
        if (type == T_POINT)
            obj = SHPCreateSimpleObject(SHPT_POINT, 1, p.x, p.y, NULL);
        else
            obj = SHPCreateObject(type == T_LINE ? SHPT_ARC : SHPT_POLYGON, -1, p.nparts, p.start,
                                  NULL, p.npts, p.x, p.y, NULL, NULL);
        if (!obj)
            die("cannot create shape", NULL);
        rec = SHPWriteObject(shp, -1, obj);
        SHPDestroyObject(obj);
        if (rec < 0)
            die("cannot write shape", argv[2]);
        for (i = 0; i < nf; i++) {
            const char *s = prop_text(props, fields[i].name, buf, sizeof buf);
            int ok;
            if (fields[i].numeric)
                ok = *s ? DBFWriteIntegerAttribute(dbf, rec, fields[i].index, atoi(s))
                        : DBFWriteNULLAttribute(dbf, rec, fields[i].index);
            else
                ok = DBFWriteStringAttribute(dbf, rec, fields[i].index, s);
            if (!ok)
                die("cannot write attribute", fields[i].name);
        }
        if (nf == 0 && !DBFWriteIntegerAttribute(dbf, rec, 0, rec))
            die("cannot write attribute", "ID");
        written++;
        free(p.start);
        free(p.x);
        free(p.y);
    }
    SHPClose(shp);
    DBFClose(dbf);

    snprintf(path, sizeof path, "%s.prj", argv[2]);
    f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    fputs("GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
          "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
          f);
    if (fclose(f) != 0)
        die("cannot write", path);
    snprintf(path, sizeof path, "%s.cpg", argv[2]);
    f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    fputs("UTF-8", f);
    if (fclose(f) != 0)
        die("cannot write", path);
    fprintf(stderr, "geojson2shp: %s: %d features\n", argv[2], written);
    free(fields);
    json_decref(root);
    return 0;
}
