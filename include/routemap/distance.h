/* routemap — railway distances: the railway's own km for a route, from
 * sourced facts, and the distance text that reports it.
 *
 * The facts are two CSV tables (data/facts/rail_km.csv and
 * data/facts/rail_stations.csv; data/README.md describes them):
 *   rail_km.csv: from_station,to_station,line,km,km_source_kind,chainage,
 *                source_url,notes — one sourced figure per row;
 *   rail_stations.csv: name,lon,lat,source — where each station is.
 * A row with an empty chainage is a station-to-station distance. Rows that
 * share a chainage are km posts (or tariff km) along one line from one origin:
 * any two of them give the distance between their stations by difference.
 * Rows of kind "press" are cross-checks, never used; so are rows whose
 * stations have no coordinates.
 *
 * A route's railway km (rm_route_rail_km): each leg (stop to stop) must be
 * covered by a chain of facts whose stations lie on the leg in order: the
 * first within END_KM (4 km) of the leg's start, the last within END_KM of its
 * end, every station within END_KM of the route's line, and each fact's km
 * consistent with the length measured between its stations on the route
 * (0.7 km - 5 <= measured <= 1.05 km + 5: a map line cuts the curves, it never
 * adds to them much). The chain with the fewest facts wins (then the direct
 * rows before the chainage differences, then km_post, timetable, official,
 * encyclopedia). The route has a railway km when every leg has one. */
#ifndef ROUTEMAP_DISTANCE_H
#define ROUTEMAP_DISTANCE_H

#include <stddef.h>
#include "routemap/error.h"
#include "routemap/railnet.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_km_facts rm_km_facts;

/* One usable distance: a row, or the difference of two rows of a chainage
 * (then kind is "<kind> difference" and source_url names both sources). */
typedef struct rm_km_fact {
    const char *from, *to, *line, *kind, *source_url;
    double km;
} rm_km_fact;

/* Loads the two tables. Errors name the file and line. */
rm_km_facts *rm_km_facts_load(const char *km_csv, const char *stations_csv, rm_error *err);
void rm_km_facts_free(rm_km_facts *f);
/* Loads DATA_DIR/../facts/rail_km.csv and rail_stations.csv beside it (the
 * layout of the source tree and of the installed data), else the two files
 * in data_dir itself. RM_ERR_NOT_FOUND (and NULL) when neither exists. */
rm_km_facts *rm_km_facts_load_default(const char *data_dir, rm_error *err);
/* rail_stations.csv beside the given rail_km.csv. */
rm_km_facts *rm_km_facts_load_file(const char *km_csv, rm_error *err);
size_t rm_km_facts_count(const rm_km_facts *f); /* usable distances */
const rm_km_fact *rm_km_facts_get(const rm_km_facts *f, size_t i);

#define RM_RAIL_KM_MAX_FACTS 64

typedef struct rm_rail_km {
    double measured_km; /* the route's length on the map's lines */
    double official_km; /* the railway km, NAN unless every leg has one */
    size_t nlegs, nofficial;
    size_t nfacts; /* the facts used, in route order */
    const rm_km_fact *facts[RM_RAIL_KM_MAX_FACTS];
} rm_rail_km;

/* The railway km of route r (f may be NULL: then only the measured km). */
rm_status rm_route_rail_km(const rm_km_facts *f, const rm_route *r, rm_rail_km *out, rm_error *err);

/* The distance text: "1,162 km" (the railway km, when finite) or
 * "≈ 1,006 km" (the measured km), rounded to the km, thousands with a comma.
 * Returns the length written (snprintf-like; buf always NUL-terminated when
 * cap > 0). */
size_t rm_distance_text(char *buf, size_t cap, double official_km, double measured_km);

/* The route as rm_route_geojson writes it, with two more properties:
 * rail_km (the railway km, or null), distance_text (rm_distance_text) and
 * rail_km_facts (from, to, km, kind, source_url of each fact used). */
char *rm_route_geojson_km(const rm_route *r, const char *from, const char *to,
                          const rm_rail_km *km);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
