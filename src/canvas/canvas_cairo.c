/* routemap — the cairo back-end of the canvas: PNG (an image surface at the
 * page's dpi), PDF (true paper size, fixed metadata dates) and cairo's SVG.
 * Each operation sets all the cairo state it depends on, so that no state
 * leaks from one drawing to the next; the output goes into memory. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"
#include "svgdata.h"

typedef struct cv_cairo {
    rm_canvas base;
    rm_cv_cairo_options o;
    cairo_surface_t *surf;
    cairo_t *cr;
    rm_membuf mb;
    rm_svgdata svg;  /* SVG: compact path data of the base layers */
    int layer_depth; /* inside a layer group: compact path data allowed */
    int finished;
} cv_cairo;

static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
    rm_membuf *m = closure;
    if (m->failed)
        return CAIRO_STATUS_WRITE_ERROR;
    if (m->len + length > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + length)
            cap *= 2;
        unsigned char *g = realloc(m->data, cap);
        if (!g) {
            m->failed = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        m->data = g;
        m->cap = cap;
    }
    memcpy(m->data + m->len, data, length);
    m->len += length;
    return CAIRO_STATUS_SUCCESS;
}

static void set_color(cairo_t *cr, const rm_color *c)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* A path collected as compact SVG data becomes its placeholder in cairo's
 * path before it is painted or dropped. */
static void flush_svgdata(cv_cairo *c)
{
    if (c->svg.on)
        rm_svgdata_end(&c->svg, c->cr);
}

static void c_begin_group(rm_canvas *cv, rm_cv_role role, const char *id)
{
    cv_cairo *c = (cv_cairo *)cv;
    (void)id;
    if (role == RM_CV_LAYER)
        c->layer_depth++;
}

static void c_end_group(rm_canvas *cv)
{
    cv_cairo *c = (cv_cairo *)cv;
    /* groups nest; only layer groups count, and layers hold no groups */
    if (c->layer_depth > 0)
        c->layer_depth--;
}

static void c_move_to(rm_canvas *cv, double x, double y)
{
    cairo_move_to(((cv_cairo *)cv)->cr, x, y);
}

static void c_line_to(rm_canvas *cv, double x, double y)
{
    cairo_line_to(((cv_cairo *)cv)->cr, x, y);
}

static void c_arc(rm_canvas *cv, double cx, double cy, double radius, double a0, double a1)
{
    cairo_arc(((cv_cairo *)cv)->cr, cx, cy, radius, a0, a1);
}

static void c_close_path(rm_canvas *cv)
{
    cairo_close_path(((cv_cairo *)cv)->cr);
}

static void c_rectangle(rm_canvas *cv, double x, double y, double w, double h)
{
    cairo_rectangle(((cv_cairo *)cv)->cr, x, y, w, h);
}

/* A polyline: in a layer of an SVG on the 1/4 px grid, as compact path
 * data (M, then relative l in quarter pixels); else into cairo's path. */
static void c_polyline(rm_canvas *cv, const double *xy, size_t n, int closed)
{
    cv_cairo *c = (cv_cairo *)cv;
    if (n == 0)
        return;
    if (c->layer_depth > 0 && c->svg.ok) {
        if (!c->svg.on)
            rm_svgdata_begin(&c->svg);
        if (c->svg.on) {
            long px = lround(xy[0] * 4), py = lround(xy[1] * 4);
            rm_svgdata_put(&c->svg, "M", 1);
            rm_svgdata_num(&c->svg, px);
            rm_svgdata_num(&c->svg, py);
            for (size_t i = 1; i < n; i++) {
                long x = lround(xy[2 * i] * 4), y = lround(xy[2 * i + 1] * 4);
                if (i == 1)
                    rm_svgdata_put(&c->svg, "l", 1);
                rm_svgdata_num(&c->svg, x - px);
                rm_svgdata_num(&c->svg, y - py);
                px = x;
                py = y;
            }
            if (closed)
                rm_svgdata_put(&c->svg, "z", 1);
            return;
        }
    }
    cairo_move_to(c->cr, xy[0], xy[1]);
    for (size_t i = 1; i < n; i++)
        cairo_line_to(c->cr, xy[2 * i], xy[2 * i + 1]);
    if (closed)
        cairo_close_path(c->cr);
}

