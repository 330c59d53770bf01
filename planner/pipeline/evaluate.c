/* A given plan evaluated as the pipeline evaluates its own after a solve:
 * the scenario's inputs and coverage (pl_read_inputs), the rules and
 * targets (pl_model_build, nothing solved), then the build periods handed
 * to the same KPI code (pl_kpi_evaluate) in place of the solver's, and the
 * plan made from the run (pl_plan_make). The reviewer's checks
 * (planner/review) read the result. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/evaluate.h"
#include "planner/pipeline/run.h"

/* The build periods of r's sites from the given list (unknown and repeated
 * ids recorded in e), in r->res.build_period. */
static int set_build_periods(pl_eval *e, pl_run *r, const char *const *ids, const int *bp, size_t n,
                             r5g_err *err)
{
    const int T = r->sc->n_periods;
    size_t ns = r->ns;
    pl_id_index ix = {0};
    unsigned char *seen = calloc(ns ? ns : 1, 1);
    r->res.build_period = calloc(ns ? ns : 1, sizeof *r->res.build_period);
    e->unknown = malloc((n ? n : 1) * sizeof *e->unknown);
    e->dup = malloc((n ? n : 1) * sizeof *e->dup);
    int rc = 0;
    if (pl_id_index_init(&ix, r->s_id, ns) || !seen || !r->res.build_period || !e->unknown || !e->dup) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory for a plan of %zu sites", n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (bp[i] < 0 || bp[i] > T) {
            rc = r5g_err_set(err, R5G_EINPUT, "site %s: build period %d is not 0 (not built) to %d", ids[i]
                             ? ids[i] : "(no id)", bp[i], T);
            goto out;
        }
        int hit = pl_id_index_find(&ix, ids[i]);
        if (hit < 0) {
            e->unknown[e->n_unknown++] = i;
            continue;
        }
        if (seen[hit]) {
            e->dup[e->n_dup++] = i;
            continue;
        }
        seen[hit] = 1;
        r->res.build_period[hit] = bp[i];
    }
    for (size_t s = 0; s < ns; s++)
        if (r->kind[s] == PL_KIND_EXISTING)
            r->res.build_period[s] = 1;
out:
    pl_id_index_dispose(&ix);
    free(seen);
    return rc;
}

/* Per point the first covering period, per site the earliest appearance
 * of the demand it reaches, per target what the plan reaches. */
static int rule_views(pl_eval *e, const pl_run *r, r5g_err *err)
{
    size_t nd = r->nd, ns = r->ns;
    e->d_first = calloc(nd ? nd : 1, sizeof *e->d_first);
    e->s_min_appear = calloc(ns ? ns : 1, sizeof *e->s_min_appear);
    e->tg = calloc(r->n_tg > 0 ? (size_t)r->n_tg : 1, sizeof *e->tg);
    if (!e->d_first || !e->s_min_appear || !e->tg)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory evaluating the rules");
    for (size_t j = 0; j < nd; j++) {
        e->d_first[j] = pl_rules_first_cover(r, j);
        for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++) {
            int s = r->pairs.site[k];
            if (e->s_min_appear[s] == 0 || r->d_period[j] < e->s_min_appear[s])
                e->s_min_appear[s] = r->d_period[j];
        }
    }
    e->n_tg = r->n_tg;
    for (int k = 0; k < r->n_tg; k++) {
        const pl_tg_info *ti = &r->tg_info[k];
        e->tg[k] = (pl_eval_target){.type = ti->type, .period = r->m_tg[k].period, .sector = ti->sector,
                                    .region = ti->region, .value = ti->value, .total = ti->total,
                                    .lhs = pl_rules_target_lhs(r, k), .rhs = r->m_tg[k].rhs};
    }
    return 0;
}

int pl_plan_evaluate(pl_eval **out, pl_scenario **scp, geo_ctx *geo, const char *const *site_ids,
                     const int *build_periods, size_t n, r5g_err *err)
{
    pl_plan_opts opts = PL_PLAN_OPTS_INIT;
    pl_run run = {0}, *r = &run;
    *out = NULL;
    r->opts = &opts;
    r->sc = *scp;
    *scp = NULL;
    r->geo = geo;
    int rc;
    pl_eval *e = calloc(1, sizeof *e);
    if (!e) {
        rc = r5g_err_set(err, R5G_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = pl_read_inputs(r, err)) || (rc = pl_model_build(r, err)) ||
        (rc = set_build_periods(e, r, site_ids, build_periods, n, err)) || (rc = pl_kpi_evaluate(r, err)) ||
        (rc = rule_views(e, r, err)) || (rc = pl_plan_make(&e->plan, r, err)))
        goto out;
    pl_plan *p = e->plan;
    snprintf(p->solve.status, sizeof p->solve.status, "given");
    p->solve.bound_kind[0] = '\0';
    p->solve.solver_objective = p->solve.bound = p->bound = p->gap = NAN;
    p->solve.seconds = p->solve.total_seconds = NAN;
    *out = e;
    e = NULL;
out:
    pl_eval_free(e);
    pl_run_free(r);
    return rc;
}

void pl_eval_free(pl_eval *e)
{
    if (!e)
        return;
    pl_plan_free(e->plan);
    free(e->d_first);
    free(e->s_min_appear);
    free(e->tg);
    free(e->unknown);
    free(e->dup);
    free(e);
}
