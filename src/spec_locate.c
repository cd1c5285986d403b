/* routemap — finding where a key path sits in JSON text.
 *
 * jansson keeps no positions for values, so that spec errors can still say
 * "FILE:LINE:COL: routes[0].style.stroke: ..." this file re-scans the text
 * with a small tokenizer that tracks the key path of every value. It uses an
 * explicit stack (no recursion) and gives up past a fixed depth, so hostile
 * nesting cannot exhaust the C stack. */
#include <stdlib.h>
#include <string.h>

#include "spec_internal.h"

#define LOC_MAX_DEPTH 64
#define LOC_MAX_KEY 256

typedef struct frame {
    int is_obj;
    size_t index;          /* arrays: index of the current element */
    char key[LOC_MAX_KEY]; /* objects: the current key, decoded */
    int key_truncated;
} frame;

typedef struct scanner {
    const char *s;
    size_t len, pos;
} scanner;

static void skip_ws(scanner *sc)
{
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        sc->pos++;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int read_hex4(scanner *sc, unsigned *out)
{
    if (sc->pos + 4 > sc->len)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(sc->s[sc->pos + (size_t)i]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    sc->pos += 4;
    *out = v;
    return 0;
}

static void put_utf8(char *buf, size_t cap, size_t *n, unsigned cp, int *trunc)
{
    char tmp[4];
    size_t k;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    if (*n + k >= cap) {
        *trunc = 1;
        return;
    }
    memcpy(buf + *n, tmp, k);
    *n += k;
}

/* Reads a string starting at the opening quote; when buf is given, decodes
 * it into buf (NUL-terminated, truncated flag set when it did not fit).
 * Returns 0, or -1 on malformed text. */
static int read_string(scanner *sc, char *buf, size_t cap, int *trunc)
{
    size_t n = 0;
    sc->pos++; /* opening quote */
    while (sc->pos < sc->len) {
        unsigned char c = (unsigned char)sc->s[sc->pos++];
        if (c == '"') {
            if (buf)
                buf[n] = '\0';
            return 0;
        }
        if (c == '\\') {
            if (sc->pos >= sc->len)
                return -1;
            char e = sc->s[sc->pos++];
            unsigned cp;
            switch (e) {
            case 'b':
                cp = '\b';
                break;
            case 'f':
                cp = '\f';
                break;
            case 'n':
                cp = '\n';
                break;
            case 'r':
                cp = '\r';
                break;
            case 't':
                cp = '\t';
                break;
            case 'u':
                if (read_hex4(sc, &cp))
                    return -1;
                if (cp >= 0xD800 && cp < 0xDC00 && sc->pos + 6 <= sc->len &&
                    sc->s[sc->pos] == '\\' && sc->s[sc->pos + 1] == 'u') {
                    unsigned lo;
                    sc->pos += 2;
                    if (read_hex4(sc, &lo))
                        return -1;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                break;
            default:
                cp = (unsigned char)e;
            }
            if (buf)
                put_utf8(buf, cap, &n, cp, trunc);
            continue;
        }
        if (buf) {
            if (n + 1 >= cap)
                *trunc = 1;
            else
                buf[n++] = (char)c;
        }
    }
    return -1;
}

/* Skips a number or a literal (true/false/null). */
static void skip_scalar(scanner *sc)
{
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r')
            break;
        sc->pos++;
    }
}

static int path_matches(const frame *st, size_t depth, const rm_path_step *path, size_t n)
{
    if (depth != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (path[i].key) {
            if (!st[i].is_obj || st[i].key_truncated || strcmp(st[i].key, path[i].key) != 0)
                return 0;
        } else if (st[i].is_obj || st[i].index != path[i].index) {
            return 0;
        }
    }
    return 1;
}

static void offset_to_linecol(const char *s, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n') {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80) {
            c++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    *line = l;
    *col = c;
}

enum { EXPECT_VALUE, EXPECT_KEY_OR_END, EXPECT_VALUE_OR_END, AFTER_VALUE };

int rm_json_locate(const char *text, size_t len, const rm_path_step *path, size_t n, int at_key,
                   int *line, int *col)
{
    if (!text || n > LOC_MAX_DEPTH)
        return -1;
    frame *st = calloc(LOC_MAX_DEPTH, sizeof *st);
    if (!st)
        return -1;
    scanner sc = {text, len, 0};
    size_t depth = 0;
    int state = EXPECT_VALUE, found = -1;
    size_t where = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        sc.pos = 3;
    while (found < 0) {
        skip_ws(&sc);
        if (sc.pos >= sc.len)
            break;
        char c = sc.s[sc.pos];
        if (state == EXPECT_VALUE || (state == EXPECT_VALUE_OR_END && c != ']')) {
            if (path_matches(st, depth, path, n)) {
                where = sc.pos;
                found = 1;
                break;
            }
            if (c == '{' || c == '[') {
                if (depth >= LOC_MAX_DEPTH)
                    break;
                frame *f = &st[depth++];
                memset(f, 0, sizeof *f);
                f->is_obj = c == '{';
                sc.pos++;
                state = f->is_obj ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
            } else if (c == '"') {
                if (read_string(&sc, NULL, 0, NULL))
                    break;
                state = AFTER_VALUE;
            } else {
                size_t before = sc.pos;
                skip_scalar(&sc);
                if (sc.pos == before)
                    break; /* malformed: stray character */
                state = AFTER_VALUE;
            }
        } else if (state == EXPECT_KEY_OR_END) {
            frame *f = &st[depth - 1];
            if (c == '}') {
                sc.pos++;
                depth--;
                state = AFTER_VALUE;
                continue;
            }
            if (c != '"')
                break;
            size_t key_at = sc.pos;
            f->key_truncated = 0;
            if (read_string(&sc, f->key, sizeof f->key, &f->key_truncated))
                break;
            if (at_key && path_matches(st, depth, path, n)) {
                where = key_at;
                found = 1;
                break;
            }
            skip_ws(&sc);
            if (sc.pos >= sc.len || sc.s[sc.pos] != ':')
                break;
            sc.pos++;
            state = EXPECT_VALUE;
        } else if (state == EXPECT_VALUE_OR_END) { /* c == ']' */
            sc.pos++;
            depth--;
            state = AFTER_VALUE;
        } else { /* AFTER_VALUE */
            if (depth == 0)
                break;
            frame *f = &st[depth - 1];
            if (c == ',') {
                sc.pos++;
                if (f->is_obj) {
                    state = EXPECT_KEY_OR_END;
                } else {
                    f->index++;
                    state = EXPECT_VALUE;
                }
            } else if ((c == '}' && f->is_obj) || (c == ']' && !f->is_obj)) {
                sc.pos++;
                depth--;
                state = AFTER_VALUE;
            } else {
                break;
            }
        }
    }
    free(st);
    if (found < 0)
        return -1;
    offset_to_linecol(text, where, line, col);
    return 0;
}

int rm_json_depth(const char *text, size_t len, int cap)
{
    int depth = 0, maxd = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > maxd) {
                maxd = depth;
                if (maxd > cap)
                    return maxd;
            }
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return maxd;
}

/* ---- render errors pointed back at the spec ---- */

void rm_spec_locate_error(const rm_spec *spec, rm_error *err)
{
    if (!spec || !err || !spec->source_text || !spec->source_name)
        return;
    const char *m = err->message;
    int is_route = !strncmp(m, "route ", 6), is_marker = !strncmp(m, "marker ", 7);
    if (!is_route && !is_marker)
        return;
    const char *p = m + (is_route ? 6 : 7);
    char *end;
    long n = strtol(p, &end, 10);
    if (end == p || strncmp(end, ": ", 2) != 0 || n < 1)
        return;
    const char *rest = end + 2;
    /* the place named in the message: 'X' after "unknown place " */
    const char *q = strstr(rest, "place '");
    char name[256] = "";
    if (q) {
        q += 7;
        const char *e = strchr(q, '\'');
        size_t k = e ? (size_t)(e - q) : 0;
        if (k >= sizeof name)
            k = sizeof name - 1;
        memcpy(name, q, k);
        name[k] = 0;
    }
    rm_path_step path[4];
    size_t depth = 0;
    char label[96];
    size_t i = (size_t)n - 1;
    if (is_marker) {
        if (i >= spec->nmarkers || !spec->markers[i].place)
            return;
        path[0] = (rm_path_step){"markers", 0};
        path[1] = (rm_path_step){NULL, i};
        path[2] = (rm_path_step){"place", 0};
        depth = 3;
        snprintf(label, sizeof label, "markers[%zu].place", i);
    } else {
        if (i >= spec->nroutes)
            return;
        const rm_route_spec *r = &spec->routes[i];
        path[0] = (rm_path_step){"routes", 0};
        path[1] = (rm_path_step){NULL, i};
        if (r->to && !strcmp(r->to, name)) {
            path[2] = (rm_path_step){"to", 0};
            depth = 3;
            snprintf(label, sizeof label, "routes[%zu].to", i);
        } else if (r->from && !strcmp(r->from, name)) {
            path[2] = (rm_path_step){"from", 0};
            depth = 3;
            snprintf(label, sizeof label, "routes[%zu].from", i);
        } else {
            for (size_t k = 0; k < r->nvia && !depth; k++)
                if (r->via[k] && !strcmp(r->via[k], name)) {
                    path[2] = (rm_path_step){"via", 0};
                    path[3] = (rm_path_step){NULL, k};
                    depth = 4;
                    snprintf(label, sizeof label, "routes[%zu].via[%zu]", i, k);
                }
            if (!depth) {
                depth = 2;
                snprintf(label, sizeof label, "routes[%zu]", i);
            }
        }
    }
    int line, col;
    if (rm_json_locate(spec->source_text, spec->source_len, path, depth, 0, &line, &col) != 0)
        return;
    char msg[RM_ERROR_MAX];
    snprintf(msg, sizeof msg, "%s:%d:%d: %s: %s", spec->source_name, line, col, label, rest);
    rm_status st = err->status;
    rm_error_set(err, st, "%s", msg);
}
