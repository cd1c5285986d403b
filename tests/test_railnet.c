/* Tests for railnet.
 *
 * - Random networks written as shapefiles: every shortest route is compared
 *   with Floyd–Warshall over the same network, with edge lengths computed
 *   here with PROJ's geodesic (independently of the library's weights).
 * - Snapping of line ends, bridged gaps (and the rule that leaves ordinary
 *   spur ends alone), via points, multi-part lines, stop snapping limits, the
 *   no-path message and the GeoJSON export.
 * - Natural Earth (when present): Pyongyang → Vladivostok through Tumangang
 *   and Khasan, Pyongyang → Beijing through Dandong, Beijing → Hanoi through
 *   Pingxiang; the same on the shipped data/shapefiles/rail.shp when it exists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shapefil.h>

#include "routemap/geom.h"
#include "routemap/railnet.h"

static char tmpdir[256];

static const char *tmp_base(const char *name)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

/* A deterministic generator (xorshift), so a failure can be replayed. */
static uint64_t rng_state;
static double rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* A line shapefile built up feature by feature. */
typedef struct writer {
    SHPHandle shp;
    DBFHandle dbf;
    int n;
} writer;

static void w_open(writer *w, const char *base)
{
    w->shp = SHPCreate(base, SHPT_ARC);
    w->dbf = DBFCreateEx(base, "UTF-8");
    assert_non_null(w->shp);
    assert_non_null(w->dbf);
    DBFAddField(w->dbf, "NAME", FTString, 40, 0);
    DBFAddField(w->dbf, "COUNTRY", FTString, 3, 0);
    w->n = 0;
}

static void w_line(writer *w, int nparts, const int *starts, int npts, const double *xy,
                   const char *name, const char *country)
{
    double x[256], y[256];
    assert_true(npts <= 256);
    for (int i = 0; i < npts; i++) {
        x[i] = xy[2 * i];
        y[i] = xy[2 * i + 1];
    }
    SHPObject *o = SHPCreateObject(SHPT_ARC, -1, nparts, starts, NULL, npts, x, y, NULL, NULL);
    int id = SHPWriteObject(w->shp, -1, o);
    SHPDestroyObject(o);
    DBFWriteStringAttribute(w->dbf, id, 0, name);
    DBFWriteStringAttribute(w->dbf, id, 1, country);
    w->n++;
}

static void w_simple(writer *w, int npts, const double *xy, const char *name)
{
    int s = 0;
    w_line(w, 1, &s, npts, xy, name, "");
}

static void w_close(writer *w)
{
    SHPClose(w->shp);
    DBFClose(w->dbf);
}

