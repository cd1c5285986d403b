/* routemap — what the renderer placed, as JSON for other tools and tests:
 * the layout dump (every label's box, marker boxes, dropped labels,
 * furniture) and the georeference (map CRS, the affine from map CRS to page
 * pixels, and the page position of every drawn place and route vertex). */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_priv.h"
#include "routemap/output.h"

static json_t *box_json(const rm_box *b)
{
    return json_pack("[ffff]", b->x0, b->y0, b->x1, b->y1);
}

/* Serialises root and writes it atomically; steals root. */
static rm_status write_json(json_t *root, const char *path, rm_error *err)
{
    if (!root)
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    if (!text)
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    size_t n = strlen(text);
    text[n] = '\n'; /* replace the NUL: the length is passed */
    rm_status st = rm_write_atomic(path, text, n + 1, err);
    free(text);
    return st;
}

rm_status rm_r_write_layout(rm_render *r, const char *path, rm_error *err)
{
    json_t *root = json_object();
    json_t *labels = json_array(), *dropped = json_array(), *markers = json_array(),
           *furn = json_array();
    if (!root || !labels || !dropped || !markers || !furn) {
        json_decref(root);
        json_decref(labels);
        json_decref(dropped);
        json_decref(markers);
        json_decref(furn);
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    }
    json_object_set_new(root, "page",
                        json_pack("{s:f,s:f,s:s,s:f}", "width", r->W, "height", r->H, "units",
                                  "CSS px (1/96 in); PNG pixels are these times png_scale",
                                  "png_scale", r->spec->dpi > 0 ? r->spec->dpi / 96.0 : 1.0));
    json_object_set_new(root, "map_area", box_json(&r->map));
    for (size_t i = 0; i < r->nlabels; i++) {
        const rm_label *l = &r->labels[i];
        if (l->placed)
            json_array_append_new(labels,
                                  json_pack("{s:s,s:o,s:[ff],s:b,s:i}", "text", l->text, "box",
                                            box_json(&l->box), "anchor", l->ax, l->ay, "leader",
                                            l->leader, "priority", l->priority));
        else
            json_array_append_new(dropped, json_pack("{s:s,s:[ff],s:i}", "text", l->text, "anchor",
                                                     l->ax, l->ay, "priority", l->priority));
    }
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (!k->visible || k->cluster >= 0)
            continue;
        json_t *nums = json_array();
        for (int q = 0; q < k->nnums; q++)
            json_array_append_new(nums, json_integer(k->nums[q]));
        json_array_append_new(markers,
                              json_pack("{s:s,s:s,s:o,s:[ff],s:o}", "label",
                                        k->label ? k->label : "", "kind", k->kind, "box",
                                        box_json(&k->box), "point", k->x, k->y, "numbers", nums));
    }
    for (size_t i = 0; i < r->nfurn; i++) {
        json_t *o = json_pack("{s:s,s:o}", "kind", r->furn_name[i], "box", box_json(&r->furn[i]));
        if (o && !strcmp(r->furn_name[i], "scale_bar"))
            json_object_set_new(o, "note", json_string(r->scale_note));
        json_array_append_new(furn, o);
    }
    for (size_t i = 0; i < r->nglab; i++)
        json_array_append_new(furn, json_pack("{s:s,s:s,s:o}", "kind", "graticule_label", "text",
                                              r->glab[i].text, "box", box_json(&r->glab[i].box)));
    /* every place that is not a symbol of its own on the map, and why:
     * merged into a neighbour's symbol, far from the story (in the locator
     * inset, or nowhere), or outside the map's extent */
    json_t *elsewhere = json_array();
    for (size_t i = 0; elsewhere && i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        const char *name = k->label ? k->label : "";
        json_t *nums = json_array();
        for (int q = 0; nums && q < k->nnums; q++)
            json_array_append_new(nums, json_integer(k->nums[q]));
        if (k->cluster >= 0) {
            const rm_mark *rep = &r->marks[k->cluster];
            json_array_append_new(elsewhere,
                                  json_pack("{s:s,s:s,s:s,s:o,s:[ff]}", "label", name, "how",
                                            "merged", "into", rep->label ? rep->label : "",
                                            "numbers", nums, "point", rep->x, rep->y));
        } else if (k->far && k->in_locator) {
            json_array_append_new(
                elsewhere, json_pack("{s:s,s:s,s:o,s:[ff],s:o,s:[ff]}", "label", name, "how",
                                     "locator", "numbers", nums, "point", k->lx, k->ly, "box",
                                     box_json(&k->locator_box), "lonlat", k->lon, k->lat));
        } else if (!k->visible) {
            json_array_append_new(elsewhere,
                                  json_pack("{s:s,s:s,s:o}", "label", name, "how",
                                            k->far ? "far, not shown" : "outside the map",
                                            "numbers", nums));
        } else {
            json_decref(nums);
        }
    }
    json_object_set_new(root, "elsewhere", elsewhere);
    /* the routes as drawn: page points (side by side where they share
     * track), colour, width and legend text */
    json_t *rts = json_array();
    for (size_t i = 0; rts && i < r->nroutes; i++) {
        const rm_rroute *rr = &r->routes[i];
        json_t *pts = json_array();
        for (size_t k = 0; pts && k < rr->ndrawn; k++)
            json_array_append_new(pts, json_pack("[ff]", rr->drawn[2 * k], rr->drawn[2 * k + 1]));
        char col[16];
        snprintf(col, sizeof col, "#%02x%02x%02x", (int)lround(rr->color.r * 255),
                 (int)lround(rr->color.g * 255), (int)lround(rr->color.b * 255));
        json_array_append_new(rts,
                              json_pack("{s:s,s:s,s:f,s:f,s:o}", "legend",
                                        rr->legend_text ? rr->legend_text : "", "color", col,
                                        "width", rr->width, "km", rr->route.km, "points", pts));
    }
    json_object_set_new(root, "routes", rts);
    json_object_set_new(root, "labels", labels);
    json_object_set_new(root, "markers", markers);
    json_object_set_new(root, "furniture", furn);
    json_object_set_new(root, "dropped", dropped);
    return write_json(root, path, err);
}

