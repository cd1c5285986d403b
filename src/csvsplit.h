/* routemap — internal: one CSV line split in place (src/distance.c). */
#ifndef ROUTEMAP_CSVSPLIT_H
#define ROUTEMAP_CSVSPLIT_H

/* Fields separated by commas; double-quoted fields with "" escapes. Returns
 * the field count (at most cap), or -1 for an unterminated quote. */
int rm_csv_split(char *line, char **f, int cap);

#endif
