/* routemap — compact SVG path data for cairo's SVG surface, and the
 * fix-ups of cairo's finished SVG text. Part of the cairo back-end
 * (canvas_cairo.c); the renderer knows nothing of it.
 *
 * cairo's SVG surface prints every coordinate with printf("%f"), absolute
 * and with a space around each: for a map of the 10m layers that is most of
 * the time and most of the bytes. So the base layers' path data (the bulk
 * of the vertices, all on the 1/4 px grid) is written here: relative,
 * without needless characters. cairo still draws each such path as a tiny
 * placeholder triangle with the layer's style, so order, style and clip
 * stay cairo's; rm_svgdata_fill then swaps each placeholder's d attribute
 * for the real data. PDF, PNG and full-precision SVG don't use this. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svgdata.h"

int rm_svgdata_put(rm_svgdata *w, const char *t, size_t n)
{
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (w->len + n + 1 > cap)
            cap *= 2;
        char *d = realloc(w->d, cap);
        if (!d) {
            w->oom = 1;
            return -1;
        }
        w->d = d;
        w->cap = cap;
    }
    memcpy(w->d + w->len, t, n);
    w->len += n;
    return 0;
}

/* Appends q/4 (a coordinate in quarter pixels), with a space before it
 * only where the previous number would otherwise run on. */
void rm_svgdata_num(rm_svgdata *w, long q)
{
    char t[32];
    size_t k = 0;
    char last = w->len ? w->d[w->len - 1] : 'M';
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
    rm_svgdata_put(w, t, k);
}

/* Starts collecting a layer's path data (when allowed). */
void rm_svgdata_begin(rm_svgdata *w)
{
    w->on = w->ok && w->n < 1024;
    w->len = 0;
}

/* Ends a layer's path data: keeps it, and puts its placeholder (number i:
 * a triangle from (x, y) to (x + (i+1)/64, y) to (x, y + 1/64), exact
 * binary fractions that rounded map data never has) into cairo's path. */
void rm_svgdata_end(rm_svgdata *w, cairo_t *cr)
{
    if (!w->on)
        return;
    w->on = 0;
    if (w->len == 0 || w->oom)
        return;
    char **pp = realloc(w->paths, (w->n + 1) * sizeof *pp);
    char *d = malloc(w->len + 1);
    if (pp)
        w->paths = pp;
    if (!pp || !d) {
        free(d);
        w->oom = 1;
        return;
    }
    memcpy(d, w->d, w->len);
    d[w->len] = '\0';
    size_t i = w->n++;
    w->paths[i] = d;
    cairo_new_path(cr);
    cairo_move_to(cr, w->x, w->y);
    cairo_line_to(cr, w->x + (double)(i + 1) / 64, w->y);
    cairo_line_to(cr, w->x, w->y + 1.0 / 64);
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
static long svgw_which(const rm_svgdata *w, const char *p, const char *end)
{
    double v[6];
    if (!svgw_word(&p, end, 'M') || !svgw_read(&p, end, &v[0]) || !svgw_read(&p, end, &v[1]) ||
        !svgw_word(&p, end, 'L') || !svgw_read(&p, end, &v[2]) || !svgw_read(&p, end, &v[3]) ||
        !svgw_word(&p, end, 'L') || !svgw_read(&p, end, &v[4]) || !svgw_read(&p, end, &v[5]))
        return -1;
    if (v[0] != w->x || v[1] != w->y || v[3] != w->y || v[4] != w->x || v[5] != w->y + 1.0 / 64)
        return -1;
    double i = (v[2] - w->x) * 64 - 1;
    if (!(i >= 0 && i < (double)w->n && i == floor(i)))
        return -1;
    return (long)i;
}

/* Swaps every placeholder's d="..." in the finished SVG for its path data.
 * Returns -1 when memory ran out. */
int rm_svgdata_fill(rm_svgdata *w, rm_membuf *m)
{
    static const char key[] = " d=\"";
    size_t extra = 0;
    for (size_t i = 0; i < w->n; i++)
        extra += strlen(w->paths[i]);
    unsigned char *out = malloc(m->len + extra + 1);
    unsigned char *seen = calloc(w->n + 1, 1);
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
        long which = close ? svgw_which(w, val, close) : -1;
        if (which < 0 || seen[which]) {
            memcpy(out + o, s, (size_t)(val - s));
            o += (size_t)(val - s);
            s = val;
            continue;
        }
        seen[which] = 1;
        memcpy(out + o, s, (size_t)(val - s));
        o += (size_t)(val - s);
        size_t dl = strlen(w->paths[which]);
        memcpy(out + o, w->paths[which], dl);
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

/* Renumbers cairo's process-wide surface ids ("surface12") in an SVG in
 * order of appearance, so that the same map gives the same bytes however
 * many maps the process drew before. */
void rm_svgdata_stable_ids(rm_membuf *m)
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

void rm_svgdata_free(rm_svgdata *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->paths[i]);
    free(w->paths);
    free(w->d);
    memset(w, 0, sizeof *w);
}
