/* routemap CLI — subcommands. Each takes the arguments after its name
 * (argv[0] is the subcommand) and returns the process exit code:
 * 0 success, 1 the map (or route) could not be made, 2 bad usage or input. */
#ifndef ROUTEMAP_CLI_H
#define ROUTEMAP_CLI_H

#include <stdio.h>

int rm_cli_render(int argc, char **argv);
int rm_cli_route(int argc, char **argv);
int rm_cli_project(int argc, char **argv);
int rm_cli_places(int argc, char **argv);
int rm_cli_batch(int argc, char **argv);

/* Prints "routemap: <message>" as one line on stderr. */
void rm_cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
