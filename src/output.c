/* routemap — output: writing a finished file so that it respects what is
 * there (issue 19).
 *
 * What the target is decides how it is written:
 *   - "-": standard output, every write and the flush checked;
 *   - nothing yet, or a regular file with one link: the bytes go to an
 *     anonymous file in the target's own directory (O_TMPFILE; a named
 *     ".<base>.XXXXXX" where the file system has no O_TMPFILE), are flushed
 *     to disk, and only then linked and renamed over the target, so a
 *     failure or a signal never leaves a half-written or temporary file.
 *     An existing file keeps its mode (and, as root, its owner);
 *   - a regular file with several hard links: rewritten in place (its space
 *     reserved first), so every link sees the new map;
 *   - a character device or a FIFO (/dev/null, /dev/stdout, a pipe): written
 *     through, never replaced; a write error (/dev/full) is an error;
 *   - a symbolic link: its target, resolved, is written as above (a link
 *     whose target cannot be resolved is refused);
 *   - a directory, a block device or a socket: refused.
 *
 * A map and its side outputs (rm_render_file's --layout and --georef) are
 * committed together: everything is prepared first, and nothing replaces
 * an existing file unless every part was written (rm_out_*). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#endif
#include "routemap/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <time.h>

#include "output_priv.h"
#include "routemap/render.h"
#include "routemap/spec.h"

/* Writes all of data to fd, retrying short writes and EINTR. */
static int write_all(int fd, const unsigned char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The process's file-creation mask, read without changing it: umask() can
 * only be read by setting it, and setting it even for a moment races with
 * other threads creating files (batch renders in threads) and can leave the
 * process at umask 0. Linux reports the mask in /proc/self/status; 022 when
 * it cannot be read. */
static mode_t current_umask(void)
{
    mode_t mask = 022;
    FILE *f = fopen("/proc/self/status", "re");
    if (!f)
        return mask;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        unsigned m;
        if (sscanf(line, "Umask: %o", &m) == 1) {
            mask = (mode_t)(m & 0777);
            break;
        }
    }
    fclose(f);
    return mask;
}

/* ------------------------------------------------------------ one output */

enum { OUT_STDOUT, OUT_REPLACE, OUT_INPLACE, OUT_THROUGH };

typedef struct rm_out {
    char *path;   /* as given (for messages) */
    char *target; /* what is written: the resolved path */
    int kind;
    int fd;      /* OUT_REPLACE: the written temporary file; else -1 */
    char *tmp;   /* OUT_REPLACE without O_TMPFILE: its name */
    mode_t mode; /* OUT_REPLACE: the mode to give */
    int chown;   /* OUT_REPLACE: give uid/gid */
    uid_t uid;
    gid_t gid;
    const unsigned char *data;
    size_t len;
} rm_out;

static void out_discard(rm_out *o)
{
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    free(o->target);
    o->target = NULL;
}

/* The directory part of path ("." when there is none), in a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Decides how path is written and, for a replaced file, writes the bytes
 * to a temporary file (flushed to disk) without touching the target. */
static rm_status out_prepare(rm_out *o, const char *path, const void *data, size_t len,
                             rm_error *err)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
    o->path = (char *)path;
    o->data = data;
    o->len = len;
    if (!strcmp(path, "-")) {
        o->kind = OUT_STDOUT;
        return RM_OK;
    }
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        struct stat sf;
        if (stat(path, &sf) == 0 && (S_ISCHR(sf.st_mode) || S_ISFIFO(sf.st_mode))) {
            /* /dev/stdout -> /proc/self/fd/1 -> pipe:[...]: written through */
            o->target = strdup(path);
            if (!o->target)
                return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
            o->kind = OUT_THROUGH;
            return RM_OK;
        }
        o->target = realpath(path, NULL);
        if (!o->target)
            return rm_error_set(err, RM_ERR_IO,
                                "%s: a symbolic link whose target cannot be resolved (%s); give "
                                "the target's path",
                                path, strerror(errno));
    } else {
        o->target = strdup(path);
        if (!o->target)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    int exists = stat(o->target, &st) == 0;
    if (!exists && errno != ENOENT) {
        rm_status s = rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
        out_discard(o);
        return s;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
            o->kind = OUT_THROUGH;
            return RM_OK;
        }
        const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        out_discard(o);
        return rm_error_set(err, RM_ERR_IO,
                            "%s: is %s; a map is written to a file, a character device, a FIFO "
                            "or standard output (-)",
                            path, what);
    }
    if (exists && st.st_nlink > 1) {
        o->kind = OUT_INPLACE; /* keep every hard link pointing at the map */
        return RM_OK;
    }
    o->kind = OUT_REPLACE;
    o->mode = exists ? st.st_mode & 07777 : 0666 & ~current_umask();
    if (exists && (st.st_uid != geteuid() || st.st_gid != getegid())) {
        o->chown = 1;
        o->uid = st.st_uid;
        o->gid = st.st_gid;
    }
    char *dir = dir_of(o->target);
    if (!dir) {
        out_discard(o);
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    }
    int e = 0;
