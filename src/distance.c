/* routemap — railway distances from sourced facts; see routemap/distance.h. */
#include "routemap/distance.h"

#include "csvsplit.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define END_KM 4.0
#define MAX_FIELDS 16

typedef struct station {
    char *name;
    double lon, lat;
} station;

typedef struct fact_ix {
    rm_km_fact f;
    int a, b;  /* station indexes */
    int rank;  /* lower is preferred */
    char *own; /* owned strings of a derived fact (kind, source) */
    char *own2;
} fact_ix;

/* Rows of a chainage wait here until all are read. */
typedef struct chain_row {
    const char *chain, *line, *kind, *src, *station;
    double km;
} chain_row;

typedef struct load_ctx {
    chain_row *rows;
    size_t n;
} load_ctx;

struct rm_km_facts {
    load_ctx *load; /* while loading */
    station *st;
    size_t nst;
    fact_ix *fx;
    size_t nfx;
    char **rows; /* owned row strings (fields point into them) */
    size_t nrows;
};

/* ---- CSV ---- */

/* Splits one line in place: fields separated by commas, double-quoted fields
 * with "" escapes. Returns the field count, or -1 for an unterminated quote. */
int rm_csv_split(char *line, char **f, int cap)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == cap)
            return n;
        if (*p == '"') {
            char *w = ++p;
            f[n++] = w;
            for (;;) {
                if (!*p)
                    return -1;
                if (*p == '"') {
                    if (p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            *w = 0;
            if (*p == ',')
                p++;
            else
                return n;
        } else {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                return n;
            *c = 0;
            p = c + 1;
        }
    }
}

/* Reads the rows of a CSV file with a header of at least want fields;
 * calls row(ctx, fields, lineno) for each. */
typedef int (*row_fn)(rm_km_facts *F, char **f, int n, const char *path, int line, rm_error *err);

static rm_status read_csv(rm_km_facts *F, const char *path, const char *const *header, row_fn fn,
                          rm_error *err)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return rm_error_set(err, RM_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char buf[8192];
    int line = 0, nh = 0;
    while (header[nh])
        nh++;
    rm_status st = RM_OK;
    while (fgets(buf, sizeof buf, fp)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: line too long", path, line);
            break;
        }
        buf[strcspn(buf, "\r\n")] = 0;
        if (!buf[0] || buf[0] == '#')
            continue;
        char **slot = realloc(F->rows, (F->nrows + 1) * sizeof *slot);
        if (!slot) {
            st = rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            break;
        }
        F->rows = slot;
        char *row = strdup(buf);
        if (!row) {
            st = rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            break;
        }
        F->rows[F->nrows++] = row;
        char *f[MAX_FIELDS];
        int n = rm_csv_split(row, f, MAX_FIELDS);
        if (line == 1) {
            for (int k = 0; k < nh; k++)
                if (k >= n || strcmp(f[k], header[k]) != 0) {
                    st = rm_error_set(err, RM_ERR_FORMAT, "%s:1: header field %d should be '%s'",
                                      path, k + 1, header[k]);
                    goto out;
                }
            continue;
        }
        if (n < 0) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: unterminated quote", path, line);
            break;
        }
        if (n < nh) {
            st = rm_error_set(err, RM_ERR_FORMAT, "%s:%d: %d fields, %d expected", path, line, n,
                              nh);
            break;
        }
        if (fn(F, f, n, path, line, err) != 0) {
            st = err ? err->status : RM_ERR_FORMAT;
            break;
        }
    }
    if (st == RM_OK && ferror(fp))
        st = rm_error_set(err, RM_ERR_IO, "%s: read error", path);
    if (st == RM_OK && line == 0)
        st = rm_error_set(err, RM_ERR_FORMAT, "%s: empty file", path);
out:
    fclose(fp);
    return st;
}

static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end != s && !*end && !errno && isfinite(*v) ? 0 : -1;
}

static int station_row(rm_km_facts *F, char **f, int n, const char *path, int line, rm_error *err)
{
    (void)n;
    double lon, lat;
    if (!*f[0] || parse_num(f[1], &lon) || parse_num(f[2], &lat) || fabs(lon) > 180 ||
        fabs(lat) > 90) {
        rm_error_set(err, RM_ERR_FORMAT, "%s:%d: a station needs a name, lon and lat", path, line);
        return -1;
    }
    for (size_t i = 0; i < F->nst; i++)
        if (!strcmp(F->st[i].name, f[0])) {
            rm_error_set(err, RM_ERR_FORMAT, "%s:%d: station '%s' listed twice", path, line, f[0]);
            return -1;
        }
    station *s = realloc(F->st, (F->nst + 1) * sizeof *s);
    if (!s) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return -1;
    }
    F->st = s;
    F->st[F->nst++] = (station){f[0], lon, lat};
    return 0;
}

