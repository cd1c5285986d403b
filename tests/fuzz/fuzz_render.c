/* libFuzzer target: drawing (issue 19). The input is not a file format but
 * a stream of choices from which a VALID map is built: a random shapefile
 * layer (points, lines or polygons, degenerate ones included: repeated
 * vertices, zero-length lines, collinear rings, points on the poles and the
 * antimeridian), a spec with a random page size, dpi, format, theme,
 * projection, extent or projected frame (down to a fraction of a millimetre
 * and up to the whole range), margin, font scale, furniture, title, markers
 * and routes on that layer or on the shipped rail network. The spec goes
 * through rm_spec_parse_text and rm_render_buffer. Checks:
 *
 *   - ASan/UBSan (the build); every valid spec must be drawn in bounded
 *     time: at most ROUTEMAP_FUZZ_CPU_LIMIT seconds of CPU (default 10,
 *     under ASan) per input, and libFuzzer's wall-clock -timeout for a hang;
 *   - a failure carries a one-line message (fz_check_message);
 *   - a success gives non-empty output of the format asked for;
 *   - bad arguments at the entry point (a format out of the enum, dpi or
 *     sizes that rm_spec_validate refuses, set on the parsed spec) give an
 *     error, never output.
 *
 * ROUTEMAP_FUZZ_VERBOSE=1 prints each spec on stderr (to replay by hand). */
#include <math.h>
#include <shapefil.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "routemap/cleanup.h"
#include "routemap/render.h"
#include "routemap/spec.h"
#include "common.h"

/* fontconfig's once-per-process configuration block (see src/render/,
 * whose own suppression is compiled only where __SANITIZE_ADDRESS__ is
 * defined, which clang 14 does not do); and cairo's own blocks: cairo 1.16's
 * PDF backend loses a 768-byte block inside cairo_surface_finish on some
 * pages (found by this target: a 16x16 px page at 10 dpi with a 190 px
 * dashed stroke, after the renderer destroyed the surface). cairo is built
 * without frame pointers, so the fast unwinder stops inside it and a
 * narrower suppression cannot match (the slow one makes each input 100x
 * slower). The ctest suites keep checking routemap's use of cairo for leaks. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:libcairo.so\n";
}

typedef struct {
    const uint8_t *p;
    size_t n;
} src;

static unsigned u8(src *s)
{
    if (!s->n)
        return 0;
    s->n--;
    return *s->p++;
}

static unsigned u16(src *s)
{
    return u8(s) | u8(s) << 8;
}

static unsigned pick(src *s, unsigned n)
{
    return n ? u8(s) % n : 0;
}

/* lo..hi, with the ends and a few special values more likely */
static double num(src *s, double lo, double hi)
{
    unsigned k = u8(s);
    if (k < 16)
        return lo;
    if (k < 32)
        return hi;
    double t = u16(s) / 65535.0;
    if (k < 64) /* very close to lo: tiny spans */
        return lo + (hi - lo) * t * 1e-9;
    return lo + (hi - lo) * t;
}

/* Appends printf output to the spec buffer. */
static char spec[65536];
static size_t slen;
static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(spec + slen, sizeof spec - slen, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof spec - slen)
        slen += (size_t)n;
}

/* A JSON string of up to max pieces: ASCII, Latin, Cyrillic, Hangul, CJK,
 * emoji, combining marks, right-to-left text, escapes. */
static void put_text(src *s, unsigned max)
{
    static const char *const pieces[] = {"a",           "Z",    " ",    "Vladivostok", "é",
                                         "Владивосток", "평양", "東京", "😀",           "e\xcc\x81",
                                         "שלום",        "\\\"", "\\n",  "\\t",         "%s",
                                         "&amp;",       "<g>",  "→",    "   ",         "\\u00ad"};
    unsigned n = pick(s, max + 1);
    put("\"");
    for (unsigned i = 0; i < n; i++)
        put("%s", pieces[pick(s, sizeof pieces / sizeof pieces[0])]);
    put("\"");
}

static const char *const projections[] = {
    "auto",
    "EPSG:3857",
    "EPSG:4326",
    "+proj=lcc +lat_1=30 +lat_2=50 +lat_0=40 +lon_0=125 +datum=WGS84",
    "+proj=ortho +lat_0=40 +lon_0=126 +datum=WGS84",
    "+proj=stere +lat_0=90 +lon_0=0 +datum=WGS84",
    "+proj=laea +lat_0=-90 +lon_0=0 +datum=WGS84",
    "+proj=merc +lon_0=180 +datum=WGS84",
    "+proj=tmerc +lon_0=129 +k=0.9996 +datum=WGS84",
    "+proj=robin +lon_0=0 +datum=WGS84",
    "EPSG:32652",
};

