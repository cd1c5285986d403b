/* routemap — geodata: shapefile (.shp/.shx/.dbf/.prj/.cpg) → in-memory layer.
 *
 * How it reads a layer, and why:
 * - The .shp is mapped read-only and parsed here, record by record, through
 *   the offsets of the .shx. Every offset, length, part count and point count
 *   is checked against the real length of the file before anything is read or
 *   allocated, so a hostile file cannot make us read outside the mapping or
 *   allocate a huge block. (shapelib's SHPReadObject would read every vertex of
 *   a record before we could look at its bounding box, and it has had memory
 *   safety bugs on such files; the tests use it as the reference reader.)
 * - Pass 1 reads only the 44-byte head of each record (type, bbox, counts) and
 *   drops the records whose bbox misses the filter; for a large file whose
 *   record boxes are cached (recindex.h) it reads them from the cache instead
 *   of the .shp, and pass 2 checks each kept record's head against it; pass 2 copies the vertices
 *   of the kept records into ONE array per layer (and the part starts into one
 *   more), so a layer costs a handful of allocations however many features it
 *   has.
 * - Attributes come from the .dbf, parsed here after its header has been
 *   checked against the file's length (see read_attributes for why not with
 *   shapelib's DBFReadStringAttribute). They are stored as UTF-8 strings in one arena. Text
 *   that is not UTF-8 is converted with iconv from the code page the .cpg
 *   names (1252, 1251, 949, EUC-KR, GBK, Shift-JIS, ISO-8859-N exactly ...;
 *   without a .cpg, the DBF language byte 0x03/0x57 means Windows-1252),
 *   and refused otherwise; an unknown .cpg is an error naming it.
 * - A missing .shx is an error. A missing .dbf is not: the geometry loads and
 *   the layer has no fields (every attribute reads ""). A missing .prj means
 *   lon/lat WGS 84.
 * - Z and M values are dropped. Null shapes (type 0, or no points) are
 *   skipped.
 * - The .prj is checked (a light WKT check, see check_wkt). A geographic CRS
 *   (or no .prj) means the coordinates are lon/lat; any other CRS is handed to
 *   PROJ and the vertices are transformed to lon/lat WGS 84, so that a layer
 *   is always in lon/lat as geodata.h promises.
 */
#include "routemap/geodata.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <proj.h>
#include <shapefil.h>

#include "bigmem.h"
#include "geodata_priv.h"
#include "projmsg.h"
#include "recindex.h"

#define DEFAULT_MAX_FEATURES 10000000L
#define DEFAULT_MAX_VERTICES 200000000L
#define PRJ_MAX (1 << 20)

/* A file opened for reading: descriptor, size, and (for the .shp) its bytes. */
typedef struct rfile {
    int fd;
    size_t size;
} rfile;

static uint32_t be32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t le32u(const unsigned char *p)
{
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

static int32_t le32(const unsigned char *p)
{
    return (int32_t)le32u(p);
}

static double ledbl(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    double d;
    memcpy(&d, p, sizeof d);
    return d;
#else
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
#endif
}

/* Opens path for reading without blocking (a FIFO must not hang us) and
 * insists on a regular file. Returns 0, or -1 with errno-ish detail in err. */
static int rfile_open(rfile *f, const char *path, rm_error *err)
{
    f->fd = -1;
    f->size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        rm_error_set(err, RM_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rm_error_set(err, RM_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        rm_error_set(err, RM_ERR_IO, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    f->fd = fd;
    f->size = (size_t)st.st_size;
    return 0;
}

static void rfile_close(rfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

/* A sliding window over a file read in chunks: records are read in file
 * order, so each byte is read about once per pass, into one small buffer
 * (fresh memory is expensive to touch; see bigmem.h). */
#define WIN_CHUNK (512u * 1024u)
typedef struct win {
    int fd;
    size_t fsize;
    unsigned char *buf;
    size_t cap;
    uint64_t start, len;
} win;

/* Bytes [off, off+n) of the file, valid until the next call; the caller has
 * checked that they lie inside the file. */
static const unsigned char *win_span(win *w, uint64_t off, size_t n, size_t span, const char *path,
                                     rm_error *err)
{
    if (off >= w->start && off + n <= w->start + w->len)
        return w->buf + (off - w->start);
    if (off + n > w->fsize) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: read past the end of the file", path);
        return NULL;
    }
    size_t want = n > span ? n : span;
    if (want > w->fsize - off)
        want = (size_t)(w->fsize - off);
    if (want > w->cap) {
        size_t ncap = want > WIN_CHUNK ? want : WIN_CHUNK;
        unsigned char *nb = realloc(w->buf, ncap);
        if (!nb) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory (%zu bytes)", path, ncap);
            return NULL;
        }
        w->buf = nb;
        w->cap = ncap;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t r = pread(w->fd, w->buf + got, want - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rm_error_set(err, RM_ERR_IO, "%s: read failed: %s", path,
                         r < 0 ? strerror(errno) : "file shrank");
            w->len = 0;
            return NULL;
        }
        got += (size_t)r;
    }
    w->start = off;
    w->len = want;
    return w->buf;
}

/* Bytes [off, off+n) of the file, reading ahead a whole window (records are
 * mostly read in file order). win_span reads ahead only span bytes: when
 * the caller knows that what follows is not wanted. */
static const unsigned char *win_get(win *w, uint64_t off, size_t n, const char *path, rm_error *err)
{
    return win_span(w, off, n, WIN_CHUNK, path, err);
}

/* Reads the whole file into a malloc'ed buffer (for the small .shx/.prj). */
static unsigned char *rfile_slurp(rfile *f, const char *path, rm_error *err)
{
    unsigned char *buf = malloc(f->size + 1);
    if (!buf) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory (%zu bytes)", path, f->size);
        return NULL;
    }
    size_t got = 0;
    while (got < f->size) {
        ssize_t r = pread(f->fd, buf + got, f->size - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            rm_error_set(err, RM_ERR_IO, "%s: read failed: %s", path,
                         r < 0 ? strerror(errno) : "file shrank");
            free(buf);
            return NULL;
        }
        got += (size_t)r;
    }
    buf[f->size] = 0;
    return buf;
}

/* The path of a sibling file: base + ext, trying the lower-case extension,
 * then the upper-case one. Returns a malloc'ed path (existing or not). */
static char *sibling(const char *base, const char *ext_lower)
{
    size_t n = strlen(base), e = strlen(ext_lower);
    char *p = malloc(n + e + 1);
    if (!p)
        return NULL;
    memcpy(p, base, n);
    memcpy(p + n, ext_lower, e + 1);
    if (access(p, F_OK) == 0)
        return p;
    for (size_t i = 0; i < e; i++)
        if (p[n + i] >= 'a' && p[n + i] <= 'z')
            p[n + i] = (char)(p[n + i] - 'a' + 'A');
    if (access(p, F_OK) == 0)
        return p;
    memcpy(p + n, ext_lower, e + 1);
    return p;
}

static rm_geom_type class_of(int t)
{
    switch (t) {
    case SHPT_POINT:
    case SHPT_POINTZ:
    case SHPT_POINTM:
    case SHPT_MULTIPOINT:
    case SHPT_MULTIPOINTZ:
    case SHPT_MULTIPOINTM:
        return RM_GEOM_POINT;
    case SHPT_ARC:
    case SHPT_ARCZ:
    case SHPT_ARCM:
        return RM_GEOM_LINE;
    case SHPT_POLYGON:
    case SHPT_POLYGONZ:
    case SHPT_POLYGONM:
    case SHPT_MULTIPATCH: /* drawn as its footprint: every patch a ring */
        return RM_GEOM_POLYGON;
    default:
        return RM_GEOM_NONE;
    }
}

static int is_single_point(int t)
{
    return t == SHPT_POINT || t == SHPT_POINTZ || t == SHPT_POINTM;
}

static int is_multipatch(int t)
{
    return t == SHPT_MULTIPATCH;
}

static int is_multipoint(int t)
{
    return t == SHPT_MULTIPOINT || t == SHPT_MULTIPOINTZ || t == SHPT_MULTIPOINTM;
}

/* What pass 1 learned about one kept record. */
typedef struct rec_info {
    uint64_t content; /* offset of the record content (after the 8-byte header) */
    uint32_t len;     /* its length in bytes */
    int record;
    int nparts, npoints;
    int clip;     /* its rings are clipped to the filter as they are read */
    int indexed;  /* found through the record index: its head is checked in pass 2 */
    rm_bbox ibox; /* then: the box the index gives (contains the record's) */
    const rm_recidx_chunk *chunks; /* and its chunk boxes, when it is big */
    int nchunks;
    size_t cp_part0;  /* then: its first part in the clipped rings, */
    size_t cp_nparts; /* and how many parts it kept */
} rec_info;

/* The bounding box a record declares (for a point: the point). */
static rm_bbox declared_box(const unsigned char *c, int t)
{
    rm_bbox b;
    if (is_single_point(t)) {
        b.minx = b.maxx = ledbl(c + 4);
        b.miny = b.maxy = ledbl(c + 12);
    } else {
        b.minx = ledbl(c + 4);
        b.miny = ledbl(c + 12);
        b.maxx = ledbl(c + 20);
        b.maxy = ledbl(c + 28);
    }
    return b;
}

/* Reads the head of record i (content at c, len bytes) and fills ri and
 * the declared box. Returns 1 for a shape, 0 for a null shape, -1 on error. */
static int read_head(const char *path, int i, const unsigned char *c, uint32_t len, int hdr_type,
                     rec_info *ri, rm_bbox *box, rm_error *err)
{
    if (len < 4)
        return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: content of %u bytes is too short",
                            path, i, len),
               -1;
    int t = le32(c);
    if (t == SHPT_NULL)
        return 0;
    if (t != hdr_type)
        return rm_error_set(err, RM_ERR_FORMAT,
                            "%s: record %d: shape type %d differs from the header's %d", path, i, t,
                            hdr_type),
               -1;
    ri->record = i;
    if (is_single_point(t)) {
        if (len < 20)
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: point record too short", path,
                                i),
                   -1;
        ri->nparts = 1;
        ri->npoints = 1;
    } else {
        uint32_t need = is_multipoint(t) ? 40 : 44;
        if (len < need)
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: record too short (%u bytes)",
                                path, i, len),
                   -1;
        int32_t np, nv;
        if (is_multipoint(t)) {
            np = 1;
            nv = le32(c + 36);
        } else {
            np = le32(c + 36);
            nv = le32(c + 40);
        }
        if (nv < 0 || np < 0)
            return rm_error_set(err, RM_ERR_FORMAT,
                                "%s: record %d: negative count (%d parts, %d points)", path, i,
                                (int)np, (int)nv),
                   -1;
        if (nv == 0)
            return 0; /* empty shape: treated as null */
        if (np == 0 || np > nv)
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: %d parts for %d points", path,
                                i, (int)np, (int)nv),
                   -1;
        /* a MultiPatch has a part type after each part start */
        uint64_t body = (uint64_t)need +
                        (is_multipoint(t) ? 0 : (is_multipatch(t) ? 8 : 4) * (uint64_t)np) +
                        16 * (uint64_t)nv;
        if (body > len)
            return rm_error_set(err, RM_ERR_FORMAT,
                                "%s: record %d: %d parts and %d points need %llu bytes, the record "
                                "has %u",
                                path, i, (int)np, (int)nv, (unsigned long long)body, len),
                   -1;
        ri->nparts = np;
        ri->npoints = nv;
    }
    *box = declared_box(c, t);
    if (!isfinite(box->minx) || !isfinite(box->miny) || !isfinite(box->maxx) ||
        !isfinite(box->maxy))
        return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: bounding box is not finite", path,
                            i),
               -1;
    if (box->minx > box->maxx || box->miny > box->maxy)
        return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: bounding box is inverted", path, i),
               -1;
    return 1;
}

