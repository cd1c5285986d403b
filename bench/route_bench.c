/* route_bench — times loading a rail shapefile, building the rail network
 * and routing on it, and reports the peak memory.
 *
 *   route_bench [RAIL.shp] [QUERIES]
 *
 * RAIL.shp defaults to ../shared/data/global/ne_10m_railroads.shp (Natural
 * Earth, 25,383 lines, 851,948 vertices). Prints one line of key=value
 * figures: load_ms, build_ms (graph), load_build_ms (wall clock) and
 * load_build_cpu_ms (CPU time of the process, less noisy on a busy machine),
 * query_ms (median over
 * QUERIES routes, default 21: Pyongyang→Vladivostok, Pyongyang→Beijing,
 * Beijing→Hanoi in turn), peak_rss_mb (getrusage), plus the network size and
 * the Pyongyang→Vladivostok length as a check. bench/route.sh runs it several
 * times and prints the medians. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "routemap.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *rail = argc > 1 ? argv[1] : "../shared/data/global/ne_10m_railroads.shp";
    int nq = argc > 2 ? atoi(argv[2]) : 21;
    if (nq < 1 || nq > 100000) {
        fprintf(stderr, "route_bench: QUERIES must be 1..100000\n");
        return 2;
    }
    static const double q[3][4] = {{125.7625, 39.0392, 131.8817, 43.1112},
                                   {125.7625, 39.0392, 116.4274, 39.9030},
                                   {116.4274, 39.9030, 105.8412, 21.0245}};
    rm_error err;
    double c0 = cpu_ms(), t0 = now_ms();
    rm_layer *L = rm_layer_load(rail, NULL, &err);
    double t1 = now_ms(), c1 = cpu_ms();
    if (!L) {
        fprintf(stderr, "route_bench: %s\n", err.message);
        return 2;
    }
    rm_railnet *net = rm_railnet_build(L, NULL, &err);
    double t2 = now_ms(), c2 = cpu_ms();
    if (!net) {
        fprintf(stderr, "route_bench: %s\n", err.message);
        rm_layer_free(L);
        return 2;
    }
    double *qt = malloc((size_t)nq * sizeof *qt);
    double pv_km = 0;
    if (!qt)
        return 2;
    for (int i = 0; i < nq; i++) {
        rm_route r;
        double a = now_ms();
        rm_status st = rm_railnet_route(net, q[i % 3], 2, &r, &err);
        qt[i] = now_ms() - a;
        if (st != RM_OK) {
            fprintf(stderr, "route_bench: query %d: %s\n", i, err.message);
            return 1;
        }
        if (i == 0)
            pv_km = r.km;
        rm_route_free(&r);
    }
    qsort(qt, (size_t)nq, sizeof *qt, cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("load_ms=%.1f build_ms=%.1f load_build_ms=%.1f load_build_cpu_ms=%.1f query_ms=%.2f "
           "query_max_ms=%.2f peak_rss_mb=%.1f nodes=%zu edges=%zu vertices=%zu "
           "pyongyang_vladivostok_km=%.1f\n",
           t1 - t0, t2 - t1, t2 - t0, (c1 - c0) + (c2 - c1), qt[nq / 2], qt[nq - 1],
           ru.ru_maxrss / 1024.0, rm_railnet_node_count(net), rm_railnet_edge_count(net),
           rm_layer_vertex_count(L), pv_km);
    free(qt);
    rm_railnet_free(net);
    rm_layer_free(L);
    return 0;
}
