/* routemap — the plan of a map: the places the spec names resolved (markers
 * clustered by name), and every route computed on its network. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render_priv.h"
#include "routemap/distance.h"
#include "routemap/plan.h"
#include "routemap/places.h"

/* --------------------------------------------------------------- markers */

int rm_r_kind_is(const char *kind, const char *what)
{
    return kind && strstr(kind, what) != NULL;
}

static int kind_priority(const char *kind)
{
    if (rm_r_kind_is(kind, "origin") || rm_r_kind_is(kind, "destination"))
        return 100;
    if (rm_r_kind_is(kind, "crossing"))
        return 90;
    if (rm_r_kind_is(kind, "trip") || rm_r_kind_is(kind, "flight"))
        return 60;
    if (rm_r_kind_is(kind, "capital"))
        return 40;
    return 20;
}

/* The first alias written in a non-Latin script, for bilingual labels. */
static int native_alias(const char *aliases, char *out, size_t cap)
{
    const char *s = aliases;
    while (s && *s) {
        const char *e = strchr(s, '|');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        int nonlatin = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)s[i];
            /* lead bytes of code points beyond Latin Extended (U+0250+) */
            if (c >= 0xc9 && c != 0xe1 /* U+1Exx Latin Extended Additional */)
                nonlatin = 1;
        }
        if (nonlatin && n + 1 < cap) {
            memcpy(out, s, n);
            out[n] = '\0';
            return 1;
        }
        s = e ? e + 1 : NULL;
    }
    return 0;
}

/* Resolves every marker of the spec to lon/lat and a label. */
static rm_status resolve_markers(rm_render *r, const rm_gazetteer *g, rm_error *err)
{
    const rm_spec *s = r->spec;
    r->marks = calloc(s->nmarkers + 2 * s->nroutes + 1, sizeof *r->marks);
    if (!r->marks)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->nmarkers; i++) {
        const rm_marker_spec *m = &s->markers[i];
        rm_mark *k = &r->marks[r->nmarks];
        memset(k, 0, sizeof *k);
        k->spec = m;
        k->cluster = -1;
        const char *name = NULL;
        char native[256] = "";
        if (m->has_lonlat) {
            k->lon = m->lon;
            k->lat = m->lat;
        } else if (m->place) {
            rm_place pl;
            if (rm_gazetteer_resolve(g, m->place, &pl, err) != RM_OK) {
                rm_error_prefix(err, "marker %zu", i + 1);
                return err ? err->status : RM_ERR_NOT_FOUND;
            }
            k->lon = pl.lon;
            k->lat = pl.lat;
            name = pl.name;
            if (r->spec->bilingual)
                native_alias(pl.aliases, native, sizeof native);
        } else {
            return rm_error_set(err, RM_ERR_SPEC, "marker %zu: no place and no lon/lat", i + 1);
        }
        const char *text = m->label ? m->label : name ? name : "";
        char buf[600];
        if (native[0] && !strstr(text, native))
            snprintf(buf, sizeof buf, "%s · %s", text, native);
        else
            snprintf(buf, sizeof buf, "%s", text);
        k->label = rm_r_str_dup(buf);
        if (!k->label)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        k->kind = m->kind ? m->kind : "city";
        k->priority = m->priority ? m->priority : kind_priority(k->kind);
        k->is_flight = rm_r_kind_is(k->kind, "flight") || rm_r_kind_is(k->kind, "plane") ||
                       rm_r_kind_is(m->mode, "plane") || rm_r_kind_is(m->mode, "flight") ||
                       rm_r_kind_is(m->mode, "air");
        if (m->number > 0)
            k->nums[k->nnums++] = m->number;
        r->nmarks++;
    }
    return RM_OK;
}

/* ---------------------------------------------------------------- routes */

static rm_status compute_routes_with(rm_render *r, const rm_gazetteer *g, const rm_km_facts *kf,
                                     rm_error *err);

static rm_status compute_routes(rm_render *r, const rm_gazetteer *g, rm_error *err)
{
    const rm_spec *s = r->spec;
    if (s->nroutes == 0)
        return RM_OK;
    r->routes = calloc(s->nroutes, sizeof *r->routes);
    if (!r->routes)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    /* the railway km facts beside the data (none: measured km, shown "≈") */
    rm_error ke;
    rm_km_facts *kf = rm_km_facts_load_default(r->data_dir, &ke);
    if (!kf && ke.status != RM_ERR_NOT_FOUND) {
        if (err)
            *err = ke;
        return ke.status;
    }
    rm_status st = compute_routes_with(r, g, kf, err);
    rm_km_facts_free(kf);
    return st;
}