#ifdef O_TMPFILE
    o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (o->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
        e = errno;
#endif
    if (o->fd < 0 && !e) {
        size_t n = strlen(o->target);
        o->tmp = malloc(n + 16);
        if (!o->tmp) {
            free(dir);
            out_discard(o);
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        }
        const char *slash = strrchr(o->target, '/');
        size_t dirlen = slash ? (size_t)(slash - o->target) + 1 : 0;
        memcpy(o->tmp, o->target, dirlen);
        snprintf(o->tmp + dirlen, n + 16 - dirlen, ".%s.XXXXXX", o->target + dirlen);
        o->fd = mkstemp(o->tmp);
        if (o->fd < 0) {
            e = errno;
            free(o->tmp);
            o->tmp = NULL;
        }
    }
    free(dir);
    if (o->fd < 0) {
        out_discard(o);
        return rm_error_set(err, RM_ERR_IO, "%s: cannot create a file there: %s", path,
                            strerror(e));
    }
    (void)fchmod(o->fd, o->mode);
    if (o->chown && fchown(o->fd, o->uid, o->gid) != 0)
        (void)fchmod(o->fd, o->mode & 0777); /* no set-id bits for another owner */
    if (write_all(o->fd, data, len) != 0 || fsync(o->fd) != 0) {
        e = errno ? errno : EIO;
        out_discard(o);
        return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    return RM_OK;
}

/* Writes what cannot be staged (standard output, devices, FIFOs, files
 * rewritten in place). */
static rm_status out_write_through(rm_out *o, rm_error *err)
{
    if (o->kind == OUT_STDOUT) {
        if (o->len > 0 && fwrite(o->data, 1, o->len, stdout) != o->len)
            return rm_error_set(err, RM_ERR_IO, "standard output: %s", strerror(errno));
        if (fflush(stdout) != 0 || ferror(stdout))
            return rm_error_set(err, RM_ERR_IO, "standard output: %s", strerror(errno));
        return RM_OK;
    }
    if (o->kind != OUT_THROUGH && o->kind != OUT_INPLACE)
        return RM_OK;
    int fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", o->path, strerror(errno));
    int e = 0;
    if (o->kind == OUT_INPLACE) {
        /* reserve the space first: a full disk fails before the file changes */
        int r = o->len ? posix_fallocate(fd, 0, (off_t)o->len) : 0;
        if (r != 0 && r != EOPNOTSUPP && r != EINVAL)
            e = r;
        if (!e && (write_all(fd, o->data, o->len) != 0 || ftruncate(fd, (off_t)o->len) != 0 ||
                   fsync(fd) != 0))
            e = errno ? errno : EIO;
    } else if (write_all(fd, o->data, o->len) != 0) {
        e = errno ? errno : EIO;
    }
    if (close(fd) != 0 && !e && errno != EINTR)
        e = errno;
    if (e)
        return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", o->path, strerror(e));
    return RM_OK;
}

/* Puts a prepared replacement in place. */
static rm_status out_commit(rm_out *o, rm_error *err)
{
    if (o->kind != OUT_REPLACE)
        return RM_OK;
    int e = 0;
    if (!o->tmp) {
        /* the anonymous file gets a name beside the target, then replaces it */
        char proc[64], *name = NULL;
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
        size_t n = strlen(o->target);
        name = malloc(n + 16);
        if (!name)
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        const char *slash = strrchr(o->target, '/');
        size_t dirlen = slash ? (size_t)(slash - o->target) + 1 : 0;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        unsigned seed = (unsigned)ts.tv_nsec ^ (unsigned)getpid() << 12 ^ (unsigned)o->fd;
        for (int tries = 0; tries < 100; tries++) {
            memcpy(name, o->target, dirlen);
            seed = seed * 1103515245u + 12345u;
            snprintf(name + dirlen, n + 16 - dirlen, ".%s.%06x", o->target + dirlen,
                     (seed >> 8) & 0xffffff);
            if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
                o->tmp = name;
                break;
            }
            if (errno != EEXIST) {
                e = errno;
                break;
            }
        }
        if (!o->tmp) {
            free(name);
            return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", o->path,
                                strerror(e ? e : EEXIST));
        }
    }
    if (close(o->fd) != 0 && errno != EINTR)
        e = errno;
    o->fd = -1;
    if (!e && rename(o->tmp, o->target) != 0)
        e = errno;
    if (e) {
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", o->path, strerror(e));
    }
    free(o->tmp);
    o->tmp = NULL;
    return RM_OK;
}

