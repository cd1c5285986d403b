/* routemap — output: writing a file atomically (temporary file in the
 * target directory, renamed into place only on success). */
#ifndef ROUTEMAP_OUTPUT_H
#define ROUTEMAP_OUTPUT_H

#include <stddef.h>
#include "routemap/error.h"

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* Writes len bytes to path atomically; "-" writes to stdout. A failure never
 * truncates or replaces an existing file. */
rm_status rm_write_atomic(const char *path, const void *data, size_t len, rm_error *err);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
