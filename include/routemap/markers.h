/* routemap — markers from files: CSV (RFC 4180, a header with lon/lat or
 * longitude/latitude columns and a name column destination|name|label, an
 * optional date column) or GeoJSON (a FeatureCollection of Points), read
 * into marker specs. Errors name the file and line (CSV) or feature. */
#ifndef ROUTEMAP_MARKERS_H
#define ROUTEMAP_MARKERS_H

#include <stddef.h>
#include "routemap/error.h"
#include "routemap/spec.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* Reads path (format from the extension: .csv, .geojson/.json; otherwise
 * sniffed from the first byte) into a malloc'ed array of *n markers. Every
 * marker has has_lonlat set; kind defaults to "trip" for CSV rows with a
 * date and to "place" otherwise. Caller frees with rm_markers_free. */
rm_status rm_markers_read(const char *path, rm_marker_spec **out, size_t *n, rm_error *err);

/* Markers from a point layer (a point shapefile, or any file rm_layer_load
 * reads): one marker per point, labelled from the field label_field (NULL:
 * the first of NAME, NAME_EN, NAMEASCII, LABEL, TITLE, CITY that exists, else
 * no label); kind "place". A missing field is refused naming the fields the
 * layer has; a line or polygon layer is refused. */
rm_status rm_markers_read_layer(const char *path, const char *label_field, rm_marker_spec **out,
                                size_t *n, rm_error *err);

/* Same, from text in memory (name is used in error messages; is_geojson
 * selects the reader). */
rm_status rm_markers_parse(const char *text, size_t len, const char *name, int is_geojson,
                           rm_marker_spec **out, size_t *n, rm_error *err);

void rm_markers_free(rm_marker_spec *m, size_t n);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