/* Reads the part starts of a multi-part record (pp: its 4*nparts bytes)
 * into ps (nparts+1 entries) and checks them: from 0, in order, inside the
 * points, each part long enough (a ring 4 points, a line 2). */
static int part_starts(const char *path, const unsigned char *pp, int t, const rec_info *ri,
                       int *ps, rm_error *err)
{
    int i = ri->record;
    for (int j = 0; j < ri->nparts; j++) {
        int32_t s = le32(pp + 4 * j);
        if (j == 0 && s != 0)
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: first part starts at %d, not 0",
                                path, i, (int)s);
        if (s < 0 || s >= ri->npoints)
            return rm_error_set(err, RM_ERR_FORMAT,
                                "%s: record %d: part %d starts at %d, outside the %d points", path,
                                i, j, (int)s, ri->npoints);
        if (j > 0 && s <= ps[j - 1])
            return rm_error_set(err, RM_ERR_FORMAT,
                                "%s: record %d: part starts out of order (%d after %d)", path, i,
                                (int)s, ps[j - 1]);
        ps[j] = s;
    }
    ps[ri->nparts] = ri->npoints;
    rm_geom_type cls = class_of(t);
    int minpts = is_multipatch(t) ? 3 : cls == RM_GEOM_POLYGON ? 4 : 2;
    for (int j = 0; j < ri->nparts; j++) {
        int len = ps[j + 1] - ps[j];
        if (len < minpts)
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: %s %d has %d point%s", path, i,
                                cls == RM_GEOM_POLYGON ? "ring" : "line", j, len,
                                len == 1 ? "" : "s");
    }
    return RM_OK;
}

/* Copies the vertices of one record into xy and its part starts into ps
 * (nparts+1 entries), checking them. */
/* A MultiPatch as footprints: rings, fans and triangles are drawn as the
 * rings their points make; a triangle strip (part type 0) zigzags, so its
 * points are put in the order of its outline (the even points forwards,
 * then the odd ones backwards). types: the part types, after the starts. */
static void multipatch_footprint(const unsigned char *types, int nparts, const int *ps, double *xy)
{
    for (int j = 0; j < nparts; j++) {
        if (le32(types + 4 * (size_t)j) != 0)
            continue;
        int s = ps[j], n = ps[j + 1] - ps[j];
        double *tmp = malloc(2 * (size_t)n * sizeof *tmp);
        if (!tmp)
            continue; /* drawn as it stands */
        int w = 0;
        for (int k = 0; k < n; k += 2, w++)
            memcpy(tmp + 2 * w, xy + 2 * (s + k), 2 * sizeof *tmp);
        for (int k = (n - 1) % 2 ? n - 1 : n - 2; k >= 1; k -= 2, w++)
            memcpy(tmp + 2 * w, xy + 2 * (s + k), 2 * sizeof *tmp);
        memcpy(xy + 2 * s, tmp, 2 * (size_t)n * sizeof *tmp);
        free(tmp);
    }
}

static int read_body(const char *path, const unsigned char *c, int t, const rec_info *ri,
                     double *xy, int *ps, rm_bbox *box, rm_error *err)
{
    int i = ri->record;
    const unsigned char *pts;
    if (is_single_point(t)) {
        pts = c + 4;
        ps[0] = 0;
        ps[1] = 1;
    } else if (is_multipoint(t)) {
        pts = c + 40;
        ps[0] = 0;
        ps[1] = ri->npoints;
    } else {
        const unsigned char *pp = c + 44;
        int r = part_starts(path, pp, t, ri, ps, err);
        if (r != RM_OK)
            return r;
        pts = pp + (is_multipatch(t) ? 8 : 4) * (size_t)ri->nparts;
    }
    rm_bbox b = rm_bbox_empty();
    for (int k = 0; k < ri->npoints; k++) {
        double x = ledbl(pts + 16 * (size_t)k), y = ledbl(pts + 16 * (size_t)k + 8);
        if (!isfinite(x) || !isfinite(y))
            return rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: point %d is not finite", path,
                                i, k);
        xy[2 * k] = x;
        xy[2 * k + 1] = y;
        if (x < b.minx)
            b.minx = x;
        if (x > b.maxx)
            b.maxx = x;
        if (y < b.miny)
            b.miny = y;
        if (y > b.maxy)
            b.maxy = y;
    }
    /* A bbox that lies would make the filter drop or keep the wrong records. */
    rm_bbox d = declared_box(c, t);
    double ex = 1e-7 * (1 + fabs(d.minx) + fabs(d.maxx));
    double ey = 1e-7 * (1 + fabs(d.miny) + fabs(d.maxy));
    if (b.minx < d.minx - ex || b.maxx > d.maxx + ex || b.miny < d.miny - ey ||
        b.maxy > d.maxy + ey)
        return rm_error_set(err, RM_ERR_FORMAT,
                            "%s: record %d: points lie outside the record's bounding box", path, i);
    *box = b;
    if (is_multipatch(t))
        multipatch_footprint(c + 44 + 4 * (size_t)ri->nparts, ri->nparts, ps, xy);
    return RM_OK;
}

/* The edges of box that chunk ch lies beyond (bit 0 left, 1 right, 2 below,
 * 3 above). */
static int chunk_beyond(const rm_recidx_chunk *ch, const rm_bbox *box)
{
    return (ch->maxx < box->minx) | (ch->minx > box->maxx) << 1 | (ch->maxy < box->miny) << 2 |
           (ch->miny > box->maxy) << 3;
}

/* Whether the points [s, e) of an indexed record all lie beyond one edge of
 * box, by the boxes of the chunks that hold them. */
static int ring_beyond(const rec_info *ri, int s, int e, const rm_bbox *box)
{
    int j0 = s / RM_RECIDX_CHUNK, j1 = (e - 1) / RM_RECIDX_CHUNK, m = 15;
    if (j1 >= ri->nchunks)
        return 0;
    for (int j = j0; j <= j1 && m; j++)
        m &= chunk_beyond(&ri->chunks[j], box);
    return m != 0;
}

/* Points read at a time when a ring is streamed through the window. */
#define CLIP_CHUNK 2048

/* Reads the rings of polygon record ri through the window W, with the checks
 * of read_body, and appends each ring clipped to box as a part of out
 * (rm_ring_clip_*: a ring is never held whole). Sets ri's cp_part0 and
 * cp_nparts. */
static int read_clipped(const char *path, win *W, int t, rec_info *ri, const rm_bbox *box,
                        rm_path *out, rm_error *err)
{
    int i = ri->record, np = ri->nparts;
    /* with chunk boxes the reads jump over what lies beyond the box: a
     * shorter window ahead */
    size_t ahead = ri->chunks ? WIN_CHUNK / 8 : WIN_CHUNK;
    const unsigned char *hd = win_span(W, ri->content, 44, ahead, path, err);
    if (!hd)
        return err ? err->status : RM_ERR_IO;
    rm_bbox d = declared_box(hd, t);
    int *ps = malloc(((size_t)np + 1) * sizeof *ps);
    if (!ps)
        return rm_error_set(err, RM_ERR_NOMEM, "%s: record %d: out of memory for %d parts", path, i,
                            np);
    const unsigned char *pp = win_span(W, ri->content + 44, 4 * (size_t)np, ahead, path, err);
    rm_status st = RM_OK;
    if (!pp) {
        st = err ? err->status : RM_ERR_IO;
        goto out;
    }
    st = part_starts(path, pp, t, ri, ps, err);
    if (st != RM_OK)
        goto out;
    uint64_t pts = ri->content + 44 + 4 * (uint64_t)np;
    rm_bbox b = rm_bbox_empty();
    ri->cp_part0 = out->nparts;
    for (int j = 0; j < np; j++) {
        if (ri->chunks && ring_beyond(ri, ps[j], ps[j + 1], box))
            continue; /* all of it beyond one edge: it encloses nothing inside */
        rm_ring_clipper c;
        rm_ring_clip_begin(&c, box, out);
        for (int k = ps[j]; k < ps[j + 1];) {
            int e = ps[j + 1], m = e - k < CLIP_CHUNK ? e - k : CLIP_CHUNK;
            if (ri->chunks) {
                /* a run of the index's chunk size that lies beyond one edge
                 * of the box, its end point in this ring: only its first
                 * point is needed (see recindex.h) */
                int cj = k / RM_RECIDX_CHUNK, lim = (cj + 1) * RM_RECIDX_CHUNK;
                const rm_recidx_chunk *ch = cj < ri->nchunks ? &ri->chunks[cj] : NULL;
                if (ch && k % RM_RECIDX_CHUNK == 0 && lim < e && chunk_beyond(ch, box)) {
                    b.minx = ch->x0 < b.minx ? ch->x0 : b.minx;
                    b.maxx = ch->x0 > b.maxx ? ch->x0 : b.maxx;
                    b.miny = ch->y0 < b.miny ? ch->y0 : b.miny;
                    b.maxy = ch->y0 > b.maxy ? ch->y0 : b.maxy;
                    if (rm_ring_clip_push(&c, ch->x0, ch->y0) != 0) {
                        st = rm_error_set(err, RM_ERR_NOMEM, "%s: record %d: out of memory", path,
                                          i);
                        goto out;
                    }
                    k = lim;
                    continue;
                }
                if (k + m > lim)
                    m = lim - k;
            }
            const unsigned char *q =
                win_span(W, pts + 16 * (uint64_t)k, 16 * (size_t)m, ahead, path, err);
            if (!q) {
                st = err ? err->status : RM_ERR_IO;
                goto out;
            }
            double tmp[2 * CLIP_CHUNK];
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            memcpy(tmp, q, 16 * (size_t)m);
#else
            for (int a = 0; a < 2 * m; a++)
                tmp[a] = ledbl(q + 8 * (size_t)a);
#endif
            for (int a = 0; a < m; a++) {
                double x = tmp[2 * a], y = tmp[2 * a + 1];
                if (!isfinite(x) || !isfinite(y)) {
                    st = rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: point %d is not finite",
                                      path, i, k + a);
                    goto out;
                }
                b.minx = x < b.minx ? x : b.minx;
                b.maxx = x > b.maxx ? x : b.maxx;
                b.miny = y < b.miny ? y : b.miny;
                b.maxy = y > b.maxy ? y : b.maxy;
            }
            if (rm_ring_clip_push_n(&c, tmp, (size_t)m) != 0) {
                st = rm_error_set(err, RM_ERR_NOMEM, "%s: record %d: out of memory", path, i);
                goto out;
            }
            k += m;
        }
        if (rm_ring_clip_end(&c) != 0) {
            st = rm_error_set(err, RM_ERR_NOMEM, "%s: record %d: out of memory", path, i);
            goto out;
        }
    }
    ri->cp_nparts = out->nparts - ri->cp_part0;
    double ex = 1e-7 * (1 + fabs(d.minx) + fabs(d.maxx));
    double ey = 1e-7 * (1 + fabs(d.miny) + fabs(d.maxy));
    if (b.minx < d.minx - ex || b.maxx > d.maxx + ex || b.miny < d.miny - ey ||
        b.maxy > d.maxy + ey)
        st = rm_error_set(err, RM_ERR_FORMAT,
                          "%s: record %d: points lie outside the record's bounding box", path, i);
out:
    free(ps);
    return st;
}

/* The length of the valid UTF-8 in s[0..n) (no overlong forms, no
 * surrogates): n when it is all valid. A sequence cut short by the end of the
 * field (writers truncate text to the field width byte-wise) is not counted,
 * and *cut is set; any other invalid byte gives its offset and *cut = 0. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n, int *cut)
{
    size_t i = 0;
    *cut = 0;
    while (i < n) {
        unsigned c = s[i];
        int m;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF)
            m = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            m = 2;
        else if (c >= 0xF0 && c <= 0xF4)
            m = 3;
        else
            return i;
        unsigned cp = c & (0x3F >> m);
        for (int k = 1; k <= m; k++) {
            if (i + (size_t)k >= n) {
                *cut = 1; /* the field ends inside the sequence */
                return i;
            }
            if ((s[i + (size_t)k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + (size_t)k] & 0x3F);
        }
        if ((m == 2 && cp < 0x800) || (m == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += (size_t)m + 1;
    }
    return n;
}

