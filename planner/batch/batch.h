/* The batch optimiser: many plans from one batch file (a sweep over
 * scenario keys, several scenarios, a budget frontier), run by a pool of
 * worker processes, MPI ranks or a Slurm array, recorded in a manifest that
 * survives kill -9, and summarised with a Pareto frontier. docs/batch.md. */
#ifndef PL_BATCH_H
#define PL_BATCH_H

#include <stdio.h>

#include "common/r5g.h"

/* Progress over the jobs of a run, reported to a callback the caller
 * chooses (the CLI draws one line on stderr); a non-zero return stops the
 * run as Ctrl-C does. */
typedef struct pl_batch_status {
    int total;      /* jobs in the batch */
    int done;       /* finished with a plan (done or time_limit) */
    int failed;     /* finished without a plan (failed, infeasible) */
    int running;
    int skipped;    /* finished before this run (never run again) */
    double elapsed; /* seconds since this run started */
    double eta;     /* seconds left, estimated; < 0 unknown */
    const char *last_job;    /* the job that just finished, or NULL */
    const char *last_status; /* its status */
} pl_batch_status;
typedef int (*pl_batch_progress_fn)(const pl_batch_status *st, void *user);

typedef enum {
    PL_BATCH_LOCAL,   /* a pool of worker processes on this machine */
    PL_BATCH_MPI,     /* mpirun: rank 0 hands out jobs, the others solve */
    PL_BATCH_SLURM,   /* write the array job script and the manifest; run nothing */
    PL_BATCH_TASK,    /* one job of a Slurm array (--task) */
    PL_BATCH_WORKER,  /* one job for the local pool (hidden --worker) */
    PL_BATCH_COLLECT, /* merge the results of the tasks into the manifest */
    PL_BATCH_DRY_RUN  /* list the jobs */
} pl_batch_mode;

typedef struct pl_batch_opts {
    pl_batch_mode mode;
    const char *batch_path;   /* NULL with COLLECT: read from the manifest */
    const char *out_dir;
    int jobs;                 /* LOCAL: worker processes (default 1) */
    int retry_failed;         /* rerun failed, infeasible and time_limit jobs */
    const char *slurm_script; /* SLURM: the script to write */
    const char *task;         /* TASK: an index into the jobs (0-based) or a job id */
    const char *worker_job;   /* WORKER: a job id */
    const char *self_exe;     /* the rollout5g binary the workers run (LOCAL, SLURM) */
    const char *worker_flags; /* passed to each worker (-q / -v), or NULL */
    pl_batch_progress_fn progress;
    void *progress_user;
    FILE *report;             /* the job listing and the summary (stdout) */
} pl_batch_opts;

/* Runs the batch in the chosen mode. Returns 0 when every job of the batch
 * is done, R5G_ETIMELIMIT when the only unfinished ones hit their time limit
 * (each with a plan), R5G_EINPUT when some job failed (each is recorded with
 * its error; the others ran), or another negative code with err set. A
 * WORKER or TASK run returns the job's own code. */
int pl_batch_run(const pl_batch_opts *opts, r5g_err *err);

/* 1 when the build has the MPI backend. */
int pl_batch_have_mpi(void);

/* `mpirun -n N rollout5g plan SCENARIO --mpi` (mpi_plan.c): every rank
 * calls pl_mpi_plan_start. On rank 0 it returns 0 with *runner, the ranks
 * 1..N-1 solving the decomposition's regions; the plan then runs there and
 * pl_mpi_plan_end stops the ranks. On the other ranks it serves regions
 * until then and returns 1 (or an error). Without MPI: R5G_EUSAGE. */
struct sol_runner;
int pl_mpi_plan_start(const struct sol_runner **runner, r5g_err *err);
void pl_mpi_plan_end(void);

#endif
