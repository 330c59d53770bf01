/* The hard rules and targets of a scenario as solver input (docs/model.md):
 * on_time_required -> due periods, targets -> sol_target rows, model.capacity
 * -> site capacities and demand traffic; and their re-check on the plan. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/run.h"
#include "planner/scenario/schema.h"

static int clamp1(int v) { return v < 1 ? 1 : v; }

static int parse_nonneg(double *out, const char *what, const char *id, const char *v, r5g_err *err)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    while (*end == ' ')
        end++;
    if (end == v || *end || errno == ERANGE || !isfinite(d) || d < 0)
        return r5g_err_set(err, R5G_EINPUT, "%s %s: '%s' is not a finite number >= 0", what, id, v);
    *out = d;
    return 0;
}

int pl_rules_build(pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    const size_t nd = r->nd, ns = r->ns;
    int rc;
    sol_input *in = &r->in;
    in->min_cost = sc->objective == PL_OBJ_MIN_COST;
    in->feasibility_pump = sc->feasibility_pump;
    in->proximity_search = sc->proximity_search;

    /* on time: a required point is covered by max(1, a_j - L) */
    if (sc->on_time_required != PL_ONTIME_NONE) {
        r->m_due = calloc(nd ? nd : 1, sizeof *r->m_due);
        if (!r->m_due)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory for the on-time rule");
        for (size_t j = 0; j < nd; j++)
            if (sc->on_time_required == PL_ONTIME_ALL || r->d_white[j])
                r->m_due[j] = clamp1(r->d_period[j] - sc->lead_periods);
        in->due = r->m_due;
    }

    /* targets */
    int n_dem = sc->n_coverage_targets + sc->n_sector_targets;
    int n_reg = r->t_reg ? (int)geo_table_count(r->t_reg) : 0;
    int n_max = n_dem + sc->n_density_targets * (n_reg ? n_reg : 1);
    r->m_tg = calloc((size_t)n_max + 1, sizeof *r->m_tg);
    r->tg_info = calloc((size_t)n_max + 1, sizeof *r->tg_info);
    r->m_tcoef = calloc((size_t)n_dem * nd + 1, sizeof *r->m_tcoef);
    if (!r->m_tg || !r->tg_info || !r->m_tcoef)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for the targets");
    int n = 0;
    for (int k = 0; k < n_dem; k++) {
        const pl_target *t = k < sc->n_coverage_targets ? &sc->coverage_targets[k]
                                                         : &sc->sector_targets[k - sc->n_coverage_targets];
        double *coef = r->m_tcoef + (size_t)k * nd, total = 0;
        /* the demand that has appeared by the target's period (the KPI covered_share) */
        for (size_t j = 0; j < nd; j++)
            if (r->d_period[j] <= t->period &&
                (!t->sector || (r->d_sector[j] && strcmp(r->d_sector[j], t->sector) == 0))) {
                coef[j] = r->d_eff[j];
                total += r->d_eff[j];
            }
        r->m_tg[n] = (sol_target){.kind = SOL_TARGET_DEMAND, .period = t->period, .coef = coef,
                                  .rhs = t->value * total};
        r->tg_info[n] = (pl_tg_info){.type = t->sector ? 1 : 0, .sector = t->sector, .region = -1,
                                     .value = t->value, .total = total};
        n++;
    }
    if (sc->n_density_targets) {
        if (!r->t_reg)
            return r5g_err_set(err, R5G_EINPUT,
                               "%s: targets.sites_per_10k_people needs a regions layer with population",
                               sc->file);
        int with_pop = 0;
        for (int g = 0; g < n_reg; g++) {
            const char *v = geo_table_value(r->t_reg, PL_REGION_POPULATION, (size_t)g);
            double pop;
            if (!v || !v[0])
                continue; /* regions without population have no density target */
            if ((rc = parse_nonneg(&pop, "regions: population of region",
                                   geo_table_value(r->t_reg, PL_REGION_ID, (size_t)g), v, err)))
                return rc;
            with_pop++;
            for (int k = 0; k < sc->n_density_targets; k++) {
                const pl_target *t = &sc->density_targets[k];
                r->m_tg[n] = (sol_target){.kind = SOL_TARGET_SITES, .period = t->period, .group = g,
                                          .rhs = t->value * pop / 1e4};
                r->tg_info[n] = (pl_tg_info){.type = 2, .region = g, .value = t->value, .total = pop};
                n++;
            }
        }
        if (!with_pop)
            return r5g_err_set(err, R5G_EINPUT,
                               "%s: targets.sites_per_10k_people: no region of %s has a population",
                               sc->file, geo_table_name(r->t_reg));
        in->site_group = r->s_region;
    }
    r->n_tg = n;
    in->n_targets = n;
    in->targets = r->m_tg;

    /* capacity: band capacity_mbps per site, demand traffic (0 when unmapped) */
    if (sc->capacity) {
        r->m_site_cap = calloc(ns ? ns : 1, sizeof *r->m_site_cap);
        r->d_traffic = calloc(nd ? nd : 1, sizeof *r->d_traffic);
        if (!r->m_site_cap || !r->d_traffic)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory for capacities");
        for (size_t s = 0; s < ns; s++)
            r->m_site_cap[s] = sc->bands[r->band[s]].capacity_mbps;
        for (size_t j = 0; j < nd; j++) {
            const char *v = geo_table_value(r->t_dem, PL_DEMAND_TRAFFIC, j);
            if (v && v[0] && (rc = parse_nonneg(&r->d_traffic[j], "demand: traffic of point", r->d_id[j], v, err)))
                return rc;
        }
        in->site_cap = r->m_site_cap;
        in->traffic = r->d_traffic;
    }
    return 0;
}