rm_status rm_r_write_georef(rm_render *r, const char *path, rm_error *err)
{
    json_t *root = json_object();
    json_t *places = json_array(), *routes = json_array();
    if (!root || !places || !routes) {
        json_decref(root);
        json_decref(places);
        json_decref(routes);
        return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
    }
    json_object_set_new(root, "crs", json_string(rm_proj_definition(r->proj)));
    json_object_set_new(root, "affine",
                        json_pack("{s:f,s:f,s:f,s:f,s:s}", "a", r->aff.a, "c", r->aff.c, "d",
                                  r->aff.d, "f", r->aff.f, "formula",
                                  "page_x = a*x + c, page_y = d*y + f (x, y in map CRS units)"));
    json_object_set_new(root, "page",
                        json_pack("{s:f,s:f,s:s,s:f}", "width", r->W, "height", r->H, "units",
                                  "CSS px (1/96 in); PNG pixels are these times png_scale",
                                  "png_scale", r->spec->dpi > 0 ? r->spec->dpi / 96.0 : 1.0));
    json_object_set_new(root, "map_area", box_json(&r->map));
    json_object_set_new(
        root, "frame",
        json_pack("[ffff]", r->frame.minx, r->frame.miny, r->frame.maxx, r->frame.maxy));
    for (size_t i = 0; i < r->nmarks; i++) {
        const rm_mark *k = &r->marks[i];
        if (!k->visible)
            continue;
        json_t *o = json_pack("{s:s,s:s,s:f,s:f,s:f,s:f}", "name", k->label ? k->label : "", "kind",
                              k->kind, "lon", k->lon, "lat", k->lat, "x", k->x, "y", k->y);
        if (o && k->spec && k->spec->number > 0)
            json_object_set_new(o, "number", json_integer(k->spec->number));
        if (o && k->spec && k->spec->date)
            json_object_set_new(o, "date", json_string(k->spec->date));
        json_array_append_new(places, o);
    }
    for (size_t i = 0; i < r->nroutes; i++) {
        const rm_rroute *rr = &r->routes[i];
        const rm_route *rt = &rr->route;
        json_t *verts = json_array();
        double *xy = malloc(2 * rt->npoints * sizeof *xy + 1);
        if (!verts || !xy) {
            free(xy);
            json_decref(verts);
            json_decref(root);
            json_decref(places);
            json_decref(routes);
            return rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        }
        memcpy(xy, rt->xy, 2 * rt->npoints * sizeof *xy);
        rm_r_to_page(r, xy, rt->npoints);
        for (size_t k = 0; k < rt->npoints; k++) {
            if (!isfinite(xy[2 * k]))
                continue;
            json_array_append_new(verts, json_pack("[ffff]", rt->xy[2 * k], rt->xy[2 * k + 1],
                                                   xy[2 * k], xy[2 * k + 1]));
        }
        free(xy);
        json_t *gaps = json_array();
        for (size_t g = 0; g < rt->ngaps; g++)
            json_array_append_new(gaps, json_pack("{s:[ffff],s:f}", "lonlat", rt->gap_xy[4 * g],
                                                  rt->gap_xy[4 * g + 1], rt->gap_xy[4 * g + 2],
                                                  rt->gap_xy[4 * g + 3], "km", rt->gap_km[g]));
        json_array_append_new(routes,
                              json_pack("{s:s,s:s,s:f,s:o,s:s,s:o}", "from", rr->from_name, "to",
                                        rr->to_name, "km", rt->km, "gaps", gaps, "vertex_format",
                                        "[lon, lat, page_x, page_y]", "vertices", verts));
    }
    json_object_set_new(root, "places", places);
    json_object_set_new(root, "routes", routes);
    return write_json(root, path, err);
}
