/* routemap CLI — batch (scaffolding: replaced by the real command) */
#include "cli.h"

int rm_cli_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    rm_cli_error("'batch' is not built yet");
    return 2;
}
