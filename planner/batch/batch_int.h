/* Internals of the batch optimiser, shared by the files of planner/batch/. */
#ifndef PL_BATCH_INT_H
#define PL_BATCH_INT_H

#include <stddef.h>

#include "common/r5g.h"
#include "planner/batch/batch.h"

/* ---- the batch file (batchfile.c) ------------------------------------ */

/* One value of an axis (or of a `set:` key): YAML text as the override gets it. */
typedef struct pl_bvalue {
    char *yaml;   /* "3.0e6", "[1, 2]", "min_cost" */
    int line;     /* of the value in the batch file */
    int is_num;   /* a plain number */
    double num;
} pl_bvalue;

/* The column type of an axis in the results: numbers stay numbers. */
typedef enum { PL_BCOL_INT, PL_BCOL_REAL, PL_BCOL_TEXT } pl_bcol;

typedef struct pl_baxis {
    char *path;     /* scenario key path, or "budget.scale" */
    int line;
    int n;
    pl_bvalue *v;
    pl_bcol col;
    int frontier;   /* the budget axis of the `frontier:` section */
} pl_baxis;

/* A Pareto criterion: a KPI column and its direction. */
typedef struct pl_bcrit {
    int kpi;        /* pl_bkpi */
    int maximize;
} pl_bcrit;

typedef struct pl_bslurm {
    int max_parallel;   /* %K of --array; 0: no limit */
    int cpus_per_task;  /* default 1 */
    char *mem;          /* "2G"; NULL: not given */
    char *time;         /* "HH:MM:SS" or minutes; NULL: from solver.time_limit_s */
    char *partition, *account, *job_name, *extra; /* NULL: not given */
} pl_bslurm;

typedef struct pl_bjob {
    int idx;             /* 0-based, in expansion order (the Slurm task index) */
    int scenario;        /* index into pl_batch.scen */
    int *value;          /* [n_axes] index of the value on each axis */
    char id[80];         /* slug-hash, stable for the same scenario and overrides */
    char *canon;         /* canonical override text the id hashes */
} pl_bjob;

typedef struct pl_bscen {
    char *path;          /* resolved against the batch file's folder */
    char *rel;           /* as written */
    char *stem;          /* short name for slugs and the scenario column */
    char sha[65];        /* SHA-256 of the scenario file */
    int line;
} pl_bscen;

typedef struct pl_batch {
    char *file;          /* as given */
    char *abs_file;      /* absolute path (the manifest records it) */
    char *dir;           /* folder of the batch file */
    char sha[65];        /* SHA-256 of the batch file */
    char *name;          /* name: or the file's stem */

    int n_scen;
    pl_bscen *scen;

    int zip;             /* sweep.mode: zip (else grid) */
    int n_axes;          /* sweep axes, then the frontier axis (if any) */
    pl_baxis *axes;
    int n_set;           /* `set:` overrides of every job */
    char **set_path;
    pl_bvalue *set_val;

    int has_frontier;
    int frontier_cov;    /* pl_bkpi the marginal is taken of */

    int n_crit;
    pl_bcrit crit[16];

    pl_bslurm slurm;

    int n_jobs;
    pl_bjob *jobs;
} pl_batch;

int pl_batch_load(pl_batch **out, const char *path, r5g_err *err);
void pl_batch_free(pl_batch *b);
/* The job with this id, or -1. */
int pl_batch_find(const pl_batch *b, const char *id);
/* "batch.yaml:LINE" into buf. */
void pl_batch_origin(const pl_batch *b, int line, char *buf, size_t size);

/* ---- job results (result.c) ------------------------------------------ */

