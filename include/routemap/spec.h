/* routemap — the map spec: one JSON document that states everything a map
 * shows. rm_spec_parse fills an rm_spec (defaults first, then the document);
 * the CLI may override fields afterwards; the renderer reads it.
 * docs/spec.md documents every key. */
#ifndef ROUTEMAP_SPEC_H
#define ROUTEMAP_SPEC_H

#include <stddef.h>
#include "routemap/error.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_color {
    double r, g, b, a; /* 0..1 */
} rm_color;

typedef struct rm_style {
    rm_color stroke;
    rm_color fill;  /* a = 0: no fill */
    double width;   /* px */
    double dash[8]; /* px; ndash = 0: solid */
    int ndash;
    double opacity; /* 1 = opaque */
    unsigned set;   /* RM_STYLE_* bits: the fields the spec gave (others are defaults
                     * that a renderer may replace with its theme's) */
} rm_style;

#define RM_STYLE_STROKE 1u
#define RM_STYLE_FILL 2u
#define RM_STYLE_WIDTH 4u
#define RM_STYLE_DASH 8u
#define RM_STYLE_OPACITY 16u

typedef enum rm_layer_kind {
    RM_LAYER_AUTO = 0, /* from the shapefile's geometry type */
    RM_LAYER_FILL,     /* polygons, filled (and stroked when stroke.a > 0) */
    RM_LAYER_LINE,     /* lines (or polygon outlines) */
    RM_LAYER_POINT     /* points as markers */
} rm_layer_kind;

typedef struct rm_layer_spec {
    char *id;   /* legend name and key, e.g. "rail" */
    char *file; /* shapefile path; relative paths resolve against data_dir */
    rm_layer_kind kind;
    rm_style style;
    char *filter_field; /* keep features whose field equals one of filter_values */
    char **filter_values;
    size_t nfilter_values;
    char *legend; /* legend label (NULL: not in the legend) */
    /* the CRS of the file's coordinates ("EPSG:32614", a PROJ string or WKT):
     * used when the file has no .prj, checked against the .prj when it has
     * one; NULL: the .prj, or lon/lat WGS 84 when there is none */
    char *crs;
    char *attribution; /* credit for this layer's data, shown when it is drawn (or NULL) */
} rm_layer_spec;

typedef struct rm_route_spec {
    char *from, *to; /* place name, alias or "lon,lat" */
    char **via;
    size_t nvia;
    char *rail_file;   /* NULL: the spec's rail layer (data_dir/rail.shp) */
    double max_gap_km; /* default 5 */
    rm_style style;
    char *label;         /* legend label, e.g. "Likely route, 2023" */
    int arrows;          /* direction arrows (default 1) */
    int main_lines;      /* 1: prefer main lines and avoid needless border crossings
                            (RM_WEIGHT_MAIN); 0 (default): the shortest path */
    int no_distance;     /* 1: no distance text beside the route and in its legend row */
    char *distance_text; /* the distance text to show instead of the computed one (or NULL) */
    /* how the route is travelled: "rail", "road", "river", "sea" or "walk"
     * (its label says "by road" ...); NULL: from the network's file name
     * (rail.shp says rail; a name with road, river, sea, ferry, path or
     * walk says so), else no mode is named */
    char *mode;
} rm_route_spec;

typedef struct rm_marker_spec {
    char *label; /* text drawn; NULL: the place name */
    char *place; /* name, alias or "lon,lat"; NULL when has_lonlat */
    double lon, lat;
    int has_lonlat;
    char *kind;   /* "origin", "destination", "crossing", "trip", "city" ... */
    char *date;   /* for trips, shown in the legend, e.g. "2019-04" */
    int number;   /* > 0: drawn as a numbered marker */
    int priority; /* labels are placed in decreasing priority */
    char *group;  /* legend group, e.g. "Earlier trips" */
    char *mode;   /* how the trip was made: "train", "plane", "car" ... (or NULL) */
} rm_marker_spec;

