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
#include <ctype.h>
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

/* A growable memory buffer that cairo writes into. */
typedef struct membuf {
    unsigned char *data;
    size_t len, cap;
    int failed;
} membuf;

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

/* --------------------------------------------------------------- helpers */

void rm_r_set_color(cairo_t *cr, const rm_color *c)
{
    cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *g = realloc(*p, n * size);
    if (!g)
        return -1;
    *p = g;
    *cap = n;
    return 0;
}

int rm_r_add_obstacle(rm_render *r, rm_box b)
{
    if (grow((void **)&r->obst, &r->obst_cap, r->nobst + 1, sizeof *r->obst) != 0) {
        r->oom = 1;
        return -1;
    }
    r->obst[r->nobst++] = b;
    return 0;
}

int rm_r_add_furniture(rm_render *r, const char *name, rm_box b)
{
    if (r->nfurn < sizeof r->furn / sizeof r->furn[0]) {
        r->furn[r->nfurn] = b;
        r->furn_name[r->nfurn] = name;
        r->nfurn++;
    }
    return rm_r_add_obstacle(r, b);
}

int rm_r_legend_add(rm_render *r, rm_legend_kind kind, const char *text, const rm_style *style,
                    const char *number)
{
    /* one row per distinct kind and text */
    for (size_t i = 0; i < r->nlegend; i++)
        if (r->legend[i].kind == kind && !strcmp(r->legend[i].text, text) &&
            !strcmp(r->legend[i].number, number ? number : ""))
            return 0;
    if (grow((void **)&r->legend, &r->legend_cap, r->nlegend + 1, sizeof *r->legend) != 0) {
        r->oom = 1;
        return -1;
    }
    rm_legend_item *it = &r->legend[r->nlegend++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->text, sizeof it->text, "%s", text);
    snprintf(it->number, sizeof it->number, "%s", number ? number : "");
    if (style)
        it->style = *style;
    return 0;
}

size_t rm_r_to_page(rm_render *r, double *xy, size_t n)
{
    size_t bad = rm_proj_forward(r->proj, xy, n);
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = r->aff.a * xy[2 * i] + r->aff.c;
        xy[2 * i + 1] = r->aff.d * xy[2 * i + 1] + r->aff.f;
    }
    return bad;
}

size_t rm_r_from_page(rm_render *r, double *xy, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = (xy[2 * i] - r->aff.c) / r->aff.a;
        xy[2 * i + 1] = (xy[2 * i + 1] - r->aff.f) / r->aff.d;
    }
    return rm_proj_inverse(r->proj, xy, n);
}

/* Maximum length of a lon/lat segment before projecting (degrees): long
 * segments, such as the edges that clipping adds along the frame's box,
 * are split so that they follow the projection's curves. */
#define DENSIFY_DEG 0.25

static int buf_reserve(rm_render *r, size_t npoints)
{
    if (npoints <= r->bufcap)
        return 0;
    size_t cap = r->bufcap ? r->bufcap : 1024;
    while (cap < npoints)
        cap *= 2;
    double *g = realloc(r->buf, 2 * cap * sizeof *g);
    if (!g) {
        r->oom = 1;
        return -1;
    }
    r->buf = g;
    r->bufcap = cap;
    return 0;
}

/* Emits the points of one page-space part into the cairo path. Unless the
 * map is drawn at full precision, coordinates are rounded to 1/4 px (far
 * below what shows; a binary fraction, so cairo writes at most two decimals
 * into an SVG), repeats are dropped, and parts smaller than half a pixel
 * are left out. */
/* --------------------------------------------------- SVG path data
 * cairo's SVG surface prints every coordinate with printf("%f"), absolute
 * and with a space around each: for a map of the 10m layers that is most of
 * the time and most of the bytes. So the base layers' path data (the bulk
 * of the vertices) is written here: on the 1/4 px grid, relative, without
 * needless characters. cairo still draws each such path as a tiny
 * placeholder triangle with the layer's style, so order, style and clip
 * stay cairo's; svgw_fill then swaps each placeholder's d attribute for
 * the real data. PDF, PNG and full-precision SVG don't use this. */

static int svgw_put(rm_render *r, const char *t, size_t n)
{
    if (r->svgw_len + n + 1 > r->svgw_cap) {
        size_t cap = r->svgw_cap ? r->svgw_cap : 4096;
        while (r->svgw_len + n + 1 > cap)
            cap *= 2;
        char *d = realloc(r->svgw_d, cap);
        if (!d) {
            r->oom = 1;
            return -1;
        }
        r->svgw_d = d;
        r->svgw_cap = cap;
    }
    memcpy(r->svgw_d + r->svgw_len, t, n);
    r->svgw_len += n;
    return 0;
}

/* Appends q/4 (a coordinate in quarter pixels), with a space before it
 * only where the previous number would otherwise run on. */
static void svgw_num(rm_render *r, long q)
{
    char t[32];
    size_t k = 0;
    char last = r->svgw_len ? r->svgw_d[r->svgw_len - 1] : 'M';
    if (q < 0) {
        t[k++] = '-';
        q = -q;
    } else if (last == '.' || (last >= '0' && last <= '9')) {
        t[k++] = ' ';
    }
    long ip = q / 4;
    int fr = (int)(q % 4);
    if (ip > 0 || fr == 0) {
        char d[24];
        int nd = 0;
        do {
            d[nd++] = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip > 0);
        while (nd > 0)
            t[k++] = d[--nd];
    }
    static const char *const frac[4] = {"", ".25", ".5", ".75"};
    for (const char *f = frac[fr]; *f; f++)
        t[k++] = *f;
    svgw_put(r, t, k);
}

/* Starts collecting a layer's path data (when allowed). */
static void svgw_begin(rm_render *r)
{
    r->svgw_on = r->svgw_ok && r->svgw_n < 1024;
    r->svgw_len = 0;
}

/* Ends a layer's path data: keeps it, and puts its placeholder (number i:
 * a triangle from (x, y) to (x + (i+1)/64, y) to (x, y + 1/64), exact
 * binary fractions that rounded map data never has) into cairo's path. */
static void svgw_end(rm_render *r)
{
    if (!r->svgw_on)
        return;
    r->svgw_on = 0;
    if (r->svgw_len == 0 || r->oom)
        return;
    char **pp = realloc(r->svgw_paths, (r->svgw_n + 1) * sizeof *pp);
    char *d = malloc(r->svgw_len + 1);
    if (pp)
        r->svgw_paths = pp;
    if (!pp || !d) {
        free(d);
        r->oom = 1;
        return;
    }
    memcpy(d, r->svgw_d, r->svgw_len);
    d[r->svgw_len] = '\0';
    size_t i = r->svgw_n++;
    r->svgw_paths[i] = d;
    cairo_t *cr = r->cr;
    cairo_new_path(cr);
    cairo_move_to(cr, r->svgw_x, r->svgw_y);
    cairo_line_to(cr, r->svgw_x + (double)(i + 1) / 64, r->svgw_y);
    cairo_line_to(cr, r->svgw_x, r->svgw_y + 1.0 / 64);
    cairo_close_path(cr);
}

/* Reads a number of cairo's path text at *p; 0 when there is none. */
static int svgw_read(const char **p, const char *end, double *v)
{
    char tmp[40];
    size_t k = 0;
    const char *q = *p;
    while (q < end && *q == ' ')
        q++;
    while (q < end && k + 1 < sizeof tmp && (isdigit((unsigned char)*q) || *q == '-' || *q == '.'))
        tmp[k++] = *q++;
    if (k == 0)
        return 0;
    tmp[k] = '\0';
    *v = strtod(tmp, NULL);
    *p = q;
    return 1;
}

static int svgw_word(const char **p, const char *end, char c)
{
    const char *q = *p;
    while (q < end && *q == ' ')
        q++;
    if (q >= end || *q != c)
        return 0;
    *p = q + 1;
    return 1;
}

/* Which placeholder the path text at p (after d=") is, or -1. */
static long svgw_which(const rm_render *r, const char *p, const char *end)
{
    double v[6];
    if (!svgw_word(&p, end, 'M') || !svgw_read(&p, end, &v[0]) || !svgw_read(&p, end, &v[1]) ||
        !svgw_word(&p, end, 'L') || !svgw_read(&p, end, &v[2]) || !svgw_read(&p, end, &v[3]) ||
        !svgw_word(&p, end, 'L') || !svgw_read(&p, end, &v[4]) || !svgw_read(&p, end, &v[5]))
        return -1;
    if (v[0] != r->svgw_x || v[1] != r->svgw_y || v[3] != r->svgw_y || v[4] != r->svgw_x ||
        v[5] != r->svgw_y + 1.0 / 64)
        return -1;
    double i = (v[2] - r->svgw_x) * 64 - 1;
    if (!(i >= 0 && i < (double)r->svgw_n && i == floor(i)))
        return -1;
    return (long)i;
}

/* Swaps every placeholder's d="..." in the finished SVG for its path data.
 * Returns -1 when memory ran out. */
static int svgw_fill(rm_render *r, membuf *m)
{
    static const char key[] = " d=\"";
    size_t extra = 0;
    for (size_t i = 0; i < r->svgw_n; i++)
        extra += strlen(r->svgw_paths[i]);
    unsigned char *out = malloc(m->len + extra + 1);
    unsigned char *seen = calloc(r->svgw_n + 1, 1);
    if (!out || !seen) {
        free(out);
        free(seen);
        return -1;
    }
    const char *s = (const char *)m->data, *end = s + m->len;
    size_t o = 0;
    while (s < end) {
        const char *hit = s;
        while (hit + 4 <= end && memcmp(hit, key, 4) != 0) {
            hit = memchr(hit + 1, ' ', (size_t)(end - hit - 1));
            if (!hit)
                hit = end;
        }
        if (hit + 4 > end)
            break;
        const char *val = hit + sizeof key - 1;
        const char *close = memchr(val, '"', (size_t)(end - val));
        long which = close ? svgw_which(r, val, close) : -1;
        if (which < 0 || seen[which]) {
            memcpy(out + o, s, (size_t)(val - s));
            o += (size_t)(val - s);
            s = val;
            continue;
        }
        seen[which] = 1;
        memcpy(out + o, s, (size_t)(val - s));
        o += (size_t)(val - s);
        size_t dl = strlen(r->svgw_paths[which]);
        memcpy(out + o, r->svgw_paths[which], dl);
        o += dl;
        s = close;
    }
    memcpy(out + o, s, (size_t)(end - s));
    o += (size_t)(end - s);
    free(seen); /* a placeholder not seen was not drawn (no fill, no stroke) */
    free(m->data);
    m->data = out;
    m->len = o;
    m->cap = m->len + 1;
    return 0;
}

