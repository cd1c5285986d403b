/* routemap — rendering a spec into an image: layers, routes, markers,
 * collision-free labels, legend, scale bar, graticule, title and attribution,
 * written as SVG, PDF or PNG. One rm_render call owns all its state (a PROJ
 * context, data, cairo surface): separate calls are safe in separate threads. */
#ifndef ROUTEMAP_RENDER_H
#define ROUTEMAP_RENDER_H

#include <stddef.h>
#include <stdio.h>
#include "routemap/error.h"
#include "routemap/spec.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rm_format {
    RM_FORMAT_AUTO = 0,
    RM_FORMAT_SVG,
    RM_FORMAT_PDF,
    RM_FORMAT_PNG
} rm_format;

/* The format named ("svg", "pdf", "png"), else from a path's extension, else SVG. */
rm_format rm_format_from(const char *name, const char *path);

/* The format of an output path: its extension when it is .svg, .pdf or
 * .png (any case); for "-", no path or a name without an extension, the
 * format named ("svg", "pdf", "png"; "-" defaults to SVG). Any other
 * extension (map.jpg, map.eps), or no extension and no format, is refused
 * with RM_ERR_USAGE naming the known ones: an SVG in a .jpg opens nowhere.
 * rm_render_file does this for RM_FORMAT_AUTO; pass a format to write any
 * name. */
rm_status rm_format_resolve(const char *name, const char *path, rm_format *out, rm_error *err);

typedef struct rm_render_options {
    const char *layout_path; /* write a JSON dump of placed labels' boxes, markers and furniture */
    const char *georef_path; /* write CRS, map->page affine, page positions of places and routes */
    FILE *verbose;           /* when set, dropped labels and timings are reported here */
    int full_precision;      /* 1: no simplification, full coordinate precision (for checks) */
} rm_render_options;

/* Renders spec to a file (atomically: a temporary file in the same directory,
 * renamed on success; "-" writes to stdout). */
rm_status rm_render_file(const rm_spec *spec, const char *path, rm_format fmt,
                         const rm_render_options *opt, rm_error *err);

/* Renders spec into a malloc'ed buffer (*data, *len), caller frees. */
rm_status rm_render_buffer(const rm_spec *spec, rm_format fmt, const rm_render_options *opt,
                           unsigned char **data, size_t *len, rm_error *err);

/* The directory of the built-in data (data/shapefiles): $ROUTEMAP_DATA, else
 * the installed data, else the source tree's. */
const char *rm_default_data_dir(void);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
