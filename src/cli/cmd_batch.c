/* routemap CLI — batch: many maps in parallel.
 *
 * Jobs come from SPEC.json arguments and/or a JSON-lines file (--jobs): each
 * line is either a whole spec object, or {"spec": PATH, "output": PATH,
 * overrides...} naming a spec file plus the same overrides as render's
 * flags. All specs are read first (a bad one fails only its own job), then
 * N worker threads take jobs in turn and render them; one failing map never
 * stops the others. Progress goes to stderr: a bar on a terminal, one plain
 * line per map otherwise; a summary ends the run. Exit 1 if any map failed. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "routemap.h"
#include "spec_overrides.h"

static const char batch_usage[] =
    "usage: routemap batch [SPEC.json...] [--jobs FILE.jsonl] [options]\n"
    "\n"
    "Renders many maps in parallel. Each SPEC.json is one map; each line of\n"
    "FILE.jsonl is one map: either a whole spec object, or an object\n"
    "  {\"spec\": \"PATH.json\", \"output\": \"OUT.png\", OVERRIDES...}\n"
    "where OVERRIDES are any of format, preset, size (\"WxH\"), dpi, theme,\n"
    "projection, extent (\"auto\" or [minlon,minlat,maxlon,maxlat]), title, data_dir,\n"
    "transparent, like render's flags. Paths in a jobs line resolve against the\n"
    "jobs file's directory (outputs against --out-dir). Without an output, a map\n"
    "is written as NAME.svg (NAME: the spec's base name, or job-LINE for a line).\n"
    "\n"
    "options:\n"
    "      --jobs FILE       read jobs from FILE ('-' for stdin), one JSON object a line\n"
    "  -j, --parallel N      render N maps at once (default: the number of online CPUs)\n"
    "      --out-dir DIR     write relative outputs under DIR (created if missing)\n"
    "  -f, --format FMT      default format for jobs that name none: svg, pdf or png\n"
    "  -q, --quiet           no progress and no warnings, only failures and the summary\n"
    "  -v, --verbose         a line for every map, even on a terminal\n"
    "      --json            print the summary as JSON on stdout: every job's input,\n"
    "                        output, status, message and seconds, and the totals\n"
    "  -h, --help            this help\n"
    "\n"
    "Progress and a summary (maps ok, failed, seconds, maps per second) go to stderr.\n"
    "Exit codes: 0 every map made, 1 at least one map failed, 2 bad usage (unknown\n"
    "option, missing spec or jobs file).\n";

typedef struct job {
    char *name;     /* for messages */
    char stem[64];  /* default output name without extension */
    rm_spec *spec;  /* NULL when reading it failed */
    rm_overrides o; /* overrides (strings owned by the job) */
    char *strs[8];  /* the override strings, freed with the job */
    char *output;   /* resolved output path */
    rm_format fmt;
    rm_status status;
    char message[RM_ERROR_MAX];
    double seconds;
} job;

typedef struct batch {
    job *jobs;
    size_t n, cap;
    size_t next, done, ok, failed;
    int tty, quiet, verbose;
    double t0;
    pthread_mutex_t lock;
} batch;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static job *add_job(batch *b, const char *name)
{
    if (b->n == b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 16;
        job *nj = realloc(b->jobs, ncap * sizeof *nj);
        if (!nj)
            return NULL;
        b->jobs = nj;
        b->cap = ncap;
    }
    job *j = &b->jobs[b->n];
    memset(j, 0, sizeof *j);
    j->name = strdup(name);
    if (!j->name)
        return NULL;
    rm_cli_clean(j->name);
    b->n++;
    return j;
}

static void job_fail(job *j, rm_status st, const char *msg)
{
    j->status = st ? st : RM_ERR_SPEC;
    snprintf(j->message, sizeof j->message, "%.*s", (int)sizeof j->message - 1, msg);
    rm_spec_free(j->spec);
    j->spec = NULL;
}

/* A string owned by the job (freed with it). */
static const char *job_str(job *j, const char *s)
{
    for (size_t i = 0; i < sizeof j->strs / sizeof j->strs[0]; i++)
        if (!j->strs[i]) {
            j->strs[i] = strdup(s);
            return j->strs[i];
        }
    return NULL;
}

