/* The MPI backend (configure --with-mpi): `mpirun -n N rollout5g batch BATCH
 * -o DIR --mpi`. Rank 0 is the coordinator (the manifest, the results) and
 * hands out jobs one at a time to whichever rank asks; ranks 1..N-1 solve
 * them, one after the other in their own process, and send back the result
 * record. Rank 0 polls (MPI_Iprobe and a short sleep) so that it does not
 * spin a core that a solver needs. */
#include "config.h"

#include <mpi.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "planner/batch/batch_int.h"

enum { TAG_READY = 1, TAG_JOB = 2, TAG_STOP = 3, TAG_RESULT = 4 };

int pl_batch_have_mpi(void) { return 1; }

typedef struct mpi_state {
    int size;
    int stopped;        /* workers told to stop */
    long long *attempt; /* [size] the attempt each rank is on, 0 none */
    int *job;           /* [size] its job, -1 none */
} mpi_state;

static void sleep_ms(int ms)
{
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Receives one message from a worker: a READY or a RESULT (recorded). */
static int receive(pl_bctx *c, mpi_state *ms, int *src, r5g_err *err)
{
    MPI_Status st;
    int flag = 0;
    double tick = r5g_now();
    while (!flag) {
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag)
            break;
        if (c && pl_batch_interrupted())
            return R5G_ECANCELLED;
        sleep_ms(5);
        if (c && r5g_now() - tick >= 1.0) {
            tick = r5g_now();
            pl_bctx_progress(c);
        }
    }
    int n = 0;
    MPI_Get_count(&st, MPI_CHAR, &n);
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    MPI_Recv(buf, n, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    buf[n] = '\0';
    *src = st.MPI_SOURCE;
    int rc = 0;
    if (st.MPI_TAG == TAG_RESULT && c) {
        pl_bresult r;
        r5g_err e = {0};
        if (pl_bresult_parse(&r, buf, &e)) { /* cannot happen between two builds of one binary */
            pl_bresult_init(&r, c->b->jobs[ms->job[*src]].id);
            snprintf(r.status, sizeof r.status, "failed");
            r.exit_code = 1;
            snprintf(r.error, sizeof r.error, "rank %d sent a broken result: %.1900s", *src, e.msg);
        }
        rc = pl_bctx_finished(c, ms->attempt[*src], &r, err);
        ms->attempt[*src] = 0;
        ms->job[*src] = -1;
    }
    free(buf);
    return rc;
}

static void stop(mpi_state *ms, int rank)
{
    MPI_Send("", 0, MPI_CHAR, rank, TAG_STOP, MPI_COMM_WORLD);
    ms->stopped++;
}

static int dispatch(pl_bctx *c, void *user, r5g_err *err)
{
    mpi_state *ms = user;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    int next = 0, rc = 0;
    while (ms->stopped < ms->size - 1) {
        int src = -1;
        int r = receive(c, ms, &src, err);
        if (r == R5G_ECANCELLED)
            break;
        if (r && rc == 0)
            rc = r;
        if (src < 0)
            continue;
        if (rc || next >= c->n_todo || pl_batch_interrupted()) {
            stop(ms, src);
            continue;
        }
        int j = c->todo[next++];
        if ((rc = pl_manifest_start(c->m, c->b->jobs[j].id, "mpi", host, (long)src, &ms->attempt[src], err))) {
            stop(ms, src);
            continue;
        }
        ms->job[src] = j;
        c->st.running++;
        MPI_Send(&j, 1, MPI_INT, src, TAG_JOB, MPI_COMM_WORLD);
    }
    if (pl_batch_interrupted()) { /* the running jobs are pending again */
        for (int k = 1; k < ms->size; k++)
            if (ms->attempt[k] > 0) {
                r5g_err e = {0};
                pl_manifest_interrupt(c->m, ms->attempt[k], c->b->jobs[ms->job[k]].id, &e);
            }
    }
    return rc;
}

static int worker(const pl_batch_opts *o, int rank, r5g_err *err)
{
    pl_batch *b = NULL;
    r5g_err berr = {0};
    int loaded = pl_batch_load(&b, o->batch_path, &berr) == 0;
    MPI_Send("", 0, MPI_CHAR, 0, TAG_READY, MPI_COMM_WORLD);
    for (;;) {
        MPI_Status st;
        int j = -1;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        if (st.MPI_TAG == TAG_STOP) {
            MPI_Recv(NULL, 0, MPI_CHAR, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
        MPI_Recv(&j, 1, MPI_INT, 0, TAG_JOB, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        pl_bresult r;
        if (!loaded || j < 0 || j >= b->n_jobs) {
            pl_bresult_init(&r, loaded && j >= 0 && j < b->n_jobs ? b->jobs[j].id : "?");
            snprintf(r.status, sizeof r.status, "failed");
            r.exit_code = 1;
            snprintf(r.error, sizeof r.error, "rank %d: %.1900s", rank, loaded ? "no such job" : berr.msg);
        } else {
            char cmd[512];
            snprintf(cmd, sizeof cmd, "rollout5g batch %s -o %s --mpi (rank %d)", b->abs_file, o->out_dir, rank);
            r5g_err e = {0};
            /* the job's log in DIR/jobs/ID.log, as for the local pool */
            char *log = r5g_asprintf("%s/jobs/%s.log", o->out_dir, b->jobs[j].id);
            int saved = dup(STDERR_FILENO);
            FILE *lf = log ? fopen(log, "w") : NULL;
            if (lf) {
                fflush(stderr);
                dup2(fileno(lf), STDERR_FILENO);
            }
            if (pl_batch_job_run(b, j, o->out_dir, "mpi", cmd, &r, &e) != 0) {
                snprintf(r.status, sizeof r.status, "failed");
                r.exit_code = 1;
                snprintf(r.error, sizeof r.error, "%s", e.msg);
            }
            if (lf) {
                fflush(stderr);
                dup2(saved, STDERR_FILENO);
                fclose(lf);
            }
            if (saved >= 0)
                close(saved);
            free(log);
        }
        char *text = pl_bresult_format(&r);
        if (!text) {
            pl_batch_free(b);
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        }
        MPI_Send(text, (int)strlen(text), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(text);
    }
    pl_batch_free(b);
    return 0;
}

int pl_batch_mpi_main(const pl_batch_opts *o, r5g_err *err)
{
    int rank = 0, size = 1, rc = 0;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank != 0) {
        r5g_cleanup_install(); /* mpirun's SIGTERM removes a job's temporary plan */
        rc = worker(o, rank, err);
        MPI_Finalize();
        return rc;
    }
    mpi_state ms = {size, 0, calloc((size_t)size, sizeof(long long)), malloc((size_t)size * sizeof(int))};
    if (!ms.attempt || !ms.job) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
    } else if (size < 2) {
        rc = r5g_err_set(err, R5G_EUSAGE, "--mpi with 1 rank: rank 0 only hands out jobs; run mpirun -n 2 or more");
    } else {
        for (int k = 0; k < size; k++)
            ms.job[k] = -1;
        rc = pl_batch_coordinate(o, dispatch, &ms, err);
    }
    /* workers not stopped yet (an error before or during the dispatch, or
     * nothing to run) are told to stop, so mpirun ends */
    while (ms.attempt && ms.job && ms.stopped < size - 1 && !pl_batch_interrupted()) {
        int src = -1;
        r5g_err e = {0};
        receive(NULL, &ms, &src, &e);
        if (src > 0)
            stop(&ms, src);
    }
    free(ms.attempt);
    free(ms.job);
    if (pl_batch_interrupted())
        MPI_Abort(MPI_COMM_WORLD, 130);
    MPI_Finalize();
    return rc;
}
