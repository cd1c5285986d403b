/* routemap — output: writing a finished file atomically.
 *
 * The bytes go to a temporary file in the target's own directory (so that the
 * final rename stays on one file system and is atomic), are flushed to disk,
 * and only then renamed over the target. Any failure removes the temporary
 * file and leaves an existing target untouched. */
#include "routemap/output.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

rm_status rm_write_atomic(const char *path, const void *data, size_t len, rm_error *err)
{
    if (!path || !*path)
        return rm_error_set(err, RM_ERR_USAGE, "no output path");
    if (!data && len > 0)
        return rm_error_set(err, RM_ERR_USAGE, "%s: no data to write", path);
    if (!strcmp(path, "-")) {
        if (len > 0 && fwrite(data, 1, len, stdout) != len)
            return rm_error_set(err, RM_ERR_IO, "stdout: %s", strerror(errno));
        if (fflush(stdout) != 0)
            return rm_error_set(err, RM_ERR_IO, "stdout: %s", strerror(errno));
        return RM_OK;
    }
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    if (!tmp)
        return rm_error_set(err, RM_ERR_NOMEM, "out of memory");
    /* the temporary name sits beside the target: "<dir>/.<base>.XXXXXX" */
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    memcpy(tmp, path, dirlen);
    snprintf(tmp + dirlen, n + 16 - dirlen, ".%s.XXXXXX", path + dirlen);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rm_status st = rm_error_set(err, RM_ERR_IO, "%s: cannot create a file there: %s", path,
                                    strerror(errno));
        free(tmp);
        return st;
    }
    /* mkstemp makes the file 0600; give it the usual permissions */
    (void)fchmod(fd, 0666 & ~current_umask());
    int e = 0;
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0)
        e = errno ? errno : EIO;
    if (close(fd) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e && rename(tmp, path) != 0)
        e = errno ? errno : EIO;
    if (e) {
        unlink(tmp);
        free(tmp);
        return rm_error_set(err, RM_ERR_IO, "%s: cannot write: %s", path, strerror(e));
    }
    free(tmp);
    return RM_OK;
}