static void c_new_path(rm_canvas *cv, int sub)
{
    cv_cairo *c = (cv_cairo *)cv;
    if (sub) {
        cairo_new_sub_path(c->cr);
        return;
    }
    flush_svgdata(c);
    cairo_new_path(c->cr);
}

static void c_fill(rm_canvas *cv, const rm_color *col, int even_odd, int keep)
{
    cv_cairo *c = (cv_cairo *)cv;
    flush_svgdata(c);
    set_color(c->cr, col);
    cairo_set_fill_rule(c->cr, even_odd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
    if (keep)
        cairo_fill_preserve(c->cr);
    else
        cairo_fill(c->cr);
}

static void set_line(cairo_t *cr, const rm_cv_line *l)
{
    set_color(cr, &l->color);
    cairo_set_line_width(cr, l->width);
    cairo_set_dash(cr, l->ndash > 0 ? l->dash : NULL, l->ndash > 0 ? l->ndash : 0, l->dash_offset);
    cairo_set_line_cap(cr, l->cap == RM_CV_CAP_ROUND    ? CAIRO_LINE_CAP_ROUND
                           : l->cap == RM_CV_CAP_SQUARE ? CAIRO_LINE_CAP_SQUARE
                                                        : CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, l->join == RM_CV_JOIN_ROUND   ? CAIRO_LINE_JOIN_ROUND
                            : l->join == RM_CV_JOIN_BEVEL ? CAIRO_LINE_JOIN_BEVEL
                                                          : CAIRO_LINE_JOIN_MITER);
}

static void c_stroke(rm_canvas *cv, const rm_cv_line *l, int keep)
{
    cv_cairo *c = (cv_cairo *)cv;
    flush_svgdata(c);
    set_line(c->cr, l);
    if (keep)
        cairo_stroke_preserve(c->cr);
    else
        cairo_stroke(c->cr);
}

static void c_paint(rm_canvas *cv, const rm_color *col)
{
    cv_cairo *c = (cv_cairo *)cv;
    set_color(c->cr, col);
    cairo_paint(c->cr);
}

static void c_push_clip(rm_canvas *cv)
{
    cv_cairo *c = (cv_cairo *)cv;
    flush_svgdata(c);
    cairo_save(c->cr);
    cairo_clip(c->cr);
}

static void c_pop_clip(rm_canvas *cv)
{
    cairo_restore(((cv_cairo *)cv)->cr);
}

/* Text: the halo first (the layout's outline, rounded to 1/8 px: invisible
 * under a halo this wide, and it keeps an SVG from carrying six decimals
 * per control point), then the glyphs. */
static void c_text(rm_canvas *cv, const rm_cv_text *t)
{
    cairo_t *cr = ((cv_cairo *)cv)->cr;
    cairo_move_to(cr, t->x, t->y);
    if (t->halo && t->halo_width > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, t->x, t->y);
        pango_cairo_layout_path(cr, t->layout);
        cairo_path_t *path = cairo_copy_path(cr);
        if (path && path->status == CAIRO_STATUS_SUCCESS) {
            for (int i = 0; i < path->num_data; i += path->data[i].header.length)
                for (int j = 1; j < path->data[i].header.length; j++) {
                    path->data[i + j].point.x = round(path->data[i + j].point.x * 8) / 8;
                    path->data[i + j].point.y = round(path->data[i + j].point.y * 8) / 8;
                }
            cairo_new_path(cr);
            cairo_append_path(cr, path);
        }
        if (path)
            cairo_path_destroy(path);
        rm_cv_line halo = {*t->halo, t->halo_width, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_ROUND};
        set_line(cr, &halo);
        cairo_stroke(cr);
        cairo_move_to(cr, t->x, t->y);
    }
    set_color(cr, &t->color);
    pango_cairo_show_layout(cr, t->layout);
}

static void c_use_symbol(rm_canvas *cv, const rm_cv_symbol *s, double x, double y)
{
    s->draw(cv, s->arg, x, y);
}

