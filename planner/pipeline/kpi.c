/* KPIs recomputed from the plan (the build period of each site) and the
 * coverage pairs, independently of the solver's own variables: the solver's
 * objective is checked against them, never copied. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/run.h"
#include "planner/plan_result.h"

static int clamp1(int v) { return v < 1 ? 1 : v; }

/* Checks the plan against the hard rules of the scenario. A violation is a
 * bug in the solver layer, reported as an internal error. */
static int check_rules(const pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int T = sc->n_periods;
    double cum_b = 0, cum_s = 0;
    for (int t = 0; t < T; t++) {
        const pl_period_kpi *k = &r->pk[t];
        double tol = 1e-6 * (1 + fabs(k->capex));
        if (isfinite(sc->budget[t])) {
            cum_b += sc->budget[t];
            cum_s += k->capex;
            if (sc->carry_over ? cum_s > cum_b + tol : k->capex > sc->budget[t] + tol)
                return r5g_err_set(err, R5G_EINTERNAL,
                                   "internal error: the plan spends %.2f in period %s, over its budget",
                                   k->capex, sc->period_label[t]);
        } else {
            cum_b = HUGE_VAL;
        }
        if (sc->max_new_sites && sc->max_new_sites[t] >= 0 &&
            k->new_sites + k->upgrades > sc->max_new_sites[t])
            return r5g_err_set(err, R5G_EINTERNAL,
                               "internal error: the plan builds %d sites in period %s, over max_new_sites %d",
                               k->new_sites + k->upgrades, sc->period_label[t], sc->max_new_sites[t]);
    }
    /* over-early sites are the solver's bug, unless they were committed */
    for (size_t s = 0; s < r->ns; s++)
        if (r->s_over_early[s] && !(r->s_commit && r->s_commit[s]))
            return r5g_err_set(err, R5G_EINTERNAL, "internal error: the plan builds site %s over-early in period %s",
                               r->s_id[s], sc->period_label[r->on_air[s] - 1]);
    for (size_t s = 0; r->s_commit && s < r->ns; s++)
        if (r->s_commit[s] && r->on_air[s] != r->s_commit[s])
            return r5g_err_set(err, R5G_EINTERNAL,
                               "internal error: the plan builds committed site %s in period %d, not in %s", r->s_id[s],
                               r->on_air[s], sc->period_label[r->s_commit[s] - 1]);
    return 0;
}

void pl_kpi_periods(pl_period_kpi *pk, double *objective, const pl_kpi_view *v)
{
    const pl_scenario *sc = v->sc;
    int T = sc->n_periods;
    size_t ns = v->ns, nd = v->nd;
    memset(pk, 0, (size_t)T * sizeof *pk);
    double cum_budget = 0, cum_spent = 0;
    int unlimited = 0;
    for (int t = 1; t <= T; t++) {
        pl_period_kpi *k = &pk[t - 1];
        k->budget = sc->budget[t - 1];
        if (!isfinite(k->budget))
            unlimited = 1;
        k->carry_in = sc->carry_over && !unlimited ? cum_budget - cum_spent : 0;
        for (size_t s = 0; s < ns; s++) {
            if (v->on_air[s] == 0 || v->on_air[s] > t)
                continue;
            k->sites_on_air++;
            if (v->on_air[s] != t || v->kind[s] == PL_KIND_EXISTING)
                continue;
            k->capex += v->capex[s];
            if (v->kind[s] == PL_KIND_UPGRADE)
                k->upgrades++;
            else
                k->new_sites++;
            k->over_early_sites += v->over_early ? v->over_early[s] : 0;
            if (v->committed && v->committed[s] > 0) {
                k->committed_sites++;
                k->committed_capex += v->capex[s];
            }
        }
        if (!unlimited) {
            cum_budget += k->budget;
            cum_spent += k->capex;
        }
        double w = 0, wc = 0, wo = 0, lead = 0;
        int nlead = 0;
        for (size_t j = 0; j < nd; j++) {
            int a = v->d_period[j], c = v->d_cov[j];
            if (a > t)
                continue;
            w += v->d_eff[j];
            if (v->d_served)
                wc += v->d_eff[j] * v->d_served[j * (size_t)T + (size_t)(t - 1)];
            else if (c > 0 && c <= t)
                wc += v->d_eff[j];
            if (c > 0 && c <= clamp1(a - v->lead_periods))
                wo += v->d_eff[j];
            if (a == t) {
                k->appearing++;
                if (c > 0) {
                    lead += a - c;
                    nlead++;
                }
            }
        }
        k->demand_weight = w;
        k->covered_share = w > 0 ? wc / w : 0;
        k->on_time_share = w > 0 ? wo / w : 0;
        k->mean_lead = nlead ? lead / nlead : NAN;
        k->uncovered_weight = k->unreachable_weight = k->budget_left = k->cheapest_useful = NAN;
    }

    /* The objective, recomputed from the plan: each demand point earns its
     * weight in every credited period from its first covered period on. */
    double obj = 0;
    for (size_t j = 0; j < nd; j++) {
        if (v->d_served) { /* capacity: the served share in each credited period */
            for (int t = clamp1(v->d_period[j] - v->max_lead_periods); t <= T; t++)
                obj += v->d_eff[j] * v->d_served[j * (size_t)T + (size_t)(t - 1)] *
                       pow(1.0 + sc->discount_rate, -(double)(t - 1));
            continue;
        }
        if (v->d_cov[j] == 0)
            continue;
        int from = clamp1(v->d_period[j] - v->max_lead_periods);
        if (v->d_cov[j] > from)
            from = v->d_cov[j];
        for (int t = from; t <= T; t++)
            obj += v->d_eff[j] * pow(1.0 + sc->discount_rate, -(double)(t - 1));
    }
    if (sc->objective == PL_OBJ_MIN_COST) { /* the discounted capex of the plan */
        obj = 0;
        for (size_t s = 0; s < ns; s++)
            if (v->kind[s] != PL_KIND_EXISTING && v->on_air[s] > 0)
                obj += v->capex[s] * pow(1.0 + sc->discount_rate, -(double)(v->on_air[s] - 1));
    }
    *objective = obj;
}

