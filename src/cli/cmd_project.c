/* routemap CLI — project: projected coordinates of places or lon,lat pairs
 * in a CRS, like PROJ's cs2cs but taking place names. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char project_usage[] =
    "usage: routemap project PLACE|LON,LAT... [options]\n"
    "\n"
    "Prints the projected coordinates 'x y' (metres of the CRS) of each place name,\n"
    "alias or 'lon,lat' pair, one line per input, in input order (like cs2cs).\n"
    "\n"
    "options:\n"
    "      --crs CRS         target CRS: 'EPSG:n', a PROJ string or 'auto' (default:\n"
    "                        auto, the conformal projection routemap would choose for a\n"
    "                        map of these points)\n"
    "  -l, --long            print 'name<TAB>lon<TAB>lat<TAB>x<TAB>y' instead of 'x y'\n"
    "      --data-dir DIR    gazetteer DIR/places.shp (default: built-in data or\n"
    "                        $ROUTEMAP_DATA)\n"
    "  -v, --verbose         print the PROJ definition used on stderr\n"
    "  -h, --help            this help\n"
    "\n"
    "A point the CRS cannot represent prints '* *'.\n"
    "Exit codes: 0 success, 1 a point could not be projected, 2 bad usage, unknown\n"
    "place or invalid CRS.\n";

enum { OPT_CRS = 256, OPT_DATA_DIR };

static const struct option project_options[] = {{"crs", required_argument, NULL, OPT_CRS},
                                                {"long", no_argument, NULL, 'l'},
                                                {"data-dir", required_argument, NULL, OPT_DATA_DIR},
                                                {"verbose", no_argument, NULL, 'v'},
                                                {"help", no_argument, NULL, 'h'},
                                                {NULL, 0, NULL, 0}};

int rm_cli_project(int argc, char **argv)
{
    const char *crs = "auto", *data_dir = NULL;
    int longfmt = 0, verbose = 0, c;
    optind = 1;
    opterr = 0;
    /* '+' would stop at the first operand; keep GNU permutation but let
     * negative longitudes through: "-70.5,40" is an operand, not an option. */
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && ((argv[i][1] >= '0' && argv[i][1] <= '9') || argv[i][1] == '.'))
            argv[i][0] = '\x01'; /* restored below */
    while ((c = getopt_long(argc, argv, ":lvh", project_options, NULL)) != -1) {
        switch (c) {
        case OPT_CRS:
            crs = optarg;
            break;
        case OPT_DATA_DIR:
            data_dir = optarg;
            break;
        case 'l':
            longfmt = 1;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            fputs(project_usage, stdout);
            return 0;
        default:
            rm_cli_bad_option("project", c, optopt, argv);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '\x01')
            argv[i][0] = '-';
    int n = argc - optind;
    if (n < 1) {
        rm_cli_error("project: give at least one PLACE or LON,LAT (see 'routemap project --help')");
        return 2;
    }
    rm_error err, gerr;
    rm_error_clear(&err);
    rm_error_clear(&gerr);
    char path[4096];
    rm_cli_places_path(path, sizeof path, data_dir);
    rm_gazetteer *g = rm_gazetteer_load(path, &gerr); /* NULL: only lon,lat resolve */
    rm_place *pl = calloc((size_t)n, sizeof *pl);
    double *xy = calloc((size_t)n * 2, sizeof *xy);
    int rc = 0;
    rm_proj *p = NULL;
    if (!pl || !xy) {
        rm_cli_error("project: out of memory");
        rc = 1;
        goto done;
    }
    rm_bbox box = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (int i = 0; i < n; i++) {
        const char *q = argv[optind + i];
        if (rm_gazetteer_resolve(g, q, &pl[i], &err) != RM_OK) {
            if (!g)
                rm_cli_error("project: '%s' is not lon,lat and the gazetteer is unavailable: %s", q,
                             rm_cli_clean(gerr.message));
            else
                rm_cli_error("project: %s", rm_cli_clean(err.message));
            rc = 2;
            goto done;
        }
        xy[2 * i] = pl[i].lon;
        xy[2 * i + 1] = pl[i].lat;
        box.minx = fmin(box.minx, pl[i].lon);
        box.miny = fmin(box.miny, pl[i].lat);
        box.maxx = fmax(box.maxx, pl[i].lon);
        box.maxy = fmax(box.maxy, pl[i].lat);
    }
    p = rm_proj_new(crs, &box, &err);
    if (!p) {
        rm_cli_error("project: --crs '%s': %s", crs, rm_cli_clean(err.message));
        rc = 2;
        goto done;
    }
    if (verbose)
        fprintf(stderr, "routemap: CRS %s\n", rm_proj_definition(p));
    rm_proj_forward(p, xy, (size_t)n);
    for (int i = 0; i < n; i++) {
        int ok = isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]);
        if (!ok)
            rc = 1;
        if (longfmt)
            printf("%s\t%.6f\t%.6f\t", pl[i].name, pl[i].lon, pl[i].lat);
        if (ok)
            printf(longfmt ? "%.3f\t%.3f\n" : "%.3f %.3f\n", xy[2 * i], xy[2 * i + 1]);
        else
            printf(longfmt ? "*\t*\n" : "* *\n");
    }
    if (rc == 1)
        rm_cli_error("project: some points could not be projected in '%s'", crs);
done:
    rm_proj_free(p);
    free(pl);
    free(xy);
    rm_gazetteer_free(g);
    return rc;
}
