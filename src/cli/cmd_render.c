/* routemap CLI — render (scaffolding: replaced by the real command) */
#include "cli.h"

int rm_cli_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rm_cli_error("'render' is not built yet");
    return 2;
}
