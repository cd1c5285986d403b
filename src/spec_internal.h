/* routemap — private helpers shared by spec.c, spec_parse.c, spec_locate.c
 * and markers_io.c. */
#ifndef ROUTEMAP_SPEC_INTERNAL_H
#define ROUTEMAP_SPEC_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "routemap/spec.h"

/* Caps that keep a hostile or mistaken spec from exhausting the machine. */
#define RM_SPEC_MIN_PX 16
#define RM_SPEC_MAX_PX 20000
#define RM_SPEC_MAX_AREA 100e6 /* pixels */
#define RM_SPEC_MIN_DPI 10
#define RM_SPEC_MAX_DPI 2400
#define RM_SPEC_MAX_LINE_WIDTH 200
#define RM_SPEC_MAX_FILE (16u * 1024u * 1024u) /* bytes of a spec or markers file */
#define RM_SPEC_MAX_DEPTH 32                   /* nesting of arrays/objects */
#define RM_SPEC_MAX_STRING 8192                /* bytes of one string value */
#define RM_SPEC_MAX_LAYERS 256
#define RM_SPEC_MAX_ROUTES 256
#define RM_SPEC_MAX_VIA 64
#define RM_SPEC_MAX_MARKERS 100000

/* Appends the journeys of journeys.csv at path (those whose id is in ids, or
 * all when nids is 0) to spec: each rail journey as a route through its rail
 * stops (style, arrows), and, when markers, each stop a journey visited as a
 * marker (src/spec_journeys.c). */
rm_status rm_spec_expand_journeys(rm_spec *spec, const char *path, const char *const *ids,
                                  size_t nids, int markers, int arrows, const rm_style *style,
                                  rm_error *err);

void rm_style_init_layer(rm_style *s);
void rm_style_init_route(rm_style *s);
void rm_layer_spec_clear(rm_layer_spec *l);
void rm_route_spec_clear(rm_route_spec *r);
void rm_marker_spec_clear(rm_marker_spec *m);

/* The closest of n names to word when it is a plausible typo, else NULL. */
const char *rm_closest_name(const char *word, const char *const *names, size_t n);

/* One step of a key path: an object key or an array index. */
typedef struct rm_path_step {
    const char *key; /* NULL: index step */
    size_t index;
} rm_path_step;

/* Finds where the value at path (or, with at_key, the key naming it) starts
 * in the JSON text; writes the 1-based line and column (in characters).
 * Returns 0 when found, -1 otherwise. Never recurses, so any nesting is safe. */
int rm_json_locate(const char *text, size_t len, const rm_path_step *path, size_t depth, int at_key,
                   int *line, int *col);

/* The deepest nesting of arrays/objects in text (stops counting at cap+1),
 * without parsing it fully; used to refuse deep documents before parsing. */
int rm_json_depth(const char *text, size_t len, int cap);

/* Replaces control characters in err's message (from keys or values quoted
 * in it) with '?', so that the message stays one line. */
void rm_error_one_line(rm_error *err);

/* Reads a whole file up to max bytes into a NUL-terminated malloc'ed buffer. */
rm_status rm_read_file_capped(const char *path, size_t max, char **out, size_t *len, rm_error *err);
/* The same for a file that a spec names (markers, text layers): anything but
 * a regular file (a FIFO that would block, a device) is refused at once. */
rm_status rm_read_regular_capped(const char *path, size_t max, char **out, size_t *len,
                                 rm_error *err);

#endif
