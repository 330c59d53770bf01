/* rollout5g batch: many plans from one batch file (docs/batch.md). */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/r5g.h"
#include "planner/batch/batch.h"
#include "planner/cli/cli.h"

const char cli_batch_usage[] =
    "usage: rollout5g batch BATCH.yaml -o DIR [-j N] [--retry-failed] [-q|-v]\n"
    "       rollout5g batch BATCH.yaml --dry-run\n"
    "       mpirun -n N rollout5g batch BATCH.yaml -o DIR --mpi\n"
    "       rollout5g batch BATCH.yaml -o DIR --slurm-script FILE\n"
    "       rollout5g batch BATCH.yaml -o DIR --task INDEX|ID\n"
    "       rollout5g batch --collect DIR\n"
    "\n"
    "Runs every job of the batch file (a base scenario, or several, with axes over\n"
    "scenario keys combined as a grid or zipped, and an optional budget frontier):\n"
    "each job's plan goes to DIR/jobs/ID.gpkg, its status and KPIs to the manifest\n"
    "DIR/manifest.sqlite, and the results to DIR/results.gpkg (table jobs),\n"
    "results.csv, results.json and summary.html, with the Pareto frontier marked.\n"
    "Running the same command again finishes what an interrupted run left; a\n"
    "finished job never runs twice.\n"
    "\n"
    "  -o, --output DIR         the batch's folder (created; required)\n"
    "  -j, --jobs N             worker processes on this machine (default 1)\n"
    "      --dry-run            list the jobs (index, id, overrides) and check each\n"
    "                           job's overrides against its scenario; run nothing\n"
    "      --retry-failed       also rerun the jobs that failed, were infeasible or\n"
    "                           reached their time limit\n"
    "      --mpi                under mpirun: rank 0 hands out the jobs, the others\n"
    "                           solve them\n"
    "      --slurm-script FILE  write a Slurm array job for the pending jobs; run nothing\n"
    "      --task INDEX|ID      run one job (a Slurm array task: $SLURM_ARRAY_TASK_ID)\n"
    "      --collect DIR        merge the tasks' results into DIR's manifest and\n"
    "                           write the results\n"
    "  -q, --quiet              only errors on stderr\n"
    "  -v, --verbose            debug messages\n"
    "\n"
    "Exit: 0 every job done, 1 an error or some job failed (each is recorded with\n"
    "its error), 2 usage, 4 some job reached its time limit (its plan is kept),\n"
    "130 interrupted (the running jobs are pending again).\n";

enum { OPT_DRY = 256, OPT_RETRY, OPT_MPI, OPT_SLURM, OPT_TASK, OPT_COLLECT, OPT_WORKER };

typedef struct batch_progress {
    int tty;
    int on;
    int drawn;
} batch_progress;