static void emit(rm_render *r, const double *xy, size_t n, int closed)
{
    if (n < 2)
        return;
    cairo_t *cr = r->cr;
    if (r->svgw_on) {
        double bx0 = xy[0], bx1 = xy[0], by0 = xy[1], by1 = xy[1];
        for (size_t i = 1; i < n; i++) {
            bx0 = fmin(bx0, xy[2 * i]);
            bx1 = fmax(bx1, xy[2 * i]);
            by0 = fmin(by0, xy[2 * i + 1]);
            by1 = fmax(by1, xy[2 * i + 1]);
        }
        if (bx1 - bx0 < 0.5 && by1 - by0 < 0.5)
            return;
        long px = lround(xy[0] * 4), py = lround(xy[1] * 4);
        svgw_put(r, "M", 1);
        svgw_num(r, px);
        svgw_num(r, py);
        int first = 1;
        for (size_t i = 1; i < n; i++) {
            long x = lround(xy[2 * i] * 4), y = lround(xy[2 * i + 1] * 4);
            if (x == px && y == py)
                continue;
            if (first)
                svgw_put(r, "l", 1);
            first = 0;
            svgw_num(r, x - px);
            svgw_num(r, y - py);
            px = x;
            py = y;
        }
        if (closed)
            svgw_put(r, "z", 1);
        return;
    }
    if (r->simplify_px <= 0) {
        cairo_move_to(cr, xy[0], xy[1]);
        for (size_t i = 1; i < n; i++)
            cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    } else {
        double bx0 = xy[0], bx1 = xy[0], by0 = xy[1], by1 = xy[1];
        for (size_t i = 1; i < n; i++) {
            bx0 = fmin(bx0, xy[2 * i]);
            bx1 = fmax(bx1, xy[2 * i]);
            by0 = fmin(by0, xy[2 * i + 1]);
            by1 = fmax(by1, xy[2 * i + 1]);
        }
        double tiny = 1.25 * r->simplify_px; /* half a device pixel */
        if (bx1 - bx0 < tiny && by1 - by0 < tiny)
            return;
        /* vector output: a 1/4 px grid; a PNG's own pixels may be finer
         * (at 300 dpi a CSS px is three of them), so it keeps every bit */
        double g = r->round_grid;
        double px = g > 0 ? round(xy[0] * g) / g : xy[0];
        double py = g > 0 ? round(xy[1] * g) / g : xy[1];
        cairo_move_to(cr, px, py);
        for (size_t i = 1; i < n; i++) {
            double x = g > 0 ? round(xy[2 * i] * g) / g : xy[2 * i];
            double y = g > 0 ? round(xy[2 * i + 1] * g) / g : xy[2 * i + 1];
            if (x == px && y == py)
                continue;
            cairo_line_to(cr, x, y);
            px = x;
            py = y;
        }
    }
    if (closed)
        cairo_close_path(cr);
}

/* Densifies, projects, simplifies and page-clips one lon/lat part (already
 * clipped to the frame's lon/lat box, in scratch memory that may be
 * changed) and adds it to the cairo path. */
static int path_part(rm_render *r, double *ll, size_t n, int closed)
{
    /* simplify in lon/lat first: PROJ and the SVG writer then see only the
     * vertices that can show (a 10m coastline has ~10 per pixel here) */
    if (r->simplify_ll > 0) {
        n = rm_simplify(ll, n, r->simplify_ll, closed);
        if (n < (closed ? 3u : 2u))
            return 0;
    }
    /* densify into r->buf */
    size_t need = n;
    for (size_t i = 0; i + 1 < n; i++) {
        double d = fmax(fabs(ll[2 * i + 2] - ll[2 * i]), fabs(ll[2 * i + 3] - ll[2 * i + 1]));
        if (d > DENSIFY_DEG)
            need += (size_t)(d / DENSIFY_DEG);
    }
    if (closed && n > 2) {
        double d = fmax(fabs(ll[0] - ll[2 * n - 2]), fabs(ll[1] - ll[2 * n - 1]));
        if (d > DENSIFY_DEG)
            need += (size_t)(d / DENSIFY_DEG);
    }
    if (buf_reserve(r, need + 1) != 0)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        r->buf[2 * m] = ll[2 * i];
        r->buf[2 * m + 1] = ll[2 * i + 1];
        m++;
        size_t j = i + 1;
        if (j == n) {
            if (!closed || n < 3)
                break;
            j = 0;
        }
        double dx = ll[2 * j] - ll[2 * i], dy = ll[2 * j + 1] - ll[2 * i + 1];
        double d = fmax(fabs(dx), fabs(dy));
        if (d > DENSIFY_DEG) {
            size_t k = (size_t)(d / DENSIFY_DEG);
            for (size_t s = 1; s <= k; s++) {
                double t = (double)s / (double)(k + 1);
                r->buf[2 * m] = ll[2 * i] + t * dx;
                r->buf[2 * m + 1] = ll[2 * i + 1] + t * dy;
                m++;
            }
        }
    }
    rm_r_to_page(r, r->buf, m);
    /* split lines at unprojectable points; rings just lose them */
    double *xy = r->buf;
    size_t start = 0;
    rm_bbox clip = {r->map.x0 - 4, r->map.y0 - 4, r->map.x1 + 4, r->map.y1 + 4};
    if (closed) {
        size_t k = 0;
        for (size_t i = 0; i < m; i++)
            if (isfinite(xy[2 * i])) {
                xy[2 * k] = xy[2 * i];
                xy[2 * k + 1] = xy[2 * i + 1];
                k++;
            }
        if (r->simplify_px > 0)
            k = rm_simplify(xy, k, r->simplify_px, 1);
        if (k < 3)
            return 0;
        rm_path_clear(&r->s2);
        if (rm_clip_ring(xy, k, &clip, &r->s2) != 0) {
            r->oom = 1;
            return -1;
        }
        for (size_t p = 0; p < r->s2.nparts; p++)
            emit(r, r->s2.xy + 2 * r->s2.parts[p], rm_path_part_len(&r->s2, p), 1);
        return 0;
    }
    for (size_t i = 0; i <= m; i++) {
        if (i == m || !isfinite(xy[2 * i])) {
            size_t len = i - start;
            if (len >= 2) {
                double *seg = xy + 2 * start;
                if (r->simplify_px > 0)
                    len = rm_simplify(seg, len, r->simplify_px, 0);
                rm_path_clear(&r->s2);
                if (rm_clip_polyline(seg, len, &clip, &r->s2) != 0) {
                    r->oom = 1;
                    return -1;
                }
                for (size_t p = 0; p < r->s2.nparts; p++)
                    emit(r, r->s2.xy + 2 * r->s2.parts[p], rm_path_part_len(&r->s2, p), 0);
            }
            start = i + 1;
        }
    }
    return 0;
}

int rm_r_path_lonlat(rm_render *r, const double *ll, size_t n, int closed)
{
    if (n < 2)
        return 0;
    rm_path_clear(&r->s1);
    int rc = closed ? rm_clip_ring(ll, n, &r->frame_ll, &r->s1)
                    : rm_clip_polyline(ll, n, &r->frame_ll, &r->s1);
    if (rc != 0) {
        r->oom = 1;
        return -1;
    }
    for (size_t p = 0; p < r->s1.nparts; p++)
        if (path_part(r, r->s1.xy + 2 * r->s1.parts[p], rm_path_part_len(&r->s1, p), closed) != 0)
            return -1;
    return 0;
}

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
    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_move_to(cr, x, y);
    if (halo && halo_w > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, l);
        /* the halo's outline, rounded to 1/8 px: invisible under a halo
         * this wide, and it keeps an SVG from carrying six decimals per
         * control point */
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
        rm_r_set_color(cr, halo);
        cairo_set_line_width(cr, halo_w);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, x, y);
    }
    rm_r_set_color(cr, fg);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
}

/* ---------------------------------------------------------------- layers */

typedef enum role {
    ROLE_OTHER,
    ROLE_LAND,
    ROLE_COUNTRIES,
    ROLE_BORDERS,
    ROLE_COAST,
    ROLE_RAIL,
    ROLE_LAKES
} role;

static role layer_role(const char *id, const char *file)
{
    const char *s = id && *id ? id : file;
    if (!s)
        return ROLE_OTHER;
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    if (strstr(base, "countr"))
        return ROLE_COUNTRIES;
    if (strstr(base, "border") || strstr(base, "boundar"))
        return ROLE_BORDERS;
    if (strstr(base, "coast"))
        return ROLE_COAST;
    if (strstr(base, "rail"))
        return ROLE_RAIL;
    if (strstr(base, "lake"))
        return ROLE_LAKES;
    if (strstr(base, "land"))
        return ROLE_LAND;
    return ROLE_OTHER;
}

/* The print theme must survive a greyscale printer: colours a spec gives
 * are turned into greys of the same luminance there. */
static double hue_to_rgb(double p, double q, double t)
{
    if (t < 0)
        t += 1;
    if (t > 1)
        t -= 1;
    if (t < 1.0 / 6)
        return p + (q - p) * 6 * t;
    if (t < 0.5)
        return q;
    if (t < 2.0 / 3)
        return p + (q - p) * (2.0 / 3 - t) * 6;
    return p;
}

/* c with its HSL lightness mirrored (1 - L), hue and saturation kept. */
static rm_color mirror_lightness(rm_color c)
{
    double mx = fmax(c.r, fmax(c.g, c.b)), mn = fmin(c.r, fmin(c.g, c.b));
    double l = (mx + mn) / 2, h = 0, sat = 0, d = mx - mn;
    if (d > 0) {
        sat = l > 0.5 ? d / (2 - mx - mn) : d / (mx + mn);
        if (mx == c.r)
            h = (c.g - c.b) / d + (c.g < c.b ? 6 : 0);
        else if (mx == c.g)
            h = (c.b - c.r) / d + 2;
        else
            h = (c.r - c.g) / d + 4;
        h /= 6;
    }
    l = 1 - l;
    if (sat == 0) {
        c.r = c.g = c.b = l;
        return c;
    }
    double q = l < 0.5 ? l * (1 + sat) : l + sat - l * sat, p = 2 * l - q;
    c.r = hue_to_rgb(p, q, h + 1.0 / 3);
    c.g = hue_to_rgb(p, q, h);
    c.b = hue_to_rgb(p, q, h - 1.0 / 3);
    return c;
}

/* Colours a spec gives, fitted to the theme. The print theme must survive a
 * greyscale printer: they become greys of the same luminance. The dark
 * theme keeps the page dark: a light fill (a spec written for the light
 * theme) or a near-black line gets its lightness mirrored; colours already
 * suited to a dark page are kept. */
static rm_color themed_as(const rm_render *r, rm_color c, int is_fill)
{
    if (r->th.grey) {
        double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        c.r = c.g = c.b = y;
    } else if (r->th.dark) {
        double l = (fmax(c.r, fmax(c.g, c.b)) + fmin(c.r, fmin(c.g, c.b))) / 2;
        if ((is_fill && l > 0.5) || (!is_fill && l < 0.3))
            c = mirror_lightness(c);
    }
    return c;
}

