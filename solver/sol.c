/* solver: sol_solve, the strategy. The input is checked and reduced, the
 * GLPK model's size is counted, then the steps below run over one search
 * state (solver/sol_search.h) until one proves the incumbent within
 * mip_gap, the caller cancels or the time limit passes; the status comes
 * from what they proved. Each step lives in its own file. */
#include "solver/sol_build.h"
#include "solver/sol_search.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const sol_step *const STEPS[] = {
    &sol_heur_greedy,    /* the first plan, and the floor of the result */
    &sol_heur_local,     /* improved by local moves */
    &sol_decomp,         /* large models of several components: regions solved apart, in parallel,
                          * under the incumbent's shares of the budgets */
    &sol_heur_local,     /* the union of the regional plans, improved over the whole model */
    &sol_bound_lagrange, /* models too large for the root LP: a bound without it, a guided plan */
    &sol_heur_local,     /* the guided plan, when it is better, improved the same way */
    &sol_decomp,         /* a second round, under the shares of the Lagrangian relaxation's plan */
    &sol_heur_local,     /* its union, when better, improved the same way */
    &sol_mip_glpk,       /* GLPK's branch and bound, RENS at its root */
    &sol_bound_lagrange, /* when the root LP was given up for lack of time */
    &sol_heur_local,     /* the tree's plan (or the guided one), when better, improved the same way */
    &sol_decomp,         /* a model whose root LP did not fit the time left (district-xl): tiles of it
                          * solved apart in that time, instead of leaving it unused */
    &sol_heur_local,     /* their union, when better, improved the same way */
    &sol_decomp,         /* and a second round of other tiles, when the time left allows it */
    &sol_heur_local,
};

/* The sizes and reductions of the model, counted without GLPK so that they
 * do not depend on the path the search takes. */
static void count_model(sol_result *res, sol_lp *lp, const sol_model *m, const sol_input *in)
{
    sol_lp_build(lp, NULL);
    res->n_rows = lp->n_rows;
    res->n_cols = lp->n_cols;
    res->n_nonzeros = lp->n_nonzeros > INT_MAX ? INT_MAX : (int)lp->n_nonzeros;
    res->red_demand_in = m->red_demand_in;
    res->red_demand_out = m->n_groups;
    res->red_sites_in = in->n_sites;
    for (int s = 0; s < in->n_sites; s++)
        res->red_sites_out += lp->ycol[s] != 0 && !sol_is_existing(in, s);
    res->red_pairs_in = m->red_pairs_in;
    res->red_pairs_out = m->red_pairs_out;
    r5g_log(R5G_LOG_DEBUG,
            "solver: reductions: %d -> %d demand points (groups), %d -> %d sites with a column, %lld -> %lld pairs; "
            "GLPK model %d rows, %d columns, %d non-zeros",
            res->red_demand_in, res->red_demand_out, res->red_sites_in, res->red_sites_out, res->red_pairs_in,
            res->red_pairs_out, res->n_rows, res->n_cols, res->n_nonzeros);
}