static rm_status compute_routes_with(rm_render *r, const rm_gazetteer *g, const rm_km_facts *kf,
                                     rm_error *err)
{
    const rm_spec *s = r->spec;
    for (size_t i = 0; i < s->nroutes; i++) {
        const rm_route_spec *rs = &s->routes[i];
        rm_rroute *rr = &r->routes[r->nroutes];
        rm_path_init(&rr->page);
        rr->spec = rs;
        rr->rail_km = NAN;
        r->nroutes++;
        if (!rs->from || !rs->to)
            return rm_error_set(err, RM_ERR_SPEC, "route %zu: needs 'from' and 'to'", i + 1);
        size_t nst = 2 + rs->nvia;
        double *stops = malloc(2 * nst * sizeof *stops);
        if (!stops)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < nst; k++) {
            const char *q = k == 0 ? rs->from : k == nst - 1 ? rs->to : rs->via[k - 1];
            rm_place pl;
            if (rm_gazetteer_resolve(g, q, &pl, err) != RM_OK) {
                free(stops);
                rm_error_prefix(err, "route %zu", i + 1);
                return err ? err->status : RM_ERR_NOT_FOUND;
            }
            stops[2 * k] = pl.lon;
            stops[2 * k + 1] = pl.lat;
            if (k == 0)
                rr->from_name = rm_r_str_dup(pl.name);
            if (k == nst - 1)
                rr->to_name = rm_r_str_dup(pl.name);
        }
        rr->from_ll[0] = stops[0];
        rr->from_ll[1] = stops[1];
        rr->to_ll[0] = stops[2 * nst - 2];
        rr->to_ll[1] = stops[2 * nst - 1];
        rm_plan_options po;
        rm_plan_defaults(&po);
        po.data_dir = r->data_dir;
        char rail[4200];
        if (rs->rail_file) {
            rm_r_join_path(rail, sizeof rail, r->data_dir, rs->rail_file);
            po.rail_path = rail;
        }
        char path[4200];
        rm_r_join_path(path, sizeof path, r->data_dir, rs->rail_file ? rs->rail_file : "rail.shp");
        if (rm_r_is_shipped(path))
            r->credit_rail = 1;
        if (rs->max_gap_km > 0)
            po.net.max_gap_km = rs->max_gap_km;
        /* a map draws the shortest path unless its spec asks for main lines */
        po.net.weighting = rs->main_lines ? RM_WEIGHT_MAIN : RM_WEIGHT_LENGTH;
        rm_status st = rm_plan_route_stops(stops, nst, &po, &rr->route, NULL, err);
        free(stops);
        if (st != RM_OK) {
            rm_error_prefix(err, "route %zu (%s to %s)", i + 1, rs->from, rs->to);
            return st;
        }
        if (!rr->from_name || !rr->to_name)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        rm_rail_km k;
        if (rm_route_rail_km(kf, &rr->route, &k, err) != RM_OK)
            return err ? err->status : RM_ERR_NOMEM;
        rr->rail_km = k.official_km;
    }
    return RM_OK;
}

/* Does a place string need the gazetteer ("lon,lat" literals do not)? */
static int needs_name(const char *q)
{
    rm_place pl;
    return q && rm_gazetteer_resolve(NULL, q, &pl, NULL) != RM_OK;
}

static int needs_gazetteer(const rm_spec *s)
{
    for (size_t i = 0; i < s->nroutes; i++) {
        const rm_route_spec *rs = &s->routes[i];
        if (needs_name(rs->from) || needs_name(rs->to))
            return 1;
        for (size_t k = 0; k < rs->nvia; k++)
            if (needs_name(rs->via[k]))
                return 1;
    }
    for (size_t i = 0; i < s->nmarkers; i++)
        if (!s->markers[i].has_lonlat && needs_name(s->markers[i].place))
            return 1;
    return 0;
}

/* Step 1 of a map: the places the spec names and the routes between them.
 * The gazetteer is read only when a place is named (not a "lon,lat"). */
rm_status rm_r_plan(rm_render *r, rm_error *err)
{
    rm_gazetteer *gaz = NULL;
    if (needs_gazetteer(r->spec)) {
        rm_plan_options po;
        rm_plan_defaults(&po);
        po.data_dir = r->data_dir;
        gaz = rm_plan_gazetteer(&po, err);
        if (!gaz) {
            rm_error_prefix(err, "gazetteer");
            return err ? err->status : RM_ERR_IO;
        }
        /* the file rm_plan_gazetteer read */
        char gp[4200];
        rm_r_join_path(gp, sizeof gp, r->data_dir, "places.shp");
        if (!rm_r_file_exists(gp))
            rm_r_join_path(gp, sizeof gp, rm_default_data_dir(), "places.shp");
        if (rm_r_is_shipped(gp))
            r->credit_places = 1;
    }
    rm_status st = resolve_markers(r, gaz, err);
    if (st == RM_OK)
        st = compute_routes(r, gaz, err);
    rm_gazetteer_free(gaz);
    return st;
}
