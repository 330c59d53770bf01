/* The manifest DIR/manifest.sqlite: every job of the batch with its status,
 * result and error line, and an attempt log (one row per start of a job).
 * SQLite in WAL mode with synchronous=FULL: every change is one transaction
 * that is on disk when the commit returns, so kill -9, a full disk or a power
 * cut leave the last committed state (docs/batch.md says why). */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "common/strbuf.h"
#include "planner/batch/batch_int.h"

struct pl_manifest {
    sqlite3 *db;
    char *path;
};

static double unix_now(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static int db_err(pl_manifest *m, r5g_err *err, const char *what)
{
    return r5g_err_set(err, R5G_EIO, "%s: %s: %s", m->path, what, sqlite3_errmsg(m->db));
}

static int exec(pl_manifest *m, const char *sql, r5g_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(m->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    int rc = r5g_err_set(err, R5G_EIO, "%s: %s", m->path, msg ? msg : sqlite3_errmsg(m->db));
    sqlite3_free(msg);
    return rc;
}

static int begin(pl_manifest *m, r5g_err *err) { return exec(m, "BEGIN IMMEDIATE", err); }

/* COMMIT after success, ROLLBACK after a failure (keeping its message). */
static int end(pl_manifest *m, int rc, r5g_err *err)
{
    if (rc) {
        sqlite3_exec(m->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return exec(m, "COMMIT", err);
}

static int prepare(pl_manifest *m, sqlite3_stmt **st, const char *sql, r5g_err *err)
{
    if (sqlite3_prepare_v2(m->db, sql, -1, st, NULL) != SQLITE_OK)
        return db_err(m, err, "cannot prepare a statement");
    return 0;
}

static int step_done(pl_manifest *m, sqlite3_stmt *st, r5g_err *err)
{
    int s = sqlite3_step(st);
    int rc = s == SQLITE_DONE || s == SQLITE_ROW ? 0 : db_err(m, err, "write failed");
    sqlite3_reset(st);
    return rc;
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
    if (isfinite(v))
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS batch(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS jobs("
    " job_id TEXT PRIMARY KEY, idx INTEGER NOT NULL, scenario TEXT NOT NULL, overrides TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN"
    "  ('pending','running','done','time_limit','infeasible','failed')),"
    " exit_code INTEGER, error TEXT,"
    " objective REAL, bound REAL, gap REAL, seconds REAL, solve_seconds REAL, total_budget REAL,"
    " total_capex REAL, covered_share REAL, on_time_share REAL, whitelist_on_time_share REAL,"
    " covered_weight REAL, idle_site_periods INTEGER, sites_built INTEGER,"
    " plan TEXT, updated REAL);"
    "CREATE TABLE IF NOT EXISTS attempts("
    " attempt INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL REFERENCES jobs(job_id),"
    " backend TEXT, host TEXT, pid INTEGER, started REAL, ended REAL, outcome TEXT, exit_code INTEGER);"
    "CREATE INDEX IF NOT EXISTS attempts_job ON attempts(job_id);";

int pl_manifest_open(pl_manifest **out, const char *dir, r5g_err *err)
{
    pl_manifest *m = calloc(1, sizeof *m);
    int rc = 0;
    *out = NULL;
    if (!m || !(m->path = r5g_asprintf("%s/manifest.sqlite", dir))) {
        free(m);
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    if (sqlite3_open_v2(m->path, &m->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) !=
        SQLITE_OK) {
        rc = m->db ? db_err(m, err, "cannot open") : r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(m->db, 30000);
    /* WAL: readers never block the writer; synchronous=FULL: a commit is on
     * disk (the WAL fsync'd) when it returns, so it survives a power cut */
    if ((rc = exec(m, "PRAGMA journal_mode=WAL", err)) || (rc = exec(m, "PRAGMA synchronous=FULL", err)) ||
        (rc = exec(m, "PRAGMA foreign_keys=ON", err)) || (rc = exec(m, schema, err)))
        goto out;
out:
    if (rc) {
        pl_manifest_close(m);
        return rc;
    }
    *out = m;
    return 0;
}

void pl_manifest_close(pl_manifest *m)
{
    if (!m)
        return;
    sqlite3_close_v2(m->db);
    free(m->path);
    free(m);
}

static int get_meta(pl_manifest *m, const char *key, char **val, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    *val = NULL;
    int rc = prepare(m, &st, "SELECT value FROM batch WHERE key=?", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        if (!(*val = r5g_strdup((const char *)sqlite3_column_text(st, 0))))
            rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
    } else if (s != SQLITE_DONE) {
        rc = db_err(m, err, "cannot read");
    }
    sqlite3_finalize(st);
    return rc;
}

static int set_meta(pl_manifest *m, const char *key, const char *val, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(m, &st, "INSERT INTO batch(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                     err);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
    rc = step_done(m, st, err);
    sqlite3_finalize(st);
    return rc;
}

int pl_manifest_batch_file(pl_manifest *m, char **path, r5g_err *err)
{
    return get_meta(m, "batch_file", path, err);
}

int pl_manifest_sync(pl_manifest *m, const pl_batch *b, r5g_err *err)
{
    char *file = NULL, *sha = NULL;
    sqlite3_stmt *st = NULL;
    int rc = begin(m, err);
    if (rc)
        return rc;
    if ((rc = get_meta(m, "batch_file", &file, err)) || (rc = get_meta(m, "batch_sha256", &sha, err)))
        goto out;
    if (file && strcmp(file, b->abs_file) != 0) {
        rc = r5g_err_set(err, R5G_EINPUT,
                         "%s belongs to the batch file %s, not %s: choose another -o DIR", m->path, file, b->abs_file);
        goto out;
    }
    if (sha && strcmp(sha, b->sha) != 0)
        r5g_log(R5G_LOG_INFO, "%s changed since the last run: jobs with new overrides are added, finished ones kept",
                b->file);
    if ((rc = set_meta(m, "batch_file", b->abs_file, err)) || (rc = set_meta(m, "batch_sha256", b->sha, err)) ||
        (rc = set_meta(m, "format", "1", err)))
        goto out;
    /* jobs that an earlier version of the batch file had keep their rows, with idx -1 */
    if ((rc = exec(m, "UPDATE jobs SET idx=-1", err)) ||
        (rc = prepare(m, &st,
                      "INSERT INTO jobs(job_id, idx, scenario, overrides) VALUES(?, ?, ?, ?) "
                      "ON CONFLICT(job_id) DO UPDATE SET idx=excluded.idx",
                      err)))
        goto out;
    for (int j = 0; j < b->n_jobs && rc == 0; j++) {
        sqlite3_bind_text(st, 1, b->jobs[j].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, j);
        sqlite3_bind_text(st, 3, b->scen[b->jobs[j].scenario].rel, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, b->jobs[j].canon, -1, SQLITE_STATIC);
        rc = step_done(m, st, err);
    }
out:
    sqlite3_finalize(st);
    free(file);
    free(sha);
    return end(m, rc, err);
}

static int job_status(pl_manifest *m, sqlite3_stmt *st, const char *job_id, char *status, size_t size, r5g_err *err)
{
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW)
        snprintf(status, size, "%s", (const char *)sqlite3_column_text(st, 0));
    else
        rc = db_err(m, err, "cannot read a job's status");
    sqlite3_reset(st);
    return rc;
}

/* The job's row and the attempt's end (an attempt <= 0: a new attempt row,
 * for a result that arrived without one: a Slurm task, a recovered job). */
static int record(pl_manifest *m, long long attempt, const pl_bresult *r, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(m, &st,
                     "UPDATE jobs SET status=?, exit_code=?, error=?, objective=?, bound=?, gap=?, seconds=?,"
                     " solve_seconds=?, total_budget=?, total_capex=?, covered_share=?, on_time_share=?,"
                     " whitelist_on_time_share=?, covered_weight=?, idle_site_periods=?, sites_built=?,"
                     " plan=?, updated=? WHERE job_id=?",
                     err);
    if (rc)
        return rc;
    char plan[128];
    snprintf(plan, sizeof plan, "jobs/%s.gpkg", r->job_id);
    sqlite3_bind_text(st, 1, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, r->exit_code);
    if (r->error[0])
        sqlite3_bind_text(st, 3, r->error, -1, SQLITE_STATIC);
    for (int k = 0; k < PL_BKPI_COUNT; k++)
        bind_num(st, 4 + k, r->kpi[k]);
    if (pl_bstatus_has_plan(r->status))
        sqlite3_bind_text(st, 4 + PL_BKPI_COUNT, plan, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5 + PL_BKPI_COUNT, unix_now());
    sqlite3_bind_text(st, 6 + PL_BKPI_COUNT, r->job_id, -1, SQLITE_STATIC);
    rc = step_done(m, st, err);
    sqlite3_finalize(st);
    st = NULL;
    if (rc)
        return rc;
    if (attempt > 0)
        rc = prepare(m, &st, "UPDATE attempts SET ended=?, outcome=?, exit_code=? WHERE attempt=?", err);
    else
        rc = prepare(m, &st,
                     "INSERT INTO attempts(ended, outcome, exit_code, job_id, backend, host, pid, started)"
                     " VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                     err);
    if (rc)
        return rc;
    sqlite3_bind_double(st, 1, r->ended > 0 ? r->ended : unix_now());
    sqlite3_bind_text(st, 2, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, r->exit_code);
    if (attempt > 0) {
        sqlite3_bind_int64(st, 4, attempt);
    } else {
        sqlite3_bind_text(st, 4, r->job_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r->backend, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, r->host, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 7, r->pid);
        sqlite3_bind_double(st, 8, r->started);
    }
    rc = step_done(m, st, err);
    sqlite3_finalize(st);
    return rc;
}

/* The open attempt of a job (ended IS NULL), 0 when none. */
static long long open_attempt(pl_manifest *m, const char *job_id)
{
    sqlite3_stmt *st = NULL;
    long long a = 0;
    if (sqlite3_prepare_v2(m->db, "SELECT max(attempt) FROM attempts WHERE job_id=? AND ended IS NULL", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        a = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return a;
}

int pl_manifest_reconcile(pl_manifest *m, const pl_batch *b, const char *dir, int retry, int *n_recovered,
                          r5g_err *err)
{
    sqlite3_stmt *get = NULL, *pend = NULL;
    int rc = begin(m, err), n_rec = 0, n_lost = 0, n_retry = 0;
    if (rc)
        return rc;
    if ((rc = prepare(m, &get, "SELECT status FROM jobs WHERE job_id=?", err)) ||
        (rc = prepare(m, &pend, "UPDATE jobs SET status='pending' WHERE job_id=?", err)))
        goto out;
    for (int j = 0; j < b->n_jobs && rc == 0; j++) {
        const char *id = b->jobs[j].id;
        char status[32];
        if ((rc = job_status(m, get, id, status, sizeof status, err)))
            break;
        if (retry && pl_bstatus_final(status) && strcmp(status, "done") != 0) {
            /* the file first: a crash before the commit leaves the job as it was */
            pl_bresult_remove(dir, id);
            sqlite3_bind_text(pend, 1, id, -1, SQLITE_STATIC);
            rc = step_done(m, pend, err);
            snprintf(status, sizeof status, "pending");
            n_retry++;
        }
        if (rc || pl_bstatus_final(status))
            continue;
        pl_bresult r;
        r5g_err rerr = {0};
        int got = pl_bresult_read(&r, dir, id, &rerr);
        if (got < 0) { /* a torn record cannot exist (rename); a foreign one is set aside */
            r5g_log(R5G_LOG_WARN, "%s: ignored, the job runs again", rerr.msg);
            pl_bresult_remove(dir, id);
            got = 0;
        }
        if (got == 1) {
            rc = record(m, open_attempt(m, id), &r, err);
            n_rec++;
        } else if (strcmp(status, "running") == 0) {
            sqlite3_bind_text(pend, 1, id, -1, SQLITE_STATIC);
            rc = step_done(m, pend, err);
        }
    }
    if (rc == 0) {
        rc = exec(m, "UPDATE attempts SET outcome='lost' WHERE ended IS NULL", err);
        n_lost = rc == 0 ? sqlite3_changes(m->db) : 0;
    }
    /* a job of an earlier version of the batch file left running */
    if (rc == 0)
        rc = exec(m, "UPDATE jobs SET status='pending' WHERE status='running'", err);
out:
    sqlite3_finalize(get);
    sqlite3_finalize(pend);
    rc = end(m, rc, err);
    if (rc == 0 && (n_rec || n_lost || n_retry))
        r5g_log(R5G_LOG_INFO, "manifest: %d job results recovered, %d interrupted attempts closed, %d failed jobs to retry",
                n_rec, n_lost, n_retry);
    if (n_recovered)
        *n_recovered = n_rec;
    return rc;
}

int pl_manifest_pending(pl_manifest *m, const pl_batch *b, int **idx, int *n, r5g_err *err)
{
    sqlite3_stmt *get = NULL;
    *n = 0;
    *idx = malloc(((size_t)b->n_jobs + 1) * sizeof **idx);
    if (!*idx)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    int rc = prepare(m, &get, "SELECT status FROM jobs WHERE job_id=?", err);
    for (int j = 0; j < b->n_jobs && rc == 0; j++) {
        char status[32];
        if ((rc = job_status(m, get, b->jobs[j].id, status, sizeof status, err)) == 0 && strcmp(status, "pending") == 0)
            (*idx)[(*n)++] = j;
    }
    sqlite3_finalize(get);
    return rc;
}

int pl_manifest_start(pl_manifest *m, const char *job_id, const char *backend, const char *host, long pid,
                      long long *attempt, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = begin(m, err);
    if (rc)
        return rc;
    if ((rc = prepare(m, &st, "UPDATE jobs SET status='running', updated=? WHERE job_id=?", err)))
        goto out;
    sqlite3_bind_double(st, 1, unix_now());
    sqlite3_bind_text(st, 2, job_id, -1, SQLITE_STATIC);
    if ((rc = step_done(m, st, err)))
        goto out;
    sqlite3_finalize(st);
    if ((rc = prepare(m, &st, "INSERT INTO attempts(job_id, backend, host, pid, started) VALUES(?, ?, ?, ?, ?)", err)))
        goto out;
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, backend, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, host, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, pid);
    sqlite3_bind_double(st, 5, unix_now());
    if ((rc = step_done(m, st, err)) == 0)
        *attempt = sqlite3_last_insert_rowid(m->db);
    pl_batch_test_point("start-commit");
out:
    sqlite3_finalize(st);
    return end(m, rc, err);
}

int pl_manifest_finish(pl_manifest *m, long long attempt, const pl_bresult *r, r5g_err *err)
{
    int rc = begin(m, err);
    if (rc)
        return rc;
    rc = record(m, attempt, r, err);
    pl_batch_test_point("finish-commit");
    return end(m, rc, err);
}

int pl_manifest_interrupt(pl_manifest *m, long long attempt, const char *job_id, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = begin(m, err);
    if (rc)
        return rc;
    if ((rc = prepare(m, &st, "UPDATE jobs SET status='pending' WHERE job_id=? AND status='running'", err)))
        goto out;
    sqlite3_bind_text(st, 1, job_id, -1, SQLITE_STATIC);
    if ((rc = step_done(m, st, err)))
        goto out;
    sqlite3_finalize(st);
    if ((rc = prepare(m, &st, "UPDATE attempts SET ended=?, outcome='interrupted' WHERE attempt=?", err)))
        goto out;
    sqlite3_bind_double(st, 1, unix_now());
    sqlite3_bind_int64(st, 2, attempt);
    rc = step_done(m, st, err);
out:
    sqlite3_finalize(st);
    return end(m, rc, err);
}

int pl_manifest_rows(pl_manifest *m, const pl_batch *b, pl_bresult *rows, r5g_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(m, &st,
                     "SELECT status, exit_code, error, objective, bound, gap, seconds, solve_seconds, total_budget,"
                     " total_capex, covered_share, on_time_share, whitelist_on_time_share, covered_weight,"
                     " idle_site_periods, sites_built FROM jobs WHERE job_id=?",
                     err);
    for (int j = 0; j < b->n_jobs && rc == 0; j++) {
        pl_bresult *r = &rows[j];
        pl_bresult_init(r, b->jobs[j].id);
        sqlite3_bind_text(st, 1, b->jobs[j].id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = db_err(m, err, "cannot read the jobs");
            break;
        }
        snprintf(r->status, sizeof r->status, "%s", (const char *)sqlite3_column_text(st, 0));
        r->exit_code = sqlite3_column_int(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            snprintf(r->error, sizeof r->error, "%s", (const char *)sqlite3_column_text(st, 2));
        for (int k = 0; k < PL_BKPI_COUNT; k++)
            r->kpi[k] = sqlite3_column_type(st, 3 + k) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 3 + k);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}
