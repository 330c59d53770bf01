/* The plan result type: KPIs over its arrays, plan_meta rows, destructor. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/radio.h"
#include "planner/plan_result.h"

const char *pl_kind_name(pl_kind k)
{
    return k == PL_KIND_EXISTING ? "existing" : k == PL_KIND_UPGRADE ? "upgrade" : "new";
}

const char *pl_plan_region_id(const pl_plan *p, int g)
{
    return g >= 0 && (size_t)g < p->nr ? p->r_id[g] : NULL;
}

const char *pl_plan_env_name(const pl_plan *p, size_t s)
{
    return p->s_env && p->s_env[s] >= 0 ? geo_env_name((geo_env)p->s_env[s]) : NULL;
}

pl_kpi_view pl_plan_view(const pl_plan *p)
{
    return (pl_kpi_view){.sc = p->sc,
                         .lead_periods = p->sc->lead_periods,
                         .max_lead_periods = p->sc->max_lead_periods,
                         .ns = p->ns,
                         .nd = p->nd,
                         .kind = p->s_kind,
                         .capex = p->s_capex,
                         .on_air = p->s_on_air,
                         .over_early = p->s_over_early,
                         .d_period = p->d_period,
                         .d_eff = p->d_eff,
                         .d_cov = p->d_cov,
                         .d_served = p->d_served};
}

int pl_plan_kpi(pl_plan *p, r5g_err *err)
{
    if (!p->pk && !(p->pk = calloc((size_t)p->sc->n_periods, sizeof *p->pk)))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for the KPIs");
    pl_kpi_view v = pl_plan_view(p);
    pl_kpi_periods(p->pk, &p->objective, &v);
    if (isfinite(p->bound)) {
        int min = p->sc->objective == PL_OBJ_MIN_COST;
        p->bound = min ? fmin(p->bound, p->objective) : fmax(p->bound, p->objective);
        p->gap = p->objective > 0 ? fabs(p->bound - p->objective) / p->objective : 0;
    } else {
        p->gap = NAN;
    }
    return 0;
}

int pl_plan_meta_add(pl_plan *p, const char *key, const char *value, r5g_err *err)
{
    char **k = realloc(p->meta_key, (size_t)(p->n_meta + 1) * sizeof *k);
    if (k)
        p->meta_key = k;
    char **v = realloc(p->meta_val, (size_t)(p->n_meta + 1) * sizeof *v);
    if (v)
        p->meta_val = v;
    if (!k || !v)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for plan_meta");
    p->meta_key[p->n_meta] = r5g_strdup(key);
    p->meta_val[p->n_meta] = value ? r5g_strdup(value) : NULL;
    p->n_meta++;
    if (!p->meta_key[p->n_meta - 1] || (value && !p->meta_val[p->n_meta - 1]))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for plan_meta");
    return 0;
}

const char *pl_plan_meta(const pl_plan *p, const char *key)
{
    for (int k = 0; k < p->n_meta; k++)
        if (strcmp(p->meta_key[k], key) == 0)
            return p->meta_val[k];
    return NULL;
}

void pl_plan_free(pl_plan *p)
{
    if (!p)
        return;
    free(p->s_id);
    free(p->s_kind);
    free(p->s_band);
    free(p->s_env);
    free(p->s_region);
    free(p->s_x);
    free(p->s_y);
    free(p->s_capex);
    free(p->s_radius);
    free(p->s_height);
    free(p->s_on_air);
    free(p->s_cov_weight);
    free(p->s_served);
    free(p->s_over_early);
    free(p->s_ring);
    free(p->d_id);
    free(p->d_sector);
    free(p->d_weight);
    free(p->d_eff);
    free(p->d_period);
    free(p->d_white);
    free(p->d_region);
    free(p->d_cov);
    free(p->d_serving);
    free(p->d_dist);
    free(p->d_pl);
    free(p->d_served);
    free(p->r_id);
    free(p->r_name);
    free(p->r_pop);
    free(p->pk);
    for (int k = 0; k < p->n_meta; k++) {
        free(p->meta_key[k]);
        free(p->meta_val[k]);
    }
    free(p->meta_key);
    free(p->meta_val);
    for (int k = 0; k < p->n_tables; k++)
        geo_table_free(p->tables[k]);
    geo_crs_free(p->crs);
    pl_scenario_free(p->sc);
    free(p);
}