static void free_job(job *j)
{
    free(j->name);
    rm_spec_free(j->spec);
    for (size_t i = 0; i < sizeof j->strs / sizeof j->strs[0]; i++)
        free(j->strs[i]);
    free(j->output);
}

static char *path_join(const char *dir, const char *rel)
{
    if (!dir || !*dir || rel[0] == '/')
        return strdup(rel);
    size_t a = strlen(dir), b = strlen(rel);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, rel, b + 1);
    return p;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup("");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Levenshtein distance for "did you mean" on job keys. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[40], cur[40];
    if (la > 38 || lb > 38)
        return 99;
    for (size_t k = 0; k <= lb; k++)
        prev[k] = k;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t k = 1; k <= lb; k++) {
            size_t best = prev[k - 1] + (a[i - 1] != b[k - 1]);
            if (prev[k] + 1 < best)
                best = prev[k] + 1;
            if (cur[k - 1] + 1 < best)
                best = cur[k - 1] + 1;
            cur[k] = best;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

/* Reads the overrides of a {"spec": ...} jobs line into j->o; 0 or -1 with
 * j->message set. */
static int job_overrides(job *j, json_t *obj)
{
    static const char *const keys[] = {"spec",   "output", "format",   "preset",
                                       "size",   "dpi",    "theme",    "projection",
                                       "extent", "title",  "data_dir", "transparent"};
    const size_t nkeys = sizeof keys / sizeof keys[0];
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t i, best = 0, bestd = 99;
        for (i = 0; i < nkeys; i++) {
            if (!strcmp(key, keys[i]))
                break;
            size_t d = distance(key, keys[i]);
            if (d < bestd) {
                bestd = d;
                best = i;
            }
        }
        if (i == nkeys) {
            if (bestd <= 1 + strlen(key) / 3)
                snprintf(j->message, sizeof j->message, "%s: unknown key '%s' (did you mean '%s'?)",
                         j->name, key, keys[best]);
            else
                snprintf(j->message, sizeof j->message, "%s: unknown key '%s'", j->name, key);
            return -1;
        }
        int is_str = json_is_string(v);
        const char *s = is_str ? json_string_value(v) : NULL;
        if (!strcmp(key, "spec")) {
            if (!is_str)
                goto not_string;
        } else if (!strcmp(key, "transparent")) {
            if (!json_is_boolean(v)) {
                snprintf(j->message, sizeof j->message, "%s: transparent: expected true or false",
                         j->name);
                return -1;
            }
            j->o.transparent = json_is_true(v);
        } else if (!strcmp(key, "dpi")) {
            if (!json_is_number(v) || json_number_value(v) <= 0) {
                snprintf(j->message, sizeof j->message, "%s: dpi: expected a positive number",
                         j->name);
                return -1;
            }
            j->o.has_dpi = 1;
            j->o.dpi = json_number_value(v);
        } else if (!strcmp(key, "size")) {
            if (!is_str || rm_parse_size(s, &j->o.width, &j->o.height)) {
                snprintf(j->message, sizeof j->message, "%s: size: expected \"WIDTHxHEIGHT\"",
                         j->name);
                return -1;
            }
            j->o.has_size = 1;
        } else if (!strcmp(key, "extent")) {
            int bad = 0;
            if (is_str) {
                bad = rm_parse_extent(s, &j->o.extent_auto, j->o.extent);
            } else if (json_is_array(v) && json_array_size(v) == 4) {
                for (size_t k = 0; k < 4; k++) {
                    json_t *e = json_array_get(v, k);
                    if (!json_is_number(e))
                        bad = 1;
                    else
                        j->o.extent[k] = json_number_value(e);
                }
                j->o.extent_auto = 0;
            } else {
                bad = 1;
            }
            if (bad) {
                snprintf(j->message, sizeof j->message,
                         "%s: extent: expected \"auto\" or [minlon, minlat, maxlon, maxlat]",
                         j->name);
                return -1;
            }
            j->o.has_extent = 1;
        } else {
            if (!is_str)
                goto not_string;
            const char *copy = job_str(j, s);
            if (!copy) {
                snprintf(j->message, sizeof j->message, "%s: out of memory", j->name);
                return -1;
            }
            if (!strcmp(key, "output"))
                j->o.output = copy;
            else if (!strcmp(key, "format"))
                j->o.format = copy;
            else if (!strcmp(key, "preset"))
                j->o.preset = copy;
            else if (!strcmp(key, "theme"))
                j->o.theme = copy;
            else if (!strcmp(key, "projection"))
                j->o.projection = copy;
            else if (!strcmp(key, "title"))
                j->o.title = copy;
            else if (!strcmp(key, "data_dir"))
                j->o.data_dir = copy;
        }
        continue;
    not_string:
        snprintf(j->message, sizeof j->message, "%s: %s: expected a string", j->name, key);
        return -1;
    }
    return 0;
}

