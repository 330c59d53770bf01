/* The plan as map layers (see docs/output.md and the output contract in
 * SCENARIO-CONTRACT.md): sites, demand, coverage, period_kpi, plan_meta. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "planner/plan_int.h"

#define V_NULL ((geo_val){.null = 1})
#define V_INT(x) ((geo_val){.i = (x)})
#define V_REAL(x) ((geo_val){.d = (x)})
#define V_STR(x) ((geo_val){.null = (x) == NULL, .s = (x)})

static const char *kind_name(pl_kind k)
{
    return k == PL_KIND_EXISTING ? "existing" : k == PL_KIND_UPGRADE ? "upgrade" : "new";
}

/* Region id of row idx of the regions table, or NULL. */
static const char *region_id(const pl_run *r, int idx)
{
    return r->t_reg && idx >= 0 ? geo_table_value(r->t_reg, 0, (size_t)idx) : NULL;
}

static geo_val period_label(const pl_run *r, int index)
{
    return index > 0 ? V_STR(r->sc->period_label[index - 1]) : V_NULL;
}

static geo_val period_date(const pl_run *r, int index)
{
    return index > 0 ? V_STR(r->sc->period_date[index - 1]) : V_NULL;
}

static geo_val period_index(int index) { return index > 0 ? V_INT(index) : V_NULL; }

static int write_sites(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"site_id", GEO_FT_STR},      {"kind", GEO_FT_STR},          {"band", GEO_FT_STR},
        {"region_id", GEO_FT_STR},    {"status", GEO_FT_STR},        {"build_period", GEO_FT_STR},
        {"build_index", GEO_FT_INT},  {"build_date", GEO_FT_DATE},   {"capex", GEO_FT_REAL},
        {"radius_m", GEO_FT_REAL},    {"covered_weight", GEO_FT_REAL}, {"served_demand", GEO_FT_INT}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(r->out, "sites", GEO_GEOM_POINT, f, NF, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        int existing = r->kind[s] == PL_KIND_EXISTING;
        int b = existing ? 0 : r->on_air[s];
        geo_val v[NF] = {
            V_STR(r->s_id[s]),
            V_STR(kind_name(r->kind[s])),
            V_STR(r->sc->bands[r->band[s]].name),
            V_STR(region_id(r, r->s_region[s])),
            V_STR(existing ? "existing" : b ? "built" : "not_built"),
            period_label(r, b),
            period_index(b),
            period_date(r, b),
            V_REAL(existing ? 0 : r->capex[s]),
            V_REAL(r->radius[s]),
            V_REAL(r->s_cov_weight[s]),
            V_INT(r->s_served[s]),
        };
        rc = geo_out_point(r->out, v, r->sx[s], r->sy[s], err);
    }
    return rc;
}

static int write_demand(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"demand_id", GEO_FT_STR},       {"sector", GEO_FT_STR},          {"whitelist", GEO_FT_INT},
        {"weight", GEO_FT_REAL},         {"effective_weight", GEO_FT_REAL}, {"region_id", GEO_FT_STR},
        {"demand_period", GEO_FT_STR},   {"demand_index", GEO_FT_INT},    {"demand_date", GEO_FT_DATE},
        {"covered_period", GEO_FT_STR},  {"covered_index", GEO_FT_INT},   {"covered_date", GEO_FT_DATE},
        {"lead_periods", GEO_FT_INT},    {"on_time", GEO_FT_INT},         {"serving_site_id", GEO_FT_STR},
        {"serving_distance_m", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    const double *wx = geo_table_wx(r->t_dem), *wy = geo_table_wy(r->t_dem);
    int rc = geo_out_layer(r->out, "demand", GEO_GEOM_POINT, f, NF, err);
    for (size_t j = 0; rc == 0 && j < r->nd; j++) {
        int a = r->d_period[j], c = r->cov_index[j];
        int due = a - r->sc->lead_periods < 1 ? 1 : a - r->sc->lead_periods;
        int srv = r->serving[j];
        geo_val v[NF] = {
            V_STR(r->d_id[j]),
            V_STR(r->d_sector[j]),
            V_INT(r->d_white[j]),
            V_REAL(r->d_weight[j]),
            V_REAL(r->d_eff[j]),
            V_STR(region_id(r, r->d_region[j])),
            period_label(r, a),
            V_INT(a),
            period_date(r, a),
            period_label(r, c),
            period_index(c),
            period_date(r, c),
            c ? V_INT(a - c) : V_NULL,
            V_INT(c > 0 && c <= due),
            srv >= 0 ? V_STR(r->s_id[srv]) : V_NULL,
            srv >= 0 ? V_REAL(r->serving_dist[j]) : V_NULL,
        };
        rc = geo_out_point(r->out, v, wx[j], wy[j], err);
    }
    return rc;
}

