/* routemap — PNG metadata: the physical size (pHYs) and text chunks, put
 * into an encoded PNG after its IHDR (cairo writes neither). */
#ifndef ROUTEMAP_PNG_META_H
#define ROUTEMAP_PNG_META_H

#include <stddef.h>

/* One text chunk: a PNG keyword ("Title", "Software", ...) and its value
 * (UTF-8: a tEXt chunk when it is ASCII, else an iTXt one). */
typedef struct rm_png_text {
    const char *key, *value;
} rm_png_text;

/* Inserts a pHYs chunk for dpi (pixels per metre, rounded) and the text
 * chunks with a value into the PNG in *data (malloc'ed, *len bytes),
 * replacing the buffer. 0, or -1 when it is not a PNG or memory runs out
 * (then *data is unchanged). */
int rm_png_add_meta(unsigned char **data, size_t *len, double dpi, const rm_png_text *text,
                    size_t ntext);

#endif
