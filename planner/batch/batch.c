/* rollout5g batch: the coordinator (batch file -> manifest -> a backend ->
 * results), the single-job entries (the local pool's worker, a Slurm array
 * task), --collect and --dry-run. docs/batch.md. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/afile.h"
#include "common/cleanup.h"
#include "planner/batch/batch_int.h"
#include "planner/scenario/scenario.h"

/* ---- progress ------------------------------------------------------------- */

int pl_bctx_progress(pl_bctx *c)
{
    c->st.elapsed = r5g_now() - c->t0;
    int finished = c->st.done + c->st.failed - c->base_finished;
    int left = c->st.total - c->st.done - c->st.failed;
    c->st.eta = finished > 0 ? c->st.elapsed / finished * left : -1;
    if (!c->opts->progress)
        return 0;
    return c->opts->progress(&c->st, c->opts->progress_user);
}

int pl_bctx_finished(pl_bctx *c, long long attempt, const pl_bresult *r, r5g_err *err)
{
    int rc = pl_manifest_finish(c->m, attempt, r, err);
    if (rc)
        return rc;
    if (pl_bstatus_has_plan(r->status))
        c->st.done++;
    else
        c->st.failed++;
    c->st.running--;
    c->st.last_job = r->job_id;
    c->st.last_status = r->status;
    if (pl_bctx_progress(c))
        pl_batch_interrupt(SIGINT);
    c->st.last_job = c->st.last_status = NULL;
    return 0;
}

/* ---- the output folder ------------------------------------------------------ */

static int make_dir(const char *path, r5g_err *err)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        return r5g_err_set(err, R5G_EIO, "%s exists and is not a folder: choose another -o DIR", path);
    }
    return r5g_err_set(err, R5G_EIO, "cannot create folder '%s': %s", path, strerror(errno));
}

/* One coordinator per output folder: an exclusive lock on the folder itself,
 * released by the kernel when the process ends however it ends. */
static int lock_dir(const char *dir, int *fd, r5g_err *err)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return r5g_err_set(err, R5G_EIO, "cannot open folder '%s': %s", dir, strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        close(*fd);
        *fd = -1;
        return r5g_err_set(err, R5G_EINPUT,
                           "%s is in use by another rollout5g batch (wait for it, or stop it: its finished jobs are kept)",
                           dir);
    }
    return 0;
}

/* ---- results ------------------------------------------------------------------ */

static int write_results(pl_batch *b, pl_manifest *m, const char *dir, FILE *report, int *n_plan, int *n_limit,
                         int *n_fail, r5g_err *err)
{
    pl_bresult *rows = calloc((size_t)b->n_jobs + 1, sizeof *rows);
    int *pareto = calloc((size_t)b->n_jobs + 1, sizeof *pareto);
    double *marginal = calloc((size_t)b->n_jobs + 1, sizeof *marginal);
    int rc = rows && pareto && marginal ? pl_manifest_rows(m, b, rows, err)
                                        : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if (rc)
        goto out;
    pl_batch_pareto(b, rows, pareto);
    pl_batch_marginal(b, rows, marginal);
    pl_bsummary s = {b, rows, pareto, marginal};
    r5g_cleanup_install(); /* Ctrl-C now removes the temporary result files */
    if ((rc = pl_batch_results_write(&s, dir, err)))
        goto out;
    *n_plan = *n_limit = *n_fail = 0;
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bresult *r = &rows[j];
        *n_plan += strcmp(r->status, "done") == 0;
        *n_limit += strcmp(r->status, "time_limit") == 0;
        *n_fail += !pl_bstatus_has_plan(r->status);
        if (!report)
            continue;
        if (j == 0)
            fprintf(report, "%-40s %-10s %9s %5s %10s %7s %7s %6s%s %s\n", "job", "status", "capex", "sites", "covered",
                    "share", "on time", "gap", b->has_frontier ? "   per 1M" : "", "pareto");
        if (pl_bstatus_has_plan(r->status)) {
            char marg[32] = "";
            if (b->has_frontier && isfinite(marginal[j]))
                snprintf(marg, sizeof marg, " %+9.1f", marginal[j]);
            else if (b->has_frontier)
                snprintf(marg, sizeof marg, " %9s", "-");
            fprintf(report, "%-40s %-10s %7.2f M %5.0f %10.1f %6.1f%% %6.1f%% %5.2f%%%s %s\n", r->job_id, r->status,
                    r->kpi[PL_BKPI_TOTAL_CAPEX] / 1e6, r->kpi[PL_BKPI_SITES_BUILT], r->kpi[PL_BKPI_COVERED_WEIGHT],
                    100 * r->kpi[PL_BKPI_COVERED_SHARE], 100 * r->kpi[PL_BKPI_ON_TIME_SHARE], 100 * r->kpi[PL_BKPI_GAP],
                    marg, pareto[j] ? "*" : "");
        } else {
            fprintf(report, "%-40s %-10s %s\n", r->job_id, r->status, r->error);
        }
    }
    if (report)
        fprintf(report, "%s/results.gpkg (table jobs), results.csv, results.json, summary.html\n", dir);
