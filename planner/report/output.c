/* The plan as map layers (see docs/output.md and the output contract in
 * SCENARIO-CONTRACT.md): sites, demand, coverage, period_kpi, plan_meta. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planner/pipeline/coverage.h"
#include "planner/report/report.h"
#include "planner/report/styles.h"


static geo_val period_label(const pl_run *r, int index)
{
    return index > 0 ? GEO_STR(r->sc->period_label[index - 1]) : GEO_NULL;
}

static geo_val period_date(const pl_run *r, int index)
{
    return index > 0 ? GEO_STR(r->sc->period_date[index - 1]) : GEO_NULL;
}

static geo_val period_index(int index) { return index > 0 ? GEO_INT(index) : GEO_NULL; }

static int write_sites(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {
        {"site_id", GEO_FT_STR},      {"kind", GEO_FT_STR},          {"band", GEO_FT_STR},
        {"region_id", GEO_FT_STR},    {"status", GEO_FT_STR},        {"build_period", GEO_FT_STR},
        {"build_index", GEO_FT_INT},  {"build_date", GEO_FT_DATE},   {"capex", GEO_FT_REAL},
        {"radius_m", GEO_FT_METRES},    {"covered_weight", GEO_FT_REAL}, {"served_demand", GEO_FT_INT},
        {"environment", GEO_FT_STR}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer(r, "sites", GEO_GEOM_POINT, f, NF, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        int existing = r->kind[s] == PL_KIND_EXISTING;
        int b = existing ? 0 : r->on_air[s];
        geo_val v[NF] = {
            GEO_STR(r->s_id[s]),
            GEO_STR(pl_kind_name(r->kind[s])),
            GEO_STR(r->sc->bands[r->band[s]].name),
            GEO_STR(pl_region_id(r, r->s_region[s])),
            GEO_STR(existing ? "existing" : b ? "built" : "not_built"),
            period_label(r, b),
            period_index(b),
            period_date(r, b),
            GEO_REAL(existing ? 0 : r->capex[s]),
            GEO_REAL(r->radius[s]),
            GEO_REAL(r->s_cov_weight[s]),
            GEO_INT(r->s_served[s]),
            GEO_STR(pl_site_env_name(r, s)),
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
        {"serving_distance_m", GEO_FT_METRES}, {"serving_path_loss_db", GEO_FT_REAL}};
    enum { NF = sizeof f / sizeof *f };
    const double *wx = geo_table_wx(r->t_dem), *wy = geo_table_wy(r->t_dem);
    int rc = pl_out_layer(r, "demand", GEO_GEOM_POINT, f, NF, err);
    for (size_t j = 0; rc == 0 && j < r->nd; j++) {
        int a = r->d_period[j], c = r->cov_index[j];
        int due = a - r->sc->lead_periods < 1 ? 1 : a - r->sc->lead_periods;
        int srv = r->serving[j];
        geo_val v[NF] = {
            GEO_STR(r->d_id[j]),
            GEO_STR(r->d_sector[j]),
            GEO_INT(r->d_white[j]),
            GEO_REAL(r->d_weight[j]),
            GEO_REAL(r->d_eff[j]),
            GEO_STR(pl_region_id(r, r->d_region[j])),
            period_label(r, a),
            GEO_INT(a),
            period_date(r, a),
            period_label(r, c),
            period_index(c),
            period_date(r, c),
            c ? GEO_INT(a - c) : GEO_NULL,
            GEO_INT(c > 0 && c <= due),
            srv >= 0 ? GEO_STR(r->s_id[srv]) : GEO_NULL,
            srv >= 0 ? GEO_REAL(r->serving_dist[j]) : GEO_NULL,
            GEO_NULL,
        };
        long k = srv >= 0 && r->pair_pl ? pl_coverage_pair(r, j, srv) : -1;
        if (k >= 0)
            v[NF - 1] = GEO_REAL(r->pair_pl[k]); /* NAN (written NULL) for fixed_radius */
        rc = geo_out_point(r->out, v, wx[j], wy[j], err);
    }
    return rc;
}

