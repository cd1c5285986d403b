/* routemap CLI — the common spec settings given as flags (render) or as job
 * keys (batch), applied over a spec: flags override the spec. */
#ifndef ROUTEMAP_CLI_SPEC_OVERRIDES_H
#define ROUTEMAP_CLI_SPEC_OVERRIDES_H

#include "routemap.h"

typedef struct rm_overrides {
    const char *output; /* -o */
    const char *format; /* --format */
    const char *preset; /* --preset */
    int has_size;
    double width, height; /* --size WxH */
    int has_dpi;
    double dpi;             /* --dpi */
    const char *theme;      /* --theme */
    const char *projection; /* --projection */
    int has_extent;
    int extent_auto;
    double extent[4];     /* --extent */
    const char *title;    /* --title ("" removes the title) */
    const char *data_dir; /* --data-dir */
    int transparent;      /* --transparent */
    const char *mode;     /* --mode: every route's mode */
} rm_overrides;

/* "1920x1080" -> w, h; returns 0 or -1. */
int rm_parse_size(const char *s, double *w, double *h);
/* "auto" or "minlon,minlat,maxlon,maxlat"; returns 0 or -1. */
int rm_parse_extent(const char *s, int *is_auto, double e[4]);
/* A positive number; returns 0 or -1. */
int rm_parse_number(const char *s, double *out);

/* Applies the overrides to spec (dpi, then preset, then size, so that
 * "--preset a4-landscape --dpi 300" gives a 300 dpi page), then validates
 * the result. Errors name the flag. */
rm_status rm_overrides_apply(rm_spec *spec, const rm_overrides *o, rm_error *err);

/* The output path and format for a spec after overrides: -o wins, then the
 * spec's output, then fallback. The format: --format, else the output's
 * extension, else the spec's output.format, else SVG. */
const char *rm_overrides_output(const rm_spec *spec, const rm_overrides *o, const char *fallback);
rm_format rm_overrides_format(const rm_spec *spec, const rm_overrides *o, const char *out);

/* Reports a getopt error (c is ':' for a missing value, '?' for an unknown
 * option; opt is optopt) as one line on stderr. */
void rm_cli_bad_option(const char *cmd, int c, int opt, char **argv);

/* Replaces control characters in a message (quoted from input: file names,
 * layer ids, keys) with '?', so that it prints as one line; returns msg. */
const char *rm_cli_clean(char *msg);
/* A copy of a name with control characters (C0, DEL, C1) made '?', for
 * printing names from data files (one of eight rotating static buffers). */
const char *rm_cli_safe(const char *s);

/* The gazetteer file in a data directory (dir/places.shp) into buf. */
void rm_cli_places_path(char *buf, size_t cap, const char *data_dir);

#endif