/* The station of that name; two names at the same coordinates are one
 * station (rail_stations.csv lists a junction under each name the facts use). */
static int find_station(const rm_km_facts *F, const char *name)
{
    for (size_t i = 0; i < F->nst; i++)
        if (!strcmp(F->st[i].name, name)) {
            for (size_t j = 0; j < i; j++)
                if (F->st[j].lon == F->st[i].lon && F->st[j].lat == F->st[i].lat)
                    return (int)j;
            return (int)i;
        }
    return -1;
}

static int kind_rank(const char *kind)
{
    static const char *const order[] = {"km_post", "timetable", "official", "encyclopedia"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(kind, order[i]))
            return i;
    return -1;
}

static int add_fact(rm_km_facts *F, fact_ix x, rm_error *err)
{
    fact_ix *p = realloc(F->fx, (F->nfx + 1) * sizeof *p);
    if (!p) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return -1;
    }
    F->fx = p;
    F->fx[F->nfx++] = x;
    return 0;
}

static int km_row(rm_km_facts *F, char **f, int n, const char *path, int line, rm_error *err)
{
    (void)n;
    double km;
    if (!*f[0] || !*f[1] || parse_num(f[3], &km) || km <= 0) {
        rm_error_set(err, RM_ERR_FORMAT, "%s:%d: a distance needs two stations and km > 0", path,
                     line);
        return -1;
    }
    int rank = kind_rank(f[4]);
    if (rank < 0)
        return 0; /* press estimates and unknown kinds: cross-checks only */
    if (*f[5]) {  /* a chainage row */
        chain_row *p = realloc(F->load->rows, (F->load->n + 1) * sizeof *p);
        if (!p) {
            rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            return -1;
        }
        F->load->rows = p;
        F->load->rows[F->load->n++] = (chain_row){f[5], f[2], f[4], f[6], f[1], km};
        return 0;
    }
    int a = find_station(F, f[0]), b = find_station(F, f[1]);
    if (a < 0 || b < 0 || a == b)
        return 0; /* no coordinates: a fact, not usable on a route */
    fact_ix x = {{F->st[a].name, F->st[b].name, f[2], f[4], f[6], km}, a, b, rank, NULL, NULL};
    return add_fact(F, x, err);
}

void rm_km_facts_free(rm_km_facts *F)
{
    if (!F)
        return;
    for (size_t i = 0; i < F->nfx; i++) {
        free(F->fx[i].own);
        free(F->fx[i].own2);
    }
    free(F->fx);
    free(F->st);
    for (size_t i = 0; i < F->nrows; i++)
        free(F->rows[i]);
    free(F->rows);
    free(F);
}

rm_km_facts *rm_km_facts_load(const char *km_csv, const char *stations_csv, rm_error *err)
{
    static const char *const sh[] = {"name", "lon", "lat", "source", NULL};
    static const char *const kh[] = {"from_station",   "to_station", "line",       "km",
                                     "km_source_kind", "chainage",   "source_url", NULL};
    if (!km_csv || !stations_csv) {
        rm_error_set(err, RM_ERR_USAGE, "no rail km facts given");
        return NULL;
    }
    rm_km_facts *F = calloc(1, sizeof *F);
    load_ctx ctx = {NULL, 0};
    if (!F) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    F->load = &ctx;
    if (read_csv(F, stations_csv, sh, station_row, err) != RM_OK ||
        read_csv(F, km_csv, kh, km_row, err) != RM_OK)
        goto fail;
    /* differences within each chainage, between stations with coordinates */
    for (size_t i = 0; i < ctx.n; i++)
        for (size_t j = i + 1; j < ctx.n; j++) {
            const chain_row *p = &ctx.rows[i], *q = &ctx.rows[j];
            if (strcmp(p->chain, q->chain) != 0)
                continue;
            int a = find_station(F, p->station), b = find_station(F, q->station);
            double km = fabs(q->km - p->km);
            if (a < 0 || b < 0 || a == b || km <= 0)
                continue;
            char *kind = malloc(strlen(p->kind) + 16);
            char *src = malloc(strlen(p->src) + strlen(q->src) + 4);
            if (!kind || !src) {
                free(kind);
                free(src);
                rm_error_set(err, RM_ERR_NOMEM, "out of memory");
                goto fail;
            }
            sprintf(kind, "%s difference", p->kind);
            if (!strcmp(p->src, q->src))
                strcpy(src, p->src);
            else
                sprintf(src, "%s ; %s", p->src, q->src);
            fact_ix x = {{F->st[a].name, F->st[b].name, p->chain, kind, src, km},
                         a,
                         b,
                         10 + kind_rank(p->kind),
                         kind,
                         src};
            if (add_fact(F, x, err) != 0) {
                free(kind);
                free(src);
                goto fail;
            }
        }
    free(ctx.rows);
    F->load = NULL;
    return F;
fail:
    free(ctx.rows);
    rm_km_facts_free(F);
    return NULL;
}

