#include "config.h"

#include "planner/cli/progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/r5g.h"

void cli_progress_init(cli_progress *p)
{
    *p = (cli_progress){0};
    p->on = r5g_log_level() >= R5G_LOG_INFO;
    p->tty = p->on && isatty(STDERR_FILENO);
    p->last_t = r5g_now();
}

static void solve_end(cli_progress *p);
static void bar_update(cli_progress *p, double frac);

static void bar_begin(cli_progress *p, const char *stage)
{
    if (!p->tty)
        return;
    solve_end(p);
    fprintf(stderr, "%s ", stage);
    p->ticks = -1;
    p->in_bar = 1;
    bar_update(p, 0);
}

/* As GDALTermProgress: 40 ticks, a number every 10 %, dots between. */
static void bar_update(cli_progress *p, double frac)
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

static void bar_end(cli_progress *p) { bar_update(p, 1); }

static void solve_line(cli_progress *p, double incumbent, double bound, double seconds)
{
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

static void solve_end(cli_progress *p)
{
    if (p->solve_line) {
        fputc('\n', stderr);
        p->solve_line = 0;
    }
}

int cli_progress_cb(const pl_progress_event *ev, void *user)
{
    cli_progress *p = user;
    switch (ev->kind) {
    case PL_PROGRESS_BEGIN:
        if (strcmp(ev->stage, "solving") != 0)
            bar_begin(p, ev->stage);
        break;
    case PL_PROGRESS_UPDATE: bar_update(p, ev->fraction); break;
    case PL_PROGRESS_END:
        if (strcmp(ev->stage, "solving") == 0)
            solve_end(p);
        else
            bar_end(p);
        break;
    case PL_PROGRESS_SOLVE: solve_line(p, ev->incumbent, ev->bound, ev->seconds); break;
    }
    return 0;
}

void cli_progress_finish(cli_progress *p)
{
    solve_end(p);
    if (p->tty && p->in_bar) {
        fputc('\n', stderr);
        p->in_bar = 0;
    }
}
