/* routemap — output: writing a file atomically (temporary file in the
 * target directory, renamed into place only on success) while respecting
 * what the target is: devices and FIFOs are written through, a symbolic
 * link's target is written, an existing file keeps its mode, hard links
 * keep sharing it (src/output.c has the rules). */
#ifndef ROUTEMAP_OUTPUT_H
#define ROUTEMAP_OUTPUT_H

#include <stddef.h>
#include "routemap/error.h"

struct rm_spec;

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

/* Writes len bytes to path atomically; "-" writes to stdout. A failure never
 * truncates or replaces an existing file. */
rm_status rm_write_atomic(const char *path, const void *data, size_t len, rm_error *err);

/* The canonical form of an output path (symbolic links, "." and ".."
 * resolved; the last name kept when it does not exist yet), to compare two
 * outputs; NULL for "-" or a path whose directory does not exist. Free it. */
char *rm_output_canonical(const char *path);

/* Refuses (RM_ERR_USAGE, naming both) an output that is the same file as
 * another output, as one of inputs[], or as a file the spec reads (its layers'
 * and rail files with their .shx/.dbf/.prj/.cpg, the gazetteer, the markers
 * file). spec may be NULL. */
rm_status rm_check_outputs(const struct rm_spec *spec, const char *const *inputs, size_t ninputs,
                           const char *const *outs, size_t nouts, rm_error *err);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
