/* routemap — errors.
 *
 * Every library call that can fail returns an rm_status and, when the caller
 * passes an rm_error, writes a one-line, human-readable explanation into it
 * (file, record or line:column, what was expected).  The library never prints
 * and never exits; the CLI prints err.message as one line on stderr.
 */
#ifndef ROUTEMAP_ERROR_H
#define ROUTEMAP_ERROR_H

/* The library exports what this header declares (it is built with
 * -fvisibility=hidden: everything else stays inside). */
#pragma GCC visibility push(default)

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rm_status {
    RM_OK = 0,
    RM_ERR_NOMEM,     /* an allocation failed */
    RM_ERR_IO,        /* a file could not be opened, read or written */
    RM_ERR_FORMAT,    /* a data file is malformed (shapefile, DBF, CSV, GeoJSON) */
    RM_ERR_SPEC,      /* the map spec is invalid */
    RM_ERR_USAGE,     /* bad arguments to a call or to the CLI */
    RM_ERR_NOT_FOUND, /* a place, layer or field does not exist */
    RM_ERR_PROJ,      /* PROJ rejected a CRS or a transformation */
    RM_ERR_LIMIT,     /* a configured cap (vertices, features, size) was exceeded */
    RM_ERR_NO_PATH,   /* no route between the requested places: the map cannot be made */
    RM_ERR_RENDER     /* cairo/pango failed while drawing or writing */
} rm_status;

#define RM_ERROR_MAX 1024

typedef struct rm_error {
    rm_status status;
    char message[RM_ERROR_MAX];
} rm_error;

/* Records status and a printf-style message in err (err may be NULL) and
 * returns status, so that callers can write `return rm_error_set(err, ...)`. */
rm_status rm_error_set(rm_error *err, rm_status status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefixes the existing message with "prefix: " (to add the file or key). */
void rm_error_prefix(rm_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void rm_error_clear(rm_error *err);

/* Short name of a status ("io", "format", ...). */
const char *rm_status_name(rm_status status);

/* Warnings: what the library read leniently (e.g. an .shx whose header
 * length disagrees with its size) is passed, as one line naming the file, to
 * the handler set here; without one, warnings are dropped (the library never
 * prints). The handler may be called from any thread that renders; set it
 * before rendering starts. NULL removes it. */
typedef void (*rm_warning_fn)(const char *message, void *data);
void rm_set_warning_handler(rm_warning_fn fn, void *data);

/* The CLI exit code for a status: 0 ok, 1 the map could not be made
 * (RM_ERR_NO_PATH, RM_ERR_RENDER), 2 bad usage or bad input (all others). */
int rm_status_exit_code(rm_status status);

#ifdef __cplusplus
}
#endif
#pragma GCC visibility pop

#endif
