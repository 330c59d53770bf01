/* The Slurm backend: an array job script, one task per pending job, each
 * running `rollout5g batch BATCH -o DIR --task $SLURM_ARRAY_TASK_ID`. The
 * tasks write their plans and result records into DIR/jobs; `rollout5g
 * batch --collect DIR` merges them into the manifest (SQLite on a network
 * file system is not safe for writers on several nodes: docs/batch.md). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/strbuf.h"
#include "planner/batch/batch_int.h"

/* "3-7,9,12-13": the pending indices as ranges */
static void ranges(r5g_str *s, const int *idx, int n)
{
    for (int i = 0; i < n;) {
        int k = i;
        while (k + 1 < n && idx[k + 1] == idx[k] + 1)
            k++;
        r5g_str_appendf(s, "%s%d", i ? "," : "", idx[i]);
        if (k > i)
            r5g_str_appendf(s, "-%d", idx[k]);
        i = k + 1;
    }
}

/* Slurm's --time from seconds: minutes, rounded up ("D-HH:MM:SS" is not needed) */
static void slurm_time(char *buf, size_t size, double seconds)
{
    long m = (long)ceil(seconds / 60.0);
    snprintf(buf, size, "%02ld:%02ld:00", m / 60, m % 60);
}

int pl_batch_slurm_script(const pl_bctx *c, r5g_err *err)
{
    const pl_batch *b = c->b;
    const pl_batch_opts *o = c->opts;
    const pl_bslurm *sl = &b->slurm;
    char dir[PATH_MAX], exe[PATH_MAX];
    int rc = 0;
    if (!realpath(c->dir, dir))
        return r5g_err_set(err, R5G_EIO, "cannot resolve '%s'", c->dir);
    if (!realpath(o->self_exe, exe))
        snprintf(exe, sizeof exe, "%s", o->self_exe);
    if (c->n_todo == 0) {
        if (o->report)
            fprintf(o->report, "every job of %s has finished: no script written (rollout5g batch --collect %s)\n",
                    b->file, dir);
        return 0;
    }
    /* the wall time of a task: the longest job's time limit, twice, plus
     * five minutes for reading and writing */
    double tl = 0;
    for (int i = 0; i < c->n_todo; i++) {
        double t = 0;
        r5g_err e = {0};
        if (pl_batch_job_check(b, c->todo[i], &t, &e) == 0 && t > tl)
            tl = t;
    }
    char tbuf[32];
    slurm_time(tbuf, sizeof tbuf, 2 * tl + 300);
    char *logdir = r5g_asprintf("%s/slurm", dir);
    if (!logdir)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    mkdir(logdir, 0777);
    r5g_str s = R5G_STR_INIT;
    r5g_str_appendf(&s, "#!/bin/sh\n# rollout5g batch %s: %d of %d jobs as a Slurm array job.\n", b->name, c->n_todo,
                    b->n_jobs);
    r5g_str_append(&s, "# Written by `rollout5g batch --slurm-script`. Submit it with sbatch; each task solves one\n"
                       "# job into DIR/jobs; a task whose job has finished exits at once. When the array has ended:\n#   ");
    r5g_str_append_shell(&s, exe);
    r5g_str_append(&s, " batch --collect ");
    r5g_str_append_shell(&s, dir);
    r5g_str_append(&s, "\n# DIR must be on a file system every node sees at the same path.\n");
    r5g_str_append(&s, "#SBATCH --job-name=");
    r5g_str_append(&s, sl->job_name ? sl->job_name : "rollout5g-batch");
    r5g_str_append(&s, "\n#SBATCH --array=");
    ranges(&s, c->todo, c->n_todo);
    if (sl->max_parallel > 0)
        r5g_str_appendf(&s, "%%%d", sl->max_parallel);
    r5g_str_appendf(&s, "\n#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=%d\n#SBATCH --time=%s\n", sl->cpus_per_task,
                    sl->time ? sl->time : tbuf);
    if (sl->mem)
        r5g_str_appendf(&s, "#SBATCH --mem=%s\n", sl->mem);
    if (sl->partition)
        r5g_str_appendf(&s, "#SBATCH --partition=%s\n", sl->partition);
    if (sl->account)
        r5g_str_appendf(&s, "#SBATCH --account=%s\n", sl->account);
    r5g_str_appendf(&s, "#SBATCH --output=%s/%%A_%%a.out\n", logdir);
    if (sl->extra)
        r5g_str_append(&s, sl->extra);
    r5g_str_appendf(&s, "export R5G_BATCH_SHA256=%s  # the batch file this array was written for\n", b->sha);
    r5g_str_append(&s, "exec ");
    r5g_str_append_shell(&s, exe);
    r5g_str_append(&s, " batch ");
    r5g_str_append_shell(&s, b->abs_file);
    r5g_str_append(&s, " -o ");
    r5g_str_append_shell(&s, dir);
    r5g_str_append(&s, " --task \"$SLURM_ARRAY_TASK_ID\" -q\n");
    const char *text = r5g_str_text(&s);
    rc = text ? pl_batch_write_atomic(o->slurm_script, text, strlen(text), err)
              : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    if (rc == 0) {
        chmod(o->slurm_script, 0755);
        if (o->report)
            fprintf(o->report,
                    "%s: a Slurm array of %d jobs (time %s each). Submit it:\n  sbatch %s\nthen, when it has ended:\n"
                    "  rollout5g batch --collect %s\n",
                    o->slurm_script, c->n_todo, sl->time ? sl->time : tbuf, o->slurm_script, dir);
    }
    r5g_str_dispose(&s);
    free(logdir);
    return rc;
}