/* Per period, what held the plan back: appeared demand out of every site's
 * range, demand a candidate could cover but does not, the budget left and
 * the cheapest candidate that would help, and a full build limit. */
static void held_back(pl_run *r)
{
    const pl_scenario *sc = r->sc;
    int T = sc->n_periods;
    for (int t = 1; t <= T; t++) {
        pl_period_kpi *k = &r->pk[t - 1];
        double avail = isfinite(k->budget) ? k->budget + k->carry_in : HUGE_VAL;
        k->budget_left = avail - k->capex;
        if (!sc->carry_over && isfinite(k->budget))
            k->budget_left = k->budget - k->capex;
        k->limit_reached = sc->max_new_sites && sc->max_new_sites[t - 1] >= 0 &&
                           k->new_sites + k->upgrades >= sc->max_new_sites[t - 1];
        double unc = 0, unr = 0, cheapest = HUGE_VAL;
        for (size_t j = 0; j < r->nd; j++) {
            if (r->d_period[j] > t || (r->cov_index[j] > 0 && r->cov_index[j] <= t))
                continue;
            if (r->pairs.ptr[j] == r->pairs.ptr[j + 1]) {
                unr += r->d_eff[j];
                continue;
            }
            unc += r->d_eff[j];
            for (size_t q = r->pairs.ptr[j]; q < r->pairs.ptr[j + 1]; q++) {
                int s = r->pairs.site[q];
                if (r->kind[s] != PL_KIND_EXISTING && (r->on_air[s] == 0 || r->on_air[s] > t) &&
                    r->m_earliest[s] <= t && r->capex[s] < cheapest)
                    cheapest = r->capex[s];
            }
        }
        k->uncovered_weight = unc;
        k->unreachable_weight = unr;
        k->cheapest_useful = isfinite(cheapest) ? cheapest : NAN;
    }
}