/* Where the random layer goes: the scratch directory, or with
 * ROUTEMAP_FUZZ_SAVE=DIR that folder (with the spec as DIR/spec.json), to
 * replay an input with the CLI. */
static const char *lay_base(void)
{
    static char p[600];
    const char *save = getenv("ROUTEMAP_FUZZ_SAVE");
    if (!save)
        return fz_path("lay");
    snprintf(p, sizeof p, "%s/lay", save);
    return p;
}

/* A random layer in the scratch directory: returns its shape type. */
static int write_layer(src *s, double cx, double cy, double spread)
{
    static const int types[] = {SHPT_POINT, SHPT_ARC, SHPT_POLYGON, SHPT_MULTIPOINT};
    int type = types[pick(s, 4)];
    SHPHandle shp = SHPCreate(lay_base(), type);
    DBFHandle dbf = DBFCreate(lay_base());
    if (!shp || !dbf) {
        if (shp)
            SHPClose(shp);
        if (dbf)
            DBFClose(dbf);
        return -1;
    }
    DBFAddField(dbf, "name", FTString, 32, 0);
    unsigned nrec = 1 + pick(s, 8);
    for (unsigned r = 0; r < nrec; r++) {
        double x[64], y[64];
        int starts[4] = {0, 0, 0, 0};
        unsigned nparts = type == SHPT_POINT || type == SHPT_MULTIPOINT ? 1 : 1 + pick(s, 3);
        unsigned nv = 0;
        for (unsigned p = 0; p < nparts; p++) {
            starts[p] = (int)nv;
            unsigned k = type == SHPT_POINT ? 1 : 1 + pick(s, 16);
            if (type == SHPT_ARC && k < 2)
                k = 2;
            if (type == SHPT_POLYGON && k < 3)
                k = 3;
            double px = cx, py = cy;
            for (unsigned i = 0; i < k && nv < 63; i++) {
                unsigned mode = pick(s, 8);
                if (mode == 0) { /* repeat: zero-length pieces */
                } else if (mode == 1) {
                    px = num(s, -180, 180);
                    py = num(s, -90, 90);
                } else {
                    px += (u8(s) - 127.5) / 127.5 * spread;
                    py += (u8(s) - 127.5) / 127.5 * spread;
                }
                px = fmin(180, fmax(-180, px));
                py = fmin(90, fmax(-90, py));
                x[nv] = px;
                y[nv] = py;
                nv++;
            }
            if (type == SHPT_POLYGON && nv < 64) { /* closed ring */
                x[nv] = x[starts[p]];
                y[nv] = y[starts[p]];
                nv++;
            }
        }
        SHPObject *o = SHPCreateObject(type, -1, type == SHPT_POINT ? 0 : (int)nparts, starts, NULL,
                                       (int)nv, x, y, NULL, NULL);
        if (o) {
            SHPWriteObject(shp, -1, o);
            SHPDestroyObject(o);
        }
        DBFWriteStringAttribute(dbf, (int)r, 0, r % 2 ? "Пхеньян" : "stop");
    }
    SHPClose(shp);
    DBFClose(dbf);
    return type;
}

