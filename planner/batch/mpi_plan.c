/* `mpirun -n N rollout5g plan SCENARIO --mpi` (configure --with-mpi): the
 * decomposition's regions on MPI ranks. Rank 0 runs the plan as without
 * MPI (reading, the search, writing); when the decomposition solves a
 * round, each region's model goes packed (sol_input_pack) to a free rank
 * 1..N-1, which solves it with sol_solve_packed and sends the reply back.
 * The other ranks read nothing: they only serve regions, so they need the
 * binary and no access to the scenario's files. A region's solve depends
 * only on its model, so the plan is the one of the forked processes.
 *
 * Messages, all from or to rank 0: JOB (the job number, then the packed
 * model), RESULT (the job number, then the reply), CANCEL (drop the
 * region being solved: its progress callback sees it), STOP (the plan is
 * done). Rank 0 polls (MPI_Iprobe from the decomposition's loop, which
 * sleeps 5 ms between polls), so it does not spin a core a rank needs. */
#include "config.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "common/r5g.h"
#include "planner/batch/batch.h"
#include "solver/sol.h"

enum { TAG_JOB = 11, TAG_RESULT = 12, TAG_CANCEL = 13, TAG_STOP = 14 };

typedef struct mpi_runner {
    int size;
    int *job;                /* [size] the job on the rank, -1 idle */
    unsigned char *dropping; /* [size] cancelled: its reply is not wanted */
    sol_runner r;
} mpi_runner;

static mpi_runner the_runner;

/* ---- rank 0 ---------------------------------------------------------------------- */

static int submit(void *user, int job, const unsigned char *model, size_t len, r5g_err *err)
{
    mpi_runner *mr = user;
    int k = 1;
    while (k < mr->size && mr->job[k] >= 0)
        k++;
    if (k >= mr->size)
        return r5g_err_set(err, R5G_EINTERNAL, "plan --mpi: no rank free for region %d", job + 1);
    if (len > (size_t)0x7fffffff - sizeof job)
        return r5g_err_set(err, R5G_EINPUT, "plan --mpi: region %d's model (%zu bytes) is larger than one MPI "
                           "message can be", job + 1, len);
    unsigned char *msg = malloc(len + sizeof job);
    if (!msg)
        return r5g_err_set(err, R5G_ENOMEM, "plan --mpi: out of memory for region %d's model", job + 1);
    memcpy(msg, &job, sizeof job);
    memcpy(msg + sizeof job, model, len);
    MPI_Send(msg, (int)(len + sizeof job), MPI_BYTE, k, TAG_JOB, MPI_COMM_WORLD);
    free(msg);
    mr->job[k] = job;
    mr->dropping[k] = 0;
    return 0;
}

/* Receives one RESULT, waiting when `wait`: its rank, or 0 when none came. */
static int receive(mpi_runner *mr, int wait, int *job, unsigned char **reply, size_t *len, r5g_err *err)
{
    MPI_Status st;
    int flag = 0;
    if (wait)
        MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
    else
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
    if (!wait && !flag)
        return 0;
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    unsigned char *buf = malloc((size_t)n + 1);
    if (!buf)
        return r5g_err_set(err, R5G_ENOMEM, "plan --mpi: out of memory for a region's reply (%d bytes)", n);
    MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    int k = st.MPI_SOURCE;
    if ((size_t)n < sizeof *job || k <= 0 || k >= mr->size) {
        free(buf);
        return r5g_err_set(err, R5G_EINTERNAL, "plan --mpi: a broken reply from rank %d", k);
    }
    memcpy(job, buf, sizeof *job);
    *len = (size_t)n - sizeof *job;
    memmove(buf, buf + sizeof *job, *len);
    *reply = buf;
    return k;
}

static int poll(void *user, int *job, unsigned char **reply, size_t *len, r5g_err *err)
{
    mpi_runner *mr = user;
    for (;;) {
        int k = receive(mr, 0, job, reply, len, err);
        if (k <= 0)
            return k;
        int want = !mr->dropping[k] && mr->job[k] == *job;
        mr->job[k] = -1;
        mr->dropping[k] = 0;
        if (want)
            return 1;
        free(*reply);
        *reply = NULL;
    }
}