static rm_color themed(const rm_render *r, rm_color c)
{
    return themed_as(r, c, 0);
}

/* The theme's style for a role, with the fields the spec gave laid over it. */
static rm_style layer_style(const rm_render *r, role ro, rm_geom_type gt, const rm_style *given)
{
    const rm_theme *t = &r->th;
    rm_style s;
    memset(&s, 0, sizeof s);
    s.opacity = 1;
    switch (ro) {
    case ROLE_LAND:
        s.fill = t->land;
        break;
    case ROLE_COUNTRIES:
        s.fill = t->country[0];
        break;
    case ROLE_LAKES:
        s.fill = t->lake;
        s.stroke = t->coast;
        s.width = t->coast_w * 0.8;
        break;
    case ROLE_BORDERS:
        s.stroke = t->border;
        s.width = t->border_w;
        s.dash[0] = 4;
        s.dash[1] = 2.5;
        s.ndash = 2;
        break;
    case ROLE_COAST:
        s.stroke = t->coast;
        s.width = t->coast_w;
        break;
    case ROLE_RAIL:
        s.stroke = t->rail;
        s.width = t->rail_w;
        break;
    default:
        if (gt == RM_GEOM_POLYGON) {
            s.fill = t->country[1];
            s.stroke = t->border;
            s.width = 0.5;
        } else {
            s.stroke = t->text_muted;
            s.width = 0.8;
        }
        break;
    }
    if (given) {
        if (given->set & RM_STYLE_STROKE)
            s.stroke = themed(r, given->stroke);
        if (given->set & RM_STYLE_FILL)
            s.fill = themed_as(r, given->fill, 1);
        if (given->set & RM_STYLE_WIDTH)
            s.width = given->width;
        if (given->set & RM_STYLE_DASH) {
            s.ndash = given->ndash;
            memcpy(s.dash, given->dash, sizeof s.dash);
        }
        if (given->set & RM_STYLE_OPACITY)
            s.opacity = given->opacity;
    }
    return s;
}

/* dir/file (file when absolute); a path too long for out gives "", which
 * is then simply not found (a path cut short might name another file). */
static int join_path(char *out, size_t cap, const char *dir, const char *file)
{
    int rel = file[0] != '/' && dir && *dir;
    size_t nd = rel ? strlen(dir) + 1 : 0, nf = strlen(file);
    if (nd + nf + 1 > cap) {
        out[0] = 0;
        return -1;
    }
    if (rel) {
        memcpy(out, dir, nd - 1);
        out[nd - 1] = '/';
    }
    memcpy(out + nd, file, nf + 1);
    return 0;
}

static int file_exists(const char *path)
{
    char p[4200];
    FILE *f = fopen(path, "rb");
    if (!f) {
        int n = snprintf(p, sizeof p, "%s.shp", path);
        f = n > 0 && (size_t)n < sizeof p ? fopen(p, "rb") : NULL;
    }
    if (f)
        fclose(f);
    return f != NULL;
}

static void country_label(rm_render *r, const rm_feature *f, const char *name);

static void apply_stroke_style(cairo_t *cr, const rm_style *s)
{
    rm_color c = s->stroke;
    c.a *= s->opacity;
    rm_r_set_color(cr, &c);
    cairo_set_line_width(cr, s->width);
    if (s->ndash > 0)
        cairo_set_dash(cr, s->dash, s->ndash, 0);
    else
        cairo_set_dash(cr, NULL, 0, 0);
}

static int feature_kept(const rm_layer_spec *ls, const rm_feature *f, int field)
{
    if (!ls || !ls->filter_field || field < 0)
        return 1;
    const char *v = rm_feature_attr(f, field);
    for (size_t i = 0; i < ls->nfilter_values; i++)
        if (!strcmp(v, ls->filter_values[i]))
            return 1;
    return 0;
}

/* The land for a locator inset: the file of the spec's first land layer
 * (by the roles above: an id or file naming land, not a border, coast,
 * country or lake layer), else land.shp, resolved against the data
 * directory. 0, or -1 when the path does not fit in out. */
int rm_r_land_file(const rm_render *r, char *out, size_t cap)
{
    const char *file = "land.shp";
    for (size_t i = 0; r->spec && i < r->spec->nlayers; i++) {
        const rm_layer_spec *ls = &r->spec->layers[i];
        if (ls->file && (ls->kind == RM_LAYER_AUTO || ls->kind == RM_LAYER_FILL) &&
            layer_role(ls->id, ls->file) == ROLE_LAND) {
            file = ls->file;
            break;
        }
    }
    return join_path(out, cap, r->data_dir, file);
}

/* Draws one layer: file resolved against the data directory, features in the
 * frame's lon/lat box only. ls is NULL for a built-in default layer. */
