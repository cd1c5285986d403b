/* routemap CLI — route: the shortest rail route between places.
 *
 * Resolves FROM, the via points and TO in the gazetteer (or as lon,lat),
 * builds the rail network from the line shapefile, and prints the total
 * length, the lines taken with their lengths, the countries passed, the
 * bridged gaps and how far each place lies from the network. --geojson writes
 * the route as an RFC 7946 Feature (atomically; "-" is stdout, and then the
 * report goes to stderr). */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char route_usage[] =
    "usage: routemap route FROM TO [options]\n"
    "\n"
    "Finds the shortest rail route from FROM to TO (names or aliases from the\n"
    "gazetteer, in any case and with or without accents, or \"lon,lat\") and prints\n"
    "its length, the lines taken, the countries passed and any bridged gaps.\n"
    "\n"
    "options:\n"
    "      --via PLACE       pass through PLACE (repeat for several, in order)\n"
    "      --rail FILE.shp   the rail lines (default: DATA_DIR/rail.shp)\n"
    "      --places FILE.shp the gazetteer (default: DATA_DIR/places.shp)\n"
    "      --data-dir DIR    where rail.shp and places.shp are (default: the\n"
    "                        built-in data, or $ROUTEMAP_DATA)\n"
    "      --max-gap KM      bridge gaps in the network up to KM with a straight\n"
    "                        connector where the lines offer no path (default 5;\n"
    "                        0 = never)\n"
    "      --snap-m M        join line ends closer than M metres (default 5)\n"
    "      --max-snap KM     refuse a place farther than KM from the network\n"
    "                        (default 30)\n"
    "      --countries FILE.shp  country polygons (field ISO_A3) that name the\n"
    "                        countries passed when the rail layer has no COUNTRY\n"
    "                        field (default: DATA_DIR/countries.shp when present)\n"
    "      --name-field F    the attribute that names a line (default: NAME, or\n"
    "                        rwdb_rr_id in Natural Earth)\n"
    "      --shortest        minimise the length only (default: prefer main lines\n"
    "                        and avoid needless border crossings: a km of line\n"
    "                        costs 1.0 on a trunk line (class 1), 1.2 on a main\n"
    "                        line (2), 1.5 on a secondary line (3); each change of\n"
    "                        country costs --crossing-km more; the class is the\n"
    "                        CLASS field, or scalerank in Natural Earth)\n"
    "      --crossing-km KM  the cost of a border crossing (default 800)\n"
    "      --km-facts FILE   railway km facts (rail_km.csv, with rail_stations.csv\n"
    "                        beside it; default: DATA_DIR/../facts/rail_km.csv):\n"
    "                        the report gives the railway km where every leg has\n"
    "                        one, else \"≈\" and the length measured on the lines\n"
    "      --no-km-facts     report the measured length only\n"
    "      --geojson OUT     also write the route as a GeoJSON Feature to OUT\n"
    "                        ('-' for stdout; the report then goes to stderr)\n"
    "      --mode MODE       how the route is travelled: rail, road, river, sea or walk\n"
    "                        (the report says 'by road'...; default: from the network's\n"
    "                        file name, rail.shp says rail)\n"
    "      --json            print the report as one JSON object on stdout: from, to,\n"
    "                        km (measured), rail_km (or null), distance_text, stops,\n"
    "                        rail_km_facts, legs, countries, gaps\n"
    "  -q, --quiet           no warnings on stderr, only errors\n"
    "  -v, --verbose         say which files are read and how long the search took\n"
    "  -h, --help            this help\n"
    "\n"
    "Exit codes: 0 a route was found, 1 no route (the message says which parts of\n"
    "the network the places lie in and how close they come), 2 bad usage or input.\n";

