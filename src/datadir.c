/* routemap — where the built-in data lives. */
#include "routemap/render.h"

#include <stdlib.h>
#include <sys/stat.h>

#ifndef RM_DATA_DIR_SOURCE
#define RM_DATA_DIR_SOURCE "data/shapefiles"
#endif
#ifndef RM_DATA_DIR_INSTALL
#define RM_DATA_DIR_INSTALL "/usr/local/share/routemap/shapefiles"
#endif

/* $ROUTEMAP_DATA when set and not empty, else the installed data when that
 * directory exists, else the source tree's data/shapefiles. */
const char *rm_default_data_dir(void)
{
    const char *env = getenv("ROUTEMAP_DATA");
    if (env && *env)
        return env;
    struct stat st;
    if (stat(RM_DATA_DIR_INSTALL, &st) == 0 && S_ISDIR(st.st_mode))
        return RM_DATA_DIR_INSTALL;
    return RM_DATA_DIR_SOURCE;
}
