/* routemap CLI — places: search the gazetteer (names and aliases). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char places_usage[] =
    "usage: routemap places [QUERY] [options]\n"
    "\n"
    "Lists the gazetteer's places whose name or alias contains QUERY\n"
    "(case-insensitive; English or native script, e.g. 'vlad' or 'Владивосток');\n"
    "without QUERY, every place. One place per line: name, aliases, country, kind,\n"
    "lon, lat separated by tabs.\n"
    "\n"
    "options:\n"
    "      --json            print a JSON array of objects instead\n"
    "      --data-dir DIR    read DIR/places.shp (default: the built-in data or\n"
    "                        $ROUTEMAP_DATA)\n"
    "  -q, --quiet           no warnings on stderr, only errors\n"
    "  -v, --verbose         say which gazetteer is read and how many places match\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit codes: 0 places found, 1 no place matches, 2 bad usage or missing data.\n";

enum { OPT_JSON = 256, OPT_DATA_DIR };

static const struct option places_options[] = {
    {"json", no_argument, NULL, OPT_JSON}, {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"quiet", no_argument, NULL, 'q'},     {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};

int rm_cli_places(int argc, char **argv)
{
    int json = 0, verbose = 0, c;
    const char *data_dir = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qvh", places_options, NULL)) != -1) {
        switch (c) {
        case OPT_JSON:
            json = 1;
            break;
        case OPT_DATA_DIR:
            data_dir = optarg;
            break;
        case 'q':
            rm_set_warning_handler(NULL, NULL);
            break;
        case 'v':
            verbose = 1;
            break;
        case 'h':
            fputs(places_usage, stdout);
            return 0;
        default:
            rm_cli_bad_option("places", c, optopt, argv);
            return 2;
        }
    }
    if (argc - optind > 1) {
        rm_cli_error("places: one QUERY at a time ('%s' is extra; quote names with spaces)",
                     argv[optind + 1]);
        return 2;
    }
    const char *query = optind < argc ? argv[optind] : NULL;
    char path[4096];
    rm_cli_places_path(path, sizeof path, data_dir);
    rm_error err;
    rm_error_clear(&err);
    rm_gazetteer *g = rm_gazetteer_load(path, &err);
    if (!g) {
        rm_cli_error("%s", rm_cli_clean(err.message));
        return rm_status_exit_code(err.status);
    }
    size_t total = rm_gazetteer_count(g), n = 0;
    if (verbose)
        fprintf(stderr, "routemap: places: %s, %zu places\n", path, total);
    const rm_place **found = calloc(total ? total : 1, sizeof *found);
    if (!found) {
        rm_gazetteer_free(g);
        rm_cli_error("places: out of memory");
        return 1;
    }
    if (query) {
        n = rm_gazetteer_search(g, query, found, total);
    } else {
        for (size_t i = 0; i < total; i++)
            found[n++] = rm_gazetteer_get(g, i);
    }
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; arr && i < n; i++) {
            const rm_place *p = found[i];
            json_t *aliases = json_array();
            if (!aliases)
                break;
            const char *a = p->aliases ? p->aliases : "";
            while (*a) {
                const char *bar = strchr(a, '|');
                size_t len = bar ? (size_t)(bar - a) : strlen(a);
                if (len)
                    json_array_append_new(aliases, json_stringn(a, len));
                a += len + (bar ? 1 : 0);
            }
            json_array_append_new(
                arr, json_pack("{s:s, s:o, s:s, s:s, s:f, s:f}", "name", p->name, "aliases",
                               aliases, "country", p->country ? p->country : "", "kind",
                               p->kind ? p->kind : "", "lon", p->lon, "lat", p->lat));
        }
        char *text = arr ? json_dumps(arr, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) : NULL;
        if (text) {
            puts(text);
            free(text);
        }
        json_decref(arr);
    } else {
        for (size_t i = 0; i < n; i++) {
            const rm_place *p = found[i];
            printf("%s\t%s\t%s\t%s\t%.5f\t%.5f\n", rm_cli_safe(p->name), rm_cli_safe(p->aliases),
                   rm_cli_safe(p->country), rm_cli_safe(p->kind), p->lon, p->lat);
        }
    }
    free(found);
    rm_gazetteer_free(g);
    if (n == 0) {
        rm_cli_error("places: no place matches '%s'", query ? query : "");
        return 1;
    }
    return 0;
}