/* The KPI columns of a job, in the order of the results table. */
typedef enum {
    PL_BKPI_OBJECTIVE, PL_BKPI_BOUND, PL_BKPI_GAP, PL_BKPI_SECONDS, PL_BKPI_SOLVE_SECONDS,
    PL_BKPI_TOTAL_BUDGET, PL_BKPI_TOTAL_CAPEX, PL_BKPI_COVERED_SHARE, PL_BKPI_ON_TIME_SHARE,
    PL_BKPI_WHITELIST_ON_TIME_SHARE, PL_BKPI_COVERED_WEIGHT, PL_BKPI_IDLE_SITE_PERIODS,
    PL_BKPI_SITES_BUILT,
    PL_BKPI_COUNT
} pl_bkpi;
const char *pl_bkpi_name(int k);
int pl_bkpi_find(const char *name);
/* Integer-valued columns (idle_site_periods, sites_built). */
int pl_bkpi_is_int(int k);
/* Timings differ from run to run; the rest are the plan's. */
int pl_bkpi_is_timing(int k);

typedef struct pl_bresult {
    char job_id[80];
    char status[16];     /* done, time_limit, infeasible, failed */
    int exit_code;       /* the `plan` exit code of the job (0, 1, 3, 4, 128+signal) */
    char error[2048];    /* the error line, "" when none */
    double kpi[PL_BKPI_COUNT]; /* NAN when unknown */
    char backend[16];    /* local, mpi, slurm */
    char host[64];
    long pid;
    double started, ended; /* Unix time */
} pl_bresult;

void pl_bresult_init(pl_bresult *r, const char *job_id);
/* A status with a plan (done, time_limit). */
int pl_bstatus_has_plan(const char *status);
/* A status that a run never repeats without --retry-failed. */
int pl_bstatus_final(const char *status);
/* The record as text ("key\tvalue" lines) and back. */
char *pl_bresult_format(const pl_bresult *r);
int pl_bresult_parse(pl_bresult *r, const char *text, r5g_err *err);
/* DIR/jobs/ID.result: written atomically and durably (fsync); read back. */
int pl_bresult_write(const pl_bresult *r, const char *dir, r5g_err *err);
/* 1 read, 0 no such file, negative on a broken file. */
int pl_bresult_read(pl_bresult *r, const char *dir, const char *job_id, r5g_err *err);
void pl_bresult_remove(const char *dir, const char *job_id);

/* ---- one job (job.c) ------------------------------------------------- */

/* Runs job j: loads the scenario with the job's overrides, computes the
 * plan, writes DIR/jobs/ID.gpkg (atomically, fsync'd) and fills *res. The
 * job's failure (bad override, infeasible) is a result, not an error: the
 * return is negative only when nothing could be recorded. */
int pl_batch_job_run(const pl_batch *b, int j, const char *dir, const char *backend,
                     const char *command_line, pl_bresult *res, r5g_err *err);

/* The scenario of job j loads with its overrides (--dry-run); its
 * solver.time_limit_s into *time_limit_s when not NULL. */
int pl_batch_job_check(const pl_batch *b, int j, double *time_limit_s, r5g_err *err);

/* ---- the manifest (manifest.c) --------------------------------------- */

typedef struct pl_manifest pl_manifest;
/* Opens (creating) DIR/manifest.sqlite. */
int pl_manifest_open(pl_manifest **out, const char *dir, r5g_err *err);
void pl_manifest_close(pl_manifest *m);
/* The batch file recorded in the manifest (malloc'd), or NULL for a new one. */
int pl_manifest_batch_file(pl_manifest *m, char **path, r5g_err *err);
/* Records the batch (first run) or checks it is the same file; adds the
 * jobs of the batch the manifest does not know yet, as pending. */
int pl_manifest_sync(pl_manifest *m, const pl_batch *b, r5g_err *err);
/* Brings the manifest up to date with the files: a job not finished in the
 * manifest whose result file exists gets that result; an attempt left open
 * by a killed run is closed ('lost') and its job is pending again. With
 * retry, failed jobs are pending again (their result files removed). */
int pl_manifest_reconcile(pl_manifest *m, const pl_batch *b, const char *dir, int retry,
                          int *n_recovered, r5g_err *err);
/* The jobs of the batch still pending, in index order (malloc'd). */
int pl_manifest_pending(pl_manifest *m, const pl_batch *b, int **idx, int *n, r5g_err *err);
/* A job starts: status running and an open attempt. */
int pl_manifest_start(pl_manifest *m, const char *job_id, const char *backend, const char *host,
                      long pid, long long *attempt, r5g_err *err);