/* Reads one SPEC.json argument as a job. */
static int add_spec_job(batch *b, const char *path, const rm_overrides *defaults)
{
    job *j = add_job(b, path);
    if (!j)
        return -1;
    j->o = *defaults;
    const char *base = strrchr(path, '/');
    snprintf(j->stem, sizeof j->stem, "%s", base ? base + 1 : path);
    char *dot = strrchr(j->stem, '.');
    if (dot && dot != j->stem)
        *dot = '\0';
    rm_error err;
    rm_error_clear(&err);
    j->spec = rm_spec_parse_file(path, &err);
    if (!j->spec)
        job_fail(j, err.status, err.message);
    return 0;
}

/* Reads every line of a jobs file as a job. Returns 0, or 2 when the file
 * cannot be read (usage error), -1 when out of memory. */
/* One line of at most max bytes (with its newline) into *buf; its length,
 * -1 at the end, -2 when the line is longer than max (then the rest of the
 * file is not read: /dev/zero has no line end). */
static ssize_t line_capped(FILE *f, char **buf, size_t *cap, size_t max)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF) {
        if (n + 2 > *cap) {
            if (n >= max)
                return -2;
            size_t nc = *cap ? *cap * 2 : 4096;
            char *nb = realloc(*buf, nc);
            if (!nb)
                return -2;
            *buf = nb;
            *cap = nc;
        }
        if (n >= max)
            return -2;
        (*buf)[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (n == 0)
        return -1;
    (*buf)[n] = '\0';
    return (ssize_t)n;
}

#define JOBS_MAX_LINE (16u << 20) /* bytes of one jobs line, like a spec file */
#define JOBS_MAX 100000           /* lines of a jobs file */

static int add_jobs_file(batch *b, const char *path, const rm_overrides *defaults)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        rm_cli_error("batch: --jobs %s: %s", path, strerror(errno));
        return 2;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 &&
        (S_ISDIR(sb.st_mode) || S_ISCHR(sb.st_mode) || S_ISBLK(sb.st_mode))) {
        /* a file, a FIFO or standard output may hold jobs; /dev/zero may not */
        rm_cli_error("batch: --jobs %s: is a %s, not a jobs file", path,
                     S_ISDIR(sb.st_mode) ? "directory" : "device");
        if (f != stdin)
            fclose(f);
        return 2;
    }
    char *base = strcmp(path, "-") ? dir_of(path) : strdup("");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    int rc = 0;
    while (base && (len = line_capped(f, &line, &cap, JOBS_MAX_LINE)) != -1) {
        if (len == -2 || lineno >= JOBS_MAX) {
            rm_cli_error(len == -2 ? "batch: %s line %ld: longer than %u MB, refused"
                                   : "batch: %s: more than %ld jobs, refused",
                         strcmp(path, "-") ? path : "stdin",
                         len == -2 ? lineno + 1 : (long)JOBS_MAX, JOBS_MAX_LINE >> 20);
            rc = 2;
            break;
        }
        lineno++;
        size_t k = 0;
        while (k < (size_t)len &&
               (line[k] == ' ' || line[k] == '\t' || line[k] == '\r' || line[k] == '\n'))
            k++;
        if (k == (size_t)len)
            continue; /* blank line */
        char name[4200];
        snprintf(name, sizeof name, "%s line %ld", strcmp(path, "-") ? path : "stdin", lineno);
        job *j = add_job(b, name);
        if (!j) {
            rc = -1;
            break;
        }
        j->o = *defaults;
        snprintf(j->stem, sizeof j->stem, "job-%04ld", lineno);
        json_error_t je;
        json_t *obj = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &je);
        if (!obj || !json_is_object(obj)) {
            char msg[RM_ERROR_MAX];
            if (obj)
                snprintf(msg, sizeof msg, "%.300s: expected a JSON object", name);
            else
                snprintf(msg, sizeof msg, "%.300s:%d: %s", name, je.column, je.text);
            job_fail(j, RM_ERR_SPEC, msg);
            json_decref(obj);
            continue;
        }
        rm_error err;
        rm_error_clear(&err);
        json_t *ref = json_object_get(obj, "spec");
        if (ref) {
            if (job_overrides(j, obj)) {
                char msg[RM_ERROR_MAX];
                memcpy(msg, j->message, sizeof msg);
                job_fail(j, RM_ERR_SPEC, msg);
            } else {
                char *sp = path_join(base, json_string_value(ref));
                j->spec = sp ? rm_spec_parse_file(sp, &err) : NULL;
                if (!j->spec)
                    job_fail(j, sp ? err.status : RM_ERR_NOMEM, sp ? err.message : "out of memory");
                free(sp);
            }
        } else {
            j->spec = rm_spec_parse_text_at(line, (size_t)len, name, base, &err);
            if (!j->spec)
                job_fail(j, err.status, err.message);
        }
        json_decref(obj);
    }
    if (!base)
        rc = -1;
    free(line);
    free(base);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int has_image_ext(const char *path)
{
    if (!path)
        return 0;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) &&
           (!strcasecmp(dot, ".svg") || !strcasecmp(dot, ".pdf") || !strcasecmp(dot, ".png"));
}

