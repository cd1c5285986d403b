/* routemap — journeys as data: each trip with its mode, dates and ordered
 * stops as reported (data/facts/journeys.csv; data/README.md describes it).
 *
 * journeys.csv: journey_id,trip_id,title,date_out,date_back,mode,order,stop,
 * country,lon,lat,role,reached_by,source_url,notes — one row per stop, in
 * travel order; role is start, via, stop, border or end; reached_by is how
 * the stop was reached from the previous one (train, car, flight; empty for
 * the start). A journey's rail stops are its stops not reached by car or
 * flight: the places its train passed, in order (a car visit from a station
 * and back leaves the rail route). */
#ifndef ROUTEMAP_JOURNEYS_H
#define ROUTEMAP_JOURNEYS_H

#include <stddef.h>
#include "routemap/error.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_journey_stop {
    char *name, *country, *role, *reached_by, *source_url;
    double lon, lat;
} rm_journey_stop;

typedef struct rm_journey {
    char *id, *trip_id, *title, *date_out, *date_back, *mode;
    rm_journey_stop *stops;
    size_t nstops;
} rm_journey;

typedef struct rm_journeys {
    rm_journey *j;
    size_t n;
} rm_journeys;

/* Reads journeys.csv. Errors name the file and line. */
rm_journeys *rm_journeys_read(const char *path, rm_error *err);
void rm_journeys_free(rm_journeys *js);
/* 1 when the journey's mode is "train" or "mixed" (train and car). */
int rm_journey_is_rail(const rm_journey *j);
/* The rail stops (indexes into j->stops) in order; returns their count
 * (at most cap are written). */
size_t rm_journey_rail_stops(const rm_journey *j, size_t *idx, size_t cap);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop
#endif
