/* solver: the search state the steps of sol_solve share: the incumbent, the
 * bound, progress reports, the cancel and the time limit. No GLPK here. */
#include "solver/sol_search.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

int sol_search_offer(sol_search *s, const int *plan, double value, const char *by, int on_tie)
{
    if (!(value > -HUGE_VAL))
        return 0; /* not a plan that keeps the rules */
    if (s->have_plan &&
        (on_tie ? value < s->value - 1e-9 * fmax(1.0, fabs(s->value)) : !(value > s->value)))
        return 0;
    memcpy(s->plan, plan, (size_t)s->m->n_sites * sizeof *plan);
    s->value = value;
    s->have_plan = 1;
    s->plan_by = by;
    return 1;
}

void sol_search_bound(sol_search *s, double bound, const char *kind)
{
    if (bound < s->bound) {
        s->bound = bound;
        s->bound_kind = kind;
    }
}

int sol_search_proven(const sol_search *s)
{
    return s->have_plan && s->bound - s->value <= s->in->mip_gap * fmax(fabs(s->value), 1e-9);
}

int sol_search_timed_out(sol_search *s)
{
    const sol_input *in = s->in;
    if (!(in->time_limit_s > 0) || r5g_now() - s->t0 < in->time_limit_s)
        return 0;
    if (s->stop == SOL_STOP_NONE) {
        r5g_log(R5G_LOG_DEBUG, "solver: time limit %g s reached", in->time_limit_s);
        s->stop = SOL_STOP_TIME;
    }
    return 1;
}

double sol_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double sol_search_left(const sol_search *s)
{
    if (!(s->in->time_limit_s > 0))
        return HUGE_VAL;
    return s->in->time_limit_s - (r5g_now() - s->t0);
}

/* GLPK 5.0's primal simplex from glp_adv_basis on the rollout models: its
 * iterations grow with the rows and each costs about the non-zeros, so the
 * time goes with rows x non-zeros. Measured idle (2 cores): the district
 * (7,625 x 34,530) 1.25 s, district-xl (53,492 x 321,665) 40-47 s: about
 * 4e8 per CPU second. */
#ifndef LP_RATE
#define LP_RATE 4e8
#endif
/* the prediction's margin: it was within 25 % on the models measured */
#define LP_MARGIN 1.25

double sol_search_lp_seconds(int n_rows, long long n_nonzeros)
{
    return (double)n_rows * (double)n_nonzeros / LP_RATE;
}

double sol_search_cpu_share(const sol_search *s)
{
    double wall = r5g_now() - s->t0, cpu = sol_cpu_now() - s->c0, share = 1;
    if (wall >= 1.0) {
        share = cpu / wall;
    } else { /* too short to tell: the processors over the load average of the last minute */
        share = r5g_load_share();
    }
    return share < 0.1 ? 0.1 : share > 1 ? 1 : share;
}

int sol_search_lp_fits(const sol_search *s, double share_of_left)
{
    if (s->in->lp_max_s > 0 && s->lp_seconds * LP_MARGIN > s->in->lp_max_s)
        return 0;
    return s->lp_seconds * LP_MARGIN / sol_search_cpu_share(s) <= share_of_left * sol_search_left(s);
}

int sol_search_lp_hopeless(const sol_search *s, double lp_t0, double lp_c0)
{
    double wall = r5g_now() - lp_t0, spent = sol_cpu_now() - lp_c0;
    if (wall < 2.0)
        return 0; /* too early to tell */
    double share = spent / wall, predicted = s->lp_seconds * LP_MARGIN;
    if (share < 0.1)
        share = 0.1;
    /* past the prediction the LP is assumed half done */
    double rest = predicted - spent > spent ? predicted - spent : spent;
    return rest / share > sol_search_left(s);
}

int sol_search_report(sol_search *s, const char *phase, long long work, const char *unit, double value,
                      double bound)
{
    const sol_input *in = s->in;
    if (s->stop == SOL_STOP_CANCEL)
        return 1; /* asked once: not asked again */
    if (!in->on_progress)
        return 0;
    double v = s->have_plan ? s->value : -HUGE_VAL, b = s->bound;
    if (value > v)
        v = value;
    if (bound < b)
        b = bound;
    sol_progress p = {.phase = phase,
                      .incumbent = v > -HUGE_VAL ? s->sgn * v : NAN,
                      .bound = s->sgn * b,
                      .seconds = r5g_now() - s->t0,
                      .work = work,
                      .work_unit = unit};
    if (in->on_progress(in->progress_user, &p)) {
        r5g_log(R5G_LOG_DEBUG, "solver: cancelled by the caller during %s after %.2f s", phase, p.seconds);
        s->stop = SOL_STOP_CANCEL;
        return 1;
    }
    return 0;
}
