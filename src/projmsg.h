/* routemap — PROJ's own error text. PROJ reports most failures as the
 * generic errno 4096 ("Unknown error (code 4096)") and says what went wrong
 * only to its log; a context given a projmsg keeps the last logged error
 * (without the "proj_create: " prefix) so that messages can quote it. The
 * library never prints: nothing reaches stderr. */
#ifndef ROUTEMAP_PROJMSG_H
#define ROUTEMAP_PROJMSG_H

#include <proj.h>
#include <string.h>

typedef struct rm_projmsg {
    char text[320];
} rm_projmsg;

static void rm_projmsg_log(void *data, int level, const char *msg)
{
    rm_projmsg *m = data;
    if (!m || !msg || level > PJ_LOG_ERROR)
        return;
    /* "proj_create: crs not found" -> "crs not found" */
    const char *p = msg;
    if (!strncmp(p, "proj_", 5) || !strncmp(p, "pj_", 3)) {
        const char *c = strstr(p, ": ");
        if (c && strcspn(p, ": ") == (size_t)(c - p))
            p = c + 2;
    }
    size_t n = strlen(p);
    if (n >= sizeof m->text)
        n = sizeof m->text - 1;
    memcpy(m->text, p, n);
    m->text[n] = 0;
    while (n && (m->text[n - 1] == '\n' || m->text[n - 1] == ' '))
        m->text[--n] = 0;
}

static inline void rm_projmsg_attach(PJ_CONTEXT *ctx, rm_projmsg *m)
{
    m->text[0] = 0;
    proj_log_func(ctx, m, rm_projmsg_log);
    proj_log_level(ctx, PJ_LOG_ERROR);
}

static inline void rm_projmsg_clear(rm_projmsg *m)
{
    m->text[0] = 0;
}

/* The logged text, else PROJ's errno text unless it is the generic one,
 * else fallback. */
static inline const char *rm_projmsg_text(PJ_CONTEXT *ctx, const rm_projmsg *m,
                                          const char *fallback)
{
    if (m->text[0])
        return m->text;
    int e = proj_context_errno(ctx);
    const char *t = e ? proj_context_errno_string(ctx, e) : NULL;
    if (t && strncmp(t, "Unknown error", 13) != 0)
        return t;
    return fallback;
}

#endif