static rm_layer *load(const char *base)
{
    rm_error err;
    rm_layer *L = rm_layer_load(base, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    return L;
}

static rm_railnet *build(const rm_layer *L, double snap_m, double gap_km, double max_snap_km)
{
    rm_railnet_options o = {0};
    o.snap_m = snap_m;
    o.max_gap_km = gap_km;
    o.max_snap_km = max_snap_km;
    rm_error err;
    rm_railnet *n = rm_railnet_build(L, &o, &err);
    if (!n)
        fail_msg("%s", err.message);
    return n;
}

/* ---- random networks against Floyd–Warshall ---- */

#define MAXN 40
#define MAXL 200

/* A line of the random network: points that are either a node (index) or
 * an interior wiggle (-1). */
typedef struct rline {
    int n;
    double xy[2 * 8];
    int node[8];
} rline;

static void random_network_case(unsigned seed)
{
    rng_state = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed * 0x100000001B3ull);
    int nn = 8 + (int)(rnd() * 30); /* nodes */
    double node[MAXN][2];
    for (int i = 0; i < nn; i++) {
        node[i][0] = 20 + rnd() * 2.0; /* lon 20..22 */
        node[i][1] = 45 + rnd() * 2.0; /* lat 45..47 */
    }
    static rline lines[MAXL];
    int nl = 0;
    char base[64];
    snprintf(base, sizeof base, "rand%u", seed);
    writer w;
    w_open(&w, tmp_base(base));
    int ne = nn + (int)(rnd() * nn); /* sparse enough to leave some pairs apart */
    for (int e = 0; e < ne && nl + 2 <= MAXL; e++) {
        int a = (int)(rnd() * nn), b = (int)(rnd() * nn), c = (int)(rnd() * nn);
        if (a == b || c == a || c == b)
            continue;
        double kind = rnd();
        rline *L1 = &lines[nl];
        if (kind < 0.2) {
            /* a line a → c → b whose middle vertex is node c: a node only if
             * c is also used by another line */
            int ids[3] = {a, c, b};
            L1->n = 3;
            for (int i = 0; i < 3; i++) {
                L1->node[i] = ids[i];
                L1->xy[2 * i] = node[ids[i]][0];
                L1->xy[2 * i + 1] = node[ids[i]][1];
            }
            w_simple(&w, 3, L1->xy, "via-node");
            nl++;
        } else if (kind < 0.35) {
            /* a two-part feature: a → b and b → c */
            double xy[8] = {node[a][0], node[a][1], node[b][0], node[b][1],
                            node[b][0], node[b][1], node[c][0], node[c][1]};
            int starts[2] = {0, 2};
            w_line(&w, 2, starts, 4, xy, "multi", "");
            int ids[4] = {a, b, b, c};
            for (int part = 0; part < 2; part++) {
                rline *P = &lines[nl++];
                P->n = 2;
                for (int i = 0; i < 2; i++) {
                    P->node[i] = ids[2 * part + i];
                    P->xy[2 * i] = xy[4 * part + 2 * i];
                    P->xy[2 * i + 1] = xy[4 * part + 2 * i + 1];
                }
            }
        } else {
            /* a wiggly line with 1..4 interior vertices */
            int k = 1 + (int)(rnd() * 4);
            L1->n = k + 2;
            L1->node[0] = a;
            L1->xy[0] = node[a][0];
            L1->xy[1] = node[a][1];
            for (int i = 1; i <= k; i++) {
                double t = (double)i / (k + 1);
                L1->node[i] = -1;
                L1->xy[2 * i] = node[a][0] + t * (node[b][0] - node[a][0]) + (rnd() - 0.5) * 0.05;
                L1->xy[2 * i + 1] =
                    node[a][1] + t * (node[b][1] - node[a][1]) + (rnd() - 0.5) * 0.05;
            }
            L1->node[k + 1] = b;
            L1->xy[2 * (k + 1)] = node[b][0];
            L1->xy[2 * (k + 1) + 1] = node[b][1];
            w_simple(&w, k + 2, L1->xy, "plain");
            nl++;
        }
    }
    w_close(&w);
    if (nl == 0)
        return;
    /* Reference graph: a vertex is a node when it ends a line or appears
     * twice; edges are the pieces between nodes, weighed with PROJ. */
    int count[MAXN] = {0}, isnode[MAXN] = {0};
    for (int l = 0; l < nl; l++)
        for (int i = 0; i < lines[l].n; i++)
            if (lines[l].node[i] >= 0) {
                count[lines[l].node[i]]++;
                if (i == 0 || i == lines[l].n - 1)
                    isnode[lines[l].node[i]] = 1;
            }
    for (int i = 0; i < nn; i++)
        if (count[i] >= 2)
            isnode[i] = 1;
    static double fw[MAXN][MAXN];
    for (int i = 0; i < nn; i++)
        for (int j = 0; j < nn; j++)
            fw[i][j] = i == j ? 0 : INFINITY;
    for (int l = 0; l < nl; l++) {
        const rline *R = &lines[l];
        int from = R->node[0];
        double km = 0;
        for (int i = 1; i < R->n; i++) {
            km +=
                rm_geodesic_km(R->xy[2 * i - 2], R->xy[2 * i - 1], R->xy[2 * i], R->xy[2 * i + 1]);
            int v = R->node[i];
            if (v < 0 || !isnode[v])
                continue;
            if (v != from && km < fw[from][v])
                fw[from][v] = fw[v][from] = km;
            from = v;
            km = 0;
        }
    }
    for (int k = 0; k < nn; k++)
        for (int i = 0; i < nn; i++)
            for (int j = 0; j < nn; j++)
                if (fw[i][k] + fw[k][j] < fw[i][j])
                    fw[i][j] = fw[i][k] + fw[k][j];
    rm_layer *L = load(tmp_base(base));
    rm_railnet *net = build(L, 0.5, 0, 1);
    int on[MAXN];
    for (int i = 0; i < nn; i++)
        on[i] = isnode[i];
    int checked = 0;
    for (int i = 0; i < nn; i++)
        for (int j = 0; j < nn; j++) {
            if (!on[i] || !on[j] || i == j)
                continue;
            double stops[4] = {node[i][0], node[i][1], node[j][0], node[j][1]};
            rm_route r;
            rm_error err;
            rm_status st = rm_railnet_route(net, stops, 2, &r, &err);
            if (!isfinite(fw[i][j])) {
                if (st != RM_ERR_NO_PATH)
                    fail_msg("seed %u: %d→%d should have no path, got status %d", seed, i, j, st);
                assert_non_null(strstr(err.message, "no rail path"));
                continue;
            }
            if (st != RM_OK)
                fail_msg("seed %u: %d→%d: %s", seed, i, j, err.message);
            if (fabs(r.km - fw[i][j]) > 1e-4 * fw[i][j] + 1e-6)
                fail_msg("seed %u: %d→%d: %.6f km, Floyd–Warshall says %.6f", seed, i, j, r.km,
                         fw[i][j]);
            assert_true(r.stop_snap_km[0] < 1e-6 && r.stop_snap_km[1] < 1e-6);
            /* the geometry runs from one stop to the other */
            assert_true(r.xy[0] == node[i][0] && r.xy[1] == node[i][1]);
            assert_true(r.xy[2 * r.npoints - 2] == node[j][0]);
            double legs = 0;
            for (size_t k = 0; k < r.nlegs; k++)
                legs += r.legs[k].km;
            assert_true(fabs(legs - r.km) < 1e-6);
            assert_int_equal(r.ngaps, 0);
            rm_route_free(&r);
            checked++;
            /* a via point: i → k → j equals the two shortest legs */
            int k = (i + j) % nn;
            if (on[k] && isfinite(fw[i][k]) && isfinite(fw[k][j]) && (i * 7 + j) % 5 == 0) {
                double s3[6] = {node[i][0], node[i][1], node[k][0],
                                node[k][1], node[j][0], node[j][1]};
                assert_int_equal(rm_railnet_route(net, s3, 3, &r, &err), RM_OK);
                double want = fw[i][k] + fw[k][j];
                if (fabs(r.km - want) > 1e-4 * want + 1e-6)
                    fail_msg("seed %u: %d→%d→%d: %.6f km, want %.6f", seed, i, k, j, r.km, want);
                assert_int_equal(r.nstops, 3);
                rm_route_free(&r);
            }
        }
    assert_true(checked > 0 || nn < 3);
    /* stops inside edges: a point on a random segment of a random line; the
     * expected length adds the partial pieces to Floyd–Warshall's */
    typedef struct mstop {
        double x, y;
        int na, nb; /* the nodes that end the piece of line it lies on */
        double ca, cb;
        int line, piece;
    } mstop;
    mstop ms[12];
    int nms = 0;
    for (int tries = 0; tries < 100 && nms < 12; tries++) {
        int l = (int)(rnd() * nl);
        const rline *R = &lines[l];
        int i = (int)(rnd() * (R->n - 1));
        double t = 0.2 + 0.6 * rnd();
        mstop *m = &ms[nms];
        m->x = R->xy[2 * i] + t * (R->xy[2 * i + 2] - R->xy[2 * i]);
        m->y = R->xy[2 * i + 1] + t * (R->xy[2 * i + 3] - R->xy[2 * i + 1]);
        int p = i, q = i + 1;
        while (p > 0 && !(R->node[p] >= 0 && isnode[R->node[p]]))
            p--;
        while (q < R->n - 1 && !(R->node[q] >= 0 && isnode[R->node[q]]))
            q++;
        m->na = R->node[p];
        m->nb = R->node[q];
        if (m->na == m->nb)
            continue; /* a loop: not an edge */
        m->ca = rm_geodesic_km(R->xy[2 * i], R->xy[2 * i + 1], m->x, m->y);
        for (int k = p; k < i; k++)
            m->ca +=
                rm_geodesic_km(R->xy[2 * k], R->xy[2 * k + 1], R->xy[2 * k + 2], R->xy[2 * k + 3]);
        m->cb = rm_geodesic_km(m->x, m->y, R->xy[2 * i + 2], R->xy[2 * i + 3]);
        for (int k = i + 1; k < q; k++)
            m->cb +=
                rm_geodesic_km(R->xy[2 * k], R->xy[2 * k + 1], R->xy[2 * k + 2], R->xy[2 * k + 3]);
        m->line = l;
        m->piece = p;
        nms++;
    }
    for (int a = 0; a < nms; a++)
        for (int b = 0; b < nms; b++) {
            const mstop *A = &ms[a], *B = &ms[b];
            if (a == b)
                continue;
            double want = INFINITY;
            int an[2] = {A->na, A->nb}, bn[2] = {B->na, B->nb};
            double ac[2] = {A->ca, A->cb}, bc[2] = {B->ca, B->cb};
            for (int u = 0; u < 2; u++)
                for (int v = 0; v < 2; v++)
                    if (ac[u] + fw[an[u]][bn[v]] + bc[v] < want)
                        want = ac[u] + fw[an[u]][bn[v]] + bc[v];
            if (A->line == B->line && A->piece == B->piece && fabs(A->ca - B->ca) < want)
                want = fabs(A->ca - B->ca);
            double stops[4] = {A->x, A->y, B->x, B->y};
            rm_route r;
            rm_error err;
            rm_status st = rm_railnet_route(net, stops, 2, &r, &err);
            if (!isfinite(want)) {
                if (st != RM_ERR_NO_PATH)
                    fail_msg("seed %u: inside stops %d→%d should have no path, got status %d", seed,
                             a, b, st);
                continue;
            }
            if (st != RM_OK)
                fail_msg("seed %u: inside stops %d→%d: %s", seed, a, b, err.message);
            if (fabs(r.km - want) > 1e-4 * want + 1e-6)
                fail_msg("seed %u: inside stops %d→%d: %.6f km, want %.6f", seed, a, b, r.km, want);
            assert_true(r.stop_snap_km[0] < 1e-6 && r.stop_snap_km[1] < 1e-6);
            assert_true(r.xy[0] == r.stop_xy[0] && r.xy[1] == r.stop_xy[1]);
            assert_true(r.xy[2 * r.npoints - 2] == r.stop_xy[2] &&
                        r.xy[2 * r.npoints - 1] == r.stop_xy[3]);
            assert_true(fabs(r.xy[0] - A->x) < 1e-9 && fabs(r.xy[1] - A->y) < 1e-9);
            double legs = 0;
            for (size_t k = 0; k < r.nlegs; k++)
                legs += r.legs[k].km;
            assert_true(fabs(legs - r.km) < 1e-6);
            rm_route_free(&r);
        }
    rm_railnet_free(net);
    rm_layer_free(L);
}

