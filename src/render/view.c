/* routemap — the map view: lon/lat to page pixels and back, and the lon/lat
 * tolerance that keeps simplification below a fraction of a pixel. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"
#include "story.h"

size_t rm_r_to_page(rm_render *r, double *xy, size_t n)
{
    size_t bad = rm_proj_forward(r->proj, xy, n);
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = r->aff.a * xy[2 * i] + r->aff.c;
        xy[2 * i + 1] = r->aff.d * xy[2 * i + 1] + r->aff.f;
    }
    return bad;
}

size_t rm_r_from_page(rm_render *r, double *xy, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = (xy[2 * i] - r->aff.c) / r->aff.a;
        xy[2 * i + 1] = (xy[2 * i + 1] - r->aff.f) / r->aff.d;
    }
    return rm_proj_inverse(r->proj, xy, n);
}

/* Degrees of lon/lat that px page pixels span at least, over a grid of the
 * map area: simplifying in lon/lat with this tolerance moves no point by
 * more than px on the page (a conformal map's scale varies slowly). */
static double lonlat_tolerance(rm_render *r, double px)
{
    double best = INFINITY;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++) {
            double x = r->map.x0 + (i + 0.5) / 5 * (r->map.x1 - r->map.x0);
            double y = r->map.y0 + (j + 0.5) / 5 * (r->map.y1 - r->map.y0);
            double q[6] = {x, y, x + 1, y, x, y + 1};
            if (rm_r_from_page(r, q, 3) != 0)
                continue;
            best =
                fmin(best, fmin(hypot(q[2] - q[0], q[3] - q[1]), hypot(q[4] - q[0], q[5] - q[1])));
        }
    return isfinite(best) ? px * best : 0;
}

/* The share of the map area that the routes' box must keep when the map
 * also frames the places near them (issue 16: a story's route is not a
 * speck on a map of a continent). */
#define STORY_MIN_SHARE 0.2

/* The automatic content box. With routes, the map frames the story: the
 * routes, their ends and the crossings, and the other places only as far as
 * the routes' box keeps STORY_MIN_SHARE of the map (story.h); the places
 * left out are marked far (the locator inset shows them, the layout dump
 * and -v name them). Without routes, every place. Longitudes are taken the
 * short way round, so a map across 180 gets a box past 180 (geom.h).
 * Returns 0, or -1 out of memory. */
static int frame_story(rm_render *r, const rm_bbox *layers)
{
    size_t ncore = 0, ncand = 0;
    for (size_t i = 0; i < r->nroutes; i++)
        ncore += r->routes[i].route.npoints;
    double *core = malloc(2 * (ncore + r->nmarks + 1) * sizeof *core);
    double *cand = malloc(2 * (r->nmarks + 1) * sizeof *cand);
    size_t *ci = malloc((r->nmarks + 1) * sizeof *ci);
    int *keep = malloc((r->nmarks + 1) * sizeof *keep);
    if (!core || !cand || !ci || !keep) {
        free(core), free(cand), free(ci), free(keep);
        return -1;
    }
    /* the map frames the story only when a locator inset can show the
     * places it leaves out; else every place is framed */
    int story = ncore > 0 && r->spec->inset;
    ncore = 0;
    for (size_t i = 0; i < r->nroutes; i++)
        for (size_t k = 0; k < r->routes[i].route.npoints; k++) {
            core[2 * ncore] = r->routes[i].route.xy[2 * k];
            core[2 * ncore + 1] = r->routes[i].route.xy[2 * k + 1];
            ncore++;
        }
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        int must = !story || rm_r_kind_is(k->kind, "origin") ||
                   rm_r_kind_is(k->kind, "destination") || rm_r_kind_is(k->kind, "crossing");
        if (must) {
            core[2 * ncore] = k->lon, core[2 * ncore + 1] = k->lat;
            ncore++;
        } else {
            cand[2 * ncand] = k->lon, cand[2 * ncand + 1] = k->lat;
            ci[ncand++] = i;
        }
    }
    rm_bbox box;
    /* the map area's aspect, before the page bands are known: the page's
     * less a title band */
    double aspect = r->W / fmax(r->H * 0.86, 1);
    double margin = r->spec->margin >= 0 && r->spec->margin < 0.45 ? r->spec->margin : 0.06;
    int far = ncore ? rm_story_frame(core, ncore, cand, ncand, aspect, margin, STORY_MIN_SHARE,
                                     keep, &box)
                    : -1;
    if (far < 0 && ncand > 0) { /* no core: every place, the short way round */
        far = rm_story_frame(cand, ncand, NULL, 0, aspect, margin, 0, keep, &box);
        far = far < 0 ? -1 : 0;
    }
    if (far < 0 && layers && !rm_bbox_is_empty(layers)) {
        /* no route, no place: the layers' data */
        box = *layers;
        far = 0;
    }
    if (far < 0) {
        rm_bbox world = {-170, -60, 170, 80};
        box = world;
        far = 0;
    }
    for (size_t q = 0; q < ncand && far > 0; q++)
        if (!keep[q]) {
            r->marks[ci[q]].far = 1;
            if (r->verbose)
                fprintf(r->verbose,
                        "routemap: '%s' is far from the route: shown in the locator inset, "
                        "not framed by the map\n",
                        r->marks[ci[q]].label ? r->marks[ci[q]].label : "?");
        }
    r->nfar = (size_t)far;
    r->content = box;
    free(core), free(cand), free(ci), free(keep);
    return 0;
}

