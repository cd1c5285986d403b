/* routemap — themes: the colours and line widths of the light, dark and
 * print looks. The hierarchy is the same in each: the route is the strongest
 * mark on the page, markers and labels next, the base map quiet. The print
 * theme uses only greys, with the route told apart by weight and casing, so
 * that it survives a greyscale printer. */
#include <math.h>
#include <string.h>

#include "render_priv.h"

static rm_color hex(unsigned v)
{
    rm_color c = {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1.0};
    return c;
}

static rm_color hexa(unsigned v, double a)
{
    rm_color c = hex(v);
    c.a = a;
    return c;
}

int rm_theme_get(const char *name, rm_theme *t)
{
    memset(t, 0, sizeof *t);
    if (!name || !strcmp(name, "light")) {
        t->paper = hex(0xffffff);
        t->sea = hex(0xdde8ef);
        t->land = hex(0xf6f3ec);
        t->country[0] = hex(0xf6f3ec);
        t->country[1] = hex(0xf1ede3);
        t->country[2] = hex(0xf4efe6);
        t->country[3] = hex(0xefebe2);
        t->border = hex(0x8c8479);
        t->coast = hex(0x7d98ab);
        t->rail = hex(0xa39e97);
        t->lake = hex(0xdde8ef);
        t->graticule = hexa(0x6f8797, 0.35);
        t->text = hex(0x1f1f1f);
        t->text_muted = hex(0x5b5b5b);
        t->halo = hexa(0xffffff, 0.9);
        t->route = hex(0xc8102e);
        t->casing = hex(0xffffff);
        t->gap = hex(0xc8102e);
        t->flight = hex(0x2c6e9b);
        t->marker_fill = hex(0xffffff);
        t->marker_stroke = hex(0x1f1f1f);
        t->marker_text = hex(0xffffff);
        t->trip_fill = hex(0x2b3a4a);
        t->crossing = hex(0x1f1f1f);
        t->frame = hex(0x555555);
        t->legend_bg = hexa(0xffffff, 0.92);
    } else if (!strcmp(name, "dark")) {
        t->dark = 1;
        t->paper = hex(0x11161c);
        t->sea = hex(0x16222d);
        t->land = hex(0x2a333c);
        t->country[0] = hex(0x2a333c);
        t->country[1] = hex(0x2e3740);
        t->country[2] = hex(0x283139);
        t->country[3] = hex(0x2c353e);
        t->border = hex(0x7c8692);
        t->coast = hex(0x4d6478);
        t->rail = hex(0x69737d);
        t->lake = hex(0x16222d);
        t->graticule = hexa(0x8aa0b4, 0.25);
        t->text = hex(0xeef1f4);
        t->text_muted = hex(0xaab4be);
        t->halo = hexa(0x11161c, 0.85);
        t->route = hex(0xff5a4e);
        t->casing = hex(0x11161c);
        t->gap = hex(0xff5a4e);
        t->flight = hex(0x7cc4f5);
        t->marker_fill = hex(0x11161c);
        t->marker_stroke = hex(0xeef1f4);
        t->marker_text = hex(0x11161c);
        t->trip_fill = hex(0xf2c14e);
        t->crossing = hex(0xeef1f4);
        t->frame = hex(0x8a949e);
        t->legend_bg = hexa(0x11161c, 0.9);
    } else if (!strcmp(name, "print")) {
        t->grey = 1;
        t->paper = hex(0xffffff);
        t->sea = hex(0xd4d4d4);
        t->land = hex(0xffffff);
        t->country[0] = hex(0xffffff);
        t->country[1] = hex(0xfafafa);
        t->country[2] = hex(0xfdfdfd);
        t->country[3] = hex(0xf7f7f7);
        t->border = hex(0x6e6e6e);
        t->coast = hex(0x8c8c8c);
        t->rail = hex(0xa8a8a8);
        t->lake = hex(0xd4d4d4);
        t->graticule = hexa(0x777777, 0.35);
        t->text = hex(0x000000);
        t->text_muted = hex(0x444444);
        t->halo = hexa(0xffffff, 0.95);
        t->route = hex(0x000000);
        t->casing = hex(0xffffff);
        t->gap = hex(0x000000);
        t->flight = hex(0x555555);
        t->marker_fill = hex(0xffffff);
        t->marker_stroke = hex(0x000000);
        t->marker_text = hex(0xffffff);
        t->trip_fill = hex(0x333333);
        t->crossing = hex(0x000000);
        t->frame = hex(0x000000);
        t->legend_bg = hexa(0xffffff, 0.95);
    } else {
        return -1;
    }
    t->border_w = 0.9;
    t->coast_w = 0.7;
    t->rail_w = 0.6;
    t->route_w = 3.6;
    return 0;
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
rm_color rm_r_themed_as(const rm_render *r, rm_color c, int is_fill)
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

rm_color rm_r_themed(const rm_render *r, rm_color c)
{
    return rm_r_themed_as(r, c, 0);
}
