/* routemap CLI — places (scaffolding: replaced by the real command) */
#include "cli.h"

int rm_cli_places(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rm_cli_error("'places' is not built yet");
    return 2;
}
