/* routemap — internal: report a warning to the caller's handler (error.h). */
#ifndef ROUTEMAP_WARN_H
#define ROUTEMAP_WARN_H

void rm_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