static void test_random_vs_floyd_warshall(void **state)
{
    (void)state;
    for (unsigned seed = 1; seed <= 25; seed++)
        random_network_case(seed);
}

/* ---- hand-made networks ---- */

/* Two lines whose ends are 3 m apart join with snap 5 m, not with 1 m. */
static void test_snapping(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("snap"));
    double dlat = 0.003 / 111.2; /* 3 m */
    double a[] = {10.0, 50.0, 10.1, 50.0};
    double b[] = {10.1, 50.0 + dlat, 10.2, 50.0};
    w_simple(&w, 2, a, "A");
    w_simple(&w, 2, b, "B");
    w_close(&w);
    rm_layer *L = load(tmp_base("snap"));
    rm_error err;
    rm_route r;
    double stops[] = {10.0, 50.0, 10.2, 50.0};
    rm_railnet *net = build(L, 5, 0, 30);
    assert_int_equal(rm_railnet_node_count(net), 3);
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_OK);
    assert_int_equal(r.nlegs, 2);
    assert_string_equal(r.legs[0].line, "A");
    assert_string_equal(r.legs[1].line, "B");
    assert_true(fabs(r.km - 14.33) < 0.05); /* 0.2° of longitude at 50° N */
    rm_route_free(&r);
    rm_railnet_free(net);
    net = build(L, 1, 0, 30);
    assert_int_equal(rm_railnet_node_count(net), 4);
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_ERR_NO_PATH);
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* A 2 km gap between two dead ends is bridged (and reported); a spur end
 * 2 km from a line it already joins nearby is not. */
static void test_gaps(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("gap"));
    double west[] = {130.0, 42.0, 130.5, 42.0};
    double gap = 2.0 / (111.32 * cos(42 * 3.14159265358979 / 180)); /* 2 km in lon */
    double east[] = {130.5 + gap, 42.0, 131.0, 42.0};
    w_simple(&w, 2, west, "West Line");
    w_simple(&w, 2, east, "East Line");
    /* a spur leaving West Line at 130.3 and ending 2 km north of 130.35: its
     * end is near the main line but joined to it 5 km away */
    double spur[] = {130.3, 42.0, 130.35, 42.018};
    w_simple(&w, 2, spur, "Spur");
    /* West Line must be split at 130.3: a short line makes that a node */
    w_close(&w);
    /* make 130.3,42.0 a shared vertex: rewrite West as two pieces */
    writer w2;
    w_open(&w2, tmp_base("gap"));
    double west1[] = {130.0, 42.0, 130.3, 42.0}, west2[] = {130.3, 42.0, 130.5, 42.0};
    w_simple(&w2, 2, west1, "West Line");
    w_simple(&w2, 2, west2, "West Line");
    w_simple(&w2, 2, east, "East Line");
    w_simple(&w2, 2, spur, "Spur");
    w_close(&w2);
    rm_layer *L = load(tmp_base("gap"));
    rm_error err;
    rm_route r;
    double stops[] = {130.0, 42.0, 131.0, 42.0};

    rm_railnet *none = build(L, 5, 0, 30);
    rm_railnet *net = build(L, 5, 5, 30);
    /* exactly one connector: West–East, not the spur's end */
    assert_int_equal(rm_railnet_edge_count(net), rm_railnet_edge_count(none) + 1);
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_OK);
    assert_int_equal(r.ngaps, 1);
    assert_true(fabs(r.gap_km[0] - 2.0) < 0.01);
    assert_true(r.gap_xy[0] == 130.5 && r.gap_xy[2] == 130.5 + gap);
    assert_int_equal(r.nlegs, 3);
    assert_string_equal(r.legs[0].line, "West Line"); /* two pieces merged into one leg */
    assert_true(fabs(r.legs[0].km - 41.4) < 0.2);
    assert_string_equal(r.legs[1].line, "(bridged gap)");
    assert_int_equal(r.legs[1].bridged, 1);
    assert_int_equal(r.legs[0].bridged, 0);
    assert_string_equal(r.legs[2].line, "East Line");
    assert_true(fabs(r.km - (r.legs[0].km + r.legs[1].km + r.legs[2].km)) < 1e-9);
    rm_route_free(&r);
    /* a stop in the middle of the gap snaps to a line end 1 km away, not to
     * the connector: connectors are not lines */
    double mid[] = {130.5 + gap / 2, 42.0, 131.0, 42.0};
    assert_int_equal(rm_railnet_route(net, mid, 2, &r, &err), RM_OK);
    assert_true(fabs(r.stop_snap_km[0] - 1.0) < 0.01);
    assert_true((r.stop_xy[0] == 130.5 || r.stop_xy[0] == 130.5 + gap) && r.stop_xy[1] == 42.0);
    rm_route_free(&r);

    /* without bridging: no path, and the message says how close the parts come */
    assert_int_equal(rm_railnet_route(none, stops, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "network part of 4 nodes"));
    assert_non_null(strstr(err.message, "network part of 2 nodes"));
    assert_non_null(strstr(err.message, "within 2.0 km"));
    assert_non_null(strstr(err.message, "lon 130.00..130.50"));
    /* a gap limit below the gap: still no path */
    rm_railnet *small = build(L, 5, 1.5, 30);
    assert_int_equal(rm_railnet_edge_count(small), rm_railnet_edge_count(none));
    assert_int_equal(rm_railnet_route(small, stops, 2, &r, &err), RM_ERR_NO_PATH);
    rm_railnet_free(small);
    rm_railnet_free(none);
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* Two networks whose junctions are 1 km apart, with every line end farther
 * than the gap limit from the other network: nothing is bridged, and the
 * no-path message says why. */
static void test_no_ends_to_bridge(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("junctions"));
    double km1 = 1.0 / 111.2;
    double a1[] = {10.0, 50.0, 10.1, 50.0, 10.2, 50.0}, a2[] = {10.1, 50.0, 10.1, 49.9};
    double b1[] = {9.8, 50.0 + km1, 10.1, 50.0 + km1, 10.4, 50.0 + km1};
    double b2[] = {10.1, 50.0 + km1, 10.1, 50.1 + km1};
    w_simple(&w, 3, a1, "A1");
    w_simple(&w, 2, a2, "A2");
    w_simple(&w, 3, b1, "B1");
    w_simple(&w, 2, b2, "B2");
    w_close(&w);
    rm_layer *L = load(tmp_base("junctions"));
    rm_railnet *net = build(L, 5, 5, 30);
    rm_railnet *none = build(L, 5, 0, 30);
    assert_int_equal(rm_railnet_edge_count(net), rm_railnet_edge_count(none));
    rm_error err;
    rm_route r;
    double stops[] = {10.0, 50.0, 10.4, 50.0 + km1};
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "within 1.0 km"));
    assert_non_null(strstr(err.message, "no line ends there"));
    assert_int_equal(rm_railnet_route(none, stops, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "gaps are not bridged"));
    rm_railnet_free(net);
    rm_railnet_free(none);
    rm_layer_free(L);
}

/* The point of segment (x0,y0)–(x1,y1) (straight in lon/lat) nearest to
 * (lon,lat) by the geodesic, found by golden-section search on PROJ's
 * distances: an independent reference for the library's local projection. */