static rm_status c_finish(rm_canvas *cv, rm_error *err)
{
    cv_cairo *c = (cv_cairo *)cv;
    cairo_status_t cs = cairo_status(c->cr);
    cairo_destroy(c->cr);
    c->cr = NULL;
    c->finished = 1;
    if (c->svg.oom)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory while drawing");
    if (cs != CAIRO_STATUS_SUCCESS)
        return rm_error_set(err, RM_ERR_RENDER, "drawing failed: %s", cairo_status_to_string(cs));
    if (c->o.format == RM_CV_PNG) {
        cs = cairo_surface_write_to_png_stream(c->surf, membuf_write, &c->mb);
    } else {
        cairo_surface_finish(c->surf);
        cs = cairo_surface_status(c->surf);
    }
    if (cs != CAIRO_STATUS_SUCCESS || c->mb.failed)
        return rm_error_set(err, c->mb.failed ? RM_ERR_NOMEM : RM_ERR_RENDER,
                            "writing the image failed: %s", cairo_status_to_string(cs));
    if (c->o.format == RM_CV_SVG && c->svg.n > 0 && rm_svgdata_fill(&c->svg, &c->mb) != 0)
        return rm_error_set(err, RM_ERR_NOMEM, "writing the SVG path data failed");
    if (c->o.format == RM_CV_SVG)
        rm_svgdata_stable_ids(&c->mb);
    return RM_OK;
}

static void c_destroy(rm_canvas *cv)
{
    cv_cairo *c = (cv_cairo *)cv;
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surf)
        cairo_surface_destroy(c->surf);
    free(c->mb.data);
    rm_svgdata_free(&c->svg);
    free(c);
}

static const rm_canvas_ops cairo_ops = {
    c_begin_group, c_end_group, c_move_to,  c_line_to,    c_arc,    c_close_path,
    c_rectangle,   c_polyline,  c_new_path, c_fill,       c_stroke, c_paint,
    c_push_clip,   c_pop_clip,  c_text,     c_use_symbol, c_finish, c_destroy,
};

rm_canvas *rm_cv_cairo_new(const rm_cv_cairo_options *o, rm_error *err)
{
    cv_cairo *c = calloc(1, sizeof *c);
    if (!c) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->base.ops = &cairo_ops;
    c->o = *o;
    double dpi = o->dpi > 0 ? o->dpi : 96;
    /* width x height are device pixels at dpi (a PNG's); the drawing is in
     * CSS px (1/96 in), a PDF page in points (1/72 in) */
    double dev_w = o->width, dev_h = o->height;
    if (o->format == RM_CV_SVG) {
        c->surf = cairo_svg_surface_create_for_stream(membuf_write, &c->mb, o->width * 96.0 / dpi,
                                                      o->height * 96.0 / dpi);
        cairo_svg_surface_set_document_unit(c->surf, CAIRO_SVG_UNIT_PX);
        c->svg.ok = o->compact_paths;
        c->svg.x = o->mark_x;
        c->svg.y = o->mark_y;
    } else if (o->format == RM_CV_PDF) {
        c->surf = cairo_pdf_surface_create_for_stream(membuf_write, &c->mb, dev_w * 72.0 / dpi,
                                                      dev_h * 72.0 / dpi);
        cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_CREATE_DATE,
                                       "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_MOD_DATE,
                                       "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_CREATOR, "routemap");
        if (o->title)
            cairo_pdf_surface_set_metadata(c->surf, CAIRO_PDF_METADATA_TITLE, o->title);
    } else {
        c->surf =
            cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)lround(dev_w), (int)lround(dev_h));
    }
    if (!c->surf || cairo_surface_status(c->surf) != CAIRO_STATUS_SUCCESS) {
        rm_error_set(err, RM_ERR_RENDER, "cannot create the %s surface",
                     o->format == RM_CV_PDF   ? "PDF"
                     : o->format == RM_CV_PNG ? "PNG"
                                              : "SVG");
        c_destroy(&c->base);
        return NULL;
    }
    c->cr = cairo_create(c->surf);
    if (o->format == RM_CV_PDF)
        cairo_scale(c->cr, 72.0 / 96.0, 72.0 / 96.0);
    else if (o->format == RM_CV_PNG)
        cairo_scale(c->cr, dpi / 96.0, dpi / 96.0);
    return &c->base;
}

unsigned char *rm_cv_cairo_take(rm_canvas *cv, size_t *len)
{
    cv_cairo *c = (cv_cairo *)cv;
    unsigned char *d = c->mb.data;
    *len = c->mb.len;
    c->mb.data = NULL;
    c->mb.len = c->mb.cap = 0;
    return d;
}