static void cancel(void *user)
{
    mpi_runner *mr = user;
    for (int k = 1; k < mr->size; k++)
        if (mr->job[k] >= 0 && !mr->dropping[k]) {
            MPI_Send(NULL, 0, MPI_BYTE, k, TAG_CANCEL, MPI_COMM_WORLD);
            mr->dropping[k] = 1;
        }
}

/* ---- ranks 1..N-1 ---------------------------------------------------------------- */

/* While a region solves: a message from rank 0 (CANCEL, or STOP after
 * an error there) ends it. */
static int stop_asked(void *user)
{
    (void)user;
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (flag && st.MPI_TAG == TAG_CANCEL)
        MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_CANCEL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return flag;
}

static int serve(int rank, r5g_err *err)
{
    r5g_log_set_level(R5G_LOG_ERROR); /* rank 0 reports */
    for (;;) {
        MPI_Status st;
        MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
        int n = 0;
        MPI_Get_count(&st, MPI_BYTE, &n);
        if (st.MPI_TAG != TAG_JOB) { /* STOP, or a CANCEL that came after the reply */
            MPI_Recv(NULL, 0, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (st.MPI_TAG == TAG_STOP)
                return 0;
            continue;
        }
        unsigned char *msg = malloc((size_t)n + 1);
        if (!msg)
            return r5g_err_set(err, R5G_ENOMEM, "plan --mpi: rank %d: out of memory for a region (%d bytes)", rank,
                               n);
        MPI_Recv(msg, n, MPI_BYTE, 0, TAG_JOB, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int job = -1;
        if ((size_t)n >= sizeof job)
            memcpy(&job, msg, sizeof job);
        unsigned char *reply = NULL;
        size_t len = 0;
        int rc = sol_solve_packed(&reply, &len, msg + sizeof job, (size_t)n >= sizeof job ? (size_t)n - sizeof job : 0,
                                  stop_asked, NULL);
        free(msg);
        unsigned char *out = rc == 0 ? malloc(len + sizeof job) : NULL;
        if (!out) {
            free(reply);
            return r5g_err_set(err, R5G_ENOMEM, "plan --mpi: rank %d: out of memory for a region's reply", rank);
        }
        memcpy(out, &job, sizeof job);
        memcpy(out + sizeof job, reply, len);
        free(reply);
        MPI_Send(out, (int)(len + sizeof job), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(out);
    }
}

/* ---- entry ---------------------------------------------------------------------- */

int pl_mpi_plan_start(const sol_runner **runner, r5g_err *err)
{
    int rank = 0, size = 1;
    *runner = NULL;
    MPI_Init(NULL, NULL);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (rank != 0) {
        int rc = serve(rank, err);
        MPI_Finalize();
        return rc ? rc : 1;
    }
    if (size < 2) {
        MPI_Finalize();
        return r5g_err_set(err, R5G_EUSAGE, "--mpi with 1 rank: rank 0 only hands out the regions; run mpirun -n 2 "
                           "or more");
    }
    mpi_runner *mr = &the_runner;
    mr->size = size;
    mr->job = malloc((size_t)size * sizeof *mr->job);
    mr->dropping = calloc((size_t)size, 1);
    if (!mr->job || !mr->dropping) {
        pl_mpi_plan_end();
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    }
    for (int k = 0; k < size; k++)
        mr->job[k] = -1;
    mr->r = (sol_runner){.slots = size - 1, .submit = submit, .poll = poll, .cancel = cancel, .user = mr};
    *runner = &mr->r;
    return 0;
}

void pl_mpi_plan_end(void)
{
    mpi_runner *mr = &the_runner;
    /* the replies still coming are taken (a large one holds its rank in
     * MPI_Send until then), then every rank stops */
    for (int k = 1; mr->job && k < mr->size; k++)
        while (mr->job[k] >= 0) {
            int job;
            unsigned char *reply = NULL;
            size_t len;
            r5g_err e = {0};
            int from = receive(mr, 1, &job, &reply, &len, &e);
            free(reply);
            if (from <= 0)
                break;
            mr->job[from] = -1;
        }
    for (int k = 1; k < mr->size; k++)
        MPI_Send(NULL, 0, MPI_BYTE, k, TAG_STOP, MPI_COMM_WORLD);
    free(mr->job);
    free(mr->dropping);
    memset(mr, 0, sizeof *mr);
    MPI_Finalize();
}
