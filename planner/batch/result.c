/* A job's result: the KPI columns, its status and error line, and the
 * record a worker leaves in DIR/jobs/ID.result (written atomically and
 * durably after its plan) so that a coordinator that was killed, or a Slurm
 * task that has no manifest of its own, loses nothing. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/afile.h"
#include "common/strbuf.h"
#include "planner/batch/batch_int.h"

static const char *const kpi_names[PL_BKPI_COUNT] = {
    "objective",     "bound",          "gap",           "seconds",
    "solve_seconds", "total_budget",   "total_capex",   "covered_share",
    "on_time_share", "whitelist_on_time_share", "covered_weight", "idle_site_periods",
    "sites_built",
};

const char *pl_bkpi_name(int k) { return k >= 0 && k < PL_BKPI_COUNT ? kpi_names[k] : NULL; }

int pl_bkpi_find(const char *name)
{
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        if (strcmp(kpi_names[k], name) == 0)
            return k;
    return -1;
}

int pl_bkpi_is_int(int k) { return k == PL_BKPI_IDLE_SITE_PERIODS || k == PL_BKPI_SITES_BUILT; }
int pl_bkpi_is_timing(int k) { return k == PL_BKPI_SECONDS || k == PL_BKPI_SOLVE_SECONDS; }

void pl_bresult_init(pl_bresult *r, const char *job_id)
{
    memset(r, 0, sizeof *r);
    snprintf(r->job_id, sizeof r->job_id, "%s", job_id ? job_id : "");
    snprintf(r->status, sizeof r->status, "pending");
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        r->kpi[k] = NAN;
}

int pl_bstatus_has_plan(const char *status)
{
    return strcmp(status, "done") == 0 || strcmp(status, "time_limit") == 0;
}

int pl_bstatus_final(const char *status)
{
    return pl_bstatus_has_plan(status) || strcmp(status, "failed") == 0 || strcmp(status, "infeasible") == 0;
}

/* one line, no tabs: the record is line-oriented */
static void put_text(r5g_str *b, const char *key, const char *v)
{
    r5g_str_appendf(b, "%s\t", key);
    for (const char *s = v; *s; s++)
        r5g_str_appendn(b, *s == '\n' || *s == '\t' || *s == '\r' ? " " : s, 1);
    r5g_str_append(b, "\n");
}

char *pl_bresult_format(const pl_bresult *r)
{
    r5g_str b = R5G_STR_INIT;
    put_text(&b, "job_id", r->job_id);
    put_text(&b, "status", r->status);
    r5g_str_appendf(&b, "exit_code\t%d\n", r->exit_code);
    put_text(&b, "error", r->error);
    for (int k = 0; k < PL_BKPI_COUNT; k++) /* %.17g: the same double back */
        r5g_str_appendf(&b, "%s\t%.17g\n", kpi_names[k], r->kpi[k]);
    put_text(&b, "backend", r->backend);
    put_text(&b, "host", r->host);
    r5g_str_appendf(&b, "pid\t%ld\nstarted\t%.6f\nended\t%.6f\nend\t1\n", r->pid, r->started, r->ended);
    return r5g_str_finish(&b);
}

static double num(const char *s)
{
    if (strcmp(s, "nan") == 0 || strcmp(s, "-nan") == 0)
        return NAN;
    return strtod(s, NULL);
}

static void cp(char *d, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(d, s, n);
    d[n] = '\0';
}

int pl_bresult_parse(pl_bresult *r, const char *text, r5g_err *err)
{
    pl_bresult_init(r, NULL);
    int complete = 0;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        const char *tab = memchr(line, '\t', n);
        if (tab) {
            char key[64], val[2048];
            snprintf(key, sizeof key, "%.*s", (int)(tab - line), line);
            snprintf(val, sizeof val, "%.*s", (int)(n - (size_t)(tab - line) - 1), tab + 1);
            int k = pl_bkpi_find(key);
            if (k >= 0)
                r->kpi[k] = num(val);
            else if (!strcmp(key, "job_id"))
                cp(r->job_id, sizeof r->job_id, val);
            else if (!strcmp(key, "status"))
                cp(r->status, sizeof r->status, val);
            else if (!strcmp(key, "exit_code"))
                r->exit_code = atoi(val);
            else if (!strcmp(key, "error"))
                cp(r->error, sizeof r->error, val);
            else if (!strcmp(key, "backend"))
                cp(r->backend, sizeof r->backend, val);
            else if (!strcmp(key, "host"))
                cp(r->host, sizeof r->host, val);
            else if (!strcmp(key, "pid"))
                r->pid = atol(val);
            else if (!strcmp(key, "started"))
                r->started = num(val);
            else if (!strcmp(key, "ended"))
                r->ended = num(val);
            else if (!strcmp(key, "end"))
                complete = 1;
        }
        line += n + (nl != NULL);
    }
    if (!complete || !r->job_id[0] || !pl_bstatus_final(r->status))
        return r5g_err_set(err, R5G_EIO, "job result record is incomplete (job '%s', status '%s')", r->job_id,
                           r->status);
    return 0;
}

static char *result_path(const char *dir, const char *job_id)
{
    return r5g_asprintf("%s/jobs/%s.result", dir, job_id);
}

int pl_batch_write_atomic(const char *path, const char *text, size_t n, r5g_err *err)
{
    r5g_afile *af = NULL;
    FILE *f = NULL;
    int rc = r5g_afile_new(&af, path, 0, err);
    if (rc)
        return rc;
    if (!(f = fopen(r5g_afile_tmp(af), "wbx"))) {
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    if (fwrite(text, 1, n, f) != n || fflush(f) != 0) {
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    int crc = fclose(f);
    f = NULL;
    if (crc != 0) {
        rc = r5g_err_set(err, R5G_EIO, "cannot write '%s': %s", path, strerror(errno));
        goto out;
    }
    rc = r5g_afile_commit(af, 1, err); /* fsync, rename, fsync of the folder */
out:
    if (f)
        fclose(f);
    r5g_afile_free(af); /* the temporary, unless moved into place, and its lock */
    return rc;
}

int pl_bresult_write(const pl_bresult *r, const char *dir, r5g_err *err)
{
    char *text = pl_bresult_format(r), *path = result_path(dir, r->job_id);
    int rc = text && path ? pl_batch_write_atomic(path, text, strlen(text), err)
                          : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    free(text);
    free(path);
    return rc;
}

int pl_bresult_read(pl_bresult *r, const char *dir, const char *job_id, r5g_err *err)
{
    char *path = result_path(dir, job_id);
    if (!path)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    FILE *f = fopen(path, "rb");
    int rc = 0;
    if (!f) {
        rc = errno == ENOENT ? 0 : r5g_err_set(err, R5G_EIO, "cannot read '%s': %s", path, strerror(errno));
        free(path);
        return rc;
    }
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    if ((rc = pl_bresult_parse(r, buf, err)) == 0 && strcmp(r->job_id, job_id) != 0)
        rc = r5g_err_set(err, R5G_EIO, "'%s' holds the result of job '%s'", path, r->job_id);
    if (rc)
        r5g_err_prefix(err, "%s", path);
    free(path);
    return rc ? rc : 1;
}

void pl_bresult_remove(const char *dir, const char *job_id)
{
    char *path = result_path(dir, job_id);
    if (path)
        unlink(path);
    free(path);
}