static void nearest_on_segment(double lon, double lat, double x0, double y0, double x1, double y1,
                               double *px, double *py, double *km)
{
    double lo = 0, hi = 1, g = (sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 200; it++) {
        double m1 = hi - g * (hi - lo), m2 = lo + g * (hi - lo);
        double d1 = rm_geodesic_km(lon, lat, x0 + m1 * (x1 - x0), y0 + m1 * (y1 - y0));
        double d2 = rm_geodesic_km(lon, lat, x0 + m2 * (x1 - x0), y0 + m2 * (y1 - y0));
        if (d1 < d2)
            hi = m2;
        else
            lo = m1;
    }
    double t = (lo + hi) / 2;
    *px = x0 + t * (x1 - x0);
    *py = y0 + t * (y1 - y0);
    *km = rm_geodesic_km(lon, lat, *px, *py);
}

static double route_legs_km(const rm_route *r)
{
    double s = 0;
    for (size_t k = 0; k < r->nlegs; k++)
        s += r->legs[k].km;
    return s;
}

/* Stops snap to the nearest point on a line, mid-segment: the route starts
 * and ends there, with the partial pieces in its lengths and legs. */
static void test_snap_to_line(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("online"));
    /* Main: A(10.0,50.0) → V(10.2,50.1) → B(10.4,50.0); Branch: B → C */
    double main_xy[] = {10.0, 50.0, 10.2, 50.1, 10.4, 50.0};
    double branch[] = {10.4, 50.0, 10.4, 49.8};
    w_simple(&w, 3, main_xy, "Main");
    w_simple(&w, 2, branch, "Branch");
    w_close(&w);
    rm_layer *L = load(tmp_base("online"));
    rm_railnet *net = build(L, 5, 5, 30);
    assert_int_equal(rm_railnet_node_count(net), 3); /* V is not a node */
    rm_error err;
    rm_route r;
    /* P: 3 km off the middle of A–V; Q: off the middle of V–B */
    const double P[2] = {10.09, 50.07}, Q[2] = {10.31, 50.075};
    double px, py, pkm, qx, qy, qkm;
    nearest_on_segment(P[0], P[1], 10.0, 50.0, 10.2, 50.1, &px, &py, &pkm);
    nearest_on_segment(Q[0], Q[1], 10.2, 50.1, 10.4, 50.0, &qx, &qy, &qkm);
    /* the nearest points are inside the segments, nearer than any node */
    assert_true(pkm < rm_geodesic_km(P[0], P[1], 10.0, 50.0) - 1);
    assert_true(pkm < rm_geodesic_km(P[0], P[1], 10.2, 50.1) - 1);
    assert_true(qkm < rm_geodesic_km(Q[0], Q[1], 10.4, 50.0) - 1);
    double av = rm_geodesic_km(10.0, 50.0, 10.2, 50.1), vb = rm_geodesic_km(10.2, 50.1, 10.4, 50.0);
    double bc = rm_geodesic_km(10.4, 50.0, 10.4, 49.8);
    double pv = rm_geodesic_km(px, py, 10.2, 50.1), vq = rm_geodesic_km(10.2, 50.1, qx, qy);

    /* P → C: P–V–B on Main, then Branch */
    double s1[] = {P[0], P[1], 10.4, 49.8};
    assert_int_equal(rm_railnet_route(net, s1, 2, &r, &err), RM_OK);
    if (fabs(r.stop_xy[0] - px) > 1e-5 || fabs(r.stop_xy[1] - py) > 1e-5)
        fail_msg("P snapped to %.7f,%.7f, want %.7f,%.7f", r.stop_xy[0], r.stop_xy[1], px, py);
    assert_true(fabs(r.stop_snap_km[0] - pkm) < 1e-3);
    assert_true(r.stop_snap_km[1] < 1e-9);
    assert_true(r.xy[0] == r.stop_xy[0] && r.xy[1] == r.stop_xy[1]);
    assert_true(r.xy[2 * r.npoints - 2] == 10.4 && r.xy[2 * r.npoints - 1] == 49.8);
    assert_int_equal(r.npoints, 4); /* P, V, B, C */
    if (fabs(r.km - (pv + vb + bc)) > 1e-3)
        fail_msg("P → C %.6f km, want %.6f", r.km, pv + vb + bc);
    assert_int_equal(r.nlegs, 2);
    assert_string_equal(r.legs[0].line, "Main");
    assert_true(fabs(r.legs[0].km - (pv + vb)) < 1e-3);
    assert_string_equal(r.legs[1].line, "Branch");
    assert_true(fabs(r.legs[1].km - bc) < 1e-6);
    assert_true(fabs(route_legs_km(&r) - r.km) < 1e-9);
    rm_route_free(&r);

    /* C → P: the same, backwards, ending at the snapped point */
    double s2[] = {10.4, 49.8, P[0], P[1]};
    assert_int_equal(rm_railnet_route(net, s2, 2, &r, &err), RM_OK);
    assert_true(fabs(r.km - (pv + vb + bc)) < 1e-3);
    assert_true(r.xy[2 * r.npoints - 2] == r.stop_xy[2] && r.xy[2 * r.npoints - 1] == r.stop_xy[3]);
    assert_true(fabs(r.stop_xy[2] - px) < 1e-5 && fabs(r.stop_xy[3] - py) < 1e-5);
    assert_string_equal(r.legs[0].line, "Branch");
    assert_string_equal(r.legs[1].line, "Main");
    rm_route_free(&r);

    /* both stops on the one edge A–B, forward and backward: along it, not
     * out to a node and back */
    double s3[] = {P[0], P[1], Q[0], Q[1]};
    assert_int_equal(rm_railnet_route(net, s3, 2, &r, &err), RM_OK);
    if (fabs(r.km - (pv + vq)) > 1e-3)
        fail_msg("P → Q %.6f km, want %.6f", r.km, pv + vq);
    assert_int_equal(r.npoints, 3); /* P, V, Q */
    assert_true(r.xy[2] == 10.2 && r.xy[3] == 50.1);
    assert_true(fabs(r.xy[4] - qx) < 1e-5 && fabs(r.xy[5] - qy) < 1e-5);
    assert_true(fabs(r.stop_snap_km[1] - qkm) < 1e-3);
    assert_int_equal(r.nlegs, 1);
    assert_string_equal(r.legs[0].line, "Main");
    rm_route_free(&r);
    double s4[] = {Q[0], Q[1], P[0], P[1]};
    assert_int_equal(rm_railnet_route(net, s4, 2, &r, &err), RM_OK);
    assert_true(fabs(r.km - (pv + vq)) < 1e-3);
    assert_int_equal(r.npoints, 3);
    assert_true(fabs(r.xy[0] - qx) < 1e-5 && r.xy[2] == 10.2 && fabs(r.xy[4] - px) < 1e-5);
    rm_route_free(&r);
    /* two stops on one segment: a straight piece between them */
    double P2[2] = {10.15, 50.09}, p2x, p2y, p2km;
    nearest_on_segment(P2[0], P2[1], 10.0, 50.0, 10.2, 50.1, &p2x, &p2y, &p2km);
    double s5[] = {P2[0], P2[1], P[0], P[1]};
    assert_int_equal(rm_railnet_route(net, s5, 2, &r, &err), RM_OK);
    assert_int_equal(r.npoints, 2);
    assert_true(fabs(r.km - rm_geodesic_km(p2x, p2y, px, py)) < 1e-3);
    rm_route_free(&r);
    /* via a point inside an edge: P → C via Q = P–V–Q, then Q–B–C */
    double s6[] = {P[0], P[1], Q[0], Q[1], 10.4, 49.8};
    assert_int_equal(rm_railnet_route(net, s6, 3, &r, &err), RM_OK);
    assert_true(fabs(r.km - (pv + vb + bc)) < 2e-3);
    assert_int_equal(r.nlegs, 2);
    rm_route_free(&r);

    /* a stop whose nearest line point is a line end: the node itself */
    double s7[] = {9.98, 49.99, 10.4, 49.8};
    assert_int_equal(rm_railnet_route(net, s7, 2, &r, &err), RM_OK);
    assert_true(r.stop_xy[0] == 10.0 && r.stop_xy[1] == 50.0);
    assert_true(fabs(r.stop_snap_km[0] - rm_geodesic_km(9.98, 49.99, 10.0, 50.0)) < 1e-9);
    assert_true(fabs(r.km - (av + vb + bc)) < 1e-6);
    assert_int_equal(r.npoints, 4);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);

    /* both stops on one long edge, where the way round through its nodes and
     * a short line is shorter than along the edge */
    w_open(&w, tmp_base("uloop"));
    double loop[] = {20.0, 50.0, 20.0, 50.5, 20.1, 50.5, 20.1, 50.0};
    double shortcut[] = {20.0, 50.0, 20.1, 50.0};
    w_simple(&w, 4, loop, "Loop");
    w_simple(&w, 2, shortcut, "Short");
    w_close(&w);
    L = load(tmp_base("uloop"));
    net = build(L, 5, 5, 30);
    double ux, uy, ukm, vx, vy, vkm;
    nearest_on_segment(20.002, 50.05, 20.0, 50.0, 20.0, 50.5, &ux, &uy, &ukm);
    nearest_on_segment(20.098, 50.04, 20.1, 50.5, 20.1, 50.0, &vx, &vy, &vkm);
    double s8[] = {20.002, 50.05, 20.098, 50.04};
    assert_int_equal(rm_railnet_route(net, s8, 2, &r, &err), RM_OK);
    double want = rm_geodesic_km(ux, uy, 20.0, 50.0) + rm_geodesic_km(20.0, 50.0, 20.1, 50.0) +
                  rm_geodesic_km(20.1, 50.0, vx, vy);
    if (fabs(r.km - want) > 1e-3)
        fail_msg("round the loop %.6f km, want %.6f", r.km, want);
    assert_true(fabs(r.stop_xy[0] - ux) < 1e-5 && fabs(r.stop_xy[1] - uy) < 1e-5);
    assert_true(fabs(r.stop_xy[2] - vx) < 1e-5 && fabs(r.stop_xy[3] - vy) < 1e-5);
    assert_int_equal(r.nlegs, 3);
    assert_string_equal(r.legs[0].line, "Loop");
    assert_string_equal(r.legs[1].line, "Short");
    assert_string_equal(r.legs[2].line, "Loop");
    assert_int_equal(r.npoints, 4);
    rm_route_free(&r);
    /* higher up the loop, along the edge is shorter */
    nearest_on_segment(20.03, 50.501, 20.0, 50.5, 20.1, 50.5, &ux, &uy, &ukm);
    nearest_on_segment(20.098, 50.45, 20.1, 50.5, 20.1, 50.0, &vx, &vy, &vkm);
    double s9[] = {20.03, 50.501, 20.098, 50.45};
    assert_int_equal(rm_railnet_route(net, s9, 2, &r, &err), RM_OK);
    want = rm_geodesic_km(ux, uy, 20.1, 50.5) + rm_geodesic_km(20.1, 50.5, vx, vy);
    if (fabs(r.km - want) > 1e-3)
        fail_msg("along the loop %.6f km, want %.6f", r.km, want);
    assert_int_equal(r.nlegs, 1);
    assert_int_equal(r.npoints, 3);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* A stop whose nearest line point is a line end snaps to that node, within
 * max_snap_km. */