typedef struct rm_spec {
    /* page */
    /* "slide-16x9", "slide-4x3", "a4-landscape", "a4-portrait", "square",
     * "thumbnail" or NULL */
    char *preset;
    double width, height; /* px (for presets: the preset's size at dpi) */
    double dpi;           /* for PNG/PDF physical size; default 96 */
    char *theme;          /* "light" (default), "dark", "print" */
    int transparent;      /* no background fill */
    /* geography */
    char *projection; /* PROJ string, "EPSG:n" or "auto" (default) */
    int extent_auto;  /* 1: fit the content (default) */
    /* lon/lat box minlon, minlat, maxlon, maxlat when !extent_auto; a box
     * across the antimeridian has maxlon > 180 (given as [160, 55, -150, 72],
     * kept as [160, 55, 210, 72]: rm_extent_maxlon) */
    double extent[4];
    double margin;  /* fraction of the map area around the content (default 0.06) */
    char *data_dir; /* where relative layer files resolve; NULL: the built-in data */
    /* content */
    rm_layer_spec *layers;
    size_t nlayers;
    rm_route_spec *routes;
    size_t nroutes;
    rm_marker_spec *markers;
    size_t nmarkers;
    char *markers_file;        /* CSV, GeoJSON or a point shapefile; rm_spec_parse_*
                                * read it and append its entries to markers (so a renderer
                                * need not read it again); relative to the spec file's directory */
    char *markers_label_field; /* for a point shapefile as markers_file: the field that labels
                                * its markers ("label_field"; NULL: NAME or the like) */
    /* text and furniture */
    char *title, *subtitle, *attribution;
    int legend, scale_bar, graticule, north_arrow, inset; /* 1 on, 0 off */
    int bilingual;     /* labels "Vladivostok · Владивосток" */
    double font_scale; /* 1 = default sizes */
    /* output */
    char *output; /* path or "-" for stdout; NULL: decided by the caller */
    char *format; /* "svg", "pdf", "png" or NULL (from the output's extension) */
    /* added for exact frames (benchmarks, maps matched to other tools) */
    int has_frame;      /* 1: frame[] is the map CRS box the page shows (needs a projection
                         * other than "auto"); the map then fills the page edge to edge */
    double frame[4];    /* minx, miny, maxx, maxy in map CRS units (metres for most CRSs) */
    int has_background; /* 1: background replaces the theme's sea/background colour */
    rm_color background;
    /* where the spec was parsed from (NULL when made in code): the name
     * given to the parser and a copy of the text, so that errors found
     * later can say FILE:LINE:COL (rm_spec_locate_error) */
    char *source_name, *source_text;
    size_t source_len;
} rm_spec;

/* A spec with the defaults and no content. */
rm_spec *rm_spec_new(void);
/* The built-in default map (the same as examples/kim-train-2023.json). */
rm_spec *rm_spec_default(rm_error *err);
/* Parses a JSON file (path) or text (when path is NULL, text holds the
 * document and name names it in errors). Errors name the file,
 * line:column and key path, and suggest the closest valid key. */
rm_spec *rm_spec_parse_file(const char *path, rm_error *err);
rm_spec *rm_spec_parse_text(const char *text, size_t len, const char *name, rm_error *err);
/* Like rm_spec_parse_text, with relative data_dir and markers_file resolving
 * against base_dir (NULL or "": the current directory). */
rm_spec *rm_spec_parse_text_at(const char *text, size_t len, const char *name, const char *base_dir,
                               rm_error *err);
void rm_spec_free(rm_spec *spec);
/* When err is an error about a marker's or a route's place ("marker N: ..."
 * or "route N: unknown place 'X'..." from rendering), and spec was parsed
 * from text, rewrites it as "FILE:LINE:COL: routes[N-1].to: unknown place
 * 'X'...", pointing at the value in the spec. Otherwise leaves err alone. */
void rm_spec_locate_error(const rm_spec *spec, rm_error *err);

/* The mode of a route: rs->mode, else guessed from its network file (see
 * rm_route_spec.mode); "rail" for the built-in network; NULL when unknown. */
const char *rm_route_mode(const rm_route_spec *rs);
/* "by rail", "by road", "by river", "by sea", "on foot" for a mode (NULL or
 * unknown: ""). */
const char *rm_mode_phrase(const char *mode);
/* The modes known, comma-separated. */
const char *rm_mode_names(void);

/* Names of the size presets, comma-separated ("slide-16x9, slide-4x3, ..."). */
const char *rm_spec_preset_names(void);

/* Applies a size preset by name; RM_ERR_SPEC for an unknown one. The page
 * becomes the preset's size (CSS px, or mm for paper) in pixels at the spec's
 * dpi. The slides have their true size and their own dpi, used when the
 * spec's dpi is the default 96: slide-16x9 is 13.333 x 7.5 in, 1920 x 1080
 * px at 144 dpi (2560 x 1440 at 192); slide-4x3 is 10 x 7.5 in, 1600 x 1200
 * px at 160 dpi. */
rm_status rm_spec_apply_preset(rm_spec *spec, const char *preset, rm_error *err);
/* The maxlon to store for a box given as minlon .. maxlon: maxlon + 360 when
 * maxlon < minlon (the box crosses the antimeridian), else maxlon. */
double rm_extent_maxlon(double minlon, double maxlon);

/* The type scale of the spec's medium (its size preset): for the slide
 * presets, whose labels must read when projected, 16/15 on the 16:9 slide
 * (1280 CSS px wide: labels >= 17 px at 1920 x 1080) and 0.96 on the 4:3,
 * 1 for paper, square and thumbnail pages and for a page given in pixels.
 * The renderer multiplies labels.font_scale by it. */
double rm_spec_type_scale(const rm_spec *spec);

/* Checks the whole spec (sizes, theme, formats ...). */
rm_status rm_spec_validate(const rm_spec *spec, rm_error *err);

/* Parses a colour "#rrggbb", "#rrggbbaa" or "none" (transparent); 0 or -1. */
int rm_color_parse(const char *s, rm_color *out);

/* Allocation helpers for callers that edit a spec (strings are strdup'ed). */
int rm_spec_set_string(char **field, const char *value);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