int pl_kpi_evaluate(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    int T = sc->n_periods;
    size_t ns = r->ns, nd = r->nd;
    r->on_air = calloc(ns ? ns : 1, sizeof *r->on_air);
    r->s_over_early = calloc(ns ? ns : 1, sizeof *r->s_over_early);
    r->s_cov_weight = calloc(ns ? ns : 1, sizeof *r->s_cov_weight);
    r->s_served = calloc(ns ? ns : 1, sizeof *r->s_served);
    r->cov_index = calloc(nd ? nd : 1, sizeof *r->cov_index);
    r->serving = malloc((nd ? nd : 1) * sizeof *r->serving);
    r->serving_dist = calloc(nd ? nd : 1, sizeof *r->serving_dist);
    r->pk = calloc((size_t)T, sizeof *r->pk);
    if (!r->on_air || !r->s_over_early || !r->s_cov_weight || !r->s_served || !r->cov_index ||
        !r->serving || !r->serving_dist || !r->pk)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory computing KPIs");

    for (size_t s = 0; s < ns; s++) {
        int b = r->kind[s] == PL_KIND_EXISTING ? 1 : r->res.build_period[s];
        if (b < 0 || b > T)
            return r5g_err_set(err, R5G_EINTERNAL, "internal error: site %s has build period %d",
                               r->s_id[s], b);
        r->on_air[s] = b;
        r->s_over_early[s] = r->kind[s] != PL_KIND_EXISTING && b > 0;
    }

    /* model.capacity: the share of each point served in each period, by an
     * assignment LP on the fixed plan (sol_serve); a point counts as covered
     * from the first period it is fully served. */
    if (sc->capacity) {
        r->served = malloc((nd ? nd : 1) * (size_t)T * sizeof *r->served);
        if (!r->served)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory computing served demand");
        int rc = sol_serve(r->served, &r->in, r->on_air, err);
        if (rc)
            return rc;
    }

    /* First covered period and serving site of each demand point: the site on
     * air first, then the nearest, then the first in input order. */
    for (size_t j = 0; j < nd; j++) {
        int best = -1, best_t = 0;
        float best_d = 0;
        int credit = clamp1(r->d_period[j] - sc->max_lead_periods);
        for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++) {
            int s = r->pairs.site[k];
            int t = r->on_air[s];
            if (t == 0)
                continue;
            if (t >= credit)
                r->s_over_early[s] = 0;
            float d = r->pairs.dist[k];
            if (best < 0 || t < best_t || (t == best_t && (d < best_d || (d == best_d && s < best)))) {
                best = s;
                best_t = t;
                best_d = d;
            }
        }
        r->serving[j] = best;
        r->cov_index[j] = best < 0 ? 0 : best_t;
        if (r->served && best >= 0) {
            r->cov_index[j] = 0;
            for (int t = best_t; t <= T && !r->cov_index[j]; t++)
                if (r->served[j * (size_t)T + (size_t)(t - 1)] >= 1 - 1e-6)
                    r->cov_index[j] = t;
        }
        r->serving_dist[j] = best_d;
        if (best >= 0) {
            r->s_cov_weight[best] += r->d_weight[j];
            r->s_served[best]++;
        }
    }

    pl_kpi_view v = {.sc = sc, .lead_periods = sc->lead_periods, .max_lead_periods = sc->max_lead_periods,
                     .ns = ns, .nd = nd, .kind = r->kind, .capex = r->capex, .on_air = r->on_air,
                     .over_early = r->s_over_early, .d_period = r->d_period, .d_eff = r->d_eff,
                     .d_cov = r->cov_index, .d_served = r->served, .committed = r->n_commit ? r->s_commit : NULL};
    pl_kpi_periods(r->pk, &r->kpi_objective, &v);
    if (r->m_earliest)
        held_back(r);
    return 0;
}

int pl_kpi_compute(pl_run *r, r5g_err *err)
{
    int rc = pl_kpi_evaluate(r, err);
    if (rc)
        return rc;
    const pl_scenario *sc = r->sc;
    double obj = r->kpi_objective;
    double tol = 1e-6 * (1 + fabs(obj));
    if (sc->objective == PL_OBJ_MIN_COST) {
        if (fabs(obj - r->res.objective) > tol)
            r5g_log(R5G_LOG_WARN, "the solver reports capex %.6f but the plan costs %.6f", r->res.objective, obj);
        double lb = r->res.bound > obj ? obj : r->res.bound;
        r->kpi_gap = obj > 0 ? (obj - lb) / obj : 0;
        rc = check_rules(r, err);
        return rc ? rc : pl_rules_check(r, err);
    }
    if (obj + tol < r->res.objective)
        r5g_log(R5G_LOG_WARN, "the solver reports objective %.6f but the plan earns %.6f", r->res.objective,
                obj);
    double bound = r->res.bound < obj ? obj : r->res.bound;
    r->kpi_gap = obj > 0 ? (bound - obj) / obj : 0;
    if (r->kpi_gap < 0)
        r->kpi_gap = 0;
    rc = check_rules(r, err);
    return rc ? rc : pl_rules_check(r, err);
}

void pl_kpi_free(pl_run *r)
{
    free(r->on_air);
    free(r->s_over_early);
    free(r->s_cov_weight);
    free(r->s_served);
    free(r->cov_index);
    free(r->serving);
    free(r->serving_dist);
    free(r->pk);
}