out:
    free(rows);
    free(pareto);
    free(marginal);
    return rc;
}

/* ---- the coordinator ------------------------------------------------------------ */

int pl_batch_coordinate(const pl_batch_opts *o, pl_bdispatch run, void *user, r5g_err *err)
{
    pl_batch *b = NULL;
    pl_manifest *m = NULL;
    char *jobs_dir = NULL;
    int lock_fd = -1, n_plan = 0, n_limit = 0, n_fail = 0, rc;
    pl_bctx c = {.opts = o, .dir = o->out_dir, .t0 = r5g_now()};
    if ((rc = pl_batch_load(&b, o->batch_path, err)))
        goto out;
    c.b = b;
    if (!(jobs_dir = r5g_asprintf("%s/jobs", o->out_dir))) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = make_dir(o->out_dir, err)) || (rc = lock_dir(o->out_dir, &lock_fd, err)) ||
        (rc = make_dir(jobs_dir, err)))
        goto out;
    /* what killed runs left (temporaries whose lock no live process holds:
     * the tasks of a running Slurm array keep theirs) */
    r5g_afile_sweep(o->out_dir);
    r5g_afile_sweep(jobs_dir);
    if ((rc = pl_manifest_open(&m, o->out_dir, err)) || (rc = pl_manifest_sync(m, b, err)) ||
        (rc = pl_manifest_reconcile(m, b, o->out_dir, o->retry_failed, NULL, err)))
        goto out;
    c.m = m;
    if ((rc = pl_manifest_pending(m, b, &c.todo, &c.n_todo, err)))
        goto out;
    c.st.total = b->n_jobs;
    c.st.skipped = b->n_jobs - c.n_todo;
    {
        pl_bresult *rows = calloc((size_t)b->n_jobs + 1, sizeof *rows);
        if (!rows || (rc = pl_manifest_rows(m, b, rows, err))) {
            rc = rows ? rc : r5g_err_set(err, R5G_ENOMEM, "out of memory");
            free(rows);
            goto out;
        }
        for (int j = 0; j < b->n_jobs; j++) {
            c.st.done += pl_bstatus_has_plan(rows[j].status);
            c.st.failed += pl_bstatus_final(rows[j].status) && !pl_bstatus_has_plan(rows[j].status);
        }
        c.base_finished = c.st.done + c.st.failed;
        free(rows);
    }
    if (o->mode == PL_BATCH_SLURM) {
        rc = pl_batch_slurm_script(&c, err);
        goto out;
    }
    if (run && c.n_todo > 0) {
        r5g_log(R5G_LOG_INFO, "batch %s: %d jobs, %d to run, %d finished before", b->name, b->n_jobs, c.n_todo,
                c.st.skipped);
        pl_batch_signals_install();
        pl_bctx_progress(&c);
        rc = run(&c, user, err);
        if (rc == 0 && pl_batch_interrupted())
            rc = r5g_err_set(err, R5G_ECANCELLED, "interrupted: running jobs are pending again; run the same command to finish");
        if (rc)
            goto out;
    } else if (run) {
        r5g_log(R5G_LOG_INFO, "batch %s: all %d jobs finished before: nothing to run", b->name, b->n_jobs);
    }
    if ((rc = write_results(b, m, o->out_dir, o->report, &n_plan, &n_limit, &n_fail, err)))
        goto out;
    if (n_fail > 0 && n_fail > n_limit)
        rc = r5g_err_set(err, R5G_EINPUT, "%d of %d jobs failed (each with its error in the results; --retry-failed reruns them)",
                         n_fail - n_limit, b->n_jobs);
    else if (n_limit > 0)
        rc = r5g_err_set(err, R5G_ETIMELIMIT, "%d of %d jobs reached their time limit (their plans are kept, with the gap; "
                         "--retry-failed reruns them)", n_limit, b->n_jobs);
    (void)n_plan;
