/* The map layers added for reviewers (docs/output.md): coverage_by_period,
 * links, region_kpi and sector_kpi, and the fixed short field names used
 * when a format limits names to 10 characters (ESRI Shapefile). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/report/report.h"


/* Fixed, documented mapping (docs/output.md "Shapefile field names"): stable
 * across versions, unique within every layer. Names of 10 characters or
 * fewer are kept as they are. */
static const char *const short_names[][2] = {
    {"build_period", "bld_period"},      {"build_index", "bld_index"},
    {"covered_weight", "cov_weight"},    {"served_demand", "served_dem"},
    {"effective_weight", "eff_weight"},  {"demand_period", "dem_period"},
    {"demand_index", "dem_index"},       {"demand_date", "dem_date"},
    {"covered_period", "cov_period"},    {"covered_index", "cov_index"},
    {"covered_date", "cov_date"},        {"lead_periods", "lead"},
    {"serving_site_id", "serv_site"},    {"serving_distance_m", "serv_dist"},
    {"period_index", "period_idx"},      {"period_date", "period_dt"},
    {"sites_on_air", "on_air"},          {"demand_weight", "dem_weight"},
    {"covered_share", "cov_share"},      {"on_time_share", "ontm_share"},
    {"appearing_demand", "appearing"},   {"mean_lead_periods", "mean_lead"},
    {"over_early_sites", "over_early"},  {"sites_per_10k", "sites_10k"},
    {"environment", "env"},              {"path_loss_db", "path_loss"},
    {"serving_path_loss_db", "serv_loss"},
};

const char *pl_short_field_name(const char *name)
{
    for (size_t k = 0; k < sizeof short_names / sizeof *short_names; k++)
        if (strcmp(short_names[k][0], name) == 0)
            return short_names[k][1];
    return NULL;
}

const char *pl_out_field_name(const char *name, int max_len)
{
    return max_len > 0 && (int)strlen(name) > max_len ? pl_short_field_name(name) : name;
}

int pl_out_layer(const pl_writer *w, const char *name, geo_geom_kind kind, const geo_fdef *f, int nf,
                 r5g_err *err)
{
    int max = geo_out_field_name_max(w->out);
    if (max <= 0)
        return geo_out_layer(w->out, name, kind, f, nf, err);
    geo_fdef *g = malloc((nf > 0 ? (size_t)nf : 1) * sizeof *g);
    if (!g)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (int k = 0; k < nf; k++) {
        g[k] = f[k];
        if (!(g[k].name = pl_out_field_name(f[k].name, max))) {
            free(g);
            return r5g_err_set(err, R5G_EINTERNAL, "layer '%s': field '%s' has no short name for %s",
                               name, f[k].name, geo_out_format(w->out));
        }
    }
    int rc = geo_out_layer(w->out, name, kind, g, nf, err);
    free(g);
    return rc;
}

int pl_write_coverage_by_period(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"period", GEO_FT_STR},       {"period_index", GEO_FT_INT},
                                 {"period_date", GEO_FT_DATE}, {"period_end", GEO_FT_DATE},
                                 {"sites_on_air", GEO_FT_INT}, {"area_km2", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    size_t n = p->ns ? p->ns : 1;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *rad = malloc(n * sizeof *rad);
    int rc = x && y && rad ? pl_out_layer(w, "coverage_by_period", GEO_GEOM_MULTIPOLYGON, f, NF, err)
                           : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (int t = 1; rc == 0 && t <= p->sc->n_periods; t++) {
        size_t k = 0;
        for (size_t s = 0; s < p->ns; s++) {
            if (p->s_on_air[s] == 0 || p->s_on_air[s] > t)
                continue;
            x[k] = p->s_x[s];
            y[k] = p->s_y[s];
            rad[k++] = p->s_radius[s];
        }
        char end[11];
        pl_scenario_period_end(p->sc, t, end);
        geo_val v[NF] = {GEO_STR(p->sc->period_label[t - 1]), GEO_INT(t), GEO_STR(p->sc->period_date[t - 1]),
                         GEO_STR(end), GEO_INT((long long)k), GEO_REAL(0)};
        rc = geo_out_disc_union(w->out, v, 5, x, y, rad, k, NULL, err);
    }
    free(x);
    free(y);
    free(rad);
    return rc;
}