enum {
    OPT_VIA = 256,
    OPT_RAIL,
    OPT_PLACES,
    OPT_DATA_DIR,
    OPT_MAX_GAP,
    OPT_SNAP_M,
    OPT_MAX_SNAP,
    OPT_GEOJSON,
    OPT_NAME_FIELD,
    OPT_COUNTRIES,
    OPT_SHORTEST,
    OPT_CROSSING_KM,
    OPT_KM_FACTS,
    OPT_NO_KM_FACTS,
    OPT_JSON,
    OPT_MODE
};

static const struct option route_options[] = {
    {"via", required_argument, NULL, OPT_VIA},
    {"rail", required_argument, NULL, OPT_RAIL},
    {"places", required_argument, NULL, OPT_PLACES},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"max-gap", required_argument, NULL, OPT_MAX_GAP},
    {"snap-m", required_argument, NULL, OPT_SNAP_M},
    {"max-snap", required_argument, NULL, OPT_MAX_SNAP},
    {"geojson", required_argument, NULL, OPT_GEOJSON},
    {"name-field", required_argument, NULL, OPT_NAME_FIELD},
    {"countries", required_argument, NULL, OPT_COUNTRIES},
    {"shortest", no_argument, NULL, OPT_SHORTEST},
    {"crossing-km", required_argument, NULL, OPT_CROSSING_KM},
    {"km-facts", required_argument, NULL, OPT_KM_FACTS},
    {"no-km-facts", no_argument, NULL, OPT_NO_KM_FACTS},
    {"json", no_argument, NULL, OPT_JSON},
    {"mode", required_argument, NULL, OPT_MODE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* A number >= 0 (positive when positive != 0), finite, nothing after it. */
static int parse_km(const char *flag, const char *s, int positive, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < 0 || (positive && v == 0) || v > 1e5) {
        rm_cli_error("route: %s wants a %s number, not '%s'", flag,
                     positive ? "positive" : "non-negative", s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Does s look like a negative "lon,lat" literal ("-74.0,40.7")? getopt would
 * take it for options. */
static int negative_literal(const char *s)
{
    return s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') || s[1] == '.') && strchr(s, ',');
}

static int arg_rank(char **argv, int argc, const char *p)
{
    for (int i = 0; i < argc; i++)
        if (argv[i] == p)
            return i;
    return argc;
}

/* The report as one JSON object (--json). 0, or 2 when it cannot be
 * written. */
static int print_route_json(const rm_route *r, const rm_place *pl, size_t n, const rm_rail_km *rk,
                            const char *mode, FILE *o)
{
    char dtext[64];
    rm_distance_text(dtext, sizeof dtext, rk->official_km, rk->measured_km);
    json_t *root = json_object(), *stops = json_array(), *facts = json_array(),
           *legs = json_array(), *countries = json_array(), *gaps = json_array();
    json_object_set_new(root, "from", json_string(pl[0].name));
    json_object_set_new(root, "to", json_string(pl[n - 1].name));
    json_object_set_new(root, "km", json_real(r->km));
    json_object_set_new(root, "rail_km",
                        isfinite(rk->official_km) ? json_real(rk->official_km) : json_null());
    json_object_set_new(root, "distance_text", json_string(dtext));
    json_object_set_new(root, "mode", mode ? json_string(mode) : json_null());
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_object();
        json_object_set_new(s, "role", json_string(i == 0 ? "from" : i == n - 1 ? "to" : "via"));
        json_object_set_new(s, "name", json_string(pl[i].name));
        json_object_set_new(s, "lon", json_real(pl[i].lon));
        json_object_set_new(s, "lat", json_real(pl[i].lat));
        json_object_set_new(s, "network_lon", json_real(r->stop_xy[2 * i]));
        json_object_set_new(s, "network_lat", json_real(r->stop_xy[2 * i + 1]));
        json_object_set_new(s, "snap_km", json_real(r->stop_snap_km[i]));
        json_array_append_new(stops, s);
    }
    for (size_t i = 0; i < rk->nfacts; i++) {
        const rm_km_fact *f = rk->facts[i];
        json_array_append_new(facts, json_pack("{s:f, s:s, s:s, s:s, s:s, s:s}", "km", f->km,
                                               "from", f->from, "to", f->to, "line", f->line,
                                               "kind", f->kind, "source_url", f->source_url));
    }
    for (size_t i = 0; i < r->nlegs; i++) {
        const rm_route_leg *l = &r->legs[i];
        json_array_append_new(legs, json_pack("{s:f, s:s, s:s}", "km", l->km, "line", l->line,
                                              "country", l->country));
    }
    for (size_t i = 0; i < r->ncountries; i++)
        json_array_append_new(countries, json_string(r->countries[i]));
    for (size_t i = 0; i < r->ngaps; i++)
        json_array_append_new(gaps, json_pack("{s:f, s:[f,f], s:[f,f]}", "km", r->gap_km[i], "from",
                                              r->gap_xy[4 * i], r->gap_xy[4 * i + 1], "to",
                                              r->gap_xy[4 * i + 2], r->gap_xy[4 * i + 3]));
    json_object_set_new(root, "stops", stops);
    json_object_set_new(root, "rail_km_facts", facts);
    json_object_set_new(root, "legs", legs);
    json_object_set_new(root, "countries", countries);
    json_object_set_new(root, "gaps", gaps);
    int rc = json_dumpf(root, o, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) == 0 &&
                     fputc('\n', o) != EOF && fflush(o) == 0
                 ? 0
                 : 2;
    json_decref(root);
    if (rc)
        rm_cli_error("route: cannot write the report");
    return rc;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int rm_cli_route(int argc, char **argv)
{
    double t_start = now_s();
    const char *rail = NULL, *places = NULL, *data_dir = NULL, *geojson = NULL;
    const char *countries = NULL, *km_facts = NULL;
    int no_km_facts = 0, json = 0, verbose = 0;
    const char *mode = NULL; /* --mode; else from the network's file name */
    const char **vias = calloc((size_t)argc + 1, sizeof *vias);
    size_t nvia = 0;
    /* the planning step's defaults, the same as for a map (plan.h) */
    rm_plan_options po;
    rm_plan_defaults(&po);
    rm_railnet_options ropt = po.net;
    int c, rc = 2;
    if (!vias) {
        rm_cli_error("route: out of memory");
        return 2;
    }
    /* Negative literals are taken out before getopt sees them (unless they
     * are the value of an option such as --via) and put back as operands. */
    char **args = calloc((size_t)argc + 1, sizeof *args);
    char **neg = calloc((size_t)argc + 1, sizeof *neg);
    int nargs = 0, nneg = 0;
    if (!args || !neg) {
        free(args);
        free(neg);
        free(vias);
        rm_cli_error("route: out of memory");
        return 2;
    }
    for (int i = 0; i < argc; i++) {
        int is_value = i > 0 && argv[i - 1][0] == '-' && argv[i - 1][1] == '-' &&
                       !strchr(argv[i - 1], '=') && strcmp(argv[i - 1], "--help") != 0;
        if (i > 0 && !is_value && negative_literal(argv[i]))
            neg[nneg++] = argv[i];
        else
            args[nargs++] = argv[i];
    }
    char **orig = argv;
    int orig_argc = argc;
    argc = nargs;
    argv = args;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qvh", route_options, NULL)) != -1) {
        switch (c) {
        case OPT_VIA:
            vias[nvia++] = optarg;
            break;
        case OPT_RAIL:
            rail = optarg;
            break;
        case OPT_PLACES:
            places = optarg;
            break;
        case OPT_DATA_DIR:
            data_dir = optarg;
            break;
        case OPT_MAX_GAP:
            if (parse_km("--max-gap", optarg, 0, &ropt.max_gap_km) != 0)
                goto out;
            break;
        case OPT_SNAP_M:
            if (parse_km("--snap-m", optarg, 1, &ropt.snap_m) != 0)
                goto out;
            break;
        case OPT_MAX_SNAP:
            if (parse_km("--max-snap", optarg, 1, &ropt.max_snap_km) != 0)
                goto out;
            break;
        case OPT_GEOJSON:
            geojson = optarg;
            break;
        case OPT_NAME_FIELD:
            ropt.name_field = optarg;
            break;
        case OPT_COUNTRIES:
            countries = optarg;
            break;
        case OPT_SHORTEST:
            ropt.weighting = RM_WEIGHT_LENGTH;
            break;
        case OPT_KM_FACTS:
            km_facts = optarg;
            break;
        case OPT_NO_KM_FACTS:
            no_km_facts = 1;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_MODE:
            if (!*rm_mode_phrase(optarg)) {
                rm_cli_error("route: --mode '%s': expected one of %s", optarg, rm_mode_names());
                goto out;
            }
            mode = optarg;
            break;
        case 'q':
            rm_set_warning_handler(NULL, NULL);
            break;
        case 'v':
            verbose = 1;
            break;
        case OPT_CROSSING_KM:
            if (parse_km("--crossing-km", optarg, 1, &ropt.crossing_km) != 0)
                goto out;
            break;
        case 'h':
            fputs(route_usage, stdout);
            rc = 0;
            goto out;
        default:
            rm_cli_bad_option("route", c, optopt, argv);
            goto out;
        }
    }
    /* operands in order: getopt moved the non-options to the end; the
     * negative literals were taken out in order too. Merge them back by
     * their position in the original command line. */
    char **ops = calloc((size_t)(argc - optind + nneg) + 1, sizeof *ops);
    if (!ops) {
        rm_cli_error("route: out of memory");
        goto out;
    }
    {
        int k = 0;
        for (int i = optind; i < argc; i++)
            ops[k++] = argv[i];
        for (int i = 0; i < nneg; i++)
            ops[k++] = neg[i];
        /* restore the command-line order: rank each operand by its place in
         * the original argv */
        for (int a = 0; a < k; a++)
            for (int b = a + 1; b < k; b++)
                if (arg_rank(orig, orig_argc, ops[b]) < arg_rank(orig, orig_argc, ops[a])) {
                    char *t = ops[a];
                    ops[a] = ops[b];
                    ops[b] = t;
                }
        for (int i = 0; i < k; i++)
            argv[optind + i] = ops[i];
        argc = optind + k;
        free(ops);
    }
    if (argc - optind != 2) {
        if (argc - optind < 2)
            rm_cli_error("route: give FROM and TO (e.g. routemap route Pyongyang Vladivostok; "
                         "see --help)");
        else
            rm_cli_error("route: FROM and TO only ('%s' is extra; quote names with spaces, use "
                         "--via for stops)",
                         argv[optind + 2]);
        goto out;
    }
    if (!data_dir || !*data_dir)
        data_dir = rm_default_data_dir();
    char rail_path[4096], places_path[4096];
    if (rail)
        snprintf(rail_path, sizeof rail_path, "%s", rail);
    else
        snprintf(rail_path, sizeof rail_path, "%s/rail.shp", data_dir);
    if (places)
        snprintf(places_path, sizeof places_path, "%s", places);
    else
        rm_cli_places_path(places_path, sizeof places_path, data_dir);
    if (verbose)
        fprintf(stderr, "routemap: route: rail %s, places %s\n", rail_path, places_path);

    /* the stops: FROM, vias, TO */
    size_t n = nvia + 2;
    const char **names = calloc(n, sizeof *names);
    rm_place *pl = calloc(n, sizeof *pl);
    double *stops = calloc(2 * n, sizeof *stops);
    rm_error err;
    rm_error_clear(&err);
    rm_gazetteer *g = NULL;
    rm_plan_net *net = NULL; /* the legs' line names point into it */
    rm_route r;
    memset(&r, 0, sizeof r);
    char *gj = NULL;
    rm_km_facts *kf = NULL;
    rm_rail_km rk;
    if (!names || !pl || !stops) {
        rm_cli_error("route: out of memory");
        goto done;
    }
    names[0] = argv[optind];
    for (size_t i = 0; i < nvia; i++)
        names[i + 1] = vias[i];
    names[n - 1] = argv[optind + 1];
    /* The gazetteer is only needed for names; a missing default gazetteer
     * is not an error when every stop is a lon,lat literal. */
    int need_gaz = 0;
    for (size_t i = 0; i < n; i++)
        if (rm_gazetteer_resolve(NULL, names[i], &pl[i], &err) != RM_OK) {
            if (err.status != RM_ERR_NOT_FOUND) {
                rm_cli_error("%s", err.message);
                goto done;
            }
            need_gaz = 1;
        }
    po.net = ropt;
    po.data_dir = data_dir;
    po.rail_path = rail_path;
    po.places_path = places;
    po.countries_path = countries;
    if (need_gaz) {
        g = rm_plan_gazetteer(&po, &err);
        if (!g) {
            rm_cli_error("%s", err.message);
            rc = rm_status_exit_code(err.status);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (rm_gazetteer_resolve(g, names[i], &pl[i], &err) != RM_OK) {
            rm_cli_error("%s", err.message);
            rc = rm_status_exit_code(err.status);
            goto done;
        }
        stops[2 * i] = pl[i].lon;
        stops[2 * i + 1] = pl[i].lat;
    }
    if (rm_plan_route_stops(stops, n, &po, &r, &net, &err) != RM_OK) {
        /* name the places in the message: stops are numbered from 1 */
        rm_cli_error("%s → %s: %s", pl[0].name, pl[n - 1].name, err.message);
        rc = rm_status_exit_code(err.status);
        goto done;
    }
    /* countries from polygons when the rail layer names none */
    if (r.ncountries == 0) {
        char cpath[4096];
        if (countries)
            snprintf(cpath, sizeof cpath, "%s", countries);
        else
            snprintf(cpath, sizeof cpath, "%s/countries.shp", data_dir);
        if (countries || access(cpath, R_OK) == 0) {
            rm_bbox box = rm_bbox_empty();
            for (size_t i = 0; i < r.npoints; i++)
                rm_bbox_add(&box, r.xy[2 * i], r.xy[2 * i + 1]);
            rm_load_options copt = {0};
            copt.filter = &box;
            rm_layer *C = rm_layer_load(cpath, &copt, &err);
            if (!C || rm_route_countries_from(&r, C, NULL, &err) != RM_OK) {
                rm_cli_error("%s", err.message);
                rc = rm_status_exit_code(err.status);
                rm_layer_free(C);
                goto done;
            }
            rm_layer_free(C);
        }
    }
    /* the railway km from the facts, where every leg has one */
    if (!no_km_facts) {
        kf = km_facts ? rm_km_facts_load_file(km_facts, &err)
                      : rm_km_facts_load_default(data_dir, &err);
        if (!kf && (km_facts || err.status != RM_ERR_NOT_FOUND)) {
            rm_cli_error("%s", err.message);
            rc = rm_status_exit_code(err.status);
            goto done;
        }
    }
    if (rm_route_rail_km(kf, &r, &rk, &err) != RM_OK) {
        rm_cli_error("%s", err.message);
        rc = rm_status_exit_code(err.status);
        goto done;
    }
    if (geojson) {
        gj = rm_route_geojson_km(&r, pl[0].name, pl[n - 1].name, &rk);
        if (!gj) {
            rm_cli_error("route: out of memory writing GeoJSON");
            rc = 1;
            goto done;
        }
        if (rm_write_atomic(geojson, gj, strlen(gj), &err) != RM_OK) {
            rm_cli_error("%s", err.message);
            rc = rm_status_exit_code(err.status);
            goto done;
        }
    }
    if (verbose)
        fprintf(stderr, "routemap: route: found in %.3f s\n", now_s() - t_start);
    if (json) {
        rm_route_spec jspec = {0};
        jspec.mode = (char *)mode;
        jspec.rail_file = rail ? (char *)rail_path : NULL;
        rc = print_route_json(&r, pl, n, &rk, rm_route_mode(&jspec),
                              geojson && strcmp(geojson, "-") == 0 ? stderr : stdout);
        goto done;
    }
    FILE *o = geojson && strcmp(geojson, "-") == 0 ? stderr : stdout;
    rm_route_spec mspec = {0};
    mspec.mode = (char *)mode;
    mspec.rail_file = rail ? (char *)rail_path : NULL;
    const char *by = rm_mode_phrase(rm_route_mode(&mspec));
    if (!*by)
        by = "along the network";
    char dtext[64];
    rm_distance_text(dtext, sizeof dtext, rk.official_km, rk.measured_km);
    if (isfinite(rk.official_km))
        fprintf(o, "%s → %s: %s %s (the railway's km; %.1f km measured on the lines)\n",
                rm_cli_safe(pl[0].name), rm_cli_safe(pl[n - 1].name), dtext, by, r.km);
    else
        fprintf(o, "%s → %s: %s %s (%.1f km measured on the lines; no railway km %s)\n",
                rm_cli_safe(pl[0].name), rm_cli_safe(pl[n - 1].name), dtext, by, r.km,
                kf ? "for every leg in the facts" : "facts loaded");
    for (size_t i = 0; i < n; i++)
        fprintf(o, "  %-5s %s (%.4f,%.4f): on the network at %.4f,%.4f, %.2f km away\n",
                i == 0       ? "from"
                : i == n - 1 ? "to"
                             : "via",
                rm_cli_safe(pl[i].name), pl[i].lon, pl[i].lat, r.stop_xy[2 * i],
                r.stop_xy[2 * i + 1], r.stop_snap_km[i]);
    if (rk.nfacts) {
        fprintf(o, "railway km (data/facts/rail_km.csv):\n");
        for (size_t i = 0; i < rk.nfacts; i++)
            fprintf(o, "  %8.1f km  %s – %s (%s; %s) %s\n", rk.facts[i]->km, rk.facts[i]->from,
                    rk.facts[i]->to, rk.facts[i]->line, rk.facts[i]->kind, rk.facts[i]->source_url);
    }
    fprintf(o, "lines:\n");
    for (size_t i = 0; i < r.nlegs; i++) {
        const rm_route_leg *l = &r.legs[i];
        fprintf(o, "  %8.1f km  %s%s%s%s\n", l->km,
                *l->line ? rm_cli_safe(l->line) : "(unnamed line)", *l->country ? " [" : "",
                rm_cli_safe(l->country), *l->country ? "]" : "");
    }
    fprintf(o, "countries:");
    if (r.ncountries == 0)
        fprintf(o, " (unknown: the rail layer has no COUNTRY field; see --countries)");
    for (size_t i = 0; i < r.ncountries; i++)
        fprintf(o, "%s %s", i ? "," : "", rm_cli_safe(r.countries[i]));
    fprintf(o, "\nbridged gaps: %zu\n", r.ngaps);
    for (size_t i = 0; i < r.ngaps; i++)
        fprintf(o, "  %8.1f km  from %.4f,%.4f to %.4f,%.4f\n", r.gap_km[i], r.gap_xy[4 * i],
                r.gap_xy[4 * i + 1], r.gap_xy[4 * i + 2], r.gap_xy[4 * i + 3]);
    if (geojson && strcmp(geojson, "-") != 0)
        fprintf(o, "GeoJSON written to %s\n", geojson);
    rc = 0;
done:
    rm_km_facts_free(kf);
    free(gj);
    rm_route_free(&r);
    rm_plan_net_free(net);
    rm_gazetteer_free(g);
    free(names);
    free(pl);
    free(stops);
out:
    free(vias);
    free(args);
    free(neg);
    return rc;
}
