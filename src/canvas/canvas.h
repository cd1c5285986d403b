/* routemap — the drawing interface under the renderer.
 *
 * What to draw is the renderer's business (src/render/); how a format draws
 * it is a back-end's. Between them stands this table of operations, in the
 * manner of cairo's surface backends or MapServer's renderer vtable: groups
 * with a role and an id, a path built by moves, lines and arcs, fill,
 * stroke with a line style, clips pushed and popped, text runs, symbols
 * defined once and used at many places, and finish. No geography, no spec.
 *
 * Back-ends: canvas_cairo.c (PNG, PDF and cairo's SVG) and canvas_record.c
 * (a list of the operations that tests read). Coordinates are page pixels
 * (CSS px, y down). A canvas is used by one thread at a time. */
#ifndef ROUTEMAP_CANVAS_H
#define ROUTEMAP_CANVAS_H

#include <pango/pango.h>
#include <stddef.h>

#include "routemap/error.h"
#include "routemap/spec.h"

/* What a group of drawing is, for the back-ends that keep groups (SVG
 * layers, the recording of tests). */
typedef enum rm_cv_role {
    RM_CV_PAGE,      /* paper */
    RM_CV_MAP,       /* the map area (clipped) */
    RM_CV_LAYER,     /* one base layer; id: the layer's id */
    RM_CV_GRATICULE, /* graticule lines */
    RM_CV_ROUTES,    /* routes, gaps, arrows */
    RM_CV_FLIGHTS,   /* flight arcs */
    RM_CV_MARKERS,   /* marker symbols */
    RM_CV_FRAME,     /* the frame around the map */
    RM_CV_LABELS,    /* placed labels */
    RM_CV_LEGEND,
    RM_CV_SCALEBAR,
    RM_CV_NORTH,
    RM_CV_INSET,
    RM_CV_TITLE, /* title band and footer */
    RM_CV_ROLE_COUNT
} rm_cv_role;

/* The name of a role ("layer", "legend", ...). */
const char *rm_cv_role_name(rm_cv_role role);

typedef enum rm_cv_cap { RM_CV_CAP_BUTT, RM_CV_CAP_ROUND, RM_CV_CAP_SQUARE } rm_cv_cap;
typedef enum rm_cv_join { RM_CV_JOIN_MITER, RM_CV_JOIN_ROUND, RM_CV_JOIN_BEVEL } rm_cv_join;

/* How a line is stroked. Zero-initialised: black, width 0, solid, butt caps,
 * miter joins. */
typedef struct rm_cv_line {
    rm_color color;
    double width;
    const double *dash; /* ndash lengths, px; ndash = 0: solid */
    int ndash;
    double dash_offset;
    rm_cv_cap cap;
    rm_cv_join join;
} rm_cv_line;

/* A run of text: a shaped pango layout drawn with its top-left at (x, y),
 * in colour, with an optional halo (a stroke of halo_width px under it).
 * text, size, bold and lang say what the layout holds. */
typedef struct rm_cv_text {
    PangoLayout *layout;
    const char *text;
    double size; /* px */
    int bold;
    const char *lang; /* BCP 47, NULL: the map's language */
    double x, y;
    rm_color color;
    const rm_color *halo; /* NULL: no halo */
    double halo_width;
} rm_cv_text;

typedef struct rm_canvas rm_canvas;

/* A symbol: drawn by draw(cv, arg, x, y) at a place. A back-end may keep
 * its drawing once and refer to it (the recording keeps its id). */
typedef struct rm_cv_symbol {
    const char *id; /* names the symbol and its parameters, e.g. "origin r=7" */
    void (*draw)(rm_canvas *cv, const void *arg, double x, double y);
    const void *arg;
} rm_cv_symbol;

/* The operations of a back-end. */
typedef struct rm_canvas_ops {
    void (*begin_group)(rm_canvas *cv, rm_cv_role role, const char *id);
    void (*end_group)(rm_canvas *cv);
    /* the current path */
    void (*move_to)(rm_canvas *cv, double x, double y);
    void (*line_to)(rm_canvas *cv, double x, double y);
    void (*arc)(rm_canvas *cv, double cx, double cy, double radius, double a0, double a1);
    void (*close_path)(rm_canvas *cv);
    void (*rectangle)(rm_canvas *cv, double x, double y, double w, double h);
    /* a polyline of n points (page px) as one sub-path, closed or not */
    void (*polyline)(rm_canvas *cv, const double *xy, size_t n, int closed);
    /* sub = 0: clears the path; 1: starts a sub-path without a line to it */
    void (*new_path)(rm_canvas *cv, int sub);
    /* painting the path; keep = 1 keeps it for the next operation */
    void (*fill)(rm_canvas *cv, const rm_color *c, int even_odd, int keep);
    void (*stroke)(rm_canvas *cv, const rm_cv_line *line, int keep);
    void (*paint)(rm_canvas *cv, const rm_color *c); /* the whole clip area */
    void (*push_clip)(rm_canvas *cv);                /* to the path; clears it */
    void (*pop_clip)(rm_canvas *cv);
    void (*text)(rm_canvas *cv, const rm_cv_text *t);
    void (*use_symbol)(rm_canvas *cv, const rm_cv_symbol *s, double x, double y);
    /* ends the drawing: writes the output; RM_OK or the error */
    rm_status (*finish)(rm_canvas *cv, rm_error *err);
    void (*destroy)(rm_canvas *cv);
} rm_canvas_ops;