rm_km_facts *rm_km_facts_load_file(const char *km_csv, rm_error *err)
{
    if (!km_csv) {
        rm_error_set(err, RM_ERR_USAGE, "no rail km facts given");
        return NULL;
    }
    char st[4096];
    const char *slash = strrchr(km_csv, '/');
    int dir = slash ? (int)(slash - km_csv + 1) : 0;
    if (snprintf(st, sizeof st, "%.*srail_stations.csv", dir, km_csv) >= (int)sizeof st) {
        rm_error_set(err, RM_ERR_USAGE, "%s: path too long", km_csv);
        return NULL;
    }
    return rm_km_facts_load(km_csv, st, err);
}

rm_km_facts *rm_km_facts_load_default(const char *data_dir, rm_error *err)
{
    char km[4096];
    const char *fmt[] = {"%s/../facts/rail_km.csv", "%s/rail_km.csv"};
    for (int i = 0; i < 2; i++) {
        if (snprintf(km, sizeof km, fmt[i], data_dir ? data_dir : ".") >= (int)sizeof km)
            continue;
        FILE *fp = fopen(km, "r");
        if (!fp)
            continue;
        fclose(fp);
        return rm_km_facts_load_file(km, err);
    }
    rm_error_set(err, RM_ERR_NOT_FOUND, "%s: no facts/rail_km.csv beside the data",
                 data_dir ? data_dir : ".");
    return NULL;
}

size_t rm_km_facts_count(const rm_km_facts *F)
{
    return F ? F->nfx : 0;
}

const rm_km_fact *rm_km_facts_get(const rm_km_facts *F, size_t i)
{
    return F && i < F->nfx ? &F->fx[i].f : NULL;
}

/* ---- a route's railway km ---- */

static double seg_km(double x1, double y1, double x2, double y2)
{
    double r = 3.14159265358979323846 / 180;
    double kx = 111.32 * cos((y1 + y2) / 2 * r), ky = 110.57;
    return hypot((x2 - x1) * kx, (y2 - y1) * ky);
}

/* Nearest point of polyline xy[i0..i1] to (x,y): distance and position. */
static void on_line(const double *xy, const double *cum, size_t i0, size_t i1, double x, double y,
                    double *dist, double *pos)
{
    double best = INFINITY, bp = 0;
    double kx = 111.32 * cos(y * 3.14159265358979323846 / 180), ky = 110.57;
    if (i0 == i1) {
        *dist = seg_km(x, y, xy[2 * i0], xy[2 * i0 + 1]);
        *pos = cum[i0];
        return;
    }
    for (size_t i = i0; i < i1; i++) {
        double ax = (xy[2 * i] - x) * kx, ay = (xy[2 * i + 1] - y) * ky;
        double bx = (xy[2 * i + 2] - x) * kx, by = (xy[2 * i + 3] - y) * ky;
        double dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy;
        double t = L > 0 ? -(ax * dx + ay * dy) / L : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double d = hypot(ax + t * dx, ay + t * dy);
        if (d < best) {
            best = d;
            bp = cum[i] + t * (cum[i + 1] - cum[i]);
        }
    }
    *dist = best;
    *pos = bp;
}

/* The chain of facts covering the leg xy[i0..i1]; appends to out. Returns 1
 * when found. */
