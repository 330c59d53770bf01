/* plan_meta: what a reviewer needs to trust and re-run a plan (the
 * scenario and its inputs with their hashes, the solver's status, bound and
 * gap, sizes, settings, versions, the command line). */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "geo/geo.h"
#include "planner/pipeline/run.h"
#include "solver/sol.h"

int pl_meta_collect(pl_plan *p, const pl_run *r, const char *output_format, r5g_err *err)
{
    static const char *const input_keys[4] = {"demand", "candidates", "existing", "regions"};
    const pl_layer *L[4] = {&p->sc->demand, &p->sc->candidates, &p->sc->existing, &p->sc->regions};
    int rc = 0;
    char buf[64];
    #define ROW(k, val)                                                                                \
    do {                                                                                           \
        if (rc == 0)                                                                               \
            rc = pl_plan_meta_add(p, (k), (val), err);                                                     \
    } while (0)
#define ROWF(k, fmt, x)                                                                            \
    do {                                                                                           \
        snprintf(buf, sizeof buf, fmt, x);                                                         \
        ROW(k, buf);                                                                               \
    } while (0)
    ROW("scenario", p->sc->name);
    ROW("scenario_file", p->sc->file);
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
    ROW("status", p->solve.status);
    ROWF("objective", "%.10g", p->objective);
    ROWF("solver_objective", "%.10g", p->solve.solver_objective);
    ROWF("bound", "%.10g", p->bound);
    ROWF("gap", "%.6g", p->gap);
    ROWF("solve_seconds", "%.3f", p->solve.seconds);
    ROWF("total_seconds", "%.3f", p->solve.total_seconds);
    ROWF("model_rows", "%d", p->solve.n_rows);
    ROWF("model_columns", "%d", p->solve.n_cols);
    ROWF("model_nonzeros", "%d", p->solve.n_nonzeros);
    ROWF("n_sites", "%zu", p->ns);
    ROWF("n_demand", "%zu", p->nd);
    ROWF("n_pairs", "%zu", r->pairs.n_pairs);
    ROWF("n_periods", "%d", p->sc->n_periods);
    ROW("objective_kind", p->sc->objective == PL_OBJ_MIN_COST ? "min_cost" : "max_coverage");
    ROWF("reduced_demand", "%d", p->solve.red_demand_out);
    ROWF("reduced_sites", "%d", p->solve.red_sites_out);
    ROWF("reduced_pairs", "%lld", p->solve.red_pairs_out);
    ROW("working_crs", geo_crs_name(p->crs));
    ROW("output_crs", geo_crs_is_planar(p->crs) ? "none (planar)"
                      : r->opts->t_srs          ? r->opts->t_srs
                      : p->sc->output_crs       ? p->sc->output_crs
                                                : "EPSG:4326");
    ROW("output_format", output_format);
    ROWF("lead_periods", "%d", p->sc->lead_periods);
    ROWF("max_lead_periods", "%d", p->sc->max_lead_periods);
    ROWF("carry_over", "%d", p->sc->carry_over);
    ROWF("discount_rate", "%.17g", p->sc->discount_rate);
    ROWF("whitelist_multiplier", "%.17g", p->sc->whitelist_multiplier);
    ROW("radio_model", p->sc->radio_model == PL_RADIO_TR38901 ? "tr38901" : "fixed_radius");
    ROWF("radius_m", "%.17g", p->sc->radius_m);
    ROWF("time_limit_s", "%g", p->sc->time_limit_s);
    ROWF("mip_gap_setting", "%g", p->sc->mip_gap);
    ROW("rollout5g_version", PACKAGE_VERSION);
    ROW("glpk_version", sol_version_glpk());
    ROW("gdal_version", geo_version_gdal());
    ROW("proj_version", geo_version_proj());
    ROW("command_line", r->opts->command_line);
#undef ROW
#undef ROWF
    return rc;
}

