/* routemap — small helpers shared inside the library (one copy each). */
#ifndef ROUTEMAP_UTIL_H
#define ROUTEMAP_UTIL_H

#include <stddef.h>

/* dir/file into out (file alone when absolute or dir is empty); a path too
 * long for out gives "" and -1, which is then simply not found (a path cut
 * short might name another file). */
int rm_path_join_buf(char *out, size_t cap, const char *dir, const char *file);
/* The same, allocated (NULL when out of memory). */
char *rm_path_join(const char *dir, const char *file);
/* Is there a file at path (or path.shp)? */
int rm_file_exists(const char *path);
/* Levenshtein distance of two strings (their first 200 bytes), ASCII
 * letters folded to lower case when fold_case. */
size_t rm_edit_distance(const char *a, const char *b, int fold_case);

#endif
