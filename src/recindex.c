/* routemap — private: the cache of shapefile record boxes (see recindex.h). */
#include "recindex.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bigmem.h"
#include "warn.h"

static const char MAGIC[8] = {'R', 'M', 'R', 'I', 'D', 'X', '2', 0};

/* The file: this header, then nrec entries. Host byte order: a cache is not
 * carried between machines (another byte order fails the magic). */
typedef struct header {
    char magic[8];
    uint64_t shp_dev, shp_ino, shp_size, shp_mtime_s, shp_mtime_ns;
    uint64_t shx_size, shx_mtime_s, shx_mtime_ns;
    uint64_t nrec, nbig, nchunk, type, sum;
} header;

static uint64_t checksum(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x100000001B3ull;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ b[i]) * 0x100000001B3ull;
    return h ^ (h >> 32);
}

/* The cache file's path for shp_path, or -1 when caching is off or there is
 * nowhere to put it. dir gets the folder. */
static int cache_path(const char *shp_path, char *dir, size_t dcap, char *out, size_t cap)
{
    const char *off = getenv("ROUTEMAP_CACHE");
    if (off && (!strcmp(off, "0") || !strcasecmp(off, "off") || !strcasecmp(off, "no")))
        return -1;
    const char *d = getenv("ROUTEMAP_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"),
               *h = getenv("HOME");
    int n;
    if (d && *d)
        n = snprintf(dir, dcap, "%s", d);
    else if (x && *x == '/')
        n = snprintf(dir, dcap, "%s/routemap", x);
    else if (h && *h == '/')
        n = snprintf(dir, dcap, "%s/.cache/routemap", h);
    else
        return -1;
    if (n < 0 || (size_t)n >= dcap)
        return -1;
    /* a folder that someone else owns or may write is not trusted: another
     * user could plant entries there (it is ignored, with one warning) */
    struct stat ds;
    if (stat(dir, &ds) == 0 &&
        (!S_ISDIR(ds.st_mode) || ds.st_uid != geteuid() || (ds.st_mode & 022) != 0)) {
        static int warned;
        if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
            rm_warn("cache folder %s is %s: not used (make it yours, mode 0700, or set "
                    "ROUTEMAP_CACHE_DIR)",
                    dir,
                    !S_ISDIR(ds.st_mode)     ? "not a folder"
                    : ds.st_uid != geteuid() ? "owned by another user"
                                             : "writable by others");
        return -1;
    }
    char real[PATH_MAX];
    if (!realpath(shp_path, real))
        return -1;
    uint64_t k = checksum(real, strlen(real));
    n = snprintf(out, cap, "%s/%016llx.rmx", dir, (unsigned long long)k);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static void identity(header *h, int shp_fd, int shx_fd)
{
    struct stat a, b;
    memset(h, 0, sizeof *h);
    if (fstat(shp_fd, &a) != 0 || fstat(shx_fd, &b) != 0)
        return;
    memcpy(h->magic, MAGIC, 8);
    h->shp_dev = (uint64_t)a.st_dev;
    h->shp_ino = (uint64_t)a.st_ino;
    h->shp_size = (uint64_t)a.st_size;
    h->shp_mtime_s = (uint64_t)a.st_mtim.tv_sec;
    h->shp_mtime_ns = (uint64_t)a.st_mtim.tv_nsec;
    h->shx_size = (uint64_t)b.st_size;
    h->shx_mtime_s = (uint64_t)b.st_mtim.tv_sec;
    h->shx_mtime_ns = (uint64_t)b.st_mtim.tv_nsec;
}

static int read_all(int fd, void *buf, size_t n, off_t at)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, (char *)buf + got, n - got, at + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

int rm_recidx_load(const char *shp_path, int shp_fd, int shx_fd, size_t nrec, int type,
                   rm_recidx *idx)
{
    memset(idx, 0, sizeof *idx);
    char dir[PATH_MAX], path[PATH_MAX + 32];
    if (cache_path(shp_path, dir, sizeof dir, path, sizeof path) != 0)
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    header want, got;
    identity(&want, shp_fd, shx_fd);
    struct stat st;
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size >= sizeof got &&
             read_all(fd, &got, sizeof got, 0) == 0 && !memcmp(got.magic, MAGIC, 8) &&
             got.shp_dev == want.shp_dev && got.shp_ino == want.shp_ino &&
             got.shp_size == want.shp_size && got.shp_mtime_s == want.shp_mtime_s &&
             got.shp_mtime_ns == want.shp_mtime_ns && got.shx_size == want.shx_size &&
             got.shx_mtime_s == want.shx_mtime_s && got.shx_mtime_ns == want.shx_mtime_ns &&
             got.nrec == (uint64_t)nrec && got.type == (uint64_t)type && got.nbig <= nrec &&
             got.nchunk <= (1ull << 32);
    size_t bytes = 0;
    if (ok) {
        bytes = nrec * sizeof(rm_recidx_rec) + (size_t)got.nbig * sizeof(rm_recidx_big) +
                (size_t)got.nchunk * sizeof(rm_recidx_chunk);
        ok = (uint64_t)st.st_size == sizeof got + (uint64_t)bytes;
    }
    if (ok) {
        idx->block_bytes = bytes ? bytes : 1;
        idx->block = rm_big_alloc(idx->block_bytes);
        ok = idx->block && read_all(fd, idx->block, bytes, (off_t)sizeof got) == 0 &&
             checksum(idx->block, bytes) == got.sum;
    }
    close(fd);
    if (ok) {
        idx->rec = idx->block;
        idx->nrec = nrec;
        idx->big = (rm_recidx_big *)(idx->rec + nrec);
        idx->nbig = (size_t)got.nbig;
        idx->chunk = (rm_recidx_chunk *)(idx->big + idx->nbig);
        idx->nchunk = (size_t)got.nchunk;
        /* the chunk tables must fit their records and the array */
        for (size_t b = 0; ok && b < idx->nbig; b++) {
            const rm_recidx_big *g = &idx->big[b];
            ok = g->record >= 0 && (size_t)g->record < nrec &&
                 (b == 0 || g->record > idx->big[b - 1].record) &&
                 idx->rec[g->record].npoints > 0 &&
                 g->nchunks ==
                     (idx->rec[g->record].npoints + RM_RECIDX_CHUNK - 1) / RM_RECIDX_CHUNK &&
                 g->first + (uint64_t)g->nchunks <= idx->nchunk;
        }
    }
    if (!ok) {
        rm_recidx_free(idx);
        return -1;
    }
    return 0;
}

const rm_recidx_chunk *rm_recidx_chunks(const rm_recidx *idx, int record, int *n)
{
    size_t lo = 0, hi = idx->nbig;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx->big[mid].record < record)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < idx->nbig && idx->big[lo].record == record) {
        *n = idx->big[lo].nchunks;
        return idx->chunk + idx->big[lo].first;
    }
    *n = 0;
    return NULL;
}