/* 1 when output a is the file b (whose canonical path is cb, or NULL). */
static int same_output(const char *a, const char *b, const char *cb)
{
    if (!strcmp(a, b))
        return 1;
    if (!cb)
        return 0;
    char *ca = rm_output_canonical(a);
    int same = ca && !strcmp(ca, cb);
    free(ca);
    return same;
}

/* Decides every job's output path and format; two jobs writing the same file
 * would race, so the later one fails. */
static int plan_outputs(batch *b, const char *out_dir, const char *default_format)
{
    for (size_t i = 0; i < b->n; i++) {
        job *j = &b->jobs[i];
        if (!j->spec)
            continue;
        /* --format is the default for jobs whose format nothing else decides */
        const char *given = rm_overrides_output(j->spec, &j->o, NULL);
        if (default_format && !j->o.format && !j->spec->format && !has_image_ext(given))
            j->o.format = default_format;
        rm_format fmt = rm_overrides_format(j->spec, &j->o, NULL);
        const char *out = rm_overrides_output(j->spec, &j->o, NULL);
        char named[4400];
        if (!out) {
            snprintf(named, sizeof named, "%s.%s", j->stem,
                     fmt == RM_FORMAT_PDF   ? "pdf"
                     : fmt == RM_FORMAT_PNG ? "png"
                                            : "svg");
            out = named;
        }
        if (!strcmp(out, "-")) {
            job_fail(j, RM_ERR_USAGE, "output '-' (stdout) is not possible in a batch");
            continue;
        }
        j->output = path_join(out_dir, out);
        if (!j->output)
            return -1;
        j->fmt = rm_overrides_format(j->spec, &j->o, j->output);
        rm_error err;
        rm_error_clear(&err);
        if (rm_overrides_apply(j->spec, &j->o, &err)) {
            char msg[RM_ERROR_MAX + 64];
            snprintf(msg, sizeof msg, "%s: %s", j->name, err.message);
            job_fail(j, err.status, msg);
            continue;
        }
        /* the same file by another spelling (./out//a.svg, a symbolic link)
         * is the same output: compared by canonical path */
        char *cj = rm_output_canonical(j->output);
        for (size_t k = 0; k < i; k++)
            if (b->jobs[k].spec && b->jobs[k].output &&
                same_output(b->jobs[k].output, j->output, cj)) {
                char msg[RM_ERROR_MAX];
                snprintf(msg, sizeof msg, "%s: output %s is also written by %s", j->name, j->output,
                         b->jobs[k].name);
                job_fail(j, RM_ERR_USAGE, msg);
                break;
            }
        free(cj);
    }
    return 0;
}

