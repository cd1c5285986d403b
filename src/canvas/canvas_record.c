/* routemap — the recording back-end of the canvas: it draws nothing and
 * keeps the list of operations (groups, fills, strokes, clips, text runs,
 * symbols) with what each painted, so that tests can read what the
 * renderer drew and in which order. Path building is folded into the
 * painting operation that follows it: its number of points and its box. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"

typedef struct cv_record {
    rm_canvas base;
    rm_cv_record *ops;
    size_t n, cap;
    size_t npoints; /* the current path */
    double bx0, by0, bx1, by1;
    int depth;
    int oom;
} cv_record;

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* A new operation of kind op, zeroed but for op and depth; NULL when out of
 * memory (then recorded as such: rm_cv_finish fails). */
static rm_cv_record *add(cv_record *c, rm_cv_op op)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        rm_cv_record *g = realloc(c->ops, cap * sizeof *g);
        if (!g) {
            c->oom = 1;
            return NULL;
        }
        c->ops = g;
        c->cap = cap;
    }
    rm_cv_record *o = &c->ops[c->n++];
    memset(o, 0, sizeof *o);
    o->op = op;
    o->depth = c->depth;
    return o;
}

static void point(cv_record *c, double x, double y)
{
    if (c->npoints == 0) {
        c->bx0 = c->bx1 = x;
        c->by0 = c->by1 = y;
    } else {
        c->bx0 = fmin(c->bx0, x);
        c->bx1 = fmax(c->bx1, x);
        c->by0 = fmin(c->by0, y);
        c->by1 = fmax(c->by1, y);
    }
    c->npoints++;
}

/* Copies the current path's size and box into o. */
static void take_path(cv_record *c, rm_cv_record *o, int keep)
{
    if (o) {
        o->npoints = c->npoints;
        o->bx0 = c->bx0;
        o->by0 = c->by0;
        o->bx1 = c->bx1;
        o->by1 = c->by1;
    }
    if (!keep)
        c->npoints = 0;
}

static void r_begin_group(rm_canvas *cv, rm_cv_role role, const char *id)
{
    cv_record *c = (cv_record *)cv;
    rm_cv_record *o = add(c, RM_CVOP_BEGIN_GROUP);
    if (o) {
        o->role = role;
        o->id = dup_str(id);
    }
    c->depth++;
}

static void r_end_group(rm_canvas *cv)
{
    cv_record *c = (cv_record *)cv;
    if (c->depth > 0)
        c->depth--;
    add(c, RM_CVOP_END_GROUP);
}

static void r_move_to(rm_canvas *cv, double x, double y)
{
    point((cv_record *)cv, x, y);
}
static void r_line_to(rm_canvas *cv, double x, double y)
{
    point((cv_record *)cv, x, y);
}
static void r_arc(rm_canvas *cv, double cx, double cy, double radius, double a0, double a1)
{
    (void)a0;
    (void)a1;
    point((cv_record *)cv, cx - radius, cy - radius);
    point((cv_record *)cv, cx + radius, cy + radius);
}
static void r_close_path(rm_canvas *cv)
{
    (void)cv;
}
static void r_rectangle(rm_canvas *cv, double x, double y, double w, double h)
{
    point((cv_record *)cv, x, y);
    point((cv_record *)cv, x + w, y + h);
}
static void r_polyline(rm_canvas *cv, const double *xy, size_t n, int closed)
{
    (void)closed;
    for (size_t i = 0; i < n; i++)
        point((cv_record *)cv, xy[2 * i], xy[2 * i + 1]);
}
static void r_new_path(rm_canvas *cv, int sub)
{
    if (!sub)
        ((cv_record *)cv)->npoints = 0;
}

static void r_fill(rm_canvas *cv, const rm_color *col, int even_odd, int keep)
{
    cv_record *c = (cv_record *)cv;
    (void)even_odd;
    rm_cv_record *o = add(c, RM_CVOP_FILL);
    if (o)
        o->color = *col;
    take_path(c, o, keep);
}

static void r_stroke(rm_canvas *cv, const rm_cv_line *l, int keep)
{
    cv_record *c = (cv_record *)cv;
    rm_cv_record *o = add(c, RM_CVOP_STROKE);
    if (o) {
        o->color = l->color;
        o->width = l->width;
        o->ndash = l->ndash;
    }
    take_path(c, o, keep);
}

static void r_paint(rm_canvas *cv, const rm_color *col)
{
    rm_cv_record *o = add((cv_record *)cv, RM_CVOP_PAINT);
    if (o)
        o->color = *col;
}

static void r_push_clip(rm_canvas *cv)
{
    cv_record *c = (cv_record *)cv;
    take_path(c, add(c, RM_CVOP_PUSH_CLIP), 0);
}

static void r_pop_clip(rm_canvas *cv)
{
    add((cv_record *)cv, RM_CVOP_POP_CLIP);
}

static void r_text(rm_canvas *cv, const rm_cv_text *t)
{
    rm_cv_record *o = add((cv_record *)cv, RM_CVOP_TEXT);
    if (!o)
        return;
    o->id = dup_str(t->text);
    o->color = t->color;
    o->x = t->x;
    o->y = t->y;
    o->size = t->size;
    o->bold = t->bold;
    o->halo = t->halo && t->halo_width > 0;
}

static void r_use_symbol(rm_canvas *cv, const rm_cv_symbol *s, double x, double y)
{
    rm_cv_record *o = add((cv_record *)cv, RM_CVOP_SYMBOL);
    if (!o)
        return;
    o->id = dup_str(s->id);
    o->x = x;
    o->y = y;
}

static rm_status r_finish(rm_canvas *cv, rm_error *err)
{
    if (((cv_record *)cv)->oom)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory while recording");
    return RM_OK;
}

static void r_destroy(rm_canvas *cv)
{
    cv_record *c = (cv_record *)cv;
    for (size_t i = 0; i < c->n; i++)
        free(c->ops[i].id);
    free(c->ops);
    free(c);
}

static const rm_canvas_ops record_ops = {
    r_begin_group, r_end_group, r_move_to,  r_line_to,    r_arc,    r_close_path,
    r_rectangle,   r_polyline,  r_new_path, r_fill,       r_stroke, r_paint,
    r_push_clip,   r_pop_clip,  r_text,     r_use_symbol, r_finish, r_destroy,
};

rm_canvas *rm_cv_record_new(void)
{
    cv_record *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->base.ops = &record_ops;
    return &c->base;
}

const rm_cv_record *rm_cv_record_ops(const rm_canvas *cv, size_t *n)
{
    const cv_record *c = (const cv_record *)cv;
    *n = c->n;
    return c->ops;
}

const char *rm_cv_role_name(rm_cv_role role)
{
    static const char *const names[RM_CV_ROLE_COUNT] = {
        "page",  "map",    "layer",  "graticule", "routes", "flights", "markers",
        "frame", "labels", "legend", "scalebar",  "north",  "inset",   "title",
    };
    return role >= 0 && role < RM_CV_ROLE_COUNT ? names[role] : "?";
}
