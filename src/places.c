/* routemap — places: the gazetteer.
 *
 * A points shapefile with the fields NAME (required), ALIASES ('|'-separated),
 * COUNTRY and KIND is copied into one string arena; the layer is not kept.
 * Every name and alias is also stored in a normalised form (case folded, Latin
 * diacritics removed, punctuation and runs of spaces made one space), sorted,
 * so a query resolves by binary search. "lon,lat" literals resolve to
 * themselves after a range check. An unknown name fails with the three
 * closest known names by edit distance. */
#include "routemap/places.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routemap/geodata.h"

typedef struct key {
    const char *norm; /* normalised name or alias (in the arena) */
    size_t place;
} key;

struct rm_gazetteer {
    rm_place *places;
    size_t n;
    size_t nlocal; /* places[0 .. nlocal) are the file's, the rest the world's */
    key *keys;
    size_t nkeys;
    char *arena;
};

/* ---- normalisation ---- */

/* Decodes one UTF-8 code point from *s (advancing it); invalid bytes come
 * back as themselves. */
static uint32_t utf8_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int n = 0;
    if (c < 0x80)
        n = 0;
    else if ((c & 0xE0) == 0xC0)
        n = 1, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0)
        n = 2, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0)
        n = 3, c &= 0x07;
    else {
        *s = p + 1;
        return c;
    }
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *s = p + 1;
            return p[0];
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    *s = p + n + 1;
    return c;
}

static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Base letters of U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A), lower case; 0 for the two non-letters (×, ÷). Ligatures and
 * special letters get their usual ASCII spelling in fold_latin. */
static const char latin_base[] = "aaaaaaaceeeeiiii"  /* C0-CF */
                                 "dnooooo\0ouuuuyts" /* D0-DF (× at D7, Þ→t, ß→s) */
                                 "aaaaaaaceeeeiiii"  /* E0-EF */
                                 "dnooooo\0ouuuuyty" /* F0-FF (÷ at F7) */
                                 "aaaaaaccccccccdd"  /* 100-10F */
                                 "ddeeeeeeeeeegggg"  /* 110-11F */
                                 "gggghhhhiiiiiiii"  /* 120-12F */
                                 "iijjjjkkklllllll"  /* 130-13F */
                                 "lllnnnnnnnnnoooo"  /* 140-14F */
                                 "oooorrrrrrssssss"  /* 150-15F */
                                 "ssttttttuuuuuuuu"  /* 160-16F */
                                 "uuuuwwyyyzzzzzzs"; /* 170-17F */

/* Case-folds one code point and strips Latin diacritics; may write a
 * two-letter spelling (æ → ae). Returns bytes written to out. */
static size_t fold(uint32_t c, char *out)
{
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        out[0] = (char)c;
        return 1;
    }
    if (c == 0xC6 || c == 0xE6)
        return memcpy(out, "ae", 2), 2;
    if (c == 0xDF)
        return memcpy(out, "ss", 2), 2;
    if (c == 0x152 || c == 0x153)
        return memcpy(out, "oe", 2), 2;
    if (c >= 0xC0 && c <= 0x17F && latin_base[c - 0xC0]) {
        out[0] = latin_base[c - 0xC0];
        return 1;
    }
    /* Vietnamese letters with two marks (Latin Extended Additional) */
    if (c >= 0x1EA0 && c <= 0x1EF9) {
        out[0] = c <= 0x1EB7   ? 'a'
                 : c <= 0x1EC7 ? 'e'
                 : c <= 0x1ECB ? 'i'
                 : c <= 0x1EE3 ? 'o'
                 : c <= 0x1EF1 ? 'u'
                               : 'y';
        return 1;
    }
    if (c == 0x1A0 || c == 0x1A1)
        return out[0] = 'o', 1;
    if (c == 0x1AF || c == 0x1B0)
        return out[0] = 'u', 1;
    if (c >= 0x410 && c <= 0x42F) /* Cyrillic А..Я */
        c += 0x20;
    else if (c >= 0x400 && c <= 0x40F) /* Ѐ..Џ */
        c += 0x50;
    else if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) /* Greek */
        c += 0x20;
    if (c == 0x451) /* ё → е */
        c = 0x435;
    return utf8_put(c, out);
}

/* Normalised form of s into a malloc'ed string: folded, diacritics gone,
 * '-', '_', '.', ',', '\'', '’' and runs of white space made one space,
 * trimmed. */
