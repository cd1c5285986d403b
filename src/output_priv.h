/* routemap — output staging (src/output.c): a render's side outputs are
 * kept in memory while the map is made, then committed with the map, all
 * or nothing. */
#ifndef ROUTEMAP_OUTPUT_PRIV_H
#define ROUTEMAP_OUTPUT_PRIV_H

#include <stddef.h>

#include "routemap/error.h"

#define RM_OUT_STAGE_MAX 8

typedef struct rm_out_stage {
    char *path[RM_OUT_STAGE_MAX];
    unsigned char *data[RM_OUT_STAGE_MAX];
    size_t len[RM_OUT_STAGE_MAX];
    size_t n;
} rm_out_stage;

/* From begin to end, rm_write_atomic in this thread keeps what it is given
 * in s instead of writing it. */
void rm_out_stage_begin(rm_out_stage *s);
void rm_out_stage_end(void);
/* Writes the map (path, data, len) and everything staged, all or nothing
 * as far as the targets allow; frees what was staged. */
rm_status rm_out_stage_commit(rm_out_stage *s, const char *path, const void *data, size_t len,
                              rm_error *err);
void rm_out_stage_free(rm_out_stage *s);

#endif
