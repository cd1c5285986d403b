/* routemap CLI — project: projected coordinates of places or lon,lat pairs
 * in a CRS, like PROJ's cs2cs but taking place names. */
#include <getopt.h>
#include <jansson.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char project_usage[] =
    "usage: routemap project PLACE|LON,LAT... [options]\n"
    "       ... | routemap project [options]   (inputs from standard input)\n"
    "\n"
    "Prints the projected coordinates 'x y' (metres of the CRS) of each place name,\n"
    "alias or 'lon,lat' pair, one line per input, in input order (like cs2cs).\n"
    "Without operands (or with '-'), the inputs are the lines of standard input:\n"
    "'lon lat' or 'lon,lat' (as cs2cs reads them) or a place name; empty lines and\n"
    "lines starting with '#' are skipped.\n"
    "\n"
    "options:\n"
    "      --crs CRS         target CRS: 'EPSG:n', a PROJ string or 'auto' (default:\n"
    "                        auto, the conformal projection routemap would choose for a\n"
    "                        map of these points)\n"
    "  -l, --long            print 'name<TAB>lon<TAB>lat<TAB>x<TAB>y' instead of 'x y'\n"
    "      --json            print a JSON object: the CRS used and every point's input,\n"
    "                        name, lon, lat, x and y (null where it cannot be projected)\n"
    "      --data-dir DIR    gazetteer DIR/places.shp (default: built-in data or\n"
    "                        $ROUTEMAP_DATA)\n"
    "  -v, --verbose         print the PROJ definition used on stderr\n"
    "  -q, --quiet           no warnings on stderr, only errors\n"
    "  -h, --help            this help\n"
    "\n"
    "A point the CRS cannot represent prints '* *'.\n"
    "Exit codes: 0 success, 1 a point could not be projected, 2 bad usage, unknown\n"
    "place or invalid CRS.\n";

enum { OPT_CRS = 256, OPT_DATA_DIR, OPT_JSON };

#define STDIN_MAX_LINES 1000000
#define STDIN_MAX_LINE 1024

/* The inputs from standard input, one a line: "lon lat" (cs2cs) becomes
 * "lon,lat"; empty and '#' lines are skipped. NULL and *n = 0 on a read
 * error, a line too long or too many lines (said on stderr). */
static char **read_stdin_inputs(size_t *n)
{
    size_t cap = 64, k = 0, lineno = 0;
    char **v = malloc(cap * sizeof *v);
    char line[STDIN_MAX_LINE + 2];
    *n = 0;
    if (!v)
        return NULL;
    while (fgets(line, sizeof line, stdin)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(stdin)) {
            rm_cli_error("project: stdin:%zu: a line longer than %d bytes", lineno, STDIN_MAX_LINE);
            goto fail;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' ||
                       line[len - 1] == '\t'))
            line[--len] = 0;
        char *q = line;
        while (*q == ' ' || *q == '\t')
            q++;
        if (!*q || *q == '#')
            continue;
        if (k == STDIN_MAX_LINES) {
            rm_cli_error("project: stdin: more than %d points", STDIN_MAX_LINES);
            goto fail;
        }
        /* "lon lat" or "lon<TAB>lat" (two numbers): as "lon,lat" */
        char *e1, *e2;
        double a = strtod(q, &e1);
        if (e1 != q && (*e1 == ' ' || *e1 == '\t')) {
            char *r = e1;
            while (*r == ' ' || *r == '\t')
                r++;
            double b = strtod(r, &e2);
            (void)a;
            (void)b;
            if (e2 != r && !*e2) {
                *e1 = ',';
                memmove(e1 + 1, r, strlen(r) + 1);
            }
        }
        if (k == cap) {
            char **nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv)
                goto nomem;
            v = nv;
            cap *= 2;
        }
        if (!(v[k] = strdup(q)))
            goto nomem;
        k++;
    }
    if (ferror(stdin)) {
        rm_cli_error("project: cannot read standard input");
        goto fail;
    }
    *n = k;
    return v;
nomem:
    rm_cli_error("project: out of memory");
fail:
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    return NULL;
}

static const struct option project_options[] = {{"crs", required_argument, NULL, OPT_CRS},
                                                {"long", no_argument, NULL, 'l'},
                                                {"data-dir", required_argument, NULL, OPT_DATA_DIR},
                                                {"verbose", no_argument, NULL, 'v'},
                                                {"quiet", no_argument, NULL, 'q'},
                                                {"json", no_argument, NULL, OPT_JSON},
                                                {"help", no_argument, NULL, 'h'},
                                                {NULL, 0, NULL, 0}};

int rm_cli_project(int argc, char **argv)
{
    const char *crs = "auto", *data_dir = NULL;
    int longfmt = 0, verbose = 0, json = 0, c;
    optind = 1;
    opterr = 0;
    /* '+' would stop at the first operand; keep GNU permutation but let
     * negative longitudes through: "-70.5,40" is an operand, not an option. */
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && ((argv[i][1] >= '0' && argv[i][1] <= '9') || argv[i][1] == '.'))
            argv[i][0] = '\x01'; /* restored below */
    while ((c = getopt_long(argc, argv, ":lqvh", project_options, NULL)) != -1) {
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
        case 'q':
            rm_set_warning_handler(NULL, NULL);
            break;
        case OPT_JSON:
            json = 1;
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
    char **inputs = argv + optind, **from_stdin = NULL;
    size_t nstdin = 0;
    if (n == 0 || (n == 1 && !strcmp(argv[optind], "-"))) {
        if (n == 0 && isatty(fileno(stdin))) {
            rm_cli_error("project: give at least one PLACE or LON,LAT, or lines on standard "
                         "input (see 'routemap project --help')");
            return 2;
        }
        from_stdin = read_stdin_inputs(&nstdin);
        if (!from_stdin)
            return 2;
        if (nstdin == 0) {
            free(from_stdin);
            rm_cli_error("project: no points on standard input");
            return 2;
        }
        if (nstdin > (size_t)INT32_MAX / 4) {
            rm_cli_error("project: too many points");
            return 2;
        }
        inputs = from_stdin;
        n = (int)nstdin;
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
        const char *q = inputs[i];
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
    if (json) {
        json_t *root = json_object(), *pts = json_array();
        json_object_set_new(root, "crs", json_string(crs));
        json_object_set_new(root, "definition", json_string(rm_proj_definition(p)));
        for (int i = 0; i < n; i++) {
            int ok = isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]);
            if (!ok)
                rc = 1;
            json_t *o = json_object();
            json_object_set_new(o, "input", json_string(inputs[i]));
            json_object_set_new(o, "name", json_string(pl[i].name));
            json_object_set_new(o, "lon", json_real(pl[i].lon));
            json_object_set_new(o, "lat", json_real(pl[i].lat));
            json_object_set_new(o, "x", ok ? json_real(xy[2 * i]) : json_null());
            json_object_set_new(o, "y", ok ? json_real(xy[2 * i + 1]) : json_null());
            json_array_append_new(pts, o);
        }
        json_object_set_new(root, "points", pts);
        if (json_dumpf(root, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) != 0 ||
            fputc('\n', stdout) == EOF)
            rc = 2;
        json_decref(root);
    }
    for (int i = 0; !json && i < n; i++) {
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
    for (size_t i = 0; i < nstdin; i++)
        free(from_stdin[i]);
    free(from_stdin);
    return rc;
}