static char *normalise(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(2 * n + 8);
    if (!out)
        return NULL;
    size_t w = 0;
    int space = 1; /* drop leading spaces */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = utf8_next(&p);
        int sep = c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.' || c == ',' ||
                  c == '\'' || c == 0x2019 || c == 0x2010 || c == 0x2013 || c == 0xA0;
        if (c >= 0x300 && c <= 0x36F) /* combining diacritics */
            continue;
        if (sep) {
            if (!space)
                out[w++] = ' ';
            space = 1;
            continue;
        }
        space = 0;
        w += fold(c, out + w);
    }
    while (w && out[w - 1] == ' ')
        w--;
    out[w] = 0;
    return out;
}

/* ---- loading ---- */

static int key_cmp(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    if (c)
        return c;
    return x->place < y->place ? -1 : x->place > y->place;
}

void rm_gazetteer_free(rm_gazetteer *g)
{
    if (!g)
        return;
    free(g->places);
    free(g->keys);
    free(g->arena);
    free(g);
}

/* A growable arena; strings are recorded by offset until it stops moving. */
typedef struct arena {
    char *buf;
    size_t len, cap;
} arena;

static long arena_add(arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    if (a->len + n > a->cap) {
        size_t nc = a->cap ? a->cap : 4096;
        while (a->len + n > nc)
            nc *= 2;
        char *nb = realloc(a->buf, nc);
        if (!nb)
            return -1;
        a->buf = nb;
        a->cap = nc;
    }
    memcpy(a->buf + a->len, s, n);
    a->len += n;
    return (long)(a->len - n);
}

/* The world gazetteer beside a places.shp: DIR/world_places.shp (Natural
 * Earth populated places, data/README.md), or NULL when path is no
 * places.shp or there is none. */
static rm_layer *world_layer(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (strcmp(base, "places.shp") != 0 && strcmp(base, "places") != 0)
        return NULL;
    char w[4096];
    int dir = (int)(base - path);
    if (snprintf(w, sizeof w, "%.*sworld_places.shp", dir, path) >= (int)sizeof w)
        return NULL;
    FILE *fp = fopen(w, "rb");
    if (!fp)
        return NULL;
    fclose(fp);
    rm_error e;
    rm_layer *W = rm_layer_load(w, NULL, &e);
    if (W && (rm_layer_geom_type(W) != RM_GEOM_POINT || rm_layer_field_index(W, "NAME") < 0)) {
        rm_layer_free(W);
        W = NULL;
    }
    return W;
}