out:
    free(c.todo);
    free(jobs_dir);
    pl_manifest_close(m);
    if (lock_fd >= 0)
        close(lock_fd);
    pl_batch_free(b);
    return rc;
}

/* ---- one job ---------------------------------------------------------------------- */

static int job_rc(const pl_bresult *r, r5g_err *err)
{
    if (strcmp(r->status, "done") == 0)
        return 0;
    int code = strcmp(r->status, "time_limit") == 0 ? R5G_ETIMELIMIT
               : strcmp(r->status, "infeasible") == 0 ? R5G_EINFEASIBLE
                                                      : R5G_EINPUT;
    return r5g_err_set(err, code, "job %s: %s", r->job_id, r->error);
}

static int run_one(const pl_batch_opts *o, r5g_err *err)
{
    pl_batch *b = NULL;
    char *jobs_dir = NULL, *cmd = NULL;
    int rc = pl_batch_load(&b, o->batch_path, err);
    if (rc)
        return rc;
    int j = -1;
    const char *want = o->mode == PL_BATCH_TASK ? o->task : o->worker_job;
    char *end = NULL;
    long k = strtol(want, &end, 10);
    if (o->mode == PL_BATCH_TASK && end != want && *end == '\0')
        j = k >= 0 && k < b->n_jobs ? (int)k : -2;
    else
        j = pl_batch_find(b, want);
    if (j < 0) {
        rc = j == -2 ? r5g_err_set(err, R5G_EUSAGE, "--task %s: the batch has jobs 0..%d", want, b->n_jobs - 1)
                     : r5g_err_set(err, R5G_EUSAGE, "%s: no job '%s' in %s (rollout5g batch --dry-run lists them)",
                                   o->mode == PL_BATCH_TASK ? "--task" : "--worker", want, b->file);
        goto out;
    }
    if (!(jobs_dir = r5g_asprintf("%s/jobs", o->out_dir))) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = make_dir(o->out_dir, err)) || (rc = make_dir(jobs_dir, err)))
        goto out;
    pl_bresult r;
    /* the script's task indices are those of the batch file it was written for */
    const char *sha = getenv("R5G_BATCH_SHA256");
    if (o->mode == PL_BATCH_TASK && sha && *sha && strcmp(sha, b->sha) != 0) {
        rc = r5g_err_set(err, R5G_EINPUT,
                         "%s changed since its Slurm script was written (the task indices may name other jobs): "
                         "write the script again with --slurm-script",
                         b->file);
        goto out;
    }
    if (o->mode == PL_BATCH_TASK) { /* a resubmitted array never reruns a finished job */
        r5g_err e = {0};
        if (pl_bresult_read(&r, o->out_dir, b->jobs[j].id, &e) == 1 &&
            (strcmp(r.status, "done") == 0 || !o->retry_failed)) {
            r5g_log(R5G_LOG_INFO, "job %s finished before (%s): not run again", r.job_id, r.status);
            goto out;
        }
    }
    cmd = r5g_asprintf("rollout5g batch %s -o %s --%s %s", b->abs_file, o->out_dir,
                       o->mode == PL_BATCH_TASK ? "task" : "worker", want);
    r5g_cleanup_install(); /* SIGTERM/Ctrl-C remove the job's temporary plan */
    if ((rc = pl_batch_job_run(b, j, o->out_dir, o->mode == PL_BATCH_TASK ? "slurm" : "local", cmd, &r, err)))
        goto out;
    rc = job_rc(&r, err);
out:
    free(cmd);
    free(jobs_dir);
    pl_batch_free(b);
    return rc;
}

/* ---- dry run ------------------------------------------------------------------------ */