/* The iconv name of a code page (from the .cpg or the DBF language byte),
 * into out: "" for UTF-8 (nothing to convert), or -1 when it is not one we
 * know (the .cpg's text is quoted in the error). Exact names: 1252 is
 * Windows-1252 (not Latin-1: € – “ ” are in 0x80..0x9f), ISO-8859-15 is not
 * ISO-8859-1. */
static int codepage_charset(const char *cp, char *out, size_t cap)
{
    char u[64];
    size_t n = 0;
    while (*cp == ' ' || *cp == '\t')
        cp++;
    for (; *cp && n + 1 < sizeof u; cp++)
        if (*cp != '\r' && *cp != '\n')
            u[n++] = (char)toupper((unsigned char)*cp);
    while (n && u[n - 1] == ' ')
        n--;
    u[n] = 0;
    const char *q = u;
    if (!strncmp(q, "ANSI ", 5) || !strncmp(q, "WINDOWS-", 8) || !strncmp(q, "CP", 2))
        q += !strncmp(q, "ANSI ", 5) ? 5 : !strncmp(q, "CP", 2) ? 2 : 8;
    if (!strcmp(u, "UTF-8") || !strcmp(u, "UTF8") || !strcmp(q, "65001")) {
        out[0] = 0;
        return 0;
    }
    static const struct {
        const char *name, *charset;
    } named[] = {{"LATIN1", "ISO-8859-1"},
                 {"LDID/87", "CP1252"},
                 {"936", "GBK"},
                 {"GBK", "GBK"},
                 {"GB2312", "GBK"},
                 {"GB18030", "GB18030"},
                 {"EUC-KR", "EUC-KR"},
                 {"EUCKR", "EUC-KR"},
                 {"932", "SHIFT_JIS"},
                 {"SHIFT_JIS", "SHIFT_JIS"},
                 {"SHIFT-JIS", "SHIFT_JIS"},
                 {"SJIS", "SHIFT_JIS"},
                 {"949", "CP949"},
                 {"950", "BIG5"},
                 {"BIG5", "BIG5"},
                 {"KOI8-R", "KOI8-R"},
                 {"KOI8-U", "KOI8-U"}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strcmp(u, named[i].name) || !strcmp(q, named[i].name)) {
            snprintf(out, cap, "%s", named[i].charset);
            return 0;
        }
    /* 1250..1258, 437, 850, 866, 874 ... : Windows and DOS code pages */
    if (*q >= '0' && *q <= '9' && strspn(q, "0123456789") == strlen(q) && strlen(q) <= 5) {
        snprintf(out, cap, "CP%s", q);
        return 0;
    }
    /* ISO-8859-N, ISO8859-N, 8859-N, 8859N, ISO88591 (N exactly) */
    const char *r = u;
    if (!strncmp(r, "ISO", 3))
        r += 3;
    if (*r == '-' || *r == '_' || *r == ' ')
        r++;
    if (!strncmp(r, "8859", 4)) {
        r += 4;
        if (*r == '-' || *r == '_')
            r++;
        int k = atoi(r);
        if (k >= 1 && k <= 16 && strspn(r, "0123456789") == strlen(r)) {
            snprintf(out, cap, "ISO-8859-%d", k);
            return 0;
        }
    }
    return -1;
}

/* Converts len bytes of text in code page cd to UTF-8 at dst (room for
 * 3 * len bytes); the bytes written, or -1 when the text is not valid in
 * that code page. */
static long convert_text(iconv_t cd, const unsigned char *s, size_t len, char *dst)
{
    char *ip = (char *)s, *op = dst;
    size_t il = len, ol = 3 * len + 4;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
        iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
        return -1;
    return (long)(op - dst);
}

/* The DBF (dBASE III) reader. The format is fixed-width text: a 32-byte
 * header (record count, header length, record length, language byte), 32-byte
 * field descriptors ended by 0x0D, then records of one deletion byte and the
 * fields side by side. It is parsed here rather than through shapelib's
 * DBFReadStringAttribute because that reads each record with its own
 * fseek+fread (60 ms of the 100 ms it takes to load the Natural Earth
 * railroads); the header is checked against the file's length first. */
typedef struct dbf_field {
    char name[12];
    char type;
    unsigned width, offset;
} dbf_field;

static int read_attributes(rm_layer *L, const char *dbf_path, const char *cpg_path, rm_error *err)
{
    rfile f;
    if (rfile_open(&f, dbf_path, err) != 0)
        return -1;
    win W = {f.fd, f.size, NULL, 0, 0, 0};
    dbf_field *fields = NULL;
    char *arena = NULL;
    iconv_t cd = (iconv_t)-1;
    int rc = -1;
    const unsigned char *h = f.size >= 32 ? win_get(&W, 0, 32, dbf_path, err) : NULL;
    if (!h) {
        if (f.size < 32)
            rm_error_set(err, RM_ERR_FORMAT, "%s: too short for a DBF header (%zu bytes)", dbf_path,
                         f.size);
        goto out;
    }
    uint32_t nrec = le32u(h + 4);
    unsigned hlen = h[8] | (unsigned)h[9] << 8, rlen = h[10] | (unsigned)h[11] << 8;
    unsigned ldid = h[29];
    if (hlen < 33 || hlen > f.size) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: header length %u does not fit the file (%zu bytes)",
                     dbf_path, hlen, f.size);
        goto out;
    }
    if (rlen < 1) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: record length %u is invalid", dbf_path, rlen);
        goto out;
    }
    if ((uint64_t)hlen + (uint64_t)nrec * rlen > f.size) {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s: %u records of %u bytes after a %u-byte header need more than the %zu "
                     "bytes of the file",
                     dbf_path, nrec, rlen, hlen, f.size);
        goto out;
    }
    const unsigned char *hdr = win_get(&W, 0, hlen, dbf_path, err);
    if (!hdr)
        goto out;
    unsigned nf = 0;
    while (32 + 32 * (nf + 1) <= hlen && hdr[32 + 32 * nf] != 0x0D)
        nf++;
    fields = calloc(nf + 1, sizeof *fields);
    if (!fields) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", dbf_path);
        goto out;
    }
    unsigned pos = 1;
    for (unsigned j = 0; j < nf; j++) {
        const unsigned char *d = hdr + 32 + 32 * j;
        size_t k = 0;
        for (; k < 11 && d[k]; k++) {
            if (d[k] < 0x20 || d[k] >= 0x7F) {
                rm_error_set(err, RM_ERR_FORMAT, "%s: field %u: the name is not ASCII", dbf_path,
                             j);
                goto out;
            }
            fields[j].name[k] = (char)d[k];
        }
        fields[j].name[k] = 0;
        fields[j].type = (char)d[11];
        fields[j].width = d[16];
        if (fields[j].type != 'N' && fields[j].type != 'F')
            fields[j].width |= (unsigned)d[17] << 8; /* as shapelib: long text fields */
        fields[j].offset = pos;
        pos += fields[j].width;
    }
    if (pos != rlen) {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s: the %u field widths add up to %u bytes, the header says %u per record",
                     dbf_path, nf, pos, rlen);
        goto out;
    }
    /* The code page: the .cpg wins over the DBF's language byte. */
    char cpg[64] = "";
    if (cpg_path) {
        rfile cf;
        rm_error e2;
        if (rfile_open(&cf, cpg_path, &e2) == 0) {
            ssize_t r = pread(cf.fd, cpg, sizeof cpg - 1, 0);
            cpg[r > 0 ? r : 0] = 0;
            rfile_close(&cf);
        }
    }
    /* the .cpg names the code page; without one, the language byte says
     * Windows-1252 (0x03, 0x57) or nothing (then the text must be UTF-8) */
    char charset[32] = "";
    if (cpg[0] && codepage_charset(cpg, charset, sizeof charset) != 0) {
        for (char *p = cpg; *p; p++)
            if (*p == '\r' || *p == '\n')
                *p = 0;
        rm_error_set(err, RM_ERR_FORMAT, "%s: unknown code page '%.40s'", cpg_path, cpg);
        goto out;
    }
    if (!cpg[0] && (ldid == 0x03 || ldid == 0x57))
        snprintf(charset, sizeof charset, "CP1252");
    int latin1 = charset[0] != 0; /* text that is not UTF-8 is converted */
    if (latin1) {
        cd = iconv_open("UTF-8", charset);
        if (cd == (iconv_t)-1) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: code page %s is not available (iconv)",
                         cpg_path ? cpg_path : dbf_path, charset);
            goto out;
        }
    }

    L->nfields = (int)nf;
    L->field_names = calloc((size_t)nf + 1, sizeof *L->field_names);
    L->attr_ptrs = calloc(L->n * ((size_t)nf + 1) + 1, sizeof *L->attr_ptrs);
    /* The arena is sized once for the worst case (every byte of every kept
     * record, doubled when Latin-1 text is converted), so it never moves and
     * the attribute pointers can be written as we go; the pages it does not
     * use are never touched. */
    size_t per_rec = (size_t)nf + (latin1 ? 3 * (size_t)rlen + 4 * (size_t)nf : (size_t)rlen);
    size_t cap = 1 + L->n * per_rec, used = 1;
    arena = malloc(cap);
    if (!L->field_names || !L->attr_ptrs || !arena) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", dbf_path);
        goto out;
    }
    for (unsigned j = 0; j < nf; j++) {
        L->field_names[j] = strdup(fields[j].name);
        if (!L->field_names[j]) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", dbf_path);
            goto out;
        }
    }
    arena[0] = 0;
    for (size_t i = 0; i < L->n; i++) {
        int rec = L->feat[i].record;
        const char **row = L->attr_ptrs + i * ((size_t)nf + 1);
        if ((uint32_t)rec >= nrec) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: record %d: missing (the .dbf has %u records)",
                         dbf_path, rec, nrec);
            goto out;
        }
        const unsigned char *R =
            win_get(&W, (uint64_t)hlen + (uint64_t)rec * rlen, rlen, dbf_path, err);
        if (!R)
            goto out;
        for (unsigned j = 0; j < nf; j++) {
            row[j] = arena; /* "" */
            const unsigned char *s = R + fields[j].offset;
            size_t len = fields[j].width;
            while (len && (*s == ' ' || *s == 0))
                s++, len--;
            while (len && (s[len - 1] == ' ' || s[len - 1] == 0))
                len--;
            if (!len)
                continue;
            char t = fields[j].type;
            if (*s == '*' && (t == 'N' || t == 'F'))
                continue; /* a numeric NULL is written as asterisks */
            int ascii = 1;
            for (size_t k = 0; k < len; k++)
                if (s[k] >= 0x80 || s[k] == 0) {
                    ascii = 0;
                    break;
                }
            int convert = 0;
            if (!ascii && !memchr(s, 0, len)) {
                int cut;
                size_t ok = utf8_valid_prefix(s, len, &cut);
                if (ok < len && cut)
                    len = ok; /* drop a character cut in half at the field's end */
                else if (ok < len)
                    convert = 1;
            } else if (!ascii) {
                convert = 1;
            }
            if (convert && !latin1) {
                rm_error_set(err, RM_ERR_FORMAT,
                             "%s: record %d: field %s: text is not UTF-8 (and no .cpg names "
                             "its code page)",
                             dbf_path, rec, fields[j].name);
                goto out;
            }
            char *dst = arena + used;
            size_t w = 0;
            if (convert) {
                long got = convert_text(cd, s, len, dst);
                if (got < 0) {
                    rm_error_set(err, RM_ERR_FORMAT,
                                 "%s: record %d: field %s: text is neither UTF-8 nor valid %s",
                                 dbf_path, rec, fields[j].name, charset);
                    goto out;
                }
                w = (size_t)got;
            } else {
                memcpy(dst, s, len);
                w = len;
            }
            dst[w] = 0;
            row[j] = dst;
            used += w + 1;
        }
        row[nf] = NULL;
        L->feat[i].attrs = row;
    }
    L->arena = arena;
    arena = NULL;
    rc = 0;
