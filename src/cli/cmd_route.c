/* routemap CLI — route (scaffolding: replaced by the real command) */
#include "cli.h"

int rm_cli_route(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rm_cli_error("'route' is not built yet");
    return 2;
}
