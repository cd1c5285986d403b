/* rm_shpwrite — writes a small shapefile for the shell tests with shapelib
 * (the library routemap links anyway), so that no test needs the command-line
 * tools of Debian's `shapelib` package, which scripts/deps.sh does not
 * install.
 *
 *   rm_shpwrite BASE TYPE SHAPE...
 *
 * TYPE is point, arc or polygon. Each SHAPE is one record: "x,y x,y ..." with
 * ';' between parts, optionally followed by "=NAME". BASE.shp, BASE.shx and
 * BASE.dbf are written; the table has the fields id (N 6: 1, 2, ...) and name
 * (C 64: NAME, or empty). Exit 0, or 2 with a one-line message. */
#include <shapefil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXV 4096
#define MAXP 256

static int fail(const char *what, const char *arg)
{
    fprintf(stderr, "rm_shpwrite: %s: %s\n", what, arg);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return fail("usage", "rm_shpwrite BASE point|arc|polygon 'x,y x,y;x,y ...[=name]'...");
    int type;
    if (!strcmp(argv[2], "point"))
        type = SHPT_POINT;
    else if (!strcmp(argv[2], "arc"))
        type = SHPT_ARC;
    else if (!strcmp(argv[2], "polygon"))
        type = SHPT_POLYGON;
    else
        return fail("unknown shape type", argv[2]);

    SHPHandle shp = SHPCreate(argv[1], type);
    DBFHandle dbf = DBFCreateEx(argv[1], "UTF-8");
    if (!shp || !dbf)
        return fail("cannot create", argv[1]);
    if (DBFAddField(dbf, "id", FTInteger, 6, 0) < 0 ||
        DBFAddField(dbf, "name", FTString, 64, 0) < 0)
        return fail("cannot add fields to", argv[1]);

    static double x[MAXV], y[MAXV];
    int starts[MAXP];
    for (int i = 3; i < argc; i++) {
        char *spec = strdup(argv[i]);
        if (!spec)
            return fail("out of memory", argv[i]);
        char *name = strchr(spec, '=');
        if (name)
            *name++ = '\0';
        int nv = 0, np = 0;
        starts[np++] = 0;
        for (char *p = spec; *p;) {
            if (*p == ' ') {
                p++;
                continue;
            }
            if (*p == ';') {
                if (np == MAXP)
                    return fail("too many parts", argv[i]);
                starts[np++] = nv;
                p++;
                continue;
            }
            char *end;
            double vx = strtod(p, &end);
            if (end == p || *end != ',')
                return fail("expected x,y in", argv[i]);
            p = end + 1;
            double vy = strtod(p, &end);
            if (end == p)
                return fail("expected x,y in", argv[i]);
            p = end;
            if (nv == MAXV)
                return fail("too many vertices", argv[i]);
            x[nv] = vx;
            y[nv] = vy;
            nv++;
        }
        if (nv == 0)
            return fail("no vertex in", argv[i]);
        SHPObject *o = SHPCreateObject(type, -1, type == SHPT_POINT ? 0 : np, starts, NULL, nv, x,
                                       y, NULL, NULL);
        if (!o || SHPWriteObject(shp, -1, o) < 0)
            return fail("cannot write a record to", argv[1]);
        SHPDestroyObject(o);
        int rec = i - 3;
        if (!DBFWriteIntegerAttribute(dbf, rec, 0, rec + 1) ||
            !DBFWriteStringAttribute(dbf, rec, 1, name ? name : ""))
            return fail("cannot write a row to", argv[1]);
        free(spec);
    }
    SHPClose(shp);
    DBFClose(dbf);
    return 0;
}
