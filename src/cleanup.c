/* routemap — freeing the caches of cairo, pango and fontconfig (see
 * routemap/cleanup.h). fontconfig is not a direct dependency of the library,
 * so FcFini is looked up at run time in the already loaded libfontconfig. */
#include "routemap/cleanup.h"

#include <cairo.h>
#include <dlfcn.h>
#include <pango/pangocairo.h>

void rm_thread_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
}

void rm_library_cleanup(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    void *self = dlopen(NULL, RTLD_LAZY); /* the program and the libraries it loaded */
    if (!self)
        return;
    void *sym = dlsym(self, "FcFini");
    if (sym) {
        void (*fc_fini)(void);
        *(void **)&fc_fini = sym; /* object pointer to function pointer, the POSIX way */
        fc_fini();
    }
    dlclose(self);
}
