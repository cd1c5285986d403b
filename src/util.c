/* routemap — small helpers shared inside the library: joining paths, a
 * file's existence, the edit distance behind "did you mean". */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rm_path_join_buf(char *out, size_t cap, const char *dir, const char *file)
{
    int rel = file[0] != '/' && dir && *dir;
    size_t nd = rel ? strlen(dir) + 1 : 0, nf = strlen(file);
    if (nd + nf + 1 > cap) {
        if (cap > 0)
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

char *rm_path_join(const char *dir, const char *file)
{
    size_t cap = (dir ? strlen(dir) : 0) + strlen(file) + 2;
    char *out = malloc(cap);
    if (out)
        rm_path_join_buf(out, cap, dir, file);
    return out;
}

int rm_file_exists(const char *path)
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

static char fold(char c, int fold_case)
{
    return fold_case && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

size_t rm_edit_distance(const char *a, const char *b, int fold_case)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 200)
        na = 200;
    if (nb > 200)
        nb = 200;
    size_t row[201];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (fold(a[i - 1], fold_case) != fold(b[j - 1], fold_case));
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}
