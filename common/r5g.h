/* rollout5g common core: error context and logging. Depends on libc only. */
#ifndef R5G_H
#define R5G_H

#include <stdarg.h>
#include <stddef.h>

/* Return codes of fallible functions (0 ok, negative on failure). */
enum {
    R5G_OK = 0,
    R5G_EINPUT = -1,      /* bad user input: scenario, layer, value */
    R5G_EIO = -2,         /* file system or library I/O failure */
    R5G_ENOMEM = -3,      /* out of memory */
    R5G_EINFEASIBLE = -4, /* the model has no feasible plan */
    R5G_ETIMELIMIT = -5,  /* the time limit ended the search */
    R5G_EINTERNAL = -6,   /* a library refused a call we thought valid */
    R5G_EUSAGE = -7,      /* command-line misuse */
    R5G_ECANCELLED = -8   /* the caller's progress callback asked to stop */
};

/* Process exit codes (documented in rollout5g(1)). */
enum {
    R5G_EXIT_OK = 0,
    R5G_EXIT_ERROR = 1,
    R5G_EXIT_USAGE = 2,
    R5G_EXIT_INFEASIBLE = 3,
    R5G_EXIT_TIMELIMIT = 4,
    R5G_EXIT_CHECK_FAILED = 5 /* `verify`: a check of the plan failed */
};

/* Error context, passed last to every fallible function. The message names
 * the thing and the value ("demand.geojson feature 117: weight -3 is negative"). */
typedef struct r5g_err {
    int code;
    char msg[2048];
} r5g_err;

/* Sets err (if not NULL) and returns code, so callers can `return r5g_err_set(...)`. */
int r5g_err_set(r5g_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void r5g_err_clear(r5g_err *err);
/* Prefixes the existing message with "prefix: " (used sparingly: never reword). */
void r5g_err_prefix(r5g_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int r5g_exit_code(int rc);
/* Keeps the message on one line: control characters that came in with a
 * quoted value (a line break in a YAML string, a tab in a field name) become
 * \n, \r, \t or \xHH. */
void r5g_err_one_line(r5g_err *err);

/* Logging to stderr. Levels: 0 error, 1 warning, 2 info (default), 3 debug.
 * The level is process-wide and set once by main() before any work starts. */
enum { R5G_LOG_ERROR = 0, R5G_LOG_WARN = 1, R5G_LOG_INFO = 2, R5G_LOG_DEBUG = 3 };
void r5g_log_set_level(int level);
int r5g_log_level(void);
void r5g_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void r5g_vlog(int level, const char *fmt, va_list ap);

/* Small helpers. All abort-free: they return NULL / negative on failure. */
char *r5g_strdup(const char *s);
char *r5g_strndup(const char *s, size_t n);
char *r5g_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double r5g_now(void); /* monotonic seconds */
/* The share of a processor the machine's load leaves this process: the
 * processors over the load average of the last minute, at most 1 (1 when
 * the load is unknown). */
double r5g_load_share(void);
/* Levenshtein distance, for "did you mean" suggestions. */
int r5g_edit_distance(const char *a, const char *b);

#endif