static void test_stop_snapping(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("stops"));
    double a[] = {10.0, 50.0, 10.5, 50.0, 11.0, 50.0};
    w_simple(&w, 3, a, "Main");
    w_close(&w);
    rm_layer *L = load(tmp_base("stops"));
    rm_railnet *net = build(L, 5, 5, 30);
    rm_error err;
    rm_route r;
    double north = 10.0 / 111.2; /* 10 km north of the west end */
    double stops[] = {10.0, 50.0 + north, 11.0, 50.0};
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_OK);
    assert_true(fabs(r.stop_snap_km[0] - 10.0) < 0.1);
    assert_true(r.stop_xy[0] == 10.0 && r.stop_xy[1] == 50.0);
    assert_true(r.stop_snap_km[1] < 1e-9);
    rm_route_free(&r);
    rm_railnet_free(net);
    net = build(L, 5, 5, 5);
    assert_int_equal(rm_railnet_route(net, stops, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "10.0 km from the nearest rail line"));
    assert_non_null(strstr(err.message, "5.0 km"));
    /* a stop far from everything */
    double far[] = {-70, -30, 11.0, 50.0};
    assert_int_equal(rm_railnet_route(net, far, 2, &r, &err), RM_ERR_NO_PATH);
    /* bad stops */
    double bad[] = {200, 0, 11, 50};
    assert_int_equal(rm_railnet_route(net, bad, 2, &r, &err), RM_ERR_USAGE);
    assert_int_equal(rm_railnet_route(net, stops, 1, &r, &err), RM_ERR_USAGE);
    /* both stops on the same node */
    double same[] = {11.0, 50.0, 11.0001, 50.0};
    assert_int_equal(rm_railnet_route(net, same, 2, &r, &err), RM_OK);
    assert_true(r.km == 0 && r.npoints == 2);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* Via points force the path through them; multi-part features route across
 * their parts; legs keep line names and countries. */
static void test_via_and_multipart(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("via"));
    /* a square A(0,0) B(1,0) C(1,1) D(0,1): A–B–C is one two-part feature */
    double abc[] = {0, 0, 1, 0, 1, 0, 1, 1};
    int starts[] = {0, 2};
    w_line(&w, 2, starts, 4, abc, "South-East", "AAA");
    double cd[] = {1, 1, 0, 1};
    w_line(&w, 1, starts, 2, cd, "North", "BBB");
    double da[] = {0, 1, 0, 0};
    w_line(&w, 1, starts, 2, da, "West", "CCC");
    w_close(&w);
    rm_layer *L = load(tmp_base("via"));
    rm_railnet *net = build(L, 5, 5, 30);
    assert_int_equal(rm_railnet_node_count(net), 4);
    rm_error err;
    rm_route r;
    /* A → C: both ways around are ~equal; A → B is direct */
    double ab[] = {0, 0, 1, 0};
    assert_int_equal(rm_railnet_route(net, ab, 2, &r, &err), RM_OK);
    assert_true(fabs(r.km - rm_geodesic_km(0, 0, 1, 0)) < 1e-6);
    rm_route_free(&r);
    /* A → B via D: A–D–C–B */
    double viad[] = {0, 0, 0, 1, 1, 0};
    assert_int_equal(rm_railnet_route(net, viad, 3, &r, &err), RM_OK);
    double want =
        rm_geodesic_km(0, 0, 0, 1) + rm_geodesic_km(0, 1, 1, 1) + rm_geodesic_km(1, 1, 1, 0);
    assert_true(fabs(r.km - want) < 1e-6);
    assert_int_equal(r.nlegs, 3);
    assert_string_equal(r.legs[0].line, "West");
    assert_string_equal(r.legs[1].line, "North");
    assert_string_equal(r.legs[2].line, "South-East");
    assert_string_equal(r.legs[2].country, "AAA");
    assert_int_equal(r.ncountries, 3);
    assert_string_equal(r.countries[0], "CCC");
    assert_string_equal(r.countries[1], "BBB");
    assert_string_equal(r.countries[2], "AAA");
    /* the geometry passes D */
    int seen = 0;
    for (size_t i = 0; i < r.npoints; i++)
        seen |= r.xy[2 * i] == 0 && r.xy[2 * i + 1] == 1;
    assert_true(seen);
    /* GeoJSON */
    char *gj = rm_route_geojson(&r, "A", "B");
    assert_non_null(gj);
    json_error_t je;
    json_t *root = json_loads(gj, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "type")), "Feature");
    json_t *geom = json_object_get(root, "geometry");
    assert_string_equal(json_string_value(json_object_get(geom, "type")), "LineString");
    assert_int_equal(json_array_size(json_object_get(geom, "coordinates")), r.npoints);
    json_t *props = json_object_get(root, "properties");
    assert_true(fabs(json_number_value(json_object_get(props, "length_km")) - r.km) < 0.001);
    assert_int_equal(json_array_size(json_object_get(props, "lines")), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(props, "lines"), 1), "line")),
                        "North");
    assert_int_equal(json_array_size(json_object_get(props, "countries")), 3);
    assert_string_equal(json_string_value(json_object_get(props, "from")), "A");
    json_decref(root);
    free(gj);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* Coordinates in the GeoJSON are rounded to 6 decimals. */