static rm_status draw_layer(rm_render *r, const rm_layer_spec *ls, const char *id, const char *file,
                            int optional, rm_error *err)
{
    char path[4200];
    join_path(path, sizeof path, r->data_dir, file);
    if (optional && !file_exists(path)) {
        if (r->verbose)
            fprintf(r->verbose, "routemap: layer '%s' skipped: %s not found\n", id, path);
        return RM_OK;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    role ro = layer_role(id, file);
    int want_attrs = (ls && ls->filter_field) || ro == ROLE_COUNTRIES;
    rm_load_options lo = {&r->frame_ll, !want_attrs, 0, 0, 1, 0, ls ? ls->crs : NULL};
    rm_layer *layer = rm_layer_load(path, &lo, err);
    if (!layer) {
        rm_error_prefix(err, "layer '%s'", id);
        return err ? err->status : RM_ERR_IO;
    }
    rm_geom_type gt = rm_layer_geom_type(layer);
    rm_layer_kind kind = ls ? ls->kind : RM_LAYER_AUTO;
    if (kind == RM_LAYER_AUTO)
        kind = gt == RM_GEOM_POLYGON ? RM_LAYER_FILL
               : gt == RM_GEOM_POINT ? RM_LAYER_POINT
                                     : RM_LAYER_LINE;
    rm_style st = layer_style(r, ro, gt, ls ? &ls->style : NULL);
    int ffield = ls && ls->filter_field ? rm_layer_field_index(layer, ls->filter_field) : -1;
    if (ls && ls->filter_field && ffield < 0) {
        rm_status s = rm_error_set(err, RM_ERR_NOT_FOUND, "layer '%s': %s has no field '%s'", id,
                                   path, ls->filter_field);
        rm_layer_free(layer);
        return s;
    }
    int tint_field = -1;
    if (ro == ROLE_COUNTRIES && !(ls && (ls->style.set & RM_STYLE_FILL))) {
        tint_field = rm_layer_field_index(layer, "MAPCOLOR7");
        if (tint_field < 0)
            tint_field = rm_layer_field_index(layer, "mapcolor7");
    }
    cairo_t *cr = r->cr;
    size_t n = rm_layer_count(layer);
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (kind == RM_LAYER_FILL && gt == RM_GEOM_POLYGON) {
        int ntint = tint_field >= 0 ? 4 : 1;
        for (int tint = 0; tint < ntint; tint++) {
            cairo_new_path(cr);
            svgw_begin(r);
            for (size_t i = 0; i < n; i++) {
                const rm_feature *f = rm_layer_feature(layer, i);
                if (!feature_kept(ls, f, ffield))
                    continue;
                if (tint_field >= 0 && atoi(rm_feature_attr(f, tint_field)) % 4 != tint)
                    continue;
                for (int p = 0; p < f->nparts; p++) {
                    int a = f->part_start[p], b = f->part_start[p + 1];
                    rm_r_path_lonlat(r, f->xy + 2 * a, (size_t)(b - a), 1);
                }
            }
            svgw_end(r);
            rm_color fill = tint_field >= 0 ? r->th.country[tint] : st.fill;
            fill.a *= st.opacity;
            cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
            if (fill.a > 0) {
                rm_r_set_color(cr, &fill);
                if (st.stroke.a > 0 && st.width > 0)
                    cairo_fill_preserve(cr);
                else
                    cairo_fill(cr);
            }
            if (st.stroke.a > 0 && st.width > 0) {
                apply_stroke_style(cr, &st);
                cairo_stroke(cr);
            }
            cairo_new_path(cr);
        }
    } else if (kind == RM_LAYER_POINT || gt == RM_GEOM_POINT) {
        rm_color fill = st.fill.a > 0 ? st.fill : r->th.marker_fill;
        for (size_t i = 0; i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (!feature_kept(ls, f, ffield))
                continue;
            for (int k = 0; k < f->npoints; k++) {
                double xy[2] = {f->xy[2 * k], f->xy[2 * k + 1]};
                if (!rm_bbox_contains_point(&r->frame_ll, xy[0], xy[1]))
                    continue;
                rm_r_to_page(r, xy, 1);
                if (!isfinite(xy[0]) || xy[0] < r->map.x0 || xy[0] > r->map.x1 ||
                    xy[1] < r->map.y0 || xy[1] > r->map.y1)
                    continue;
                cairo_new_sub_path(cr);
                cairo_arc(cr, xy[0], xy[1], 2.5, 0, 2 * M_PI);
            }
        }
        rm_r_set_color(cr, &fill);
        cairo_fill_preserve(cr);
        apply_stroke_style(cr, &st);
        cairo_stroke(cr);
    } else {
        cairo_new_path(cr);
        svgw_begin(r);
        for (size_t i = 0; i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (!feature_kept(ls, f, ffield))
                continue;
            for (int p = 0; p < f->nparts; p++) {
                int a = f->part_start[p], b = f->part_start[p + 1];
                rm_r_path_lonlat(r, f->xy + 2 * a, (size_t)(b - a), gt == RM_GEOM_POLYGON);
            }
        }
        svgw_end(r);
        if (st.width > 0 && st.stroke.a > 0) {
            apply_stroke_style(cr, &st);
            cairo_stroke(cr);
        }
        cairo_new_path(cr);
    }
    cairo_restore(cr);
    if (ro == ROLE_RAIL)
        r->rail_drawn = 1;
    if (ro == ROLE_COUNTRIES && !r->in_inset) {
        int nf = rm_layer_field_index(layer, "NAME");
        if (nf < 0)
            nf = rm_layer_field_index(layer, "ADMIN");
        for (size_t i = 0; nf >= 0 && i < n; i++) {
            const rm_feature *f = rm_layer_feature(layer, i);
            if (feature_kept(ls, f, ffield))
                country_label(r, f, rm_feature_attr(f, nf));
        }
    }
    /* legend rows for layers that carry meaning */
    const char *legend = ls ? ls->legend : NULL;
    if (!legend && ro == ROLE_RAIL)
        legend = "Railway";
    if (!legend && ro == ROLE_BORDERS)
        legend = "International border";
    if (legend && *legend && !r->in_inset)
        rm_r_legend_add(r,
                        kind == RM_LAYER_FILL ? RM_LEG_FILL
                        : st.ndash            ? RM_LEG_DASHED
                                              : RM_LEG_LINE,
                        legend, &st, NULL);
    if (r->verbose && !r->in_inset) {
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(r->verbose, "routemap: layer '%s': %zu features, %zu vertices read, %.3f s%s\n", id,
                n, rm_layer_vertex_count(layer),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
                rm_layer_used_index(layer) ? " (record index)" : "");
    }
    rm_layer_free(layer);
    if (r->oom)
        return rm_error_set(err, RM_ERR_NOMEM, "layer '%s': out of memory", id);
    return RM_OK;
}

/* Where to write a country's name: on its largest ring as it appears on the
 * page (clipped to the map area), at the centroid when that lies inside,
 * else in the middle of the widest stretch of the ring along the
 * centroid's row. Small countries get no name. */
static void country_label(rm_render *r, const rm_feature *f, const char *name)
{
    if (!name || !*name)
        return;
    int best = -1;
    double best_a = 0;
    for (int p = 0; p < f->nparts; p++) {
        const double *xy = f->xy + 2 * f->part_start[p];
        int n = f->part_start[p + 1] - f->part_start[p];
        double a = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            a += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        a = fabs(a / 2) * cos(xy[1] * M_PI / 180);
        if (a > best_a) {
            best_a = a;
            best = p;
        }
    }
    if (best < 0)
        return;
    size_t n = (size_t)(f->part_start[best + 1] - f->part_start[best]);
    rm_path lonlat, page;
    rm_path_init(&lonlat);
    rm_path_init(&page);
    if (rm_clip_ring(f->xy + 2 * f->part_start[best], n, &r->frame_ll, &lonlat) != 0 ||
        lonlat.nparts == 0)
        goto out;
    rm_r_to_page(r, lonlat.xy, lonlat.n);
    size_t k = 0;
    for (size_t i = 0; i < lonlat.n; i++)
        if (isfinite(lonlat.xy[2 * i])) {
            lonlat.xy[2 * k] = lonlat.xy[2 * i];
            lonlat.xy[2 * k + 1] = lonlat.xy[2 * i + 1];
            k++;
        }
    rm_bbox area = {r->map.x0 + 4, r->map.y0 + 4, r->map.x1 - 4, r->map.y1 - 4};
    if (k < 3 || rm_clip_ring(lonlat.xy, k, &area, &page) != 0 || page.nparts == 0 || page.n < 3)
        goto out;
    const double *q = page.xy;
    size_t m = page.n;
    double A = 0, cx = 0, cy = 0, minx = INFINITY, maxx = -INFINITY;
    for (size_t i = 0; i < m; i++) {
        size_t j = (i + 1) % m;
        double c = q[2 * i] * q[2 * j + 1] - q[2 * j] * q[2 * i + 1];
        A += c;
        cx += (q[2 * i] + q[2 * j]) * c;
        cy += (q[2 * i + 1] + q[2 * j + 1]) * c;
        minx = fmin(minx, q[2 * i]);
        maxx = fmax(maxx, q[2 * i]);
    }
    if (fabs(A) < 1e-9)
        goto out;
    cx /= 3 * A;
    cy /= 3 * A;
    A = fabs(A) / 2;
    if (A < 5000)
        goto out;
    /* crossings of the centroid's row with the ring, sorted */
    double xs[256];
    int nx = 0;
    for (size_t i = 0; i < m && nx < 256; i++) {
        size_t j = (i + 1) % m;
        double y0 = q[2 * i + 1], y1 = q[2 * j + 1];
        if ((y0 <= cy && y1 > cy) || (y1 <= cy && y0 > cy))
            xs[nx++] = q[2 * i] + (cy - y0) / (y1 - y0) * (q[2 * j] - q[2 * i]);
    }
    for (int i = 1; i < nx; i++)
        for (int j = i; j > 0 && xs[j - 1] > xs[j]; j--) {
            double t = xs[j];
            xs[j] = xs[j - 1];
            xs[j - 1] = t;
        }
    int inside = 0;
    double wbest = 0, lx = cx, maxw = maxx - minx;
    for (int i = 0; i + 1 < nx; i += 2) {
        if (cx >= xs[i] && cx <= xs[i + 1])
            inside = 1;
        if (xs[i + 1] - xs[i] > wbest) {
            wbest = xs[i + 1] - xs[i];
            lx = (xs[i] + xs[i + 1]) / 2;
        }
    }
    if (!inside) {
        cx = lx;
        maxw = wbest;
    }
    double size = (A > 40000 ? 12.5 : 11) * r->fs;
    if (rm_r_label_add_area(r, name, cx, cy, maxw * 0.9, 1, size) != 0)
        r->oom = 1;
out:
    rm_path_free(&lonlat);
    rm_path_free(&page);
}

static const struct {
    const char *id, *file;
} default_layers[] = {
    {"land", "land.shp"},       {"countries", "countries.shp"}, {"lakes", "lakes.shp"},
    {"borders", "borders.shp"}, {"coastline", "coastline.shp"}, {"rail", "rail.shp"},
};

/* Draws every layer of the spec (or the built-in base layers) with the
 * current projection, frame and map area. */
rm_status rm_r_draw_layers(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    rm_status st = RM_OK;
    if (spec->nlayers > 0) {
        for (size_t i = 0; i < spec->nlayers && st == RM_OK; i++) {
            const rm_layer_spec *ls = &spec->layers[i];
            if (!ls->file)
                return rm_error_set(err, RM_ERR_SPEC, "layer %zu: no file", i + 1);
            st = draw_layer(r, ls, ls->id ? ls->id : ls->file, ls->file, 0, err);
        }
    } else {
        for (size_t i = 0; i < sizeof default_layers / sizeof default_layers[0] && st == RM_OK; i++)
            st = draw_layer(r, NULL, default_layers[i].id, default_layers[i].file, 1, err);
    }
    return st;
}

/* --------------------------------------------------------------- markers */

static int kind_is(const char *kind, const char *what)
{
    return kind && strstr(kind, what) != NULL;
}

static int kind_priority(const char *kind)
{
    if (kind_is(kind, "origin") || kind_is(kind, "destination"))
        return 100;
    if (kind_is(kind, "crossing"))
        return 90;
    if (kind_is(kind, "trip") || kind_is(kind, "flight"))
        return 60;
    if (kind_is(kind, "capital"))
        return 40;
    return 20;
}

/* The first alias written in a non-Latin script, for bilingual labels. */
static int native_alias(const char *aliases, char *out, size_t cap)
{
    const char *s = aliases;
    while (s && *s) {
        const char *e = strchr(s, '|');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        int nonlatin = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            /* lead bytes of code points beyond Latin Extended (U+0250+) */
            if (c >= 0xc9 && c != 0xe1 /* U+1Exx Latin Extended Additional */)
                nonlatin = 1;
        }
        if (nonlatin && n + 1 < cap) {
            memcpy(out, s, n);
            out[n] = '\0';
            return 1;
        }
        s = e ? e + 1 : NULL;
    }
    return 0;
}

static char *str_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Resolves every marker of the spec to lon/lat and a label. */
static rm_status resolve_markers(rm_render *r, const rm_gazetteer *g, rm_error *err)
{
    const rm_spec *s = r->spec;
    r->marks = calloc(s->nmarkers + 2 * s->nroutes + 1, sizeof *r->marks);
    if (!r->marks)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->nmarkers; i++) {
        const rm_marker_spec *m = &s->markers[i];
        rm_mark *k = &r->marks[r->nmarks];
        memset(k, 0, sizeof *k);
        k->spec = m;
        k->cluster = -1;
        const char *name = NULL;
        char native[256] = "";
        if (m->has_lonlat) {
            k->lon = m->lon;
            k->lat = m->lat;
        } else if (m->place) {
            rm_place pl;
            if (rm_gazetteer_resolve(g, m->place, &pl, err) != RM_OK) {
                rm_error_prefix(err, "marker %zu", i + 1);
                return err ? err->status : RM_ERR_NOT_FOUND;
            }
            k->lon = pl.lon;
            k->lat = pl.lat;
            name = pl.name;
            if (r->spec->bilingual)
                native_alias(pl.aliases, native, sizeof native);
        } else {
            return rm_error_set(err, RM_ERR_SPEC, "marker %zu: no place and no lon/lat", i + 1);
        }
        const char *text = m->label ? m->label : name ? name : "";
        char buf[600];
        if (native[0] && !strstr(text, native))
            snprintf(buf, sizeof buf, "%s · %s", text, native);
        else
            snprintf(buf, sizeof buf, "%s", text);
        k->label = str_dup(buf);
        if (!k->label)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        k->kind = m->kind ? m->kind : "city";
        k->priority = m->priority ? m->priority : kind_priority(k->kind);
        k->is_flight = kind_is(k->kind, "flight") || kind_is(k->kind, "plane") ||
                       kind_is(m->mode, "plane") || kind_is(m->mode, "flight") ||
                       kind_is(m->mode, "air");
        if (m->number > 0)
            k->nums[k->nnums++] = m->number;
        r->nmarks++;
    }
    return RM_OK;
}

/* ---------------------------------------------------------------- routes */

static rm_status compute_routes(rm_render *r, const rm_gazetteer *g, rm_error *err)
{
    const rm_spec *s = r->spec;
    if (s->nroutes == 0)
        return RM_OK;
    r->routes = calloc(s->nroutes, sizeof *r->routes);
    if (!r->routes)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->nroutes; i++) {
        const rm_route_spec *rs = &s->routes[i];
        rm_rroute *rr = &r->routes[r->nroutes];
        rm_path_init(&rr->page);
        rr->spec = rs;
        r->nroutes++;
        if (!rs->from || !rs->to)
            return rm_error_set(err, RM_ERR_SPEC, "route %zu: needs 'from' and 'to'", i + 1);
        size_t nst = 2 + rs->nvia;
        double *stops = malloc(2 * nst * sizeof *stops);
        if (!stops)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        rm_bbox sb = rm_bbox_empty();
        for (size_t k = 0; k < nst; k++) {
            const char *q = k == 0 ? rs->from : k == nst - 1 ? rs->to : rs->via[k - 1];
            rm_place pl;
            if (rm_gazetteer_resolve(g, q, &pl, err) != RM_OK) {
                free(stops);
                rm_error_prefix(err, "route %zu", i + 1);
                return err ? err->status : RM_ERR_NOT_FOUND;
            }
            stops[2 * k] = pl.lon;
            stops[2 * k + 1] = pl.lat;
            rm_bbox_add(&sb, pl.lon, pl.lat);
            if (k == 0)
                rr->from_name = str_dup(pl.name);
            if (k == nst - 1)
                rr->to_name = str_dup(pl.name);
        }
        rr->from_ll[0] = stops[0];
        rr->from_ll[1] = stops[1];
        rr->to_ll[0] = stops[2 * nst - 2];
        rr->to_ll[1] = stops[2 * nst - 1];
        /* read the rail network around the stops (generously: a path may
         * bend well outside the box of its ends) */
        double pad = 0.6 * fmax(sb.maxx - sb.minx, sb.maxy - sb.miny) + 4;
        rm_bbox fb = {sb.minx - pad, sb.miny - pad, sb.maxx + pad, sb.maxy + pad};
        char path[4200];
        join_path(path, sizeof path, r->data_dir, rs->rail_file ? rs->rail_file : "rail.shp");
        rm_load_options lo = {&fb, 0, 0, 0, 0, 0, NULL};
        rm_layer *rail = rm_layer_load(path, &lo, err);
        if (!rail) {
            free(stops);
            rm_error_prefix(err, "route %zu", i + 1);
            return err ? err->status : RM_ERR_IO;
        }
        rm_railnet_options ro;
        memset(&ro, 0, sizeof ro);
        ro.snap_m = 5;
        ro.max_gap_km = rs->max_gap_km > 0 ? rs->max_gap_km : 5;
        ro.max_snap_km = 30;
        rm_railnet *net = rm_railnet_build(rail, &ro, err);
        rm_status st = RM_OK;
        if (!net) {
            st = err ? err->status : RM_ERR_FORMAT;
        } else {
            st = rm_railnet_route(net, stops, nst, &rr->route, err);
            rm_railnet_free(net);
        }
        rm_layer_free(rail);
        free(stops);
        if (st != RM_OK) {
            rm_error_prefix(err, "route %zu (%s to %s)", i + 1, rs->from, rs->to);
            return st;
        }
        if (!rr->from_name || !rr->to_name)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    return RM_OK;
}

