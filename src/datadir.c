/* routemap — where the built-in data lives. */
#define _GNU_SOURCE /* dladdr */
#include "routemap/render.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RM_DATA_DIR_SOURCE
#define RM_DATA_DIR_SOURCE "data/shapefiles"
#endif
#ifndef RM_DATA_DIR_INSTALL
#define RM_DATA_DIR_INSTALL "/usr/local/share/routemap/shapefiles"
#endif
/* the data relative to the installed library's and program's directories
 * (../share/routemap/shapefiles for the usual layout) */
#ifndef RM_DATA_REL_LIB
#define RM_DATA_REL_LIB "../share/routemap/shapefiles"
#endif
#ifndef RM_DATA_REL_BIN
#define RM_DATA_REL_BIN "../share/routemap/shapefiles"
#endif

static char found[PATH_MAX + 64];
static pthread_once_t found_once = PTHREAD_ONCE_INIT;

static int is_data_dir(const char *dir)
{
    char p[PATH_MAX + 96];
    struct stat st;
    snprintf(p, sizeof p, "%s/rail.shp", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* dir(file)/rel into found when it holds the data. */
static int try_beside(const char *file, const char *rel)
{
    char real[PATH_MAX];
    if (!file || !*file || !realpath(file, real))
        return 0;
    char *slash = strrchr(real, '/');
    if (!slash)
        return 0;
    *slash = 0;
    char cand[sizeof found];
    if ((size_t)snprintf(cand, sizeof cand, "%s/%s", real, rel) >= sizeof cand)
        return 0;
    if (!is_data_dir(cand))
        return 0;
    char canon[PATH_MAX];
    snprintf(found, sizeof found, "%s", realpath(cand, canon) ? canon : cand);
    return 1;
}

static void find_data(void)
{
    Dl_info info;
    if (dladdr((void *)&rm_default_data_dir, &info) && try_beside(info.dli_fname, RM_DATA_REL_LIB))
        return;
    if (try_beside("/proc/self/exe", RM_DATA_REL_BIN))
        return;
    struct stat st;
    if (stat(RM_DATA_DIR_INSTALL, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(found, sizeof found, "%s", RM_DATA_DIR_INSTALL);
    else
        snprintf(found, sizeof found, "%s", RM_DATA_DIR_SOURCE);
}

/* $ROUTEMAP_DATA when set and not empty; else the data installed beside the
 * library or the program (share/routemap/shapefiles under the prefix they
 * were installed to, wherever it is moved); else the configured install
 * directory when it exists; else the source tree's data/shapefiles. */
const char *rm_default_data_dir(void)
{
    const char *env = getenv("ROUTEMAP_DATA");
    if (env && *env)
        return env;
    pthread_once(&found_once, find_data);
    return found;
}
