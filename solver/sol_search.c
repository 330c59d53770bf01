/* solver: the search state the steps of sol_solve share: the incumbent, the
 * bound, progress reports, the cancel and the time limit. No GLPK here. */
#include "solver/sol_search.h"

#include <math.h>
#include <string.h>

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
