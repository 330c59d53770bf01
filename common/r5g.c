#include "r5g.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int r5g_err_set(r5g_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

void r5g_err_one_line(r5g_err *err)
{
    if (!err)
        return;
    const unsigned char *p = (const unsigned char *)err->msg;
    while (*p >= 0x20 && *p != 0x7f)
        p++;
    if (!*p)
        return; /* nothing to escape */
    char old[sizeof err->msg];
    memcpy(old, err->msg, sizeof old);
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)old; *s && n + 5 < sizeof err->msg; s++) {
        if (*s >= 0x20 && *s != 0x7f)
            err->msg[n++] = (char)*s;
        else if (*s == '\n' || *s == '\r' || *s == '\t')
            n += (size_t)snprintf(err->msg + n, 3, "\\%c", *s == '\n' ? 'n' : *s == '\r' ? 'r' : 't');
        else
            n += (size_t)snprintf(err->msg + n, 5, "\\x%02x", *s);
    }
    err->msg[n] = '\0';
}

void r5g_err_clear(r5g_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

void r5g_err_prefix(r5g_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char pre[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(pre);
    if (n + 2 >= sizeof err->msg)
        n = sizeof err->msg - 3;
    memcpy(err->msg, pre, n);
    memcpy(err->msg + n, ": ", 2);
    size_t room = sizeof err->msg - n - 3;
    size_t lo = strlen(old);
    if (lo > room)
        lo = room;
    memcpy(err->msg + n + 2, old, lo);
    err->msg[n + 2 + lo] = '\0';
}

int r5g_exit_code(int rc)
{
    switch (rc) {
    case R5G_OK: return R5G_EXIT_OK;
    case R5G_EUSAGE: return R5G_EXIT_USAGE;
    case R5G_EINFEASIBLE: return R5G_EXIT_INFEASIBLE;
    case R5G_ETIMELIMIT: return R5G_EXIT_TIMELIMIT;
    default: return R5G_EXIT_ERROR;
    }
}

static int log_level = R5G_LOG_INFO; /* set once by main() */

void r5g_log_set_level(int level) { log_level = level; }
int r5g_log_level(void) { return log_level; }

void r5g_vlog(int level, const char *fmt, va_list ap)
{
    if (level > log_level)
        return;
    static const char *const tag[] = {"error: ", "warning: ", "", "debug: "};
    fputs("rollout5g: ", stderr);
    fputs(tag[level < 0 ? 0 : level > 3 ? 3 : level], stderr);
    vfprintf(stderr, fmt, ap);
    size_t n = strlen(fmt);
    if (n == 0 || fmt[n - 1] != '\n')
        fputc('\n', stderr);
}

void r5g_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r5g_vlog(level, fmt, ap);
    va_end(ap);
}

char *r5g_strdup(const char *s)
{
    return s ? r5g_strndup(s, strlen(s)) : NULL;
}

char *r5g_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *r5g_asprintf(const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}

double r5g_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double r5g_load_share(void)
{
    double load;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu > 0 && getloadavg(&load, 1) == 1 && load > (double)ncpu)
        return (double)ncpu / load;
    return 1;
}

int r5g_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    int row[65];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int sub = prev + (a[i - 1] != b[j - 1]);
            int del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}
