/* routemap — geodata internals shared by the shapefile reader (geodata.c)
 * and the readers of text formats (geodata_text.c: GeoJSON, CSV). */
#ifndef ROUTEMAP_GEODATA_PRIV_H
#define ROUTEMAP_GEODATA_PRIV_H

#include "routemap/geodata.h"

struct rm_layer {
    char *path;
    rm_geom_type type;
    int shp_type;
    size_t n;
    rm_feature *feat;
    double *xy;
    int *parts;
    size_t feat_bytes, xy_bytes, parts_bytes;
    size_t nverts;
    rm_bbox bbox;
    int nfields;
    char **field_names;
    const char **attr_ptrs; /* n * (nfields + 1), each row NULL-terminated */
    char *arena;
    char *arena2; /* the attributes of the second half of a layer loaded across 180 */
    char *prj;
    char *warning;  /* what was read leniently (rm_layer_warning), or NULL */
    int used_index; /* the records were found through the cached record index */
};

/* The features of a layer read from a text format, before the CRS, the
 * filter and the clipping are applied: every part of every feature in geo,
 * in order; feature i owns parts [f[i].part0, f[i].part0 + f[i].nparts). */
typedef struct rm_layer_draft {
    rm_geom_type type;
    rm_path geo;
    struct rm_draft_feature {
        int record; /* its position in the file (0-based) */
        size_t part0, nparts;
    } * f;
    size_t nfeat, fcap;
    int nfields;
    char **names; /* nfields field names */
    char **vals;  /* one row of nfields strings (NULL: "") per record */
    size_t nrows, rowcap;
} rm_layer_draft;

void rm_layer_draft_init(rm_layer_draft *d);
void rm_layer_draft_free(rm_layer_draft *d);

/* The layer from a draft (taken over: d is emptied): file_crs is the CRS the
 * file itself names (NULL: none, then the options' crs, else lon/lat with
 * the range checked); the options' filter and clip are applied as for a
 * shapefile. */
rm_layer *rm_layer_from_draft(const char *path, rm_layer_draft *d, const char *file_crs,
                              const rm_load_options *opt, rm_error *err);

/* GeoJSON (RFC 7946) and CSV point layers (geodata_text.c). */
rm_layer *rm_layer_load_geojson(const char *path, const rm_load_options *opt, rm_error *err);
rm_layer *rm_layer_load_csv(const char *path, const rm_load_options *opt, rm_error *err);

#endif