static void progress(batch *b, const job *j)
{
    double el = now_s() - b->t0;
    if (j->status) {
        if (b->tty)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "routemap: batch: FAILED %s: %s\n", j->name, j->message);
    } else if ((!b->tty || b->verbose) && !b->quiet) {
        fprintf(stderr, "[%zu/%zu] ok %s (%.2f s)\n", b->done, b->n, j->output, j->seconds);
    }
    if (b->tty && !b->quiet) {
        const int width = 30;
        int fill = (int)(width * (double)b->done / (double)(b->n ? b->n : 1));
        char bar[64];
        for (int k = 0; k < width; k++)
            bar[k] = k < fill ? '#' : '.';
        bar[width] = '\0';
        fprintf(stderr, "\r\033[K[%s] %zu/%zu  ok %zu  failed %zu  %.1f maps/s", bar, b->done, b->n,
                b->ok, b->failed, el > 0 ? (double)b->done / el : 0.0);
        if (b->done == b->n)
            fputc('\n', stderr);
    }
    fflush(stderr);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next < b->n ? b->next++ : b->n;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->n)
            break;
        job *j = &b->jobs[i];
        if (j->spec) {
            double t = now_s();
            rm_error err;
            rm_error_clear(&err);
            rm_render_options ro;
            memset(&ro, 0, sizeof ro);
            rm_status st = rm_render_file(j->spec, j->output, j->fmt, &ro, &err);
            j->seconds = now_s() - t;
            if (st) {
                j->status = st;
                rm_spec_locate_error(j->spec, &err);
                snprintf(j->message, sizeof j->message, "%s", err.message);
            }
        }
        pthread_mutex_lock(&b->lock);
        b->done++;
        if (j->status)
            b->failed++;
        else
            b->ok++;
        rm_cli_clean(j->message);
        progress(b, j);
        pthread_mutex_unlock(&b->lock);
    }
    rm_thread_cleanup(); /* this thread's font map */
    return NULL;
}

enum { OPT_JOBS = 256, OPT_OUT_DIR, OPT_JSON_SUMMARY };

/* The run as JSON on stdout (--json): the totals and every job. 0, or -1
 * when it cannot be written. */
static int print_summary_json(const batch *b, double seconds, long threads)
{
    json_t *root = json_object(), *jobs = json_array();
    for (size_t i = 0; i < b->n; i++) {
        const job *j = &b->jobs[i];
        json_t *o = json_object();
        json_object_set_new(o, "input", json_string(j->name ? j->name : ""));
        json_object_set_new(o, "output", j->output ? json_string(j->output) : json_null());
        json_object_set_new(o, "ok", json_boolean(j->status == RM_OK));
        json_object_set_new(o, "status", json_string(rm_status_name(j->status)));
        json_object_set_new(o, "exit", json_integer(rm_status_exit_code(j->status)));
        json_object_set_new(o, "message", j->status ? json_string(j->message) : json_null());
        json_object_set_new(o, "seconds", json_real(j->seconds));
        json_array_append_new(jobs, o);
    }
    json_object_set_new(root, "maps", json_integer((json_int_t)b->n));
    json_object_set_new(root, "ok", json_integer((json_int_t)b->ok));
    json_object_set_new(root, "failed", json_integer((json_int_t)b->failed));
    json_object_set_new(root, "seconds", json_real(seconds));
    json_object_set_new(root, "threads", json_integer(threads));
    json_object_set_new(root, "jobs", jobs);
    int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;
    json_decref(root);
    if (rc == 0 && (fputc('\n', stdout) == EOF || fflush(stdout) != 0 || ferror(stdout)))
        rc = -1;
    return rc;
}

static const struct option batch_options[] = {{"jobs", required_argument, NULL, OPT_JOBS},
                                              {"parallel", required_argument, NULL, 'j'},
                                              {"out-dir", required_argument, NULL, OPT_OUT_DIR},
                                              {"format", required_argument, NULL, 'f'},
                                              {"quiet", no_argument, NULL, 'q'},
                                              {"verbose", no_argument, NULL, 'v'},
                                              {"json", no_argument, NULL, OPT_JSON_SUMMARY},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};

