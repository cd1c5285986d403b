/* routemap — private: decisions about what a map shows and how several
 * journeys are told apart, in plain numbers (no cairo, no PROJ), so that each
 * can be tested on its own.
 *
 * - Framing: which places the main map frames with the routes, and which are
 *   far (a locator inset or an edge pointer shows them instead).
 * - Shared track: where several routes run along the same line on the page,
 *   offsets that put them side by side instead of one on top of the other. */
#ifndef ROUTEMAP_STORY_H
#define ROUTEMAP_STORY_H

#include <stddef.h>
#include "routemap/geom.h"

/* Chooses the places the main map frames. core: ncore lon/lat points of the
 * story (the routes' vertices, their ends); cand: ncand lon/lat points of the
 * other places. A place is kept when the map that also frames it still
 * gives the core's box at least min_share of its area (in a local
 * equirectangular approximation of a conformal map, for a map area of the
 * given aspect, width / height, with margin on each side as a fraction of
 * it). Places are tried nearest first; places inside the core's box are
 * always kept. Writes keep[i] (1 kept, 0 far) and the lon/lat box of the core
 * and the kept places (maxx past 180 across the antimeridian, geom.h).
 * Returns the number of far places, or -1 (no core point, out of memory:
 * then every place is kept). */
int rm_story_frame(const double *core, size_t ncore, const double *cand, size_t ncand,
                   double aspect, double margin, double min_share, int *keep, rm_bbox *box);

/* Side-by-side offsets for routes that share track on the page. pts[i] holds
 * the npts[i] page points of route i (x,y interleaved; non-finite points are
 * breaks). A vertex lies on shared track when it is within tol px of another
 * route; the routes there are stacked in route order, spacing px apart,
 * centred on the track, each on the same side whichever way it runs. Writes
 * off[i][k], the signed offset of vertex k of route i along its left normal
 * (0 off shared track), smoothed over neighbours so that a route leaves a
 * shared stretch without a jog. Returns 0, or -1 out of memory. */
int rm_shared_offsets(const double *const *pts, const size_t *npts, size_t nroutes, double tol,
                      double spacing, double *const *off);

/* Moves the n page points of a polyline by off[k] along their left normal
 * (the mean direction of the two segments at the point), into out (which
 * may be pts). Non-finite points stay as they are. */
void rm_offset_polyline(const double *pts, size_t n, const double *off, double *out);

/* The smallest distance in px from point (x, y) to the polyline (n points,
 * non-finite points are breaks); INFINITY when it has no segment. */
double rm_point_polyline_dist(double x, double y, const double *pts, size_t n);

#endif