/* Is page segment (ax,ay)-(bx,by) one of the route's bridged gaps? */
static int is_gap_segment(const rm_route *rt, const double *a, const double *b)
{
    for (size_t g = 0; g < rt->ngaps; g++) {
        const double *q = rt->gap_xy + 4 * g;
        double e = 1e-7;
        if ((fabs(a[0] - q[0]) < e && fabs(a[1] - q[1]) < e && fabs(b[0] - q[2]) < e &&
             fabs(b[1] - q[3]) < e) ||
            (fabs(a[0] - q[2]) < e && fabs(a[1] - q[3]) < e && fabs(b[0] - q[0]) < e &&
             fabs(b[1] - q[1]) < e))
            return 1;
    }
    return 0;
}

static rm_style route_style(const rm_render *r, const rm_route_spec *rs)
{
    rm_style s;
    memset(&s, 0, sizeof s);
    s.stroke = r->th.route;
    s.width = r->th.route_w;
    s.opacity = 1;
    if (rs->style.set & RM_STYLE_STROKE)
        s.stroke = themed(r, rs->style.stroke);
    if (rs->style.set & RM_STYLE_WIDTH)
        s.width = rs->style.width;
    if (rs->style.set & RM_STYLE_DASH) {
        s.ndash = rs->style.ndash;
        memcpy(s.dash, rs->style.dash, sizeof s.dash);
    }
    if (rs->style.set & RM_STYLE_OPACITY)
        s.opacity = rs->style.opacity;
    return s;
}

/* Adds the route's solid pieces (all but bridged gaps) to the cairo path. */
static void route_solid_path(rm_render *r, const rm_route *rt)
{
    size_t start = 0;
    for (size_t i = 0; i + 1 <= rt->npoints; i++) {
        int cut = i + 1 == rt->npoints ||
                  (rt->ngaps && is_gap_segment(rt, rt->xy + 2 * i, rt->xy + 2 * i + 2));
        if (cut) {
            if (i + 1 - start >= 2)
                rm_r_path_lonlat(r, rt->xy + 2 * start, i + 1 - start, 0);
            start = i + 1;
        }
    }
}

/* An arrowhead pointing along the route at page point (x,y), direction (dx,dy). */
static void arrow(cairo_t *cr, double x, double y, double dx, double dy, double size)
{
    double len = hypot(dx, dy);
    if (!(len > 0))
        return;
    dx /= len;
    dy /= len;
    double px = -dy, py = dx;
    cairo_move_to(cr, x + dx * size, y + dy * size);
    cairo_line_to(cr, x - dx * size * 0.6 + px * size * 0.75,
                  y - dy * size * 0.6 + py * size * 0.75);
    cairo_line_to(cr, x - dx * size * 0.2, y - dy * size * 0.2);
    cairo_line_to(cr, x - dx * size * 0.6 - px * size * 0.75,
                  y - dy * size * 0.6 - py * size * 0.75);
    cairo_close_path(cr);
}

/* The page length of a polyline, skipping its non-finite points. A route
 * shorter than a pixel gets no arrows: their spacing would be zero and the
 * placement loop would never advance. */
static double route_page_length(const double *pts, size_t n)
{
    double total = 0;
    for (size_t k = 0; k + 1 < n; k++)
        if (isfinite(pts[2 * k]) && isfinite(pts[2 * k + 2]))
            total += hypot(pts[2 * k + 2] - pts[2 * k], pts[2 * k + 3] - pts[2 * k + 1]);
    return total;
}

static rm_status draw_routes(rm_render *r, rm_error *err)
{
    cairo_t *cr = r->cr;
    for (size_t i = 0; i < r->nroutes; i++) {
        rm_rroute *rr = &r->routes[i];
        const rm_route *rt = &rr->route;
        rm_style st = route_style(r, rr->spec);
        /* page points of the whole route, for arrows and label costs */
        double *pts = malloc(2 * (rt->npoints + 1) * sizeof *pts);
        if (!pts)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        memcpy(pts, rt->xy, 2 * rt->npoints * sizeof *pts);
        rm_r_to_page(r, pts, rt->npoints);
        cairo_save(cr);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        /* casing under the line */
        cairo_new_path(cr);
        route_solid_path(r, rt);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, st.width + 3.2);
        cairo_stroke_preserve(cr);
        apply_stroke_style(cr, &st);
        cairo_stroke(cr);
        /* bridged gaps: dashed */
        int gap_visible = 0;
        for (size_t g = 0; g < rt->ngaps; g++) {
            double q[4];
            memcpy(q, rt->gap_xy + 4 * g, sizeof q);
            cairo_new_path(cr);
            rm_r_path_lonlat(r, rt->gap_xy + 4 * g, 2, 0);
            rm_r_set_color(cr, &r->th.casing);
            cairo_set_line_width(cr, st.width + 3.2);
            cairo_set_dash(cr, NULL, 0, 0);
            cairo_stroke_preserve(cr);
            rm_style gs = st;
            gs.width = st.width * 0.8;
            gs.dash[0] = st.width * 1.2;
            gs.dash[1] = st.width * 1.0;
            gs.ndash = 2;
            apply_stroke_style(cr, &gs);
            cairo_stroke(cr);
            rm_r_to_page(r, q, 2);
            if (hypot(q[2] - q[0], q[3] - q[1]) >= 3)
                gap_visible = 1;
        }
        cairo_set_dash(cr, NULL, 0, 0);
        /* direction arrows every ~170 px of page length */
        if (rr->spec->arrows && route_page_length(pts, rt->npoints) >= 1) {
            /* evenly spread along the route's page length: one arrow per
             * ~170 px, at least one */
            double total = route_page_length(pts, rt->npoints);
            double narrows = floor(total / 170);
            if (narrows < 1)
                narrows = 1;
            if (narrows > 4096) /* bounded whatever the page coordinates */
                narrows = 4096;
            double step = total / narrows, next = step / 2, along = 0;
            rm_color ac = st.stroke;
            cairo_new_path(cr);
            for (size_t k = 0; k + 1 < rt->npoints; k++) {
                double *a = pts + 2 * k, *b = pts + 2 * k + 2;
                if (!isfinite(a[0]) || !isfinite(b[0]))
                    continue;
                double seg = hypot(b[0] - a[0], b[1] - a[1]);
                while (along + seg >= next) {
                    double t = (next - along) / seg;
                    double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
                    /* direction from a longer stretch, so kinks do not twist arrows */
                    size_t k2 = k + 1;
                    double ex = b[0], ey = b[1];
                    while (k2 + 1 < rt->npoints && hypot(ex - x, ey - y) < 12) {
                        k2++;
                        ex = pts[2 * k2];
                        ey = pts[2 * k2 + 1];
                    }
                    if (x > r->map.x0 + 10 && x < r->map.x1 - 10 && y > r->map.y0 + 10 &&
                        y < r->map.y1 - 10 && isfinite(ex))
                        arrow(cr, x, y, ex - x, ey - y, st.width * 2.3);
                    next += step;
                }
                along += seg;
            }
            rm_r_set_color(cr, &r->th.casing);
            cairo_set_line_width(cr, 1.6);
            cairo_stroke_preserve(cr);
            rm_r_set_color(cr, &ac);
            cairo_fill(cr);
        }
        cairo_restore(cr);
        /* the route's length beside its line, in its colour */
        if (rt->km > 0) {
            char km[64];
            long v = lround(rt->km);
            if (v >= 1000)
                snprintf(km, sizeof km, "%ld,%03ld km by rail", v / 1000, v % 1000);
            else
                snprintf(km, sizeof km, "%ld km by rail", v);
            if (rm_r_label_add_along(r, km, pts, rt->npoints, 70, 13 * r->fs, st.stroke) != 0)
                r->oom = 1;
        }
        /* keep the page points for label placement */
        for (size_t k = 0; k < rt->npoints; k++) {
            if (!isfinite(pts[2 * k]))
                continue;
            if (grow((void **)&r->route_pts, &r->route_pts_cap, r->nroute_pts + 1,
                     2 * sizeof *r->route_pts) != 0) {
                free(pts);
                return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            }
            r->route_pts[2 * r->nroute_pts] = pts[2 * k];
            r->route_pts[2 * r->nroute_pts + 1] = pts[2 * k + 1];
            r->nroute_pts++;
        }
        free(pts);
        char text[300];
        const char *lab = rr->spec->label;
        if (lab && *lab)
            snprintf(text, sizeof text, "%s (%.0f km)", lab, rt->km);
        else
            snprintf(text, sizeof text, "Rail route %s – %s (%.0f km)", rr->from_name, rr->to_name,
                     rt->km);
        rm_r_legend_add(r, RM_LEG_ROUTE, text, &st, NULL);
        if (gap_visible)
            rm_r_legend_add(r, RM_LEG_GAP, "Gap in the rail data, bridged", &st, NULL);
    }
    return RM_OK;
}

/* --------------------------------------------------------- marker symbols */

static double mark_radius(const rm_mark *k)
{
    if (kind_is(k->kind, "destination"))
        return 8;
    if (kind_is(k->kind, "origin"))
        return 7.5;
    if (kind_is(k->kind, "crossing"))
        return 6.5;
    if (k->nnums > 0)
        return 9.5;
    if (kind_is(k->kind, "capital"))
        return 4.5;
    return 3.5;
}