static void hms(char *buf, size_t size, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

/* One line over the jobs: redrawn in place on a terminal, one per finished
 * job otherwise. */
static int progress_cb(const pl_batch_status *st, void *user)
{
    batch_progress *p = user;
    if (!p->on)
        return 0;
    if (!p->tty && !st->last_job)
        return 0;
    char el[32], eta[32] = "?";
    hms(el, sizeof el, st->elapsed);
    if (st->eta >= 0)
        hms(eta, sizeof eta, st->eta);
    if (p->tty) {
        fprintf(stderr, "\r\033[Kbatch: %d/%d done, %d failed, %d running, %s elapsed, ETA %s", st->done, st->total,
                st->failed, st->running, el, eta);
        p->drawn = 1;
    } else {
        fprintf(stderr, "batch: %s %s (%d/%d done, %d failed, %d running, %s elapsed, ETA %s)\n", st->last_job,
                st->last_status, st->done, st->total, st->failed, st->running, el, eta);
    }
    fflush(stderr);
    return 0;
}

int cli_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},   {"jobs", required_argument, NULL, 'j'},
        {"dry-run", no_argument, NULL, OPT_DRY},     {"retry-failed", no_argument, NULL, OPT_RETRY},
        {"mpi", no_argument, NULL, OPT_MPI},         {"slurm-script", required_argument, NULL, OPT_SLURM},
        {"task", required_argument, NULL, OPT_TASK}, {"collect", required_argument, NULL, OPT_COLLECT},
        {"worker", required_argument, NULL, OPT_WORKER},
        {"quiet", no_argument, NULL, 'q'},           {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    pl_batch_opts o = {.mode = PL_BATCH_LOCAL, .jobs = 1, .report = stdout};
    int c, n_modes = 0, rc;
    const char *flags = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:j:qvh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.out_dir = optarg; break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 1 || n > 1024)
                return cli_usage_error("batch", "-j %s: expected a number of worker processes in 1..1024", optarg);
            o.jobs = (int)n;
            break;
        }
        case OPT_DRY: o.mode = PL_BATCH_DRY_RUN, n_modes++; break;
        case OPT_RETRY: o.retry_failed = 1; break;
        case OPT_MPI: o.mode = PL_BATCH_MPI, n_modes++; break;
        case OPT_SLURM: o.mode = PL_BATCH_SLURM, o.slurm_script = optarg, n_modes++; break;
        case OPT_TASK: o.mode = PL_BATCH_TASK, o.task = optarg, n_modes++; break;
        case OPT_COLLECT: o.mode = PL_BATCH_COLLECT, o.out_dir = optarg, n_modes++; break;
        case OPT_WORKER: o.mode = PL_BATCH_WORKER, o.worker_job = optarg, n_modes++; break;
        case 'q': r5g_log_set_level(R5G_LOG_ERROR); flags = "-q"; break;
        case 'v': r5g_log_set_level(R5G_LOG_DEBUG); flags = "-v"; break;
        case 'h': return cli_print_usage("batch");
        case ':': return cli_usage_error("batch", "option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage_error("batch", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (n_modes > 1)
        return cli_usage_error("batch", "%s", "give one of --dry-run, --mpi, --slurm-script, --task, --collect");
    if (o.mode == PL_BATCH_COLLECT) {
        if (optind < argc)
            return cli_usage_error("batch", "--collect DIR takes no batch file (the manifest names it): '%s'", argv[optind]);
        if (o.retry_failed)
            return cli_usage_error("batch", "%s", "--retry-failed reruns jobs: use it without --collect");
    } else {
        if (optind >= argc)
            return cli_usage_error("batch", "%s", "missing BATCH (a batch YAML file; docs/batch.md)");
        if (optind + 1 < argc)
            return cli_usage_error("batch", "unexpected argument '%s'", argv[optind + 1]);
        o.batch_path = argv[optind];
        if (!o.out_dir && o.mode != PL_BATCH_DRY_RUN)
            return cli_usage_error("batch", "%s", "missing -o DIR (the folder for the plans, the manifest and the results)");
    }
    if (o.jobs > 1 && o.mode != PL_BATCH_LOCAL)
        return cli_usage_error("batch", "%s", "-j is for the local pool: --mpi takes its ranks from mpirun, Slurm its tasks from the array");
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        snprintf(self, sizeof self, "%s", "rollout5g");
    else
        self[n] = '\0';
    o.self_exe = self;
    o.worker_flags = flags;
    batch_progress prog = {.tty = isatty(STDERR_FILENO), .on = r5g_log_level() >= R5G_LOG_INFO};
    o.progress = progress_cb;
    o.progress_user = &prog;
    if (o.mode == PL_BATCH_WORKER || o.mode == PL_BATCH_TASK)
        o.report = NULL;
    signal(SIGPIPE, SIG_IGN);
    r5g_err err = {0};
    rc = pl_batch_run(&o, &err);
    if (prog.drawn)
        fputc('\n', stderr);
    if (rc == R5G_ECANCELLED) {
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
        return 130;
    }
    if (rc == R5G_ETIMELIMIT)
        r5g_log(R5G_LOG_WARN, "%s", err.msg);
    else if (rc)
        r5g_log(R5G_LOG_ERROR, "%s", err.msg);
    return r5g_exit_code(rc);
}
