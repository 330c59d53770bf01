/* solver: the input's defaults and its checks. No GLPK here. */
#include "solver/sol_int.h"

#include <limits.h>
#include <math.h>

void sol_input_init(sol_input *in)
{
    *in = (sol_input)SOL_INPUT_INIT;
}

static int bad_double(double v, int allow_inf)
{
    return isnan(v) || v < 0 || (!allow_inf && isinf(v));
}

int sol_input_check(const sol_input *in, r5g_err *err)
{
    if (!in)
        return r5g_err_set(err, R5G_EINPUT, "solver input: NULL");
    const int T = in->n_periods;
    if (T < 1)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_periods %d is not >= 1", T);
    if (in->n_sites < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_sites %d is negative", in->n_sites);
    if (in->n_demand < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: n_demand %d is negative", in->n_demand);
    if (in->n_sites > 0 && !in->capex)
        return r5g_err_set(err, R5G_EINPUT, "solver input: capex is NULL for %d sites", in->n_sites);
    for (int s = 0; s < in->n_sites; s++) {
        if (bad_double(in->capex[s], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: capex[%d] = %g is not a finite number >= 0", s,
                               in->capex[s]);
        if (in->earliest && (in->earliest[s] < 1 || in->earliest[s] > T + 1))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: earliest[%d] = %d is outside 1..%d (T+1 = never)",
                               s, in->earliest[s], T + 1);
        if (in->fixed_build && (in->fixed_build[s] < 0 || in->fixed_build[s] > T))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: fixed_build[%d] = %d is outside 0..%d (0 = free)", s,
                               in->fixed_build[s], T);
        if (in->start_plan && (in->start_plan[s] < 0 || in->start_plan[s] > T))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: start_plan[%d] = %d is outside 0..%d (0 = never)", s,
                               in->start_plan[s], T);
        if (in->fixed_build && in->fixed_build[s] && sol_is_existing(in, s))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: fixed_build[%d] = %d commits an existing site", s,
                               in->fixed_build[s]);
    }
    if (in->tree_nodes < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: tree_nodes %d is negative (0 = no budget)", in->tree_nodes);
    if (isnan(in->lp_max_s) || in->lp_max_s < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: lp_max_s %g is not a number >= 0 (0 = no cap)",
                           in->lp_max_s);
    if (in->workers < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: workers %d is negative (0 = the online processors)",
                           in->workers);
    if (in->decompose < SOL_DECOMPOSE_AUTO || in->decompose > 1)
        return r5g_err_set(err, R5G_EINPUT, "solver input: decompose %d is not 1, 0 or SOL_DECOMPOSE_AUTO",
                           in->decompose);
    for (int t = 0; t < T; t++) {
        if (in->budget && bad_double(in->budget[t], 1))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: budget[%d] (period %d) = %g is not a number >= 0",
                               t, t + 1, in->budget[t]);
        if (in->period_factor && bad_double(in->period_factor[t], 0))
            return r5g_err_set(
                err, R5G_EINPUT,
                "solver input: period_factor[%d] (period %d) = %g is not a finite number >= 0", t,
                t + 1, in->period_factor[t]);
    }
    if (in->n_demand > 0 && (!in->weight || !in->cov_ptr))
        return r5g_err_set(err, R5G_EINPUT, "solver input: weight or cov_ptr is NULL for %d demand points",
                           in->n_demand);
    if (in->cov_ptr && in->cov_ptr[0] != 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: cov_ptr[0] = %d, expected 0",
                           in->cov_ptr[0]);
    for (int j = 0; j < in->n_demand; j++) {
        if (bad_double(in->weight[j], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: weight[%d] = %g is not a finite number >= 0", j,
                               in->weight[j]);
        if (in->credit_from && in->credit_from[j] < 1)
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: credit_from[%d] = %d is not >= 1 (periods are 1..%d)",
                               j, in->credit_from[j], T);
        if (in->cov_ptr[j + 1] < in->cov_ptr[j])
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: cov_ptr is not monotone: cov_ptr[%d] = %d < cov_ptr[%d] = %d",
                               j + 1, in->cov_ptr[j + 1], j, in->cov_ptr[j]);
    }
    if (in->n_demand > 0 && in->cov_ptr[in->n_demand] > 0 && !in->cov_site)
        return r5g_err_set(err, R5G_EINPUT, "solver input: cov_site is NULL for %d pairs",
                           in->cov_ptr[in->n_demand]);
    for (int j = 0; j < in->n_demand; j++)
        for (int k = in->cov_ptr[j]; k < in->cov_ptr[j + 1]; k++)
            if (in->cov_site[k] < 0 || in->cov_site[k] >= in->n_sites)
                return r5g_err_set(err, R5G_EINPUT,
                                   "solver input: cov_site[%d] = %d (demand point %d) is outside 0..%d",
                                   k, in->cov_site[k], j, in->n_sites - 1);
    for (int j = 0; in->due && j < in->n_demand; j++)
        if (in->due[j] < 0 || in->due[j] > T)
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: due[%d] = %d is outside 0..%d (0 = no on-time rule)", j,
                               in->due[j], T);
    if (in->n_targets < 0 || (in->n_targets > 0 && !in->targets))
        return r5g_err_set(err, R5G_EINPUT, "solver input: %d targets but targets is NULL",
                           in->n_targets);
    for (int k = 0; k < in->n_targets; k++) {
        const sol_target *g = &in->targets[k];
        if (g->period < 1 || g->period > T)
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].period = %d is outside 1..%d",
                               k, g->period, T);
        if (!isfinite(g->rhs))
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].rhs = %g is not finite", k,
                               g->rhs);
        if (g->kind == SOL_TARGET_DEMAND) {
            if (in->n_demand > 0 && !g->coef)
                return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].coef is NULL", k);
            for (int j = 0; j < in->n_demand; j++)
                if (bad_double(g->coef[j], 0))
                    return r5g_err_set(err, R5G_EINPUT,
                                       "solver input: targets[%d].coef[%d] = %g is not a finite number >= 0",
                                       k, j, g->coef[j]);
        } else if (g->kind == SOL_TARGET_SITES) {
            if (in->n_sites > 0 && !in->site_group)
                return r5g_err_set(err, R5G_EINPUT,
                                   "solver input: targets[%d] counts sites of group %d but site_group is NULL",
                                   k, g->group);
        } else {
            return r5g_err_set(err, R5G_EINPUT, "solver input: targets[%d].kind = %d is unknown", k,
                               (int)g->kind);
        }
    }
    for (int s = 0; s < in->n_sites; s++) {
        if (in->site_group && in->site_group[s] < -1)
            return r5g_err_set(err, R5G_EINPUT, "solver input: site_group[%d] = %d is not >= -1", s,
                               in->site_group[s]);
        if (in->site_cap && bad_double(in->site_cap[s], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: site_cap[%d] = %g is not a finite number >= 0", s,
                               in->site_cap[s]);
    }
    for (int j = 0; in->traffic && j < in->n_demand; j++)
        if (bad_double(in->traffic[j], 0))
            return r5g_err_set(err, R5G_EINPUT,
                               "solver input: traffic[%d] = %g is not a finite number >= 0", j,
                               in->traffic[j]);
    if (isnan(in->time_limit_s))
        return r5g_err_set(err, R5G_EINPUT, "solver input: time_limit_s is NaN");
    if (in->lagrange_steps < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: lagrange_steps %d is negative (0: the default budget)",
                           in->lagrange_steps);
    if (in->rens_nodes < 0)
        return r5g_err_set(err, R5G_EINPUT, "solver input: rens_nodes %d is negative (0: the default budget)",
                           in->rens_nodes);
    if (bad_double(in->mip_gap, 0))
        return r5g_err_set(err, R5G_EINPUT, "solver input: mip_gap %g is not a finite number >= 0",
                           in->mip_gap);
    if ((long long)in->n_sites * T > INT_MAX / 2 || (long long)in->n_demand * T > INT_MAX / 2)
        return r5g_err_set(err, R5G_EINPUT, "solver input: %d sites x %d demand points x %d periods is too large for GLPK",
                           in->n_sites, in->n_demand, T);
    return 0;
}


int sol_commit_excess(sol_why *w, const sol_input *in)
{
    const int T = in->n_periods;
    double cum_budget = 0, cum_spend = 0;
    if (!in->fixed_build)
        return 0;
    for (int t = 1; t <= T; t++) {
        double bt = in->budget ? in->budget[t - 1] : HUGE_VAL, spend = 0;
        int built = 0;
        for (int s = 0; s < in->n_sites; s++)
            if (sol_fixed(in, s) == t) {
                spend += in->capex[s];
                built++;
            }
        cum_budget += bt;
        cum_spend += spend;
        double need = in->carry_over ? cum_spend : spend, have = in->carry_over ? cum_budget : bt;
        int limit = in->max_new && in->max_new[t - 1] >= 0 ? in->max_new[t - 1] : INT_MAX;
        if (need > have + 1e-9 * (1 + fabs(have)) || built > limit) {
            *w = (sol_why){.kind = SOL_WHY_COMMITTED, .period = t, .target = -1,
                           .from_period = in->carry_over ? 1 : t, .need_capex = need,
                           .need_capex_ub = need, .have_capex = have, .need_sites = built,
                           .have_sites = limit};
            return 1;
        }
    }
    return 0;
}