out:
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    free(W.buf);
    free(fields);
    free(arena);
    rfile_close(&f);
    return rc;
}

static char *read_prj(const char *prj_path, rm_error *err, int *failed)
{
    rfile f;
    *failed = 0;
    if (access(prj_path, F_OK) != 0)
        return NULL;
    if (rfile_open(&f, prj_path, err) != 0) {
        *failed = 1;
        return NULL;
    }
    if (f.size > PRJ_MAX) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: %zu bytes is too long for a .prj", prj_path, f.size);
        rfile_close(&f);
        *failed = 1;
        return NULL;
    }
    unsigned char *buf = rfile_slurp(&f, prj_path, err);
    rfile_close(&f);
    if (!buf) {
        *failed = 1;
        return NULL;
    }
    if (strlen((char *)buf) != f.size) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: contains a NUL byte: not a text file", prj_path);
        free(buf);
        *failed = 1;
        return NULL;
    }
    size_t n = f.size;
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        buf[--n] = 0;
    if (n == 0) {
        free(buf);
        return NULL;
    }
    return (char *)buf;
}

/* What the .prj says, as far as the loader cares. */
typedef enum crs_kind {
    CRS_NONE,       /* refused (the error is set) */
    CRS_GEOGRAPHIC, /* a geographic CRS: lon/lat, perhaps in other units or on another datum */
    CRS_LONLAT,     /* lon/lat degrees on WGS 84 from Greenwich: used as they stand */
    CRS_OTHER       /* anything else: through PROJ */
} crs_kind;

static int kw_is(const char *s, size_t n, const char *kw)
{
    return strlen(kw) == n && strncasecmp(s, kw, n) == 0;
}

/* A light check of the WKT before anything else reads it: a known CRS
 * keyword first, balanced brackets outside quotes, no more than 32 levels,
 * nothing after the end, and an ellipsoid with a positive semi-major axis
 * and a non-negative inverse flattening. Then plain_wgs84 decides whether
 * PROJ is needed at all. */
static crs_kind check_wkt(const char *prj_path, const char *w, rm_error *err)
{
    const char *p = w;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || (unsigned char)*p == 0xEF ||
           (unsigned char)*p == 0xBB || (unsigned char)*p == 0xBF)
        p++;
    const char *k = p;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_')
        p++;
    size_t kn = (size_t)(p - k);
    crs_kind kind = CRS_OTHER;
    if (kw_is(k, kn, "GEOGCS") || kw_is(k, kn, "GEOGCRS") || kw_is(k, kn, "GEODCRS") ||
        kw_is(k, kn, "GEOGRAPHICCRS") || kw_is(k, kn, "GEODETICCRS"))
        kind = CRS_GEOGRAPHIC;
    else if (!(kw_is(k, kn, "PROJCS") || kw_is(k, kn, "PROJCRS") || kw_is(k, kn, "PROJECTEDCRS") ||
               kw_is(k, kn, "COMPD_CS") || kw_is(k, kn, "COMPOUNDCRS") ||
               kw_is(k, kn, "BOUNDCRS"))) {
        rm_error_set(err, RM_ERR_PROJ,
                     "%s: not a CRS in WKT (it should start with GEOGCS[ or PROJCS[)", prj_path);
        return CRS_NONE;
    }
    if (*p != '[' && *p != '(') {
        rm_error_set(err, RM_ERR_PROJ, "%s: '[' expected after %.*s", prj_path, (int)kn, k);
        return CRS_NONE;
    }
    int depth = 0, quoted = 0;
    const char *end = NULL;
    for (const char *q = p; *q; q++) {
        if (quoted) {
            if (*q == '"')
                quoted = 0;
            continue;
        }
        if (*q == '"')
            quoted = 1;
        else if (*q == '[' || *q == '(') {
            if (++depth > 32) {
                rm_error_set(err, RM_ERR_PROJ, "%s: the WKT is nested more than 32 levels deep",
                             prj_path);
                return CRS_NONE;
            }
        } else if (*q == ']' || *q == ')') {
            if (--depth == 0) {
                end = q + 1;
                break;
            }
        }
    }
    if (!end) {
        rm_error_set(err, RM_ERR_PROJ, "%s: the WKT's brackets%s do not close", prj_path,
                     quoted ? " (or quotes)" : "");
        return CRS_NONE;
    }
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end) {
        rm_error_set(err, RM_ERR_PROJ, "%s: text after the end of the WKT", prj_path);
        return CRS_NONE;
    }
    const char *sph = strstr(w, "SPHEROID[");
    if (!sph)
        sph = strstr(w, "ELLIPSOID[");
    if (sph) {
        const char *q = strchr(sph, '[') + 1;
        if (*q == '"') {
            const char *close = strchr(q + 1, '"');
            q = close ? close + 1 : q;
        }
        while (*q == ',' || *q == ' ')
            q++;
        char *e1;
        double a = strtod(q, &e1);
        q = e1;
        while (*q == ',' || *q == ' ')
            q++;
        char *e2;
        double inv = strtod(q, &e2);
        if (e1 == q || e2 == q || !isfinite(a) || a <= 0 || !isfinite(inv) || inv < 0) {
            rm_error_set(err, RM_ERR_PROJ,
                         "%s: the ellipsoid needs a positive semi-major axis and a non-negative "
                         "inverse flattening",
                         prj_path);
            return CRS_NONE;
        }
    }
    return kind;
}

/* The value after the quoted name of the first KEY["name", in w (e.g. the
 * longitude of PRIMEM["Greenwich",0.0]), and the name into name[cap]. */
static int wkt_named_value(const char *w, const char *key, char *name, size_t cap, double *value)
{
    const char *k = strstr(w, key);
    if (!k)
        return 0;
    const char *q = k + strlen(key);
    if (*q != '"')
        return 0;
    const char *e = strchr(q + 1, '"');
    if (!e)
        return 0;
    size_t n = (size_t)(e - q - 1);
    if (name) {
        if (n >= cap)
            n = cap - 1;
        memcpy(name, q + 1, n);
        name[n] = 0;
    }
    if (value) {
        q = e + 1;
        while (*q == ',' || *q == ' ')
            q++;
        char *end;
        *value = strtod(q, &end);
        if (end == q)
            return 0;
    }
    return 1;
}

/* A geographic WKT 1 CRS whose coordinates are WGS 84 lon/lat degrees from
 * Greenwich as they stand (the .prj of nearly every lon/lat shapefile): no
 * PROJ needed (opening its database costs ~75 ms a layer). Anything else
 * (another datum, prime meridian, unit, axis order, body) goes to PROJ. */
static int plain_wgs84(const char *w)
{
    while (*w == ' ' || *w == '\t' || *w == '\r' || *w == '\n' || (unsigned char)*w >= 0xBB)
        w++;
    if (strncasecmp(w, "GEOGCS[", 7) != 0 || strstr(w, "AXIS[") || strstr(w, "TOWGS84[") ||
        strstr(w, "AUTHORITY[\"IAU"))
        return 0;
    static const char *const datums[] = {"D_WGS_1984", "WGS_1984", "WGS84", "WGS_84",
                                         "World Geodetic System 1984"};
    char datum[80], sph[80];
    double a = 0, pm = 1, unit = 0;
    if (!wkt_named_value(w, "DATUM[", datum, sizeof datum, NULL) ||
        !wkt_named_value(w, "SPHEROID[", sph, sizeof sph, &a) ||
        !wkt_named_value(w, "PRIMEM[", NULL, 0, &pm) ||
        !wkt_named_value(w, "UNIT[", NULL, 0, &unit))
        return 0;
    int known = 0;
    for (size_t i = 0; i < sizeof datums / sizeof datums[0]; i++)
        known |= strcasecmp(datum, datums[i]) == 0;
    return known && a == 6378137.0 && pm == 0 && fabs(unit - M_PI / 180) < 1e-12;
}

/* Lon/lat from a geographic CRS that PROJ knows but cannot find an
 * operation for (PROJ 9 gives up on some old WKT 1 datums, e.g. NTF Paris):
 * its prime meridian and angular unit applied by hand, the datum shift (at
 * most a few hundred metres) left out, as PROJ's own ballpark would. */
static int geographic_by_hand(PJ_CONTEXT *ctx, PJ *src, double *xy, size_t n)
{
    PJ *pmo = proj_get_prime_meridian(ctx, src);
    PJ *cs = proj_crs_get_coordinate_system(ctx, src);
    double pm_lon = 0, pm_unit = 1, unit = 0;
    const char *dir0 = NULL;
    int ok = pmo && cs && proj_prime_meridian_get_parameters(ctx, pmo, &pm_lon, &pm_unit, NULL) &&
             proj_cs_get_axis_count(ctx, cs) >= 2 &&
             proj_cs_get_axis_info(ctx, cs, 0, NULL, NULL, &dir0, &unit, NULL, NULL, NULL) &&
             unit > 0 && isfinite(unit);
    proj_destroy(pmo);
    proj_destroy(cs);
    if (!ok)
        return -1;
    /* a .prj lists longitude first even when the CRS's axis order says
     * otherwise (shapefiles store x = longitude) */
    double k = unit * 180 / M_PI, pm_deg = pm_lon * pm_unit * 180 / M_PI;
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = xy[2 * i] * k + pm_deg;
        xy[2 * i + 1] *= k;
    }
    return 0;
}

/* Transforms every vertex of the layer from the CRS def (what: where it
 * comes from, for messages) to lon/lat WGS 84 with PROJ, then recomputes
 * the bounding boxes. check, when not NULL, is a second definition of the
 * same CRS (the spec's crs beside a .prj) that must be equivalent. */
