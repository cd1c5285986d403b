/* routemap — the title band (title, subtitle) and the footer (attribution). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"

/* "Data: " and the credits of what is drawn: Natural Earth for the shipped
 * base layers, the authored rail and places when the shipped network or
 * gazetteer is used, each layer's own attribution from the spec. Returns
 * the length (0: nothing to credit). */
size_t rm_r_compose_credits(const rm_render *r, char *out, size_t cap)
{
    const char *items[20];
    size_t n = 0;
    if (r->credit_ne)
        items[n++] = "Natural Earth (via world-atlas)";
    if (r->credit_rail && r->credit_places)
        items[n++] = "rail and places authored from public sources";
    else if (r->credit_rail)
        items[n++] = "rail authored from public sources";
    else if (r->credit_places)
        items[n++] = "places authored from public sources";
    for (size_t i = 0; i < r->ncredit_user && n < 20; i++)
        items[n++] = r->credit_user[i];
    size_t w = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && w < cap; i++)
        w += (size_t)snprintf(out + w, cap - w, "%s%s", i ? " · " : "Data: ", items[i]);
    return n ? strlen(out) : 0;
}

static double title_size(const rm_render *r)
{
    return 28 * r->fs;
}
static double subtitle_size(const rm_render *r)
{
    return 16 * r->fs;
}
static double small_size(const rm_render *r)
{
    return 11 * r->fs;
}

/* The width text may take across the page (the map area's width). */
static double text_width(const rm_render *r)
{
    double side = fmin(16, r->W * 0.02);
    return r->W - 2 * side - 4;
}

/* A layout for a title-band or footer line, wrapped (or, for one-line
 * text, ellipsized) at the page's text width. */
static PangoLayout *band_layout(rm_render *r, const char *text, double size, int bold, int wrap)
{
    PangoLayout *l = rm_r_layout(r, text, size, bold);
    if (!l)
        return NULL;
    pango_layout_set_width(l, (int)(text_width(r) * PANGO_SCALE));
    if (wrap)
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    else
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    return l;
}

/* The logical size of a layout's text (not of its wrap width). */
static void text_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

/* The title band holds the title and subtitle, wrapped to the page's width
 * (measured, so a long subtitle on a portrait page takes two lines); the
 * footer holds one line of attribution. */
void rm_r_page_bands(rm_render *r, double *top, double *bottom)
{
    const rm_spec *s = r->spec;
    double t = 10, w, h;
    if (s->title && *s->title) {
        PangoLayout *l = band_layout(r, s->title, title_size(r), 1, 1);
        h = title_size(r) * 1.25;
        if (l) {
            text_size(l, &w, &h);
            g_object_unref(l);
        }
        t += h + 2;
    }
    if (s->subtitle && *s->subtitle) {
        PangoLayout *l = band_layout(r, s->subtitle, subtitle_size(r), 0, 1);
        h = subtitle_size(r) * 1.3;
        if (l) {
            text_size(l, &w, &h);
            g_object_unref(l);
        }
        t += h;
    }
    if (t < 16)
        t = 16;
    else
        t += 8;
    *top = t;
    *bottom = small_size(r) * 1.3 + 12;
}

/* Draws one line of the title band (text may be NULL or empty: nothing) at
 * x, y, records it in the layout as name, and returns the y of the next
 * line. */
static double band_line(rm_render *r, const char *text, double size, int bold,
                        const rm_color *color, const char *name, double x, double y)
{
    if (!text || !*text)
        return y;
    PangoLayout *l = band_layout(r, text, size, bold, 1);
    if (!l)
        return y;
    rm_r_draw_text(r, l, x, y, color, NULL, 0);
    double w, h;
    text_size(l, &w, &h);
    rm_r_add_furniture(r, name, (rm_box){x, y, x + w, y + h});
    g_object_unref(l);
    return y + h + 2;
}

void rm_r_draw_title(rm_render *r)
{
    const rm_spec *s = r->spec;
    double y = 10, x = r->map.x0 + 2;
    y = band_line(r, s->title, title_size(r), 1, &r->th.text, "title", x, y);
    band_line(r, s->subtitle, subtitle_size(r), 0, &r->th.text_muted, "subtitle", x, y);
    /* footer: attribution left, projection right (none when the map
     * reaches the page's foot, as an exact frame without attribution does) */
    if (r->map.y1 + 6 >= r->H)
        return;
    /* the spec's attribution, else the credits of what is drawn */
    char composed[1024];
    const char *attr = s->attribution && *s->attribution ? s->attribution : composed;
    if (attr == composed && rm_r_compose_credits(r, composed, sizeof composed) == 0)
        attr = NULL;
    double fy = r->map.y1 + 6;
    PangoLayout *l = attr ? band_layout(r, attr, small_size(r), 0, 0) : NULL;
    double aw = 0, ah = 0;
    if (l) {
        text_size(l, &aw, &ah);
        rm_r_draw_text(r, l, x, fy, &r->th.text_muted, NULL, 0);
        rm_r_add_furniture(r, "attribution", (rm_box){x, fy, x + aw, fy + ah});
        g_object_unref(l);
    }
    char pj[200];
    const char *def = rm_proj_definition(r->proj);
    double lat1, lat2;
    const char *p1 = def ? strstr(def, "+lat_1=") : NULL, *p2 = def ? strstr(def, "+lat_2=") : NULL;
    if (def && strstr(def, "+proj=lcc") && p1 && p2) {
        lat1 = atof(p1 + 7);
        lat2 = atof(p2 + 7);
        snprintf(pj, sizeof pj, "Lambert conformal conic, standard parallels %.0f°%c and %.0f°%c",
                 fabs(lat1), lat1 < 0 ? 'S' : 'N', fabs(lat2), lat2 < 0 ? 'S' : 'N');
    } else if (def && strstr(def, "+proj=merc")) {
        snprintf(pj, sizeof pj, "Mercator projection");
    } else if (def && strstr(def, "+proj=stere")) {
        snprintf(pj, sizeof pj, "Polar stereographic projection");
    } else {
        snprintf(pj, sizeof pj, "Projection: %.150s", def ? def : "?");
    }
    l = rm_r_layout(r, pj, small_size(r), 0);
    if (l) {
        double w, h;
        rm_r_layout_size(l, &w, &h);
        double px = r->map.x1 - 2 - w;
        if (px > x + aw + 20) {
            rm_r_draw_text(r, l, px, fy, &r->th.text_muted, NULL, 0);
            rm_r_add_furniture(r, "projection", (rm_box){px, fy, px + w, fy + h});
        }
        g_object_unref(l);
    }
}