int pl_write_links(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {{"demand_id", GEO_FT_STR},     {"site_id", GEO_FT_STR},
                                 {"distance_m", GEO_FT_METRES},   {"covered_index", GEO_FT_INT},
                                 {"covered_date", GEO_FT_DATE}, {"on_time", GEO_FT_INT},
                                 {"whitelist", GEO_FT_INT}};
    enum { NF = sizeof f / sizeof *f };
    const double *wx = p->d_x, *wy = p->d_y;
    int rc = pl_out_layer(w, "links", GEO_GEOM_LINE, f, NF, err);
    for (size_t j = 0; rc == 0 && j < p->nd; j++) {
        int s = p->d_serving[j];
        if (s < 0)
            continue;
        int a = p->d_period[j], c = p->d_cov[j];
        int due = a - p->sc->lead_periods < 1 ? 1 : a - p->sc->lead_periods;
        geo_val v[NF] = {GEO_STR(p->d_id[j]), GEO_STR(p->s_id[s]), GEO_REAL(p->d_dist[j]), GEO_INT(c),
                         GEO_STR(p->sc->period_date[c - 1]), GEO_INT(c <= due), GEO_INT(p->d_white[j])};
        rc = geo_out_line(w->out, v, wx[j], wy[j], p->s_x[s], p->s_y[s], err);
    }
    return rc;
}

/* Shares of the effective weight appeared by period t that are covered by t
 * and covered on time, over the demand points selected by sel (or all). */
typedef struct share_acc {
    double w, wc, wo;
} share_acc;

static void share_add(share_acc *a, const pl_plan *p, size_t j, int t)
{
    int ap = p->d_period[j], c = p->d_cov[j];
    if (ap > t)
        return;
    int due = ap - p->sc->lead_periods < 1 ? 1 : ap - p->sc->lead_periods;
    a->w += p->d_eff[j];
    if (c > 0 && c <= t)
        a->wc += p->d_eff[j];
    if (c > 0 && c <= due)
        a->wo += p->d_eff[j];
}

int pl_write_region_kpi(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"region_id", GEO_FT_STR},     {"name", GEO_FT_STR},          {"population", GEO_FT_REAL},
        {"period", GEO_FT_STR},        {"period_index", GEO_FT_INT},  {"period_date", GEO_FT_DATE},
        {"period_end", GEO_FT_DATE},   {"sites_on_air", GEO_FT_INT},  {"new_sites", GEO_FT_INT},
        {"capex", GEO_FT_REAL},        {"sites_per_10k", GEO_FT_REAL}, {"demand_weight", GEO_FT_REAL},
        {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    if (!p->regions)
        return 0;
    size_t nr = p->nr;
    int T = p->sc->n_periods;
    int *on = calloc(nr ? nr : 1, sizeof *on), *built = calloc(nr ? nr : 1, sizeof *built);
    double *capex = calloc(nr ? nr : 1, sizeof *capex);
    share_acc *acc = calloc(nr ? nr : 1, sizeof *acc);
    int rc = on && built && capex && acc ? pl_out_layer(w, "region_kpi", GEO_GEOM_MULTIPOLYGON, f, NF, err)
                                         : r5g_err_set(err, R5G_ENOMEM, "out of memory");
    for (int t = 1; rc == 0 && t <= T; t++) {
        memset(on, 0, nr * sizeof *on);
        memset(built, 0, nr * sizeof *built);
        memset(capex, 0, nr * sizeof *capex);
        memset(acc, 0, nr * sizeof *acc);
        for (size_t s = 0; s < p->ns; s++) {
            int g = p->s_region[s];
            if (g < 0 || p->s_on_air[s] == 0 || p->s_on_air[s] > t)
                continue;
            on[g]++;
            if (p->s_on_air[s] == t && p->s_kind[s] != PL_KIND_EXISTING) {
                built[g]++;
                capex[g] += p->s_capex[s];
            }
        }
        for (size_t j = 0; j < p->nd; j++)
            if (p->d_region[j] >= 0)
                share_add(&acc[p->d_region[j]], p, j, t);
        char end[11];
        pl_scenario_period_end(p->sc, t, end);
        for (size_t g = 0; rc == 0 && g < nr; g++) {
            double pop = p->r_pop[g];
            geo_val v[NF] = {
                GEO_STR(p->r_id[g]),
                GEO_STR(p->r_name[g]),
                isfinite(pop) ? GEO_REAL(pop) : GEO_NULL,
                GEO_STR(p->sc->period_label[t - 1]),
                GEO_INT(t),
                GEO_STR(p->sc->period_date[t - 1]),
                GEO_STR(end),
                GEO_INT(on[g]),
                GEO_INT(built[g]),
                GEO_REAL(capex[g]),
                isfinite(pop) && pop > 0 ? GEO_REAL(on[g] * 1e4 / pop) : GEO_NULL,
                GEO_REAL(acc[g].w),
                acc[g].w > 0 ? GEO_REAL(acc[g].wc / acc[g].w) : GEO_NULL,
                acc[g].w > 0 ? GEO_REAL(acc[g].wo / acc[g].w) : GEO_NULL,
            };
            rc = geo_out_table_geom(w->out, v, p->regions, g, err);
        }
    }
    free(on);
    free(built);
    free(capex);
    free(acc);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x, y);
}