static int write_coverage(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {{"site_id", GEO_FT_STR},     {"kind", GEO_FT_STR},
                                 {"build_period", GEO_FT_STR}, {"build_index", GEO_FT_INT},
                                 {"build_date", GEO_FT_DATE},  {"radius_m", GEO_FT_METRES}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer(r, "coverage", GEO_GEOM_POLYGON, f, NF, err);
    for (size_t s = 0; rc == 0 && s < r->ns; s++) {
        int b = r->on_air[s];
        if (b == 0)
            continue;
        geo_val v[NF] = {GEO_STR(r->s_id[s]), GEO_STR(pl_kind_name(r->kind[s])), period_label(r, b),
                         GEO_INT(b),          period_date(r, b),            GEO_REAL(r->radius[s])};
        rc = pl_coverage_write_site(r, v, s, err);
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
        {"over_early_sites", GEO_FT_INT}, {"period_end", GEO_FT_DATE}};
    enum { NF = sizeof f / sizeof *f };
    int rc = pl_out_layer(r, "period_kpi", GEO_GEOM_NONE, f, NF, err);
    for (int t = 1; rc == 0 && t <= r->sc->n_periods; t++) {
        const pl_period_kpi *k = &r->pk[t - 1];
        char end[11];
        pl_period_end(r, t, end);
        geo_val v[NF] = {
            period_label(r, t),
            GEO_INT(t),
            period_date(r, t),
            isfinite(k->budget) ? GEO_REAL(k->budget) : GEO_NULL,
            GEO_REAL(k->carry_in),
            GEO_REAL(k->capex),
            GEO_INT(k->new_sites),
            GEO_INT(k->upgrades),
            GEO_INT(k->sites_on_air),
            GEO_REAL(k->demand_weight),
            GEO_REAL(k->covered_share),
            GEO_REAL(k->on_time_share),
            GEO_INT(k->appearing),
            isnan(k->mean_lead) ? GEO_NULL : GEO_REAL(k->mean_lead),
            GEO_INT(k->over_early_sites),
            GEO_STR(end),
        };
        rc = geo_out_row(r->out, v, err);
    }
    return rc;
}

static int meta_row(pl_run *r, const char *key, const char *value, r5g_err *err)
{
    char **k = realloc(r->meta_key, (size_t)(r->n_meta + 1) * sizeof *k);
    if (k)
        r->meta_key = k;
    char **v = realloc(r->meta_val, (size_t)(r->n_meta + 1) * sizeof *v);
    if (v)
        r->meta_val = v;
    if (!k || !v)
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    r->meta_key[r->n_meta] = r5g_strdup(key);
    r->meta_val[r->n_meta] = value ? r5g_strdup(value) : NULL;
    r->n_meta++;
    if (!r->meta_key[r->n_meta - 1] || (value && !r->meta_val[r->n_meta - 1]))
        return r5g_err_set(err, R5G_ENOMEM, "out of memory");
    return 0;
}

static int write_plan_meta(pl_run *r, r5g_err *err)
{
    static const geo_fdef f[] = {{"key", GEO_FT_STR}, {"value", GEO_FT_STR}};
    int rc = pl_out_layer(r, "plan_meta", GEO_GEOM_NONE, f, 2, err);
    for (int k = 0; rc == 0 && k < r->n_meta; k++) {
        geo_val v[2] = {GEO_STR(r->meta_key[k]), GEO_STR(r->meta_val[k])};
        rc = geo_out_row(r->out, v, err);
    }
    return rc;
}

int pl_meta_collect(pl_run *r, r5g_err *err)
{
    static const char *const input_keys[4] = {"demand", "candidates", "existing", "regions"};
    const pl_layer *L[4] = {&r->sc->demand, &r->sc->candidates, &r->sc->existing, &r->sc->regions};
    int rc = 0;
    char buf[64];
    pl_meta_free(r);
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
                      : r->sc->output_crs       ? r->sc->output_crs
                                                : "EPSG:4326");
    ROW("output_format", geo_out_format(r->out));
    ROWF("time_limit_s", "%g", r->sc->time_limit_s);
    ROWF("mip_gap_setting", "%g", r->sc->mip_gap);
    ROW("rollout5g_version", PACKAGE_VERSION);
    ROW("glpk_version", sol_version_glpk());
    ROW("gdal_version", geo_version_gdal());
    ROW("proj_version", geo_version_proj());
    ROW("command_line", r->opts->command_line);
#undef ROW
#undef ROWF
    return rc;
}

typedef struct layer_job {
    const char *name;
    int (*write)(pl_run *r, r5g_err *err);
    char *(*style)(const pl_scenario *sc);
} layer_job;

int pl_output_write(pl_run *r, r5g_err *err)
{
    const layer_job jobs[] = {
        {"sites", write_sites, pl_style_sites},
        {"demand", write_demand, pl_style_demand},
        {"coverage", write_coverage, pl_style_coverage},
        {"coverage_by_period", pl_write_coverage_by_period, pl_style_coverage_by_period},
        {"links", r->want_links ? pl_write_links : NULL, pl_style_links},
        {"region_kpi", r->t_reg ? pl_write_region_kpi : NULL, pl_style_region_kpi},
        {"period_kpi", write_period_kpi, pl_style_period_table},
        {"sector_kpi", pl_write_sector_kpi, pl_style_period_table},
        {"plan_meta", write_plan_meta, pl_style_plain},
    };
    enum { NJ = sizeof jobs / sizeof *jobs };
    int rc;
    if ((rc = pl_meta_collect(r, err)))
        return rc;
    if ((rc = pl_run_progress(r, PL_PROGRESS_BEGIN, "writing", 0, err)))
        return rc;
    for (int k = 0; k < NJ; k++) {
        if (!jobs[k].write)
            continue;
        double t0 = r5g_now();
        if ((rc = jobs[k].write(r, err)))
            return rc;
        r5g_log(R5G_LOG_DEBUG, "wrote layer %s in %.3f s", jobs[k].name, r5g_now() - t0);
        if ((rc = pl_run_progress(r, PL_PROGRESS_UPDATE, "writing", (k + 1.0) / (NJ + 1.0), err)))
            return rc;
    }
    for (int k = 0; k < NJ; k++) {
        if (!jobs[k].write)
            continue;
        char *qml = jobs[k].style(r->sc);
        if (!qml)
            return r5g_err_set(err, R5G_ENOMEM, "out of memory");
        rc = geo_out_style(r->out, jobs[k].name, qml, NULL, err);
        free(qml);
        if (rc)
            return rc;
    }
    return pl_run_progress(r, PL_PROGRESS_END, "writing", 1, err);
}
