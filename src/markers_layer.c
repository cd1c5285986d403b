/* routemap — markers from a point layer (a point shapefile as markers_file):
 * every point a marker, labelled from one attribute field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routemap/geodata.h"
#include "routemap/markers.h"
#include "spec_internal.h"

/* The field that names the features when none is given. */
static int guess_label_field(const rm_layer *L)
{
    static const char *const names[] = {"NAME", "NAME_EN", "NAMEASCII", "LABEL", "TITLE", "CITY"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int j = rm_layer_field_index(L, names[i]);
        if (j >= 0)
            return j;
    }
    return -1;
}

rm_status rm_markers_read_layer(const char *path, const char *label_field, rm_marker_spec **out,
                                size_t *n, rm_error *err)
{
    *out = NULL;
    *n = 0;
    rm_layer *L = rm_layer_load(path, NULL, err);
    if (!L)
        return err ? err->status : RM_ERR_FORMAT;
    rm_status st = RM_OK;
    rm_marker_spec *m = NULL;
    size_t cnt = 0, total = 0;
    if (rm_layer_geom_type(L) != RM_GEOM_POINT) {
        st = rm_error_set(err, RM_ERR_FORMAT, "%s: a %s layer: markers come from points", path,
                          rm_layer_geom_type(L) == RM_GEOM_LINE ? "line" : "polygon");
        goto out;
    }
    int field = -1;
    if (label_field) {
        field = rm_layer_field_index(L, label_field);
        if (field < 0) {
            char names[512] = "";
            size_t u = 0;
            for (int j = 0; j < rm_layer_field_count(L) && u + 1 < sizeof names; j++)
                u += (size_t)snprintf(names + u, sizeof names - u, "%s%s", j ? ", " : "",
                                      rm_layer_field_name(L, j));
            st = rm_error_set(err, RM_ERR_FORMAT, "%s: no field '%s' for label_field (it has: %s)",
                              path, label_field, u ? names : "no fields");
            goto out;
        }
    } else {
        field = guess_label_field(L);
    }
    for (size_t i = 0; i < rm_layer_count(L); i++)
        total += (size_t)rm_layer_feature(L, i)->npoints;
    if (total > RM_SPEC_MAX_MARKERS) {
        st = rm_error_set(err, RM_ERR_LIMIT, "%s: %zu points, more than %d markers", path, total,
                          RM_SPEC_MAX_MARKERS);
        goto out;
    }
    m = calloc(total ? total : 1, sizeof *m);
    if (!m) {
        st = rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    for (size_t i = 0; i < rm_layer_count(L); i++) {
        const rm_feature *f = rm_layer_feature(L, i);
        const char *label = field >= 0 ? rm_feature_attr(f, field) : "";
        for (int k = 0; k < f->npoints; k++) {
            rm_marker_spec *q = &m[cnt++];
            q->lon = f->xy[2 * k];
            q->lat = f->xy[2 * k + 1];
            q->has_lonlat = 1;
            char ll[64];
            snprintf(ll, sizeof ll, "%.4f,%.4f", q->lon, q->lat);
            if ((*label && rm_spec_set_string(&q->label, label)) ||
                (!*label && rm_spec_set_string(&q->place, ll)) ||
                rm_spec_set_string(&q->kind, "place")) {
                st = rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
                goto out;
            }
        }
    }
out:
    rm_layer_free(L);
    if (st) {
        rm_markers_free(m, cnt);
        return st;
    }
    *out = m;
    *n = cnt;
    return RM_OK;
}