int pl_write_sector_kpi(const pl_writer *w, r5g_err *err)
{
    const pl_plan *p = w->p;
    static const geo_fdef f[] = {
        {"sector", GEO_FT_STR},          {"period", GEO_FT_STR},         {"period_index", GEO_FT_INT},
        {"period_date", GEO_FT_DATE},    {"period_end", GEO_FT_DATE},    {"n_demand", GEO_FT_INT},
        {"demand_weight", GEO_FT_REAL},  {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    /* the distinct sectors, sorted; points without a sector form "(none)" */
    const char **sec = malloc((p->nd ? p->nd : 1) * sizeof *sec);
    if (!sec)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    size_t ns = 0;
    for (size_t j = 0; j < p->nd; j++)
        sec[ns++] = p->d_sector[j] && p->d_sector[j][0] ? p->d_sector[j] : "(none)";
    qsort(sec, ns, sizeof *sec, cmp_str);
    size_t u = 0;
    for (size_t k = 0; k < ns; k++)
        if (u == 0 || strcmp(sec[u - 1], sec[k]) != 0)
            sec[u++] = sec[k];
    int rc = pl_out_layer(w, "sector_kpi", GEO_GEOM_NONE, f, NF, err);
    for (size_t k = 0; rc == 0 && k < u; k++) {
        for (int t = 1; rc == 0 && t <= p->sc->n_periods; t++) {
            share_acc a = {0};
            long long n = 0;
            for (size_t j = 0; j < p->nd; j++) {
                const char *sj = p->d_sector[j] && p->d_sector[j][0] ? p->d_sector[j] : "(none)";
                if (strcmp(sj, sec[k]) != 0)
                    continue;
                if (p->d_period[j] <= t)
                    n++;
                share_add(&a, p, j, t);
            }
            char end[11];
            pl_scenario_period_end(p->sc, t, end);
            geo_val v[NF] = {GEO_STR(sec[k]), GEO_STR(p->sc->period_label[t - 1]), GEO_INT(t),
                             GEO_STR(p->sc->period_date[t - 1]), GEO_STR(end), GEO_INT(n), GEO_REAL(a.w),
                             a.w > 0 ? GEO_REAL(a.wc / a.w) : GEO_NULL,
                             a.w > 0 ? GEO_REAL(a.wo / a.w) : GEO_NULL};
            rc = geo_out_row(w->out, v, err);
        }
    }
    free(sec);
    return rc;
}