int sol_solve(sol_result *res, const sol_input *in, r5g_err *err)
{
    int rc = 0;
    sol_model m;
    sol_lp lp;
    sol_search s;
    memset(&m, 0, sizeof m);
    memset(&lp, 0, sizeof lp);
    memset(&s, 0, sizeof s);
    if (!res)
        return r5g_err_set(err, R5G_EINPUT, "sol_solve: result is NULL");
    memset(res, 0, sizeof *res);
    double t0 = r5g_now(), c0 = sol_cpu_now();
    if ((rc = sol_input_check(in, err)) != 0)
        goto out;
    if ((rc = sol_model_init(&m, in, err)) != 0)
        goto out;
    if ((rc = sol_lp_init(&lp, &m, err)) != 0)
        goto out;
    count_model(res, &lp, &m, in);
    sol_why cw;
    if (sol_commit_excess(&cw, in)) {
        rc = cw.need_capex > cw.have_capex + 1e-9 * (1 + fabs(cw.have_capex))
                 ? r5g_err_set(err, R5G_EINFEASIBLE, "solver: period %d: committed sites cost %.6g, budget %.6g",
                               cw.period, cw.need_capex, cw.have_capex)
                 : r5g_err_set(err, R5G_EINFEASIBLE, "solver: period %d: %d committed sites, build limit %d",
                               cw.period, cw.need_sites, cw.have_sites);
        goto out;
    }
    if (m.n_impossible) {
        rc = r5g_err_set(err, R5G_EINFEASIBLE,
                         "solver: %d demand points cannot be on time: no site in range may be on air by their due period",
                         m.n_impossible);
        goto out;
    }
    if (lp.empty_infeasible) {
        rc = r5g_err_set(err, R5G_EINFEASIBLE, "solver: no site can meet the rule %s (a row of the exported model)",
                         lp.infeasible_row);
        goto out;
    }
    s = (sol_search){.in = in, .m = &m, .t0 = t0, .c0 = c0, .sgn = lp.sgn, .n_cols = lp.n_cols, .ccol = lp.ccol,
                     .value = -HUGE_VAL, .bound = m.upper, .bound_kind = "trivial", .plan_by = "none",
                     .lp_seconds = sol_search_lp_seconds(lp.n_rows, lp.n_nonzeros)};
    s.plan = calloc((size_t)in->n_sites + 1, sizeof *s.plan);
    res->build_period = calloc((size_t)in->n_sites + 1, sizeof *res->build_period);
    if (!s.plan || !res->build_period) {
        rc = r5g_err_set(err, R5G_ENOMEM, "solver: out of memory for %d sites", in->n_sites);
        goto out;
    }
    for (size_t k = 0; k < sizeof STEPS / sizeof STEPS[0] && !s.stop && !sol_search_proven(&s); k++)
        if ((rc = STEPS[k]->exec(&s, err)) != 0)
            goto out;
    res->lagrange_steps = s.lagrange_steps;
    res->rens_nodes = s.rens_nodes;
    res->tree_nodes = s.tree_nodes;
    res->local_moves = s.local_moves;
    res->regions = s.regions;
    res->tiles = s.tiles;
    res->region_cpu_sum = s.region_cpu_sum;
    res->region_cpu_max = s.region_cpu_max;
    res->regions_objective = s.sgn * s.regions_value;
    res->lp_skipped = s.lp_skipped;
    if (!s.have_plan) {
        rc = s.stop == SOL_STOP_CANCEL
                 ? r5g_err_set(err, R5G_ETIMELIMIT, "solver: cancelled before any plan meeting the rules was found")
                 : r5g_err_set(err, R5G_ETIMELIMIT,
                               "solver: the time limit of %g s ended the search before any plan meeting the rules was found",
                               in->time_limit_s);
        goto out;
    }
    memcpy(res->build_period, s.plan, (size_t)in->n_sites * sizeof *s.plan);
    double bound = fmax(s.bound, s.value);
    res->status = s.exact ? SOL_OPTIMAL : s.stop == SOL_STOP_CANCEL ? SOL_CANCELLED : SOL_TIME_LIMIT;
    res->gap = (bound - s.value) / fmax(fabs(s.value), 1e-9);
    res->objective = s.sgn * s.value;
    res->bound = s.sgn * bound;
    res->bound_kind = s.bound_kind;
    /* a plan proven within mip_gap is optimal in the sense of the header,
     * whoever proved it (GLPK's tree, or a plan against a bound) */
    if (res->gap <= in->mip_gap)
        res->status = SOL_OPTIMAL;
    r5g_log(R5G_LOG_DEBUG, "solver: %s, objective %.6g (%s plan), bound %.6g; %lld Lagrangian steps, %lld RENS nodes, "
            "%lld tree nodes, %lld local moves",
            sol_status_name(res->status), res->objective, s.plan_by, res->bound, s.lagrange_steps, s.rens_nodes,
            s.tree_nodes, s.local_moves);
out:
    if (res)
        res->seconds = r5g_now() - t0;
    if (rc && res) {
        free(res->build_period);
        res->build_period = NULL;
    }
    free(s.plan);
    free(s.lag_build);
    sol_lp_dispose(&lp);
    sol_model_dispose(&m);
    return rc;
}

void sol_result_free(sol_result *res)
{
    if (!res)
        return;
    free(res->build_period);
    res->build_period = NULL;
}

const char *sol_version_glpk(void) { return glp_version(); }

const char *sol_status_name(sol_status s)
{
    switch (s) {
    case SOL_OPTIMAL: return "optimal";
    case SOL_TIME_LIMIT: return "time_limit";
    case SOL_INFEASIBLE: return "infeasible";
    case SOL_CANCELLED: return "cancelled";
    }
    return "unknown";
}
