#include "config.h"

#include "planner/progress.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "common/r5g.h"

void pl_progress_init(pl_progress *p)
{
    *p = (pl_progress){0};
    p->on = r5g_log_level() >= R5G_LOG_INFO;
    p->tty = p->on && isatty(STDERR_FILENO);
    p->last_t = r5g_now();
}

void pl_progress_begin(pl_progress *p, const char *stage)
{
    if (!p->tty)
        return;
    pl_progress_solve_end(p);
    fprintf(stderr, "%s ", stage);
    p->ticks = -1;
    p->in_bar = 1;
    pl_progress_update(p, 0);
}

/* As GDALTermProgress: 40 ticks, a number every 10 %, dots between. */
void pl_progress_update(pl_progress *p, double frac)
{
    if (!p->tty || !p->in_bar)
        return;
    int want = (int)floor(fmin(fmax(frac, 0), 1) * 40.0);
    while (p->ticks < want) {
        p->ticks++;
        if (p->ticks % 4 == 0)
            fprintf(stderr, "%d", p->ticks / 4 * 10);
        else
            fputc('.', stderr);
    }
    if (p->ticks == 40) {
        fputs(" - done.\n", stderr);
        p->in_bar = 0;
    }
    fflush(stderr);
}

void pl_progress_end(pl_progress *p) { pl_progress_update(p, 1); }

void pl_progress_solve(void *user, double incumbent, double bound, double seconds)
{
    pl_progress *p = user;
    if (!p->on)
        return;
    double now = r5g_now();
    double every = p->tty ? 0.25 : 10.0;
    if (now - p->last_t < every)
        return;
    p->last_t = now;
    double gap = incumbent > 0 && bound >= incumbent ? (bound - incumbent) / incumbent : NAN;
    if (p->tty) {
        fprintf(stderr, "\rsolving: incumbent %.6g, bound %.6g, gap %.3f%%, %.0f s   ", incumbent,
                bound, 100 * gap, seconds);
        fflush(stderr);
        p->solve_line = 1;
    } else {
        r5g_log(R5G_LOG_INFO, "solving: incumbent %.6g, bound %.6g, gap %.3f%% after %.0f s", incumbent,
                bound, 100 * gap, seconds);
    }
}

void pl_progress_solve_end(pl_progress *p)
{
    if (p->solve_line) {
        fputc('\n', stderr);
        p->solve_line = 0;
    }
}