static int reproject(rm_layer *L, const char *def, const char *what, const char *check,
                     rm_error *err)
{
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx)
        return rm_error_set(err, RM_ERR_NOMEM, "%s: cannot create a PROJ context", what), -1;
    rm_projmsg msg;
    rm_projmsg_attach(ctx, &msg);
    int rc = -1;
    PJ *src = proj_create(ctx, def), *dst = NULL, *op = NULL, *norm = NULL, *chk = NULL;
    if (!src || !proj_is_crs(src)) {
        rm_error_set(err, RM_ERR_PROJ, "%s: PROJ cannot read this CRS (%s)", what,
                     rm_projmsg_text(ctx, &msg, "not a coordinate reference system"));
        goto out;
    }
    const char *body = proj_get_celestial_body_name(ctx, src);
    if (body && strcasecmp(body, "Earth") != 0) {
        rm_error_set(err, RM_ERR_PROJ,
                     "%s: a CRS of %s (\"%s\"), not of the Earth: it cannot be drawn on a map of "
                     "the Earth",
                     what, body, proj_get_name(src) ? proj_get_name(src) : "?");
        goto out;
    }
    if (check) {
        chk = proj_create(ctx, check);
        if (!chk || !proj_is_crs(chk)) {
            rm_error_set(err, RM_ERR_PROJ, "%s: the layer's crs \"%s\": %s", L->path, check,
                         rm_projmsg_text(ctx, &msg, "not a coordinate reference system"));
            goto out;
        }
        if (!proj_is_equivalent_to_with_ctx(ctx, src, chk,
                                            PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS)) {
            rm_error_set(err, RM_ERR_PROJ,
                         "%s: says \"%s\" but the layer's crs is \"%s\" (%s): remove one of them",
                         what, proj_get_name(src) ? proj_get_name(src) : "?", check,
                         proj_get_name(chk) ? proj_get_name(chk) : "?");
            goto out;
        }
    }
    rm_projmsg_clear(&msg);
    dst = proj_create(ctx, "+proj=longlat +datum=WGS84 +no_defs +type=crs");
    op = dst ? proj_create_crs_to_crs_from_pj(ctx, src, dst, NULL, NULL) : NULL;
    norm = op ? proj_normalize_for_visualization(ctx, op) : NULL;
    PJ_TYPE t = proj_get_type(src);
    if (!norm && (t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS) &&
        geographic_by_hand(ctx, src, L->xy, L->nverts) == 0) {
        /* done by hand */
    } else if (!norm) {
        rm_error_set(err, RM_ERR_PROJ, "%s: PROJ cannot transform this CRS to lon/lat (%s)", what,
                     rm_projmsg_text(ctx, &msg, "no transformation found"));
        goto out;
    } else if (L->nverts) {
        proj_trans_generic(norm, PJ_FWD, L->xy, 2 * sizeof(double), L->nverts, L->xy + 1,
                           2 * sizeof(double), L->nverts, NULL, 0, 0, NULL, 0, 0);
    }
    L->bbox = rm_bbox_empty();
    for (size_t i = 0; i < L->n; i++) {
        rm_feature *f = &L->feat[i];
        rm_bbox b = rm_bbox_empty();
        for (int k = 0; k < f->npoints; k++) {
            double x = f->xy[2 * k], y = f->xy[2 * k + 1];
            if (!isfinite(x) || !isfinite(y) || fabs(x) > 1e6 || fabs(y) > 1e6) {
                rm_error_set(err, RM_ERR_PROJ,
                             "%s: record %d: point %d cannot be transformed to lon/lat with %s",
                             L->path, f->record, k, what);
                goto out;
            }
            rm_bbox_add(&b, x, y);
        }
        f->bbox = b;
        rm_bbox_union(&L->bbox, &b);
    }
    rc = 0;
out:
    proj_destroy(norm);
    proj_destroy(op);
    proj_destroy(src);
    proj_destroy(dst);
    proj_destroy(chk);
    proj_context_destroy(ctx);
    return rc;
}

/* The spec's crs as plain WGS 84 lon/lat degrees (no PROJ needed). */
static int crs_is_lonlat(const char *crs)
{
    static const char *const names[] = {"EPSG:4326",
                                        "OGC:CRS84",
                                        "WGS84",
                                        "CRS84",
                                        "+proj=longlat +datum=WGS84 +no_defs",
                                        "+proj=longlat +datum=WGS84"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(crs, names[i]) == 0)
            return 1;
    return 0;
}

/* Lon/lat degrees lie within +-180/+-90 (with a hair of slack for files
 * whose edges were rounded). */
static int box_is_lonlat(const rm_bbox *b)
{
    const double e = 1e-6;
    return b->minx >= -180 - e && b->maxx <= 180 + e && b->miny >= -90 - e && b->maxy <= 90 + e;
}

static void not_lonlat(const char *shp_path, const rm_bbox *b, const char *where, rm_error *err)
{
    rm_error_set(err, RM_ERR_FORMAT,
                 "%s: %s reach x %.6g..%.6g, y %.6g..%.6g: not lon/lat degrees (+-180, +-90), "
                 "and there is no .prj to say what they are: give the layer its CRS with the "
                 "\"crs\" key of the spec (e.g. \"crs\": \"EPSG:32614\") or add a .prj",
                 shp_path, where, b->minx, b->maxx, b->miny, b->maxy);
}

/* The chunk boxes of a big polygon or line record (see recindex.h), read
 * through the window: appended to *ch (growing *cap). 0, or -1 when the
 * record cannot be read or holds a point that is not finite (then no index
 * is written: pass 2 reports the record if it is ever kept). */
static int chunk_boxes(win *W, const char *path, int t, uint64_t content, int nparts, int npoints,
                       rm_recidx_chunk **ch, size_t *n, size_t *cap)
{
    uint64_t pts = content + (is_multipoint(t) ? 40 : 44 + 4 * (uint64_t)nparts);
    int nc = (npoints + RM_RECIDX_CHUNK - 1) / RM_RECIDX_CHUNK;
    if (*n + (size_t)nc > *cap) {
        size_t ncap = (*n + (size_t)nc) * 2;
        rm_recidx_chunk *g = realloc(*ch, ncap * sizeof *g);
        if (!g)
            return -1;
        *ch = g;
        *cap = ncap;
    }
    for (int j = 0; j < nc; j++) {
        int a = j * RM_RECIDX_CHUNK, b = a + RM_RECIDX_CHUNK; /* points a .. b inclusive */
        if (b > npoints - 1)
            b = npoints - 1;
        const unsigned char *q =
            win_get(W, pts + 16 * (uint64_t)a, 16 * (size_t)(b - a + 1), path, NULL);
        if (!q)
            return -1;
        double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
        for (int k = 0; k <= b - a; k++) {
            double x = ledbl(q + 16 * (size_t)k), y = ledbl(q + 16 * (size_t)k + 8);
            if (!isfinite(x) || !isfinite(y))
                return -1;
            minx = x < minx ? x : minx;
            maxx = x > maxx ? x : maxx;
            miny = y < miny ? y : miny;
            maxy = y > maxy ? y : maxy;
        }
        rm_recidx_rec e = rm_recidx_entry(minx, miny, maxx, maxy, 0, 0);
        rm_recidx_chunk *c = &(*ch)[(*n)++];
        c->x0 = ledbl(q);
        c->y0 = ledbl(q + 8);
        c->minx = e.minx;
        c->miny = e.miny;
        c->maxx = e.maxx;
        c->maxy = e.maxy;
    }
    return 0;
}

/* Whether counts from the record index fit a record of len bytes, as
 * read_head would insist: so that a wrong index cannot make pass 2 allocate
 * more than the file holds. */
static int index_counts_fit(int t, const rm_recidx_rec *q, uint64_t len)
{
    if (q->npoints <= 0)
        return q->npoints == 0;
    if (is_single_point(t))
        return q->nparts == 1 && q->npoints == 1 && len >= 20;
    if (q->nparts < 1 || q->nparts > q->npoints)
        return 0;
    uint64_t body = is_multipoint(t) ? 40 + 16 * (uint64_t)q->npoints
                                     : 44 + 4 * (uint64_t)q->nparts + 16 * (uint64_t)q->npoints;
    return body <= len;
}

/* For a record found through the index: reads its head from the .shp
 * (span bytes read ahead from its record header) and checks that it is what
 * the index said. 1 yes, 0 the index is wrong, -1 a read error. */
static int check_indexed(win *W, const char *path, int htype, const rec_info *ri, size_t span,
                         rm_error *err)
{
    uint64_t len = ri->len;
    const unsigned char *R =
        win_span(W, ri->content - 8, 8 + (size_t)(len < 44 ? len : 44), span, path, err);
    if (!R)
        return -1;
    if ((uint64_t)be32(R + 4) * 2 != len)
        return 0;
    rec_info hi;
    rm_bbox hb;
    if (read_head(path, ri->record, R + 8, (uint32_t)len, htype, &hi, &hb, NULL) != 1)
        return 0;
    return hi.nparts == ri->nparts && hi.npoints == ri->npoints && hb.minx >= ri->ibox.minx &&
           hb.miny >= ri->ibox.miny && hb.maxx <= ri->ibox.maxx && hb.maxy <= ri->ibox.maxy;
}

void rm_layer_free(rm_layer *L)
{
    if (!L)
        return;
    free(L->path);
    rm_big_free(L->feat, L->feat_bytes);
    rm_big_free(L->xy, L->xy_bytes);
    rm_big_free(L->parts, L->parts_bytes);
    if (L->field_names)
        for (int j = 0; j < L->nfields; j++)
            free(L->field_names[j]);
    free(L->field_names);
    free(L->attr_ptrs);
    free(L->arena);
    free(L->arena2);
    free(L->prj);
    free(L->warning);
    free(L);
}

/* Loads path (.shp or base name): see the comment at the top of the file.
 * read_index: 0 ignores the record index (it is still written when useful).
 * *stale is set when the index proved wrong (then NULL is returned and the
 * index is gone). */
