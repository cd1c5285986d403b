/* routemap — text: pango layouts in the map's font, their size, and drawing
 * them with a halo. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* ------------------------------------------------------------------ text */

PangoLayout *rm_r_layout(rm_render *r, const char *text, double size_px, int bold)
{
    PangoLayout *l = pango_layout_new(r->pctx);
    if (!l)
        return NULL;
    PangoFontDescription *fd = pango_font_description_from_string("DejaVu Sans, Noto Sans CJK KR");
    pango_font_description_set_absolute_size(fd, size_px * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(l, text, -1);
    return l;
}

void rm_r_layout_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

void rm_r_draw_text(rm_render *r, PangoLayout *l, double x, double y, const rm_color *fg,
                    const rm_color *halo, double halo_w)
{
    rm_cv_text t = {l, pango_layout_get_text(l), 0, 0, NULL, x, y, *fg, halo, halo_w};
    const PangoFontDescription *fd = pango_layout_get_font_description(l);
    if (fd) {
        t.size = (double)pango_font_description_get_size(fd) / PANGO_SCALE;
        t.bold = pango_font_description_get_weight(fd) >= PANGO_WEIGHT_BOLD;
    }
    rm_cv_text_run(r->cv, &t);
}

rm_status rm_r_fonts_open(rm_render *r, rm_error *err)
{
    /* pango's default font map is per thread: nothing is shared with
     * maps rendered in other threads, and the fonts it loaded stay
     * cached for the thread's next map (rm_thread_cleanup frees it) */
    r->fontmap = pango_cairo_font_map_get_default();
    if (!r->fontmap)
        return rm_error_set(err, RM_ERR_RENDER, "no font map (fontconfig)");
    g_object_ref(r->fontmap);
    r->pctx = pango_font_map_create_context(r->fontmap);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(r->pctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(r->pctx, 96);
    return RM_OK;
}