static void test_geojson_rounding(void **state)
{
    (void)state;
    rm_route r = {0};
    double xy[] = {125.12345678912, 39.0000004, 131.9999999, -43.1234565};
    r.xy = xy;
    r.npoints = 2;
    r.km = 1234.56789;
    char *gj = rm_route_geojson(&r, NULL, NULL);
    assert_non_null(gj);
    assert_non_null(strstr(gj, "[125.123457,39.0]") ? strstr(gj, "[125.123457,39.0]")
                                                    : strstr(gj, "[125.123457,39]"));
    assert_non_null(strstr(gj, "132"));
    assert_non_null(strstr(gj, "-43.123457") ? strstr(gj, "-43.123457") : strstr(gj, "-43.123456"));
    assert_non_null(strstr(gj, "\"length_km\":1234.568"));
    free(gj);
    r.npoints = 1;
    assert_null(rm_route_geojson(&r, NULL, NULL));
}

/* Countries from a polygon layer, in the order the route passes them. */
static void test_countries_from_polygons(void **state)
{
    (void)state;
    writer w;
    w_open(&w, tmp_base("line2"));
    double ab[] = {0, 0.5, 0.5, 0.5, 1, 0.5};
    w_simple(&w, 3, ab, "Line");
    w_close(&w);
    SHPHandle h = SHPCreate(tmp_base("ctry"), SHPT_POLYGON);
    DBFHandle d = DBFCreateEx(tmp_base("ctry"), "UTF-8");
    DBFAddField(d, "ISO_A3", FTString, 3, 0);
    DBFAddField(d, "ADM0_A3", FTString, 3, 0);
    const char *iso[] = {"AAA", "-99", "CCC"}, *adm[] = {"AAA", "BBB", "CCC"};
    double x0[] = {-1, 0.6, 5}; /* the third lies off the route */
    double x1[] = {0.6, 2, 6};
    for (int i = 0; i < 3; i++) {
        double x[] = {x0[i], x0[i], x1[i], x1[i], x0[i]}, y[] = {-1, 2, 2, -1, -1};
        SHPObject *o = SHPCreateSimpleObject(SHPT_POLYGON, 5, x, y, NULL);
        SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
        DBFWriteStringAttribute(d, i, 0, iso[i]);
        DBFWriteStringAttribute(d, i, 1, adm[i]);
    }
    SHPClose(h);
    DBFClose(d);
    rm_layer *L = load(tmp_base("line2")), *C = load(tmp_base("ctry"));
    rm_railnet *net = build(L, 5, 5, 30);
    rm_error err;
    rm_route r;
    double s1[] = {1, 0.5, 0, 0.5};
    assert_int_equal(rm_railnet_route(net, s1, 2, &r, &err), RM_OK);
    assert_int_equal(r.ncountries, 0); /* no COUNTRY field on the lines */
    assert_int_equal(rm_route_countries_from(&r, C, NULL, &err), RM_OK);
    assert_int_equal(r.ncountries, 2);
    assert_string_equal(r.countries[0], "BBB"); /* ISO_A3 "-99" → ADM0_A3 */
    assert_string_equal(r.countries[1], "AAA");
    assert_int_equal(rm_route_countries_from(&r, C, "ISO_A3", &err), RM_OK);
    assert_string_equal(r.countries[0], "-99");
    assert_int_equal(rm_route_countries_from(&r, C, "NOPE", &err), RM_ERR_NOT_FOUND);
    assert_int_equal(rm_route_countries_from(&r, L, NULL, &err), RM_ERR_FORMAT);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
    rm_layer_free(C);
}

/* ---- real data ---- */

/* Distance in km from (lon,lat) to the route's polyline. */
static double dist_to_route(const rm_route *r, double lon, double lat)
{
    double best = INFINITY;
    double kx = 111.32 * cos(lat * 3.14159265358979 / 180), ky = 110.57;
    for (size_t i = 0; i + 1 < r->npoints; i++) {
        double ax = (r->xy[2 * i] - lon) * kx, ay = (r->xy[2 * i + 1] - lat) * ky;
        double bx = (r->xy[2 * i + 2] - lon) * kx, by = (r->xy[2 * i + 3] - lat) * ky;
        double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        double px = ax + t * dx, py = ay + t * dy;
        double d = sqrt(px * px + py * py);
        if (d < best)
            best = d;
    }
    return best;
}

/* The distance in km from (lon,lat) to the nearest point of any line of the
 * layer, by brute force with nearest_on_segment (segments more than 40 km
 * away by a rough measure are passed over). */
static double nearest_line_km(const rm_layer *L, double lon, double lat)
{
    double best = INFINITY;
    double kx = 111.32 * cos(lat * 3.14159265358979 / 180), ky = 110.57;
    for (size_t f = 0; f < rm_layer_count(L); f++) {
        const rm_feature *F = rm_layer_feature(L, f);
        for (int p = 0; p < F->nparts; p++)
            for (int i = F->part_start[p]; i + 1 < F->part_start[p + 1]; i++) {
                const double *a = F->xy + 2 * i, *b = a + 2;
                if (fmin(fabs(a[0] - lon), fabs(b[0] - lon)) * kx > 40 &&
                    (a[0] - lon) * (b[0] - lon) > 0)
                    continue;
                if (fmin(fabs(a[1] - lat), fabs(b[1] - lat)) * ky > 40 &&
                    (a[1] - lat) * (b[1] - lat) > 0)
                    continue;
                double x, y, km;
                nearest_on_segment(lon, lat, a[0], a[1], b[0], b[1], &x, &y, &km);
                if (km < best)
                    best = km;
            }
    }
    return best;
}