static int dry_run(const pl_batch_opts *o, r5g_err *err)
{
    pl_batch *b = NULL;
    int rc = pl_batch_load(&b, o->batch_path, err), bad = 0;
    if (rc)
        return rc;
    FILE *f = o->report ? o->report : stdout;
    fprintf(f, "# batch %s: %d jobs (%s", b->name, b->n_jobs, b->zip ? "zip" : "grid");
    for (int a = 0; a < b->n_axes; a++)
        fprintf(f, "%s%s %d", a == 0 ? ": " : b->zip && !b->axes[a].frontier ? " with " : " x ", b->axes[a].path,
                b->axes[a].n);
    fprintf(f, "%s)\n", b->n_scen > 1 ? " x scenarios" : "");
    for (int j = 0; j < b->n_jobs; j++) {
        const pl_bjob *job = &b->jobs[j];
        fprintf(f, "%d\t%s\t%s", j, job->id, b->scen[job->scenario].rel);
        for (int i = 0; i < b->n_set; i++)
            fprintf(f, "\t%s=%s", b->set_path[i], b->set_val[i].yaml);
        for (int a = 0; a < b->n_axes; a++)
            fprintf(f, "\t%s=%s", b->axes[a].path, b->axes[a].v[job->value[a]].yaml);
        fputc('\n', f);
        r5g_err e = {0};
        if (pl_batch_job_check(b, j, NULL, &e)) {
            fprintf(f, "\terror: %s\n", e.msg);
            bad++;
        }
    }
    if (bad)
        rc = r5g_err_set(err, R5G_EINPUT, "%d of %d jobs have overrides the scenario refuses (listed above)", bad,
                         b->n_jobs);
    pl_batch_free(b);
    return rc;
}

/* ---- entry ------------------------------------------------------------------------------ */

#ifndef HAVE_MPI
int pl_batch_mpi_main(const pl_batch_opts *o, r5g_err *err)
{
    (void)o;
    return r5g_err_set(err, R5G_EUSAGE,
                       "--mpi: this rollout5g was built without MPI (install libopenmpi-dev and run ./configure --with-mpi)");
}
int pl_batch_have_mpi(void) { return 0; }
int pl_mpi_plan_start(const struct sol_runner **runner, r5g_err *err)
{
    *runner = NULL;
    return r5g_err_set(err, R5G_EUSAGE,
                       "--mpi: this rollout5g was built without MPI (install libopenmpi-dev and run ./configure --with-mpi)");
}
void pl_mpi_plan_end(void) {}
#endif

int pl_batch_run(const pl_batch_opts *o, r5g_err *err)
{
    switch (o->mode) {
    case PL_BATCH_DRY_RUN:
        return dry_run(o, err);
    case PL_BATCH_WORKER:
    case PL_BATCH_TASK:
        return run_one(o, err);
    case PL_BATCH_MPI:
        return pl_batch_mpi_main(o, err);
    case PL_BATCH_SLURM:
        return pl_batch_coordinate(o, NULL, NULL, err);
    case PL_BATCH_COLLECT: {
        pl_manifest *m = NULL;
        char *file = NULL, *mpath = r5g_asprintf("%s/manifest.sqlite", o->out_dir);
        struct stat st;
        int rc = 0;
        if (!mpath)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        if (stat(mpath, &st) != 0)
            rc = r5g_err_set(err, R5G_EINPUT, "--collect %s: no manifest.sqlite there (not the -o DIR of a batch)",
                             o->out_dir);
        free(mpath);
        if (rc || (rc = pl_manifest_open(&m, o->out_dir, err)) || (rc = pl_manifest_batch_file(m, &file, err)))
            goto collect_out;
        if (!file) {
            rc = r5g_err_set(err, R5G_EINPUT, "--collect %s: the manifest names no batch file", o->out_dir);
            goto collect_out;
        }
        pl_manifest_close(m);
        m = NULL;
        pl_batch_opts c = *o;
        c.batch_path = file;
        rc = pl_batch_coordinate(&c, NULL, NULL, err);
    collect_out:
        pl_manifest_close(m);
        free(file);
        return rc;
    }
    case PL_BATCH_LOCAL:
    default:
        return pl_batch_coordinate(o, pl_batch_pool_run, NULL, err);
    }
}
