/* routemap — journeys as data; see routemap/journeys.h. */
#include "routemap/journeys.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvsplit.h"

enum {
    C_ID,
    C_TRIP,
    C_TITLE,
    C_OUT,
    C_BACK,
    C_MODE,
    C_ORDER,
    C_STOP,
    C_COUNTRY,
    C_LON,
    C_LAT,
    C_ROLE,
    C_REACHED,
    C_SOURCE,
    C_NCOLS
};

static const char *const header[C_NCOLS] = {
    "journey_id", "trip_id", "title", "date_out", "date_back", "mode",       "order",
    "stop",       "country", "lon",   "lat",      "role",      "reached_by", "source_url"};

void rm_journeys_free(rm_journeys *js)
{
    if (!js)
        return;
    for (size_t i = 0; i < js->n; i++) {
        rm_journey *j = &js->j[i];
        free(j->id);
        free(j->trip_id);
        free(j->title);
        free(j->date_out);
        free(j->date_back);
        free(j->mode);
        for (size_t k = 0; k < j->nstops; k++) {
            rm_journey_stop *s = &j->stops[k];
            free(s->name);
            free(s->country);
            free(s->role);
            free(s->reached_by);
            free(s->source_url);
        }
        free(j->stops);
    }
    free(js->j);
    free(js);
}

static int num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && !*end && !errno && isfinite(*v) ? 0 : -1;
}

static rm_status row(rm_journeys *js, char **f, const char *path, int line, rm_error *err)
{
    double lon, lat, order;
    if (!*f[C_ID] || !*f[C_STOP] || num(f[C_LON], &lon) || num(f[C_LAT], &lat) || fabs(lon) > 180 ||
        fabs(lat) > 90 || num(f[C_ORDER], &order))
        return rm_error_set(err, RM_ERR_FORMAT,
                            "%s:%d: a stop needs a journey_id, a name, order, lon and lat", path,
                            line);
    static const char *const roles[] = {"start", "via", "stop", "border", "end"};
    int ok = 0;
    for (int i = 0; i < 5; i++)
        ok |= !strcmp(f[C_ROLE], roles[i]);
    if (!ok)
        return rm_error_set(err, RM_ERR_FORMAT,
                            "%s:%d: role '%.40s' (known: start, via, stop, border, end)", path,
                            line, f[C_ROLE]);
    rm_journey *j = js->n ? &js->j[js->n - 1] : NULL;
    if (!j || strcmp(j->id, f[C_ID]) != 0) {
        for (size_t i = 0; i < js->n; i++)
            if (!strcmp(js->j[i].id, f[C_ID]))
                return rm_error_set(err, RM_ERR_FORMAT,
                                    "%s:%d: the rows of journey %s are not together", path, line,
                                    f[C_ID]);
        rm_journey *nj = realloc(js->j, (js->n + 1) * sizeof *nj);
        if (!nj)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        js->j = nj;
        j = &js->j[js->n++];
        memset(j, 0, sizeof *j);
        j->id = strdup(f[C_ID]);
        j->trip_id = strdup(f[C_TRIP]);
        j->title = strdup(f[C_TITLE]);
        j->date_out = strdup(f[C_OUT]);
        j->date_back = strdup(f[C_BACK]);
        j->mode = strdup(f[C_MODE]);
        if (!j->id || !j->trip_id || !j->title || !j->date_out || !j->date_back || !j->mode)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    if ((double)(j->nstops + 1) != order)
        return rm_error_set(err, RM_ERR_FORMAT, "%s:%d: journey %s: stop %g, expected %zu", path,
                            line, j->id, order, j->nstops + 1);
    rm_journey_stop *ns = realloc(j->stops, (j->nstops + 1) * sizeof *ns);
    if (!ns)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    j->stops = ns;
    rm_journey_stop *s = &j->stops[j->nstops++];
    *s = (rm_journey_stop){strdup(f[C_STOP]),
                           strdup(f[C_COUNTRY]),
                           strdup(f[C_ROLE]),
                           strdup(f[C_REACHED]),
                           strdup(f[C_SOURCE]),
                           lon,
                           lat};
    if (!s->name || !s->country || !s->role || !s->reached_by || !s->source_url)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    return RM_OK;
}

rm_journeys *rm_journeys_read(const char *path, rm_error *err)
{
    FILE *fp = path ? fopen(path, "r") : NULL;
    if (!fp) {
        rm_error_set(err, RM_ERR_IO, "%s: cannot open: %s", path ? path : "(null)",
                     strerror(path ? errno : EINVAL));
        return NULL;
    }
    rm_journeys *js = calloc(1, sizeof *js);
    if (!js) {
        fclose(fp);
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    char buf[8192];
    int line = 0;
    rm_status st = RM_OK;
    while (st == RM_OK && fgets(buf, sizeof buf, fp)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: line too long", path, line);
            break;
        }
        buf[strcspn(buf, "\r\n")] = 0;
        if (!buf[0] || buf[0] == '#')
            continue;
        char *f[C_NCOLS + 4];
        int n = rm_csv_split(buf, f, C_NCOLS + 4);
        if (line == 1) {
            for (int k = 0; k < C_NCOLS; k++)
                if (k >= n || strcmp(f[k], header[k]) != 0) {
                    st = rm_error_set(err, RM_ERR_FORMAT, "%s:1: header field %d should be '%s'",
                                      path, k + 1, header[k]);
                    break;
                }
            continue;
        }
        if (n < 0)
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: unterminated quote", path, line);
        else if (n < C_NCOLS)
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: %d fields, %d expected", path, line, n,
                              (int)C_NCOLS);
        else
            st = row(js, f, path, line, err);
    }
    if (st == RM_OK && ferror(fp))
        st = rm_error_set(err, RM_ERR_IO, "%s: read error", path);
    if (st == RM_OK && js->n == 0)
        st = rm_error_set(err, RM_ERR_FORMAT, "%s: no journeys", path);
    fclose(fp);
    if (st != RM_OK) {
        rm_journeys_free(js);
        return NULL;
    }
    return js;
}

int rm_journey_is_rail(const rm_journey *j)
{
    return j && (!strcmp(j->mode, "train") || !strcmp(j->mode, "mixed"));
}

size_t rm_journey_rail_stops(const rm_journey *j, size_t *idx, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; j && k < j->nstops; k++) {
        const char *rb = j->stops[k].reached_by;
        if (!strcmp(rb, "car") || !strcmp(rb, "flight") || !strcmp(rb, "walk"))
            continue;
        if (n < cap)
            idx[n] = k;
        n++;
    }
    return n;
}