/* Writes n outputs all or nothing, as far as the targets allow: every
 * replacement is prepared (written and flushed) first; then what must be
 * written through is written (a failure there stops before any file is
 * replaced); then the replacements are renamed into place. */
static rm_status write_set(rm_out *outs, const char *const *paths, const void *const *datas,
                           const size_t *lens, size_t n, rm_error *err)
{
    size_t ready = 0;
    rm_status st = RM_OK;
    for (; ready < n; ready++)
        if ((st = out_prepare(&outs[ready], paths[ready], datas[ready], lens[ready], err)) != RM_OK)
            break;
    for (size_t i = 0; !st && i < n; i++)
        st = out_write_through(&outs[i], err);
    for (size_t i = 0; !st && i < n; i++)
        st = out_commit(&outs[i], err);
    for (size_t i = 0; i < ready; i++)
        out_discard(&outs[i]);
    return st;
}

/* ------------------------------------------------------------- staging */

/* While a render is staged (rm_out_stage_begin in this thread), the side
 * outputs that the renderer writes with rm_write_atomic are kept here. */
static _Thread_local rm_out_stage *staging;

void rm_out_stage_begin(rm_out_stage *s)
{
    memset(s, 0, sizeof *s);
    staging = s;
}

void rm_out_stage_end(void)
{
    staging = NULL;
}

void rm_out_stage_free(rm_out_stage *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->path[i]);
        free(s->data[i]);
    }
    memset(s, 0, sizeof *s);
}

rm_status rm_out_stage_commit(rm_out_stage *s, const char *path, const void *data, size_t len,
                              rm_error *err)
{
    const char *paths[RM_OUT_STAGE_MAX + 1];
    const void *datas[RM_OUT_STAGE_MAX + 1];
    size_t lens[RM_OUT_STAGE_MAX + 1];
    rm_out outs[RM_OUT_STAGE_MAX + 1];
    size_t n = 0;
    paths[n] = path;
    datas[n] = data;
    lens[n++] = len;
    for (size_t i = 0; i < s->n; i++) {
        paths[n] = s->path[i];
        datas[n] = s->data[i];
        lens[n++] = s->len[i];
    }
    rm_status st = write_set(outs, paths, datas, lens, n, err);
    rm_out_stage_free(s);
    return st;
}

rm_status rm_write_atomic(const char *path, const void *data, size_t len, rm_error *err)
{
    if (!path || !*path)
        return rm_error_set(err, RM_ERR_USAGE, "no output path");
    if (!data && len > 0)
        return rm_error_set(err, RM_ERR_USAGE, "%s: no data to write", path);
    if (staging) {
        rm_out_stage *s = staging;
        if (s->n == RM_OUT_STAGE_MAX)
            return rm_error_set(err, RM_ERR_USAGE, "%s: too many side outputs", path);
        s->path[s->n] = strdup(path);
        s->data[s->n] = malloc(len ? len : 1);
        if (!s->path[s->n] || !s->data[s->n]) {
            free(s->path[s->n]);
            free(s->data[s->n]);
            return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
        }
        if (len)
            memcpy(s->data[s->n], data, len);
        s->len[s->n++] = len;
        return RM_OK;
    }
    rm_out o;
    const char *paths[1] = {path};
    const void *datas[1] = {data};
    size_t lens[1] = {len};
    return write_set(&o, paths, datas, lens, 1, err);
}

/* ------------------------------------------- outputs that would clobber */

char *rm_output_canonical(const char *path)
{
    if (!path || !strcmp(path, "-"))
        return NULL;
    char *full = realpath(path, NULL);
    if (full)
        return full;
    /* not there yet: the canonical directory and the last name */
    char *dir = dir_of(path);
    if (!dir)
        return NULL;
    char *cdir = realpath(dir, NULL);
    free(dir);
    if (!cdir)
        return NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(cdir) + strlen(base) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%s", cdir, strcmp(cdir, "/") ? "/" : "", base);
    free(cdir);
    return out;
}