int rm_cli_batch(int argc, char **argv)
{
    const char *jobs_file = NULL, *out_dir = NULL, *default_format = NULL;
    long nthreads = sysconf(_SC_NPROCESSORS_ONLN);
    int quiet = 0, verbose = 0, json = 0, c;
    rm_overrides defaults;
    memset(&defaults, 0, sizeof defaults);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":j:f:qvh", batch_options, NULL)) != -1) {
        switch (c) {
        case OPT_JOBS:
            jobs_file = optarg;
            break;
        case 'j': {
            char *end;
            nthreads = strtol(optarg, &end, 10);
            if (*end || nthreads < 1 || nthreads > 256) {
                rm_cli_error("batch: -j '%s': expected a number of threads, 1 .. 256", optarg);
                return 2;
            }
            break;
        }
        case OPT_OUT_DIR:
            out_dir = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "svg") && strcmp(optarg, "pdf") && strcmp(optarg, "png")) {
                rm_cli_error("batch: --format '%s': expected svg, pdf or png", optarg);
                return 2;
            }
            default_format = optarg;
            break;
        case 'v':
            verbose = 1;
            break;
        case OPT_JSON_SUMMARY:
            json = 1;
            break;
        case 'q':
            rm_set_warning_handler(NULL, NULL);
            quiet = 1;
            break;
        case 'h':
            fputs(batch_usage, stdout);
            return 0;
        default:
            rm_cli_bad_option("batch", c, optopt, argv);
            return 2;
        }
    }
    if (nthreads < 1)
        nthreads = 1;
    if (optind >= argc && !jobs_file) {
        rm_cli_error("batch: no maps to make: give SPEC.json files or --jobs FILE.jsonl");
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        if (access(argv[i], R_OK) != 0) {
            rm_cli_error("batch: %s: %s", argv[i], strerror(errno));
            return 2;
        }
    }
    if (out_dir && mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        rm_cli_error("batch: --out-dir %s: %s", out_dir, strerror(errno));
        return 2;
    }
    batch b;
    memset(&b, 0, sizeof b);
    pthread_mutex_init(&b.lock, NULL);
    int rc = 0;
    for (int i = optind; i < argc && rc == 0; i++)
        if (add_spec_job(&b, argv[i], &defaults))
            rc = -1;
    if (rc == 0 && jobs_file)
        rc = add_jobs_file(&b, jobs_file, &defaults);
    if (rc == 0 && plan_outputs(&b, out_dir, default_format))
        rc = -1;
    if (rc == 0 && b.n == 0) {
        rm_cli_error("batch: %s holds no jobs", jobs_file ? jobs_file : "the command line");
        rc = 2;
    }
    if (rc != 0) {
        if (rc < 0)
            rm_cli_error("batch: out of memory");
        for (size_t i = 0; i < b.n; i++)
            free_job(&b.jobs[i]);
        free(b.jobs);
        pthread_mutex_destroy(&b.lock);
        return rc < 0 ? 1 : rc;
    }
    b.tty = isatty(fileno(stderr));
    b.quiet = quiet;
    b.verbose = verbose && !quiet;
    b.t0 = now_s();
    if ((size_t)nthreads > b.n)
        nthreads = (long)b.n;
    pthread_t *th = calloc((size_t)nthreads, sizeof *th);
    long started = 0;
    for (long t = 0; th && t < nthreads; t++) {
        if (pthread_create(&th[t], NULL, worker, &b) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(&b); /* could not start threads: do the work here */
    for (long t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    rm_library_cleanup();
    double el = now_s() - b.t0;
    fprintf(stderr,
            "routemap: batch: %zu maps, %zu ok, %zu failed in %.2f s (%.2f maps/s, %ld threads)\n",
            b.n, b.ok, b.failed, el, el > 0 ? (double)b.ok / el : 0.0, started ? started : 1);
    if (json && print_summary_json(&b, el, started ? started : 1) != 0)
        rm_cli_error("batch: cannot write the JSON summary to standard output");
    int exit_code = b.failed ? 1 : 0;
    for (size_t i = 0; i < b.n; i++)
        free_job(&b.jobs[i]);
    free(b.jobs);
    pthread_mutex_destroy(&b.lock);
    return exit_code;
}
