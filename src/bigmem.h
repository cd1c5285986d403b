/* routemap — private: large allocations that are touched right away.
 *
 * On the virtual machines we run on, the first touch of every fresh 4 KiB page
 * costs about 10 µs, so filling a 15 MB array page by page costs 40 ms while
 * asking the kernel for the pages in one go (MAP_POPULATE) costs 3 ms. Blocks
 * of at least RM_BIG_MIN bytes come from mmap(MAP_POPULATE); smaller ones from
 * malloc. The caller passes the same size to rm_big_free. */
#ifndef ROUTEMAP_BIGMEM_H
#define ROUTEMAP_BIGMEM_H

#include <stddef.h>

#define RM_BIG_MIN (256u * 1024u)

void *rm_big_alloc(size_t size);
void rm_big_free(void *p, size_t size);

#endif
