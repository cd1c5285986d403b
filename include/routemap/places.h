/* routemap — places: the gazetteer. Names and aliases (English and native
 * script, e.g. "Pyongyang", "평양", "Vladivostok", "Владивосток") resolve to
 * lon/lat; "lon,lat" literals resolve to themselves. */
#ifndef ROUTEMAP_PLACES_H
#define ROUTEMAP_PLACES_H

#include <stddef.h>
#include "routemap/error.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_place {
    const char *name;    /* English name */
    const char *aliases; /* other names, '|'-separated ("" when none) */
    const char *country; /* ISO 3166 alpha-3 code ("" when unknown) */
    const char *kind;    /* capital, city, station, border crossing, site */
    double lon, lat;
} rm_place;

typedef struct rm_gazetteer rm_gazetteer;

/* Loads a places point shapefile with fields NAME, ALIASES, COUNTRY, KIND. */
rm_gazetteer *rm_gazetteer_load(const char *path, rm_error *err);
void rm_gazetteer_free(rm_gazetteer *g);
size_t rm_gazetteer_count(const rm_gazetteer *g);
const rm_place *rm_gazetteer_get(const rm_gazetteer *g, size_t i);

/* Resolves a name, alias (case- and accent-insensitive for Latin script) or a
 * "lon,lat" literal. g may be NULL (then only literals resolve). On success
 * fills *out (name points into g or to the query) and returns RM_OK; an
 * unknown name gives RM_ERR_NOT_FOUND with the closest known names. */
rm_status rm_gazetteer_resolve(const rm_gazetteer *g, const char *query, rm_place *out,
                               rm_error *err);

/* Places whose name or alias contains query (case-insensitive), up to cap;
 * returns the number found. */
size_t rm_gazetteer_search(const rm_gazetteer *g, const char *query, const rm_place **out,
                           size_t cap);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
