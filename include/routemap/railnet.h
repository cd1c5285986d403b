/* routemap — railnet: a routable graph from any line layer, shortest paths
 * with via points, bridged gaps, route reports and GeoJSON export. */
#ifndef ROUTEMAP_RAILNET_H
#define ROUTEMAP_RAILNET_H

#include <stddef.h>
#include "routemap/error.h"
#include "routemap/geodata.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_railnet_options {
    double snap_m;      /* endpoints closer than this are joined (default 5 m) */
    double max_gap_km;  /* gaps up to this are bridged when no path exists without them (default 5
                           km; 0 = never) */
    double max_snap_km; /* a place farther than this from every line is refused (default 30 km) */
    const char *name_field; /* attribute naming a line (default: first of NAME, name, rwdb_rr_id) */
    const char *country_field; /* attribute with the country (default: COUNTRY, or none) */
    /* What a route minimises. RM_WEIGHT_LENGTH (0): its length.
     * RM_WEIGHT_MAIN: a cost that prefers main lines and avoids needless
     * border crossings: each km of line costs by its class (class 1, trunk:
     * 1.0; class 2, main: 1.2; class 3, secondary: 1.5; unknown: 1.2), and
     * each change of country along the route (both countries known: a border
     * stop, often a change of gauge) costs
     * crossing_km more. The class is the class_field attribute (1..3), or,
     * in Natural Earth railroads, scalerank (<= 4: 1, 5..7: 2, else 3). The
     * reported lengths stay the geodesic lengths. */
    int weighting;
    double crossing_km;      /* RM_WEIGHT_MAIN: cost of a border crossing (0: 800 km) */
    const char *class_field; /* default: CLASS, else scalerank, else none */
    /* RM_WEIGHT_MAIN on a layer without a country field: country polygons
     * (e.g. countries.shp) that give each line its country (the polygon
     * holding its middle vertex); must outlive the build only. */
    const rm_layer *country_polygons;
} rm_railnet_options;

enum { RM_WEIGHT_LENGTH = 0, RM_WEIGHT_MAIN = 1 };
#define RM_RAILNET_CROSSING_KM 800.0

typedef struct rm_railnet rm_railnet;

/* Builds the graph from a line layer (the layer must outlive the graph). */
rm_railnet *rm_railnet_build(const rm_layer *lines, const rm_railnet_options *opt, rm_error *err);
void rm_railnet_free(rm_railnet *net);
size_t rm_railnet_node_count(const rm_railnet *net);
size_t rm_railnet_edge_count(const rm_railnet *net);

/* One stretch of a route along one named line. */
typedef struct rm_route_leg {
    const char *line;    /* line name ("" when unnamed; "(bridged gap)" for a connector) */
    const char *country; /* "" when unknown */
    double km;
    int bridged; /* 1 when this leg is a straight connector across a gap */
} rm_route_leg;

typedef struct rm_route {
    double km; /* total geodesic length */
    size_t npoints;
    double *xy; /* the route geometry, lon,lat interleaved */
    size_t nlegs;
    rm_route_leg *legs;
    size_t nstops;        /* from, vias..., to */
    double *stop_snap_km; /* distance from each requested stop to the point it snapped to: the
                             nearest point on a line (bridged-gap connectors excluded) */
    double *stop_xy;      /* the snapped point of each stop, lon,lat; the route starts and ends
                             there */
    size_t ngaps;         /* bridged gaps */
    double *gap_xy;       /* 4 doubles per gap: lon1,lat1,lon2,lat2 */
    double *gap_km;
    char **countries; /* countries passed, in order, no repeats */
    size_t ncountries;
} rm_route;

/* Shortest path through stops[0] .. stops[n-1] (lon,lat pairs; n >= 2).
 * RM_ERR_NO_PATH when no path exists, with a message that says which parts
 * of the network the ends lie in and how close those parts come. */
rm_status rm_railnet_route(const rm_railnet *net, const double *stops, size_t n, rm_route *out,
                           rm_error *err);
void rm_route_free(rm_route *r);

/* Sets r->countries from a polygon layer (e.g. countries.shp): the
 * countries whose polygons the route runs through, in order, no repeats,
 * named by field (NULL: ISO_A3, with ADM0_A3 where ISO_A3 is "-99", else
 * COUNTRY, else NAME). For rail layers without a country attribute. */
rm_status rm_route_countries_from(rm_route *r, const rm_layer *countries, const char *field,
                                  rm_error *err);

/* Writes the route as an RFC 7946 Feature (LineString, with length_km,
 * lines, countries and gaps as properties) to a NUL-terminated malloc'ed
 * string. */
char *rm_route_geojson(const rm_route *r, const char *from, const char *to);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