rm_gazetteer *rm_gazetteer_load(const char *path, rm_error *err)
{
    rm_layer *L = rm_layer_load(path, NULL, err);
    if (!L)
        return NULL;
    /* the places of path first, then the world's (which never shadow them:
     * among places of the same name the first wins) */
    rm_layer *W = rm_layer_geom_type(L) == RM_GEOM_POINT ? world_layer(path) : NULL;
    rm_gazetteer *g = NULL;
    arena A = {0};
    size_t *off = NULL; /* per place: name, aliases, country, kind offsets */
    size_t *koff = NULL, *kplace = NULL;
    size_t nk = 0, kcap = 0;
    if (rm_layer_geom_type(L) != RM_GEOM_POINT) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: a gazetteer needs points, this layer has %s",
                     rm_layer_path(L),
                     rm_layer_geom_type(L) == RM_GEOM_LINE ? "lines" : "polygons");
        goto fail;
    }
    int fname = rm_layer_field_index(L, "NAME"), falias = rm_layer_field_index(L, "ALIASES");
    int fcountry = rm_layer_field_index(L, "COUNTRY"), fkind = rm_layer_field_index(L, "KIND");
    int wname = W ? rm_layer_field_index(W, "NAME") : -1;
    int walias = W ? rm_layer_field_index(W, "ALIASES") : -1;
    int wcountry = W ? rm_layer_field_index(W, "COUNTRY") : -1;
    int wkind = W ? rm_layer_field_index(W, "KIND") : -1;
    if (fname < 0) {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s: no NAME field (a gazetteer needs NAME, ALIASES, "
                     "COUNTRY, KIND)",
                     rm_layer_path(L));
        goto fail;
    }
    size_t n1 = rm_layer_count(L), n = n1 + (W ? rm_layer_count(W) : 0);
    g = calloc(1, sizeof *g);
    off = malloc((n ? n : 1) * 4 * sizeof *off);
    if (!g || !off)
        goto nomem;
    g->places = calloc(n ? n : 1, sizeof *g->places);
    if (!g->places)
        goto nomem;
    if (arena_add(&A, "") < 0)
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        int world = i >= n1;
        const rm_layer *FL = world ? W : L;
        const rm_feature *f = rm_layer_feature(FL, world ? i - n1 : i);
        int fname_i = world ? wname : fname, falias_i = world ? walias : falias;
        int fcountry_i = world ? wcountry : fcountry, fkind_i = world ? wkind : fkind;
        const char *name = rm_feature_attr(f, fname_i);
        if (!*name) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: NAME is empty", rm_layer_path(FL),
                         f->record);
            goto fail;
        }
        double lon = f->xy[0], lat = f->xy[1];
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: %s at %g,%g is not a lon/lat position",
                         rm_layer_path(FL), f->record, name, lon, lat);
            goto fail;
        }
        const char *vals[4] = {name, falias_i >= 0 ? rm_feature_attr(f, falias_i) : "",
                               fcountry_i >= 0 ? rm_feature_attr(f, fcountry_i) : "",
                               fkind_i >= 0 ? rm_feature_attr(f, fkind_i) : ""};
        for (int k = 0; k < 4; k++) {
            long o = arena_add(&A, vals[k]);
            if (o < 0)
                goto nomem;
            off[4 * i + (size_t)k] = (size_t)o;
        }
        g->places[i].lon = lon;
        g->places[i].lat = lat;
        /* keys: the name and each alias */
        const char *al = vals[1];
        const char *start = name;
        size_t len = strlen(name);
        for (int first = 1;; first = 0) {
            char buf[512];
            if (len >= sizeof buf)
                len = sizeof buf - 1;
            memcpy(buf, start, len);
            buf[len] = 0;
            char *nrm = normalise(buf);
            if (!nrm)
                goto nomem;
            if (*nrm) {
                long o = arena_add(&A, nrm);
                free(nrm);
                if (o < 0)
                    goto nomem;
                if (nk == kcap) {
                    kcap = kcap ? 2 * kcap : 256;
                    size_t *a1 = realloc(koff, kcap * sizeof *koff);
                    if (a1)
                        koff = a1;
                    size_t *a2 = realloc(kplace, kcap * sizeof *kplace);
                    if (a2)
                        kplace = a2;
                    if (!a1 || !a2)
                        goto nomem;
                }
                koff[nk] = (size_t)o;
                kplace[nk++] = i;
            } else {
                free(nrm);
            }
            (void)first;
            if (!*al)
                break;
            const char *bar = strchr(al, '|');
            start = al;
            len = bar ? (size_t)(bar - al) : strlen(al);
            al = bar ? bar + 1 : al + len;
        }
    }
    /* the arena has stopped moving: turn offsets into pointers */
    g->arena = A.buf;
    A.buf = NULL;
    g->n = n;
    g->nlocal = n1;
    for (size_t i = 0; i < n; i++) {
        g->places[i].name = g->arena + off[4 * i];
        g->places[i].aliases = g->arena + off[4 * i + 1];
        g->places[i].country = g->arena + off[4 * i + 2];
        g->places[i].kind = g->arena + off[4 * i + 3];
    }
    g->keys = malloc((nk ? nk : 1) * sizeof *g->keys);
    if (!g->keys)
        goto nomem;
    for (size_t k = 0; k < nk; k++) {
        g->keys[k].norm = g->arena + koff[k];
        g->keys[k].place = kplace[k];
    }
    g->nkeys = nk;
    qsort(g->keys, nk, sizeof *g->keys, key_cmp);
    free(off);
    free(koff);
    free(kplace);
    rm_layer_free(L);
    rm_layer_free(W);
    return g;
nomem:
    rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
fail:
    free(A.buf);
    free(off);
    free(koff);
    free(kplace);
    rm_gazetteer_free(g);
    rm_layer_free(L);
    rm_layer_free(W);
    return NULL;
}

size_t rm_gazetteer_count(const rm_gazetteer *g)
{
    return g ? g->n : 0;
}

const rm_place *rm_gazetteer_get(const rm_gazetteer *g, size_t i)
{
    return g && i < g->n ? &g->places[i] : NULL;
}

/* ---- resolving ---- */

/* Parses "lon,lat" (spaces allowed around both numbers). Returns 1 when the
 * query has that shape, 0 when it is not a literal at all. */
