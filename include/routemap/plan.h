/* routemap — the plan of a route: its places resolved and its path computed
 * on the rail network, one way for `routemap render` (every route of a spec)
 * and `routemap route`, with one set of defaults. */
#ifndef ROUTEMAP_PLAN_H
#define ROUTEMAP_PLAN_H

#include <stddef.h>

#include "routemap/error.h"
#include "routemap/places.h"
#include "routemap/railnet.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_plan_options {
    const char *data_dir;       /* rail.shp, places.shp, countries.shp; NULL: the built-in */
    const char *rail_path;      /* NULL: DATA_DIR/rail.shp */
    const char *places_path;    /* NULL: DATA_DIR/places.shp, else the built-in gazetteer's */
    const char *countries_path; /* NULL: DATA_DIR/countries.shp when present: the borders
                                   that RM_WEIGHT_MAIN needs when the rail has no COUNTRY */
    rm_railnet_options net;     /* how the network is built and what a route minimises */
    int whole_network;          /* 1: read the whole rail layer; 0: only around the stops */
} rm_plan_options;

/* The network a route was computed on: the names of its legs (line,
 * country) point into it, so it is freed after the route. */
typedef struct rm_plan_net rm_plan_net;
void rm_plan_net_free(rm_plan_net *net);

/* The defaults: lines joined within 5 m, gaps up to 5 km bridged, places at
 * most 30 km from a line, routes that prefer main lines and avoid needless
 * border crossings (RM_WEIGHT_MAIN, 800 km a crossing), the rail read
 * around the stops. */
void rm_plan_defaults(rm_plan_options *o);

/* The gazetteer of o (places_path, else DATA_DIR/places.shp, else the
 * built-in one), or NULL with err set. */
rm_gazetteer *rm_plan_gazetteer(const rm_plan_options *o, rm_error *err);

/* Does any of the n place strings need the gazetteer ("lon,lat" does not)? */
int rm_plan_needs_gazetteer(const char *const *places, size_t n);

/* Resolves the n >= 2 place strings (names with g, or "lon,lat") into pl
 * (n entries) and computes the route through them in order into out
 * (rm_route_free frees it; keep as for rm_plan_route_stops). */
rm_status rm_plan_route(const char *const *places, size_t n, const rm_gazetteer *g,
                        const rm_plan_options *o, rm_place *pl, rm_route *out, rm_plan_net **keep,
                        rm_error *err);

/* The route through n >= 2 stops (lon/lat pairs) in order, on the rail of
 * o read around them. With keep, *keep is the network (for the legs'
 * names; rm_plan_net_free frees it); without, it is freed at once and the
 * legs' names must not be read. */
rm_status rm_plan_route_stops(const double *stops, size_t n, const rm_plan_options *o,
                              rm_route *out, rm_plan_net **keep, rm_error *err);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
