/* routemap — geodata: reading a shapefile (.shp/.shx/.dbf/.prj/.cpg) with
 * shapelib into an in-memory layer of features in lon/lat with attributes,
 * keeping only the records whose bounding box meets a filter box.
 *
 * Every size read from a file is checked against the file's length before it
 * is used; malformed input gives RM_ERR_FORMAT naming the file and record. */
#ifndef ROUTEMAP_GEODATA_H
#define ROUTEMAP_GEODATA_H

#include <stddef.h>
#include "routemap/error.h"
#include "routemap/geom.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rm_geom_type {
    RM_GEOM_NONE = 0,
    RM_GEOM_POINT = 1,  /* Point, MultiPoint (and Z/M variants) */
    RM_GEOM_LINE = 2,   /* Arc / LineString, multi-part (and Z/M) */
    RM_GEOM_POLYGON = 3 /* Polygon, rings as parts (and Z/M) */
} rm_geom_type;

/* One feature. Geometry is 2-D lon/lat (Z and M are dropped). Read-only. */
typedef struct rm_feature {
    int record;            /* 0-based record number in the .shp */
    rm_bbox bbox;          /* of the geometry, lon/lat */
    int nparts;            /* parts (rings of a polygon, lines of a multi-line) */
    const int *part_start; /* nparts+1 entries: part i is points [part_start[i], part_start[i+1]) */
    int npoints;
    const double *xy; /* 2*npoints doubles, lon,lat interleaved */
    const char *const *
        attrs; /* one UTF-8 string per field ("" for null), or NULL when attributes were not read */
} rm_feature;

typedef struct rm_load_options {
    /* keep only records whose bbox meets this lon/lat box; NULL keeps all.
     * A box across the antimeridian has maxx > 180 (geom.h): the records
     * that meet its part east of 180 come with their longitudes + 360 (a
     * record that meets both parts comes twice, each copy clipped to its own
     * part when clip is set), so the layer is continuous in the box. */
    const rm_bbox *filter;
    int skip_attributes; /* 1: do not read the .dbf at all */
    long max_features;   /* 0: default cap (10 million) */
    long max_vertices;   /* 0: default cap (200 million) */
    /* 1: a polygon record that reaches outside filter has its rings clipped
     * to filter as they are read (rm_ring_clip_*): what lies inside filter
     * fills the same area, and a ring of 400,000 points that only touches
     * the box costs its output, not its size, in memory. For renderers that
     * clip to filter anyway. Lines and points are never clipped. */
    int clip;
    /* 1: neither read nor write the cache of record boxes that lets a large
     * file be filtered without reading it whole (ROUTEMAP_CACHE=off does the
     * same for every load; ROUTEMAP_CACHE_DIR says where it lives, by default
     * $XDG_CACHE_HOME/routemap or ~/.cache/routemap). */
    int no_cache;
    /* The CRS of the file's coordinates ("EPSG:32614", a PROJ string or
     * WKT), for a file without a .prj; with a .prj, the two must describe
     * the same CRS. NULL: the .prj says, and without one the coordinates
     * must be lon/lat degrees (a file whose coordinates reach beyond
     * +-180/+-90 is refused, naming the "crs" key to set). */
    const char *crs;
} rm_load_options;

typedef struct rm_layer rm_layer;

/* Loads path (the .shp, or the base name without extension). opt may be NULL. */
rm_layer *rm_layer_load(const char *path, const rm_load_options *opt, rm_error *err);
void rm_layer_free(rm_layer *layer);

const char *rm_layer_path(const rm_layer *layer);
rm_geom_type rm_layer_geom_type(const rm_layer *layer);
size_t rm_layer_count(const rm_layer *layer);
const rm_feature *rm_layer_feature(const rm_layer *layer, size_t i);
rm_bbox rm_layer_bbox(const rm_layer *layer);
size_t rm_layer_vertex_count(const rm_layer *layer);
/* 1 when the records were found through the cached record index, without
 * reading the whole .shp. */
int rm_layer_used_index(const rm_layer *layer);

int rm_layer_field_count(const rm_layer *layer);
const char *rm_layer_field_name(const rm_layer *layer, int i);
/* Index of a field by case-insensitive name, or -1. */
int rm_layer_field_index(const rm_layer *layer, const char *name);
/* The attribute of a feature by field index ("" when missing). */
const char *rm_feature_attr(const rm_feature *f, int field);

/* The lon/lat box of a layer's data, read cheaply: a lon/lat shapefile's
 * header box (100 bytes), else the layer read as rm_layer_load reads it
 * (projected or GeoJSON/CSV data, with crs as in rm_load_options). An
 * empty layer gives an empty box. */
rm_status rm_layer_extent(const char *path, const char *crs, rm_bbox *out, rm_error *err);

/* What the loader read leniently, as one line naming the file (e.g. an
 * .shx whose header length disagrees with its size: the records are read
 * from the size), for the caller to show once; NULL when nothing. */
const char *rm_layer_warning(const rm_layer *layer);

/* The CRS of the layer as the .prj says (WKT), or NULL when there is no .prj
 * (then the options' crs, or lon/lat WGS 84, was used). Every CRS goes
 * through PROJ (prime meridian, unit, datum) except plain WGS 84 degrees;
 * one that PROJ cannot take to the Earth's lon/lat (another body, no
 * transformation) is refused with PROJ's reason. */
const char *rm_layer_crs_wkt(const rm_layer *layer);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
