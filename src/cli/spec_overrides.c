/* routemap CLI — applying flag overrides to a spec (shared by render and
 * batch). */
#include "spec_overrides.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int rm_parse_number(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || errno || !isfinite(d))
        return -1;
    *out = d;
    return 0;
}

int rm_parse_size(const char *s, double *w, double *h)
{
    if (!s)
        return -1;
    const char *x = strpbrk(s, "xX");
    if (!x || x == s)
        return -1;
    char a[64];
    size_t n = (size_t)(x - s);
    if (n >= sizeof a)
        return -1;
    memcpy(a, s, n);
    a[n] = '\0';
    if (rm_parse_number(a, w) || rm_parse_number(x + 1, h) || *w <= 0 || *h <= 0)
        return -1;
    return 0;
}

int rm_parse_extent(const char *s, int *is_auto, double e[4])
{
    if (!s)
        return -1;
    if (!strcmp(s, "auto")) {
        *is_auto = 1;
        return 0;
    }
    char *copy = strdup(s);
    if (!copy)
        return -1;
    int n = 0, bad = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n == 4 || rm_parse_number(tok, &e[n])) {
            bad = 1;
            break;
        }
        n++;
    }
    free(copy);
    if (bad || n != 4)
        return -1;
    *is_auto = 0;
    return 0;
}

rm_status rm_overrides_apply(rm_spec *s, const rm_overrides *o, rm_error *err)
{
    if (o->has_dpi) {
        /* --dpi changes the pixels, not the composition: a preset keeps its
         * size at the new resolution, and a page given in pixels gets as
         * many more pixels as the resolution grows (1600 x 1000 px at 96 dpi
         * is 5000 x 3125 px at 300 dpi, laid out the same) */
        double old = s->dpi > 0 ? s->dpi : 96;
        s->dpi = o->dpi;
        if (!o->preset && !o->has_size && s->preset) {
            rm_status st = rm_spec_apply_preset(s, s->preset, err);
            if (st)
                return st;
        } else if (!o->preset && !o->has_size) {
            s->width = round(s->width * o->dpi / old);
            s->height = round(s->height * o->dpi / old);
        }
    }
    if (o->preset) {
        rm_status st = rm_spec_apply_preset(s, o->preset, err);
        if (st) {
            rm_error_prefix(err, "--preset");
            return st;
        }
    }
    if (o->mode) {
        if (!*rm_mode_phrase(o->mode))
            return rm_error_set(err, RM_ERR_USAGE, "--mode '%s': expected one of %s", o->mode,
                                rm_mode_names());
        for (size_t i = 0; i < s->nroutes; i++)
            if (rm_spec_set_string(&s->routes[i].mode, o->mode))
                return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    if (o->has_size) {
        s->width = o->width;
        s->height = o->height;
        if (rm_spec_set_string(&s->preset, NULL))
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    if ((o->theme && rm_spec_set_string(&s->theme, o->theme)) ||
        (o->projection && rm_spec_set_string(&s->projection, o->projection)) ||
        (o->title && rm_spec_set_string(&s->title, o->title[0] ? o->title : NULL)) ||
        (o->data_dir && rm_spec_set_string(&s->data_dir, o->data_dir)) ||
        (o->format && rm_spec_set_string(&s->format, o->format)))
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    if (o->has_extent) {
        s->extent_auto = o->extent_auto;
        if (!o->extent_auto) {
            memcpy(s->extent, o->extent, sizeof s->extent);
            s->extent[2] = rm_extent_maxlon(s->extent[0], s->extent[2]);
        }
    }
    if (o->transparent)
        s->transparent = 1;
    return rm_spec_validate(s, err);
}

const char *rm_overrides_output(const rm_spec *spec, const rm_overrides *o, const char *fallback)
{
    if (o->output)
        return o->output;
    if (spec->output && spec->output[0])
        return spec->output;
    return fallback;
}

rm_format rm_overrides_format(const rm_spec *spec, const rm_overrides *o, const char *out)
{
    if (o->format)
        return rm_format_from(o->format, NULL);
    if (out && strcmp(out, "-") != 0) {
        const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
        if (dot && (!slash || dot > slash) &&
            (!strcasecmp(dot, ".svg") || !strcasecmp(dot, ".pdf") || !strcasecmp(dot, ".png")))
            return rm_format_from(NULL, out);
    }
    if (!out || !strcmp(out, "-"))
        return rm_format_from(spec->format, NULL);
    return RM_FORMAT_AUTO; /* rm_render_file takes the spec's format for a name without an
                            * extension, and refuses an unknown extension, saying why */
}

void rm_cli_places_path(char *buf, size_t cap, const char *data_dir)
{
    if (!data_dir || !*data_dir)
        data_dir = rm_default_data_dir();
    snprintf(buf, cap, "%s/places.shp", data_dir);
}

/* A name from a data file, printed: control characters (C0, DEL, and the
 * C1 range U+0080..U+009F, which terminals also obey) become '?', so a DBF
 * cannot send escape sequences to the terminal. Eight rotating buffers, so
 * that one printf can show several names; longer names are cut. */
const char *rm_cli_safe(const char *s)
{
    static char bufs[8][1024];
    static unsigned next;
    if (!s)
        return "";
    char *b = bufs[next++ % 8];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < sizeof bufs[0]; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            b[n++] = '?';
        } else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            b[n++] = '?';
            p++;
        } else {
            b[n++] = (char)*p;
        }
    }
    b[n] = '\0';
    return b;
}

const char *rm_cli_clean(char *msg)
{
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return msg;
}
