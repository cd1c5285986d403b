/* routemap — private declarations shared by the renderer's files
 * (src/render/, one file per job):
 *   render.c     the numbered steps of one map (rm_render_buffer)
 *   plan.c       places resolved, routes computed
 *   view.c       content box, projection, map area, affine
 *   path.c       lon/lat polyline -> clipped, projected, simplified path
 *   theme.c      colours and widths per theme
 *   text.c       pango layouts, text with a halo
 *   layers.c     base layers and country names
 *   routes.c     routes, gaps, arrows
 *   marks.c      markers, their symbols, flights, route detail
 *   labels.c     collision-free label placement
 *   furniture.c  where the furniture goes (corners), drawing it
 *   title.c, graticule.c, legend.c, scalebar.c, north.c, inset.c
 *   dump.c       layout and georeference JSON
 *   common.c     small helpers */
#ifndef ROUTEMAP_RENDER_PRIV_H
#define ROUTEMAP_RENDER_PRIV_H

#include <pango/pangocairo.h>
#include <stdio.h>

#include "canvas/canvas.h"
#include "routemap/geodata.h"
#include "routemap/geom.h"
#include "routemap/places.h"
#include "routemap/project.h"
#include "routemap/railnet.h"
#include "routemap/render.h"
#include "routemap/spec.h"

/* What a base layer is, by its id or file name: it decides the style. */
typedef enum rm_layer_role {
    ROLE_OTHER,
    ROLE_LAND,
    ROLE_COUNTRIES,
    ROLE_BORDERS,
    ROLE_COAST,
    ROLE_RAIL,
    ROLE_LAKES
} rm_layer_role;

/* An axis-aligned box on the page (px, y down). */
typedef struct rm_box {
    double x0, y0, x1, y1;
} rm_box;

