/* routemap — command line entry point: dispatches to the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "routemap.h"
#include "cli.h"
#include "spec_overrides.h"

static const char usage[] =
    "usage: routemap <command> [options]\n"
    "\n"
    "Route maps from shapefiles and a short map spec (SVG, PDF, PNG).\n"
    "\n"
    "commands:\n"
    "  render [SPEC.json] [-o OUT]   render a map (no spec: the built-in default map)\n"
    "  route FROM TO [--via PLACE]   shortest rail route between two places\n"
    "  project PLACE|LON,LAT...      projected coordinates of places in a CRS\n"
    "  places [QUERY]                search the gazetteer\n"
    "  batch SPEC... | --jobs FILE   render many maps in parallel\n"
    "\n"
    "Run 'routemap <command> --help' for the options of a command.\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n"
    "\n"
    "Exit codes: 0 success, 1 the map could not be made, 2 bad usage or bad input.\n";

void rm_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("routemap: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Warnings from the library (lenient reads), one line each on stderr; -q
 * on a command removes the handler. */
static void print_warning(const char *message, void *data)
{
    (void)data;
    char buf[RM_ERROR_MAX];
    snprintf(buf, sizeof buf, "%s", message);
    fprintf(stderr, "routemap: warning: %s\n", rm_cli_clean(buf));
}

static int run(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("routemap %s\n", ROUTEMAP_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "render"))
        return rm_cli_render(argc - 1, argv + 1);
    if (!strcmp(cmd, "route"))
        return rm_cli_route(argc - 1, argv + 1);
    if (!strcmp(cmd, "project"))
        return rm_cli_project(argc - 1, argv + 1);
    if (!strcmp(cmd, "places"))
        return rm_cli_places(argc - 1, argv + 1);
    if (!strcmp(cmd, "batch"))
        return rm_cli_batch(argc - 1, argv + 1);
    rm_cli_error("unknown command '%s' (try: render, route, project, places, batch; see --help)",
                 cmd);
    return 2;
}

/* Every command's standard output is checked once it is flushed: a map, a
 * route, places or coordinates that could not be written (a full disk, a
 * closed pipe, /dev/full) are an error, not exit 0. */
int main(int argc, char **argv)
{
    rm_set_warning_handler(print_warning, NULL);
    int rc = run(argc, argv);
    errno = 0;
    if ((fflush(stdout) != 0 || ferror(stdout)) && rc == 0) {
        rm_cli_error("standard output: %s", errno ? strerror(errno) : "write error");
        rc = rm_status_exit_code(RM_ERR_IO);
    }
    return rc;
}