static void check_story_routes(const char *rail, int natural_earth)
{
    rm_error err;
    rm_layer *L = rm_layer_load(rail, NULL, &err);
    if (!L)
        fail_msg("%s", err.message);
    rm_railnet *net = rm_railnet_build(L, NULL, &err);
    if (!net)
        fail_msg("%s", err.message);
    const double pyongyang[2] = {125.7625, 39.0392}, vladivostok[2] = {131.8817, 43.1112};
    const double beijing[2] = {116.4274, 39.9030}, hanoi[2] = {105.8412, 21.0245};
    rm_route r;
    double s1[] = {pyongyang[0], pyongyang[1], vladivostok[0], vladivostok[1]};
    if (rm_railnet_route(net, s1, 2, &r, &err) != RM_OK)
        fail_msg("%s: Pyongyang → Vladivostok: %s", rail, err.message);
    double dt = dist_to_route(&r, 130.6026, 42.4217), dk = dist_to_route(&r, 130.6453, 42.4281);
    if (dt > 5 || dk > 5 || r.km < 950 || r.km > 1250)
        fail_msg("%s: Pyongyang → Vladivostok %.1f km, %.1f km from Tumangang, %.1f km from "
                 "Khasan",
                 rail, r.km, dt, dk);
    /* both ends snap to the nearest point on a line (found here by brute
     * force), and the route starts and ends there */
    for (int k = 0; k < 2; k++) {
        double want = nearest_line_km(L, s1[2 * k], s1[2 * k + 1]);
        if (fabs(r.stop_snap_km[k] - want) > 0.005)
            fail_msg("%s: stop %d snaps %.3f km away, the nearest line is %.3f km away", rail, k,
                     r.stop_snap_km[k], want);
    }
    assert_true(r.xy[0] == r.stop_xy[0] && r.xy[1] == r.stop_xy[1]);
    assert_true(r.xy[2 * r.npoints - 2] == r.stop_xy[2] && r.xy[2 * r.npoints - 1] == r.stop_xy[3]);
    if (natural_earth) {
        /* the Tumen River bridge is missing in Natural Earth: one bridged gap */
        assert_int_equal(r.ngaps, 1);
        assert_true(r.gap_km[0] > 2.5 && r.gap_km[0] < 4.5);
        /* Pyongyang's nearest node is 4.1 km away, its nearest line 2.5 km */
        assert_true(r.stop_snap_km[0] < 2.6);
        print_message("%s: Pyongyang snaps %.3f km away (%.5f,%.5f), Vladivostok %.3f km; "
                      "route %.2f km\n",
                      rail, r.stop_snap_km[0], r.stop_xy[0], r.stop_xy[1], r.stop_snap_km[1], r.km);
    }
    rm_route_free(&r);
    double s2[] = {pyongyang[0], pyongyang[1], beijing[0], beijing[1]};
    if (rm_railnet_route(net, s2, 2, &r, &err) != RM_OK)
        fail_msg("%s: Pyongyang → Beijing: %s", rail, err.message);
    double dd = dist_to_route(&r, 124.3830, 40.1250); /* Dandong */
    if (dd > 5)
        fail_msg("%s: Pyongyang → Beijing passes %.1f km from Dandong", rail, dd);
    assert_true(r.km > 900 && r.km < 1600);
    rm_route_free(&r);
    double s3[] = {beijing[0], beijing[1], hanoi[0], hanoi[1]};
    if (rm_railnet_route(net, s3, 2, &r, &err) != RM_OK)
        fail_msg("%s: Beijing → Hanoi: %s", rail, err.message);
    double dp = dist_to_route(&r, 106.7590, 22.1040); /* Pingxiang, Guangxi */
    if (dp > 5)
        fail_msg("%s: Beijing → Hanoi passes %.1f km from Pingxiang", rail, dp);
    assert_true(r.km > 2400 && r.km < 3300);
    rm_route_free(&r);
    rm_railnet_free(net);
    rm_layer_free(L);
}

static void test_natural_earth_region(void **state)
{
    (void)state;
    char p[512];
    snprintf(p, sizeof p, "%s/region/ne_10m_railroads.shp", RM_SHARED_DATA);
    if (access(p, R_OK) != 0)
        skip();
    check_story_routes(p, 1);
}

static void test_natural_earth_global(void **state)
{
    (void)state;
    char p[512];
    snprintf(p, sizeof p, "%s/global/ne_10m_railroads.shp", RM_SHARED_DATA);
    if (access(p, R_OK) != 0)
        skip();
    check_story_routes(p, 1);
    /* no path between continents: the message names both parts */
    rm_error err;
    rm_layer *L = rm_layer_load(p, NULL, &err);
    assert_non_null(L);
    rm_railnet *net = rm_railnet_build(L, NULL, &err);
    assert_non_null(net);
    /* countries from the Natural Earth polygons */
    char cp[512];
    snprintf(cp, sizeof cp, "%s/global/ne_10m_admin_0_countries.shp", RM_SHARED_DATA);
    rm_layer *C = rm_layer_load(cp, NULL, &err);
    if (C) {
        double bh[] = {116.4274, 39.9030, 105.8412, 21.0245};
        rm_route cr;
        assert_int_equal(rm_railnet_route(net, bh, 2, &cr, &err), RM_OK);
        assert_int_equal(rm_route_countries_from(&cr, C, NULL, &err), RM_OK);
        assert_int_equal(cr.ncountries, 2);
        assert_string_equal(cr.countries[0], "CHN");
        assert_string_equal(cr.countries[1], "VNM");
        rm_route_free(&cr);
        rm_layer_free(C);
    }
    double s[] = {125.7625, 39.0392, -74.0, 40.75}; /* Pyongyang → New York */
    rm_route r;
    assert_int_equal(rm_railnet_route(net, s, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "network part of"));
    assert_non_null(strstr(err.message, "come within"));
    rm_railnet_free(net);
    rm_layer_free(L);
}

/* RM_WEIGHT_MAIN: the class of a line and the border crossings change the
 * route, not the reported length. From A(0,0) to B(2,0): a direct secondary
 * line (class 3, 222 km), a bent trunk line through (1,0.5) (class 1, 249
 * km), and a trunk line through (0.1,-0.1)..(1.9,-0.1) whose middle lies in
 * another country (231 km, two crossings). */
static int route_has(const rm_route *r, double x, double y)
{
    for (size_t i = 0; i < r->npoints; i++)
        if (fabs(r->xy[2 * i] - x) < 1e-9 && fabs(r->xy[2 * i + 1] - y) < 1e-9)
            return 1;
    return 0;
}

static void test_weighting(void **state)
{
    (void)state;
    const char *base = tmp_base("weights");
    SHPHandle h = SHPCreate(base, SHPT_ARC);
    DBFHandle d = DBFCreateEx(base, "UTF-8");
    assert_non_null(h);
    assert_non_null(d);
    DBFAddField(d, "COUNTRY", FTString, 3, 0);
    DBFAddField(d, "CLASS", FTInteger, 1, 0);
    struct {
        int n;
        double x[3], y[3];
        const char *c;
        int cls;
    } lines[] = {
        {2, {0, 2}, {0, 0}, "AAA", 3},      {3, {0, 1, 2}, {0, 0.5, 0}, "AAA", 1},
        {2, {0, 0.1}, {0, -0.1}, "AAA", 1}, {2, {0.1, 1.9}, {-0.1, -0.1}, "BBB", 1},
        {2, {1.9, 2}, {-0.1, 0}, "AAA", 1},
    };
    for (int i = 0; i < 5; i++) {
        SHPObject *o = SHPCreateSimpleObject(SHPT_ARC, lines[i].n, lines[i].x, lines[i].y, NULL);
        int id = SHPWriteObject(h, -1, o);
        SHPDestroyObject(o);
        DBFWriteStringAttribute(d, id, 0, lines[i].c);
        DBFWriteIntegerAttribute(d, id, 1, lines[i].cls);
    }
    SHPClose(h);
    DBFClose(d);
    rm_layer *L = load(base);
    rm_error err;
    double ab[] = {0, 0, 2, 0};
    rm_route r;
    rm_railnet_options o = {0};
    /* shortest: the direct secondary line */
    rm_railnet *net = rm_railnet_build(L, &o, &err);
    assert_non_null(net);
    assert_int_equal(rm_railnet_route(net, ab, 2, &r, &err), RM_OK);
    assert_true(fabs(r.km - rm_geodesic_km(0, 0, 2, 0)) < 1e-6);
    rm_route_free(&r);
    rm_railnet_free(net);
    /* main lines, crossings at 800 km: the bent trunk line */
    o.weighting = RM_WEIGHT_MAIN;
    net = rm_railnet_build(L, &o, &err);
    assert_non_null(net);
    assert_int_equal(rm_railnet_route(net, ab, 2, &r, &err), RM_OK);
    assert_true(route_has(&r, 1, 0.5));
    assert_true(fabs(r.km - 2 * rm_geodesic_km(0, 0, 1, 0.5)) < 1e-6); /* the true length */
    assert_int_equal(r.ncountries, 1);
    rm_route_free(&r);
    rm_railnet_free(net);
    /* crossings almost free: the trunk line through the other country */
    o.crossing_km = 1;
    net = rm_railnet_build(L, &o, &err);
    assert_non_null(net);
    assert_int_equal(rm_railnet_route(net, ab, 2, &r, &err), RM_OK);
    assert_true(route_has(&r, 0.1, -0.1) && route_has(&r, 1.9, -0.1));
    assert_int_equal(r.ncountries, 2); /* AAA, BBB (no repeats) */
    rm_route_free(&r);
    rm_railnet_free(net);
    /* bad options */
    o.weighting = 7;
    assert_null(rm_railnet_build(L, &o, &err));
    o.weighting = RM_WEIGHT_MAIN;
    o.crossing_km = -1;
    assert_null(rm_railnet_build(L, &o, &err));
    rm_layer_free(L);
}

