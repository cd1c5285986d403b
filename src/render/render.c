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
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../output_priv.h"
#include "png_meta.h"
#include "render_priv.h"
#include "routemap.h"
#include "routemap/output.h"
#include "routemap/places.h"

#if defined(__SANITIZE_ADDRESS__)
/* Under AddressSanitizer only: fontconfig's configuration parser (run once
 * per process, in pango's font-loading thread) leaves a 288-byte block that
 * no one can free; LeakSanitizer would fail every program that draws text.
 * Weak, so that a program's own suppressions win. Library noise only: a
 * leak in routemap, pango or cairo is still reported at its own allocation. */
__attribute__((weak, visibility("default"))) const char *__lsan_default_suppressions(void);
__attribute__((weak, visibility("default"))) const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}
#endif

/* ---------------------------------------------------------------- formats */

/* The format for an output path: its known extension; else, for "-" or a
 * name without an extension, the format named (default SVG for "-"); any
 * other extension is refused (an SVG written into map.jpg opens nowhere). */
rm_status rm_format_resolve(const char *name, const char *path, rm_format *out, rm_error *err)
{
    const char *dot = path ? strrchr(path, '.') : NULL, *slash = path ? strrchr(path, '/') : NULL;
    if (dot && slash && dot < slash)
        dot = NULL;
    if (dot && (!strcasecmp(dot, ".svg") || !strcasecmp(dot, ".pdf") || !strcasecmp(dot, ".png"))) {
        *out = rm_format_from(NULL, path);
        return RM_OK;
    }
    if (dot && dot[1])
        return rm_error_set(err, RM_ERR_USAGE,
                            "%s: unknown output format '%.20s' (known: .svg, .pdf, .png; or name "
                            "the format with --format)",
                            path, dot);
    if (name && *name) {
        if (strcasecmp(name, "svg") && strcasecmp(name, "pdf") && strcasecmp(name, "png"))
            return rm_error_set(err, RM_ERR_USAGE, "unknown format '%.40s' (known: svg, pdf, png)",
                                name);
        *out = rm_format_from(name, NULL);
        return RM_OK;
    }
    if (!path || !strcmp(path, "-")) {
        *out = RM_FORMAT_SVG;
        return RM_OK;
    }
    return rm_error_set(err, RM_ERR_USAGE,
                        "%s: no extension to tell the output format (known: .svg, .pdf, .png; or "
                        "name the format with --format, or \"format\" in the spec's output)",
                        path);
}

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
    free(r->ebuf);
    if (r->pctx)
        g_object_unref(r->pctx);
    if (r->fontmap)
        g_object_unref(r->fontmap);
    rm_proj_free(r->proj);
}

/* The cairo canvas for the page: PNG, PDF or SVG bytes in memory. */
typedef struct cairo_target {
    rm_format fmt;
    char proj[1024]; /* the map's CRS, for the verbose report */
} cairo_target;

static rm_canvas *cairo_open(const rm_render *r, void *arg, rm_error *err)
{
    const rm_spec *spec = r->spec;
    cairo_target *t = arg;
    rm_format fmt = t->fmt;
    snprintf(t->proj, sizeof t->proj, "%s", rm_proj_definition(r->proj));
    rm_cv_cairo_options o;
    memset(&o, 0, sizeof o);
    o.format = fmt == RM_FORMAT_PDF ? RM_CV_PDF : fmt == RM_FORMAT_PNG ? RM_CV_PNG : RM_CV_SVG;
    o.width = spec->width;
    o.height = spec->height;
    o.dpi = spec->dpi > 0 ? spec->dpi : 96;
    o.title = spec->title;
    o.compact_paths = fmt == RM_FORMAT_SVG && r->simplify_px > 0;
    o.mark_x = floor(r->map.x0) + 1.5;
    o.mark_y = floor(r->map.y0) + 1.5;
    return rm_cv_cairo_new(&o, err);
}

/* The map area, back to front: sea, base layers, graticule, routes,
 * markers, all clipped to the map area; then the frame around it. */