static inline int rm_box_overlaps(const rm_box *a, const rm_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Colours and line widths of a theme (widths in px at font_scale 1). */
typedef struct rm_theme {
    rm_color paper; /* page around the map, title band */
    rm_color sea;   /* map background */
    rm_color land;
    rm_color country[4]; /* subtle tints for country fills */
    rm_color border;
    rm_color coast;
    rm_color rail;
    rm_color lake;
    rm_color graticule;
    rm_color text, text_muted, halo;
    rm_color route, casing, gap;
    rm_color flight;
    rm_color marker_fill, marker_stroke, marker_text;
    rm_color trip_fill;
    rm_color crossing;
    rm_color frame;
    rm_color legend_bg;
    double border_w, coast_w, rail_w, route_w;
    int grey; /* print theme: everything must read in greyscale */
    int dark; /* dark theme: light fills a spec gives are darkened */
} rm_theme;

/* Fills t with the named theme; returns -1 for an unknown name. */
int rm_theme_get(const char *name, rm_theme *t);

/* What a legend row shows. */
typedef enum rm_legend_kind {
    RM_LEG_ROUTE,
    RM_LEG_GAP,
    RM_LEG_FLIGHT,
    RM_LEG_LINE,
    RM_LEG_DASHED,
    RM_LEG_FILL,
    RM_LEG_ORIGIN,
    RM_LEG_DEST,
    RM_LEG_CROSSING,
    RM_LEG_CITY,
    RM_LEG_TRIP
} rm_legend_kind;

typedef struct rm_legend_item {
    rm_legend_kind kind;
    char text[256];
    rm_style style;  /* for lines and fills */
    char number[32]; /* for trips */
    char group[96];  /* for trips: the legend group the spec gives ("" none) */
} rm_legend_item;

/* A label waiting for (or after) placement. */
typedef struct rm_label {
    char *text;
    double ax, ay; /* anchor on the page */
    double r;      /* radius of the marker at the anchor */
    int priority;
    double size; /* font size px */
    int bold;
    /* results */
    int placed;
    rm_box box;    /* text box (page px) */
    int leader;    /* 1: drawn with a leader line to the anchor */
    int area;      /* 1: an area name (a country): centred on its anchor, quiet */
    double *along; /* a route's label: candidate points along the line (page px) */
    size_t nalong;
    rm_color color; /* route labels: drawn in the route's colour */
    double maxw;    /* area names: widest the label may be (px) */
    PangoLayout *layout;
} rm_label;

/* A resolved marker (one per spec marker), after clustering. */
typedef struct rm_mark {
    double lon, lat;
    double x, y; /* page px */
    int visible; /* inside the map area */
    char *label; /* text to draw (owned) */
    const char *kind;
    int priority;
    int nums[24]; /* trip numbers drawn at this place (clusters gather them) */
    int nnums;
    int synthetic; /* added for a route end that no marker names */
    int is_flight;
    int cluster;        /* index of the mark this one merged into, or -1 */
    int far;            /* left out of the main map's frame (far from the story) */
    int in_locator;     /* a far mark drawn in the locator inset, at (lx, ly) */
    double lx, ly;      /* page px in the locator inset */
    rm_box locator_box; /* its dot and name there */
    double r;           /* symbol radius px */
    rm_box box;         /* symbol box */
    const rm_marker_spec *spec;
} rm_mark;

/* A computed route on the page. */
typedef struct rm_rroute {
    rm_route route;
    const rm_route_spec *spec;
    char *from_name, *to_name;
    double from_ll[2], to_ll[2];
    rm_path page;  /* page px, clipped to the map area */
    int offset;    /* drawn beside another route on shared track */
    double *drawn; /* page px as drawn (offset), ndrawn points */
    size_t ndrawn;
    rm_color color; /* as drawn */
    double width;
    char *legend_text; /* its legend row */
    double rail_km;    /* the railway's km from the facts, NAN when unknown (distance.h) */
} rm_rroute;

/* A scale bar: its length in km and px, true at the centre latitude. */
typedef struct scalebar {
    double km, px, kmpp;
    double center_lat;
    double vary;     /* largest relative departure of scale across the map */
    int on_parallel; /* measured along a standard parallel (center_lat) */
} scalebar;

/* A marker symbol (symbols.c): the same for the map and the legend. */
typedef enum rm_sym_kind { RM_SYM_ORIGIN, RM_SYM_DEST, RM_SYM_CROSSING, RM_SYM_CITY } rm_sym_kind;
typedef struct rm_symbol {
    rm_sym_kind kind;
    double rad;     /* px: the radius the marker claims */
    rm_color route; /* the route's colour (origin ring, destination disc) */
    const rm_theme *th;
    rm_cv_cap cap; /* the caps of its outline */
    char id[96];
    rm_cv_symbol cv;
} rm_symbol;

typedef struct rm_render {
    const rm_spec *spec;
    const rm_render_options *opt;
    FILE *verbose;
    char data_dir[4096];
    rm_theme th;
    double W, H; /* page px */
    double fs;   /* font scale */
    rm_box map;  /* map area on the page */
    rm_proj *proj;
    rm_affine aff;
    rm_bbox frame;    /* map CRS box shown by the map area */
    rm_bbox frame_ll; /* lon/lat box read and clipped */
    rm_bbox content;  /* lon/lat content box */
    rm_canvas *cv;    /* where everything is drawn */
    PangoFontMap *fontmap;
    PangoContext *pctx;
    double simplify_px; /* tolerance, 0 = none */
    double round_grid;  /* coordinates rounded to 1/round_grid px (0: not rounded) */
    double simplify_ll; /* the same before projecting, in degrees (0 = none) */
    /* content */
    rm_rroute *routes;
    size_t nroutes;
    rm_mark *marks;
    size_t nmarks;
    size_t nfar; /* marks left out of the frame (rm_mark.far) */
    double origin_ll[2];
    int has_origin;
    /* obstacles for labels: marker boxes and furniture */
    rm_box *obst;
    size_t nobst, obst_cap;
    /* furniture boxes, named, for the layout dump */
    rm_box furn[16];
    const char *furn_name[16];
    size_t nfurn;
    /* labels */
    rm_label *labels;
    size_t nlabels, labels_cap;
    /* legend */
    rm_legend_item *legend;
    size_t nlegend, legend_cap;
    /* points the route passes on the page, for label costs */
    double *route_pts;
    size_t nroute_pts, route_pts_cap;
    int rail_drawn;
    /* graticule labels: placed at reservation, drawn with the furniture */
    struct {
        char text[16];
        rm_box box;
    } glab[64];
    size_t nglab;
    double grat_step; /* degrees, 0 when no graticule */
    /* furniture placement decided by rm_r_furniture_reserve */
    rm_box legend_box, scale_box, north_box, inset_box;
    char scale_note[160]; /* what the scale bar says about where it is true */
    int has_legend, has_scale, has_north, has_inset;
    int inset_detail;  /* the inset zooms on the route (the map spans a continent) */
    int in_inset;      /* drawing inside the inset: no legend rows, no area names */
    rm_bbox detail_ll; /* lon/lat box the detail inset shows */
    int legend_cols;
    /* scratch buffers reused by rm_r_path_lonlat */
    rm_path s1, s2;
    double *buf;
    size_t bufcap;
    double *ebuf; /* a part's points as emitted */
    size_t ebufcap;
    int oom; /* an allocation failed while drawing */
    /* credits for what is drawn (title.c composes the footer from them when
     * the spec gives no attribution): the shipped data by kind, and the
     * spec's per-layer attributions in drawing order */
    int credit_ne, credit_rail, credit_places;
    const char *credit_user[16];
    size_t ncredit_user;
} rm_render;

/* ---- render.c */
/* Makes the canvas for a map once its page is laid out (r's map area and
 * tolerances are set). */
typedef rm_canvas *(*rm_r_canvas_open)(const rm_render *r, void *arg, rm_error *err);
/* Draws spec through the canvas that open makes; *cvp is that canvas,
 * finished when RM_OK, for the caller to read and free (also on error).
 * fmt decides the rounding of coordinates as for that output. */
rm_status rm_r_render_to(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                         rm_r_canvas_open open, void *arg, rm_canvas **cvp, rm_error *err);

/* ---- common.c: small shared helpers */
/* Grows *p (of *cap elements of size bytes) to hold need; -1 when out of
 * memory. */
int rm_r_grow(void **p, size_t *cap, size_t need, size_t size);
int rm_r_add_obstacle(rm_render *r, rm_box b);
int rm_r_add_furniture(rm_render *r, const char *name, rm_box b);
char *rm_r_str_dup(const char *s);
int rm_r_join_path(char *out, size_t cap, const char *dir, const char *file);
/* 1 when path is a file of the data that ships with routemap (in the
 * built-in data directory), so that its credit is due. */
int rm_r_is_shipped(const char *path);
/* Notes a layer's own credit (the spec's text; kept once). */
void rm_r_credit_user(rm_render *r, const char *text);
size_t rm_r_compose_credits(const rm_render *r, char *out, size_t cap);
int rm_r_file_exists(const char *path);

/* ---- plan.c: the places and the routes */
int rm_r_kind_is(const char *kind, const char *what);
/* Step 1: resolves the spec's places and computes its routes. */
rm_status rm_r_plan(rm_render *r, rm_error *err);

/* ---- view.c: projection, affine, map area */
/* Step 2: the lon/lat box of the content (routes and markers, or the
 * spec's extent) and the projection chosen for it. */
rm_status rm_r_view_content(rm_render *r, rm_error *err);
/* Step 3: the map area on the page (inside the title band and footer) and
 * the affine that fits the content, or the spec's frame, into it; the
 * simplification tolerances for the format. */
rm_status rm_r_view_fit(rm_render *r, rm_format fmt, double dpi, rm_error *err);
/* Projects lon/lat points in place to page px. Returns failures. */
size_t rm_r_to_page(rm_render *r, double *xy, size_t n);
/* Page px -> lon/lat, in place. */
size_t rm_r_from_page(rm_render *r, double *xy, size_t n);

/* ---- path.c: the geometry pipeline */
/* Adds a lon/lat polyline to the canvas path: densified, clipped to the
 * frame's lon/lat box, projected, simplified, clipped to the map area. */
int rm_r_path_lonlat(rm_render *r, const double *ll, size_t n, int closed);

/* ---- theme.c: colours of a theme; a spec's colours in a dark theme */
rm_color rm_r_themed(const rm_render *r, rm_color c);
rm_color rm_r_themed_as(const rm_render *r, rm_color c, int is_fill);

/* ---- text.c: pango */
/* Opens the thread's pango font map and a context with the map's font
 * options. */
rm_status rm_r_fonts_open(rm_render *r, rm_error *err);
PangoLayout *rm_r_layout(rm_render *r, const char *text, double size_px, int bold);
void rm_r_layout_size(PangoLayout *l, double *w, double *h);
/* Draws a layout with its top-left at x,y with a halo of halo_w px. */
void rm_r_draw_text(rm_render *r, PangoLayout *l, double x, double y, const rm_color *fg,
                    const rm_color *halo, double halo_w);

/* ---- layers.c: base layers */
/* The shapefile a locator inset takes its land from. */
int rm_r_land_file(const rm_render *r, char *out, size_t cap);
/* Draws every layer of the spec with the current projection and area. */
rm_status rm_r_draw_layers(rm_render *r, rm_error *err);
/* The line a style strokes (colour with its opacity, width, dash), with
 * the given caps and joins. */
rm_cv_line rm_r_style_line(const rm_style *s, rm_cv_cap cap, rm_cv_join join);

/* ---- routes.c */
rm_style rm_r_route_style(const rm_render *r, const rm_route_spec *rs);
void rm_r_arrow(rm_canvas *cv, double x, double y, double dx, double dy, double size);
rm_status rm_r_draw_routes(rm_render *r, rm_error *err);

/* ---- marks.c: markers and their symbols */
void rm_r_layout_marks(rm_render *r);
void rm_r_draw_flights(rm_render *r);
void rm_r_draw_marks(rm_render *r);
void rm_r_add_mark_labels(rm_render *r);
/* After the furniture: warns (rm_warn, and -v) naming every place that is
 * neither a symbol on the map, nor merged into one, nor in the locator. */
void rm_r_report_lost(rm_render *r);
/* Routes and the route-end/crossing symbols and names (for the detail
 * inset); label_boxes collects the names written. */
void rm_r_draw_route_detail(rm_render *r, rm_box *label_boxes, size_t *nlabel_boxes, size_t cap);

/* ---- symbols.c */
void rm_r_symbol_init(rm_symbol *s, const rm_render *r, rm_sym_kind kind, double rad,
                      const rm_color *route, rm_cv_cap cap);
void rm_r_symbol_use(rm_render *r, const rm_symbol *s, double x, double y);

/* ---- labels.c */
int rm_r_label_add(rm_render *r, const char *text, double ax, double ay, double radius,
                   int priority, double size, int bold);
/* A route's label, placed beside the line at one of n points along it
 * (pts: page px, in order), as near the middle as room allows. */
int rm_r_label_add_along(rm_render *r, const char *text, const double *pts, size_t n, int priority,
                         double size, rm_color color);
/* An area name (country) centred at (ax, ay): spaced capitals, quiet colour. */
int rm_r_label_add_area(rm_render *r, const char *text, double ax, double ay, double maxw,
                        int priority, double size);
void rm_r_labels_place(rm_render *r);
void rm_r_labels_draw(rm_render *r);
void rm_r_labels_free(rm_render *r);

/* ---- furniture.c: placing and drawing the furniture */
/* Places furniture (legend, scale bar, north arrow, inset) as obstacles
 * before labels, then draws it. */
void rm_r_furniture_reserve(rm_render *r);
void rm_r_draw_furniture(rm_render *r);
void rm_r_panel(rm_render *r, const rm_box *b);
void rm_r_rounded_rect(rm_canvas *cv, const rm_box *b, double rad);

/* ---- title.c */
/* Title band height and footer height for the page. */
void rm_r_page_bands(rm_render *r, double *top, double *bottom);
void rm_r_draw_title(rm_render *r);

/* ---- graticule.c */
void rm_r_draw_graticule(rm_render *r);
void rm_r_reserve_graticule_labels(rm_render *r);
void rm_r_deg_text(char *out, size_t cap, double v, int is_lon);

/* ---- legend.c, scalebar.c, north.c, inset.c */
int rm_r_legend_add(rm_render *r, rm_legend_kind kind, const char *text, const rm_style *style,
                    const char *number);
void rm_r_legend_measure(rm_render *r, double *w, double *h, int *cols);
void rm_r_draw_legend(rm_render *r);
int rm_r_scalebar_compute(rm_render *r, scalebar *sb);
void rm_r_scalebar_note(const rm_render *r, const scalebar *sb, char *out, size_t cap);
void rm_r_draw_scalebar(rm_render *r);
void rm_r_draw_north(rm_render *r);
void rm_r_draw_inset(rm_render *r);
void rm_r_draw_detail_inset(rm_render *r);

/* ---- dump.c: the layout and georeference JSON */
rm_status rm_r_write_layout(rm_render *r, const char *path, rm_error *err);
rm_status rm_r_write_georef(rm_render *r, const char *path, rm_error *err);

#endif