static int parse_literal(const char *q, double *lon, double *lat)
{
    const char *p = q;
    while (*p == ' ')
        p++;
    if (!(isdigit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.'))
        return 0;
    char *end;
    errno = 0;
    double a = strtod(p, &end);
    if (end == p)
        return 0;
    p = end;
    while (*p == ' ')
        p++;
    if (*p != ',')
        return 0;
    p++;
    double b = strtod(p, &end);
    if (end == p)
        return 0;
    p = end;
    while (*p == ' ')
        p++;
    if (*p)
        return 0;
    *lon = a;
    *lat = b;
    return 1;
}

/* Levenshtein distance between two byte strings (bounded length). */
static size_t edit_distance(const char *a, const char *b)
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
            size_t best = diag + (a[i - 1] != b[j - 1]);
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

rm_status rm_gazetteer_resolve(const rm_gazetteer *g, const char *query, rm_place *out,
                               rm_error *err)
{
    if (!query || !out)
        return rm_error_set(err, RM_ERR_USAGE, "no place given");
    double lon, lat;
    if (parse_literal(query, &lon, &lat)) {
        if (!isfinite(lon) || lon < -180 || lon > 180)
            return rm_error_set(err, RM_ERR_USAGE,
                                "'%s': longitude %g is outside -180..180 (write lon,lat)", query,
                                lon);
        if (!isfinite(lat) || lat < -90 || lat > 90)
            return rm_error_set(err, RM_ERR_USAGE,
                                "'%s': latitude %g is outside -90..90 (write lon,lat)", query, lat);
        out->name = query;
        out->aliases = "";
        out->country = "";
        out->kind = "";
        out->lon = lon;
        out->lat = lat;
        return RM_OK;
    }
    if (!g || g->n == 0)
        return rm_error_set(err, RM_ERR_NOT_FOUND,
                            "unknown place '%s' (no gazetteer loaded; give lon,lat)", query);
    char *q = normalise(query);
    if (!q)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    if (!*q) {
        free(q);
        return rm_error_set(err, RM_ERR_USAGE, "empty place name");
    }
    /* binary search for the first key equal to q */
    size_t lo = 0, hi = g->nkeys;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->keys[mid].norm, q) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < g->nkeys && strcmp(g->keys[lo].norm, q) == 0) {
        /* a name beats an alias of another place: prefer the place whose
         * normalised NAME is q */
        size_t best = g->keys[lo].place;
        /* the places of the gazetteer file itself before the world's: when
         * one of them matches (keys of one name are in place order, so
         * best is then one of them), the world's are not considered */
        int local = best < g->nlocal;
        for (size_t k = lo; k < g->nkeys && strcmp(g->keys[k].norm, q) == 0; k++) {
            if (local && g->keys[k].place >= g->nlocal)
                break;
            char *nn = normalise(g->places[g->keys[k].place].name);
            int is_name = nn && strcmp(nn, q) == 0;
            free(nn);
            if (is_name) {
                best = g->keys[k].place;
                break;
            }
        }
        *out = g->places[best];
        free(q);
        return RM_OK;
    }
    /* unknown: the three closest names */
    size_t bestk[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, bestd[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};
    for (size_t k = 0; k < g->nkeys; k++) {
        size_t d = edit_distance(q, g->keys[k].norm);
        size_t p = g->keys[k].place;
        int dup = 0;
        for (int j = 0; j < 3; j++)
            if (bestk[j] != SIZE_MAX && g->keys[bestk[j]].place == p) {
                dup = 1;
                if (d < bestd[j]) {
                    bestd[j] = d;
                    bestk[j] = k;
                }
            }
        if (dup)
            continue;
        for (int j = 0; j < 3; j++)
            if (d < bestd[j]) {
                for (int m = 2; m > j; m--) {
                    bestd[m] = bestd[m - 1];
                    bestk[m] = bestk[m - 1];
                }
                bestd[j] = d;
                bestk[j] = k;
                break;
            }
    }
    /* re-sort the three after in-place improvements */
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            if (bestd[b] < bestd[a]) {
                size_t t = bestd[a];
                bestd[a] = bestd[b];
                bestd[b] = t;
                t = bestk[a];
                bestk[a] = bestk[b];
                bestk[b] = t;
            }
    char sugg[600] = "";
    size_t w = 0;
    for (int j = 0; j < 3 && bestk[j] != SIZE_MAX; j++) {
        int r = snprintf(sugg + w, sizeof sugg - w, "%s%s", j ? ", " : "",
                         g->places[g->keys[bestk[j]].place].name);
        if (r < 0 || (size_t)r >= sizeof sugg - w)
            break;
        w += (size_t)r;
    }
    free(q);
    return rm_error_set(err, RM_ERR_NOT_FOUND, "unknown place '%s'; closest: %s (or give lon,lat)",
                        query, sugg);
}

size_t rm_gazetteer_search(const rm_gazetteer *g, const char *query, const rm_place **out,
                           size_t cap)
{
    if (!g || !query)
        return 0;
    char *q = normalise(query);
    if (!q)
        return 0;
    size_t found = 0;
    for (size_t i = 0; i < g->n && found < cap; i++) {
        int hit = 0;
        /* the name, then each alias */
        const rm_place *p = &g->places[i];
        char *nn = normalise(p->name);
        hit = nn && strstr(nn, q) != NULL;
        free(nn);
        if (!hit && *p->aliases) {
            char *na = normalise(p->aliases); /* '|' survives normalisation */
            hit = na && strstr(na, q) != NULL;
            free(na);
        }
        if (hit)
            out[found++] = p;
    }
    free(q);
    return found;
}