/* 1 when a and b name the same existing regular file. */
static int same_file(const struct stat *a, const char *b)
{
    struct stat sb;
    return stat(b, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == a->st_dev &&
           sb.st_ino == a->st_ino;
}

static int join(char *out, size_t cap, const char *dir, const char *file, const char *ext)
{
    size_t nf = strlen(file);
    if (ext && nf > 4 && !strcasecmp(file + nf - 4, ".shp"))
        nf -= 4;
    int rel = file[0] != '/' && dir && *dir;
    int n = snprintf(out, cap, "%s%s%.*s%s", rel ? dir : "", rel ? "/" : "", (int)nf, file,
                     ext ? ext : "");
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Checks the output against one shapefile (all its companion files). */
static rm_status clash_layer(const struct stat *so, const char *out, const char *dir,
                             const char *file, const char *what, rm_error *err)
{
    static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
    char p[4200];
    for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++)
        if (join(p, sizeof p, dir, file, exts[e]) == 0 && same_file(so, p))
            return rm_error_set(err, RM_ERR_USAGE,
                                "%s: is %s %s (an input of the map); refusing to overwrite it", out,
                                what, p);
    return RM_OK;
}

rm_status rm_check_outputs(const rm_spec *spec, const char *const *inputs, size_t ninputs,
                           const char *const *outs, size_t nouts, rm_error *err)
{
    /* outputs among themselves, by canonical path */
    for (size_t i = 0; i < nouts; i++) {
        if (!outs[i] || !strcmp(outs[i], "-"))
            continue;
        struct stat si;
        if (stat(outs[i], &si) == 0 && !S_ISREG(si.st_mode))
            continue; /* /dev/null twice is fine */
        char *ci = rm_output_canonical(outs[i]);
        for (size_t j = i + 1; ci && j < nouts; j++) {
            if (!outs[j] || !strcmp(outs[j], "-"))
                continue;
            char *cj = rm_output_canonical(outs[j]);
            int same = cj && !strcmp(ci, cj);
            free(cj);
            if (same) {
                free(ci);
                return rm_error_set(err, RM_ERR_USAGE,
                                    "%s and %s are the same file: give each output its own path",
                                    outs[i], outs[j]);
            }
        }
        free(ci);
    }
    /* outputs against inputs: only an existing regular file can be clobbered */
    for (size_t i = 0; i < nouts; i++) {
        struct stat so;
        if (!outs[i] || !strcmp(outs[i], "-") || stat(outs[i], &so) != 0 || !S_ISREG(so.st_mode))
            continue;
        const char *out = outs[i];
        for (size_t k = 0; k < ninputs; k++)
            if (inputs[k] && same_file(&so, inputs[k]))
                return rm_error_set(err, RM_ERR_USAGE,
                                    "%s: is the input %s; refusing to overwrite it", out,
                                    inputs[k]);
        if (!spec)
            continue;
        const char *dir =
            spec->data_dir && *spec->data_dir ? spec->data_dir : rm_default_data_dir();
        rm_status st;
        for (size_t l = 0; l < spec->nlayers; l++)
            if (spec->layers[l].file &&
                (st = clash_layer(&so, out, dir, spec->layers[l].file, "the layer file", err)))
                return st;
        /* no layers: the renderer's base layers (src/render/layers.c) */
        static const char *const base[] = {"land.shp",    "countries.shp", "lakes.shp",
                                           "borders.shp", "coastline.shp", "rail.shp"};
        for (size_t l = 0; spec->nlayers == 0 && l < sizeof base / sizeof base[0]; l++)
            if ((st = clash_layer(&so, out, dir, base[l], "the layer file", err)))
                return st;
        for (size_t r = 0; r < spec->nroutes; r++) {
            const char *rail = spec->routes[r].rail_file ? spec->routes[r].rail_file : "rail.shp";
            if ((st = clash_layer(&so, out, dir, rail, "the rail file", err)))
                return st;
        }
        if ((st = clash_layer(&so, out, dir, "places.shp", "the gazetteer file", err)) ||
            (st = clash_layer(&so, out, rm_default_data_dir(), "places.shp", "the gazetteer file",
                              err)))
            return st;
        if (spec->markers_file && same_file(&so, spec->markers_file))
            return rm_error_set(err, RM_ERR_USAGE,
                                "%s: is the markers file (an input of the map); refusing to "
                                "overwrite it",
                                out);
    }
    return RM_OK;
}
