/* routemap — projection: a PROJ context per map (thread safety), lon/lat ->
 * map CRS, automatic projection and extent fitted to the content, the affine
 * from map CRS to page pixels, and densified lines so curves stay curves. */
#ifndef ROUTEMAP_PROJECT_H
#define ROUTEMAP_PROJECT_H

#include <stddef.h>
#include "routemap/error.h"
#include "routemap/geom.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rm_proj rm_proj;

/* crs: any PROJ string ("+proj=lcc ..."), "EPSG:NNNN", WKT, or "auto" (then
 * content, a lon/lat box, chooses a conformal conic: LCC with standard
 * parallels at 1/6 and 5/6 of the box's latitude span, or Mercator near the
 * equator, or a polar stereographic near a pole). */
rm_proj *rm_proj_new(const char *crs, const rm_bbox *content, rm_error *err);
void rm_proj_free(rm_proj *p);
/* The PROJ definition actually used (for "auto", the chosen one). */
const char *rm_proj_definition(const rm_proj *p);

/* Projects n lon/lat points in place to map CRS metres. Points that cannot
 * be projected become NAN. Returns the number that failed. */
size_t rm_proj_forward(rm_proj *p, double *xy, size_t n);
/* Inverse: map CRS -> lon/lat, in place. */
size_t rm_proj_inverse(rm_proj *p, double *xy, size_t n);

/* Page transform: page_x = a*x + c, page_y = d*y + f (north up, y down). */
typedef struct rm_affine {
    double a, c, d, f;
} rm_affine;

/* Fits the lon/lat box content into a page area (px) of w x h at offset
 * (ox, oy), leaving margin (fraction of the area, e.g. 0.05) around it and
 * keeping the aspect ratio; writes the affine and the projected frame (the
 * map CRS box that the area shows). */
rm_status rm_proj_fit(rm_proj *p, const rm_bbox *content, double ox, double oy, double w, double h,
                      double margin, rm_affine *out, rm_bbox *frame, rm_error *err);

/* The lon/lat box that covers a projected frame (border sampled densely, with
 * padding), for reading and clipping data before projecting it. A frame
 * across the antimeridian gives a box with maxx > 180 (geom.h), e.g.
 * [155, 50, 215, 70] over the Bering Strait; minx is always in [-180, 180). */
rm_bbox rm_proj_frame_lonlat(rm_proj *p, const rm_bbox *frame);

/* Scale factor of the projection at lon/lat (k along the parallel), for an
 * honest scale bar. */
double rm_proj_scale_at(rm_proj *p, double lon, double lat);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