static rm_layer *load_layer(const char *path, const rm_load_options *opt, int read_index,
                            int *stale, rm_error *err)
{
    if (!path || !*path) {
        rm_error_set(err, RM_ERR_USAGE, "no shapefile path given");
        return NULL;
    }
    long max_feat = opt && opt->max_features > 0 ? opt->max_features : DEFAULT_MAX_FEATURES;
    long max_vert = opt && opt->max_vertices > 0 ? opt->max_vertices : DEFAULT_MAX_VERTICES;
    const rm_bbox *filter = opt ? opt->filter : NULL;

    size_t plen = strlen(path);
    char *base = strdup(path);
    if (!base) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* "x.shp" → base "x"; "x" → base "x" when x.shp exists; any other
     * existing path (a directory, /dev/zero, "x.dat") is read as the .shp
     * itself so that the error names it. */
    const char *shp_given = NULL;
    if (plen > 4 && base[plen - 4] == '.' && strcasecmp(base + plen - 3, "shp") == 0) {
        base[plen - 4] = 0;
    } else {
        char *try_shp = sibling(base, ".shp");
        int exists = try_shp && access(try_shp, F_OK) == 0;
        free(try_shp);
        if (!exists && access(path, F_OK) == 0) {
            shp_given = path;
            char *dot = strrchr(base, '.'), *slash = strrchr(base, '/');
            if (dot && (!slash || dot > slash))
                *dot = 0;
        }
    }

    rm_layer *L = calloc(1, sizeof *L);
    char *shp_path = shp_given ? strdup(shp_given) : sibling(base, ".shp"),
         *shx_path = sibling(base, ".shx");
    char *dbf_path = sibling(base, ".dbf"), *cpg_path = sibling(base, ".cpg");
    char *prj_path = sibling(base, ".prj");
    rfile shp = {-1, 0}, shx = {-1, 0};
    win W = {-1, 0, NULL, 0, 0, 0};
    unsigned char *sx = NULL;
    rec_info *keep = NULL;
    rm_path cp; /* the rings of clipped records */
    rm_path_init(&cp);
    rm_recidx ridx = {NULL, 0, NULL, 0, NULL, 0, NULL, 0};
    rm_recidx_rec *build = NULL; /* the record index being made */
    size_t build_bytes = 0;
    rm_recidx_big *bigs = NULL; /* its big records, and their chunks */
    size_t nbigs = 0, bigcap = 0;
    int ok = 0;
    if (!L || !shp_path || !shx_path || !dbf_path || !cpg_path || !prj_path) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        goto done;
    }
    L->path = strdup(shp_path);
    if (!L->path) {
        rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        goto done;
    }
    L->bbox = rm_bbox_empty();

    /* --- the .shp header --- */
    if (rfile_open(&shp, shp_path, err) != 0)
        goto done;
    if (shp.size < 100) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: %zu bytes is too short for a shapefile header",
                     shp_path, shp.size);
        goto done;
    }
    if (shp.size > 0xFFFFFFFFu * 2ull) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: larger than a shapefile can be", shp_path);
        goto done;
    }
    W.fd = shp.fd;
    W.fsize = shp.size;
    const unsigned char *S = win_get(&W, 0, 100, shp_path, err);
    if (!S)
        goto done;
    if (be32(S) != 9994 || le32(S + 28) != 1000) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: not a shapefile (bad magic or version)", shp_path);
        goto done;
    }
    uint64_t hdr_len = (uint64_t)be32(S + 24) * 2;
    if (hdr_len != shp.size) {
        rm_error_set(err, RM_ERR_FORMAT,
                     "%s: header says %llu bytes, the file has %zu (truncated or padded)", shp_path,
                     (unsigned long long)hdr_len, shp.size);
        goto done;
    }
    int htype = le32(S + 32);
    if (htype != SHPT_NULL && class_of(htype) == RM_GEOM_NONE) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: unsupported shape type %d", shp_path, htype);
        goto done;
    }
    L->shp_type = htype;
    L->type = class_of(htype);
    rm_bbox hdr_box = {ledbl(S + 36), ledbl(S + 44), ledbl(S + 52), ledbl(S + 60)};

    /* --- the .shx --- */
    if (access(shx_path, F_OK) != 0) {
        rm_error_set(err, RM_ERR_IO, "%s: missing (the .shx index is needed to read %s)", shx_path,
                     shp_path);
        goto done;
    }
    if (rfile_open(&shx, shx_path, err) != 0)
        goto done;
    if (shx.size < 100 || (shx.size - 100) % 8 != 0) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: %zu bytes is not a valid index length", shx_path,
                     shx.size);
        goto done;
    }
    if (shx.size > 100 + 8ull * (uint64_t)INT32_MAX) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: too many records", shx_path);
        goto done;
    }
    sx = rfile_slurp(&shx, shx_path, err);
    if (!sx)
        goto done;
    if (be32(sx) != 9994 || le32(sx + 28) != 1000) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: not a shapefile index (bad magic or version)",
                     shx_path);
        goto done;
    }
    if ((uint64_t)be32(sx + 24) * 2 != shx.size) {
        /* unambiguous: the index is 100 bytes and whole 8-byte entries, each
         * checked against the .shp below; shapelib and GDAL read it so */
        char w[4400];
        snprintf(w, sizeof w,
                 "%s: the header says %llu bytes, the file has %zu: its %zu records were read",
                 shx_path, (unsigned long long)be32(sx + 24) * 2, shx.size, (shx.size - 100) / 8);
        free(L->warning);
        L->warning = strdup(w);
    }
    if (le32(sx + 32) != htype) {
        rm_error_set(err, RM_ERR_FORMAT, "%s: shape type %d differs from the .shp's %d", shx_path,
                     le32(sx + 32), htype);
        goto done;
    }
    size_t nrec = (shx.size - 100) / 8;

    /* --- the CRS: a layer in any other CRS than WGS 84 lon/lat is loaded
     * whole, moved to lon/lat, and filtered afterwards (its record boxes are
     * not in lon/lat) --- */
    int prj_failed = 0;
    const char *spec_crs = opt && opt->crs && *opt->crs ? opt->crs : NULL;
    L->prj = read_prj(prj_path, err, &prj_failed);
    if (prj_failed)
        goto done;
    crs_kind crs = CRS_LONLAT;
    if (L->prj) {
        crs = check_wkt(prj_path, L->prj, err);
        if (crs == CRS_NONE)
            goto done;
        if (crs == CRS_GEOGRAPHIC && plain_wgs84(L->prj) && (!spec_crs || crs_is_lonlat(spec_crs)))
            crs = CRS_LONLAT;
        else
            crs = CRS_OTHER;
    } else if (spec_crs && !crs_is_lonlat(spec_crs)) {
        crs = CRS_OTHER;
    }
    /* lon/lat by default (no .prj, no crs): coordinates beyond +-180/+-90
     * are metres or feet of some projection that nothing names */
    int implicit = !L->prj && !spec_crs;
    if (implicit && nrec > 0 && isfinite(hdr_box.minx) && isfinite(hdr_box.maxx) &&
        isfinite(hdr_box.miny) && isfinite(hdr_box.maxy) && !box_is_lonlat(&hdr_box)) {
        not_lonlat(shp_path, &hdr_box, "the header's coordinates", err);
        goto done;
    }
    const rm_bbox *lonlat_filter = filter;
    if (crs == CRS_OTHER)
        filter = NULL;

    /* --- pass 1: record heads --- */
    size_t nkeep = 0, keepcap = nrec < 4096 ? (nrec ? nrec : 1) : 4096;
    keep = malloc(keepcap * sizeof *keep);
    if (!keep) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory for %zu records", shp_path, nrec);
        goto done;
    }
    uint64_t tot_pts = 0, prev_end = 100, plain_pts = 0, plain_parts = 0;
    int clip = opt && opt->clip && filter && L->type == RM_GEOM_POLYGON && !is_multipatch(htype);
    /* the record index: read when there is a filter to apply, written after
     * a whole first pass when there is none yet */
    int want_index = !(opt && opt->no_cache) && crs != CRS_OTHER && !is_multipatch(htype) &&
                     (nrec >= RM_RECIDX_MIN_RECORDS || shp.size >= RM_RECIDX_MIN_BYTES);
    if (want_index && read_index && filter &&
        rm_recidx_load(shp_path, shp.fd, shx.fd, nrec, htype, &ridx) == 0)
        L->used_index = 1;
    if (want_index && filter && !L->used_index) {
        build_bytes = nrec * sizeof *build;
        build = rm_big_alloc(build_bytes);
    }
    for (size_t i = 0; i < nrec; i++) {
        uint64_t off = (uint64_t)be32(sx + 100 + 8 * i) * 2;
        uint64_t len = (uint64_t)be32(sx + 104 + 8 * i) * 2;
        if (off < 100 || off + 8 + len > shp.size) {
            rm_error_set(err, RM_ERR_FORMAT,
                         "%s: record %zu: offset %llu + length %llu lies past the end of the file "
                         "(%zu bytes)",
                         shp_path, i, (unsigned long long)off, (unsigned long long)len, shp.size);
            goto done;
        }
        if (off < prev_end) {
            rm_error_set(err, RM_ERR_FORMAT, "%s: record %zu: overlaps the previous record",
                         shp_path, i);
            goto done;
        }
        prev_end = off + 8 + len;
        rec_info ri;
        rm_bbox rbox;
        if (L->used_index) {
            const rm_recidx_rec *q = &ridx.rec[i];
            if (!index_counts_fit(htype, q, len)) {
                *stale = 1;
                goto done;
            }
            rbox.minx = q->minx;
            rbox.miny = q->miny;
            rbox.maxx = q->maxx;
            rbox.maxy = q->maxy;
            if (q->npoints == 0 || (filter && !rm_bbox_intersects(&rbox, filter))) {
                /* skipped on the entry's word: its head is checked against
                 * the .shp, so an entry that lies (a record in the view said
                 * to be beyond it, or null) cannot drop a feature */
                const unsigned char *R =
                    win_get(&W, off, 8 + (size_t)(len < 44 ? len : 44), shp_path, err);
                if (!R)
                    goto done;
                rec_info hi;
                rm_bbox hb;
                rm_error e2;
                int r = read_head(shp_path, (int)i, R + 8, (uint32_t)len, htype, &hi, &hb, &e2);
                if (r < 0 || (r == 0) != (q->npoints == 0) ||
                    (r &&
                     (hi.nparts != q->nparts || hi.npoints != q->npoints || hb.minx < q->minx ||
                      hb.miny < q->miny || hb.maxx > q->maxx || hb.maxy > q->maxy))) {
                    *stale = 1;
                    goto done;
                }
                continue;
            }
            ri.record = (int)i;
            ri.nparts = q->nparts;
            ri.npoints = q->npoints;
            ri.indexed = 1;
            ri.ibox = rbox;
            ri.chunks =
                q->npoints >= RM_RECIDX_BIG ? rm_recidx_chunks(&ridx, (int)i, &ri.nchunks) : NULL;
            if (!ri.chunks)
                ri.nchunks = 0;
        } else {
            const unsigned char *R =
                win_get(&W, off, 8 + (size_t)(len < 44 ? len : 44), shp_path, err);
            if (!R)
                goto done;
            if ((uint64_t)be32(R + 4) * 2 != len) {
                rm_error_set(err, RM_ERR_FORMAT,
                             "%s: record %zu: the .shp says %llu bytes, the .shx says %llu",
                             shp_path, i, (unsigned long long)be32(R + 4) * 2,
                             (unsigned long long)len);
                goto done;
            }
            int r = read_head(shp_path, (int)i, R + 8, (uint32_t)len, htype, &ri, &rbox, err);
            if (r < 0)
                goto done;
            if (build)
                build[i] = r ? rm_recidx_entry(rbox.minx, rbox.miny, rbox.maxx, rbox.maxy,
                                               ri.nparts, ri.npoints)
                             : rm_recidx_entry(0, 0, 0, 0, 0, 0);
            if (build && r && ri.npoints >= RM_RECIDX_BIG && !is_single_point(htype)) {
                if (nbigs == bigcap) {
                    size_t ncap = bigcap ? 2 * bigcap : 16;
                    rm_recidx_big *g = realloc(bigs, ncap * sizeof *g);
                    if (!g) {
                        rm_big_free(build, build_bytes);
                        build = NULL;
                    } else {
                        bigs = g;
                        bigcap = ncap;
                    }
                }
                if (build)
                    bigs[nbigs++] = (rm_recidx_big){(int32_t)i, ri.nparts, off + 8};
            }
            if (r == 0)
                continue;
            ri.indexed = 0;
            ri.chunks = NULL;
            ri.nchunks = 0;
        }
        if (implicit && !box_is_lonlat(&rbox)) {
            char where[48];
            snprintf(where, sizeof where, "record %zu's coordinates", i);
            not_lonlat(shp_path, &rbox, where, err);
            goto done;
        }
        if (filter && !rm_bbox_intersects(&rbox, filter))
            continue;
        ri.content = off + 8;
        ri.len = (uint32_t)len;
        ri.clip = clip && !(rbox.minx >= filter->minx && rbox.maxx <= filter->maxx &&
                            rbox.miny >= filter->miny && rbox.maxy <= filter->maxy);
        ri.cp_part0 = ri.cp_nparts = 0;
        if (nkeep == keepcap) {
            rec_info *nk = realloc(keep, 2 * keepcap * sizeof *keep);
            if (!nk) {
                rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory for %zu records", shp_path,
                             nrec);
                goto done;
            }
            keep = nk;
            keepcap *= 2;
        }
        keep[nkeep++] = ri;
        tot_pts += (uint64_t)ri.npoints;
        if (!ri.clip) {
            plain_pts += (uint64_t)ri.npoints;
            plain_parts += (uint64_t)ri.nparts + 1;
        }
        if ((long)nkeep > max_feat) {
            rm_error_set(err, RM_ERR_LIMIT, "%s: more than %ld features (the cap)", shp_path,
                         max_feat);
            goto done;
        }
        if (tot_pts > (uint64_t)max_vert) {
            rm_error_set(err, RM_ERR_LIMIT, "%s: more than %ld vertices (the cap)", shp_path,
                         max_vert);
            goto done;
        }
    }

    if (build) {
        /* the chunk boxes of the big records: bigs[b] holds (record, nparts,
         * content offset) until it is turned into (record, nchunks, first) */
        rm_recidx_chunk *ch = NULL;
        size_t nch = 0, chcap = 0;
        int ok_chunks = 1;
        for (size_t b = 0; ok_chunks && b < nbigs; b++) {
            int rec = bigs[b].record, np = bigs[b].nchunks;
            size_t first = nch;
            ok_chunks = chunk_boxes(&W, shp_path, htype, bigs[b].first, np, build[rec].npoints, &ch,
                                    &nch, &chcap) == 0;
            bigs[b].nchunks = (int32_t)(nch - first);
            bigs[b].first = first;
        }
        if (ok_chunks) {
            rm_recidx made = {build, nrec, bigs, nbigs, ch, nch, NULL, 0};
            rm_recidx_save(shp_path, shp.fd, shx.fd, htype, &made);
        }
        free(ch);
        rm_big_free(build, build_bytes);
        build = NULL;
    }

    /* --- pass 2a: the records to clip, streamed through the clipper --- */
    uint64_t cp_feats = 0;
    for (size_t k = 0; k < nkeep; k++) {
        if (!keep[k].clip)
            continue;
        if (keep[k].indexed) {
            int c = check_indexed(&W, shp_path, htype, &keep[k], 52, err);
            if (c < 0)
                goto done;
            if (c == 0) {
                *stale = 1;
                goto done;
            }
        }
        if (read_clipped(shp_path, &W, htype, &keep[k], filter, &cp, err) != RM_OK)
            goto done;
        if (keep[k].cp_nparts)
            cp_feats++;
    }

    /* --- pass 2b: vertices, into one array per layer --- */
    uint64_t all_pts = plain_pts + cp.n, all_parts = plain_parts + cp.nparts + cp_feats;
    L->feat_bytes = (nkeep ? nkeep : 1) * sizeof *L->feat;
    L->xy_bytes = (size_t)(all_pts ? all_pts : 1) * 2 * sizeof *L->xy;
    L->parts_bytes = (size_t)(all_parts ? all_parts : 1) * sizeof *L->parts;
    L->feat = rm_big_alloc(L->feat_bytes);
    L->xy = rm_big_alloc(L->xy_bytes);
    L->parts = rm_big_alloc(L->parts_bytes);
    if (!L->feat || !L->xy || !L->parts) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory for %llu vertices", shp_path,
                     (unsigned long long)all_pts);
        goto done;
    }
    size_t vp = 0, pp = 0, nf = 0;
    for (size_t k = 0; k < nkeep; k++) {
        const rec_info *ri = &keep[k];
        rm_feature *f = &L->feat[nf];
        if (ri->clip) {
            if (!ri->cp_nparts)
                continue; /* nothing of it inside the filter */
            double *xy = L->xy + 2 * vp;
            int *ps = L->parts + pp;
            size_t m = 0;
            f->bbox = rm_bbox_empty();
            for (size_t j = 0; j < ri->cp_nparts; j++) {
                size_t p = ri->cp_part0 + j, len = rm_path_part_len(&cp, p);
                const double *src = cp.xy + 2 * cp.parts[p];
                ps[j] = (int)m;
                memcpy(xy + 2 * m, src, 2 * len * sizeof *xy);
                for (size_t a = 0; a < len; a++)
                    rm_bbox_add(&f->bbox, src[2 * a], src[2 * a + 1]);
                m += len;
            }
            ps[ri->cp_nparts] = (int)m;
            f->nparts = (int)ri->cp_nparts;
            f->npoints = (int)m;
        } else {
            /* read ahead only as far as the kept records that follow reach
             * within one window: a sparse selection must not read the file
             * a second time */
            uint64_t end = ri->content + ri->len;
            if (ri->content < W.start || end > W.start + W.len)
                for (size_t j = k + 1;
                     j < nkeep && keep[j].content + keep[j].len - ri->content <= WIN_CHUNK; j++)
                    end = keep[j].content + keep[j].len;
            if (ri->indexed) {
                int c =
                    check_indexed(&W, shp_path, htype, ri, (size_t)(end - ri->content + 8), err);
                if (c < 0)
                    goto done;
                if (c == 0) {
                    *stale = 1;
                    goto done;
                }
            }
            const unsigned char *C =
                win_span(&W, ri->content, ri->len, (size_t)(end - ri->content), shp_path, err);
            if (!C || read_body(shp_path, C, htype, ri, L->xy + 2 * vp, L->parts + pp, &f->bbox,
                                err) != RM_OK)
                goto done;
            f->nparts = ri->nparts;
            f->npoints = ri->npoints;
        }
        f->record = ri->record;
        f->xy = L->xy + 2 * vp;
        f->part_start = L->parts + pp;
        f->attrs = NULL;
        rm_bbox_union(&L->bbox, &f->bbox);
        vp += (size_t)f->npoints;
        pp += (size_t)f->nparts + 1;
        nf++;
    }
    L->n = nf;
    L->nverts = vp;

    if (crs == CRS_OTHER) {
        char what[4300];
        if (L->prj)
            snprintf(what, sizeof what, "%s", prj_path);
        else
            snprintf(what, sizeof what, "%s: the layer's crs \"%.200s\"", shp_path, spec_crs);
        if (reproject(L, L->prj ? L->prj : spec_crs, what, L->prj ? spec_crs : NULL, err) != 0)
            goto done;
        if (lonlat_filter) {
            size_t w = 0;
            L->bbox = rm_bbox_empty();
            L->nverts = 0;
            for (size_t i = 0; i < L->n; i++)
                if (rm_bbox_intersects(&L->feat[i].bbox, lonlat_filter)) {
                    L->feat[w++] = L->feat[i];
                    rm_bbox_union(&L->bbox, &L->feat[i].bbox);
                    L->nverts += (size_t)L->feat[i].npoints;
                }
            L->n = w;
        }
    }

    /* --- attributes --- */
    if (!(opt && opt->skip_attributes) && access(dbf_path, F_OK) == 0) {
        if (read_attributes(L, dbf_path, access(cpg_path, F_OK) == 0 ? cpg_path : NULL, err) != 0)
            goto done;
    }
    ok = 1;
