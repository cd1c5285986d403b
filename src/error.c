/* routemap — errors: one-line messages carried in a caller-owned object. */
#include "routemap/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Keeps a message on one printable line whatever it quotes from the input
 * (a CSV field, jansson's "near '...'" text, a layer id): control bytes
 * (line breaks too) become '?', and a UTF-8 sequence cut by the buffer's end
 * is dropped. The CLI prints the message as it is. */
static void one_line(char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char c = (unsigned char)s[n];
        if (c < 0x20 || c == 0x7f)
            s[n] = '?';
    }
    if (n + 1 < RM_ERROR_MAX)
        return; /* not truncated */
    size_t k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80 && n - k < 3)
        k--;
    if (k > 0 && (unsigned char)s[k - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)s[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (k - 1) < want)
            s[k - 1] = '\0';
    }
}

/* Records status and the formatted message; returns status so that a failing
 * function can end with `return rm_error_set(...)`. */
rm_status rm_error_set(rm_error *err, rm_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->status = status;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        one_line(err->message);
    }
    return status;
}

/* Puts "prefix: " in front of the message already recorded, so that an outer
 * layer can name the file or key without the inner one knowing it. */
void rm_error_prefix(rm_error *err, const char *fmt, ...)
{
    if (!err)
        return;
    char prefix[RM_ERROR_MAX], old[RM_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->message, sizeof old);
    old[sizeof old - 1] = '\0';
    size_t n = strlen(prefix);
    if (n > sizeof err->message - 3)
        n = sizeof err->message - 3;
    memcpy(err->message, prefix, n);
    memcpy(err->message + n, ": ", 2);
    size_t room = sizeof err->message - n - 3, m = strlen(old);
    if (m > room)
        m = room;
    memcpy(err->message + n + 2, old, m);
    err->message[n + 2 + m] = '\0';
    one_line(err->message);
}

void rm_error_clear(rm_error *err)
{
    if (err) {
        err->status = RM_OK;
        err->message[0] = '\0';
    }
}

const char *rm_status_name(rm_status status)
{
    switch (status) {
    case RM_OK:
        return "ok";
    case RM_ERR_NOMEM:
        return "out of memory";
    case RM_ERR_IO:
        return "i/o";
    case RM_ERR_FORMAT:
        return "format";
    case RM_ERR_SPEC:
        return "spec";
    case RM_ERR_USAGE:
        return "usage";
    case RM_ERR_NOT_FOUND:
        return "not found";
    case RM_ERR_PROJ:
        return "projection";
    case RM_ERR_LIMIT:
        return "limit";
    case RM_ERR_NO_PATH:
        return "no path";
    case RM_ERR_RENDER:
        return "render";
    }
    return "unknown";
}

/* 0 success; 1 the map could not be made; 2 bad usage or bad input. */
int rm_status_exit_code(rm_status status)
{
    switch (status) {
    case RM_OK:
        return 0;
    case RM_ERR_NO_PATH:
    case RM_ERR_RENDER:
    case RM_ERR_NOMEM:
        return 1;
    default:
        return 2;
    }
}