rm_status rm_r_view_content(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    if (spec->extent_auto) {
        /* a map of layers only is framed on their data (the boxes read
         * cheaply: rm_layer_extent) */
        rm_bbox lb = rm_bbox_empty();
        if (r->nroutes == 0 && r->nmarks == 0)
            for (size_t i = 0; i < spec->nlayers; i++) {
                const rm_layer_spec *ls = &spec->layers[i];
                char path[4200];
                rm_bbox b;
                if (!ls->file || rm_r_join_path(path, sizeof path, r->data_dir, ls->file) != 0)
                    continue;
                if (rm_layer_extent(path, ls->crs, &b, err) != RM_OK) {
                    rm_error_prefix(err, "layer '%s'", ls->id ? ls->id : ls->file);
                    return err ? err->status : RM_ERR_IO;
                }
                if (!rm_bbox_is_empty(&b))
                    rm_bbox_union(&lb, &b);
            }
        if (frame_story(r, &lb) != 0)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    } else {
        rm_bbox e = {spec->extent[0], spec->extent[1], spec->extent[2], spec->extent[3]};
        if (!(e.maxx > e.minx && e.maxy > e.miny))
            return rm_error_set(err, RM_ERR_SPEC, "extent: min must be below max");
        r->content = e;
    }
    r->proj = rm_proj_new(spec->projection, &r->content, err);
    if (!r->proj)
        return err ? err->status : RM_ERR_PROJ;
    return RM_OK;
}

/* The map area: the page less the title band, the footer and a thin side
 * margin; an exact frame fills the page but for the bands the spec asks
 * for. */
static rm_status map_area(rm_render *r, rm_error *err)
{
    const rm_spec *spec = r->spec;
    double top, bottom;
    rm_r_page_bands(r, &top, &bottom);
    double side = fmin(16, r->W * 0.02);
    if (spec->has_frame) {
        /* an exact frame fills the page: only a title, subtitle or an
         * attribution the spec gives keeps its band */
        side = 0;
        if (!(spec->title && *spec->title) && !(spec->subtitle && *spec->subtitle))
            top = 0;
        if (!(spec->attribution && *spec->attribution))
            bottom = 0;
    }
    r->map = (rm_box){side, top, r->W - side, r->H - bottom};
    if (r->map.x1 - r->map.x0 < 32 || r->map.y1 - r->map.y0 < 32)
        return rm_error_set(err, RM_ERR_SPEC, "page %gx%g px leaves no room for the map", r->W,
                            r->H);
    return RM_OK;
}

rm_status rm_r_view_fit(rm_render *r, rm_format fmt, double dpi, rm_error *err)
{
    const rm_spec *spec = r->spec;
    rm_status st = map_area(r, err);
    if (st != RM_OK)
        return st;
    double margin = spec->extent_auto ? spec->margin : 0;
    if (!(margin >= 0 && margin < 0.45))
        margin = 0.06;
    if (spec->has_frame) {
        /* the spec's map CRS box, centred in the map area at one scale */
        double mw = r->map.x1 - r->map.x0, mh = r->map.y1 - r->map.y0;
        double fx = (spec->frame[0] + spec->frame[2]) / 2,
               fy = (spec->frame[1] + spec->frame[3]) / 2;
        double k =
            fmin(mw / (spec->frame[2] - spec->frame[0]), mh / (spec->frame[3] - spec->frame[1]));
        if (!strcmp(spec->projection, "auto") || !(k > 0) || !isfinite(k))
            return rm_error_set(err, RM_ERR_SPEC, "frame: needs a projection and min < max");
        r->aff = (rm_affine){k, r->map.x0 + mw / 2 - k * fx, -k, r->map.y0 + mh / 2 + k * fy};
        r->frame =
            (rm_bbox){fx - mw / (2 * k), fy - mh / (2 * k), fx + mw / (2 * k), fy + mh / (2 * k)};
    } else {
        st = rm_proj_fit(r->proj, &r->content, r->map.x0, r->map.y0, r->map.x1 - r->map.x0,
                         r->map.y1 - r->map.y0, margin, &r->aff, &r->frame, err);
        if (st != RM_OK)
            return st;
    }
    r->frame_ll = rm_proj_frame_lonlat(r->proj, &r->frame);
    double scale = fmt == RM_FORMAT_PNG ? dpi / 96.0 : 1.0;
    r->simplify_px = r->opt->full_precision ? 0 : 0.4 / scale;
    r->round_grid = fmt == RM_FORMAT_PNG ? 0 : 4;
    if (fmt == RM_FORMAT_SVG)
        r->simplify_ll = r->opt->full_precision ? 0 : lonlat_tolerance(r, 0.2 / scale);
    return RM_OK;
}
