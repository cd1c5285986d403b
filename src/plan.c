/* routemap — the plan of a route (include/routemap/plan.h): the places
 * resolved, the rail read around them, the network built with one set of
 * defaults, the route computed. `routemap render` plans every route of a
 * spec with it, `routemap route` its one route. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routemap/geodata.h"
#include "routemap/plan.h"
#include "routemap/render.h"
#include "util.h"

void rm_plan_defaults(rm_plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->net.snap_m = 5;
    o->net.max_gap_km = 5;
    o->net.max_snap_km = 30;
    o->net.weighting = RM_WEIGHT_MAIN;
    o->net.crossing_km = RM_RAILNET_CROSSING_KM;
}

static const char *data_dir_of(const rm_plan_options *o)
{
    return o->data_dir && *o->data_dir ? o->data_dir : rm_default_data_dir();
}

rm_gazetteer *rm_plan_gazetteer(const rm_plan_options *o, rm_error *err)
{
    char gp[4200];
    if (o->places_path) {
        snprintf(gp, sizeof gp, "%s", o->places_path);
    } else {
        /* the data directory may hold only layers (Natural Earth files,
         * say): then the built-in gazetteer names the places */
        rm_path_join_buf(gp, sizeof gp, data_dir_of(o), "places.shp");
        if (!rm_file_exists(gp))
            rm_path_join_buf(gp, sizeof gp, rm_default_data_dir(), "places.shp");
    }
    return rm_gazetteer_load(gp, err);
}

int rm_plan_needs_gazetteer(const char *const *places, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rm_place pl;
        if (places[i] && rm_gazetteer_resolve(NULL, places[i], &pl, NULL) != RM_OK)
            return 1;
    }
    return 0;
}

/* The country polygons RM_WEIGHT_MAIN needs when the rail layer names no
 * country: o's countries_path, else DATA_DIR/countries.shp when present;
 * NULL (and RM_OK) when there are none to read. */
static rm_status load_borders(const rm_plan_options *o, const rm_layer *rail, rm_layer **out,
                              rm_error *err)
{
    *out = NULL;
    if (o->net.weighting != RM_WEIGHT_MAIN || o->net.country_field || o->net.country_polygons ||
        rm_layer_field_index(rail, "COUNTRY") >= 0)
        return RM_OK;
    char cpath[4200];
    if (o->countries_path)
        snprintf(cpath, sizeof cpath, "%s", o->countries_path);
    else if (rm_path_join_buf(cpath, sizeof cpath, data_dir_of(o), "countries.shp") != 0 ||
             !rm_file_exists(cpath))
        return RM_OK;
    rm_bbox box = rm_layer_bbox(rail);
    rm_load_options copt = {0};
    copt.filter = &box;
    *out = rm_layer_load(cpath, &copt, err);
    return *out ? RM_OK : (err ? err->status : RM_ERR_IO);
}

struct rm_plan_net {
    rm_layer *rail;
    rm_railnet *net;
};

void rm_plan_net_free(rm_plan_net *k)
{
    if (!k)
        return;
    rm_railnet_free(k->net);
    rm_layer_free(k->rail);
    free(k);
}

rm_status rm_plan_route_stops(const double *stops, size_t n, const rm_plan_options *o,
                              rm_route *out, rm_plan_net **keep, rm_error *err)
{
    if (keep)
        *keep = NULL;
    rm_plan_options def;
    if (!o) {
        rm_plan_defaults(&def);
        o = &def;
    }
    if (!stops || n < 2 || !out)
        return rm_error_set(err, RM_ERR_USAGE, "plan: give at least two stops");
    rm_bbox sb = rm_bbox_empty();
    for (size_t k = 0; k < n; k++)
        rm_bbox_add(&sb, stops[2 * k], stops[2 * k + 1]);
    /* the rail network around the stops (generously: a path may bend well
     * outside the box of its ends) */
    double pad = 0.6 * fmax(sb.maxx - sb.minx, sb.maxy - sb.miny) + 4;
    rm_bbox fb = {sb.minx - pad, sb.miny - pad, sb.maxx + pad, sb.maxy + pad};
    char path[4200];
    if (o->rail_path)
        snprintf(path, sizeof path, "%s", o->rail_path);
    else
        rm_path_join_buf(path, sizeof path, data_dir_of(o), "rail.shp");
    rm_load_options lo = {0};
    lo.filter = o->whole_network ? NULL : &fb;
    rm_layer *rail = rm_layer_load(path, &lo, err);
    if (!rail)
        return err ? err->status : RM_ERR_IO;
    rm_layer *borders = NULL;
    rm_status st = load_borders(o, rail, &borders, err);
    rm_railnet *net = NULL;
    if (st == RM_OK) {
        rm_railnet_options ro = o->net;
        if (borders)
            ro.country_polygons = borders;
        net = rm_railnet_build(rail, &ro, err);
        if (!net)
            st = err ? err->status : RM_ERR_FORMAT;
    }
    rm_layer_free(borders);
    if (net)
        st = rm_railnet_route(net, stops, n, out, err);
    rm_plan_net *k = calloc(1, sizeof *k);
    if (k) {
        k->rail = rail;
        k->net = net;
    } else {
        rm_railnet_free(net);
        rm_layer_free(rail);
        if (st == RM_OK && keep)
            st = rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    if (keep && st == RM_OK)
        *keep = k;
    else
        rm_plan_net_free(k);
    return st;
}

rm_status rm_plan_route(const char *const *places, size_t n, const rm_gazetteer *g,
                        const rm_plan_options *o, rm_place *pl, rm_route *out, rm_plan_net **keep,
                        rm_error *err)
{
    if (keep)
        *keep = NULL;
    if (!places || n < 2 || !pl || !out)
        return rm_error_set(err, RM_ERR_USAGE, "plan: give at least two places");
    double *stops = malloc(2 * n * sizeof *stops);
    if (!stops)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    rm_status st = RM_OK;
    for (size_t k = 0; k < n && st == RM_OK; k++) {
        st = rm_gazetteer_resolve(g, places[k], &pl[k], err);
        stops[2 * k] = pl[k].lon;
        stops[2 * k + 1] = pl[k].lat;
    }
    if (st == RM_OK)
        st = rm_plan_route_stops(stops, n, o, out, keep, err);
    free(stops);
    return st;
}