done:
    rm_path_free(&cp);
    rm_recidx_free(&ridx);
    if (build)
        rm_big_free(build, build_bytes);
    free(bigs);
    if (*stale)
        rm_recidx_drop(shp_path);
    free(sx);
    free(keep);
    free(W.buf);
    rfile_close(&shp);
    rfile_close(&shx);
    free(base);
    free(shp_path);
    free(shx_path);
    free(dbf_path);
    free(cpg_path);
    free(prj_path);
    if (!ok) {
        rm_layer_free(L);
        return NULL;
    }
    return L;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

static rm_layer *load_once(const char *path, const rm_load_options *opt, rm_error *err)
{
    if (path && (has_ext(path, ".geojson") || has_ext(path, ".json")))
        return rm_layer_load_geojson(path, opt, err);
    if (path && has_ext(path, ".csv"))
        return rm_layer_load_csv(path, opt, err);
    int stale = 0;
    rm_layer *L = load_layer(path, opt, 1, &stale, err);
    if (!L && stale) { /* the index was wrong and is gone: from the .shp alone */
        stale = 0;
        L = load_layer(path, opt, 0, &stale, err);
    }
    return L;
}

/* Appends the features of B to A, their longitudes moved by shift degrees
 * (the far side of a box across the antimeridian). B is freed either way.
 * Returns 0, or -1 out of memory (A unchanged). */
static int append_shifted(rm_layer *A, rm_layer *B, double shift)
{
    size_t n = A->n + B->n, npts = 0, nparts = 0;
    for (int k = 0; k < 2; k++) {
        const rm_layer *L = k ? B : A;
        for (size_t i = 0; i < L->n; i++) {
            npts += (size_t)L->feat[i].npoints;
            nparts += (size_t)L->feat[i].nparts + 1;
        }
    }
    size_t fb = (n ? n : 1) * sizeof(rm_feature), xb = (npts ? npts : 1) * 2 * sizeof(double),
           pb = (nparts ? nparts : 1) * sizeof(int);
    rm_feature *feat = rm_big_alloc(fb);
    double *xy = rm_big_alloc(xb);
    int *parts = rm_big_alloc(pb);
    int nf = A->nfields;
    int with_attrs = A->attr_ptrs && B->attr_ptrs && B->nfields == nf;
    const char **rows = with_attrs ? calloc(n * ((size_t)nf + 1) + 1, sizeof *rows) : NULL;
    if (!feat || !xy || !parts || (with_attrs && !rows)) {
        rm_big_free(feat, fb);
        rm_big_free(xy, xb);
        rm_big_free(parts, pb);
        free(rows);
        rm_layer_free(B);
        return -1;
    }
    size_t vp = 0, pp = 0, w = 0;
    rm_bbox box = rm_bbox_empty();
    for (int k = 0; k < 2; k++) {
        const rm_layer *L = k ? B : A;
        double dx = k ? shift : 0;
        for (size_t i = 0; i < L->n; i++, w++) {
            rm_feature f = L->feat[i];
            for (int j = 0; j < f.npoints; j++) {
                xy[2 * (vp + (size_t)j)] = f.xy[2 * j] + dx;
                xy[2 * (vp + (size_t)j) + 1] = f.xy[2 * j + 1];
            }
            memcpy(parts + pp, f.part_start, ((size_t)f.nparts + 1) * sizeof *parts);
            f.xy = xy + 2 * vp;
            f.part_start = parts + pp;
            f.bbox.minx += dx;
            f.bbox.maxx += dx;
            if (rows) {
                const char **row = rows + w * ((size_t)nf + 1);
                if (f.attrs)
                    memcpy(row, f.attrs, ((size_t)nf + 1) * sizeof *row);
                f.attrs = f.attrs ? row : NULL;
            } else {
                f.attrs = NULL;
            }
            feat[w] = f;
            rm_bbox_union(&box, &f.bbox);
            vp += (size_t)f.npoints;
            pp += (size_t)f.nparts + 1;
        }
    }
    rm_big_free(A->feat, A->feat_bytes);
    rm_big_free(A->xy, A->xy_bytes);
    rm_big_free(A->parts, A->parts_bytes);
    A->feat = feat, A->feat_bytes = fb;
    A->xy = xy, A->xy_bytes = xb;
    A->parts = parts, A->parts_bytes = pb;
    A->n = n;
    A->nverts = vp;
    A->bbox = box;
    A->used_index = A->used_index || B->used_index;
    if (with_attrs) {
        free(A->attr_ptrs);
        A->attr_ptrs = rows;
        A->arena2 = B->arena; /* B's rows point into it */
        B->arena = NULL;
    } else if (A->attr_ptrs) {
        /* B had no attributes (cannot happen for one file): none at all */
        free(A->attr_ptrs);
        A->attr_ptrs = NULL;
    }
    rm_layer_free(B);
    return 0;
}

rm_layer *rm_layer_load(const char *path, const rm_load_options *opt, rm_error *err)
{
    const rm_bbox *f = opt ? opt->filter : NULL;
    if (!f || (f->minx >= -180 && f->maxx <= 180) || !(f->maxx - f->minx < 360))
        return load_once(path, opt, err);
    /* a box across the antimeridian (geom.h): the part in -180 .. 180 as it
     * is, and the part past it from the other end of the file's longitudes,
     * moved by 360 degrees so that the layer is continuous in the box's
     * longitudes; polygons are clipped to each part, so land stays land */
    double shift = f->maxx > 180 ? 360 : -360;
    rm_bbox near = *f, far = *f;
    if (shift > 0) {
        near.maxx = 180;
        far.minx = -180, far.maxx = f->maxx - 360;
    } else {
        near.minx = -180;
        far.minx = f->minx + 360, far.maxx = 180;
    }
    rm_load_options o = *opt;
    o.filter = &near;
    rm_layer *A = load_once(path, &o, err);
    if (!A)
        return NULL;
    o.filter = &far;
    rm_layer *B = load_once(path, &o, err);
    if (!B) {
        rm_layer_free(A);
        return NULL;
    }
    if (append_shifted(A, B, shift) != 0) {
        rm_layer_free(A);
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        return NULL;
    }
    return A;
}

int rm_layer_used_index(const rm_layer *L)
{
    return L ? L->used_index : 0;
}

const char *rm_layer_path(const rm_layer *L)
{
    return L ? L->path : "";
}

rm_geom_type rm_layer_geom_type(const rm_layer *L)
{
    return L ? L->type : RM_GEOM_NONE;
}

size_t rm_layer_count(const rm_layer *L)
{
    return L ? L->n : 0;
}

const rm_feature *rm_layer_feature(const rm_layer *L, size_t i)
{
    return L && i < L->n ? &L->feat[i] : NULL;
}

rm_bbox rm_layer_bbox(const rm_layer *L)
{
    return L ? L->bbox : rm_bbox_empty();
}

size_t rm_layer_vertex_count(const rm_layer *L)
{
    return L ? L->nverts : 0;
}