static int write_coverage(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {{"site_id", GEO_FT_STR},     {"kind", GEO_FT_STR},
                                 {"build_period", GEO_FT_STR}, {"build_index", GEO_FT_INT},
                                 {"build_date", GEO_FT_DATE},  {"radius_m", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(r->out, "coverage", GEO_GEOM_POLYGON, f, NF, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        int b = r->on_air[s];
        if (b == 0)
            continue;
        geo_val v[NF] = {V_STR(r->s_id[s]), V_STR(kind_name(r->kind[s])), period_label(r, b),
                         V_INT(b),          period_date(r, b),            V_REAL(r->radius[s])};
        rc = geo_out_disc(r->out, v, r->sx[s], r->sy[s], r->radius[s], err);
    }
    return rc;
}

static int write_period_kpi(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"period", GEO_FT_STR},          {"period_index", GEO_FT_INT},   {"period_date", GEO_FT_DATE},
        {"budget", GEO_FT_REAL},         {"carry_in", GEO_FT_REAL},      {"capex", GEO_FT_REAL},
        {"new_sites", GEO_FT_INT},       {"upgrades", GEO_FT_INT},       {"sites_on_air", GEO_FT_INT},
        {"demand_weight", GEO_FT_REAL},  {"covered_share", GEO_FT_REAL}, {"on_time_share", GEO_FT_REAL},
        {"appearing_demand", GEO_FT_INT}, {"mean_lead_periods", GEO_FT_REAL},
        {"over_early_sites", GEO_FT_INT}};
    enum { NF = sizeof f / sizeof *f };
    int rc = geo_out_layer(r->out, "period_kpi", GEO_GEOM_NONE, f, NF, err);
    for (int t = 1; rc == 0 && t <= r->sc->n_periods; t++) {
        const pl_period_kpi *k = &r->pk[t - 1];
        geo_val v[NF] = {
            period_label(r, t),
            V_INT(t),
            period_date(r, t),
            isfinite(k->budget) ? V_REAL(k->budget) : V_NULL,
            V_REAL(k->carry_in),
            V_REAL(k->capex),
            V_INT(k->new_sites),
            V_INT(k->upgrades),
            V_INT(k->sites_on_air),
            V_REAL(k->demand_weight),
            V_REAL(k->covered_share),
            V_REAL(k->on_time_share),
            V_INT(k->appearing),
            isnan(k->mean_lead) ? V_NULL : V_REAL(k->mean_lead),
            V_INT(k->over_early_sites),
        };
        rc = geo_out_row(r->out, v, err);
    }
    return rc;
}

static int meta_row(pl_run *r, const char *key, const char *value, r5g_err *err)
{
    geo_val v[2] = {V_STR(key), V_STR(value)};
    return geo_out_row(r->out, v, err);
}

static int write_plan_meta(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {{"key", GEO_FT_STR}, {"value", GEO_FT_STR}};
    static const char *const input_keys[4] = {"demand", "candidates", "existing", "regions"};
    const pl_layer *L[4] = {&r->sc->demand, &r->sc->candidates, &r->sc->existing, &r->sc->regions};
    int rc = geo_out_layer(r->out, "plan_meta", GEO_GEOM_NONE, f, 2, err);
    char buf[64];
#define ROW(k, val)                                                                                \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = meta_row(r, (k), (val), err);                                                     \
    } while (0)
#define ROWF(k, fmt, x)                                                                            \
    do {                                                                                           \
        snprintf(buf, sizeof buf, fmt, x);                                                         \
        ROW(k, buf);                                                                               \
    } while (0)
    ROW("scenario", r->sc->name);
    ROW("scenario_file", r->sc->file);
    ROW("scenario_sha256", r->sha_scenario[0] ? r->sha_scenario : NULL);
    for (int k = 0; k < 4; k++) {
        if (!L[k]->present)
            continue;
        char key[64];
        snprintf(key, sizeof key, "input_%s", input_keys[k]);
        ROW(key, L[k]->source);
        snprintf(key, sizeof key, "input_%s_sha256", input_keys[k]);
        ROW(key, r->sha_input[k][0] ? r->sha_input[k] : NULL);
    }
    ROW("status", sol_status_name(r->res.status));
    ROWF("objective", "%.10g", r->kpi_objective);
    ROWF("solver_objective", "%.10g", r->res.objective);
    ROWF("bound", "%.10g", r->sc->objective == PL_OBJ_MIN_COST ? fmin(r->res.bound, r->kpi_objective)
                           : r->res.bound < r->kpi_objective ? r->kpi_objective : r->res.bound);
    ROWF("gap", "%.6g", r->kpi_gap);
    ROWF("solve_seconds", "%.3f", r->res.seconds);
    ROWF("total_seconds", "%.3f", r->total_seconds);
    ROWF("model_rows", "%d", r->res.n_rows);
    ROWF("model_columns", "%d", r->res.n_cols);
    ROWF("model_nonzeros", "%d", r->res.n_nonzeros);
    ROWF("n_sites", "%zu", r->ns);
    ROWF("n_demand", "%zu", r->nd);
    ROWF("n_pairs", "%zu", r->pairs.n_pairs);
    ROWF("n_periods", "%d", r->sc->n_periods);
    ROW("objective_kind", r->sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage");
    ROWF("reduced_demand", "%d", r->res.red_demand_out);
    ROWF("reduced_sites", "%d", r->res.red_sites_out);
    ROWF("reduced_pairs", "%lld", r->res.red_pairs_out);
    ROW("working_crs", geo_crs_name(r->crs));
    ROW("output_crs", geo_crs_is_planar(r->crs) ? "none (planar)"
                      : r->opts->t_srs          ? r->opts->t_srs
                                                : "EPSG:4326");
    ROW("rollout5g_version", PACKAGE_VERSION);
    ROW("glpk_version", sol_version_glpk());
    ROW("gdal_version", geo_version_gdal());
    ROW("proj_version", geo_version_proj());
    ROW("command_line", r->opts->command_line);
#undef ROW
#undef ROWF
    return rc;
}

int pl_output_write(pl_run *r, r5g_err *err)
{
    int rc;
    if ((rc = write_sites(r, err)) || (rc = write_demand(r, err)) || (rc = write_coverage(r, err)) ||
        (rc = write_period_kpi(r, err)) || (rc = write_plan_meta(r, err)))
        return rc;
    return 0;
}