static int leg_km(const rm_km_facts *F, const double *xy, const double *cum, size_t i0, size_t i1,
                  rm_rail_km *out, double *km)
{
    double L = cum[i1] - cum[i0];
    size_t ns = F->nst;
    double *pos = malloc((ns ? ns : 1) * sizeof *pos);
    int *on = calloc(ns ? ns : 1, sizeof *on);
    int *cnt = malloc((ns ? ns : 1) * sizeof *cnt);
    int *rk = malloc((ns ? ns : 1) * sizeof *rk);
    double *sum = malloc((ns ? ns : 1) * sizeof *sum);
    size_t *via = malloc((ns ? ns : 1) * sizeof *via);
    size_t *order = malloc((ns ? ns : 1) * sizeof *order);
    double *so = malloc((ns ? ns : 1) * sizeof *so);
    int found = 0;
    if (!pos || !on || !cnt || !rk || !sum || !via || !order || !so)
        goto done;
    /* leg box, widened by ~END_KM */
    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = i0; i <= i1; i++) {
        minx = fmin(minx, xy[2 * i]);
        maxx = fmax(maxx, xy[2 * i]);
        miny = fmin(miny, xy[2 * i + 1]);
        maxy = fmax(maxy, xy[2 * i + 1]);
    }
    size_t non = 0;
    for (size_t s = 0; s < ns; s++) {
        const station *S = &F->st[s];
        if (S->lon < minx - 0.1 || S->lon > maxx + 0.1 || S->lat < miny - 0.1 ||
            S->lat > maxy + 0.1)
            continue;
        double d, p;
        on_line(xy, cum, i0, i1, S->lon, S->lat, &d, &p);
        if (d > END_KM)
            continue;
        on[s] = 1;
        pos[s] = p - cum[i0];
        order[non++] = s;
    }
    /* stations by position (insertion sort: a handful) */
    for (size_t a = 1; a < non; a++)
        for (size_t b = a; b > 0 && pos[order[b]] < pos[order[b - 1]]; b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    for (size_t s = 0; s < ns; s++) {
        cnt[s] = -1;
        via[s] = (size_t)-1;
    }
    /* start stations: within END_KM of the leg's first point; so = that
     * distance, carried along the chain */
    for (size_t k = 0; k < non; k++) {
        size_t u = order[k];
        double d0 = seg_km(F->st[u].lon, F->st[u].lat, xy[2 * i0], xy[2 * i0 + 1]);
        if (d0 <= END_KM) {
            cnt[u] = 0;
            sum[u] = 0;
            rk[u] = 0;
            so[u] = d0;
        }
    }
    for (size_t k = 0; k < non; k++) {
        size_t u = order[k];
        if (cnt[u] < 0)
            continue;
        for (size_t e = 0; e < F->nfx; e++) {
            const fact_ix *x = &F->fx[e];
            size_t v;
            if ((size_t)x->a == u)
                v = (size_t)x->b;
            else if ((size_t)x->b == u)
                v = (size_t)x->a;
            else
                continue;
            if (!on[v] || pos[v] <= pos[u])
                continue;
            double m = pos[v] - pos[u];
            if (m < 0.7 * x->f.km - 5 || m > 1.05 * x->f.km + 5)
                continue;
            int c = cnt[u] + 1, r = rk[u] + x->rank;
            /* a nearer start first (0.5 km slack), then fewer facts, then rank */
            int better = cnt[v] < 0 || so[u] < so[v] - 0.5 ||
                         (so[u] <= so[v] + 0.5 && (c < cnt[v] || (c == cnt[v] && r < rk[v])));
            if (better) {
                cnt[v] = c;
                rk[v] = r;
                sum[v] = sum[u] + x->f.km;
                via[v] = e;
                so[v] = so[u];
            }
        }
    }
    /* the end station: within END_KM of the leg's last point; the chain
     * whose start and end lie nearest the stops (0.5 km slack), then fewer
     * facts, then rank */
    size_t best = (size_t)-1;
    double bscore = INFINITY;
    for (size_t k = 0; k < non; k++) {
        size_t v = order[k];
        if (cnt[v] <= 0)
            continue;
        double d1 = seg_km(F->st[v].lon, F->st[v].lat, xy[2 * i1], xy[2 * i1 + 1]);
        if (d1 > END_KM || pos[v] < L - END_KM)
            continue;
        double sc = so[v] + d1;
        if (best == (size_t)-1 || sc < bscore - 0.5 ||
            (sc <= bscore + 0.5 &&
             (cnt[v] < cnt[best] || (cnt[v] == cnt[best] && rk[v] < rk[best])))) {
            best = v;
            bscore = sc;
        }
    }
    if (best == (size_t)-1)
        goto done;
    /* the facts, in route order */
    size_t nc = (size_t)cnt[best];
    if (out->nfacts + nc <= RM_RAIL_KM_MAX_FACTS) {
        size_t v = best;
        for (size_t k = nc; k-- > 0;) {
            const fact_ix *x = &F->fx[via[v]];
            out->facts[out->nfacts + k] = &x->f;
            v = (size_t)x->a == v ? (size_t)x->b : (size_t)x->a;
        }
        out->nfacts += nc;
    }
    *km = sum[best];
    found = 1;
done:
    free(pos);
    free(on);
    free(cnt);
    free(rk);
    free(sum);
    free(via);
    free(order);
    free(so);
    return found;
}

