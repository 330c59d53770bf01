/* The plan result type: KPIs over its arrays, plan_meta rows, destructor. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/radio.h"
#include "planner/plan_result.h"

static int cmp_id_row(const void *a, const void *b)
{
    const pl_id_row *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

int pl_id_index_init(pl_id_index *ix, const char *const *ids, size_t n)
{
    ix->n = 0;
    ix->r = malloc((n ? n : 1) * sizeof *ix->r);
    if (!ix->r)
        return R5G_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (ids[i])
            ix->r[ix->n++] = (pl_id_row){ids[i], (int)i};
    qsort(ix->r, ix->n, sizeof *ix->r, cmp_id_row);
    return 0;
}

int pl_id_index_find(const pl_id_index *ix, const char *id)
{
    size_t lo = 0, hi = ix->n;
    while (id && lo < hi) { /* the first row with this id */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(ix->r[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return id && lo < ix->n && strcmp(ix->r[lo].id, id) == 0 ? ix->r[lo].row : -1;
}

void pl_id_index_dispose(pl_id_index *ix)
{
    free(ix->r);
    ix->r = NULL;
    ix->n = 0;
}

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
                         .committed = p->s_committed,
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

/* Adds demand point j to the shares of period t when it has appeared. */
static void share_add(pl_group_kpi *k, const pl_plan *p, size_t j, int t)
{
    int ap = p->d_period[j], c = p->d_cov[j];
    if (ap > t)
        return;
    int due = ap - p->sc->lead_periods < 1 ? 1 : ap - p->sc->lead_periods;
    k->n_demand++;
    k->demand_weight += p->d_eff[j];
    if (c > 0 && c <= t)
        k->covered_share += p->d_eff[j];
    if (c > 0 && c <= due)
        k->on_time_share += p->d_eff[j];
}

/* The weights summed by share_add as shares. */
static void share_finish(pl_group_kpi *k)
{
    double w = k->demand_weight;
    k->covered_share = w > 0 ? k->covered_share / w : NAN;
    k->on_time_share = w > 0 ? k->on_time_share / w : NAN;
}

void pl_plan_region_kpi(pl_group_kpi *k, const pl_plan *p, int t)
{
    memset(k, 0, p->nr * sizeof *k);
    for (size_t s = 0; s < p->ns; s++) {
        int g = p->s_region[s];
        if (g < 0 || p->s_on_air[s] == 0 || p->s_on_air[s] > t)
            continue;
        k[g].sites_on_air++;
        if (p->s_on_air[s] == t && p->s_kind[s] != PL_KIND_EXISTING) {
            k[g].new_sites++;
            k[g].capex += p->s_capex[s];
        }
    }
    for (size_t j = 0; j < p->nd; j++)
        if (p->d_region[j] >= 0)
            share_add(&k[p->d_region[j]], p, j, t);
    for (size_t g = 0; g < p->nr; g++)
        share_finish(&k[g]);
}

const char *pl_plan_sector_name(const pl_plan *p, size_t j)
{
    return p->d_sector[j] && p->d_sector[j][0] ? p->d_sector[j] : "(none)";
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int pl_plan_sectors(const char ***out, size_t *n, const pl_plan *p, r5g_err *err)
{
    const char **sec = malloc((p->nd ? p->nd : 1) * sizeof *sec);
    *out = sec;
    *n = 0;
    if (!sec)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (size_t j = 0; j < p->nd; j++)
        sec[j] = pl_plan_sector_name(p, j);
    qsort(sec, p->nd, sizeof *sec, cmp_str);
    size_t u = 0;
    for (size_t k = 0; k < p->nd; k++)
        if (u == 0 || strcmp(sec[u - 1], sec[k]) != 0)
            sec[u++] = sec[k];
    *n = u;
    return 0;
}

pl_group_kpi pl_plan_sector_kpi(const pl_plan *p, const char *sector, int t)
{
    pl_group_kpi k = {0};
    for (size_t j = 0; j < p->nd; j++)
        if (strcmp(pl_plan_sector_name(p, j), sector) == 0)
            share_add(&k, p, j, t);
    share_finish(&k);
    return k;
}

int pl_plan_meta_add_num(pl_plan *p, const char *key, const char *value, double num, r5g_err *err)
{
    char **k = realloc(p->meta_key, (size_t)(p->n_meta + 1) * sizeof *k);
    if (k)
        p->meta_key = k;
    char **v = realloc(p->meta_val, (size_t)(p->n_meta + 1) * sizeof *v);
    if (v)
        p->meta_val = v;
    double *x = realloc(p->meta_num, (size_t)(p->n_meta + 1) * sizeof *x);
    if (x)
        p->meta_num = x;
    if (!k || !v || !x)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for plan_meta");
    p->meta_key[p->n_meta] = r5g_strdup(key);
    p->meta_val[p->n_meta] = value ? r5g_strdup(value) : NULL;
    p->meta_num[p->n_meta] = num;
    p->n_meta++;
    if (!p->meta_key[p->n_meta - 1] || (value && !p->meta_val[p->n_meta - 1]))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory for plan_meta");
    return 0;
}

int pl_plan_meta_add(pl_plan *p, const char *key, const char *value, r5g_err *err)
{
    return pl_plan_meta_add_num(p, key, value, NAN, err);
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
    free(p->s_name);
    pl_kept_dispose(&p->s_kept);
    pl_kept_dispose(&p->d_kept);
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
    free(p->s_committed);
    free(p->s_ring);
    free(p->d_id);
    free(p->d_sector);
    free(p->d_name);
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
    free(p->meta_num);
    for (int k = 0; k < p->n_tables; k++)
        geo_table_free(p->tables[k]);
    geo_crs_free(p->crs);
    pl_scenario_free(p->sc);
    free(p);
}