/* Issue 15: on Natural Earth's global railroads, Moscow → Vladivostok with
 * main lines preferred and borders known from the country polygons follows
 * the Trans-Siberian (within 10 km of Yekaterinburg, Novosibirsk, Irkutsk and
 * Khabarovsk); by length alone it cuts through Kazakhstan and China. */
static void test_trans_siberian(void **state)
{
    (void)state;
    char p[512], cp[512];
    snprintf(p, sizeof p, "%s/global/ne_10m_railroads.shp", RM_SHARED_DATA);
    snprintf(cp, sizeof cp, "%s/global/ne_10m_admin_0_countries.shp", RM_SHARED_DATA);
    if (access(p, R_OK) != 0 || access(cp, R_OK) != 0) {
        print_message("Natural Earth global layers absent: skipped\n");
        skip();
    }
    rm_error err;
    rm_layer *L = load(p), *C = load(cp);
    double mv[] = {37.6567, 55.7763, 131.8869, 43.1155}; /* Yaroslavsky station, Vladivostok */
    static const struct {
        const char *name;
        double lon, lat;
    } cities[] = {{"Yekaterinburg", 60.6057, 56.8380},
                  {"Novosibirsk", 82.8979, 55.0302},
                  {"Irkutsk", 104.2806, 52.2978},
                  {"Khabarovsk", 135.0720, 48.4800}};
    for (int main_lines = 0; main_lines < 2; main_lines++) {
        rm_railnet_options o = {0};
        o.max_gap_km = 5;
        o.weighting = main_lines ? RM_WEIGHT_MAIN : RM_WEIGHT_LENGTH;
        o.country_polygons = C;
        rm_railnet *net = rm_railnet_build(L, &o, &err);
        if (!net)
            fail_msg("%s", err.message);
        rm_route r;
        if (rm_railnet_route(net, mv, 2, &r, &err) != RM_OK)
            fail_msg("%s", err.message);
        assert_int_equal(rm_route_countries_from(&r, C, NULL, &err), RM_OK);
        double worst = 0;
        for (size_t i = 0; i < 4; i++)
            worst = fmax(worst, dist_to_route(&r, cities[i].lon, cities[i].lat));
        print_message("Moscow → Vladivostok (%s): %.0f km, %zu countries, farthest city %.1f km\n",
                      main_lines ? "main lines" : "shortest", r.km, r.ncountries, worst);
        if (main_lines) {
            for (size_t i = 0; i < 4; i++) {
                double dk = dist_to_route(&r, cities[i].lon, cities[i].lat);
                if (dk > 10)
                    fail_msg("Moscow → Vladivostok passes %.1f km from %s", dk, cities[i].name);
            }
            assert_int_equal(r.ncountries, 1);
            assert_string_equal(r.countries[0], "RUS");
        } else {
            assert_true(r.ncountries > 1); /* the shortcut through KAZ and CHN */
        }
        rm_route_free(&r);
        rm_railnet_free(net);
    }
    rm_layer_free(C);
    rm_layer_free(L);
}

static void test_shipped_rail(void **state)
{
    (void)state;
    char p[512];
    snprintf(p, sizeof p, "%s/data/shapefiles/rail.shp", RM_SOURCE_DIR);
    if (access(p, R_OK) != 0)
        skip();
    check_story_routes(p, 0);
}

static void test_bad_input(void **state)
{
    (void)state;
    rm_error err;
    assert_null(rm_railnet_build(NULL, NULL, &err));
    assert_int_equal(err.status, RM_ERR_USAGE);
    /* a point layer */
    SHPHandle h = SHPCreate(tmp_base("pts"), SHPT_POINT);
    double x = 1, y = 2;
    SHPObject *o = SHPCreateSimpleObject(SHPT_POINT, 1, &x, &y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    SHPClose(h);
    rm_layer *L = load(tmp_base("pts"));
    assert_null(rm_railnet_build(L, NULL, &err));
    assert_int_equal(err.status, RM_ERR_FORMAT);
    rm_layer_free(L);
    /* a name field that does not exist */
    writer w;
    w_open(&w, tmp_base("nf"));
    double a[] = {0, 0, 1, 1};
    w_simple(&w, 2, a, "x");
    w_close(&w);
    L = load(tmp_base("nf"));
    rm_railnet_options opt = {0};
    opt.name_field = "LINE_NAME";
    assert_null(rm_railnet_build(L, &opt, &err));
    assert_int_equal(err.status, RM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "LINE_NAME"));
    rm_layer_free(L);
    /* an empty line layer builds an empty network: every route fails */
    writer we;
    w_open(&we, tmp_base("empty"));
    w_close(&we);
    L = load(tmp_base("empty"));
    rm_railnet *net = rm_railnet_build(L, NULL, &err);
    assert_non_null(net);
    assert_int_equal(rm_railnet_node_count(net), 0);
    double st[] = {0, 0, 1, 1};
    rm_route r;
    assert_int_equal(rm_railnet_route(net, st, 2, &r, &err), RM_ERR_NO_PATH);
    assert_non_null(strstr(err.message, "empty"));
    rm_railnet_free(net);
    opt.name_field = NULL;
    opt.max_gap_km = -1;
    assert_null(rm_railnet_build(L, &opt, &err));
    assert_int_equal(err.status, RM_ERR_USAGE);
    rm_layer_free(L);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rm_test_railnet_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_vs_floyd_warshall),
        cmocka_unit_test(test_snapping),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_no_ends_to_bridge),
        cmocka_unit_test(test_stop_snapping),
        cmocka_unit_test(test_snap_to_line),
        cmocka_unit_test(test_via_and_multipart),
        cmocka_unit_test(test_geojson_rounding),
        cmocka_unit_test(test_countries_from_polygons),
        cmocka_unit_test(test_natural_earth_region),
        cmocka_unit_test(test_natural_earth_global),
        cmocka_unit_test(test_shipped_rail),
        cmocka_unit_test(test_weighting),
        cmocka_unit_test(test_trans_siberian),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