static int is_route_end_kind(const char *kind)
{
    return kind_is(kind, "origin") || kind_is(kind, "destination") || kind_is(kind, "crossing");
}

/* The numbers of a cluster as text, in ascending order: "1, 5, 6". */
static void nums_text(const rm_mark *k, char *out, size_t cap)
{
    int v[24];
    int n = k->nnums;
    memcpy(v, k->nums, sizeof v);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    out[0] = '\0';
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && v[i] == v[i - 1])
            continue; /* two trips to one place under one number */
        int w = snprintf(out + len, cap - len, len ? ",%d" : "%d", v[i]);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
}

/* Page positions, synthetic marks for unnamed route ends, and clusters of
 * marks whose symbols would touch (several trips to one city become one
 * symbol carrying all their numbers). */
static void layout_marks(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        double xy[2] = {k->lon, k->lat};
        rm_r_to_page(r, xy, 1);
        k->x = xy[0];
        k->y = xy[1];
        k->visible = isfinite(xy[0]) && xy[0] >= r->map.x0 && xy[0] <= r->map.x1 &&
                     xy[1] >= r->map.y0 && xy[1] <= r->map.y1;
    }
    /* route ends that no marker stands on get their own start/end mark */
    for (size_t i = 0; i < r->nroutes; i++) {
        for (int end = 0; end < 2; end++) {
            const double *ll = end ? r->routes[i].to_ll : r->routes[i].from_ll;
            double xy[2] = {ll[0], ll[1]};
            rm_r_to_page(r, xy, 1);
            int found = 0;
            for (size_t j = 0; j < r->nmarks; j++)
                if (hypot(r->marks[j].x - xy[0], r->marks[j].y - xy[1]) < 8)
                    found = 1;
            if (found || !isfinite(xy[0]))
                continue;
            rm_mark *k = &r->marks[r->nmarks++];
            memset(k, 0, sizeof *k);
            k->lon = ll[0];
            k->lat = ll[1];
            k->x = xy[0];
            k->y = xy[1];
            k->visible = xy[0] >= r->map.x0 && xy[0] <= r->map.x1 && xy[1] >= r->map.y0 &&
                         xy[1] <= r->map.y1;
            k->label = str_dup(end ? r->routes[i].to_name : r->routes[i].from_name);
            if (!k->label)
                r->oom = 1;
            k->kind = end ? "destination" : "origin";
            k->priority = 100;
            k->cluster = -1;
            k->synthetic = 1;
        }
    }
    for (size_t i = 0; i < r->nmarks; i++)
        r->marks[i].r = mark_radius(&r->marks[i]);
    /* clusters: visit by priority (stable), join the first representative
     * whose symbol this one would touch */
    size_t *ord = malloc(r->nmarks * sizeof *ord + 1);
    if (!ord) {
        r->oom = 1;
        return;
    }
    for (size_t i = 0; i < r->nmarks; i++)
        ord[i] = i;
    for (size_t i = 1; i < r->nmarks; i++)
        for (size_t j = i; j > 0 && r->marks[ord[j - 1]].priority < r->marks[ord[j]].priority;
             j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t a = 0; a < r->nmarks; a++) {
        rm_mark *k = &r->marks[ord[a]];
        if (!k->visible)
            continue;
        for (size_t b = 0; b < a; b++) {
            rm_mark *rep = &r->marks[ord[b]];
            if (!rep->visible || rep->cluster >= 0)
                continue;
            if (hypot(rep->x - k->x, rep->y - k->y) < 0.8 * (rep->r + k->r) + 2) {
                k->cluster = (int)ord[b];
                for (int q = 0; q < k->nnums && rep->nnums < 24; q++)
                    rep->nums[rep->nnums++] = k->nums[q];
                break;
            }
        }
    }
    free(ord);
}

/* Width of the number pill for text. */
static double pill_width(rm_render *r, const char *text)
{
    PangoLayout *l = rm_r_layout(r, text, 11.5 * r->fs, 1);
    if (!l)
        return 19 * r->fs;
    double tw, th;
    rm_r_layout_size(l, &tw, &th);
    g_object_unref(l);
    return fmax(19 * r->fs, tw + 9);
}

static void draw_pill(rm_render *r, double cx, double cy, const char *text, rm_box *box)
{
    cairo_t *cr = r->cr;
    PangoLayout *l = rm_r_layout(r, text, 11.5 * r->fs, 1);
    if (!l)
        return;
    double tw, th;
    rm_r_layout_size(l, &tw, &th);
    double h = 19 * r->fs, w = fmax(h, tw + 9);
    double x0 = cx - w / 2, y0 = cy - h / 2, rad = h / 2;
    cairo_new_path(cr);
    cairo_arc(cr, x0 + w - rad, y0 + rad, rad, -M_PI / 2, M_PI / 2);
    cairo_arc(cr, x0 + rad, y0 + rad, rad, M_PI / 2, 3 * M_PI / 2);
    cairo_close_path(cr);
    rm_r_set_color(cr, &r->th.trip_fill);
    cairo_fill_preserve(cr);
    rm_r_set_color(cr, &r->th.casing);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    rm_r_draw_text(r, l, cx - tw / 2, cy - th / 2, &r->th.marker_text, NULL, 0);
    g_object_unref(l);
    box->x0 = x0 - 1;
    box->y0 = y0 - 1;
    box->x1 = x0 + w + 1;
    box->y1 = y0 + h + 1;
}

/* Draws the symbol of a representative mark and records its box. */
static void draw_mark(rm_render *r, rm_mark *k, const rm_color *route_color)
{
    cairo_t *cr = r->cr;
    double x = k->x, y = k->y, rad = k->r;
    char nums[128];
    nums_text(k, nums, sizeof nums);
    k->box = (rm_box){x - rad - 1, y - rad - 1, x + rad + 1, y + rad + 1};
    cairo_save(cr);
    cairo_new_path(cr);
    if (kind_is(k->kind, "destination")) {
        /* a solid disc (the start is a ring): told apart without colour */
        cairo_arc(cr, x, y, rad - 1, 0, 2 * M_PI);
        rm_r_set_color(cr, route_color);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, 2);
        cairo_stroke(cr);
    } else if (kind_is(k->kind, "origin")) {
        cairo_arc(cr, x, y, rad - 1.5, 0, 2 * M_PI);
        rm_r_set_color(cr, &r->th.marker_fill);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, route_color);
        cairo_set_line_width(cr, 3);
        cairo_stroke(cr);
    } else if (kind_is(k->kind, "crossing")) {
        cairo_move_to(cr, x, y - rad);
        cairo_line_to(cr, x + rad, y);
        cairo_line_to(cr, x, y + rad);
        cairo_line_to(cr, x - rad, y);
        cairo_close_path(cr);
        rm_r_set_color(cr, &r->th.crossing);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
    } else if (k->nnums > 0) {
        draw_pill(r, x, y, nums, &k->box);
        nums[0] = '\0';
    } else {
        cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
        rm_r_set_color(cr, &r->th.marker_fill);
        cairo_fill_preserve(cr);
        rm_r_set_color(cr, &r->th.marker_stroke);
        cairo_set_line_width(cr, 1.4);
        cairo_stroke(cr);
    }
    if (nums[0]) {
        /* a route-end symbol that also stands for numbered trips: the
         * numbers ride beside it, on the side away from the page edge */
        rm_box pb;
        double side = x > (r->map.x0 + r->map.x1) / 2 ? -1 : 1;
        double off = rad + 1 + pill_width(r, nums) / 2;
        draw_pill(r, x + side * off, y - rad, nums, &pb);
        if (pb.x0 < k->box.x0)
            k->box.x0 = pb.x0;
        if (pb.x1 > k->box.x1)
            k->box.x1 = pb.x1;
        if (pb.y0 < k->box.y0)
            k->box.y0 = pb.y0;
        if (pb.y1 > k->box.y1)
            k->box.y1 = pb.y1;
    }
    cairo_restore(cr);
}

static void draw_flights(rm_render *r)
{
    int have_origin = 0;
    double o[2] = {0, 0};
    for (size_t i = 0; i < r->nmarks && !have_origin; i++)
        if (kind_is(r->marks[i].kind, "origin")) {
            o[0] = r->marks[i].lon;
            o[1] = r->marks[i].lat;
            have_origin = 1;
        }
    if (!have_origin && r->nroutes > 0) {
        o[0] = r->routes[0].from_ll[0];
        o[1] = r->routes[0].from_ll[1];
        have_origin = 1;
    }
    if (!have_origin)
        return;
    cairo_t *cr = r->cr;
    int any = 0;
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->is_flight)
            continue;
        size_t n = rm_great_circle(o[0], o[1], k->lon, k->lat, 25, NULL, 0);
        double *gc = malloc(2 * n * sizeof *gc + 1);
        if (!gc) {
            r->oom = 1;
            break;
        }
        rm_great_circle(o[0], o[1], k->lon, k->lat, 25, gc, n);
        rm_r_path_lonlat(r, gc, n, 0);
        free(gc);
        any = 1;
    }
    if (any) {
        double dash[2] = {7, 5};
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, 4);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_stroke_preserve(cr);
        rm_r_set_color(cr, &r->th.flight);
        cairo_set_line_width(cr, 2);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        cairo_stroke(cr);
        rm_style fs;
        memset(&fs, 0, sizeof fs);
        fs.stroke = r->th.flight;
        fs.width = 2;
        fs.dash[0] = 7;
        fs.dash[1] = 5;
        fs.ndash = 2;
        rm_r_legend_add(r, RM_LEG_FLIGHT, "Flight (great-circle arc)", &fs, NULL);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
}

static void draw_marks(rm_render *r)
{
    rm_color rc = r->th.route;
    if (r->nroutes > 0)
        rc = route_style(r, r->routes[0].spec).stroke;
    /* lower priority first, so the important symbols sit on top */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->nmarks; i++) {
            rm_mark *k = &r->marks[i];
            if (!k->visible || k->cluster >= 0)
                continue;
            int top = is_route_end_kind(k->kind);
            if (top != pass)
                continue;
            draw_mark(r, k, &rc);
            rm_r_add_obstacle(r, k->box);
        }
    int has[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->visible)
            continue;
        if (kind_is(k->kind, "origin"))
            has[0] = 1;
        else if (kind_is(k->kind, "destination"))
            has[1] = 1;
        else if (kind_is(k->kind, "crossing"))
            has[2] = 1;
        else if (k->nnums == 0 && k->cluster < 0)
            has[3] = 1;
    }
    if (has[0])
        rm_r_legend_add(r, RM_LEG_ORIGIN, "Start", NULL, NULL);
    if (has[1])
        rm_r_legend_add(r, RM_LEG_DEST, "Destination", NULL, NULL);
    if (has[2])
        rm_r_legend_add(r, RM_LEG_CROSSING, "Border crossing", NULL, NULL);
    if (has[3])
        rm_r_legend_add(r, RM_LEG_CITY, "City", NULL, NULL);
    /* numbered trips, in number order */
    int lastnum = 0;
    for (;;) {
        int best = 0;
        const rm_mark *bk = NULL;
        for (size_t i = 0; i < r->nmarks; i++) {
            const rm_mark *k = &r->marks[i];
            if (!k->spec || k->spec->number <= lastnum)
                continue;
            if (!bk || k->spec->number < best) {
                best = k->spec->number;
                bk = k;
            }
        }
        if (!bk)
            break;
        char num[16], text[300];
        snprintf(num, sizeof num, "%d", best);
        const char *label = bk->spec->label ? bk->spec->label : bk->label;
        if (bk->spec->date && *bk->spec->date)
            snprintf(text, sizeof text, "%s  %s%s", bk->spec->date, label,
                     bk->is_flight ? " (flight)" : "");
        else
            snprintf(text, sizeof text, "%s%s", label, bk->is_flight ? " (flight)" : "");
        rm_r_legend_add(r, RM_LEG_TRIP, text, NULL, num);
        lastnum = best;
    }
}

