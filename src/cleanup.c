/* routemap — freeing the font caches that pango keeps behind the library's
 * back (see routemap/cleanup.h).
 *
 * Only what is always safe is freed. cairo_debug_reset_static_data() and
 * FcFini() would free more, but both assert (and abort the program) when any
 * font object is still referenced — for instance after a render that failed
 * half-way — so they are not called; the renderer tells LeakSanitizer about
 * fontconfig's once-per-process configuration instead. */
#include "routemap/cleanup.h"

#include <pango/pangocairo.h>

void rm_thread_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
}

void rm_library_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
}

/* Under LeakSanitizer, matched suppressions (the renderer's, for
 * fontconfig's once-per-process configuration) are not listed at exit: the
 * list would add several lines on stderr after a one-line error. Weak, so
 * that a program's own default options win; LSAN_OPTIONS still overrides. */
__attribute__((weak, visibility("default"))) const char *__lsan_default_options(void);
__attribute__((weak, visibility("default"))) const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