struct rm_canvas {
    const rm_canvas_ops *ops;
};

/* The calls, so that drawing code reads as verbs. */
static inline void rm_cv_begin_group(rm_canvas *cv, rm_cv_role role, const char *id)
{
    cv->ops->begin_group(cv, role, id);
}
static inline void rm_cv_end_group(rm_canvas *cv)
{
    cv->ops->end_group(cv);
}
static inline void rm_cv_move_to(rm_canvas *cv, double x, double y)
{
    cv->ops->move_to(cv, x, y);
}
static inline void rm_cv_line_to(rm_canvas *cv, double x, double y)
{
    cv->ops->line_to(cv, x, y);
}
static inline void rm_cv_arc(rm_canvas *cv, double cx, double cy, double radius, double a0,
                             double a1)
{
    cv->ops->arc(cv, cx, cy, radius, a0, a1);
}
static inline void rm_cv_close_path(rm_canvas *cv)
{
    cv->ops->close_path(cv);
}
static inline void rm_cv_polyline(rm_canvas *cv, const double *xy, size_t n, int closed)
{
    cv->ops->polyline(cv, xy, n, closed);
}
static inline void rm_cv_new_path(rm_canvas *cv)
{
    cv->ops->new_path(cv, 0);
}
static inline void rm_cv_new_sub_path(rm_canvas *cv)
{
    cv->ops->new_path(cv, 1);
}
static inline void rm_cv_rectangle(rm_canvas *cv, double x, double y, double w, double h)
{
    cv->ops->rectangle(cv, x, y, w, h);
}
static inline void rm_cv_fill(rm_canvas *cv, const rm_color *c, int keep)
{
    cv->ops->fill(cv, c, 0, keep);
}
static inline void rm_cv_stroke(rm_canvas *cv, const rm_cv_line *line, int keep)
{
    cv->ops->stroke(cv, line, keep);
}
static inline void rm_cv_paint(rm_canvas *cv, const rm_color *c)
{
    cv->ops->paint(cv, c);
}
static inline void rm_cv_push_clip(rm_canvas *cv)
{
    cv->ops->push_clip(cv);
}
static inline void rm_cv_pop_clip(rm_canvas *cv)
{
    cv->ops->pop_clip(cv);
}
static inline void rm_cv_text_run(rm_canvas *cv, const rm_cv_text *t)
{
    cv->ops->text(cv, t);
}
static inline void rm_cv_use_symbol(rm_canvas *cv, const rm_cv_symbol *s, double x, double y)
{
    cv->ops->use_symbol(cv, s, x, y);
}
static inline rm_status rm_cv_finish(rm_canvas *cv, rm_error *err)
{
    return cv->ops->finish(cv, err);
}
static inline void rm_cv_free(rm_canvas *cv)
{
    if (cv)
        cv->ops->destroy(cv);
}

/* ---- the cairo back-end (canvas_cairo.c) */
typedef enum rm_cv_format { RM_CV_PNG, RM_CV_PDF, RM_CV_SVG } rm_cv_format;

typedef struct rm_cv_cairo_options {
    rm_cv_format format;
    double width, height; /* page, device pixels at dpi (what a PNG has) */
    double dpi;           /* device pixels per inch; drawing is in CSS px */
    const char *title;    /* PDF metadata, may be NULL */
    /* SVG: the base layers' polylines are on the 1/4 px grid, so their path
     * data may be written compactly (relative, quarter pixels) */
    int compact_paths;
    double mark_x, mark_y; /* SVG: where placeholders for such paths sit */
} rm_cv_cairo_options;

/* A canvas drawing with cairo; finish writes the PNG, PDF or SVG bytes into
 * memory, taken with rm_cv_cairo_take. NULL with err set on failure. */
rm_canvas *rm_cv_cairo_new(const rm_cv_cairo_options *o, rm_error *err);
/* The bytes written by finish (the caller frees them). */
unsigned char *rm_cv_cairo_take(rm_canvas *cv, size_t *len);

/* ---- the recording back-end (canvas_record.c) */
typedef enum rm_cv_op {
    RM_CVOP_BEGIN_GROUP,
    RM_CVOP_END_GROUP,
    RM_CVOP_FILL,
    RM_CVOP_STROKE,
    RM_CVOP_PAINT,
    RM_CVOP_PUSH_CLIP,
    RM_CVOP_POP_CLIP,
    RM_CVOP_TEXT,
    RM_CVOP_SYMBOL
} rm_cv_op;

/* One recorded operation. Path building is not recorded as such: each
 * fill, stroke and clip carries the number of points and the bounding box
 * of the path it painted. */
typedef struct rm_cv_record {
    rm_cv_op op;
    rm_cv_role role;           /* groups */
    char *id;                  /* groups: the id; text: the text; symbols: the id */
    rm_color color;            /* fill, stroke, paint, text */
    double width;              /* stroke */
    int ndash;                 /* stroke */
    double x, y;               /* text (top-left), symbol (place) */
    double size;               /* text */
    int bold;                  /* text */
    int halo;                  /* text: 1 with a halo */
    size_t npoints;            /* fill, stroke, clip: points in the path */
    double bx0, by0, bx1, by1; /* fill, stroke, clip: the path's box */
    int depth;                 /* group nesting depth at the operation */
} rm_cv_record;

/* A canvas that records its operations (for tests). */
rm_canvas *rm_cv_record_new(void);
/* The operations recorded so far. */
const rm_cv_record *rm_cv_record_ops(const rm_canvas *cv, size_t *n);

#endif