void rm_recidx_free(rm_recidx *idx)
{
    if (idx->block)
        rm_big_free(idx->block, idx->block_bytes);
    memset(idx, 0, sizeof *idx);
}

/* mkdir -p for the cache folder (owner only). */
static int make_dir(const char *dir)
{
    char p[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof p)
        return -1;
    memcpy(p, dir, n + 1);
    for (size_t i = 1; i <= n; i++)
        if (p[i] == '/' || p[i] == 0) {
            char c = p[i];
            p[i] = 0;
            if (mkdir(p, 0700) != 0 && errno != EEXIST)
                return -1;
            p[i] = c;
        }
    return 0;
}

void rm_recidx_save(const char *shp_path, int shp_fd, int shx_fd, int type, const rm_recidx *idx)
{
    char dir[PATH_MAX], path[PATH_MAX + 32], tmp[PATH_MAX + 96];
    if (cache_path(shp_path, dir, sizeof dir, path, sizeof path) != 0 || make_dir(dir) != 0)
        return;
    header h;
    identity(&h, shp_fd, shx_fd);
    if (memcmp(h.magic, MAGIC, 8) != 0)
        return;
    const void *parts[4] = {&h, idx->rec, idx->big, idx->chunk};
    size_t lens[4] = {sizeof h, idx->nrec * sizeof *idx->rec, idx->nbig * sizeof *idx->big,
                      idx->nchunk * sizeof *idx->chunk};
    h.nrec = idx->nrec;
    h.nbig = idx->nbig;
    h.nchunk = idx->nchunk;
    h.type = (uint64_t)type;
    /* the checksum runs over the three arrays as one block, as they are read */
    size_t total = lens[1] + lens[2] + lens[3];
    unsigned char *all = malloc(total ? total : 1);
    if (!all)
        return;
    memcpy(all, idx->rec, lens[1]);
    if (lens[2])
        memcpy(all + lens[1], idx->big, lens[2]);
    if (lens[3])
        memcpy(all + lens[1] + lens[2], idx->chunk, lens[3]);
    h.sum = checksum(all, total);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int n = snprintf(tmp, sizeof tmp, "%s.%ld.%lx.%ld.tmp", path, (long)getpid(),
                     (unsigned long)pthread_self(), (long)ts.tv_nsec);
    int fd = n < 0 || (size_t)n >= sizeof tmp
                 ? -1
                 : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        free(all);
        return;
    }
    parts[1] = all;
    lens[1] = total;
    int ok = 1;
    for (int k = 0; k < 2 && ok; k++) {
        size_t done = 0;
        while (done < lens[k]) {
            ssize_t w = write(fd, (const char *)parts[k] + done, lens[k] - done);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                ok = 0;
                break;
            }
            done += (size_t)w;
        }
    }
    free(all);
    if (close(fd) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
}

void rm_recidx_drop(const char *shp_path)
{
    char dir[PATH_MAX], path[PATH_MAX + 32];
    if (cache_path(shp_path, dir, sizeof dir, path, sizeof path) == 0)
        unlink(path);
}

static float down(double v)
{
    float f = (float)v;
    return (double)f > v ? nextafterf(f, -INFINITY) : f;
}

static float up(double v)
{
    float f = (float)v;
    return (double)f < v ? nextafterf(f, INFINITY) : f;
}

rm_recidx_rec rm_recidx_entry(double minx, double miny, double maxx, double maxy, int nparts,
                              int npoints)
{
    rm_recidx_rec r = {down(minx), down(miny), up(maxx), up(maxy), nparts, npoints};
    return r;
}