/* A job ended: its result and the attempt's outcome, in one transaction. */
int pl_manifest_finish(pl_manifest *m, long long attempt, const pl_bresult *r, r5g_err *err);
/* A job was stopped before it ended: pending again, the attempt 'interrupted'. */
int pl_manifest_interrupt(pl_manifest *m, long long attempt, const char *job_id, r5g_err *err);
/* The result of every job of the batch (rows[j] for job j; status
 * "pending" or "running" when it has none yet). */
int pl_manifest_rows(pl_manifest *m, const pl_batch *b, pl_bresult *rows, r5g_err *err);

/* ---- results (results.c, html.c) ------------------------------------- */

typedef struct pl_bsummary {
    const pl_batch *b;
    const pl_bresult *rows; /* [n_jobs] */
    int *pareto;            /* [n_jobs] 0/1 */
    double *marginal;       /* [n_jobs] frontier: coverage per extra million, NAN none */
} pl_bsummary;
/* Pareto flags per scenario over the batch's criteria, among the jobs with a plan. */
void pl_batch_pareto(const pl_batch *b, const pl_bresult *rows, int *pareto);
/* Frontier marginals: between neighbours by total budget within each curve. */
void pl_batch_marginal(const pl_batch *b, const pl_bresult *rows, double *marginal);
/* DIR/results.gpkg (table jobs), results.csv, results.json, summary.html;
 * each written under a temporary name and renamed. */
int pl_batch_results_write(const pl_bsummary *s, const char *dir, r5g_err *err);
/* The HTML summary as text (malloc'd), or NULL on out of memory. */
char *pl_batch_html(const pl_bsummary *s);
/* Writes text to path via a temporary file beside it, fsync'd, renamed. */
int pl_batch_write_atomic(const char *path, const char *text, size_t n, r5g_err *err);

/* ---- backends (pool.c, mpi.c, slurm.c) ------------------------------- */

/* What a backend needs: the batch, the manifest, the jobs to run. */
typedef struct pl_bctx {
    const pl_batch_opts *opts;
    pl_batch *b;
    pl_manifest *m;
    const char *dir;
    int *todo;          /* job indices still to run, in order */
    int n_todo;
    pl_batch_status st;
    double t0;
    double job_seconds; /* sum of the finished jobs' wall time, for the ETA */
    int base_finished;  /* jobs finished before this run */
} pl_bctx;

/* Records a job's end in the manifest and reports progress. */
int pl_bctx_finished(pl_bctx *c, long long attempt, const pl_bresult *r, r5g_err *err);
/* Progress callback; non-zero: stop. */
int pl_bctx_progress(pl_bctx *c);
/* A test point: with R5G_BATCH_TEST_KILL=NAME:N in the environment, the
 * process kills itself (SIGKILL) the Nth time it passes NAME, so the tests
 * stop a coordinator exactly where it matters (inside a manifest commit,
 * between a job's result record and its manifest row). */
void pl_batch_test_point(const char *name);
/* Ctrl-C / SIGTERM seen by the coordinator (process.c's handler). */
int pl_batch_interrupted(void);
/* Records an interruption by SIG, as the signal handler does. */
void pl_batch_interrupt(int sig);
void pl_batch_signals_install(void);

/* A backend runs c->todo and records each end with pl_bctx_finished. */
typedef int (*pl_bdispatch)(pl_bctx *c, void *user, r5g_err *err);
/* The coordinator: batch file, manifest (sync, reconcile), the backend,
 * then the results. */
int pl_batch_coordinate(const pl_batch_opts *o, pl_bdispatch run, void *user, r5g_err *err);

int pl_batch_pool_run(pl_bctx *c, void *user, r5g_err *err);
/* `--mpi`: every rank calls this; rank 0 coordinates, the others solve. */
int pl_batch_mpi_main(const pl_batch_opts *o, r5g_err *err);
/* Writes the array job script for the pending jobs (todo) and DIR/slurm/. */
int pl_batch_slurm_script(const pl_bctx *c, r5g_err *err);

#endif
