/* The run context: progress reporting through the caller's callback, the
 * solver call with its progress adapter, and the destructor. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/coverage.h"
#include "planner/pipeline/run.h"
#include "planner/scenario/schema.h"

int pl_run_progress(pl_run *r, pl_progress_kind kind, const char *stage, double fraction,
                    r5g_err *err)
{
    const pl_plan_opts *o = r->opts;
    if (!o || !o->progress)
        return 0;
    pl_progress_event ev = {.kind = kind, .stage = stage, .fraction = fraction};
    if (o->progress(&ev, o->progress_user))
        return r5g_err_set(err, R5G_ECANCELLED, "cancelled by the caller while %s", stage);
    return 0;
}

const char *pl_region_id(const pl_run *r, int row)
{
    return r->t_reg && row >= 0 ? geo_table_value(r->t_reg, PL_REGION_ID, (size_t)row) : NULL;
}

int pl_run_stage_log(const pl_run *r)
{
    return r->opts && r->opts->progress_shows_stages ? R5G_LOG_DEBUG : R5G_LOG_INFO;
}

/* The phase a solver report belongs to: the bounds (Lagrangian, root LP)
 * or the plans (reductions and greedy, which report together, RENS, the tree). */
static pl_phase_id solver_phase(const char *name)
{
    return name && (!strcmp(name, "lagrange") || !strcmp(name, "root LP")) ? PL_PHASE_BOUND
                                                                            : PL_PHASE_SEARCH;
}

/* sol_input.on_progress: charges the time since the previous report to the
 * phase this report names (memory sampled when the phase changes, and at
 * most twice a second otherwise), and forwards the solver's incumbent and
 * bound to the caller, whose non-zero return stops the search. */
static int solve_progress(void *user, const sol_progress *sp)
{
    pl_run *r = user;
    pl_phase_id id = solver_phase(sp->phase);
    pl_phase *ph = &r->phases[id];
    double since = r5g_now() - r->clock.wall;
    pl_phase_charge(ph, &r->clock, (int)id != r->solve_phase || since > 0.5);
    r->solve_phase = (int)id;
    const pl_plan_opts *o = r->opts;
    if (!o || !o->progress)
        return 0;
    pl_progress_event ev = {.kind = PL_PROGRESS_SOLVE, .stage = "solving",
                            .incumbent = sp->incumbent, .bound = sp->bound, .seconds = sp->seconds};
    return o->progress(&ev, o->progress_user);
}

int pl_run_solve(pl_run *r, r5g_err *err)
{
    int rc;
    if ((rc = pl_run_progress(r, PL_PROGRESS_BEGIN, "solving", 0, err)))
        return rc;
    r->in.on_progress = solve_progress;
    r->in.progress_user = r;
    r->solve_phase = -1;
    pl_phase_mark(&r->clock);
    rc = sol_solve(&r->res, &r->in, err);
    /* the work after the last report belongs to the phase that reported last */
    pl_phase_charge(&r->phases[r->solve_phase >= 0 ? r->solve_phase : PL_PHASE_SEARCH], &r->clock, 1);
    pl_phase_log(r->phases, PL_PHASE_BOUND);
    pl_phase_log(r->phases, PL_PHASE_SEARCH);
    if (rc == 0 && r->res.status == SOL_CANCELLED)
        rc = r5g_err_set(err, R5G_ECANCELLED, "cancelled by the caller while solving");
    r5g_err e = {0};
    int rc_end = pl_run_progress(r, PL_PROGRESS_END, "solving", 1, &e);
    return rc ? rc : rc_end ? r5g_err_set(err, rc_end, "%s", e.msg) : 0;
}

void pl_run_free(pl_run *r)
{
    geo_out_free(r->out);
    sol_result_free(&r->res);
    geo_pairs_free(&r->pairs);
    free(r->m_cov_ptr);
    free(r->m_cov_site);
    free(r->m_credit);
    free(r->m_existing);
    free(r->m_earliest);
    free(r->m_factor);
    free(r->d_id);
    free(r->d_name);
    pl_kept_dispose(&r->d_kept);
    pl_kept_dispose(&r->s_kept);
    free(r->d_sector);
    free(r->d_weight);
    free(r->d_eff);
    free(r->d_period);
    free(r->d_white);
    free(r->d_region);
    free(r->s_id);
    free(r->s_name);
    free(r->sx);
    free(r->sy);
    free(r->capex);
    free(r->radius);
    free(r->kind);
    free(r->band);
    free(r->s_region);
    free(r->s_commit);
    pl_kpi_free(r);
    pl_coverage_free(r);
    pl_rules_free(r);
    geo_table_free(r->t_dem);
    geo_table_free(r->t_cand);
    geo_table_free(r->t_exist);
    geo_table_free(r->t_reg);
    geo_crs_free(r->crs);
    pl_scenario_free(r->sc);
}
