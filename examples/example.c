/* example.c — using libroutemap from a C program.
 *
 * Builds the default map (Kim Jong Un's train to Russia) with a different
 * title and size, renders it to a file and to a memory buffer, and resolves a
 * place through the gazetteer. Build against an installed routemap:
 *
 *   cc -o example example.c $(pkg-config --cflags --libs routemap)
 *   ./example out.svg
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <routemap.h>

int main(int argc, char **argv)
{
    const char *out = argc > 1 ? argv[1] : "example.svg";
    rm_error err;
    rm_error_clear(&err);

    /* 1. the spec: the built-in default map, edited like a CLI would */
    rm_spec *spec = rm_spec_default(&err);
    if (!spec) {
        fprintf(stderr, "example: %s\n", err.message);
        return 2;
    }
    if (rm_spec_set_string(&spec->title, "Pyongyang to Vladivostok by train") ||
        rm_spec_apply_preset(spec, "slide-16x9", &err) != RM_OK ||
        rm_spec_validate(spec, &err) != RM_OK) {
        fprintf(stderr, "example: %s\n", err.message[0] ? err.message : "out of memory");
        rm_spec_free(spec);
        return 2;
    }

    /* 2. places from the gazetteer and a route on the rail network, both
     * from the data that ships with routemap */
    char path[4096];
    snprintf(path, sizeof path, "%s/places.shp", rm_default_data_dir());
    rm_gazetteer *g = rm_gazetteer_load(path, &err);
    snprintf(path, sizeof path, "%s/rail.shp", rm_default_data_dir());
    rm_layer *rail = g ? rm_layer_load(path, NULL, &err) : NULL;
    rm_railnet *net = rail ? rm_railnet_build(rail, NULL, &err) : NULL;
    rm_place from, to;
    if (net && rm_gazetteer_resolve(g, "Pyongyang", &from, &err) == RM_OK &&
        rm_gazetteer_resolve(g, "Владивосток", &to, &err) == RM_OK) {
        double stops[4] = {from.lon, from.lat, to.lon, to.lat};
        rm_route route;
        if (rm_railnet_route(net, stops, 2, &route, &err) == RM_OK) {
            printf("%s -> %s: %.0f km by rail through %zu countries\n", from.name, to.name,
                   route.km, route.ncountries);
            rm_route_free(&route);
        }
    }
    if (err.status != RM_OK)
        fprintf(stderr, "example: %s\n", err.message);
    rm_railnet_free(net);
    rm_layer_free(rail);
    rm_gazetteer_free(g);

    /* 3. render to a file (written atomically) ... */
    rm_status st = rm_render_file(spec, out, rm_format_from(NULL, out), NULL, &err);
    if (st != RM_OK) {
        fprintf(stderr, "example: %s\n", err.message);
        rm_spec_free(spec);
        return rm_status_exit_code(st);
    }
    /* ... and into memory */
    unsigned char *data = NULL;
    size_t len = 0;
    st = rm_render_buffer(spec, RM_FORMAT_SVG, NULL, &data, &len, &err);
    if (st != RM_OK) {
        fprintf(stderr, "example: %s\n", err.message);
        rm_spec_free(spec);
        return rm_status_exit_code(st);
    }
    printf("wrote %s; the same map in memory is %zu bytes of SVG\n", out, len);
    free(data);
    rm_spec_free(spec);
    rm_library_cleanup(); /* font caches, for leak checkers */
    return 0;
}
