/* routemap CLI — project (scaffolding: replaced by the real command) */
#include "cli.h"

int rm_cli_project(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rm_cli_error("'project' is not built yet");
    return 2;
}