static void check_output(const unsigned char *data, size_t len, rm_format fmt)
{
    if (!data || len < 8)
        __builtin_trap(); /* success without output */
    if (fmt == RM_FORMAT_PDF && memcmp(data, "%PDF", 4))
        __builtin_trap();
    if (fmt == RM_FORMAT_PNG && memcmp(data, "\x89PNG", 4))
        __builtin_trap();
    if (fmt == RM_FORMAT_SVG && memcmp(data, "<?xml", 5) && memcmp(data, "<svg", 4))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int verbose = -1;
    if (verbose < 0) {
        verbose = getenv("ROUTEMAP_FUZZ_VERBOSE") && atoi(getenv("ROUTEMAP_FUZZ_VERBOSE"));
        setenv("ROUTEMAP_CACHE", "off", 1); /* layers are rewritten in place */
        atexit(rm_library_cleanup);         /* the font caches, for LeakSanitizer */
    }
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    src in = {data, size};
    src *s = &in;
    slen = 0;

    double cx = num(s, -180, 180), cy = num(s, -89, 89);
    double spread = pow(10, -8 + pick(s, 11)); /* 1e-8 .. 100 degrees per step */
    int type = write_layer(s, cx, cy, spread);
    if (type < 0)
        return 0;

    static const char *const fmts[] = {"svg", "pdf", "png"};
    rm_format fmt = (rm_format)(1 + pick(s, 3));
    unsigned w = 16 + pick(s, 4) * 100 + u8(s), h = 16 + pick(s, 4) * 100 + u8(s);
    double dpi = num(s, 10, 2400);
    if (fmt == RM_FORMAT_PNG && dpi > 300) /* keep PNG pages small enough to be quick */
        dpi = 300;
    put("{\"size\": {\"width\": %u, \"height\": %u, \"dpi\": %.17g}", w, h, dpi);
    put(", \"output\": {\"format\": \"%s\"}", fmts[fmt - 1]);
    static const char *const themes[] = {"light", "dark", "print"};
    put(", \"theme\": \"%s\"", themes[pick(s, 3)]);
    if (u8(s) & 1)
        put(", \"transparent\": true");
    unsigned pj = pick(s, sizeof projections / sizeof projections[0]);
    put(", \"projection\": \"%s\"", projections[pj]);
    unsigned framing = pick(s, 3);
    if (framing == 1) {
        double x0 = num(s, -180, 179.9), y0 = num(s, -90, 89.9);
        double x1 = x0 + num(s, 1e-9, 180 - x0), y1 = y0 + num(s, 1e-9, 90 - y0);
        if (x1 > x0 && y1 > y0 && x1 <= 180 && y1 <= 90)
            put(", \"extent\": [%.17g, %.17g, %.17g, %.17g]", x0, y0, x1, y1);
    } else if (framing == 2 && pj != 0) {
        double x0 = num(s, -2e7, 2e7), y0 = num(s, -2e7, 2e7);
        double wm = pow(10, -4 + pick(s, 13)) * (1 + u8(s) / 64.0); /* 0.1 mm .. 1e8 m */
        double hm = u8(s) & 1 ? wm * h / w : pow(10, -4 + pick(s, 13));
        put(", \"frame\": [%.17g, %.17g, %.17g, %.17g]", x0, y0, x0 + wm, y0 + hm);
    }
    put(", \"margin\": %.17g", num(s, 0, 0.45));
    put(", \"labels\": {\"font_scale\": %.17g, \"bilingual\": %s}", num(s, 0.25, 4),
        u8(s) & 1 ? "true" : "false");
    unsigned furn = u8(s);
    put(", \"furniture\": {\"legend\": %s, \"scale_bar\": %s, \"graticule\": %s, "
        "\"north_arrow\": %s, \"inset\": %s}",
        furn & 1 ? "true" : "false", furn & 2 ? "true" : "false", furn & 4 ? "true" : "false",
        furn & 8 ? "true" : "false", furn & 16 ? "true" : "false");
    if (u8(s) & 1) {
        put(", \"title\": ");
        put_text(s, 12);
    }
    if (u8(s) & 1) {
        put(", \"subtitle\": ");
        put_text(s, 20);
    }
    static const char *const kinds[] = {"fill", "line", "point", "auto"};
    put(", \"layers\": [");
    if (u8(s) % 8 == 0)
        put("{\"file\": \"land.shp\"}, ");
    put("{\"file\": \"%s.shp\", \"kind\": \"%s\", \"legend\": \"random\", \"style\": {\"width\": "
        "%.17g, \"dash\": [%.17g, %.17g], \"opacity\": %.17g}}",
        lay_base(), kinds[pick(s, 4)], num(s, 0, 200), num(s, 0, 1000), num(s, 0, 1000),
        num(s, 0, 1));
    if (u8(s) % 4 == 0)
        put(", {\"file\": \"rail.shp\"}");
    put("]");
    unsigned nroutes = pick(s, 3);
    if (nroutes) {
        put(", \"routes\": [");
        for (unsigned i = 0; i < nroutes; i++) {
            int ours = type == SHPT_ARC && (u8(s) & 3);
            if (ours) {
                put("%s{\"from\": \"%.9f,%.9f\", \"to\": \"%.9f,%.9f\", \"rail\": \"%s.shp\", "
                    "\"max_gap_km\": %.17g, \"arrows\": %s, \"style\": {\"width\": %.17g}}",
                    i ? ", " : "", cx, cy, fmin(180, fmax(-180, cx + (u8(s) - 128) * spread)),
                    fmin(90, fmax(-90, cy + (u8(s) - 128) * spread)), lay_base(), num(s, 0, 1000),
                    u8(s) & 1 ? "true" : "false", num(s, 0, 200));
            } else {
                static const char *const places[] = {"Pyongyang", "Vladivostok", "Tumangang",
                                                     "Khasan", "Ussuriysk"};
                put("%s{\"from\": \"%s\", \"to\": \"%s\", \"max_gap_km\": %.17g}", i ? ", " : "",
                    places[pick(s, 5)], places[pick(s, 5)], num(s, 0, 1000));
            }
        }
        put("]");
    }
    unsigned nmark = pick(s, 6);
    if (nmark) {
        static const char *const mk[] = {"origin", "destination", "crossing",
                                         "trip",   "city",        "place"};
        put(", \"markers\": [");
        for (unsigned i = 0; i < nmark; i++) {
            double lon = u8(s) & 1 ? cx + (u8(s) - 128) * spread : num(s, -180, 180);
            double lat = u8(s) & 1 ? cy + (u8(s) - 128) * spread : num(s, -90, 90);
            put("%s{\"lon\": %.17g, \"lat\": %.17g, \"kind\": \"%s\", \"number\": %u, \"label\": ",
                i ? ", " : "", fmin(180, fmax(-180, lon)), fmin(90, fmax(-90, lat)), mk[pick(s, 6)],
                pick(s, 3) ? 0 : u16(s) % 10000);
            put_text(s, 6);
            put("}");
        }
        put("]");
    }
    put("}");
    if (slen >= sizeof spec - 1)
        return 0;
    if (verbose)
        fprintf(stderr, "spec: %s\n", spec);
    if (getenv("ROUTEMAP_FUZZ_SAVE")) {
        char sp[600];
        snprintf(sp, sizeof sp, "%s/spec.json", getenv("ROUTEMAP_FUZZ_SAVE"));
        FILE *f = fopen(sp, "w");
        if (f) {
            fputs(spec, f);
            fclose(f);
        }
    }

    rm_error err;
    rm_error_clear(&err);
    rm_spec *sp = rm_spec_parse_text(spec, slen, "fuzz.json", &err);
    if (!sp) {
        fz_check_message(&err); /* built to be valid, but may break a limit */
        return 0;
    }
    free(sp->data_dir);
    sp->data_dir = strdup(RM_SOURCE_DIR "/data/shapefiles");

    unsigned char *out = NULL;
    size_t len = 0;
    /* bad arguments at the entry point: refused, with a message, no output */
    unsigned bad = u8(s);
    if (bad < 24) {
        rm_format badfmt = bad < 8 ? (rm_format)99 : RM_FORMAT_SVG;
        double keep_dpi = sp->dpi, keep_w = sp->width;
        if (bad >= 8 && bad < 16)
            sp->dpi = bad & 1 ? 1e-300 : NAN;
        if (bad >= 16)
            sp->width = bad & 1 ? 1e300 : NAN;
        rm_error_clear(&err);
        if (rm_render_buffer(sp, badfmt, NULL, &out, &len, &err) == RM_OK || out || len)
            __builtin_trap(); /* a bad argument was drawn */
        fz_check_message(&err);
        sp->dpi = keep_dpi;
        sp->width = keep_w;
    }

    rm_error_clear(&err);
    if (rm_render_buffer(sp, fmt, NULL, &out, &len, &err) == RM_OK) {
        check_output(out, len, fmt);
        free(out);
    } else {
        if (out)
            __builtin_trap();
        fz_check_message(&err);
    }
    rm_spec_free(sp);
    /* the time bound: CPU seconds, which a loaded machine does not inflate
     * (libFuzzer's -timeout is wall-clock time: keep it as the hang guard) */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    static double limit = -1;
    if (limit < 0)
        limit = getenv("ROUTEMAP_FUZZ_CPU_LIMIT") ? atof(getenv("ROUTEMAP_FUZZ_CPU_LIMIT")) : 10;
    if (limit > 0 && cpu > limit) {
        fprintf(stderr, "fuzz_render: %.1f s of CPU (limit %.0f) for: %s\n", cpu, limit, spec);
        __builtin_trap();
    }
    return 0;
}
