/* routemap — the spec's "journeys" key: journeys.csv expanded into routes
 * and markers (see routemap/journeys.h and docs/spec.md). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routemap/journeys.h"
#include "spec_internal.h"

static char *lonlat(double lon, double lat)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.6f,%.6f", lon, lat);
    return strdup(buf);
}

/* The stop's name up to " (" or " - " ("Khasan Station (return)" ->
 * "Khasan Station"). */
static char *short_name(const char *s)
{
    size_t n = strlen(s);
    const char *p = strstr(s, " (");
    if (p && (size_t)(p - s) < n)
        n = (size_t)(p - s);
    p = strstr(s, " - ");
    if (p && (size_t)(p - s) < n)
        n = (size_t)(p - s);
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = 0;
    }
    return out;
}

static int selected(const rm_journey *j, const char *const *ids, size_t nids)
{
    if (nids == 0)
        return 1;
    for (size_t i = 0; i < nids; i++)
        if (!strcmp(ids[i], j->id))
            return 1;
    return 0;
}

rm_status rm_spec_expand_journeys(rm_spec *s, const char *path, const char *const *ids, size_t nids,
                                  int markers, int arrows, const rm_style *style, rm_error *err)
{
    rm_journeys *js = rm_journeys_read(path, err);
    if (!js)
        return err->status;
    rm_status st = RM_OK;
    for (size_t i = 0; i < nids; i++) {
        size_t k = 0;
        while (k < js->n && strcmp(js->j[k].id, ids[i]) != 0)
            k++;
        if (k == js->n) {
            st = rm_error_set(err, RM_ERR_NOT_FOUND, "%s: no journey '%.40s'", path, ids[i]);
            goto out;
        }
    }
    for (size_t k = 0; k < js->n; k++) {
        const rm_journey *j = &js->j[k];
        if (!selected(j, ids, nids))
            continue;
        char label[256];
        snprintf(label, sizeof label, "%s (%s)", j->title, j->mode);
        size_t idx[RM_SPEC_MAX_VIA + 2];
        size_t nr = rm_journey_is_rail(j) ? rm_journey_rail_stops(j, idx, RM_SPEC_MAX_VIA + 2) : 0;
        if (nr > RM_SPEC_MAX_VIA + 2) {
            st = rm_error_set(err, RM_ERR_LIMIT, "%s: journey %s has %zu rail stops (at most %d)",
                              path, j->id, nr, RM_SPEC_MAX_VIA + 2);
            goto out;
        }
        if (nr >= 2) {
            if (s->nroutes >= RM_SPEC_MAX_ROUTES) {
                st = rm_error_set(err, RM_ERR_LIMIT, "%s: too many routes", path);
                goto out;
            }
            rm_route_spec *nrt = realloc(s->routes, (s->nroutes + 1) * sizeof *nrt);
            if (!nrt)
                goto nomem;
            s->routes = nrt;
            rm_route_spec *r = &s->routes[s->nroutes++];
            memset(r, 0, sizeof *r);
            r->style = *style;
            r->max_gap_km = 5;
            r->arrows = arrows;
            r->main_lines = 1; /* between reported stops: the main lines */
            r->label = strdup(label);
            r->from = lonlat(j->stops[idx[0]].lon, j->stops[idx[0]].lat);
            r->to = lonlat(j->stops[idx[nr - 1]].lon, j->stops[idx[nr - 1]].lat);
            r->nvia = nr - 2;
            r->via = r->nvia ? calloc(r->nvia, sizeof *r->via) : NULL;
            if (!r->label || !r->from || !r->to || (r->nvia && !r->via))
                goto nomem;
            for (size_t v = 0; v < r->nvia; v++)
                if (!(r->via[v] = lonlat(j->stops[idx[v + 1]].lon, j->stops[idx[v + 1]].lat)))
                    goto nomem;
        }
        if (!markers)
            continue;
        for (size_t t = 0; t < j->nstops; t++) {
            const rm_journey_stop *p = &j->stops[t];
            if (strcmp(p->role, "stop") != 0)
                continue;
            int dup = 0; /* the same place visited twice in a journey: one marker */
            for (size_t u = 0; u < t && !dup; u++)
                dup = !strcmp(j->stops[u].role, "stop") && j->stops[u].lon == p->lon &&
                      j->stops[u].lat == p->lat;
            if (dup)
                continue;
            if (s->nmarkers >= RM_SPEC_MAX_MARKERS) {
                st = rm_error_set(err, RM_ERR_LIMIT, "%s: too many markers", path);
                goto out;
            }
            rm_marker_spec *nm = realloc(s->markers, (s->nmarkers + 1) * sizeof *nm);
            if (!nm)
                goto nomem;
            s->markers = nm;
            rm_marker_spec *m = &s->markers[s->nmarkers++];
            memset(m, 0, sizeof *m);
            m->lon = p->lon;
            m->lat = p->lat;
            m->has_lonlat = 1;
            m->label = short_name(p->name);
            m->kind = strdup("trip");
            m->date = strndup(j->date_out, 7);
            m->mode = strdup(p->reached_by[0] ? p->reached_by : j->mode);
            m->group = strdup(label);
            m->priority = 40;
            if (!m->label || !m->kind || !m->date || !m->mode || !m->group)
                goto nomem;
        }
    }
    goto out;
nomem:
    st = rm_error_set(err, RM_ERR_NOMEM, "out of memory");
out:
    rm_journeys_free(js);
    return st;
}