static void add_mark_labels(rm_render *r)
{
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark *k = &r->marks[i];
        if (!k->visible || k->cluster >= 0 || !k->label || !k->label[0])
            continue;
        double size = 12.5;
        int bold = 0;
        if (kind_is(k->kind, "origin") || kind_is(k->kind, "destination")) {
            size = 16;
            bold = 1;
        } else if (kind_is(k->kind, "crossing")) {
            size = 13;
            bold = 1;
        }
        /* few distinct sizes: each size of a font is one more set of glyph
         * outlines in an SVG or PDF */
        double cx = (k->box.x0 + k->box.x1) / 2, cy = (k->box.y0 + k->box.y1) / 2;
        double rad = fmax(k->box.x1 - k->box.x0, k->box.y1 - k->box.y0) / 2;
        if (rm_r_label_add(r, k->label, cx, cy, rad, k->priority, size * r->fs, bold) != 0)
            r->oom = 1;
    }
}

/* The routes (casing and line) and the route-end and crossing symbols with
 * the current projection: the detail inset draws these. */
void rm_r_draw_route_detail(rm_render *r, rm_box *label_boxes, size_t *nlabel_boxes, size_t cap)
{
    cairo_t *cr = r->cr;
    rm_color rc = r->th.route;
    for (size_t i = 0; i < r->nroutes; i++) {
        const rm_route *rt = &r->routes[i].route;
        rm_style st = route_style(r, r->routes[i].spec);
        if (i == 0)
            rc = st.stroke;
        cairo_save(cr);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_new_path(cr);
        rm_r_path_lonlat(r, rt->xy, rt->npoints, 0);
        rm_r_set_color(cr, &r->th.casing);
        cairo_set_line_width(cr, st.width + 2.4);
        cairo_stroke_preserve(cr);
        apply_stroke_style(cr, &st);
        cairo_set_line_width(cr, st.width * 0.8);
        cairo_stroke(cr);
        /* direction arrows, one per ~150 px of line */
        double *pts = r->routes[i].spec->arrows ? malloc(2 * rt->npoints * sizeof *pts + 1) : NULL;
        if (pts) {
            memcpy(pts, rt->xy, 2 * rt->npoints * sizeof *pts);
            rm_r_to_page(r, pts, rt->npoints);
            double total = 0;
            for (size_t k = 0; k + 1 < rt->npoints; k++)
                if (isfinite(pts[2 * k]) && isfinite(pts[2 * k + 2]))
                    total += hypot(pts[2 * k + 2] - pts[2 * k], pts[2 * k + 3] - pts[2 * k + 1]);
            double step = total / fmax(1, floor(total / 150)), next = step / 2, along = 0;
            cairo_new_path(cr);
            for (size_t k = 0; k + 1 < rt->npoints; k++) {
                double *a = pts + 2 * k, *b = a + 2;
                if (!isfinite(a[0]) || !isfinite(b[0]))
                    continue;
                double seg = hypot(b[0] - a[0], b[1] - a[1]);
                while (seg > 0 && along + seg >= next) {
                    double t = (next - along) / seg;
                    double x = a[0] + t * (b[0] - a[0]), y = a[1] + t * (b[1] - a[1]);
                    if (x > r->map.x0 + 8 && x < r->map.x1 - 8 && y > r->map.y0 + 8 &&
                        y < r->map.y1 - 8)
                        arrow(cr, x, y, b[0] - a[0], b[1] - a[1], st.width * 1.9);
                    next += step;
                }
                along += seg;
            }
            rm_r_set_color(cr, &r->th.casing);
            cairo_set_line_width(cr, 1.4);
            cairo_stroke_preserve(cr);
            rm_r_set_color(cr, &st.stroke);
            cairo_fill(cr);
            free(pts);
        }
        cairo_restore(cr);
    }
    /* the symbols and names of the route's ends and crossings */
    for (size_t i = 0; i < r->nmarks; i++) {
        rm_mark k = r->marks[i];
        if (!is_route_end_kind(k.kind))
            continue;
        double xy[2] = {k.lon, k.lat};
        rm_r_to_page(r, xy, 1);
        if (!isfinite(xy[0]) || xy[0] < r->map.x0 + 4 || xy[0] > r->map.x1 - 4 ||
            xy[1] < r->map.y0 + 4 || xy[1] > r->map.y1 - 4)
            continue;
        k.x = xy[0];
        k.y = xy[1];
        k.r = mark_radius(&k) * 0.8;
        k.nnums = 0;
        draw_mark(r, &k, &rc);
        if (!k.label || !k.label[0] || *nlabel_boxes >= cap)
            continue;
        PangoLayout *l = rm_r_layout(r, k.label, 11.5 * r->fs, 1);
        if (!l)
            continue;
        double w, h;
        rm_r_layout_size(l, &w, &h);
        /* right, left, above, below: the first that stays inside and
         * clear of the names already written */
        double cand[4][2] = {{k.x + k.r + 3, k.y - h / 2},
                             {k.x - k.r - 3 - w, k.y - h / 2},
                             {k.x - w / 2, k.y - k.r - 2 - h},
                             {k.x - w / 2, k.y + k.r + 2}};
        for (int c = 0; c < 4; c++) {
            rm_box b = {cand[c][0], cand[c][1], cand[c][0] + w, cand[c][1] + h};
            int ok = b.x0 >= r->map.x0 + 2 && b.x1 <= r->map.x1 - 2 && b.y0 >= r->map.y0 + 2 &&
                     b.y1 <= r->map.y1 - 2;
            for (size_t q = 0; ok && q < *nlabel_boxes; q++)
                if (rm_box_overlaps(&b, &label_boxes[q]))
                    ok = 0;
            if (!ok)
                continue;
            rm_r_draw_text(r, l, b.x0, b.y0, &r->th.text, &r->th.halo, 3);
            label_boxes[(*nlabel_boxes)++] = b;
            break;
        }
        g_object_unref(l);
    }
}

/* --------------------------------------------------------------- the map */

/* Renumbers cairo's process-wide surface ids ("surface12") in an SVG in
 * order of appearance, so that the same map gives the same bytes however
 * many maps the process drew before. */
static void svg_stable_ids(membuf *m)
{
    static const char key[] = "surface";
    size_t kl = sizeof key - 1;
    unsigned long map_from[64], map_to[64];
    size_t nmap = 0;
    unsigned char *out = malloc(m->len + 1);
    if (!out)
        return;
    size_t o = 0;
    for (size_t i = 0; i < m->len;) {
        if (i + kl < m->len && m->data[i] == 's' && !memcmp(m->data + i, key, kl) &&
            isdigit(m->data[i + kl])) {
            size_t j = i + kl;
            unsigned long v = 0;
            while (j < m->len && isdigit(m->data[j]) && v < 100000000UL)
                v = v * 10 + (unsigned long)(m->data[j++] - '0');
            unsigned long to = 0;
            size_t q;
            for (q = 0; q < nmap; q++)
                if (map_from[q] == v)
                    break;
            if (q == nmap) {
                if (nmap == 64) {
                    free(out);
                    return;
                }
                map_from[nmap] = v;
                map_to[nmap] = nmap + 1;
                nmap++;
            }
            to = map_to[q];
            char num[32];
            int w = snprintf(num, sizeof num, "%lu", to);
            if (o + kl + (size_t)w > m->len) { /* cannot grow: keep cairo's text */
                free(out);
                return;
            }
            memcpy(out + o, key, kl);
            o += kl;
            memcpy(out + o, num, (size_t)w);
            o += (size_t)w;
            i = j;
        } else {
            out[o++] = m->data[i++];
        }
    }
    free(m->data);
    m->data = out;
    m->len = o;
    m->cap = m->len + 1;
}