rm_status rm_route_rail_km(const rm_km_facts *F, const rm_route *r, rm_rail_km *out, rm_error *err)
{
    if (!r || !out)
        return rm_error_set(err, RM_ERR_USAGE, "no route");
    memset(out, 0, sizeof *out);
    out->measured_km = r->km;
    out->official_km = NAN;
    out->nlegs = r->nstops > 1 ? r->nstops - 1 : 0;
    if (!F || r->npoints < 2 || r->nstops < 2)
        return RM_OK;
    double *cum = malloc(r->npoints * sizeof *cum);
    if (!cum)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    cum[0] = 0;
    for (size_t i = 1; i < r->npoints; i++)
        cum[i] =
            cum[i - 1] + seg_km(r->xy[2 * i - 2], r->xy[2 * i - 1], r->xy[2 * i], r->xy[2 * i + 1]);
    /* the vertex of each stop: the route passes the snapped points in order */
    size_t prev = 0;
    double total = 0;
    for (size_t k = 1; k < r->nstops; k++) {
        size_t idx = r->npoints - 1;
        if (k + 1 < r->nstops) {
            double bd = INFINITY;
            for (size_t i = prev; i < r->npoints; i++) {
                double d = seg_km(r->xy[2 * i], r->xy[2 * i + 1], r->stop_xy[2 * k],
                                  r->stop_xy[2 * k + 1]);
                if (d < bd) {
                    bd = d;
                    idx = i;
                }
                if (d == 0)
                    break;
            }
        }
        double km;
        if (leg_km(F, r->xy, cum, prev, idx, out, &km)) {
            out->nofficial++;
            total += km;
        }
        prev = idx;
    }
    free(cum);
    if (out->nofficial == out->nlegs)
        out->official_km = total;
    else
        out->nfacts = 0;
    return RM_OK;
}

/* ---- text ---- */

size_t rm_distance_text(char *buf, size_t cap, double official_km, double measured_km)
{
    int off = isfinite(official_km);
    double v = off ? official_km : measured_km;
    if (!isfinite(v) || v < 0)
        v = 0;
    long n = lround(v);
    char num[32];
    if (n >= 1000000)
        snprintf(num, sizeof num, "%ld,%03ld,%03ld", n / 1000000, n / 1000 % 1000, n % 1000);
    else if (n >= 1000)
        snprintf(num, sizeof num, "%ld,%03ld", n / 1000, n % 1000);
    else
        snprintf(num, sizeof num, "%ld", n);
    int w = snprintf(buf, cap, "%s%s km", off ? "" : "\xe2\x89\x88 ", num);
    return w < 0 ? 0 : (size_t)w;
}

char *rm_route_geojson_km(const rm_route *r, const char *from, const char *to, const rm_rail_km *km)
{
    char *s = rm_route_geojson(r, from, to);
    if (!s || !km)
        return s;
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    json_t *props = j ? json_object_get(j, "properties") : NULL;
    if (!props) {
        json_decref(j);
        return NULL;
    }
    char text[64];
    rm_distance_text(text, sizeof text, km->official_km, km->measured_km);
    json_object_set_new(props, "rail_km",
                        isfinite(km->official_km) ? json_real(round(km->official_km * 10) / 10)
                                                  : json_null());
    json_object_set_new(props, "distance_text", json_string(text));
    json_t *arr = json_array();
    for (size_t i = 0; i < km->nfacts; i++) {
        const rm_km_fact *f = km->facts[i];
        json_t *o = json_object();
        json_object_set_new(o, "from", json_string(f->from));
        json_object_set_new(o, "to", json_string(f->to));
        json_object_set_new(o, "km", json_real(f->km));
        json_object_set_new(o, "kind", json_string(f->kind));
        json_object_set_new(o, "line", json_string(f->line));
        json_object_set_new(o, "source_url", json_string(f->source_url));
        json_array_append_new(arr, o);
    }
    json_object_set_new(props, "rail_km_facts", arr);
    char *out = json_dumps(j, JSON_REAL_PRECISION(12) | JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(j);
    return out;
}
