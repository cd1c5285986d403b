/* libFuzzer target: the map spec parser (rm_spec_parse_text), then
 * rm_spec_validate on what it accepted. Runs in the scratch directory, so
 * relative markers_file / data_dir names find nothing of ours. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "routemap/spec.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (chdir(fz_dir()) != 0)
            return 0;
        ready = 1;
    }
    rm_error err;
    rm_error_clear(&err);
    rm_spec *s = rm_spec_parse_text((const char *)data, size, "fuzz.json", &err);
    if (!s) {
        fz_check_message(&err);
        return 0;
    }
    rm_error_clear(&err);
    if (rm_spec_validate(s, &err) != RM_OK)
        fz_check_message(&err);
    rm_spec_free(s);
    return 0;
}