int rm_layer_field_count(const rm_layer *L)
{
    return L ? L->nfields : 0;
}

const char *rm_layer_field_name(const rm_layer *L, int i)
{
    return L && i >= 0 && i < L->nfields ? L->field_names[i] : NULL;
}

int rm_layer_field_index(const rm_layer *L, const char *name)
{
    if (!L || !name)
        return -1;
    for (int j = 0; j < L->nfields; j++)
        if (strcasecmp(L->field_names[j], name) == 0)
            return j;
    return -1;
}

/* Attribute rows are NULL-terminated, so an index past the last field is
 * caught without knowing the layer. */
const char *rm_feature_attr(const rm_feature *f, int field)
{
    if (!f || !f->attrs || field < 0)
        return "";
    for (int j = 0; j < field; j++)
        if (!f->attrs[j])
            return "";
    return f->attrs[field] ? f->attrs[field] : "";
}

const char *rm_layer_warning(const rm_layer *L)
{
    return L ? L->warning : NULL;
}

const char *rm_layer_crs_wkt(const rm_layer *L)
{
    return L ? L->prj : NULL;
}

/* ---- layers from text formats (geodata_text.c reads them into a draft) ---- */

void rm_layer_draft_init(rm_layer_draft *d)
{
    memset(d, 0, sizeof *d);
    rm_path_init(&d->geo);
}

void rm_layer_draft_free(rm_layer_draft *d)
{
    rm_path_free(&d->geo);
    free(d->f);
    for (int j = 0; j < d->nfields; j++)
        free(d->names[j]);
    free(d->names);
    for (size_t i = 0; i < d->nrows * (size_t)d->nfields; i++)
        free(d->vals[i]);
    free(d->vals);
    rm_layer_draft_init(d);
}

/* Fills L's features from the parts in g: feature k has parts
 * [part0[k], part0[k] + nparts[k]) of g. */
static int layer_fill(rm_layer *L, const rm_path *g, const size_t *part0, const size_t *nparts,
                      const int *record, size_t nfeat)
{
    L->feat_bytes = (nfeat ? nfeat : 1) * sizeof *L->feat;
    L->xy_bytes = (g->n ? g->n : 1) * 2 * sizeof *L->xy;
    L->parts_bytes = (g->nparts + nfeat + 1) * sizeof *L->parts;
    L->feat = rm_big_alloc(L->feat_bytes);
    L->xy = rm_big_alloc(L->xy_bytes);
    L->parts = rm_big_alloc(L->parts_bytes);
    if (!L->feat || !L->xy || !L->parts)
        return -1;
    size_t vp = 0, pp = 0;
    L->bbox = rm_bbox_empty();
    L->n = 0;
    for (size_t k = 0; k < nfeat; k++) {
        rm_feature *f = &L->feat[L->n];
        f->record = record[k];
        f->xy = L->xy + 2 * vp;
        f->part_start = L->parts + pp;
        f->bbox = rm_bbox_empty();
        f->attrs = NULL;
        size_t m = 0;
        int np = 0;
        for (size_t j = part0[k]; j < part0[k] + nparts[k]; j++) {
            size_t len = rm_path_part_len(g, j);
            if (!len)
                continue;
            const double *src = g->xy + 2 * g->parts[j];
            L->parts[pp + (size_t)np++] = (int)m;
            memcpy(L->xy + 2 * (vp + m), src, 2 * len * sizeof *L->xy);
            for (size_t a = 0; a < len; a++)
                rm_bbox_add(&f->bbox, src[2 * a], src[2 * a + 1]);
            m += len;
        }
        if (!np)
            continue;
        L->parts[pp + (size_t)np] = (int)m;
        f->nparts = np;
        f->npoints = (int)m;
        rm_bbox_union(&L->bbox, &f->bbox);
        vp += m;
        pp += (size_t)np + 1;
        L->n++;
    }
    L->nverts = vp;
    return 0;
}

rm_layer *rm_layer_from_draft(const char *path, rm_layer_draft *d, const char *file_crs,
                              const rm_load_options *opt, rm_error *err)
{
    const char *spec_crs = opt && opt->crs && *opt->crs ? opt->crs : NULL;
    const rm_bbox *filter = opt ? opt->filter : NULL;
    rm_layer *L = calloc(1, sizeof *L);
    size_t *p0 = malloc((d->nfeat + 1) * sizeof *p0), *np = malloc((d->nfeat + 1) * sizeof *np);
    int *rec = malloc((d->nfeat + 1) * sizeof *rec);
    rm_path cp;
    rm_path_init(&cp);
    int ok = 0;
    if (!L || !p0 || !np || !rec || !(L->path = strdup(path))) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    L->type = d->type;
    long max_feat = opt && opt->max_features > 0 ? opt->max_features : DEFAULT_MAX_FEATURES;
    long max_vert = opt && opt->max_vertices > 0 ? opt->max_vertices : DEFAULT_MAX_VERTICES;
    if ((long)d->nfeat > max_feat || d->geo.n > (size_t)max_vert) {
        rm_error_set(err, RM_ERR_LIMIT, "%s: more than %ld features or %ld vertices (the caps)",
                     path, max_feat, max_vert);
        goto out;
    }
    for (size_t k = 0; k < d->nfeat; k++) {
        p0[k] = d->f[k].part0;
        np[k] = d->f[k].nparts;
        rec[k] = d->f[k].record;
    }
    if (layer_fill(L, &d->geo, p0, np, rec, d->nfeat) != 0) {
        rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    /* the CRS: the file's own, else the spec's, else lon/lat (checked) */
    const char *def = file_crs ? file_crs : spec_crs;
    if (def && !crs_is_lonlat(def)) {
        char what[4300];
        if (file_crs)
            snprintf(what, sizeof what, "%s: its crs \"%.200s\"", path, file_crs);
        else
            snprintf(what, sizeof what, "%s: the layer's crs \"%.200s\"", path, spec_crs);
        if (reproject(L, def, what, file_crs ? spec_crs : NULL, err) != 0)
            goto out;
    } else if (!def && L->n && !box_is_lonlat(&L->bbox)) {
        not_lonlat(path, &L->bbox, "the coordinates", err);
        goto out;
    }
    /* the filter, and the clipping of polygons reaching outside it */
    if (filter) {
        size_t nk = 0;
        for (size_t i = 0; i < L->n; i++) {
            const rm_feature *f = &L->feat[i];
            if (!rm_bbox_intersects(&f->bbox, filter))
                continue;
            int inside = f->bbox.minx >= filter->minx && f->bbox.maxx <= filter->maxx &&
                         f->bbox.miny >= filter->miny && f->bbox.maxy <= filter->maxy;
            p0[nk] = cp.nparts;
            for (int j = 0; j < f->nparts; j++) {
                const double *xy = f->xy + 2 * f->part_start[j];
                size_t len = (size_t)(f->part_start[j + 1] - f->part_start[j]);
                int rc = 0;
                if (opt->clip && L->type == RM_GEOM_POLYGON && !inside) {
                    rc = rm_clip_ring(xy, len, filter, &cp);
                } else {
                    rc = rm_path_begin_part(&cp);
                    for (size_t a = 0; rc == 0 && a < len; a++)
                        rc = rm_path_add(&cp, xy[2 * a], xy[2 * a + 1]);
                }
                if (rc != 0) {
                    rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
                    goto out;
                }
            }
            np[nk] = cp.nparts - p0[nk];
            rec[nk] = f->record;
            nk++;
        }
        rm_big_free(L->feat, L->feat_bytes);
        rm_big_free(L->xy, L->xy_bytes);
        rm_big_free(L->parts, L->parts_bytes);
        L->feat = NULL;
        L->xy = NULL;
        L->parts = NULL;
        if (layer_fill(L, &cp, p0, np, rec, nk) != 0) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    /* attributes: the draft's rows, by record */
    if (d->nfields > 0 && !(opt && opt->skip_attributes)) {
        int nf = d->nfields;
        size_t total = 1;
        for (size_t i = 0; i < L->n; i++)
            for (int j = 0; j < nf; j++) {
                const char *v = d->vals[(size_t)L->feat[i].record * (size_t)nf + (size_t)j];
                total += v ? strlen(v) + 1 : 0;
            }
        L->field_names = calloc((size_t)nf + 1, sizeof *L->field_names);
        L->attr_ptrs = calloc(L->n * ((size_t)nf + 1) + 1, sizeof *L->attr_ptrs);
        L->arena = malloc(total);
        if (!L->field_names || !L->attr_ptrs || !L->arena) {
            rm_error_set(err, RM_ERR_NOMEM, "%s: out of memory for the attributes", path);
            goto out;
        }
        L->nfields = nf;
        for (int j = 0; j < nf; j++) {
            L->field_names[j] = d->names[j];
            d->names[j] = NULL;
        }
        L->arena[0] = 0;
        size_t used = 1;
        for (size_t i = 0; i < L->n; i++) {
            const char **row = L->attr_ptrs + i * ((size_t)nf + 1);
            for (int j = 0; j < nf; j++) {
                const char *v = d->vals[(size_t)L->feat[i].record * (size_t)nf + (size_t)j];
                if (!v) {
                    row[j] = L->arena;
                    continue;
                }
                size_t n = strlen(v) + 1;
                memcpy(L->arena + used, v, n);
                row[j] = L->arena + used;
                used += n;
            }
            row[nf] = NULL;
            L->feat[i].attrs = row;
        }
    }
    ok = 1;
out:
    rm_path_free(&cp);
    free(p0);
    free(np);
    free(rec);
    rm_layer_draft_free(d);
    if (!ok) {
        rm_layer_free(L);
        return NULL;
    }
    return L;
}

rm_status rm_layer_extent(const char *path, const char *crs, rm_bbox *out, rm_error *err)
{
    if (!path || !out)
        return rm_error_set(err, RM_ERR_USAGE, "rm_layer_extent: no path");
    const char *spec_crs = crs && *crs ? crs : NULL;
    if (!(has_ext(path, ".geojson") || has_ext(path, ".json") || has_ext(path, ".csv"))) {
        /* a shapefile in lon/lat: the box its header states */
        size_t n = strlen(path);
        char *base = strdup(path);
        if (!base)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        if (has_ext(base, ".shp"))
            base[n - 4] = 0;
        char *shp = sibling(base, ".shp"), *prj = sibling(base, ".prj");
        free(base);
        int ok = 0;
        rm_bbox box = rm_bbox_empty();
        unsigned char h[100];
        int fd = shp ? open(shp, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, h, 100, 0) == 100 &&
            be32(h) == 9994 && le32(h + 28) == 1000) {
            box = (rm_bbox){ledbl(h + 36), ledbl(h + 44), ledbl(h + 52), ledbl(h + 60)};
            int failed = 0;
            rm_error e2;
            char *w = prj ? read_prj(prj, &e2, &failed) : NULL;
            int lonlat = failed ? 0
                         : w    ? plain_wgs84(w) && (!spec_crs || crs_is_lonlat(spec_crs))
                                : !spec_crs || crs_is_lonlat(spec_crs);
            free(w);
            ok = lonlat && isfinite(box.minx) && isfinite(box.maxx) && isfinite(box.miny) &&
                 isfinite(box.maxy) && box.minx <= box.maxx && box.miny <= box.maxy &&
                 box_is_lonlat(&box);
        }
        if (fd >= 0)
            close(fd);
        free(shp);
        free(prj);
        if (ok) {
            *out = box;
            return RM_OK;
        }
    }
    /* anything else: read it (moved to lon/lat, checked, as a map reads it) */
    rm_load_options lo = {0};
    lo.skip_attributes = 1;
    lo.crs = spec_crs;
    rm_layer *L = rm_layer_load(path, &lo, err);
    if (!L)
        return err ? err->status : RM_ERR_IO;
    *out = rm_layer_bbox(L);
    rm_layer_free(L);
    return RM_OK;
}
