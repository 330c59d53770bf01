/* The local backend: a pool of N worker processes, each a fresh rollout5g
 * (fork + exec of the same binary with the hidden `batch --worker ID`), one
 * job per process: the log level and the signal cleanup slots are
 * process-wide, so workers are processes, not threads. A worker dies with
 * its coordinator (PR_SET_PDEATHSIG), so kill -9 of the batch leaves no
 * orphan solving on; Ctrl-C stops the workers (their handlers remove their
 * temporary plans) and puts their jobs back to pending. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "planner/batch/batch_int.h"

typedef struct worker {
    pid_t pid;        /* 0: free */
    int job;
    long long attempt;
} worker;

/* The last non-empty line of the job's log: the error of a worker that
 * ended without a result record. */
static void last_log_line(const char *dir, const char *id, char *buf, size_t size)
{
    buf[0] = '\0';
    char *p = r5g_asprintf("%s/jobs/%s.log", dir, id);
    FILE *f = p ? fopen(p, "r") : NULL;
    free(p);
    if (!f)
        return;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        line[n] = '\0';
        if (n)
            snprintf(buf, size, "%.*s", (int)(size - 1), line);
    }
    fclose(f);
}

static pid_t spawn(pl_bctx *c, int j, r5g_err *err)
{
    const pl_batch_opts *o = c->opts;
    const char *id = c->b->jobs[j].id;
    char *log = r5g_asprintf("%s/jobs/%s.log", c->dir, id);
    if (!log)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        free(log);
        return r5g_err_set(err, R5G_EIO, "cannot start a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        /* the child: die with the coordinator, log to the job's file */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(128 + SIGKILL);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_RDWR);
        if (fd >= 0)
            dup2(fd, STDERR_FILENO);
        if (nul >= 0) {
            dup2(nul, STDIN_FILENO);
            dup2(nul, STDOUT_FILENO);
        }
        char *argv[12];
        int n = 0;
        argv[n++] = (char *)"rollout5g";
        argv[n++] = (char *)"batch";
        argv[n++] = (char *)c->b->abs_file;
        argv[n++] = (char *)"-o";
        argv[n++] = (char *)c->dir;
        argv[n++] = (char *)"--worker";
        argv[n++] = (char *)id;
        if (o->worker_flags)
            argv[n++] = (char *)o->worker_flags;
        argv[n] = NULL;
        execv(o->self_exe, argv);
        dprintf(STDERR_FILENO, "rollout5g: cannot run %s: %s\n", o->self_exe, strerror(errno));
        _exit(127);
    }
    free(log);
    return pid;
}

/* The result a worker left, or one made from how it ended. */
static void collect(pl_bctx *c, const worker *w, int status, pl_bresult *r)
{
    const char *id = c->b->jobs[w->job].id;
    r5g_err e = {0};
    int got = pl_bresult_read(r, c->dir, id, &e);
    if (got == 1)
        return;
    pl_bresult_init(r, id);
    snprintf(r->status, sizeof r->status, "failed");
    snprintf(r->backend, sizeof r->backend, "local");
    r->pid = (long)w->pid;
    char line[900];
    last_log_line(c->dir, id, line, sizeof line);
    if (WIFSIGNALED(status)) {
        r->exit_code = 128 + WTERMSIG(status);
        snprintf(r->error, sizeof r->error, "the worker ended by signal %d%s%s", WTERMSIG(status), *line ? ": " : "",
                 line);
    } else {
        r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
        snprintf(r->error, sizeof r->error, "the worker ended with exit %d and no result%s%.900s", r->exit_code,
                 *line || got < 0 ? ": " : "", got < 0 ? e.msg : line);
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* a signal ends it early */
}

int pl_batch_pool_run(pl_bctx *c, void *user, r5g_err *err)
{
    (void)user;
    int n = c->opts->jobs > 0 ? c->opts->jobs : 1, next = 0, rc = 0;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    worker *w = calloc((size_t)n, sizeof *w);
    if (!w)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    double last_tick = r5g_now(), stop_t = 0;
    for (;;) {
        /* start jobs while there are free workers */
        for (int k = 0; k < n && rc == 0 && next < c->n_todo && !pl_batch_interrupted(); k++) {
            if (w[k].pid)
                continue;
            int j = c->todo[next++];
            pl_bresult_remove(c->dir, c->b->jobs[j].id); /* a stale record never stands for this attempt */
            pid_t pid = spawn(c, j, err);
            if (pid < 0) {
                rc = (int)pid;
                break;
            }
            w[k] = (worker){pid, j, 0};
            if ((rc = pl_manifest_start(c->m, c->b->jobs[j].id, "local", host, (long)pid, &w[k].attempt, err)))
                break;
            c->st.running++;
        }
        int busy = 0;
        for (int k = 0; k < n; k++)
            busy += w[k].pid != 0;
        if (busy == 0 && (next >= c->n_todo || rc || pl_batch_interrupted()))
            break;
        if (rc || pl_batch_interrupted()) {
            /* stop the workers: their handlers remove their temporary plans;
             * one that has not ended 10 s later is killed (the next run
             * removes what it left) */
            if (stop_t == 0)
                stop_t = r5g_now();
            int sig = r5g_now() - stop_t > 10 ? SIGKILL : SIGTERM;
            for (int k = 0; k < n; k++)
                if (w[k].pid)
                    kill(w[k].pid, sig);
        }
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) {
            sleep_ms(20);
            if (r5g_now() - last_tick >= 1.0) {
                last_tick = r5g_now();
                if (pl_bctx_progress(c) && !pl_batch_interrupted())
                    kill(getpid(), SIGINT);
            }
            continue;
        }
        for (int k = 0; k < n; k++) {
            if (w[k].pid != pid)
                continue;
            pl_bresult r;
            r5g_err e = {0};
            int got = pl_bresult_read(&r, c->dir, c->b->jobs[w[k].job].id, &e) == 1;
            int stopped = (rc || pl_batch_interrupted()) && !got;
            int mrc;
            if (stopped) { /* stopped before it ended: pending again */
                c->st.running--;
                mrc = pl_manifest_interrupt(c->m, w[k].attempt, c->b->jobs[w[k].job].id, err);
            } else {
                collect(c, &w[k], status, &r);
                pl_batch_test_point("before-finish");
                mrc = pl_bctx_finished(c, w[k].attempt, &r, rc ? &e : err);
            }
            if (mrc && rc == 0)
                rc = mrc;
            w[k].pid = 0;
        }
    }
    free(w);
    return rc;
}
