/* routemap — private: large allocations populated in one go (see bigmem.h). */
#include "bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Returns size bytes (uninitialised for malloc'ed blocks, zeroed for mapped
 * ones), or NULL. */
void *rm_big_alloc(size_t size)
{
    if (size < RM_BIG_MIN)
        return malloc(size ? size : 1);
#ifdef MAP_POPULATE
    void *p =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
#else
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
#endif
    return p == MAP_FAILED ? NULL : p;
}

void rm_big_free(void *p, size_t size)
{
    if (!p)
        return;
    if (size < RM_BIG_MIN)
        free(p);
    else
        munmap(p, size);
}
