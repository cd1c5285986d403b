/* libFuzzer target: the CSV marker reader (rm_markers_parse), through the
 * shared driver fz_markers in common.c. */
#include <stdint.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_markers(data, size, "fuzz.csv", 0);
}
