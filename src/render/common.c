/* routemap — small helpers the renderer's files share: growable
 * arrays, the obstacle and furniture lists, file paths. */
#include <math.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render_priv.h"

/* --------------------------------------------------------------- helpers */

int rm_r_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *g = realloc(*p, n * size);
    if (!g)
        return -1;
    *p = g;
    *cap = n;
    return 0;
}

int rm_r_add_obstacle(rm_render *r, rm_box b)
{
    if (rm_r_grow((void **)&r->obst, &r->obst_cap, r->nobst + 1, sizeof *r->obst) != 0) {
        r->oom = 1;
        return -1;
    }
    r->obst[r->nobst++] = b;
    return 0;
}

int rm_r_add_furniture(rm_render *r, const char *name, rm_box b)
{
    if (r->nfurn < sizeof r->furn / sizeof r->furn[0]) {
        r->furn[r->nfurn] = b;
        r->furn_name[r->nfurn] = name;
        r->nfurn++;
    }
    return rm_r_add_obstacle(r, b);
}

char *rm_r_str_dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* dir/file (file when absolute); a path too long for out gives "", which
 * is then simply not found (a path cut short might name another file). */
int rm_r_join_path(char *out, size_t cap, const char *dir, const char *file)
{
    int rel = file[0] != '/' && dir && *dir;
    size_t nd = rel ? strlen(dir) + 1 : 0, nf = strlen(file);
    if (nd + nf + 1 > cap) {
        out[0] = 0;
        return -1;
    }
    if (rel) {
        memcpy(out, dir, nd - 1);
        out[nd - 1] = '/';
    }
    memcpy(out + nd, file, nf + 1);
    return 0;
}

int rm_r_file_exists(const char *path)
{
    char p[4200];
    FILE *f = fopen(path, "rb");
    if (!f) {
        int n = snprintf(p, sizeof p, "%s.shp", path);
        f = n > 0 && (size_t)n < sizeof p ? fopen(p, "rb") : NULL;
    }
    if (f)
        fclose(f);
    return f != NULL;
}

int rm_r_is_shipped(const char *path)
{
    char dir[4200], real_dir[PATH_MAX], real_data[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    else
        snprintf(dir, sizeof dir, ".");
    return realpath(dir, real_dir) && realpath(rm_default_data_dir(), real_data) &&
           !strcmp(real_dir, real_data);
}

void rm_r_credit_user(rm_render *r, const char *text)
{
    if (!text || !*text)
        return;
    for (size_t i = 0; i < r->ncredit_user; i++)
        if (!strcmp(r->credit_user[i], text))
            return;
    if (r->ncredit_user < sizeof r->credit_user / sizeof r->credit_user[0])
        r->credit_user[r->ncredit_user++] = text;
}