int pl_rules_first_cover(const pl_run *r, size_t j)
{
    int first = 0;
    for (size_t k = r->pairs.ptr[j]; k < r->pairs.ptr[j + 1]; k++) {
        int t = r->on_air[r->pairs.site[k]];
        if (t > 0 && (first == 0 || t < first))
            first = t;
    }
    return first;
}

double pl_rules_target_lhs(const pl_run *r, int k)
{
    const pl_scenario *sc = r->sc;
    const sol_target *t = &r->m_tg[k];
    double lhs = 0;
    if (t->kind == SOL_TARGET_DEMAND) {
        for (size_t j = 0; j < r->nd; j++) {
            if (t->coef[j] <= 0)
                continue;
            if (sc->capacity && r->served)
                lhs += t->coef[j] * r->served[j * (size_t)sc->n_periods + (size_t)(t->period - 1)];
            else if (r->cov_index[j] > 0 && r->cov_index[j] <= t->period)
                lhs += t->coef[j];
        }
    } else {
        for (size_t s = 0; s < r->ns; s++)
            lhs += r->s_region[s] == t->group && r->on_air[s] > 0 && r->on_air[s] <= t->period;
    }
    return lhs;
}

int pl_rules_check(const pl_run *r, r5g_err *err)
{
    const pl_scenario *sc = r->sc;
    const size_t nd = r->nd;
    for (size_t j = 0; r->m_due && j < nd; j++) {
        if (!r->m_due[j])
            continue;
        int first = pl_rules_first_cover(r, j);
        if (first == 0 || first > r->m_due[j])
            return r5g_err_set(err, R5G_EINTERNAL,
                               "internal error: demand point %s is due by %s (on_time_required) but %s",
                               r->d_id[j], sc->period_label[r->m_due[j] - 1],
                               first ? "covered later" : "never covered");
    }
    for (int k = 0; k < r->n_tg; k++) {
        const sol_target *t = &r->m_tg[k];
        double lhs = pl_rules_target_lhs(r, k);
        if (lhs < t->rhs - 1e-6 * (1 + fabs(t->rhs)))
            return r5g_err_set(err, R5G_EINTERNAL,
                               "internal error: the plan misses target %d in period %s (%.6g < %.6g)", k,
                               sc->period_label[t->period - 1], lhs, t->rhs);
    }
    return 0;
}

void pl_rules_free(pl_run *r)
{
    free(r->m_due);
    free(r->m_tg);
    free(r->tg_info);
    free(r->m_tcoef);
    free(r->m_site_cap);
    free(r->d_traffic);
    free(r->served);
}