static void render_free(rm_render *r)
{
    for (size_t i = 0; i < r->nroutes; i++) {
        rm_route_free(&r->routes[i].route);
        rm_path_free(&r->routes[i].page);
        free(r->routes[i].from_name);
        free(r->routes[i].to_name);
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

/* Degrees of lon/lat that px page pixels span at least, over a grid of the
 * map area: simplifying in lon/lat with this tolerance moves no point by
 * more than px on the page (a conformal map's scale varies slowly). */
static double lonlat_tolerance(rm_render *r, double px)
{
    double best = INFINITY;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            double x = r->map.x0 + (i + 0.5) / 5 * (r->map.x1 - r->map.x0);
            double y = r->map.y0 + (j + 0.5) / 5 * (r->map.y1 - r->map.y0);
            double q[6] = {x, y, x + 1, y, x, y + 1};
            if (rm_r_from_page(r, q, 3) != 0)
                continue;
            best =
                fmin(best, fmin(hypot(q[2] - q[0], q[3] - q[1]), hypot(q[4] - q[0], q[5] - q[1])));
        }
    return isfinite(best) ? px * best : 0;
}

/* Does a place string need the gazetteer ("lon,lat" literals do not)? */
static int needs_name(const char *q)
{
    rm_place pl;
    return q && rm_gazetteer_resolve(NULL, q, &pl, NULL) != RM_OK;
}

static int needs_gazetteer(const rm_spec *s)
{
    for (size_t i = 0; i < s->nroutes; i++) {
        const rm_route_spec *rs = &s->routes[i];
        if (needs_name(rs->from) || needs_name(rs->to))
            return 1;
        for (size_t k = 0; k < rs->nvia; k++)
            if (needs_name(rs->via[k]))
                return 1;
    }
    for (size_t i = 0; i < s->nmarkers; i++)
        if (!s->markers[i].has_lonlat && needs_name(s->markers[i].place))
            return 1;
    return 0;
}

rm_status rm_render_buffer(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                           unsigned char **data, size_t *len, rm_error *err)
{
    if (!spec || !data || !len)
        return rm_error_set(err, RM_ERR_USAGE, "render: no spec or no output buffer");
    *data = NULL;
    *len = 0;
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
    memset(&R, 0, sizeof R);
    rm_render *r = &R;
    r->spec = spec;
    r->opt = opt;
    r->verbose = opt->verbose;
    /* spec->width x height are device pixels at spec->dpi (what a PNG
     * has); the map is drawn in CSS px (1/96 in), so that text and lines
     * keep their physical size at any resolution */
    r->W = spec->width * 96.0 / dpi;
    r->H = spec->height * 96.0 / dpi;
    r->fs = spec->font_scale > 0 ? spec->font_scale : 1;
    rm_path_init(&r->s1);
    rm_path_init(&r->s2);
    if (rm_theme_get(spec->theme, &r->th) != 0)
        return rm_error_set(err, RM_ERR_SPEC, "unknown theme '%s' (known: light, dark, print)",
                            spec->theme);
    snprintf(r->data_dir, sizeof r->data_dir, "%s",
             spec->data_dir && *spec->data_dir ? spec->data_dir : rm_default_data_dir());
    if (spec->has_background)
        r->th.sea = spec->background;

    rm_status st = RM_OK;
    membuf mb;
    memset(&mb, 0, sizeof mb);
    cairo_surface_t *surf = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    /* 1. places and routes */
    rm_gazetteer *gaz = NULL;
    if (needs_gazetteer(spec)) {
        /* the spec's data directory may hold only layers (Natural Earth
         * files, say): then the built-in gazetteer names the places */
        char gp[4200];
        join_path(gp, sizeof gp, r->data_dir, "places.shp");
        if (!file_exists(gp))
            join_path(gp, sizeof gp, rm_default_data_dir(), "places.shp");
        gaz = rm_gazetteer_load(gp, err);
        if (!gaz) {
            rm_error_prefix(err, "gazetteer");
            st = err ? err->status : RM_ERR_IO;
            goto done;
        }
    }
    if ((st = resolve_markers(r, gaz, err)) != RM_OK)
        goto done;
    if ((st = compute_routes(r, gaz, err)) != RM_OK)
        goto done;
    rm_gazetteer_free(gaz);
    gaz = NULL;

    /* 2. content, projection, page layout */
    if (spec->extent_auto) {
        r->content = rm_bbox_empty();
        for (size_t i = 0; i < r->nroutes; i++)
            for (size_t k = 0; k < r->routes[i].route.npoints; k++)
                rm_bbox_add(&r->content, r->routes[i].route.xy[2 * k],
                            r->routes[i].route.xy[2 * k + 1]);
        for (size_t i = 0; i < r->nmarks; i++)
            rm_bbox_add(&r->content, r->marks[i].lon, r->marks[i].lat);
        if (rm_bbox_is_empty(&r->content)) {
            rm_bbox world = {-170, -60, 170, 80};
            r->content = world;
        }
    } else {
        rm_bbox e = {spec->extent[0], spec->extent[1], spec->extent[2], spec->extent[3]};
        if (!(e.maxx > e.minx && e.maxy > e.miny)) {
            st = rm_error_set(err, RM_ERR_SPEC, "extent: min must be below max");
            goto done;
        }
        r->content = e;
    }
    r->proj = rm_proj_new(spec->projection, &r->content, err);
    if (!r->proj) {
        st = err ? err->status : RM_ERR_PROJ;
        goto done;
    }
    {
        /* pango's default font map is per thread: nothing is shared with
         * maps rendered in other threads, and the fonts it loaded stay
         * cached for the thread's next map (rm_thread_cleanup frees it) */
        r->fontmap = pango_cairo_font_map_get_default();
        if (!r->fontmap) {
            st = rm_error_set(err, RM_ERR_RENDER, "no font map (fontconfig)");
            goto done;
        }
        g_object_ref(r->fontmap);
        r->pctx = pango_font_map_create_context(r->fontmap);
        cairo_font_options_t *fo = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
        cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
        pango_cairo_context_set_font_options(r->pctx, fo);
        cairo_font_options_destroy(fo);
        pango_cairo_context_set_resolution(r->pctx, 96);
    }
    double top, bottom;
    rm_r_page_bands(r, &top, &bottom);
    double side = fmin(16, r->W * 0.02);
    if (spec->has_frame) {
        /* an exact frame fills the page: only a title, subtitle or an
         * attribution the spec gives keeps its band */
        side = 0;
        if (!(spec->title && *spec->title) && !(spec->subtitle && *spec->subtitle))
            top = 0;
        if (!(spec->attribution && *spec->attribution))
            bottom = 0;
    }
    r->map = (rm_box){side, top, r->W - side, r->H - bottom};
    if (r->map.x1 - r->map.x0 < 32 || r->map.y1 - r->map.y0 < 32) {
        st = rm_error_set(err, RM_ERR_SPEC, "page %gx%g px leaves no room for the map", r->W, r->H);
        goto done;
    }
    double margin = spec->extent_auto ? spec->margin : 0;
    if (!(margin >= 0 && margin < 0.45))
        margin = 0.06;
    if (spec->has_frame) {
        /* the spec's map CRS box, centred in the map area at one scale */
        double mw = r->map.x1 - r->map.x0, mh = r->map.y1 - r->map.y0;
        double fx = (spec->frame[0] + spec->frame[2]) / 2,
               fy = (spec->frame[1] + spec->frame[3]) / 2;
        double k =
            fmin(mw / (spec->frame[2] - spec->frame[0]), mh / (spec->frame[3] - spec->frame[1]));
        if (!strcmp(spec->projection, "auto") || !(k > 0) || !isfinite(k)) {
            st = rm_error_set(err, RM_ERR_SPEC, "frame: needs a projection and min < max");
            goto done;
        }
        r->aff = (rm_affine){k, r->map.x0 + mw / 2 - k * fx, -k, r->map.y0 + mh / 2 + k * fy};
        r->frame =
            (rm_bbox){fx - mw / (2 * k), fy - mh / (2 * k), fx + mw / (2 * k), fy + mh / (2 * k)};
    } else {
        st = rm_proj_fit(r->proj, &r->content, r->map.x0, r->map.y0, r->map.x1 - r->map.x0,
                         r->map.y1 - r->map.y0, margin, &r->aff, &r->frame, err);
        if (st != RM_OK)
            goto done;
    }
    r->frame_ll = rm_proj_frame_lonlat(r->proj, &r->frame);
    double scale = fmt == RM_FORMAT_PNG ? dpi / 96.0 : 1.0;
    r->simplify_px = opt->full_precision ? 0 : 0.4 / scale;
    r->round_grid = fmt == RM_FORMAT_PNG ? 0 : 4;

    /* 3. the surface, in memory */
    if (fmt == RM_FORMAT_SVG) {
        surf = cairo_svg_surface_create_for_stream(membuf_write, &mb, r->W, r->H);
        cairo_svg_surface_set_document_unit(surf, CAIRO_SVG_UNIT_PX);
        r->simplify_ll = opt->full_precision ? 0 : lonlat_tolerance(r, 0.2 / scale);
        r->svgw_ok = fmt == RM_FORMAT_SVG && r->simplify_px > 0;
        r->svgw_x = floor(r->map.x0) + 1.5;
        r->svgw_y = floor(r->map.y0) + 1.5;
    } else if (fmt == RM_FORMAT_PDF) {
        surf = cairo_pdf_surface_create_for_stream(membuf_write, &mb, spec->width * 72.0 / dpi,
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
    if (!surf || cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        st = rm_error_set(err, RM_ERR_RENDER, "cannot create the %s surface",
                          fmt == RM_FORMAT_PDF   ? "PDF"
                          : fmt == RM_FORMAT_PNG ? "PNG"
                                                 : "SVG");
        goto done;
    }
    r->cr = cairo_create(surf);
    if (fmt == RM_FORMAT_PDF)
        cairo_scale(r->cr, 72.0 / 96.0, 72.0 / 96.0);
    else if (fmt == RM_FORMAT_PNG)
        cairo_scale(r->cr, scale, scale);

    /* 4. drawing, back to front */
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
    st = rm_r_draw_layers(r, err);
    if (st != RM_OK) {
        cairo_restore(cr);
        goto done;
    }
    if (spec->graticule)
        rm_r_draw_graticule(r);
    if ((st = draw_routes(r, err)) != RM_OK) {
        cairo_restore(cr);
        goto done;
    }
    layout_marks(r);
    draw_flights(r);
    draw_marks(r);
    cairo_restore(cr);
    /* frame around the map (an exact frame ends at the page's edge) */
    if (!spec->has_frame) {
        cairo_save(cr);
        cairo_rectangle(cr, r->map.x0, r->map.y0, r->map.x1 - r->map.x0, r->map.y1 - r->map.y0);
        rm_r_set_color(cr, &r->th.frame);
        cairo_set_line_width(cr, 1);
        cairo_stroke(cr);
        cairo_restore(cr);
    }

    /* 5. furniture first claims its corners, then labels find room */
    rm_r_furniture_reserve(r);
    add_mark_labels(r);
    rm_r_labels_place(r);
    rm_r_labels_draw(r);
    rm_r_draw_furniture(r);
    rm_r_draw_title(r);
    if (r->oom) {
        st = rm_error_set(err, RM_ERR_NOMEM, "out of memory while drawing");
        goto done;
    }

    /* 6. finish the surface into memory */
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    r->cr = NULL;
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = rm_error_set(err, RM_ERR_RENDER, "drawing failed: %s", cairo_status_to_string(cs));
        goto done;
    }
    if (fmt == RM_FORMAT_PNG) {
        cs = cairo_surface_write_to_png_stream(surf, membuf_write, &mb);
    } else {
        cairo_surface_finish(surf);
        cs = cairo_surface_status(surf);
    }
    if (cs != CAIRO_STATUS_SUCCESS || mb.failed) {
        st = rm_error_set(err, mb.failed ? RM_ERR_NOMEM : RM_ERR_RENDER,
                          "writing the image failed: %s", cairo_status_to_string(cs));
        goto done;
    }
    if (fmt == RM_FORMAT_SVG && r->svgw_n > 0 && svgw_fill(r, &mb) != 0) {
        st = rm_error_set(err, RM_ERR_NOMEM, "writing the SVG path data failed");
        goto done;
    }
    if (fmt == RM_FORMAT_SVG)
        svg_stable_ids(&mb);
    if (opt->layout_path && (st = rm_r_write_layout(r, opt->layout_path, err)) != RM_OK)
        goto done;
    if (opt->georef_path && (st = rm_r_write_georef(r, opt->georef_path, err)) != RM_OK)
        goto done;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (r->verbose)
        fprintf(r->verbose, "routemap: rendered %gx%g px (%s) in %.3f s, %zu bytes\n", spec->width,
                spec->height, rm_proj_definition(r->proj),
                (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, mb.len);
    *data = mb.data;
    *len = mb.len;
    mb.data = NULL;

done:
    if (r->cr)
        cairo_destroy(r->cr);
    if (surf)
        cairo_surface_destroy(surf);
    rm_gazetteer_free(gaz);
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
