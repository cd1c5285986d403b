/* routemap — PNG metadata chunks (see png_meta.h). */
#include "png_meta.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), bit by bit:
 * only the few small chunks written here need it, and no table means no
 * shared state between threads. */
static uint32_t crc32_png(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Writes a chunk (type, body of n bytes) at out; returns its size. */
static size_t chunk(unsigned char *out, const char *type, const unsigned char *body, size_t n)
{
    put_be32(out, (uint32_t)n);
    memcpy(out + 4, type, 4);
    if (n)
        memcpy(out + 8, body, n);
    put_be32(out + 8 + n, crc32_png(out + 4, n + 4));
    return 12 + n;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80 || ((unsigned char)*s < 0x20 && *s != '\n'))
            return 0;
    return 1;
}

int rm_png_add_meta(unsigned char **data, size_t *len, double dpi, const rm_png_text *text,
                    size_t ntext)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const size_t ihdr_end = 8 + 25;
    if (!data || !*data || *len < ihdr_end || memcmp(*data, sig, 8) ||
        memcmp(*data + 12, "IHDR", 4))
        return -1;
    size_t extra = 12 + 9;
    for (size_t i = 0; i < ntext; i++)
        if (text[i].value && *text[i].value)
            extra += 12 + strlen(text[i].key) + 5 + strlen(text[i].value);
    unsigned char *out = malloc(*len + extra);
    unsigned char *body = malloc(extra);
    if (!out || !body) {
        free(out);
        free(body);
        return -1;
    }
    memcpy(out, *data, ihdr_end);
    size_t w = ihdr_end;
    if (dpi > 0 && isfinite(dpi)) {
        uint32_t ppm = (uint32_t)lround(dpi / 0.0254);
        put_be32(body, ppm);
        put_be32(body + 4, ppm);
        body[8] = 1; /* the unit is the metre */
        w += chunk(out + w, "pHYs", body, 9);
    }
    for (size_t i = 0; i < ntext; i++) {
        const char *k = text[i].key, *v = text[i].value;
        if (!v || !*v)
            continue;
        size_t kn = strlen(k), vn = strlen(v), n = 0;
        memcpy(body, k, kn + 1); /* keyword, NUL */
        n = kn + 1;
        if (is_ascii(v)) {
            memcpy(body + n, v, vn);
            w += chunk(out + w, "tEXt", body, n + vn);
        } else {
            /* iTXt: uncompressed, no language tag, no translated keyword */
            memcpy(body + n, "\0\0\0\0", 4);
            n += 4;
            memcpy(body + n, v, vn);
            w += chunk(out + w, "iTXt", body, n + vn);
        }
    }
    memcpy(out + w, *data + ihdr_end, *len - ihdr_end);
    w += *len - ihdr_end;
    free(body);
    free(*data);
    *data = out;
    *len = w;
    return 0;
}
