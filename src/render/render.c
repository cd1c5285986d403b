/* routemap — rendering a spec into an image.
 *
 * One map, read top to bottom:
 *   resolve the data directory and the places the spec names;
 *   compute every route on its rail network;
 *   choose the projection for the content and fit it to the page;
 *   read each layer, keeping only records in the frame's lon/lat box, clip
 *   in lon/lat (before projecting: this is also what keeps Antarctica out of
 *   a conic), project, simplify to a fraction of a pixel, clip to the page;
 *   draw base layers quiet, the route bold, markers, labels, furniture;
 *   write the surface into memory and the memory atomically to the file.
 * Everything lives in one rm_render, so separate calls share nothing. */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "render_priv.h"
#include "routemap/output.h"
#include "routemap/places.h"

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer only: fontconfig's configuration parser (run once
 * per process, in pango's font-loading thread) leaves a 288-byte block that
 * no one can free; LeakSanitizer would fail every program that draws text.
 * Weak, so that a program's own suppressions win. Library noise only: a
 * leak in routemap, pango or cairo is still reported at its own allocation. */
__attribute__((weak)) const char *__lsan_default_suppressions(void);
__attribute__((weak)) const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* ---------------------------------------------------------------- formats */

rm_format rm_format_from(const char *name, const char *path)
{
    if (name && *name) {
        if (!strcasecmp(name, "svg"))
            return RM_FORMAT_SVG;
        if (!strcasecmp(name, "pdf"))
            return RM_FORMAT_PDF;
        if (!strcasecmp(name, "png"))
            return RM_FORMAT_PNG;
    }
    if (path) {
        const char *dot = strrchr(path, '.');
        const char *slash = strrchr(path, '/');
        if (dot && (!slash || dot > slash)) {
            if (!strcasecmp(dot, ".pdf"))
                return RM_FORMAT_PDF;
            if (!strcasecmp(dot, ".png"))
                return RM_FORMAT_PNG;
        }
    }
    return RM_FORMAT_SVG;
}

static cairo_status_t membuf_write(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
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

static void render_free(rm_render *r)
{
    for (size_t i = 0; i < r->nroutes; i++) {
        rm_route_free(&r->routes[i].route);
        rm_path_free(&r->routes[i].page);
        free(r->routes[i].from_name);
        free(r->routes[i].to_name);
        free(r->routes[i].drawn);
        free(r->routes[i].legend_text);
    }
    free(r->routes);
    for (size_t i = 0; i < r->nmarks; i++)
        free(r->marks[i].label);
    free(r->marks);
    free(r->obst);
    free(r->legend);
    free(r->route_pts);
    rm_r_labels_free(r);
    rm_path_free(&r->s1);
    rm_path_free(&r->s2);
    free(r->buf);
    for (size_t i = 0; i < r->svgw_n; i++)
        free(r->svgw_paths[i]);
    free(r->svgw_paths);
    free(r->svgw_d);
    if (r->pctx)
        g_object_unref(r->pctx);
    if (r->fontmap)
        g_object_unref(r->fontmap);
    rm_proj_free(r->proj);
}

/* The page's drawing surface, writing into a memory buffer. */
static rm_status surface_open(rm_render *r, rm_format fmt, double dpi, membuf *mb,
                              cairo_surface_t **surfp, rm_error *err)
{
    const rm_spec *spec = r->spec;
    cairo_surface_t *surf;
    if (fmt == RM_FORMAT_SVG) {
        surf = cairo_svg_surface_create_for_stream(membuf_write, mb, r->W, r->H);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
        r->svgw_ok = fmt == RM_FORMAT_SVG && r->simplify_px > 0;
        r->svgw_x = floor(r->map.x0) + 1.5;
        r->svgw_y = floor(r->map.y0) + 1.5;
    } else if (fmt == RM_FORMAT_PDF) {
        surf = cairo_pdf_surface_create_for_stream(membuf_write, mb, spec->width * 72.0 / dpi,
                                                   spec->height * 72.0 / dpi);
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE,
                                       "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "routemap");
        if (spec->title)
            cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, spec->title);
    } else {
        int pw = (int)lround(spec->width), ph = (int)lround(spec->height);
        surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, pw, ph);
    }
    *surfp = surf;
    if (!surf || cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS)
        return rm_error_set(err, RM_ERR_RENDER, "cannot create the %s surface",
                            fmt == RM_FORMAT_PDF   ? "PDF"
                            : fmt == RM_FORMAT_PNG ? "PNG"
                                                   : "SVG");
    r->cr = cairo_create(surf);
    if (fmt == RM_FORMAT_PDF)
        cairo_scale(r->cr, 72.0 / 96.0, 72.0 / 96.0);
    else if (fmt == RM_FORMAT_PNG)
        cairo_scale(r->cr, dpi / 96.0, dpi / 96.0);
    return RM_OK;
}

