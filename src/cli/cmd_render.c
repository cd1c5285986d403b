/* routemap CLI — render: one spec (or the built-in default map) to one
 * image. Flags override the spec; the library does all the work. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char render_usage[] =
    "usage: routemap render [SPEC.json] [options]\n"
    "\n"
    "Renders the map that SPEC.json describes (docs/spec.md; '-' reads it from\n"
    "stdin); without SPEC.json, the built-in default map\n"
    "(examples/kim-train-2023.json). Flags override the spec.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT        output file (default: the spec's output.path, else map.svg);\n"
    "                          '-' writes to stdout\n"
    "  -f, --format FMT        svg, pdf or png (default: from OUT's extension, else svg)\n"
    "      --preset P          page size preset: slide-16x9, slide-4x3, a4-landscape,\n"
    "                          a4-portrait, square, thumbnail (slides get larger type)\n"
    "      --size WxH          page size in pixels, e.g. 1920x1080 (at most 20000 a side)\n"
    "      --dpi N             resolution (default 96): more pixels, the same layout\n"
    "      --theme T           light, dark or print\n"
    "      --projection CRS    'auto', 'EPSG:n' or a PROJ string ('+proj=lcc ...')\n"
    "      --extent BOX        'auto' or minlon,minlat,maxlon,maxlat in degrees\n"
    "      --title T           the map's title ('' for none)\n"
    "      --data-dir DIR      where the spec's layer files are (default: the spec's\n"
    "                          data_dir, else the built-in data or $ROUTEMAP_DATA)\n"
    "      --transparent       no background fill\n"
    "      --layout FILE.json  also write the placed labels, markers and furniture boxes\n"
    "      --georef FILE.json  also write the map CRS, the map-to-page affine and the page\n"
    "                          position of every drawn place and route vertex\n"
    "      --full-precision    no simplification, full coordinate precision\n"
    "  -v, --verbose           report the output, timings and dropped labels on stderr\n"
    "  -q, --quiet             no warnings on stderr, only errors\n"
    "      --mode MODE         how every route is travelled: rail, road, river, sea or\n"
    "                          walk (its label: '1,234 km by road'; default: the\n"
    "                          route's mode, or its network's: rail.shp says rail)\n"
    "  -h, --help              this help\n"
    "\n"
    "Exit codes: 0 success, 1 the map could not be made (e.g. no route),\n"
    "2 bad usage or bad input (unknown option, missing file, invalid spec).\n";

enum {
    OPT_PRESET = 256,
    OPT_SIZE,
    OPT_DPI,
    OPT_THEME,
    OPT_PROJECTION,
    OPT_EXTENT,
    OPT_TITLE,
    OPT_DATA_DIR,
    OPT_TRANSPARENT,
    OPT_LAYOUT,
    OPT_GEOREF,
    OPT_FULL_PRECISION,
    OPT_MODE
};

static const struct option render_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"preset", required_argument, NULL, OPT_PRESET},
    {"size", required_argument, NULL, OPT_SIZE},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"theme", required_argument, NULL, OPT_THEME},
    {"projection", required_argument, NULL, OPT_PROJECTION},
    {"extent", required_argument, NULL, OPT_EXTENT},
    {"title", required_argument, NULL, OPT_TITLE},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"transparent", no_argument, NULL, OPT_TRANSPARENT},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"georef", required_argument, NULL, OPT_GEOREF},
    {"full-precision", no_argument, NULL, OPT_FULL_PRECISION},
    {"mode", required_argument, NULL, OPT_MODE},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Reports getopt's complaint about argv[optind - 1] as one line. */
void rm_cli_bad_option(const char *cmd, int c, int opt, char **argv)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";
    if (c == ':')
        rm_cli_error("%s: option '%s' needs a value (see 'routemap %s --help')", cmd, arg, cmd);
    else if (opt && strncmp(arg, "--", 2) != 0)
        rm_cli_error("%s: unknown option '-%c' (see 'routemap %s --help')", cmd, opt, cmd);
    else
        rm_cli_error("%s: unknown option '%s' (see 'routemap %s --help')", cmd, arg, cmd);
}

/* The spec from standard input ("routemap render -"); relative paths in it
 * resolve against the current directory. */
