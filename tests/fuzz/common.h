/* routemap fuzz targets — shared helpers: a private scratch directory where
 * the inputs are written as files (the loaders open files by path). */
#ifndef ROUTEMAP_FUZZ_COMMON_H
#define ROUTEMAP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* The scratch directory (created on first use, removed at exit). */
const char *fz_dir(void);

/* Writes len bytes to fz_dir()/name; returns 0, or -1 (then the target
 * simply skips the input). */
int fz_write(const char *name, const uint8_t *data, size_t len);

/* Removes fz_dir()/name (missing is fine). */
void fz_remove(const char *name);

/* Checks the one-line rule for an error message: traps (a finding) when it
 * is empty or holds a line break or another control character. Set
 * ROUTEMAP_FUZZ_MESSAGES=0 to skip this check and look only for memory
 * errors. */
struct rm_error;
void fz_check_message(const struct rm_error *err);

/* Runs the marker reader (CSV when geojson is 0, GeoJSON when 1) on one
 * input: an error must carry a one-line message, a success only markers
 * with a finite lon/lat. */
int fz_markers(const uint8_t *data, size_t size, const char *name, int geojson);

/* fz_dir()/name in a static buffer. */
const char *fz_path(const char *name);

#endif