/* The map area, back to front: sea, base layers, graticule, routes,
 * markers, all clipped to the map area; then the frame around it. */
static rm_status draw_map_area(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    cairo_t *cr = r->cr;
    if (!spec->transparent) {
        rm_r_set_color(cr, &r->th.paper);
        cairo_paint(cr);
    }
    cairo_save(cr);
    cairo_rectangle(cr, r->map.x0, r->map.y0, r->map.x1 - r->map.x0, r->map.y1 - r->map.y0);
    cairo_clip(cr);
    if (!spec->transparent) {
        rm_r_set_color(cr, &r->th.sea);
        cairo_paint(cr);
    }
    rm_status st = rm_r_draw_layers(r, err);
    if (st == RM_OK && spec->graticule)
        rm_r_draw_graticule(r);
    if (st == RM_OK)
        st = rm_r_draw_routes(r, err);
    if (st == RM_OK) {
        rm_r_layout_marks(r);
        rm_r_draw_flights(r);
        rm_r_draw_marks(r);
    }
    cairo_restore(cr);
    if (st != RM_OK)
        return st;
    /* frame around the map (an exact frame ends at the page's edge) */
    if (!spec->has_frame) {
        cairo_save(cr);
        cairo_rectangle(cr, r->map.x0, r->map.y0, r->map.x1 - r->map.x0, r->map.y1 - r->map.y0);
        rm_r_set_color(cr, &r->th.frame);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    return RM_OK;
}

/* Ends the drawing and writes the surface into mb: PNG encoded, PDF and
 * SVG finished (SVG with its path data filled in and stable ids). */
static rm_status surface_finish(rm_render *r, rm_format fmt, cairo_surface_t *surf, membuf *mb,
                                rm_error *err)
{
    cairo_status_t cs = cairo_status(r->cr);
    cairo_destroy(r->cr);
    r->cr = NULL;
    if (cs != CAIRO_STATUS_SUCCESS)
        return rm_error_set(err, RM_ERR_RENDER, "drawing failed: %s", cairo_status_to_string(cs));
    if (fmt == RM_FORMAT_PNG) {
        cs = cairo_surface_write_to_png_stream(surf, membuf_write, mb);
    } else {
        cairo_surface_finish(surf);
        cs = cairo_surface_status(surf);
    }
    if (cs != CAIRO_STATUS_SUCCESS || mb->failed)
        return rm_error_set(err, mb->failed ? RM_ERR_NOMEM : RM_ERR_RENDER,
                            "writing the image failed: %s", cairo_status_to_string(cs));
    if (fmt == RM_FORMAT_SVG && r->svgw_n > 0 && rm_r_svgw_fill(r, mb) != 0)
        return rm_error_set(err, RM_ERR_NOMEM, "writing the SVG path data failed");
    if (fmt == RM_FORMAT_SVG)
        rm_r_svg_stable_ids(mb);
    return RM_OK;
}

/* The render state for a spec: page size in CSS px, theme, data folder. */
static rm_status render_init(rm_render *r, const rm_spec *spec, const rm_render_options *opt,
                             double dpi, rm_error *err)
{
    memset(r, 0, sizeof *r);
    r->spec = spec;
    r->opt = opt;
    r->verbose = opt->verbose;
    /* spec->width x height are device pixels at spec->dpi (what a PNG
     * has); the map is drawn in CSS px (1/96 in), so that text and lines
     * keep their physical size at any resolution */
    r->W = spec->width * 96.0 / dpi;
    r->H = spec->height * 96.0 / dpi;
    /* type in the sizes of the medium: the spec's scale times its preset's
     * (slides get larger type, to read when projected) */
    r->fs = (spec->font_scale > 0 ? spec->font_scale : 1) * rm_spec_type_scale(spec);
    rm_path_init(&r->s1);
    rm_path_init(&r->s2);
    if (rm_theme_get(spec->theme, &r->th) != 0)
        return rm_error_set(err, RM_ERR_SPEC, "unknown theme '%s' (known: light, dark, print)",
                            spec->theme);
    snprintf(r->data_dir, sizeof r->data_dir, "%s",
             spec->data_dir && *spec->data_dir ? spec->data_dir : rm_default_data_dir());
    if (spec->has_background)
        r->th.sea = spec->background;
    return RM_OK;
}

/* The numbered steps of one map. */
static rm_status render_steps(rm_render *r, rm_format fmt, double dpi, membuf *mb,
                              cairo_surface_t **surf, rm_error *err)
{
    rm_status st;
    /* 1. places and routes */
    if ((st = rm_r_plan(r, err)) != RM_OK)
        return st;
    /* 2. content, projection, fonts, page layout */
    if ((st = rm_r_view_content(r, err)) != RM_OK || (st = rm_r_fonts_open(r, err)) != RM_OK ||
        (st = rm_r_view_fit(r, fmt, dpi, err)) != RM_OK)
        return st;
    /* 3. the surface, in memory */
    if ((st = surface_open(r, fmt, dpi, mb, surf, err)) != RM_OK)
        return st;
    /* 4. drawing, back to front */
    if ((st = draw_map_area(r, err)) != RM_OK)
        return st;
    /* 5. furniture first claims its corners, then labels find room */
    rm_r_furniture_reserve(r);
    rm_r_add_mark_labels(r);
    rm_r_labels_place(r);
    rm_r_labels_draw(r);
    rm_r_draw_furniture(r);
    rm_r_draw_title(r);
    if (r->oom)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory while drawing");
    /* 6. finish the surface into memory; the side outputs */
    if ((st = surface_finish(r, fmt, *surf, mb, err)) != RM_OK)
        return st;
    if (r->opt->layout_path && (st = rm_r_write_layout(r, r->opt->layout_path, err)) != RM_OK)
        return st;
    if (r->opt->georef_path && (st = rm_r_write_georef(r, r->opt->georef_path, err)) != RM_OK)
        return st;
    return RM_OK;
}

rm_status rm_render_buffer(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                           unsigned char **data, size_t *len, rm_error *err)
{
    if (!spec || !data || !len)
        return rm_error_set(err, RM_ERR_USAGE, "render: no spec or no output buffer");
    *data = NULL;
    *len = 0;
    /* a spec edited by a program is checked like a parsed one (a dpi of
     * 1e-300 made the page infinite), and the format must be one we know */
    if (!(fmt >= RM_FORMAT_AUTO && fmt <= RM_FORMAT_PNG))
        return rm_error_set(err, RM_ERR_USAGE, "render: unknown output format %d", (int)fmt);
    rm_status vst = rm_spec_validate(spec, err);
    if (vst != RM_OK)
        return vst;
    rm_render_options noopt;
    memset(&noopt, 0, sizeof noopt);
    if (!opt)
        opt = &noopt;
    if (!(spec->width >= 16 && spec->height >= 16 && spec->width <= 20000 && spec->height <= 20000))
        return rm_error_set(err, RM_ERR_SPEC, "page size %gx%g px is out of range", spec->width,
                            spec->height);
    double dpi = spec->dpi > 0 ? spec->dpi : 96;
    if (fmt == RM_FORMAT_AUTO)
        fmt = rm_format_from(spec->format, spec->output);

    rm_render R;
    rm_render *r = &R;
    rm_status st = render_init(r, spec, opt, dpi, err);
    if (st != RM_OK)
        return st;
    membuf mb;
    memset(&mb, 0, sizeof mb);
    cairo_surface_t *surf = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = render_steps(r, fmt, dpi, &mb, &surf, err);
    if (st == RM_OK) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (r->verbose)
            fprintf(r->verbose, "routemap: rendered %gx%g px (%s) in %.3f s, %zu bytes\n",
                    spec->width, spec->height, rm_proj_definition(r->proj),
                    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                    mb.len);
        *data = mb.data;
        *len = mb.len;
        mb.data = NULL;
    }
    if (r->cr)
        cairo_destroy(r->cr);
    if (surf)
        cairo_surface_destroy(surf);
    free(mb.data);
    render_free(r);
    return st;
}

rm_status rm_render_file(const rm_spec *spec, const char *path, rm_format fmt,
                         const rm_render_options *opt, rm_error *err)
{
    if (!path)
        path = spec && spec->output ? spec->output : NULL;
    if (!path)
        return rm_error_set(err, RM_ERR_USAGE, "render: no output path");
    if (fmt == RM_FORMAT_AUTO) {
        /* a known extension of the path wins over the spec's stated format */
        const char *dot = strrchr(path, '.');
        if (dot &&
            (!strcasecmp(dot, ".svg") || !strcasecmp(dot, ".pdf") || !strcasecmp(dot, ".png")))
            fmt = rm_format_from(NULL, path);
        else
            fmt = rm_format_from(spec ? spec->format : NULL, path);
    }
    unsigned char *data = NULL;
    size_t len = 0;
    rm_status st = rm_render_buffer(spec, fmt, opt, &data, &len, err);
    if (st != RM_OK)
        return st;
    st = rm_write_atomic(path, data, len, err);
    free(data);
    return st;
}
