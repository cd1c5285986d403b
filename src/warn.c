/* routemap — warnings, passed to a handler the caller sets (error.h). */
#include "routemap/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "warn.h"

static rm_warning_fn handler;
static void *handler_data;

void rm_set_warning_handler(rm_warning_fn fn, void *data)
{
    handler = fn;
    handler_data = data;
}

void rm_warn(const char *fmt, ...)
{
    rm_warning_fn fn = handler;
    if (!fn)
        return;
    char msg[RM_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    fn(msg, handler_data);
}