static rm_status draw_map_area(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    rm_canvas *cv = r->cv;
    if (!spec->transparent) {
        rm_cv_begin_group(cv, RM_CV_PAGE, "paper");
        rm_cv_paint(cv, &r->th.paper);
        rm_cv_end_group(cv);
    }
    rm_cv_begin_group(cv, RM_CV_MAP, "map");
    rm_cv_rectangle(cv, r->map.x0, r->map.y0, r->map.x1 - r->map.x0, r->map.y1 - r->map.y0);
    rm_cv_push_clip(cv);
    if (!spec->transparent)
        rm_cv_paint(cv, &r->th.sea);
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
    rm_cv_pop_clip(cv);
    rm_cv_end_group(cv);
    if (st != RM_OK)
        return st;
    /* frame around the map (an exact frame ends at the page's edge) */
    if (!spec->has_frame) {
        rm_cv_begin_group(cv, RM_CV_FRAME, "frame");
        rm_cv_rectangle(cv, r->map.x0, r->map.y0, r->map.x1 - r->map.x0, r->map.y1 - r->map.y0);
        rm_cv_line line = {r->th.frame, 1, NULL, 0, 0, RM_CV_CAP_BUTT, RM_CV_JOIN_MITER};
        rm_cv_stroke(cv, &line, 0);
        rm_cv_end_group(cv);
    }
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
static rm_status render_steps(rm_render *r, rm_format fmt, double dpi, rm_r_canvas_open open,
                              void *arg, rm_error *err)
{
    rm_status st;
    /* 1. places and routes */
    if ((st = rm_r_plan(r, err)) != RM_OK)
        return st;
    /* 2. content, projection, fonts, page layout */
    if ((st = rm_r_view_content(r, err)) != RM_OK || (st = rm_r_fonts_open(r, err)) != RM_OK ||
        (st = rm_r_view_fit(r, fmt, dpi, err)) != RM_OK)
        return st;
    /* 3. the canvas */
    if (!(r->cv = open(r, arg, err)))
        return err ? err->status : RM_ERR_RENDER;
    /* 4. drawing, back to front */
    if ((st = draw_map_area(r, err)) != RM_OK)
        return st;
    /* 5. furniture first claims its corners, then labels find room */
    rm_r_furniture_reserve(r);
    rm_r_add_mark_labels(r);
    rm_r_labels_place(r);
    rm_r_labels_draw(r);
    rm_r_draw_furniture(r);
    rm_r_report_lost(r);
    rm_r_draw_title(r);
    if (r->oom)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory while drawing");
    /* 6. finish the canvas; the side outputs */
    if ((st = rm_cv_finish(r->cv, err)) != RM_OK)
        return st;
    if (r->opt->layout_path && (st = rm_r_write_layout(r, r->opt->layout_path, err)) != RM_OK)
        return st;
    if (r->opt->georef_path && (st = rm_r_write_georef(r, r->opt->georef_path, err)) != RM_OK)
        return st;
    return RM_OK;
}

rm_status rm_r_render_to(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                         rm_r_canvas_open open, void *arg, rm_canvas **cvp, rm_error *err)
{
    *cvp = NULL;
    if (!spec)
        return rm_error_set(err, RM_ERR_USAGE, "render: no spec");
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
    st = render_steps(r, fmt, dpi, open, arg, err);
    *cvp = r->cv;
    render_free(r);
    return st;
}

/* The PNG's physical size (a word processor places a 300 dpi A4 map at A4,
 * not at 96 dpi) and what the map is, where it comes from and whose data
 * it shows. */
static int png_meta(const rm_spec *spec, unsigned char **data, size_t *len)
{
    const char *src = spec->source_name;
    const char *slash = src && !strchr(src, ' ') ? strrchr(src, '/') : NULL;
    rm_png_text meta[] = {{"Title", spec->title},
                          {"Software", "routemap " ROUTEMAP_VERSION},
                          {"Source", slash ? slash + 1 : src},
                          {"Copyright", spec->attribution}};
    return rm_png_add_meta(data, len, spec->dpi > 0 ? spec->dpi : 96, meta,
                           sizeof meta / sizeof meta[0]);
}

rm_status rm_render_buffer(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                           unsigned char **data, size_t *len, rm_error *err)
{
    if (!spec || !data || !len)
        return rm_error_set(err, RM_ERR_USAGE, "render: no spec or no output buffer");
    *data = NULL;
    *len = 0;
    if (fmt == RM_FORMAT_AUTO)
        fmt = rm_format_from(spec->format, spec->output);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rm_canvas *cv = NULL;
    cairo_target t = {fmt, ""};
    rm_status st = rm_r_render_to(spec, fmt, opt, cairo_open, &t, &cv, err);
    if (st == RM_OK)
        *data = rm_cv_cairo_take(cv, len);
    rm_cv_free(cv);
    if (st == RM_OK && fmt == RM_FORMAT_PNG && png_meta(spec, data, len) != 0) {
        free(*data);
        *data = NULL;
        *len = 0;
        st = rm_error_set(err, RM_ERR_NOMEM, "writing the PNG metadata failed");
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st == RM_OK && opt && opt->verbose)
        fprintf(opt->verbose, "routemap: rendered %gx%g px (%s) in %.3f s, %zu bytes\n",
                spec->width, spec->height, t.proj,
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, *len);
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
        rm_status fst = rm_format_resolve(spec ? spec->format : NULL, path, &fmt, err);
        if (fst != RM_OK)
            return fst;
    }
    /* no output may overwrite an input or another output; the map and its
     * --layout/--georef files are committed together (src/output.c) */
    const char *outs[3] = {path, opt ? opt->layout_path : NULL, opt ? opt->georef_path : NULL};
    rm_status st = rm_check_outputs(spec, NULL, 0, outs, 3, err);
    if (st != RM_OK)
        return st;
    unsigned char *data = NULL;
    size_t len = 0;
    rm_out_stage stage;
    rm_out_stage_begin(&stage);
    st = rm_render_buffer(spec, fmt, opt, &data, &len, err);
    rm_out_stage_end();
    if (st == RM_OK)
        st = rm_out_stage_commit(&stage, path, data, len, err);
    rm_out_stage_free(&stage);
    free(data);
    return st;
}