static rm_spec *read_stdin_spec(rm_error *err)
{
    const size_t cap = (size_t)16 * 1024 * 1024 + 1; /* the parser refuses more than 16 MB */
    size_t n = 0, size = 65536;
    char *buf = malloc(size);
    while (buf) {
        if (n == size) {
            if (size >= cap)
                break;
            char *nb = realloc(buf, size * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            size *= 2;
        }
        size_t got = fread(buf + n, 1, size - n, stdin);
        n += got;
        if (got == 0)
            break;
    }
    if (!buf) {
        rm_error_set(err, RM_ERR_NOMEM, "stdin: out of memory");
        return NULL;
    }
    if (ferror(stdin)) {
        free(buf);
        rm_error_set(err, RM_ERR_IO, "stdin: read error");
        return NULL;
    }
    rm_spec *s = rm_spec_parse_text(buf, n, "stdin", err);
    free(buf);
    return s;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int render_main(int argc, char **argv)
{
    rm_overrides o;
    memset(&o, 0, sizeof o);
    rm_render_options ro;
    memset(&ro, 0, sizeof ro);
    int verbose = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:f:qvh", render_options, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.output = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "svg") && strcmp(optarg, "pdf") && strcmp(optarg, "png")) {
                rm_cli_error("render: --format '%s': expected svg, pdf or png", optarg);
                return 2;
            }
            o.format = optarg;
            break;
        case OPT_PRESET:
            o.preset = optarg;
            break;
        case OPT_SIZE:
            if (rm_parse_size(optarg, &o.width, &o.height)) {
                rm_cli_error("render: --size '%s': expected WIDTHxHEIGHT in pixels, e.g. 1920x1080",
                             optarg);
                return 2;
            }
            o.has_size = 1;
            break;
        case OPT_DPI:
            if (rm_parse_number(optarg, &o.dpi) || o.dpi <= 0) {
                rm_cli_error("render: --dpi '%s': expected a positive number", optarg);
                return 2;
            }
            o.has_dpi = 1;
            break;
        case OPT_THEME:
            o.theme = optarg;
            break;
        case OPT_PROJECTION:
            o.projection = optarg;
            break;
        case OPT_EXTENT:
            if (rm_parse_extent(optarg, &o.extent_auto, o.extent)) {
                rm_cli_error(
                    "render: --extent '%s': expected 'auto' or minlon,minlat,maxlon,maxlat",
                    optarg);
                return 2;
            }
            o.has_extent = 1;
            break;
        case OPT_TITLE:
            o.title = optarg;
            break;
        case OPT_DATA_DIR:
            o.data_dir = optarg;
            break;
        case OPT_TRANSPARENT:
            o.transparent = 1;
            break;
        case OPT_LAYOUT:
            ro.layout_path = optarg;
            break;
        case OPT_GEOREF:
            ro.georef_path = optarg;
            break;
        case OPT_MODE:
            o.mode = optarg;
            break;
        case OPT_FULL_PRECISION:
            ro.full_precision = 1;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'q':
            rm_set_warning_handler(NULL, NULL); /* errors only */
            break;
        case 'h':
            fputs(render_usage, stdout);
            return 0;
        default:
            rm_cli_bad_option("render", c, optopt, argv);
            return 2;
        }
    }
    if (argc - optind > 1) {
        rm_cli_error("render: one spec at a time ('%s' is extra; use 'routemap batch' for many)",
                     argv[optind + 1]);
        return 2;
    }
    const char *spec_path = optind < argc ? argv[optind] : NULL;
    rm_error err;
    rm_error_clear(&err);
    double t0 = now_s();
    rm_spec *spec = !spec_path                ? rm_spec_default(&err)
                    : !strcmp(spec_path, "-") ? read_stdin_spec(&err)
                                              : rm_spec_parse_file(spec_path, &err);
    if (!spec) {
        rm_cli_error("%s", rm_cli_clean(err.message));
        return rm_status_exit_code(err.status);
    }
    rm_status st = rm_overrides_apply(spec, &o, &err);
    if (st) {
        rm_cli_error("%s", rm_cli_clean(err.message));
        rm_spec_free(spec);
        return rm_status_exit_code(st);
    }
    const char *out = rm_overrides_output(spec, &o, "map.svg");
    rm_format fmt = rm_overrides_format(spec, &o, out);
    if (verbose)
        ro.verbose = stderr;
    /* the spec file is an input too: -o spec.json must not replace it */
    const char *ins[1] = {spec_path && strcmp(spec_path, "-") ? spec_path : NULL};
    const char *outs[3] = {out, ro.layout_path, ro.georef_path};
    st = rm_check_outputs(spec, ins, 1, outs, 3, &err);
    if (!st)
        st = rm_render_file(spec, out, fmt, &ro, &err);
    if (st) {
        rm_spec_locate_error(spec, &err);
        rm_cli_error("%s", rm_cli_clean(err.message));
        rm_spec_free(spec);
        return rm_status_exit_code(st);
    }
    if (verbose)
        fprintf(stderr, "routemap: wrote %s (%s, %.0fx%.0f px) in %.3f s\n",
                strcmp(out, "-") ? out : "stdout",
                fmt == RM_FORMAT_PDF   ? "pdf"
                : fmt == RM_FORMAT_PNG ? "png"
                                       : "svg",
                spec->width, spec->height, now_s() - t0);
    rm_spec_free(spec);
    return 0;
}

int rm_cli_render(int argc, char **argv)
{
    int rc = render_main(argc, argv);
    rm_library_cleanup(); /* font caches: keeps leak checkers quiet */
    return rc;
}
